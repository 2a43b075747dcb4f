"""TextBlob's sentiment (its PatternAnalyzer and lexicon), loaded without the rest of
TextBlob.

`import textblob` runs the package's start-up, which imports NLTK, and NLTK imports SciPy
and scikit-learn when they are installed: a second of start-up and over 100 MB that the
sentiment never uses (it needs only the standard library). So when TextBlob is not yet
loaded, its package is made without running that start-up, and `textblob.en` loaded into
it. The package finishes its start-up the first time anyone asks it for anything else
(`from textblob import TextBlob` still works, at the usual cost, when it is needed).
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from collections.abc import Callable
from types import ModuleType
from typing import Any

PolarityAndSubjectivity = Callable[[Any], tuple[float, float]]


def _deferred_package() -> None:
    """Put a `textblob` package in sys.modules whose start-up runs on first use."""
    spec = importlib.util.find_spec("textblob")
    if spec is None or spec.loader is None:
        raise ImportError("textblob is not installed")
    package = importlib.util.module_from_spec(spec)
    loader = spec.loader

    def finish(name: str) -> Any:
        del package.__dict__["__getattr__"]
        loader.exec_module(package)
        return getattr(package, name)

    package.__dict__["__getattr__"] = finish
    sys.modules["textblob"] = package


def sentiment() -> PolarityAndSubjectivity:
    """TextBlob's English sentiment: called with a text or a list of words, it gives
    (polarity, subjectivity)."""
    if "textblob" not in sys.modules:
        _deferred_package()
    english: ModuleType = importlib.import_module("textblob.en")
    found: PolarityAndSubjectivity = english.sentiment
    return found
