"""Every word carebot says to a person, in one place, so it can be reviewed and translated.

Rules for writing here: short sentences, one question per message, everyday words.
Placeholders use str.format names, e.g. {name}. A text with a count is a (one, many)
pair in PLURALS; each language's catalogue (translations/po/) gives it as many forms as
that language needs. English is the source: a key with no translation is said in English.
"""

from __future__ import annotations

from typing import Any

from babel.numbers import format_decimal

from carebot.translations.catalogues import translated, translated_plural
from carebot.translations.speaking import language_now

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
        "Your answers help the people who plan and check your care."
    ),
    "consent.ask.carer": (
        "Hello {name}. You can tell me about the care at {service} at any time. "
        "Send me a problem, a thank you or an idea. "
        "I will give you a reference and tell you what happens."
    ),
    # Said to people and carers after consent.ask, in the same message, before Yes or No.
    "consent.who_sees": (
        "Who sees what you tell me:\n"
        "• Someone at {provider} reads all you write or send me, with your name. "
        "The council may read it too.\n"
        "• If you tell me someone may not be safe, I will tell the duty team for {service}. "
        "It may go to the council's safeguarding team too.\n"
        "• Reports never show your name.\n\n"
        "{controller} is in charge of your data. "
        "You can read how they use it: {privacy_notice}\n\n"
        "You can stop at any time. Is that OK?"
    ),
    "consent.yes": "Yes, that is OK",
    "consent.no": "No, thank you",
    "consent.given.person": (
        "Thank you, {name}. I will send your first check-in on {when}. "
        "Send /schedule to choose another day or time. "
        "You can also send me a message at any time."
    ),
    "consent.given.person_again": (
        "Thank you, {name}. I will send your next check-in on {when}. "
        "Send /schedule to choose another day or time."
    ),
    "consent.given.carer": (
        "Thank you, {name}. Send me a message about {service} at any time. "
        "I will give you a reference and tell you what happens. "
        "Send /mine to see where things are.\n\n"
        "Would you like check-ins about how you are? Send /schedule. "
        "Send /help to see more."
    ),
    "consent.given.staff": "Thank you, {name}. You are set up. Send /help to see what you can do.",
    "consent.ask.staff": (
        "Hello {name}. You are joining carebot as {role} for {place}. "
        "I keep your name and this chat, so that I can send you {what}.\n\nIs that OK?"
    ),
    "role.provider": "a care provider",
    "role.duty_contact": "a duty contact",
    "role.commissioner": "a commissioner",
    "role.board_member": "a board member",
    "role.admin": "an admin",
    "role_sends.provider": "problems, thank yous and ideas from the people you support",
    "role_sends.duty_contact": "safeguarding alerts and requests to talk to a person",
    "role_sends.commissioner": "weekly reports and new problems",
    "role_sends.board_member": "a short weekly report with no names in it",
    "role_sends.admin": "notes about how carebot is running",
    # Staff are told every service they will hear from, as the routing decides.
    "consent.given.provider": (
        "Thank you, {name}. I will tell you of each new problem at {services}. "
        "Send /issues to see what is open, or /help for more."
    ),
    "consent.given.duty_contact": (
        "Thank you, {name}. I will send you safeguarding alerts and requests to talk "
        "from {services}. Please act on each one the same day. Send /help for more."
    ),
    "consent.given.duty_contact.backup": (
        "Thank you, {name}. You are the backup for {services}. If nobody acts on an alert "
        "there in time, I will send it to you. Please act on it the same day. "
        "Send /help for more."
    ),
    "consent.given.duty_contact.none": (
        "Thank you, {name}. No service sends its alerts to you yet. "
        "The council will choose which ones do. Send /help for more."
    ),
    "consent.given.commissioner": (
        "Thank you, {name}. Each week I will send you a report on {services}. "
        "I will tell you of new problems there too. Send /help to see what you can do."
    ),
    "consent.alerts_later": (
        "If nobody acts in time on a safeguarding alert from {services}, "
        "I will send it to you. Please act on it the same day."
    ),
    "consent.alerts_first": (
        "I will also send you safeguarding alerts and requests to talk from {services}. "
        "Please act on each one the same day."
    ),
    "consent.your_care": "your care",
    "consent.your_provider": "your care team",
    "list.and": "{most} and {last}",
    "list.more": "{count} more",
    # A long message sent in parts ends each part with this (conversations/fitting.py).
    "part.label": "Part {part} of {parts}.",
    "consent.given.board_member": (
        "Thank you, {name}. I will send you a short report each week. "
        "It has no names in it. Send /digest to get one now."
    ),
    "consent.declined": (
        "That is fine. I will not ask you anything. "
        "If you change your mind, send /start."
    ),
    "consent.needed": "Before we start, please tap one of the buttons above to say if that is OK.",
    # Check-ins
    "checkin.hello": (
        "Hello {name}. It is time for your check-in about {service}. It takes about a minute."
    ),
    "checkin.reminder": (
        "Hello {name}. Your check-in about {service} is still here. "
        "It takes about a minute. Would you like to do it now?"
    ),
    "checkin.still_waiting": "Your check-in is still here. When you are ready:",
    "checkin.who_helps": "Who is helping you today?",
    "checkin.not_now": "That is fine. I will ask you again tomorrow.",
    "checkin.not_now_last": "That is fine. I will ask you next time.",
    "checkin.one_waiting": "You have a check-in waiting. Here it is again.",
    "checkin.none_yet": "You do not have check-ins yet. Send /schedule to choose when.",
    "question.fft": "Overall, how was your experience of {service}?",
    "question.safe": "Do you feel safe with the people who support you?",
    "question.control": "Do you have a say in what happens in your day?",
    "question.dignity": "Do the people who support you treat you with respect?",
    "question.arrive": "Do your carers come when they should?",
    "question.stay": "Do your carers stay as long as they should?",
    "question.food": "Do you get the food and drink you want?",
    "question.talk_to": "Do you have people to talk to when you want?",
    "question.activities": "Do you get to do things you enjoy?",
    "question.informed": "Do people tell you what is going on with your care?",
    # Asked until each was split in two (issue 32): kept to show the answers given to them.
    "question.on_time": "Do your carers come when they should, and stay the right time?",
    "question.company": "Do you have people to talk to and things to do that you enjoy?",
    "question.carer_overall": "Overall, how are things for you as a carer at the moment?",
    "question.carer_support": "Do you get the help you need to care?",
    "question.carer_time": "Do you get time for yourself?",
    "question.carer_informed": "Do staff tell you what you need to know about the care?",
    "question.carer_listened": "Do staff listen to you?",
    "question.carer_health": "Do you feel well in yourself?",
    "question.free.working": "What is working well for you? You can type, or tap No thanks.",
    "question.free.not_working": (
        "Is anything not working for you? You can type, or tap No thanks."
    ),
    "question.free.future": (
        "What matters most to you for the future? You can type, or tap No thanks."
    ),
    "question.free.more": (
        "Is there anything else you want to tell us? You can type, or tap No thanks."
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
    "choice.start": "Start",
    "choice.helper": "Someone is helping me",
    "choice.not_now": "Not now",
    "choice.helper_family": "Family",
    "choice.helper_carer": "A carer",
    "choice.helper_advocate": "An advocate",
    "choice.helper_someone": "Someone else",
    "checkin.service_from": "{service} from {provider}",
    "checkin.you_said": "{question}\n\nYou said: {answer}",
    "checkin.skipped": "{question}\n\nYou skipped this one.",
    "checkin.thanks": (
        "Thank you. Your answers go to the people who plan and check your care. "
        "We will tell you what changes."
    ),
    "checkin.closed": "That question has closed. Thank you. I will ask you again next time.",
    "checkin.already_answered": "You have already answered that one. Thank you.",
    "checkin.words_added": "Thank you. I have kept what you wrote with your last answer.",
    # A reply (Telegram's reply) to an earlier question answers that question.
    "checkin.reply_kept": "Thank you. I have kept this with your answer to: {question}",
    "checkin.reply_kept_again": (
        "Thank you. I have kept this with your answer to: {question}\n\n"
        "What you said before is kept too."
    ),
    "checkin.reply_still_waiting": "I still need your answer to the question above: {question}",
    "checkin.reply_closed": "That question has closed, so I have kept this as a new message.",
    # Talking to a person
    "talk.done": (
        "I have asked the duty team for {service} to get in touch with you. "
        "If you are in danger now, call 999."
    ),
    "talk.already": (
        "I have already asked the duty team for {service} to get in touch with you today. "
        "If you are in danger now, call 999."
    ),
    "talk.no_contact": (
        "I am sorry. I cannot reach the duty team for {service} from here. "
        "Please ask someone you trust to help you contact them. "
        "If you are in danger now, call 999."
    ),
    "talk.no_service": (
        "I am sorry. I cannot reach a care team for you from here. "
        "Please ask someone you trust to help. If you are in danger now, call 999."
    ),
    "talk.staff": (
        "Asking to talk to a person is for people who get care, and their carers. "
        "It tells their care team. Here is what you can do:\n\n{help}"
    ),
    # Feedback at any time
    "feedback.kind": "Thank you. Is this a problem, a thank you, or an idea?",
    "feedback.reply_new": "Thank you. I have kept this as a new message.",
    # Someone else's message, forwarded: kept as passed on, never as the person's words.
    "feedback.forwarded": (
        "I have kept this as a message you passed on from {origin}, "
        "not as your own words."
    ),
    "feedback.problem": "A problem",
    "feedback.compliment": "A thank you",
    "feedback.idea": "An idea",
    # A message that worries us is kept as a problem at once, never asked about.
    "feedback.risk_kept": (
        "I have kept your message as a problem. Your reference is {reference}. "
        "{provider} and the council can read it too. I will tell you what happens."
    ),
    "feedback.risk_kept_council": (
        "I have kept your message as a problem. Your reference is {reference}. "
        "{provider} will not see your name or words unless the council says so."
    ),
    "feedback.saved": (
        "Thank you. I have passed this on. Your reference is {reference}. "
        "I will tell you what happens."
    ),
    # A thank you is passed on, and that is all; an idea is passed on, and the person hears
    # only if staff answer it or change something. Neither is promised more than that.
    # {service} is the service, or the council when nobody at the service can be told.
    "feedback.saved.compliment": (
        "Thank you. I have passed this on to {service}. Your reference is {reference}."
    ),
    "feedback.saved.idea": (
        "Thank you. I have passed your idea on to {service}. Your reference is {reference}. "
        "If they answer it or change something, I will tell you."
    ),
    "feedback.saved.nobody": (
        "Thank you. I have kept this. Your reference is {reference}. "
        "I cannot pass it on to {service} from here yet."
    ),
    # What happened to feedback: told to the person who raised it, and /mine
    "issue.kind.problem": "problem",
    "issue.kind.compliment": "thank you",
    "issue.kind.idea": "idea",
    "issue.kind.none": "message",
    "issue.a_kind.problem": "a problem",
    "issue.a_kind.compliment": "a thank you",
    "issue.a_kind.idea": "an idea",
    "issue.a_kind.none": "a message",
    "issue.status.open": "waiting to be read",
    "issue.status.seen": "read, not yet sorted",
    "issue.status.in_progress": "being looked at",
    "issue.status.resolved": "sorted",
    "issue.status.closed_no_action": "closed, with no change",
    "issue.news.seen": "{organisation} has read your {kind} {reference}.",
    "issue.news.in_progress": "Your {kind} {reference} is being looked at by {organisation}.",
    "issue.news.resolved": (
        "Your {kind} {reference} is sorted. What {organisation} did: {note}\n\nWas this OK?"
    ),
    "issue.news.closed_no_action": (
        "{organisation} has closed your {kind} {reference} without a change. "
        "They said: {note}\n\nIs that OK?"
    ),
    "issue.news.open": "Your {kind} {reference} is open again. {organisation} will look at it.",
    "issue.ok.yes": "Yes",
    "issue.ok.no": "No",
    "issue.ok.thanks": "Thank you for telling me.",
    "issue.ok.reopened": (
        "Thank you for telling me. I have opened {reference} again "
        "and told {organisation}. I will tell you what happens."
    ),
    # A problem nobody has read in twice `issue_seen_within_days` working days: the person
    # hears it is late, and who has been told (an organisation, never a member of staff).
    "issue.late": (
        "I am sorry. Your problem {reference} is taking longer than it should. "
        "{provider} has not read it yet. So I have told {council}. "
        "They check the care in your area. I will tell you what happens."
    ),
    "issue.late.no_council": (
        "I am sorry. Your problem {reference} is taking longer than it should. "
        "{provider} has not read it yet. I cannot reach the council about it from here. "
        "Send /talk if you want someone to get in touch."
    ),
    "mine.none": (
        "You have not sent me a problem, a thank you or an idea yet. "
        "You can send one at any time."
    ),
    "mine.header": "Here is what you sent me, newest first.",
    "mine.item": "{reference}, {kind} from {date}: {status}.",
    "mine.note": "They said: {note}",
    "mine.not_yours": (
        "I cannot find {reference} in the messages you sent me. Send /mine to see yours."
    ),
    # Staff working on issues
    "who.carer": "{name} (who cares for {cares_for})",
    "who.forwarded": "{name}, passing on words from {origin}",
    "issues.none": "Nothing is waiting for an answer. Thank you.",
    "issues.none_covered": "You do not look after a service here yet.",
    "issues.item": (
        "{reference}: {kind} about {service}, from {name} on {date}. Now: {status}.\n\n"
        "\"{words}\""
    ),
    "issues.more_button": "Show more",
    "issues.seen": "Seen",
    "issues.progress": "Working on it",
    "issues.resolve": "Sorted: add a note",
    "issues.close": "Close with no change",
    "issues.ask_resolve": (
        "What was done about {reference}? Type it in one message, in words the person "
        "will understand. I will show it to you before it goes to them."
    ),
    "issues.ask_close": (
        "Why is {reference} closed with no change? Type it in one message, in words the "
        "person will understand. I will show it to you before it goes to them."
    ),
    "issues.moved": "{reference} is now: {status}. The person who raised it has been told.",
    "issues.moved_on": "{reference} has moved on already. Send /issues to see where it is.",
    "issues.not_yours": "Sorry, {reference} is not at one of your services.",
    "issues.new": (
        "New {kind} {reference} about {service}, from {name}:\n\n\"{words}\"\n\n"
        "Send /issues to work on it."
    ),
    "issues.held_by_council": (
        "{reference} may be about a member of staff. The council's safeguarding team has it "
        "first, so it cannot be changed here yet. They will contact you."
    ),
    "issues.new_held": (
        "New problem {reference} about {service}. It may be about a member of staff, so "
        "the council's safeguarding team has it first. They will contact you."
    ),
    "issues.reopened": (
        "{reference} about {service} is open again: {name} says it is not sorted. "
        "Send /issues to work on it."
    ),
    "issues.daily": "New at your services in the last day: {count}.\n\n{lines}\n\n"
                    "Send /issues to work on them.",
    "issues.daily_line": "{reference}: {kind} about {service}",
    # Staff reading everything people send (/read)
    "read.none_covered": "You do not look after a service here yet.",
    "read.none": "Everything has been read. Thank you.",
    "read.header": "Waiting to be read: {count}. The most worrying come first.",
    "read.from": "From {name}, {date}.",
    "read.answered": "An answer to: \"{question}\"",
    "read.edited": "(They changed a message. This is the new version.)",
    "read.flagged": "carebot thinks this may be a worry. Why: {why}.",
    "read.safety": "This answer may be a worry: {answer}.",
    "read.sent_media": "They sent {what}. It is below.",
    "read.no_words": "(no words)",
    "read.media_gone": "They sent {what}. It can no longer be shown.",
    "read.button.read": "Read",
    "read.button.concern": "Safeguarding concern",
    "read.button.problem": "Raise as a problem",
    "read.button.not_concern": "Not a concern",
    "read.button.page": "Mark these as read",
    "read.page_prompt": (
        "That is all for now. When you have read these, tap below. "
        "Flagged ones need their own button."
    ),
    "read.each_its_own": "That is all for now. Each of these needs its own button.",
    "read.alerted": "Alert {reference} was raised for this.",
    "read.language": "Written in {language}.",
    "read.marked": "Marked as read: {count}.",
    "read.done_read": "Read. Thank you.",
    "read.done_not_concern": "Marked as not a concern. carebot will learn from this.",
    "read.ask_concern": (
        "What worries you about this? Type it in one message. "
        "It goes to the duty team with the person's words."
    ),
    "read.concern_confirm": (
        "This goes to the duty team for {service} as a safeguarding concern:\n\n{note}"
    ),
    "read.concern_raised": (
        "Alert {reference} is raised. It goes to the duty team for {service}, "
        "and on to the next person until someone acts."
    ),
    "read.concern_nobody": (
        "Alert {reference} is kept, but nobody on the duty team for {service} can be reached. "
        "Please call them."
    ),
    "read.concern_known": (
        "Alert {reference} was raised for this already. Your note is added to it."
    ),
    "read.note_to_holder": (
        "{name} read what was sent and added a note to alert {reference}:\n\n{note}"
    ),
    "read.problem_raised": "Raised as problem {reference}. {name} has been told.",
    "read.problem_for_person": (
        "Thank you for what you sent. {service} will look into it as a problem. "
        "Your reference is {reference}. I will tell you what happens."
    ),
    "read.already_problem": "This is problem {reference} already. Send /issues to work on it.",
    "read.gone": "Sorry, I cannot find that now.",
    "read.morning": (
        "Good morning. Things waiting to be read at your services: {count}. "
        "Send /read to see them. The most worrying come first."
    ),
    "read.overdue": (
        "Messages at {service} that nobody has read for more than {hours} hours: {count}. "
        "Please send /read."
    ),
    "read.late": (
        "Messages at {service} that nobody has read for more than {hours} hours: {count}. "
        "The oldest came on {date}. Send /read to see them."
    ),
    "media.photo": "a photo",
    "media.video": "a video",
    "media.document": "a file",
    "media.voice": "a voice note",
    "media.audio": "a sound recording",
    "media.animation": "a moving picture",
    "media.video_note": "a video message",
    "media.sticker": "a sticker",
    "media.location": "a place on a map",
    "media.contact": "a phone contact",
    "media.some": "a photo or file",
    # A worrying answer to a safety question
    "safety.ask": (
        "Thank you for telling me. Would you like someone from the duty team "
        "for {service} to get in touch with you?"
    ),
    "safety.button.yes": "Yes, please",
    "safety.button.not_now": "Not now",
    "safety.not_now_done": (
        "That is fine. Someone will read your answer. "
        "If you change your mind, send /talk."
    ),
    "issues.new.compliment": (
        "A thank you {reference} for {service}, from {name}:\n\n\"{words}\"\n\n"
        "Please pass it on to the team."
    ),
    "issues.new.idea": (
        "New idea {reference} for {service}, from {name}:\n\n\"{words}\"\n\n"
        "Send /issues to answer it. They will hear what you say."
    ),
    # A problem nobody has marked seen in `issue_seen_within_days` working days, to the
    # provider's staff, with the buttons /issues shows; twice as long, to the council.
    "issues.remind": (
        "Reminder: nobody has marked {reference} as seen. It has waited {waited}. "
        "Please read it today and tap a button.\n\n{item}"
    ),
    "issues.escalated": (
        "{reference} has waited {waited}, and nobody at {provider} has marked it seen. "
        "They have had a reminder. Please follow it up with them. "
        "The person who sent it knows that you have been told.\n\n{item}"
    ),
    "issues.escalated.unreached": (
        "{reference} has waited {waited}, and nobody at {provider} has marked it seen. "
        "I cannot reach anyone at {provider} about it. Please follow it up with them. "
        "The person who sent it knows that you have been told.\n\n{item}"
    ),
    # A chased problem whose words may accuse a member of staff: no name and no words,
    # as when it was new ("issues.new_held").
    "issues.item_held": (
        "{reference}: {kind} about {service}, sent on {date}. Now: {status}.\n\n"
        "It may be about a member of staff. The council's safeguarding team has the words."
    ),
    "notices.ask": "How do you want to hear about new problems at your services?",
    "notices.each": "Each one as it comes",
    "notices.daily": "Once a day",
    "notices.saved.each": "Done. I will tell you about each new problem as it comes.",
    "notices.saved.daily": "Done. I will send you one summary each morning.",
    # "You said, we did"
    "action.about": "about {topic}",
    "action.news": (
        "You said, we did: {service}\n\nYou told us {you_said}.\n\n{we_did}\n\n"
        "Thank you for telling us. It helps us make care better."
    ),
    "action.pick_service": "Which service is this about?",
    # Buttons that page through a long list of choices, a few at a time.
    "page.more": "Next page",
    "page.back": "Previous page",
    "action.pick_theme": (
        "What did people tell you about? These came up most in the last four weeks."
    ),
    "action.other_theme": "Something else",
    "action.said_general": "what could be better",
    "action.ask_did": (
        "What has changed because of it? Type it in one message, in words people will "
        "understand. For example: We now text you if we will be more than 15 minutes late."
    ),
    "action.no_services": "You do not look after a service here yet.",
    # A note a member of staff types, shown to them before it goes
    "draft.confirm": "This goes to the person who raised {reference}:\n\n{message}\n\nSend it?",
    "draft.send": "Send it",
    "draft.change": "Change it",
    "draft.cancel": "Cancel",
    "draft.again": "Please type it again, in one message.",
    "draft.cancelled": "Cancelled. Nothing was sent.",
    "draft.gone": "That has been dealt with already. Nothing more was sent.",
    # Ends a note too long to show whole before it is saved or sent (it is kept whole).
    "draft.shortened": (
        "…\n\n(This is only the start, as it is long. If you tap Send it, all of it goes.)"
    ),
    # Choosing a language: each button is the language's name in itself.
    "language.ask": "Which language would you like me to use?",
    "language.set": "I will use English from now on. Send /language to change it.",
    "command.language": "Choose your language",
    # A voice note, video note, photo or file from a person or carer.
    "thanks.media": "Thank you. Someone from {service} will listen to this or look at it.",
    "thanks.voice": "Thank you. Someone from {service} will listen to this.",
    "thanks.picture": "Thank you. Someone from {service} will look at this.",
    # Easy-read check-ins: one short sentence a message, three answers with pictures.
    "easy.start": "Hello {name}, here are some questions about your care.",
    # Asked instead of consent.ask and consent.who_sees when the invite says easy read.
    "easy.consent": (
        "Hello {name}. I will ask you about your care at {service}.\n\n"
        "People at {provider} will read what you send me. They will see your name.\n\n"
        "If you are not safe, I will tell people who can help.\n\n"
        "You can stop at any time.\n\n"
        "{controller} looks after what you tell me. You can read more here: {privacy_notice}"
        "\n\nIs that OK?"
    ),
    # The caption of the picture of three faces that starts an easy-read check-in.
    "easy.key": (
        "A smiling face means Good or Yes. A straight face means OK or Sometimes. "
        "A sad face means Not good or No."
    ),
    "easy.question.fft": "Is your care from {service} good?",
    "easy.question.safe": "Do you feel safe with your carers?",
    "easy.question.control": "Do you choose what you do each day?",
    "easy.question.dignity": "Are your carers kind to you?",
    "easy.question.arrive": "Do your carers come on time?",
    "easy.question.stay": "Do your carers stay long enough?",
    "easy.question.food": "Do you like your food and drinks?",
    "easy.question.talk_to": "Do you have people to talk to?",
    "easy.question.activities": "Do you do things you like?",
    "easy.question.informed": "Do people tell you about your care?",
    "easy.question.more": "Tell us more if you want, by typing or in a voice note.",
    "easy.choice.good": "Good",
    "easy.choice.ok": "OK",
    "easy.choice.bad": "Not good",
    "easy.choice.yes": "Yes",
    "easy.choice.sometimes": "Sometimes",
    "easy.choice.no": "No",
    "easy.thanks": "Thank you. That is all for today.",
    "easy.setting": "Would you like easy read questions? They are short, with pictures.",
    "easy.on": "I will use easy read from now on. Send /easyread to change it.",
    "easy.off": "I will use the usual questions from now on. Send /easyread to change it.",
    "command.easyread": "Short questions with pictures",
    # Odd input
    "odd.media": "Sorry, I cannot pass this on. Please type your message, or tap a button.",
    "odd.too_long": (
        "Thank you. That is a long message. I have kept all of it."
    ),
    "odd.not_enrolled": (
        "Hello. I do not know you yet. To join, you need a code from your council "
        "or care provider. Then send: /start and your code."
    ),
    "odd.not_allowed": "Sorry, you cannot use that here. Send /help to see what you can do.",
    "odd.unknown_button": "Sorry, that button does not work any more.",
    "odd.own_message": (
        "That is a message I sent you, so I have not kept it. "
        "If you want to tell me something, type it in your own words."
    ),
    "odd.private_only": (
        "Hello. I only talk with people one to one, so that what they say stays private. "
        "Please send me a message in a private chat."
    ),
    "odd.stopped": "You asked me to stop. Send /start if you want to join again.",
    "odd.edited": (
        "I have kept what you wrote first, and your change. "
        "Next time, you can just send a new message."
    ),
    "odd.edited_command": (
        "I only act on a command when it is first sent. "
        "To use it now, please send it again as a new message."
    ),
    "odd.our_fault": (
        "Sorry, something went wrong on our side. What you said before is kept. "
        "Please try again later."
    ),
    # Choosing when
    "schedule.how_often": "How often would you like a check-in?",
    "schedule.which_day": "Which day suits you best?",
    "schedule.which_time": "What time of day suits you best?",
    "schedule.saved": "Thank you. I will send your next check-in on {when}.",
    "schedule.current": "Your check-ins come {frequency}, on {day} {window}.",
    # When something will happen: "Tuesday 24 November, in the morning".
    "when.date_and_time": "{date}, {time_of_day}",
    "time_of_day.morning": "in the morning",
    "time_of_day.afternoon": "in the afternoon",
    "time_of_day.evening": "in the evening",
    "choice.weekly": "Every week",
    "choice.fortnightly": "Every two weeks",
    "choice.monthly": "Every four weeks",
    "choice.morning": "Morning (10am to 12 noon)",
    "choice.afternoon": "Afternoon (2pm to 5pm)",
    "choice.evening": "Evening (6pm to 8pm)",
    "choice.day_0": "Monday",
    "choice.day_1": "Tuesday",
    "choice.day_2": "Wednesday",
    "choice.day_3": "Thursday",
    "choice.day_4": "Friday",
    "choice.day_5": "Saturday",
    "choice.day_6": "Sunday",
    "pause.how_long": "How long should I stop asking? You can still send me a message.",
    "choice.pause_7": "One week",
    "choice.pause_14": "Two weeks",
    "choice.pause_28": "Four weeks",
    "choice.pause_0": "Until I say",
    "pause.until": "I will not send check-ins until {date}. Send /resume to start again sooner.",
    "pause.open": "I will not send check-ins until you send /resume.",
    "resume.done": "Welcome back. I will send your next check-in on {when}.",
    "resume.not_paused": "Your check-ins are not paused. The next one is on {when}.",
    "stop.done": (
        "I will not send you any more check-ins. What you told us is kept. "
        "Send /start if you want to join again."
    ),
    "start.welcome_back": "Welcome back, {name}.",
    # Your data
    "mydata.summary": (
        "Here is what I keep about you, {name}.\n\n"
        "Check-ins: {checkins}. Answers: {answers}. Messages: {messages}.\n\n"
        "Who sees it: staff at {provider} read your messages, with your name. "
        "The council may read them too. Reports never show your name.\n\n"
        "I keep your words for {kept_for}. Then I delete them. "
        "Your button answers stay, so they still count.\n\n"
        "The file below has all of it. Send /forget if you want me to delete it."
    ),
    "forget.ask": (
        "This deletes your name and everything you wrote to me. "
        "Your button answers stay, with no name, so they still count. "
        "You will get no more messages. Do you want me to do this?"
    ),
    "duty.leaving": (
        "Please note: you are the duty contact for {services}. "
        "If you leave, their safeguarding alerts will reach nobody "
        "until the council names someone else. If you do leave, I will tell the admin."
    ),
    "forget.yes": "Yes, forget me",
    "forget.no": "No, keep it",
    "forget.done": (
        "Done. I have deleted your name and your words. "
        "If you told us something about your safety, that record is kept, as the law asks. "
        "Goodbye, and thank you."
    ),
    "forget.kept": "That is fine. I have kept everything as it was.",
    "forget.staff": (
        "I keep your name and this chat as a staff record, so that alerts and reports "
        "reach the right person. I cannot delete it from here. To change or remove it, "
        "please ask the person who runs carebot for your council."
    ),
    "mydata.staff": (
        "Here is what I keep about you, {name}: your name, your role and this chat. "
        "The file below has all of it.\n\n"
        "It is kept as a staff record. To change or remove it, "
        "please ask the person who runs carebot for your council."
    ),
    # The menu of commands, per role
    "command.start": "Join with your code",
    "command.help": "What I can do",
    "command.talk": "Talk to a person",
    "command.checkin": "Do a check-in now",
    "command.schedule": "Choose when I ask",
    "command.pause": "Stop for a while",
    "command.resume": "Start again",
    "command.stop": "No more check-ins",
    "command.digest": "Get this week's report now",
    "command.mydata": "What I keep about you",
    "command.forget": "Delete your name and words",
    "command.mine": "News on what you sent",
    "command.issues": "Open problems at your services",
    "command.read": "Read what people sent",
    "command.notices": "When you hear of problems",
    "command.action": "Tell people what changed",
    "command.stop.staff": "Leave carebot",
    # Help
    "help.person": (
        "I ask you about your care now and then. Tap a button to answer.\n\n"
        "You can send me a message at any time.\n"
        "/talk - talk to a person.\n"
        "/mine - see what happened to what you sent me.\n"
        "/checkin - do a check-in now.\n"
        "/schedule - choose when I ask.\n"
        "/pause - stop for a while, for example in hospital.\n"
        "/resume - start again.\n"
        "/stop - no more check-ins.\n"
        "/language - choose your language.\n"
        "/easyread - short questions with pictures.\n"
        "/mydata - see what I keep about you.\n"
        "/forget - delete your name and words."
    ),
    "help.carer": (
        "Send me a message at any time about the care of the person you look after. "
        "I will give you a reference and tell you what happens.\n\n"
        "/talk - talk to a person.\n"
        "/mine - see what happened to what you sent me.\n"
        "/schedule - get check-ins about how you are.\n"
        "/checkin - do a check-in now.\n"
        "/pause - stop check-ins for a while.\n"
        "/resume - start them again.\n"
        "/language - choose your language.\n"
        "/mydata - see what I keep about you.\n"
        "/forget - delete your name and words.\n"
        "/stop - no more messages from me."
    ),
    "help.commissioner": (
        "Each week I send you a short report on the care your council pays for.\n\n"
        "/issues - problems, thank yous and ideas still open, oldest first.\n"
        "/read - what people sent that has waited too long to be read.\n"
        "/action - tell people what changed because of what they said.\n"
        "/digest - this week's report now.\n"
        "/language - choose your language.\n"
        "/mydata - see what I keep about you.\n"
        "/stop - no more messages from me."
    ),
    "help.provider": (
        "People who use your services, and their carers, send problems, thank yous and "
        "ideas here. Each one needs an answer: they hear every step.\n\n"
        "/issues - what is still open, oldest first, with buttons to move it on.\n"
        "/read - what people sent, the most worrying first.\n"
        "/action - tell people what changed because of what they said.\n"
        "/digest - a report on your services now.\n"
        "/notices - hear of new problems as they come, or once a day.\n"
        "/language - choose your language.\n"
        "/mydata - see what I keep about you.\n"
        "/stop - no more messages from me."
    ),
    "help.duty_contact": (
        "I send you safeguarding alerts and requests to talk to a person, "
        "for the services you cover. Please act on each one the same day, "
        "and tap a button to say what you did.\n\n"
        "/issues - problems still open at your services.\n"
        "/read - what people sent, the most worrying first.\n"
        "/language - choose your language.\n"
        "/mydata - see what I keep about you.\n"
        "/stop - leave carebot. Tell the council first, so that someone else gets your alerts."
    ),
    "help.board_member": (
        "I send you a short report on your council's services each week. "
        "It has no names in it.\n\n"
        "/digest - this week's report now.\n"
        "/language - choose your language.\n"
        "/mydata - see what I keep about you.\n"
        "/stop - no more messages from me."
    ),
    "help.staff": (
        "You are set up in carebot.\n\n"
        "/language - choose your language.\n"
        "/mydata - see what I keep about you.\n"
        "/stop - no more messages from me.\n"
        "Send /help at any time to see this again."
    ),
    # Staff
    "digest.which": "Which weeks should the report cover?",
    "digest.this_week": "The last 7 days",
    "digest.last_week": "Last full week",
    "digest.four_weeks": "The last 4 weeks",
    "digest.change_day": "Change the day it comes",
    "digest.which_day": "Which day should your weekly report come?",
    "digest.day_saved": "Done. Your weekly report will come each {day} morning.",
    "digest.ready": "Here is your report for {period}.\n\n{summary}",  # a week, or 4
    # The read list in digests and packs (reports/staff_reading.py): how quickly staff
    # read what people sent. Counts of staff work, so never hidden as small numbers.
    "report.read_list.heading": "Did staff read what people sent?",
    "report.read_list.about": (
        "This counts what people wrote or sent. "
        "It also counts answers that say they do not feel safe."
    ),
    "report.read_list.none": "Nothing was sent to read in this period.",
    "report.read_list.read": "Messages read within a day: {read} of {count} ({percent}%).",
    "report.read_list.new": (
        "Sent less than a day ago and not read yet: {count}. They are not counted yet."
    ),
    "report.read_list.unread": "Sent in this period and not read yet: {count}.",
    "report.read_list.not_words": "Sent as a voice note, photo or file, with no words: {count}.",
    "report.read_list.oldest": "Oldest not read yet: sent {days} days ago.",
    "report.read_list.oldest_one": "Oldest not read yet: sent 1 day ago.",
    "report.read_list.oldest_new": "Oldest not read yet: sent less than a day ago.",
    "report.read_list.none_waiting": "Oldest not read yet: none waiting.",
    "alert.duty": (
        "Safeguarding {level}: please check on {name} at {service} today.\n\n"
        "{said}: \"{words}\"\n\nWhy it was flagged: {why}.{also}\nAlert {reference}."
    ),
    "alert.level.concern": "concern",
    "alert.level.urgent": "urgent",
    "alert.part.told_by": "Their carer, {carer},",
    "alert.part.wrote": "{name} wrote",
    "alert.part.forwarded_by": "{name} forwarded a message from {origin}",
    "alert.part.their_person": "the person {carer} cares for",
    "alert.part.someone": "someone",
    "alert.part.reader_concern": "{name} read it and is worried: {note}",
    "alert.part.also_problem": "It is also kept as problem {issue}.",
    "alert.person": (
        "It sounds like something may be wrong. I have told the duty team for {service}. "
        "Someone will contact you. If you are in danger now, call 999."
    ),
    "alert.person_council": (
        "It sounds like something may be wrong. I have told the duty team for {service} "
        "and the council's safeguarding team. Someone will contact you. "
        "If you are in danger now, call 999."
    ),
    "alert.no_contact": (
        "It sounds like something may be wrong. If you are in danger now, call 999. "
        "I cannot reach your care team from here. Please tell someone you trust."
    ),
    "alert.talk": (
        "{name} at {service} has asked to talk to a person. "
        "Please get in touch with them today. Request {reference}."
    ),
    "talk.after_answer": "They were asked: \"{question}\" They answered: {answer}.",
    "alert.talk.carer": (
        "{carer}, a carer for {name} at {service}, has asked to talk to a person. "
        "Please get in touch with them today. Request {reference}."
    ),
    "alert.passed_on": (
        "Nobody has acted on this yet, so it comes to you as the {role} for {service}."
        "\n\n{history}\n\n{body}"
    ),
    "alert.chased": "This still needs someone to act.\n\n{history}\n\n{body}",
    "alert.history.sent": "Sent to {name}, {role}, at {time}.",
    "alert.history.escalated": "Passed to {name}, {role}, at {time}.",
    "alert.history.nobody": "At {time} nobody could be reached.",
    # A long chase names the first steps and the last, and counts those between.
    "alert.history.when": "{time} on {date}",
    "chain.0": "duty contact",
    "chain.1": "backup contact",
    "chain.2": "council safeguarding lead",
    "alert.dealing": "I will deal with it",
    "alert.contacted": "Contacted them",
    "alert.not_a_concern": "Not a concern",
    # Told in the chat when the admin names them (carebot service, carebot council).
    "staff.now_duty_contact": (
        "{name}, you are now the duty contact for {service}. I will send you its "
        "safeguarding alerts and requests to talk. Please act on each one the same day."
    ),
    "staff.now_backup_contact": (
        "{name}, you are now the backup for {service}. If nobody acts on an alert there in "
        "time, I will send it to you. Please act on it the same day."
    ),
    "staff.paused": (
        "Hello {name}. Your carebot messages are paused for now. "
        "The person who runs carebot can turn them back on."
    ),
    "staff.resumed": "Hello {name}. You will hear from me again, as you did before.",
    "staff.left": "Hello {name}. Your carebot access has ended. Thank you for your work.",
    "staff.took_over": (
        "Hello {name}. You are taking over from {leaver}. "
        "Any alert they had open will come to you, or to the next person, now."
    ),
    "person.moved": "Hello {name}. From now on, I will ask you about {service}.",
    "person.moved.carer": (
        "Hello {name}. The care you tell me about is now with {service}. "
        "You can tell me about it at any time."
    ),
    "service.closed": (
        "Hello {name}. {service} has closed, so I will not ask you about it any more. "
        "Thank you for all you told us."
    ),
    "start.paused": (
        "Sorry, carebot is not open to you at the moment. "
        "Please ask the person who gave you your code."
    ),
    "staff.now_lead": (
        "{name}, you are now the safeguarding lead for {council}. If nobody acts in time on "
        "an alert, I will send it to you. Alerts about staff come to you at once."
    ),
    "alert.talk.dealing": "I will get in touch",
    "alert.talk.contacted": "We have talked",
    "alert.talk.done.dealing": (
        "Thank you. Request {reference} is yours now. I will tell them you will get in "
        "touch. Tap We have talked when you have."
    ),
    "alert.talk.done.contacted": (
        "Thank you. Request {reference} is done. If you want to add a note, type it now."
    ),
    "alert.talk.taken": (
        "{name}, on duty for {service}, has your request. They will get in touch soon."
    ),
    "alert.follow_up": (
        "Have you contacted them yet? Tap Contacted them when you have.\n\n{body}"
    ),
    "alert.talk.follow_up": (
        "Have you talked with them yet? Tap We have talked when you have.\n\n{body}"
    ),
    "alert.done.dealing": (
        "Thank you. Alert {reference} is yours now. Tap Contacted them when you have. "
        "You can type a note at any time."
    ),
    "alert.done.contacted": (
        "Thank you. Alert {reference} is marked as contacted. "
        "If you want to add a note, type it now."
    ),
    "alert.done.not_a_concern": "Thank you. Alert {reference} is closed as not a concern.",
    "alert.ask_reason": "Why is alert {reference} not a concern? Please type it in one message.",
    "alert.acted": "{name} has acted on alert {reference}: {outcome}.",
    "alert.moved_on": "Alert {reference} has moved on already. Nothing was changed.",
    "alert.note_confirm": "I will add this note to alert {reference}:\n\n{note}\n\nSave it?",
    "alert.reason_confirm": (
        "I will close alert {reference} as not a concern, with this reason:\n\n{note}"
        "\n\nSave it?"
    ),
    "alert.note_saved": "Saved on alert {reference}.",
    # Writing to the person an alert is about, through carebot, and their replies.
    "alert.message_them": "Message them here",
    "alert.release_button": "Share with the provider",
    "alert.released": (
        "Done. The provider can now see who wrote and what they said. Alert {reference}."
    ),
    "alert.released_before": "You shared this before. Alert {reference}.",
    "alert.message_ask": (
        "Type your message to {name} in one message. I will show it to you before it goes."
    ),
    "alert.message_nobody": (
        "I cannot reach them through carebot: they have left or stopped it. "
        "Please use the service's own contact details."
    ),
    "alert.message_confirm": "I will send this to {name}:\n\n{note}\n\nSend it?",
    "alert.message_sent": (
        "Sent to {name}. Their reply will come to you here. "
        "Both are kept with alert {reference}."
    ),
    "alert.message_to_person": (
        "A message from {staff} at {service}:\n\n{words}\n\n"
        "You can reply here. I will pass your reply to {staff}."
    ),
    "alert.reply_from_person": "{name} wrote back. Alert {reference}.\n\n\"{words}\"",
    "alert.reply_passed": "Thank you. I have passed your reply to {staff}.",
    # The invite letter, printed and posted (`carebot invite --from`): one page each.
    "letter.title": "Tell us about your care",
    "letter.title.carer": "Tell us about the care at {service}",
    "letter.title.staff": "Please join the chat",
    "letter.reminder": (
        "We wrote to you before about carebot. You have not joined yet. "
        "You do not have to. If you would like to, here is how."
    ),
    "letter.reminder_title": "A reminder: {title}",
    "letter.dear": "Dear {name},",
    "letter.intro.person": (
        "{council} wants to know how your care at {service} is going. "
        "You can tell us on your phone, in a chat called carebot."
    ),
    "letter.what.person": (
        "carebot sends you a few short questions, as often as you choose. "
        "You answer with buttons, or in your own words. "
        "You can also tell us about a problem, a thank you or an idea at any time."
    ),
    "letter.intro.carer": (
        "{council} wants to hear from family and carers about the care at {service}. "
        "You can tell us on your phone, in a chat called carebot."
    ),
    "letter.cares_for": "We are writing to you because you help {person}.",
    "letter.what.carer": (
        "Send carebot a problem, a thank you or an idea at any time. "
        "You get a reference number. We tell you what happens."
    ),
    "letter.intro.staff": (
        "You are invited to carebot, for {where}. "
        "carebot asks people about their care. It sends what they say to the right staff."
    ),
    "letter.staff.duty_contact": (
        "You will get the safeguarding alerts for {where}. "
        "Please join soon, so that no alert waits. If you cannot, tell {council}."
    ),
    "letter.staff.provider": "You will read what people say about {where}, and act on it.",
    "letter.staff.commissioner": (
        "You will get the council's weekly digest, and can read what people say."
    ),
    "letter.staff.board_member": "You will get the weekly digest for {where}.",
    "letter.staff.admin": "You will run carebot for {where}.",
    "letter.how": "How to join",
    "letter.step_app": "1. You need Telegram on your phone. It is free from your app store.",
    "letter.step_scan": "2. Point your phone's camera at the square. Or type this link: {link}",
    "letter.step_start": "3. Tap Start. carebot will ask if you want to join. You can say no.",
    "letter.by_hand": (
        "No camera? Look for {bot} in the app. Then send it this message:"
    ),
    "letter.who_sees.heading": "Who sees what you say",
    "letter.who_sees": (
        "Staff at {provider} read what you write, with your name. "
        "The council may read it too. "
        "If you tell us about a worry with a member of staff, the council hears it first. "
        "If you tell us someone may not be safe, we tell people who can help. "
        "Reports about the service never show your name."
    ),
    "letter.no_change": "Your care will not change if you say no, or if you complain.",
    "letter.danger": (
        "If someone is in danger now, call 999. The chat is not watched all the time."
    ),
    "letter.stop.heading": "If you want to stop",
    "letter.stop": (
        "You can stop at any time. Send /stop in the chat. "
        "To have what you told us deleted, send /forget."
    ),
    "letter.code": (
        "Your code is {code}. It works once, until {expires}. "
        "If it does not work, ask {council} for a new one."
    ),
    "letter.help": (
        "No smartphone, or need help? Ask someone you trust, or contact {council}: {contact}"
    ),
    "letter.controller": (
        "{controller} is in charge of your data. "
        "To read how it is used, go to {privacy_url}"
    ),
    "letter.qr_alt": "A square code. Point your phone at it to start the chat.",
}

