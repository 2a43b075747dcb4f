"""Telegram handlers: small coroutines that turn updates into calls on conversations/
and storage/, and send the replies."""
