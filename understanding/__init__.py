"""Understanding free text: sentiment, care themes and safeguarding risk, each with the
words that led to it. Its cues and model are data files beside the code. It knows nothing
of Telegram, storage or reports; `lab/` (training and evaluation) is for developers only."""
