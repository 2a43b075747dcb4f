"""Simulated people for the demo: how each one answers a check-in, and what they write.

The words are the kind of thing people say about home care and day services; they are
made up for the demo and name nobody real.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from carebot.bot.buttons import AnswerButton
from carebot.conversations.texts import text
from carebot.emulator.people import SimulatedPerson
from carebot.emulator.server import BotMessage

GOOD = (
    "The carers are kind and they always have time for a chat.",
    "They help me with my shower and I feel clean and fresh after.",
    "The trips from the day centre are the best part of my week.",
    "Staff listen to me and ask what I want to do.",
    "I like the lunch at the centre, especially the Friday fish.",
    "They always ring if they are running late, which really helps.",
    "My regular carer knows how I like my tea. It makes me smile.",
)
BAD = (
    "The carers were late again and rushed my breakfast.",
    "Nobody came on Tuesday evening so I went to bed without my tablets.",
    "Different carers every day. I never know who is coming.",
    "They do not listen when I say I want to get up later.",
    "The morning call is far too early and they leave after ten minutes.",
    "Nobody told me the time of my visit had changed.",
)
MIXED = (
    "Lovely staff but always late.",
    "The food is better now but the minibus was late twice.",
    "Kind carers, but they seem very rushed this week.",
)
BETTER_NOW = (
    "Things are better now, thank you.",
    "I am happier with my care now.",
    "Much better this month. I feel looked after.",
    "Still different carers, but they are all kind.",
)
FUTURE = (
    "I would like to go to the garden club again.",
    "I want the same carer each week if that is possible.",
    "More chances to go out to the shops would be nice.",
)

# What each mood says to each Working Together for Change question: what is working,
# what is not, what matters for the future. A content person asked what is not working
# names a small thing; an unhappy one asked what works names what little does.
PROMPTED: dict[str, dict[str, tuple[str, ...]]] = {
    "working": {
        "content": GOOD,
        "unhappy": ("The day centre staff are friendly.", "My neighbour pops in, which helps."),
        "mixed": ("The staff are kind and patient.",
                  "I like the lunch at the centre, especially the Friday fish."),
        "better": BETTER_NOW,
    },
    "not_working": {
        "content": ("Sometimes the minibus is a bit late.",
                    "The lounge is cold in the mornings."),
        "unhappy": BAD,
        "mixed": MIXED,
        "better": ("The evening call is still a bit early.",
                   "I still do not always know who is coming."),
    },
    "future": {
        "content": FUTURE, "better": FUTURE,
        "unhappy": ("I want carers who come when they say they will, not late again.",
                    "I want to be asked before they change my visit times again."),
        "mixed": ("I would like the same carers, with a bit more time.", *FUTURE),
    },
}

CARER_MESSAGES = (
    ("problem", "Mum's evening carer did not turn up on Tuesday and nobody rang us."),
    ("problem", "Dad has had five different carers this week and it upsets him."),
    # Carer 3 writes in Polish: "Thank you to the team at the day centre. Dad came home so
    # happy."
    ("compliment", "Dziękuję zespołowi z centrum dziennego. Tata wrócił do domu taki szczęśliwy."),
    ("idea", "Could you send the rota a week ahead so we know who is coming?"),
    ("problem", "The medication chart was not filled in on Monday or Wednesday."),
    ("compliment", "The new carer is patient and kind with my husband."),
)

# (FFT answer, outcome answer, what they write) for each mood.
MOODS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "content": (("very_good", "good"), ("always", "mostly"), GOOD + FUTURE),
    "unhappy": (("poor", "very_poor"), ("rarely", "sometimes", "never"), BAD),
    "mixed": (("good", "neither"), ("mostly", "sometimes"), MIXED),
    "better": (("good", "neither"), ("mostly", "sometimes"), BETTER_NOW),
}

# What someone who writes in Welsh says: that the carers are kind and have time for a chat;
# that they like having the same carer each morning; that they would like to go out to the
# garden more; that the carers are late again.
WELSH = {
    "content": ("Mae'r gofalwyr yn garedig ac mae ganddyn nhw amser am sgwrs bob tro.",
                "Rydw i'n hoffi cael yr un gofalwr bob bore.",
                "Hoffwn i fynd allan i'r ardd yn amlach."),
    "unhappy": ("Roedd y gofalwyr yn hwyr eto y bore yma.",),
}
WELSH["mixed"] = WELSH["better"] = WELSH["content"]

# An easy-read question offers three answers: the one nearest to what the mood would say.
NEAREST = {"very_good": "good", "good": "good", "neither": "neither", "poor": "poor",
           "very_poor": "poor", "always": "always", "mostly": "always",
           "sometimes": "sometimes", "rarely": "never", "never": "never"}
HOW_OFTEN = frozenset({"always", "mostly", "sometimes", "rarely", "never"})

# How a mood changes once what was wrong is put right.
BETTER = {"unhappy": "better"}


@dataclass
class DemoPerson:
    """One person with a way of answering. `act` does at most one thing a round."""

    sim: SimulatedPerson
    service: str
    mood: str
    # taps | types | skips | stops_early | photo | voice | silent | talks | helped
    habit: str = "taps"
    rng: random.Random = field(default_factory=random.Random)
    language: str = "en"  # what they write in
    done_extra: set[int] = field(default_factory=set)

    def _waiting_question(self) -> tuple[BotMessage, list[AnswerButton]] | None:
        """The newest message with check-in buttons, and its buttons."""
        for message in reversed(self.sim.inbox):
            buttons = [AnswerButton.unpack(str(b.get("callback_data", "")))
                       for b in message.buttons()]
            found = [b for b in buttons if b is not None]
            if found:
                return message, found
        return None

    def feel_better(self) -> None:
        self.mood = BETTER.get(self.mood, self.mood)

    def act(self) -> bool:
        """Answer whatever check-in step is waiting; False if there was nothing to do."""
        waiting = self._waiting_question()
        if waiting is None or self.habit == "silent":
            return False
        question, buttons = waiting
        step, values = buttons[0].step, [b.value for b in buttons]

        def press(value: str) -> bool:
            self.sim.press(question, replace(buttons[0], value=value).pack())
            return True

        if step == 0:  # the hello, or "who is helping you?"
            if "h_family" in values:
                return press("h_family")
            return press("helper" if self.habit == "helped" else "start")
        if self.habit == "stops_early" and step >= 2:
            return False
        if self.habit == "talks" and step == 2 and question.message_id not in self.done_extra:
            self.done_extra.add(question.message_id)
            return press("talk")
        if self.habit == "skips":
            return press("skip" if "skip" in values else "no_thanks")
        return self._answer(question, step, values, press)

    def _answer(self, question: BotMessage, step: int, values: list[str],
                press: Callable[[str], bool]) -> bool:
        """An answer in the person's mood: the overall rating, an outcome, or words."""
        fft, outcome, words = MOODS[self.mood]
        if self.language == "cy":
            words = WELSH[self.mood]

        def answer(choices: tuple[str, ...]) -> bool:
            chosen = self.rng.choice(choices)
            return press(chosen if chosen in values else NEAREST[chosen])

        if step == 1:
            if self.habit != "types":
                return answer(fft)
            self.sim.send_text({"very_good": "very good", "good": "good",
                                "neither": "ok", "poor": "not great"}.get(fft[0], "awful"))
        elif HOW_OFTEN & set(values):  # an outcome question
            return answer(outcome)
        elif step == 4:  # what is working / not working / matters for the future
            if (self.habit in ("photo", "voice")
                    and question.message_id not in self.done_extra):
                self.done_extra.add(question.message_id)
                self.sim.send_media(self.habit)
            elif self.rng.random() < 0.15:
                return press("no_thanks")
            else:
                asked = question.text or ""
                self.sim.send_text(self.rng.choice(_prompted(asked, self.mood, words)))
        elif self.rng.random() < 0.3:  # anything else? what is on their mind
            self.sim.send_text(self.rng.choice(words))
        else:
            return press("no_thanks")
        return True


def _prompted(question: str, mood: str, words: tuple[str, ...]) -> tuple[str, ...]:
    """What a person in this mood writes to this Working Together for Change question (its
    words as the bot sent them); their mood's words to any other."""
    for prompt, by_mood in PROMPTED.items():
        if text(f"question.free.{prompt}") in question:
            return by_mood[mood]
    return words
