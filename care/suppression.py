"""Small-number suppression, the one rule for which counts about people's views are shown:
a count of fewer than `threshold` (but not none) is hidden, since it could point at one or
two people; none points at nobody, so it is shown. So is hidden any figure from which a
hidden one could be worked out: what a group whose size is hidden said (its answers split
by value, a share of them, their themes and quotes); beside exactly one hidden count, the
next smallest one (else the total less the others would give it away); and a figure over
several weeks when any week of it is hidden (else it, less the weeks shown, would).

Counts about a service's duty (alerts, requests to talk, the messages people sent, which
the staff's read list and open issues count one by one) are not about people's views and
are never hidden; callers do not pass them here. The threshold is `suppression_threshold`
(at least 1)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping


def hidden(count: int, threshold: int) -> bool:
    """Whether this count is too small to show: the one comparison with the threshold."""
    return 0 < count < threshold


def enough_people(people: int, threshold: int) -> bool:
    """Whether what a group of `people` said may be shown at all (split by answer, as a
    share, as themes or quotes): only if there is someone and their number is not hidden.
    A split of a hidden group would show what one or two people said, even in a part that
    is none ("neither said good")."""
    return people > 0 and not hidden(people, threshold)


def every_week_shown(people_each_week: Iterable[int], threshold: int) -> bool:
    """Whether a figure added up over these weeks may be shown: not if in any of them
    too few people answered for that week to be shown, since the weeks shown (in this
    report's trend, or the weekly digests) taken from the total would give it away."""
    return not any(hidden(people, threshold) for people in people_each_week)


def suppressed_counts(counts: Mapping[str, int], threshold: int,
                      hide: Collection[str] = ()) -> dict[str, int | None]:
    """Each count, or None where hidden (or named in `hide`: a count some other figure
    hides, such as one whose week is hidden). If exactly one is hidden, the total of the
    rest would give it away, so the next smallest is hidden too (never a none, which is
    always shown)."""
    shown: dict[str, int | None] = {
        key: None if hidden(count, threshold) or (key in hide and count) else count
        for key, count in counts.items()}
    gone = [key for key, value in shown.items() if value is None]
    if len(gone) == 1:
        others = sorted((count, key) for key, count in counts.items()
                        if key not in gone and count > 0)
        if others:
            shown[others[0][1]] = None
    return shown


def share_percent(part: int, whole: int, people: int, threshold: int) -> int | None:
    """`part` of `whole` as a whole percentage, unless the `people` who gave the answers
    are not enough to show (then it would say something about one or two people) or
    there is no whole."""
    if whole == 0 or not enough_people(people, threshold):
        return None
    return percent_of(part, whole)


def percent_of(part: int, whole: int) -> int:
    """A whole percentage, a half rounded up as people learnt at school (Python's round
    takes a half to the even number: 1 of 8 would be 12% beside 7 of 8 as 88%)."""
    return (200 * part + whole) // (2 * whole)
