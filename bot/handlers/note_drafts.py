"""A note a member of staff types: the next message after they asked to close an issue,
acted on an alert (or were sent one in the last day), or said an alert is not a concern,
is the note. It is shown back with
[Send it] [Change it] [Cancel] before anything goes to anyone, and kept in the database
meanwhile, so a restart loses none of it. A note too long to show inside its preview in
one message is shown shortened, saying so, so that the buttons always come; the whole
note is kept and is what is saved or sent."""

from __future__ import annotations

from dataclasses import replace

from telegram import Update

from carebot.bot.buttons import DraftButton, keyboard
from carebot.bot.context import Context, Runtime
from carebot.bot.handlers.common import Said, answer_query, note, remove_buttons, reply
from carebot.bot.handlers.declared import NOTES, on_person_tap
from carebot.conversations import fitting
from carebot.conversations.texts import text
from carebot.storage import drafts
from carebot.storage.drafts import Draft
from carebot.storage.models import EventKind, Person

CONFIRM = keyboard([[(DraftButton(choice), text(f"draft.{choice}"))]
                    for choice in DraftButton.CHOICES])


async def typed_note(update: Update, context: Context, staff: Person, said: Said) -> bool:
    """Take typed words as the note the member of staff is writing, if they are writing
    one; False if they are not."""
    rt = context.runtime
    draft = await drafts.draft_of(rt.db, staff.id, rt.clock.now())
    if draft is None or draft.purpose not in NOTES:
        return False
    await drafts.set_text(rt.db, staff.id, said.words)
    shown = await _preview(rt, staff, replace(draft, text=said.words))
    if shown is None:
        await drafts.drop_draft(rt.db, staff.id)
        await reply(rt, update, text("draft.gone"))
        return True
    await reply(rt, update, shown, reply_markup=CONFIRM)
    return True


async def _preview(rt: Runtime, staff: Person, draft: Draft) -> str | None:
    """The draft's preview in one message: if the whole note would not fit, the note
    shown is cut by as much as the preview is over, ending with a word that says so."""
    preview = NOTES[draft.purpose].preview
    shown = await preview(rt, staff, draft)
    note = draft.text or ""
    room = fitting.length(note)  # for the note as shown
    for _ in range(3):  # once is enough while the note is in the preview once
        if shown is None or fitting.fits(shown) or room <= 0:
            break
        room -= fitting.length(shown) - fitting.TEXT_LIMIT
        shown = await preview(rt, staff, replace(
            draft, text=fitting.shorten(note, room, text("draft.shortened"))))
    return shown


@on_person_tap(DraftButton)
async def draft_tap(update: Update, context: Context, tap: DraftButton, staff: Person) -> None:
    rt = context.runtime
    await answer_query(update)
    draft = await drafts.draft_of(rt.db, staff.id, rt.clock.now())
    await remove_buttons(update)
    if draft is None or draft.text is None or draft.purpose not in NOTES:
        await note(rt, update, EventKind.FORGED_BUTTON, staff, detail=f"draft {tap.choice}")
        await reply(rt, update, text("draft.gone"))
        return
    if tap.choice == "change":
        await drafts.set_text(rt.db, staff.id, None)
        await reply(rt, update, text("draft.again"))
        return
    if tap.choice == "cancel":
        await drafts.drop_draft(rt.db, staff.id)
        await reply(rt, update, text("draft.cancelled"))
        return
    done = await NOTES[draft.purpose].send(context, update, staff, draft)
    await drafts.drop_draft(rt.db, staff.id)  # after: a crash before it loses no note
    await reply(rt, update, done)
