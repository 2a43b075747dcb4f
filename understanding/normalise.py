"""Text as people type it on phones, made plain before anything is matched: one case, no
apostrophes ("dont", "don't" and "don’t" are one word), common text-speak spelt out
("u" is "you", "2day" is "today"), letters held down squashed ("sooo" is "so"), and each
word's family ("shouted", "shouting", "shouts": "shout") for cues to match.

No NLTK: the Snowball stemmer is pure code with no data to fetch.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

_TOKEN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*|[&@.!?;\n]|\s-\s")
_APOSTROPHES = re.compile(r"['’‘`´]")
_HELD = re.compile(r"([a-z])\1{2,}")       # three or more of one letter
_CLAUSE_WORDS = frozenset({"but", "however", "although", "though"})

# Words too plain to be evidence alone ("is", "a", "his" weigh something in a model and
# mean nothing to a reader): a piece of evidence neither begins nor ends with one.
FUNCTION_WORDS = frozenset({
    "a", "an", "the", "and", "or", "but", "if", "of", "to", "in", "on", "at", "for", "with",
    "by", "from", "is", "are", "was", "were", "be", "been", "am", "i", "me", "my", "you",
    "your", "he", "she", "it", "its", "they", "them", "their", "we", "us", "our", "this",
    "that", "there", "here", "so", "as", "do", "did", "does", "has", "have", "had", "just",
    "his", "him", "her", "hers", "mine", "when", "then", "than", "all", "up", "very"})

# Text-speak and common phone spellings, each to the plain word(s) it stands for.
TEXT_SPEAK: dict[str, tuple[str, ...]] = {
    k: tuple(v.split()) for k, v in {
        "@": "at", "&": "and", "u": "you", "ya": "you", "yu": "you", "ur": "your",
        "yr": "your", "r": "are", "pls": "please", "plz": "please", "plse": "please",
        "thx": "thanks", "ty": "thanks", "cos": "because", "coz": "because", "cuz": "because",
        "bc": "because", "bcos": "because", "becos": "because", "n": "and", "nd": "and",
        "wiv": "with", "wid": "with", "w": "with", "2day": "today", "2nite": "tonight",
        "2night": "tonight", "tonite": "tonight", "nite": "night", "2moro": "tomorrow",
        "tmrw": "tomorrow", "tmw": "tomorrow", "b4": "before", "gr8": "great", "wat": "what",
        "wot": "what", "wen": "when", "wer": "where", "dnt": "dont",
        "cnt": "cant", "dint": "didnt", "aint": "isnt", "abt": "about", "bout": "about",
        "luv": "love",
        "gd": "good", "v": "very", "ppl": "people", "sum1": "someone", "some1": "someone",
        "no1": "no one", "noone": "no one", "no-one": "no one",
        "any1": "anyone", "ne1": "anyone", "every1": "everyone", "evry1": "everyone",
        "thru": "through", "tho": "though", "dunno": "dont know", "gonna": "going to",
        "wanna": "want to", "gotta": "got to", "msg": "message", "txt": "text",
        "fone": "phone", "mam": "mum", "mom": "mum", "ma": "mum", "da": "dad",
        "hes": "he is", "shes": "she is", "theyre": "they are", "theres": "there is",
        "whats": "what is", "its": "it is", "thats": "that is",
        "cld": "could", "shld": "should", "wld": "would", "cud": "could", "wud": "would",
        "shud": "should", "okay": "ok", "nt": "not", "nuffin": "nothing",
        "nothin": "nothing", "sumthin": "something", "summat": "something", "lyk": "like",
        "ruff": "rough", "hosp": "hospital", "meds": "medication", "medz": "medication",
        "tabs": "tablets", "appt": "appointment", "asap": "as soon as possible",
        "wk": "week", "wks": "weeks", "hr": "hour", "hrs": "hours", "min": "minutes",
        "mins": "minutes", "yday": "yesterday", "yest": "yesterday", "smthg": "something",
        "bcz": "because", "rly": "really", "realy": "really", "prob": "probably",
        "def": "definitely", "tbh": "to be honest", "idk": "dont know",
        "gf": "girlfriend", "bf": "boyfriend", "hubby": "husband", "x": "", "xx": "", "xxx": "",
        "lol": "",
    }.items()
}

# Past forms the stemmer cannot know, so a cue's family holds them.
IRREGULAR = {
    "took": "take", "taken": "take", "stole": "steal", "stolen": "steal", "fell": "fall",
    "fallen": "fall", "threw": "throw", "thrown": "throw", "kept": "keep", "bit": "bite",
    "bitten": "bite", "caught": "catch", "held": "hold", "told": "tell", "said": "say",
    "forgot": "forget", "forgotten": "forget", "gave": "give", "given": "give",
    "went": "go", "gone": "go", "came": "come", "ate": "eat", "eaten": "eat",
    "drank": "drink", "drunk": "drink", "slept": "sleep", "felt": "feel", "left": "leave",
    "shook": "shake", "shaken": "shake", "tore": "tear", "torn": "tear", "hid": "hide",
    "hidden": "hide", "beat": "beat", "beaten": "beat", "spent": "spend", "lent": "lend",
    "sent": "send", "made": "make", "got": "get", "gotten": "get", "let": "let",
    "swore": "swear", "sworn": "swear", "stuck": "stick", "sat": "sit", "lay": "lie",
    "lain": "lie", "lying": "lie", "laid": "lie", "dying": "die", "died": "die",
    "tied": "tie", "tying": "tie", "wrote": "write", "written": "write", "thought": "think",
    "bought": "buy", "brought": "bring", "found": "find", "lost": "lose", "paid": "pay",
    "rang": "ring", "rung": "ring", "woke": "wake", "woken": "wake", "hurt": "hurt",
}

_stemmer = snowballstemmer.stemmer("english")


@lru_cache(maxsize=100_000)
def family(word: str) -> str:
    """The key a word shares with its family: "shouting" and "shouted" both give "shout"."""
    return IRREGULAR.get(word) or str(_stemmer.stemWord(word))


@dataclass(frozen=True)
class Plain:
    """A text made plain: its words, each word's family, and which clause each is in
    (clauses end at . ! ? ; a new line, a dash, or "but")."""
    words: tuple[str, ...]
    families: tuple[str, ...]
    clauses: tuple[int, ...]


@lru_cache(maxsize=100_000)
def _spelt_out(token: str) -> tuple[str, ...]:
    token = _HELD.sub(r"\1", token)
    return TEXT_SPEAK.get(token, (token,))


def _plain_tokens(text: str) -> list[str]:
    """Plain words, with the marks that end a clause left in as one-character tokens."""
    return [w for token in _TOKEN.findall(_APOSTROPHES.sub("", text.lower()))
            for w in _spelt_out(token) if w]


def plain_words(text: str) -> list[str]:
    """The plain words of a text, in order."""
    return [w for w in _plain_tokens(text) if w[0].isalnum()]


def make_plain(text: str) -> Plain:
    found: list[str] = []
    clauses: list[int] = []
    clause = 0
    for w in _plain_tokens(text):
        if not w[0].isalnum():
            clause += 1
            continue
        if w in _CLAUSE_WORDS:
            clause += 1
        found.append(w)
        clauses.append(clause)
    return Plain(tuple(found), tuple(family(w) for w in found), tuple(clauses))
