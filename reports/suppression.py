"""The suppression rule, applied once before anything is rendered: a count of fewer
than `threshold` (but not none) is hidden, and so is any figure from which a hidden one
could be worked out. Counts about a service's duty (alerts, open issues) are not about
people's views and are never hidden; callers do not pass them here."""

from __future__ import annotations

from collections.abc import Mapping


def small(count: int, threshold: int) -> bool:
    return 0 < count < threshold


def suppressed_counts(counts: Mapping[str, int], threshold: int) -> dict[str, int | None]:
    """Each count, or None where hidden. If exactly one is hidden, the total of the rest
    would give it away, so the next smallest is hidden too."""
    shown: dict[str, int | None] = {
        key: None if small(count, threshold) else count for key, count in counts.items()}
    hidden = [key for key, value in shown.items() if value is None]
    if len(hidden) == 1:
        others = sorted((count, key) for key, count in counts.items()
                        if key not in hidden and count > 0)
        if others:
            shown[others[0][1]] = None
    return shown


def share_percent(part: int, whole: int, people: int, threshold: int) -> int | None:
    """`part` of `whole` as a whole percentage, unless fewer than `threshold` people gave
    the answers (then it would say something about one or two people)."""
    if whole == 0 or people < threshold:
        return None
    return round(100 * part / whole)
