"""Taking personal details out of people's words before anyone else reads them in a
report: names, phone numbers, email addresses, postcodes, NHS numbers, street addresses
and dates of birth become [name], [phone], … so the sentence still reads.

One function, `redact`, used by every report and by `carebot redact`. Names come from
two places: the people carebot knows (always taken out), and a list of first names
common in Britain and among the communities councils serve (gender-guesser's nam_dict,
read as data), capitalised or not ("paul said he'd come"). A first name that is also an
everyday word ("Will", "Hope", "May", "Grace") is taken out only where it is plainly a
name: after a title or a word such as "carer", "called" or "my son"; before a surname
("Grace Whitfield"); or capitalised inside a sentence, where the word would not be ("I
saw Grace today"), unless it names a place or a thing ("the Rose Garden", "the Meadow
unit"). A saint's name is a place's ("St Mary's Hospital").

A name taken out takes its surname with it ("Janet Wilkinson", "Mrs Anne O'Brien",
"Sarah van der Berg" each become one [name]): a report that shows no names must not show
half of one. A known person's surname is also taken out alone ("Lewis came late").
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Iterable
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path

# How common a name must be (nam_dict's 1 = rare … 13 = extremely common) in each place.
_NAME_PLACES = {0: 1, 1: 1, 2: 1, 3: 3, 5: 3, 6: 3, 23: 3, 27: 3, 46: 3, 47: 2, 50: 2, 54: 3}
# (columns: Great Britain, Ireland, USA, Italy, Portugal, Spain, Poland, Romania, Turkey,
# Arabia/Persia, India/Sri Lanka, other countries)
_MONTHS_AND_DAYS = frozenset((
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "monday", "tuesday", "wednesday", "thursday",
    "friday", "saturday", "sunday", "easter", "christmas"))
# After an everyday word that is also someone's name, these mean it is the word:
# "Will you…", "May I…", "Hope we…".
_QUESTION_AFTER = ("you", "i", "we", "they", "he", "she", "it", "there", "this", "that")
# Words after which a capitalised everyday word is a name: "my carer Will", "called Hope".
_NAME_CUES = (
    "carer", "carers", "nurse", "worker", "manager", "called", "named", "son", "daughter",
    "husband", "wife", "partner", "brother", "sister", "friend", "neighbour", "mum", "dad",
    "mother", "father", "nan", "nana", "grandson", "granddaughter", "aunt", "uncle", "niece",
    "nephew", "cousin", "driver", "cleaner", "keyworker", "pa", "thanks", "thank",
)
_TITLES = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Doctor|Nurse|Sister|Matron|Auntie|Uncle|Nan|Grandad)"
# A title followed by one of these is a name for something else, not a person.
_NOT_PEOPLE = frozenset({"men", "bean", "blobby", "motivator", "whippy", "kipling", "who",
                         "brown's", "browns", "tumble", "right"})

# Lower-case words that are first names somewhere but, written small, are words here.
_LOWER_NOT_NAMES = frozenset({
    "telly", "nan", "nana", "nanna", "gran", "grandma", "jan", "feb", "mar", "apr", "jun",
    "jul", "aug", "sep", "sept", "oct", "nov", "dec", "ramadan", "eid", "diwali", "lol"})
# Words before a capitalised word that make it the name of a thing: "the Rose Garden".
_DETERMINERS = frozenset({"the", "a", "an", "our", "their", "this", "that", "its"})
_SAINT = re.compile(r"\b(?:St|Saint)\.?\s+$")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“‘(\n]|^\s*[-*•])\s*$")

_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_NHS_NUMBER = re.compile(r"(?<![\d+])(\d{3})[ -]?(\d{3})[ -]?(\d{4})(?!\d)")
# A UK number (10 or 11 digits), or one with a digit too many as people mistype them
# ("01865 555 0192"): a run of digits that starts like a phone number is one.
_PHONE = re.compile(
    r"(?<![\w+(])\(?(?:\+44\s?\(?0?\)?|0044\s?|0)(?:[\s-]?\(?\d\)?){9,11}(?!\d)")
_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.IGNORECASE)
_STREET_KINDS = (r"(?:Road|Rd|Street|St|Avenue|Ave|Lane|Ln|Close|Drive|Way|Court|Ct|Crescent|"
                 r"Place|Pl|Gardens|Gdns|Terrace|Grove|Hill|Walk|Row|Square|Sq|Mews|Parade|"
                 r"Rise|View|Green|Park|Vale|Wharf|Yard)")
# One capitalised word of a name: "Smith", "McDonald", "O'Brien", "Smith-Jones", an initial.
_PART = r"[A-Z](?:[a-z]+(?:[A-Z][a-z]+)?|['’][A-Z][a-z]+)?"
_NAME_WORD = re.compile(rf"(?<![\w'’-]){_PART}(?:-{_PART})*(?!\w|-\w)")
# Lower-case words inside surnames: "van der Berg", "da Silva", "bin Laden".
_PARTICLES = r"(?i:van|von|der|den|de|da|di|du|del|della|des|la|le|ten|ter|bin|ibn|al|el|ap)"
_SPACES = re.compile(r"[^\S\n]+")  # between words of one name: not a line break
# The next word of a name: after spaces, or after an initial's full stop ("Janet S. Lee").
_NEXT_WORD = re.compile(
    rf"(?:(?<=\b[A-Z])\.)?[^\S\n]+(?:{_PARTICLES}[^\S\n]+)*"
    rf"({_NAME_WORD.pattern}|[A-Z]{{3,}}(?![\w'’-]))")  # or in capitals: "Sandra WHITFIELD"
# Words in capitals after a name that are not a surname: "Priya NHS", "Ali CPN".
_ACRONYMS = frozenset({"nhs", "cqc", "cpn", "asap", "dols", "pip", "dla", "rip", "lol", "omg"})
# Capitalised words that follow a name without being more of it: the place or team it
# names ("Victoria Road", "Sam Home Care"), a role ("Ali Manager"), a time of day. Hill,
# Green, Park and Lane are not among them: common surnames first, places second.
_NOT_SURNAMES = frozenset(
    {word.lower() for word in re.findall(r"[A-Za-z]+", _STREET_KINDS)}
    - {"hill", "green", "park", "lane"}
    | {"hospital", "hospice", "house", "ward", "unit", "centre", "center", "home", "care",
       "team", "surgery", "clinic", "practice", "trust", "council", "service", "services",
       "healthcare", "lodge", "manor", "doctor", "psychiatrist", "therapist", "physio",
       "staff", "morning", "afternoon", "evening", "night", "tonight", "week", "weekend",
       "time"}
    | set(_NAME_CUES) | _MONTHS_AND_DAYS)
# Of those, the words that name a place or a team, never a person ("Cherry Ward").
_PLACE_WORDS = _NOT_SURNAMES - _MONTHS_AND_DAYS - set(_NAME_CUES)
_ADDRESS = re.compile(
    rf"\b(?:(?:Flat|Apartment|Apt|Unit)\s*\d+[A-Za-z]?,?\s+)?\d{{1,4}}[A-Za-z]?,?\s+"
    rf"(?:[A-Z][\w']+\s+){{1,3}}{_STREET_KINDS}\b\.?")
_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|"
          r"Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")
_DATE = (rf"(?:\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?"
         rf"{_MONTH}\s+\d{{2,4}}|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})")
_BIRTH_CUE = re.compile(
    rf"(\b(?:born(?:\s+on)?|d\.?o\.?b\.?|date\s+of\s+birth|birthday\s+is)\s*[:\-]?\s*)"
    rf"{_DATE}", re.IGNORECASE)
_ANY_DATE = re.compile(_DATE, re.IGNORECASE)
_TITLED = re.compile(
    rf"\b{_TITLES}\.?\s+(?:{_PARTICLES}\s+)*"
    rf"(?P<who>{_NAME_WORD.pattern}|[A-Z]{{2,}}(?!\w))(?P<s>['’]s)?")  # "Dr PATEL" too


def _nhs_checksum_ok(digits: str) -> bool:
    """NHS numbers end in a check digit (modulus 11), so ten random digits rarely pass."""
    total = sum(int(d) * (10 - n) for n, d in enumerate(digits[:9]))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


@cache
def common_first_names(at_least: int | None = None) -> frozenset[str]:
    """First names common enough in the places councils' people come from, lower-cased;
    `at_least`: as common as that in one of those places (nam_dict's 1 … 13)."""
    text = resources.files("gender_guesser").joinpath("data/nam_dict.txt").read_text(
        encoding="iso8859-1")
    found = set()
    for line in text.splitlines():
        if line.startswith(("#", "=")) or len(line) < 31:
            continue
        name = line[3:29].strip()
        if not name.isalpha() or not name.isascii():
            continue
        counts = line[30:]
        for column, least in _NAME_PLACES.items():
            mark = counts[column] if column < len(counts) else " "
            if mark in "123456789ABCDEF" and int(mark, 16) >= (at_least or least):
                found.add(name.lower())
                break
    return frozenset(found)


def _package_folder(name: str) -> Path:
    """Where an installed package's files are, without importing it: importing TextBlob
    loads nltk (and scikit-learn and scipy where installed), about 110 MB, for one word
    list."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(name)
    return Path(next(iter(spec.submodule_search_locations)))


@cache
def _lexicon() -> dict[str, str]:
    """English words as written, each with its commonest part of speech (TextBlob's
    shipped lexicon, from the Brown corpus and Penn Treebank): "came" VBD, "Baker" NNP."""
    text = (_package_folder("textblob") / "en" / "en-lexicon.txt").read_text(encoding="utf-8")
    tags: dict[str, str] = {}
    for line in text.splitlines():
        if line and not line.startswith(";"):
            word, _, tag = line.partition(" ")
            tags.setdefault(word, tag.split(" ", 1)[0])
    return tags


@cache
def everyday_words() -> frozenset[str]:
    """Lower-case English words: a name among them may be an everyday word ("will",
    "hope") and needs a cue before it counts as a name."""
    return frozenset(word for word in _lexicon() if word.islower()) | _MONTHS_AND_DAYS


def _is_first_name(word: str, before: str, after: str) -> bool:
    """A capitalised word with a common first name in it ("Anne-Marie", "O'Brien");
    `before` and `after` are the text around it."""
    return any(len(part) > 1 and _is_name(part, before, after)
               for part in re.split(r"[-'’]", word))


def _reads_as_surname(word: str) -> bool:
    """Whether a capitalised word just after a name is more of it. A word that is not
    English is ("Wilkinson", "Okafor"); an English one is if the lexicon has mostly seen
    it capitalised as a proper noun ("Baker", "Brown", "Hill") or, never capitalised, as
    a noun, but not as a verb, adverb or sentence start ("Came", "Such", "Today")."""
    lower = word.lower()
    if len(word) == 1:
        return word not in "IA"  # an initial
    if lower in _NOT_SURNAMES or lower in _ACRONYMS:
        return False
    if word.isupper():  # read as if written "Whitfield"
        word = word.capitalize()
    if lower not in everyday_words():
        return True
    as_written = _lexicon().get(word)
    return as_written in ("NNP", "NNPS") if as_written else _lexicon()[lower] == "NN"


def _is_name(word: str, before: str, after: str) -> bool:
    lower = word.lower().replace("’", "'").split("'")[0]
    if lower not in common_first_names() or lower in _PLACE_WORDS or _SAINT.search(before):
        return False  # "Cherry Ward" is a place; "St Mary's" a saint's
    return lower not in everyday_words() or _used_as_name(word, lower, before, after)


def _used_as_name(word: str, lower: str, before: str, after: str) -> bool:
    """Whether a first name that is also a word ("Will", "Grace") is a name here: after a
    word such as "carer" or "thank you"; before a surname; or capitalised inside a
    sentence, where the word would not be, and not naming a thing ("the Rose Garden")."""
    previous = re.findall(r"[a-z]+", before.lower())
    if previous and (previous[-1] in _NAME_CUES or previous[-2:] == ["thank", "you"]):
        return True
    following = _NEXT_WORD.match(after)
    if following is not None:  # "Grace Whitfield" is a person; "Rose Garden" a place
        return following[1].lower() not in everyday_words()
    next_word = re.findall(r"[a-z]+", after.lower())[:1]
    return (lower not in _MONTHS_AND_DAYS and _SENTENCE_START.search(before) is None
            and _lexicon().get(word) == "NNP"
            and not (previous and previous[-1] in _DETERMINERS)
            and not _NOT_SURNAMES.intersection(next_word))  # "Meadow unit"


_WORD = re.compile(r"\w+")
_HYPHENATED_WORD = re.compile(r"\w+(?:['’-]\w+)*")  # "O'Hara", "Smith-Jones", "Lee's"


class KnownNames:
    """The names of everyone carebot knows, made ready once so that finding them in a
    text costs a look-up per word, however many people there are."""

    def __init__(self, names: Iterable[str], texts: Iterable[str] | None = None) -> None:
        """Made ready for any text; or, given the `texts` to redact, only for the names
        whose first or last word is in them (the rest could never be found there): a
        council's 30,000 names for a digest's few hundred quotes."""
        self._by_first: dict[str, list[tuple[list[str], list[str], str]]] = {}
        self._surnames: set[str] = set()
        among = None if texts is None else {
            word.lower() for text in texts for word in _WORD.findall(text)}
        for name in {n.strip() for n in names if n.strip()}:
            words = _WORD.findall(name.lower())
            if not words or (among is not None and not among & {words[0], words[-1]}):
                continue
            gaps = [gap.strip() for gap in _WORD.split(name)[1:-1]]
            self._by_first.setdefault(words[0], []).append((words, gaps, name))
            surname = _surname_alone(name)
            if surname:
                self._surnames.add(surname)
        for found in self._by_first.values():
            found.sort(key=lambda entry: -len(entry[0]))  # "Ann Lee" before "Ann"

    def spans(self, text: str, english: bool = True) -> list[tuple[int, int]]:
        """Where known names are in `text`: (start, end) of each, in order. In another
        language only as a name is written, capitalised: Welsh "bob" is every, not Bob."""
        tokens = list(_WORD.finditer(text))
        found: list[tuple[int, int]] = []
        n = 0
        while n < len(tokens):
            end = (self._match_at(text, tokens, n)
                   if english or tokens[n][0][:1].isupper() else None)
            if end is None:
                n += 1
                continue
            found.append((tokens[n].start(), tokens[end].end()))
            n = end + 1
        return found

    def surname_spans(self, text: str, english: bool = True) -> list[tuple[int, int]]:
        """Where a known person's surname is written alone, in any case as their whole
        name is ("Lewis came", "lewis's visit"); in another language, capitalised."""
        found: list[tuple[int, int]] = []
        if not self._surnames:
            return found
        for word in _HYPHENATED_WORD.finditer(text):
            if not english and not word[0][:1].isupper():
                continue
            stem = re.sub(r"['’]s$", "", word[0])
            if stem.lower().replace("’", "'") in self._surnames:
                found.append((word.start(), word.start() + len(stem)))
        return found

    def _match_at(self, text: str, tokens: list[re.Match[str]], n: int) -> int | None:
        """The index of the last word of the longest known name starting at word n."""
        if tokens[n].start() and text[tokens[n].start() - 1] == "[":
            return None  # already "[name]"
        for words, gaps, name in self._by_first.get(tokens[n][0].lower(), ()):
            last = n + len(words) - 1
            if last >= len(tokens) or not all(
                    tokens[n + k][0].lower() == words[k]
                    and text[tokens[n + k - 1].end():tokens[n + k].start()].strip()
                    == gaps[k - 1] for k in range(1, len(words))):
                continue
            if name.lower() in everyday_words() and not _written_as_name(
                    text, tokens, n, last, name):
                continue
            return last
        return None


def _surname_alone(name: str) -> str | None:
    """A known person's surname, lower-cased, if it is to be taken out on its own: the
    last word of a longer name, unless it is also an everyday word ("Hill", "Bath"),
    which alone is more often the word or the place."""
    words = name.split()
    surname = words[-1].lower().replace("’", "'")
    if len(words) < 2 or len(surname) < 2 or not surname[0].isalpha() or (
            surname in everyday_words()):
        return None
    return surname


def _written_as_name(text: str, tokens: list[re.Match[str]], first: int, last: int,
                     name: str) -> bool:
    """A known name that is also a word ("Will") counts as written, not before a question
    ("Will you…")."""
    following = tokens[last + 1][0].lower() if last + 1 < len(tokens) else ""
    return (text[tokens[first].start():tokens[last].end()] == name
            and following not in _QUESTION_AFTER)


def _to_end_of_name(text: str, end: int) -> int:
    """Where a name that ends at `end` really ends: up to three more capitalised words
    that read as a surname ("Janet Wilkinson", "Anne Marie Wilkinson", "Sarah van der
    Berg", "Mrs D. J. Holloway"), on the same line and not across punctuation ("Janet.
    The Council…")."""
    for _ in range(3):
        more = _NEXT_WORD.match(text, end)
        if more is None or not _reads_as_surname(more[1]):
            break
        end = more.end()
    return end


def _titled_person(match: re.Match[str]) -> bool:
    """A title and a person ("Mrs Smith", "Dr PATEL"), not a character ("Mr Men") nor
    a title before "I" ("the best Dr I've had")."""
    who = f"{match['who']}{match['s'] or ''}".lower().replace("’", "'")
    return who != "i" and who not in _NOT_PEOPLE


def _names(text: str, known: KnownNames, english: bool = True) -> str:
    """Every name found, each with its surname, and names written next to each other
    ("Anne Marie") as one [name]: a half-hidden name still names someone. Words not in
    English cannot be told from names by the English lexicon ("Mae", "bob" and "allan"
    are Welsh words and English names): there, a first name counts only where it is
    capitalised inside a sentence, and never written small."""
    found = [*known.spans(text, english), *known.surname_spans(text, english)]
    found += [(m.start(), m.end("who")) for m in _TITLED.finditer(text) if _titled_person(m)]
    found += [m.span() for m in _NAME_WORD.finditer(text)
              if (english or _inside_a_sentence(text, m.start()))
              and _is_first_name(m[0], text[max(0, m.start() - 40):m.start()],
                                 text[m.end():m.end() + 40])]
    if english:
        found += [_with_lower_surname(text, m) for m in _LOWER_WORD.finditer(text)
                  if _is_lower_name(m[0])]
    whole: list[tuple[int, int]] = []
    for start, end in sorted(found):
        end = _to_end_of_name(text, end)
        if whole and (start <= whole[-1][1] or _SPACES.fullmatch(text, whole[-1][1], start)):
            joined = whole.pop()
            start, end = joined[0], max(joined[1], end)
        whole.append((start, end))
    for start, end in reversed(whole):
        text = f"{text[:start]}[name]{text[end:]}"
    return text


def _inside_a_sentence(text: str, at: int) -> bool:
    return _SENTENCE_START.search(text[max(0, at - 40):at]) is None


WELL_KNOWN = 3  # nam_dict's "common" in at least one place
_LOWER_WORD = re.compile(r"(?<![\w'’\[-])[a-z]{3,}(?![\w-])")


def _is_lower_name(word: str) -> bool:
    """A first name written small ("paul said he'd come"), when it is no English word and
    a well-known name: a rare one written small is more often a slip ("benn" for been)."""
    return (word in common_first_names(WELL_KNOWN) and word not in everyday_words()
            and word not in _LOWER_NOT_NAMES and word not in _NOT_SURNAMES)


def _with_lower_surname(text: str, name: re.Match[str]) -> tuple[int, int]:
    """A first name written small, with the surname after it if that is written small too
    and is no English word ("sandra whitfield")."""
    after = name.end()
    following = _LOWER_WORD.match(text, after + 1) if text.startswith(" ", after) else None
    if following is not None and following[0] not in everyday_words():
        return name.start(), following.end()
    return name.span()


def _nhs_or_phone(match: re.Match[str]) -> str:
    digits = "".join(match.groups())
    return "[NHS number]" if _nhs_checksum_ok(digits) else match[0]


def _date_of_birth(match: re.Match[str], today: date) -> str:
    """A full date whose year is 18 or more years ago is someone's birth date, as far as
    a report is concerned; an appointment last Tuesday is not."""
    years = re.findall(r"\d{4}|\d{2}$", match[0])
    if not years:
        return match[0]
    year = int(years[-1])
    year = year if year > 99 else (1900 + year if year > today.year % 100 else 2000 + year)
    return "[date of birth]" if year <= today.year - 18 else match[0]


def redact(text: str, known_names: KnownNames | Iterable[str] = (),
           today: date | None = None, *, english: bool = True) -> str:
    """`text` with personal details replaced, so the sentence still reads. Give the
    names of people carebot knows as `KnownNames` when redacting many texts; `english`
    False for words in another language (names are then found more narrowly)."""
    today = today or date.today()
    text = _EMAIL.sub("[email]", text)
    text = _BIRTH_CUE.sub(lambda m: f"{m[1]}[date of birth]", text)
    text = _ANY_DATE.sub(lambda m: _date_of_birth(m, today), text)
    text = _NHS_NUMBER.sub(_nhs_or_phone, text)
    text = _PHONE.sub("[phone]", text)
    text = _ADDRESS.sub("[address]", text)
    text = _POSTCODE.sub("[postcode]", text)
    known = known_names if isinstance(known_names, KnownNames) else KnownNames(known_names)
    return _names(text, known, english)
