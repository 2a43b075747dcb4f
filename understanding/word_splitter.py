"""Splitting free text into words, without NLTK's downloadable corpora: one rule for the
tagger's cues and for the words a digest counts, so "short-staffed", "didn't" and "n/a"
are each one word everywhere."""

from __future__ import annotations

import re

_WORD = re.compile(r"[a-z0-9]+(?:['\-][a-z0-9]+)*")

STOPWORDS = frozenset(
    [
        "a", "about", "above", "after", "again", "all", "also", "am", "an", "and", "any", "are",
        "as", "at", "be", "because", "been", "before", "being", "below", "bit", "both", "but",
        "by", "can", "could", "did", "do", "does", "doing", "don't", "down", "during", "each",
        "even", "ever", "every", "few", "for", "from", "further", "get", "got", "had", "has",
        "have", "having", "he", "her", "here", "hers", "herself", "him", "himself", "his", "how",
        "i", "i'm", "i've", "if", "in", "into", "is", "it", "it's", "its", "itself", "just",
        "like", "lot", "me", "more", "most", "much", "my", "myself", "no", "nor", "not", "now",
        "of", "off", "on", "once", "one", "only", "or", "other", "our", "ours", "out", "over",
        "own", "really", "same", "she", "should", "so", "some", "still", "such", "than", "that",
        "the", "their", "theirs", "them", "then", "there", "these", "they", "this", "those",
        "through", "to", "too", "under", "until", "up", "us", "very", "was", "we", "well", "were",
        "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with", "would",
        "you", "your", "yours", "yourself", "yourselves",
    ]
)


def words(text: str) -> list[str]:
    """Lower-case words, apostrophes made plain, in order."""
    return _WORD.findall(text.lower().replace("’", "'").replace("‘", "'"))


def content_words(text: str) -> list[str]:
    """Words that carry meaning (not numbers, not stop words), in the order they appear."""
    return [w for w in words(text) if w[0].isalpha() and w not in STOPWORDS and len(w) > 2]
