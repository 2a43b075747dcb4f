"""The care-rule modules mutated by `make mutation`, and the tests that cover each: the
one place to add a module or a test file. Fast test files only (no whole-demo runs);
`functions` narrows a big module to the functions (and module-level tables) that are the
rule, leaving out what only words a message."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Target:
    path: str                        # the module, relative to the checkout
    what: str                        # the rule, in a few words
    tests: tuple[str, ...]           # the test files (or test ids) that cover it
    functions: tuple[str, ...] = ()  # only these (empty: the whole module)


# The alert journeys that decide who has an alert and when (the whole file takes 25 s;
# these, about 10 s), and the whole file of first alerts.
_CHAIN = "tests/journeys/test_alert_chain.py::test_"
ALERT_TESTS = (
    "tests/journeys/test_alerts.py",
    *(_CHAIN + name for name in (
        "nobody_acts_so_it_climbs_the_chain", "an_urgent_alert_climbs_after_ten_minutes",
        "a_duty_contact_who_blocked_the_bot_is_passed_over_at_once",
        "a_restart_with_an_alert_open_repeats_no_step", "a_talk_request_is_chased_the_same_way",
        "a_talk_request_is_done_only_when_they_have_talked", "someone_never_sent_it_cannot_act",
        "words_that_accuse_a_carer_go_to_the_council_and_not_to_the_provider",
        "the_lead_lets_the_provider_see_words_that_accuse_its_staff",
        "an_alert_taken_is_followed_up_until_they_have_contacted_the_person")),
)

TARGETS: tuple[Target, ...] = (
    Target("care/suppression.py", "small-number suppression",
           ("tests/care/test_suppression.py", "tests/reports/test_measures.py")),
    Target("care/alert_policy.py", "alert policy: order, who can be reached, waits, outcomes",
           ("tests/care/test_alert_policy.py", "tests/bot/test_alert_chain_rules.py",
            "tests/storage/test_alert_rules.py")),
    Target("workflow/alert_chain.py", "alert policy applied: each step, its wait and its history",
           ("tests/bot/test_alert_chain_rules.py", *ALERT_TESTS),
           ("HISTORY_WHOLE", "HISTORY_LAST", "wait_for", "reachable_chain", "handover",
            "raise_and_send", "_history", "escalate_one", "_follow_up")),
    Target("storage/alerts.py", "alert policy kept: handing over, acting, what may follow",
           ("tests/storage/test_alert_rules.py", "tests/bot/test_alert_chain_rules.py",
            *ALERT_TESTS),
           ("_hand_over", "RaisedAlert.hand_over", "raising", "raise_alert", "release",
            "_raised_before", "escalate",
            "to_escalate", "was_told", "next_outcomes", "act", "open_talk_request")),
    Target("storage/outbox.py", "outbox claims: claimed once, most urgent first, released",
           ("tests/storage/test_outbox_claims.py", "tests/storage/test_checkins.py",
            "tests/bot/test_outbox_sender.py"),
           ("PRIORITY", "ONE_PERSON", "_values", "add_message", "add_claimed", "claimed",
            "claimed_message", "claim_pending", "mark_sent", "mark_retry", "mark_failed",
            "release_interrupted")),
    Target("care/issue_moves.py", "an issue's moves: the rule",
           ("tests/care/test_issue_moves.py", "tests/storage/test_issue_rules.py")),
    Target("storage/issues.py", "an issue's moves as kept: once, with its messages",
           ("tests/storage/test_issues.py", "tests/storage/test_issue_rules.py",
            "tests/journeys/test_issue_life.py", "tests/journeys/test_issue_chasing.py"),
           ("raise_issue", "set_issue_kind", "change_status", "record_reply",
            "_waiting_for", "problems_to_chase", "mark_chased", "open_issues")),
    Target("understanding/safeguarding.py", "the risk assessment",
           ("tests/understanding/test_risk_rules.py", "tests/understanding/test_tagger.py",
            "tests/understanding/test_allegations.py")),
)


# Survivors judged harmless after reading them (equivalent to the original, or outside the
# rule), by module, the line as written and the mutant's description, with why: `make
# mutation` marks them. A line that changes makes its entry lapse, to be judged again.
_ABOUT = "again = NewAlert(alert.service_id, alert.about_id or 0, alert.level, alert.evidence,"
_LOG_ONLY = "only which log line is written (the alert moves, or not, as before)"
HARMLESS: dict[tuple[str, str, str], str] = {
    ("care/suppression.py", "if key not in gone and count > 0)",
     "`0` → `1` in `if key not in gone and count > 0)`"):
        "equivalent: a count of 1 is shown only under a threshold of 1, which hides "
        "nothing, so the next smallest is never looked for beside a shown 1",
    ("workflow/alert_chain.py", _ABOUT, f"`0` → `-1` in `{_ABOUT}`"):
        "equivalent: no person has id 0 or -1, so both name nobody",
    ("workflow/alert_chain.py", "if moved and target is None:",
     "`moved and target is None` → `moved or target is None`"): _LOG_ONLY,
    ("workflow/alert_chain.py", "if moved and target is None:",
     "`target is None` → `target is not None`"): _LOG_ONLY,
    ("workflow/alert_chain.py", "elif moved and target is not None:",
     "`moved and target is not None` → `moved or target is not None`"): _LOG_ONLY,
    ("workflow/alert_chain.py", "elif moved and target is not None:",
     "`target is not None` → `target is None`"): _LOG_ONLY,
    ("storage/outbox.py", "return _message(rows[0]) if rows else None",
     "`0` → `-1` in `return _message(rows[0]) if rows else None`"):
        "equivalent: one message is written, so RETURNING gives one row at most",
    ("storage/issues.py", "offset: int = 0) -> tuple[list[Issue], int]:",
     "`0` → `-1` in `offset: int = 0) -> tuple[list[Issue], int]:`"):
        "equivalent: SQLite reads a negative OFFSET as none",
    ("understanding/safeguarding.py",
     "if m.owner == RESOLVED and not m.negated), default=-1)",
     "`-1` → `-2` in `if m.owner == RESOLVED and not m.negated), default=-1)`"):
        "equivalent: clauses are numbered from 0, so -1 and -2 both mean nothing was said "
        "to be over",
}
