"""Redaction: personal details out, the sentence still readable, everyday words left
alone. The cases are written as people write to a care service; none was taken from a
held-out set."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest

from carebot.reports.redaction import KnownNames, redact
from tests.helpers import REPO

TODAY = date(2026, 11, 23)
# people carebot knows: always taken out
KNOWN = ("Dot", "Kim Lewis", "Will", "Ann Hill", "Bea Okonkwo")

TAKEN_OUT = [
    # names: common first names, anywhere
    ("Priya came at 9 and was lovely.", "[name] came at 9 and was lovely."),
    ("Sarah was rushed again", "[name] was rushed again"),
    ("thanks to Mohammed for the lift", "thanks to [name] for the lift"),
    ("Agnieszka is the best carer we have had", "[name] is the best carer we have had"),
    ("Siobhan and Aoife both came", "[name] and [name] both came"),
    ("Ask for Ibrahim in the office", "Ask for [name] in the office"),
    ("Fatima helped Mum shower", "[name] helped Mum shower"),
    ("Gurpreet always rings first", "[name] always rings first"),
    ("Tomasz was late twice", "[name] was late twice"),
    ("Chloe and Jayden from the day centre", "[name] and [name] from the day centre"),
    ("Dave's visits are always rushed", "[name]'s visits are always rushed"),
    ("Margaret, the manager, never calls back", "[name], the manager, never calls back"),
    ("I spoke to Susan on Monday", "I spoke to [name] on Monday"),
    ("Kevin shouted at Dad", "[name] shouted at Dad"),
    ("Yusuf is kind", "[name] is kind"),
    ("Paige left the door open", "[name] left the door open"),
    # everyday words that are names, after a cue
    ("My carer Will was late again.", "My carer [name] was late again."),
    ("my son Mark visited", "my son [name] visited"),
    # … before a surname, or capitalised inside a sentence
    ("Grace Whitfield from the office rang", "[name] from the office rang"),
    ("We said goodbye to Grace today", "We said goodbye to [name] today"),
    ("Is Faith coming on Sunday?", "Is [name] coming on Sunday?"),
    # names written small, a surname in capitals
    ("paul said he would come back", "[name] said he would come back"),
    ("ask for sandra okafor at the desk", "ask for [name] at the desk"),
    ("Sandra WHITFIELD rang twice", "[name] rang twice"),
    # a landline with a digit too many, as people mistype them
    ("the office is on 01632 960 0018", "the office is on [phone]"),
    ("our nurse Grace is wonderful", "our nurse [name] is wonderful"),
    ("a carer called Hope", "a carer called [name]"),
    ("my daughter May rang them", "my daughter [name] rang them"),
    ("thank you Joy", "thank you [name]"),
    ("the driver Frank was rude", "the driver [name] was rude"),
    ("my husband Bill fell", "my husband [name] fell"),
    ("my wife Rose cannot use the hoist", "my wife [name] cannot use the hoist"),
    ("my friend Faith visits", "my friend [name] visits"),
    # titles
    ("Mrs Smith was lovely", "[name] was lovely"),
    ("Dr Okafor changed her tablets", "[name] changed her tablets"),
    ("Mr Patel from the council rang", "[name] from the council rang"),
    ("Nurse Jenkins did the dressing", "[name] did the dressing"),
    ("Ms O'Brien never replied", "[name] never replied"),
    ("Miss Hughes at reception", "[name] at reception"),
    ("ask Mr. Brown", "ask [name]"),
    # people carebot knows
    ("Called Dot, she is OK", "Called [name], she is OK"),
    ("dot was asleep when they came", "dot was asleep when they came"),  # the word, not Dot
    ("Dot is fine now", "[name] is fine now"),
    ("Kim Lewis came instead", "[name] came instead"),
    ("kim lewis came instead", "[name] came instead"),
    ("Will was on time today", "[name] was on time today"),
    # a known person's surname alone, unless it is an everyday word ("Hill")
    ("Okonkwo rang about the rota", "[name] rang about the rota"),
    ("lewis's visit was short", "[name]'s visit was short"),
    ("Ann Hill came, and Dot", "[name] came, and [name]"),
    # surnames go with the name they follow: no half names
    ("My carer Janet Wilkinson is lovely", "My carer [name] is lovely"),
    ("Mrs Anne Wilkinson came", "[name] came"),
    ("Anne Marie Wilkinson came", "[name] came"),
    ("Priya Smith-Jones rang", "[name] rang"),
    ("Sarah O'Brien was kind", "[name] was kind"),
    ("Sam McDonald fixed the hoist", "[name] fixed the hoist"),
    ("Sarah van der Berg is our social worker", "[name] is our social worker"),
    ("Tomasz Nowak and Fatima Khan came", "[name] and [name] came"),
    ("Priya Patel's visits are rushed", "[name]'s visits are rushed"),
    ("my carer Janet Hill was late", "my carer [name] was late"),
    ("Sarah Brown and Kim Baker", "[name] and [name]"),
    ("Janet S. Lee came", "[name] came"),
    ("Mrs D. Holloway rang", "[name] rang"),
    ("Dr van der Berg rang", "[name] rang"),
    ("Mr PATEL never came", "[name] never came"),
    ("Dot Cotton from next door", "[name] from next door"),
    ("the Smith-Jones family", "the [name] family"),
    # ... but not what follows a name without being part of it
    ("Janet came on Monday", "[name] came on Monday"),
    ("Sam and Home Care North were late", "[name] and Home Care North were late"),
    ("my carer Janet. The Council was slow", "my carer [name]. The Council was slow"),
    ("Janet Came Late Again", "[name] Came Late Again"),
    ("tell my daughter Sarah I love her", "tell my daughter [name] I love her"),
    ("I saw Priya Monday morning", "I saw [name] Monday morning"),
    ("Thanks Sarah Everyone else was rude", "Thanks [name] Everyone else was rude"),
    ("I live on Victoria Road", "I live on [name] Road"),
    ("thanks Sarah\nPatel family", "thanks [name]\nPatel family"),
    ("Kim Lewis Came Late", "[name] Came Late"),
    # phone numbers
    ("Call me on 07700 900123", "Call me on [phone]"),
    ("ring 07700900123 please", "ring [phone] please"),
    ("my number is +44 7700 900 123", "my number is [phone]"),
    ("+447700900123", "[phone]"),
    ("landline 0113 496 0000", "landline [phone]"),
    ("call (0113) 496 0000", "call [phone]"),
    ("020 7946 0018 is the office", "[phone] is the office"),
    ("01632 960 001 any time", "[phone] any time"),
    ("0044 7700 900 456", "[phone]"),
    ("mob 07700-900-789", "mob [phone]"),
    # email addresses
    ("Email jo.bloggs@example.com please", "Email [email] please"),
    ("write to SAM_99@mail.co.uk", "write to [email]"),
    ("a.b+care@nhs.net replied", "[email] replied"),
    # postcodes
    ("She lives in LS6 2AB", "She lives in [postcode]"),
    ("postcode is m1 1ae", "postcode is [postcode]"),
    ("near SW1A 1AA", "near [postcode]"),
    ("B33 8TH is the day centre", "[postcode] is the day centre"),
    ("DN551PT", "[postcode]"),
    ("W1A 0AX", "[postcode]"),
    # NHS numbers (valid check digit)
    ("NHS number 943 476 5919", "NHS number [NHS number]"),
    ("nhs no 9434765919", "nhs no [NHS number]"),
    ("her number is 401-023-2137", "her number is [NHS number]"),
    # street addresses
    ("She lives at 12 Acacia Avenue", "She lives at [address]"),
    ("Flat 3, 22 High Street", "[address]"),
    ("4 Mill Lane is Mum's house", "[address] is Mum's house"),
    ("at 101b Station Road.", "at [address]"),
    ("7 St John's Close", "[address]"),
    ("go to 15 Park View", "go to [address]"),
    ("27 Oak Tree Drive, Leeds", "[address], Leeds"),
    # dates of birth
    ("Mum was born on 12 March 1941.", "Mum was born on [date of birth]."),
    ("DOB 03/04/1939", "DOB [date of birth]"),
    ("d.o.b. 3.4.39", "d.o.b. [date of birth]"),
    ("date of birth: 1 Jan 1950", "date of birth: [date of birth]"),
    ("born 7th of June 1938", "born [date of birth]"),
    ("Dad, 14/02/1944, fell", "Dad, [date of birth], fell"),
    ("his birthday is 5 May 1930", "his birthday is [date of birth]"),
    ("June 3, 1947", "[date of birth]"),
    # several at once, the sentence still reads
    ("Priya rang 07700 900123 from LS6 2AB",
     "[name] rang [phone] from [postcode]"),
    ("Mrs Smith (DOB 1/2/1940) at 9 Elm Grove",
     "[name] (DOB [date of birth]) at [address]"),
]

LEFT_ALONE = [
    "We went to Bath in May.",
    "Will you come on Friday?",
    "Hope you are well.",
    "We watched Mr Men together.",
    "Mr Bean makes her laugh.",
    "May I ask who is coming tomorrow?",
    "Grace before meals is important to Dad.",
    "Mark the chart when you give the tablets.",
    "The carers are always late on Friday.",
    "Sunday lunch was lovely.",
    "The appointment is on 12/11/2026.",
    "Her review is on 3 December 2026.",
    "Visits went up to 45 minutes in March 2025.",
    "She takes 2 tablets at 9am and 9pm.",
    "Room 12 is too cold.",
    "The bus takes 40 minutes.",
    "I gave it 10 out of 10.",
    "We paid 1200 pounds last year.",
    "Call 999 if you are in danger.",
    "The 111 service was helpful.",
    "Ward 7B was noisy.",
    "Joy and hope, that is what they bring.",
    "Frank and honest feedback helps.",
    "The Rose Garden at the day centre is lovely.",
    "Christmas at the day centre was fun.",
    "I cannot praise them enough.",
    "Nobody came on Tuesday evening.",
    "The A1 was closed so they were late.",
    "Staff on the Meadow unit are kind.",
    "We need more than 15 minutes.",
    "Thank you all so much.",
    "It was 2 hours late.",
    "Her carer is patient and kind.",
    "Dad likes the Friday fish.",
    "Easter Sunday was quiet.",
    "The NHS number is on the letter.",
    "Reference CB-1001 is still open.",
    "😀 Very good",
    "Ok",
    "They came at 10:30 not 8:00.",
    "The best Dr I've had.",
    "Castle Hill is closed so they were late.",
    "Mrs Brown's Boys is on tonight.",
    "St Mary's Hospital was very good.",
    "Mum goes to St. Luke's on Sundays.",
    "We watched telly with nan.",
    "The Summer fair was fun.",
    "I like the Meadow unit best.",
]


@pytest.mark.parametrize(("said", "shown"), TAKEN_OUT)
def test_personal_details_are_taken_out(said: str, shown: str) -> None:
    assert redact(said, KNOWN, TODAY) == shown


@pytest.mark.parametrize("said", LEFT_ALONE)
def test_everyday_words_are_left_alone(said: str) -> None:
    assert redact(said, KNOWN, TODAY) == said


def test_there_are_at_least_a_hundred_cases() -> None:
    assert len(TAKEN_OUT) + len(LEFT_ALONE) >= 100


@pytest.mark.parametrize("encoding", ["cp1252", "utf-16", "utf-8-sig", "utf-8"])
def test_carebot_redact_reads_what_tag_reads(encoding: str) -> None:
    """A file as Excel or Notepad save it on Windows (the code page: é as one byte, a dash
    as 0x96; "Unicode text"; UTF-8 with a byte-order mark) is read, not garbled, whatever
    the locale."""
    done = subprocess.run([sys.executable, "-m", "carebot.cli.main", "redact"],
                          input="Café visit – Priya was lovely\r\n".encode(encoding),
                          capture_output=True, cwd=REPO, check=True,
                          env={"CAREBOT_DATABASE": "/nonexistent/carebot.sqlite3",
                               "PYTHONIOENCODING": "utf-8"})
    assert done.stdout.decode("utf-8") == "Café visit – [name] was lovely\n"


def test_ten_random_digits_are_not_an_nhs_number() -> None:
    assert redact("order 1234567890 arrived", (), TODAY) == "order 1234567890 arrived"


def test_known_names_are_found_among_thirty_thousand() -> None:
    """A council's whole directory, made ready once: the longest name wins, a name
    inside a longer word is left, and one written differently spaced is still found."""
    known = KnownNames([f"Person {n}" for n in range(30_000)]
                       + ["Ann", "Ann Lee", "Zed O'Hara", "Will"])
    assert redact("Ann Lee's carer and Ann came to the Annexe", known, TODAY) == (
        "[name]'s carer and [name] came to the Annexe")
    assert redact("zed  o'hara rang, Person 29999 too", known, TODAY) == (
        "[name] rang, [name] too")
    assert redact("Will you ask Will?", known, TODAY) == "Will you ask [name]?"


def test_names_made_ready_for_some_texts_find_the_same_in_them() -> None:
    """Ready only for the names whose first or last word is in the texts to redact, the
    look-up redacts those texts exactly as the whole directory would."""
    names = [f"Person {n}" for n in range(3_000)] + ["Ann", "Ann Lee", "Zed O'Hara", "Will",
                                                     "Quill Ottoway", "Una Fairbrother"]
    texts = ["Ann Lee's carer and Ann came", "zed  o'hara rang, Person 2999 too",
             "Will you ask Will?", "Nobody known here", "O'Hara rang, Fairbrother too"]
    some = KnownNames(names, texts)
    assert [redact(t, some, TODAY) for t in texts] == [
        redact(t, KnownNames(names), TODAY) for t in texts]
    assert redact("Quill Ottoway came", KnownNames(names), TODAY) == "[name] came"
    assert redact(texts[-1], some, TODAY) == "[name] rang, [name] too"  # surnames alone
    assert redact("Quill Ottoway came", some, TODAY) == "Quill Ottoway came"  # not ready


def test_carebot_redact_reads_lines_and_writes_them_redacted() -> None:
    lines = "Priya rang 07700 900123\nWe went to Bath in May.\nMy carer Janet Wilkinson\n"
    done = subprocess.run([sys.executable, "-m", "carebot.cli.main", "redact"], input=lines,
                          capture_output=True, text=True, cwd=REPO, check=True,
                          env={"CAREBOT_DATABASE": "/nonexistent/carebot.sqlite3"})
    assert done.stdout == "[name] rang [phone]\nWe went to Bath in May.\nMy carer [name]\n"


@pytest.mark.parametrize(("written", "shown"), [
    # Welsh and Polish words that are English names stay words ("Mae", "bob", "allan")...
    ("Mae'r gofalwyr yn garedig ac mae ganddyn nhw amser am sgwrs bob tro.",
     "Mae'r gofalwyr yn garedig ac mae ganddyn nhw amser am sgwrs bob tro."),
    ("Hoffwn i fynd allan i'r ardd yn amlach.", "Hoffwn i fynd allan i'r ardd yn amlach."),
    # ...and names inside a sentence, phone numbers and emails still go.
    ("Mae Sandra yn garedig iawn.", "Mae [name] yn garedig iawn."),
    ("Pani Ewa była bardzo miła, proszę dzwonić 07700 900123.",
     "Pani [name] była bardzo miła, proszę dzwonić [phone]."),
])
def test_words_in_another_language_keep_their_words_and_lose_names(written: str,
                                                                  shown: str) -> None:
    assert redact(written, english=False) == shown


def test_a_known_name_that_is_a_word_in_another_language_is_the_word_there() -> None:
    known = KnownNames(["Bob Evans", "Ewa Nowak"])
    assert redact("Mae'r gofalwr yn dod bob bore.", known, english=False) == (
        "Mae'r gofalwr yn dod bob bore.")
    assert redact("Diolch i Bob am ei help.", known, english=False) == (
        "Diolch i [name] am ei help.")
    assert redact("bob came late", known) == "[name] came late"
