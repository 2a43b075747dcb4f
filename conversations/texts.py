"""Every word carebot says to a person, in one place, so it can be reviewed and translated.

Rules for writing here: short sentences, one question per message, everyday words.
Placeholders use str.format names, e.g. {name}.
"""

from __future__ import annotations

from typing import Any

TEXTS: dict[str, str] = {
    # Joining
    "start.no_code": (
        "Hello. I am carebot. I ask people about their care, so that it can get better.\n\n"
        "To join, you need a code from your council or care provider. "
        "When you have it, send: /start and then your code."
    ),
    "start.bad_code": (
        "Sorry, I could not use that code. It may be old or already used. "
        "Please ask the person who gave it to you for a new one."
    ),
    "start.already": "You have already joined, {name}. Send /help to see what you can do.",
    "consent.ask": (
        "Hello {name}. I will ask you about {service} now and then. "
        "Your answers help the people who plan and check your care.\n\n"
        "Your name is never shown in reports. You can stop at any time.\n\n"
        "Is that OK?"
    ),
    "consent.yes": "Yes, that is OK",
    "consent.no": "No, thank you",
    "consent.given.person": (
        "Thank you, {name}. I will send your first check-in on {day} {window}. "
        "You can also send me a message at any time."
    ),
    "consent.given.carer": (
        "Thank you, {name}. You can send me a message at any time "
        "about {service}. I will give you a reference and tell you what happens."
    ),
    "consent.given.staff": "Thank you, {name}. You are set up. Send /help to see what you can do.",
    "consent.declined": (
        "That is fine. I will not ask you anything. "
        "If you change your mind, ask for a new code."
    ),
    "consent.needed": "Before we start, please tap one of the buttons above to say if that is OK.",
    # Check-ins
    "checkin.hello": (
        "Hello {name}. It is time for your check-in about {service}. It takes about a minute."
    ),
    "question.fft": "Overall, how was your experience of our service?",
    "question.safe": "Do you feel safe with the people who support you?",
    "question.control": "Do you have a say in what happens in your day?",
    "question.dignity": "Do the people who support you treat you with respect?",
    "question.on_time": "Do your carers come when they should, and stay the right time?",
    "question.food": "Do you get the food and drink you want?",
    "question.company": "Do you have people to talk to and things to do that you enjoy?",
    "question.informed": "Do people tell you what is going on with your care?",
    "question.free.working": "What is working well for you? You can type, or tap No thanks.",
    "question.free.not_working": (
        "Is anything not working for you? You can type, or tap No thanks."
    ),
    "question.free.future": (
        "What matters most to you for the future? You can type, or tap No thanks."
    ),
    "choice.very_good": "😀 Very good",
    "choice.good": "🙂 Good",
    "choice.neither": "😐 Neither good nor poor",
    "choice.poor": "🙁 Poor",
    "choice.very_poor": "😞 Very poor",
    "choice.dont_know": "Don't know",
    "choice.always": "😀 Always",
    "choice.mostly": "🙂 Mostly",
    "choice.sometimes": "😐 Sometimes",
    "choice.rarely": "🙁 Not often",
    "choice.never": "😞 Never",
    "choice.skip": "Skip",
    "choice.no_thanks": "No thanks",
    "choice.talk": "Talk to a person",
    "checkin.you_said": "{question}\n\nYou said: {answer}",
    "checkin.skipped": "{question}\n\nYou skipped this one.",
    "checkin.noted": "Thank you. I have kept what you wrote.",
    "checkin.thanks": (
        "Thank you. Your answers go to the people who plan and check your care. "
        "We will tell you what changes."
    ),
    "checkin.closed": "That question has closed. Thank you. I will ask you again next time.",
    "checkin.already_answered": "You have already answered that one. Thank you.",
    # Talking to a person
    "talk.done": (
        "I have asked the team at {service} to get in touch with you. "
        "If you are in danger now, call 999."
    ),
    "talk.staff_notice": "{name} at {service} has asked to talk to a person. Please get in touch.",
    # Feedback at any time
    "feedback.kind": "Thank you. Is this a problem, a compliment or an idea?",
    "feedback.problem": "A problem",
    "feedback.compliment": "A compliment",
    "feedback.idea": "An idea",
    "feedback.saved": (
        "Thank you. I have passed this on. Your reference is {reference}. "
        "I will tell you what happens."
    ),
    # Odd input
    "odd.media": (
        "Thank you. I cannot look at photos, stickers, voice notes or files yet. "
        "Please type your message in words, or tap a button."
    ),
    "odd.too_long": (
        "Thank you. That is a long message. I have kept all of it."
    ),
    "odd.not_enrolled": (
        "Hello. I do not know you yet. To join, you need a code from your council "
        "or care provider. Then send: /start and your code."
    ),
    "odd.not_allowed": "Sorry, you cannot use that here. Send /help to see what you can do.",
    "odd.unknown_button": "Sorry, that button does not work any more.",
    "odd.stopped": "You asked me to stop. To join again, ask for a new code.",
    "odd.our_fault": (
        "Sorry, something went wrong on our side. What you said before is kept. "
        "Please try again later."
    ),
    # Help
    "help.person": (
        "I ask you about your care now and then. Tap a button to answer.\n\n"
        "You can send me a message at any time. "
        "Send /talk if you want to talk to a person."
    ),
    "help.carer": (
        "Send me a message at any time about the care of the person you look after. "
        "I will give you a reference and tell you what happens."
    ),
    "help.staff": (
        "I send you a short report every week. "
        "Send /digest to get the latest one now."
    ),
    # Staff
    "digest.ready": "Here is your weekly report for {period}.\n\n{summary}",
    "alert.duty": (
        "Please check on someone at {service} today. Something they said may need action."
    ),
}


def text(key: str, **values: Any) -> str:
    """The text for `key`, with its {placeholders} filled in."""
    template = TEXTS[key]
    return template.format(**values) if values else template


def all_texts() -> list[tuple[str, str]]:
    """Every text, for review and translation."""
    return sorted(TEXTS.items())