# Texts with a count: (one, many) in English. Each catalogue gives as many forms as its
# language needs, chosen by the count.
PLURALS: dict[str, tuple[str, str]] = {
    "issues.header": ("{count} is still open. Here it is.",
                      "{count} are still open. Here they are, oldest first."),
    "issues.more": ("There is {count} more.", "There are {count} more."),
    "read.more": (
        "There is {count} more. When you have dealt with these, send /read again to see it.",
        "There are {count} more. When you have dealt with these, "
        "send /read again to see the rest."),
    "action.confirm": (
        "This goes to {count} person who uses {service}, at a time that suits them:\n\n"
        "{message}\n\nSend it?",
        "This goes to {count} people who use {service}, at a time that suits them:\n\n"
        "{message}\n\nSend it?"),
    "action.sent": (
        "Thank you. It will reach {count} person, and it will be in the next report.",
        "Thank you. It will reach {count} people, and it will be in the next report."),
    "chase.working_days": ("{count} working day", "{count} working days"),
    "period.years": ("{count} year", "{count} years"),
    "period.months": ("{count} month", "{count} months"),
    "alert.history.between": ("It was sent once more in between.",
                              "It was sent {count} more times in between."),
}


def text(key: str, **values: Any) -> str:
    """The text for `key` in the language being spoken, with its {placeholders} filled in."""
    template = translated(language_now(), key, TEXTS[key])
    return template.format(**values) if values else template


def plural(key: str, count: int, **values: Any) -> str:
    """The text for `key` as it reads for `count` (filled in as {count})."""
    language = language_now()
    template = translated_plural(language, key, PLURALS[key], count)
    return template.format(count=format_decimal(count, locale=language), **values)


def all_texts() -> list[tuple[str, str]]:
    """Every text, unfilled, in the language being spoken: a count's texts as "key.one"
    (for 1) and "key.many" (for 5), for review."""
    language = language_now()
    forms = [(f"{key}.{form}", translated_plural(language, key, pair, count))
             for key, pair in PLURALS.items() for form, count in (("one", 1), ("many", 5))]
    return sorted([*((key, translated(language, key, words)) for key, words in TEXTS.items()),
                   *forms])


def english_texts() -> dict[str, str | tuple[str, str]]:
    """Every text's English by its key, as the catalogues hold them."""
    return {**TEXTS, **PLURALS}
