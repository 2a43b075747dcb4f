"""The labels the tagger gives, in one light module that reports can read without loading
the tagger's model: sentiments (worst first, the model's class order) and risk levels."""

from __future__ import annotations

SENTIMENTS = ("negative", "neutral", "positive")
RISK_LEVELS = ("none", "concern", "urgent")  # least to most worrying
NO_RISK = RISK_LEVELS[0]
