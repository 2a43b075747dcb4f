"""Taking personal details out of people's words before anyone else reads them in a
report: names, phone numbers, email addresses, postcodes, NHS numbers, street addresses
and dates of birth become [name], [phone], … so the sentence still reads.

One function, `redact`, used by every report and by `carebot redact`. Names come from
two places: the people carebot knows (always taken out), and a list of first names
common in Britain and among the communities councils serve (gender-guesser's nam_dict,
read as data). A first name that is also an everyday word ("Will", "Hope", "May",
"Grace") is taken out only where it is plainly a name: after a title or a word such as
"carer", "called" or "my son".
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

_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_NHS_NUMBER = re.compile(r"(?<![\d+])(\d{3})[ -]?(\d{3})[ -]?(\d{4})(?!\d)")
_PHONE = re.compile(
    r"(?<![\w+(])\(?(?:\+44\s?\(?0?\)?|0044\s?|0)(?:[\s-]?\(?\d\)?){9,10}(?!\d)")
_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.IGNORECASE)
_STREET_KINDS = (r"(?:Road|Rd|Street|St|Avenue|Ave|Lane|Ln|Close|Drive|Way|Court|Ct|Crescent|"
                 r"Place|Pl|Gardens|Gdns|Terrace|Grove|Hill|Walk|Row|Square|Sq|Mews|Parade|"
                 r"Rise|View|Green|Park|Vale|Wharf|Yard)")
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
_TITLED = re.compile(rf"\b{_TITLES}\.?\s+([A-Z][\w'-]+)(?:\s+[A-Z][\w'-]+)?")
_CAPITALISED = re.compile(r"\b[A-Z][a-z]+\b")


def _nhs_checksum_ok(digits: str) -> bool:
    """NHS numbers end in a check digit (modulus 11), so ten random digits rarely pass."""
    total = sum(int(d) * (10 - n) for n, d in enumerate(digits[:9]))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


@cache
def common_first_names() -> frozenset[str]:
    """First names common enough in the places councils' people come from, lower-cased."""
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
            if mark in "123456789ABCDEF" and int(mark, 16) >= least:
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
def everyday_words() -> frozenset[str]:
    """Lower-case English words (TextBlob's shipped lexicon): a name among them may be
    an everyday word ("will", "hope") and needs a cue before it counts as a name."""
    lexicon = (_package_folder("textblob") / "en" / "en-lexicon.txt").read_text(encoding="utf-8")
    words = {line.split(" ", 1)[0] for line in lexicon.splitlines()
             if line and not line.startswith(";")}
    return frozenset(word for word in words if word.islower()) | _MONTHS_AND_DAYS


def _is_name(word: str, before: str) -> bool:
    lower = word.lower().replace("’", "'").split("'")[0]
    if lower not in common_first_names():
        return False
    if lower not in everyday_words():
        return True
    previous = re.findall(r"[a-z]+", before.lower())
    return bool(previous) and (previous[-1] in _NAME_CUES or previous[-2:] == ["thank", "you"])


_WORD = re.compile(r"\w+")


class KnownNames:
    """The names of everyone carebot knows, made ready once so that finding them in a
    text costs a look-up per word, however many people there are."""

    def __init__(self, names: Iterable[str], texts: Iterable[str] | None = None) -> None:
        """Made ready for any text; or, given the `texts` to redact, only for the names
        whose first word is in them (the rest could never be found there): a council's
        30,000 names for a digest's few hundred quotes."""
        self._by_first: dict[str, list[tuple[list[str], list[str], str]]] = {}
        among = None if texts is None else {
            word.lower() for text in texts for word in _WORD.findall(text)}
        for name in {n.strip() for n in names if n.strip()}:
            first = _WORD.search(name.lower())
            if first is None or (among is not None and first[0] not in among):
                continue
            words = _WORD.findall(name.lower())
            if words:
                gaps = [gap.strip() for gap in _WORD.split(name)[1:-1]]
                self._by_first.setdefault(words[0], []).append((words, gaps, name))
        for found in self._by_first.values():
            found.sort(key=lambda entry: -len(entry[0]))  # "Ann Lee" before "Ann"

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Where known names are in `text`: (start, end) of each, in order."""
        tokens = list(_WORD.finditer(text))
        found: list[tuple[int, int]] = []
        n = 0
        while n < len(tokens):
            end = self._match_at(text, tokens, n)
            if end is None:
                n += 1
                continue
            found.append((tokens[n].start(), tokens[end].end()))
            n = end + 1
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


def _written_as_name(text: str, tokens: list[re.Match[str]], first: int, last: int,
                     name: str) -> bool:
    """A known name that is also a word ("Will") counts as written, not before a question
    ("Will you…")."""
    following = tokens[last + 1][0].lower() if last + 1 < len(tokens) else ""
    return (text[tokens[first].start():tokens[last].end()] == name
            and following not in _QUESTION_AFTER)


def _names(text: str, known: KnownNames) -> str:
    for start, end in reversed(known.spans(text)):
        text = f"{text[:start]}[name]{text[end:]}"

    def titled(match: re.Match[str]) -> str:
        return match[0] if match[1].lower() in _NOT_PEOPLE else "[name]"

    text = _TITLED.sub(titled, text)
    return _CAPITALISED.sub(
        lambda m: "[name]" if _is_name(m[0], text[max(0, m.start() - 40):m.start()])
        else m[0], text)


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
           today: date | None = None) -> str:
    """`text` with personal details replaced, so the sentence still reads. Give the
    names of people carebot knows as `KnownNames` when redacting many texts."""
    today = today or date.today()
    text = _EMAIL.sub("[email]", text)
    text = _BIRTH_CUE.sub(lambda m: f"{m[1]}[date of birth]", text)
    text = _ANY_DATE.sub(lambda m: _date_of_birth(m, today), text)
    text = _NHS_NUMBER.sub(_nhs_or_phone, text)
    text = _PHONE.sub("[phone]", text)
    text = _ADDRESS.sub("[address]", text)
    text = _POSTCODE.sub("[postcode]", text)
    known = known_names if isinstance(known_names, KnownNames) else KnownNames(known_names)
    return _names(text, known)
