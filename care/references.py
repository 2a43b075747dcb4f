"""The references people and staff quote back to us: CB-1001 for a problem, thank you or
idea; A-12 for a safeguarding alert."""

from __future__ import annotations

# Issue references start at CB-1001 so they look like references, not counts.
ISSUE_REFERENCE_BASE = 1000
ISSUE_PREFIX = "CB-"
ALERT_PREFIX = "A-"


def issue_reference(issue_id: int) -> str:
    return f"{ISSUE_PREFIX}{ISSUE_REFERENCE_BASE + issue_id}"


def alert_reference(alert_id: int) -> str:
    return f"{ALERT_PREFIX}{alert_id}"
