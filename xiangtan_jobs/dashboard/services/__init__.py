"""Writes of the dashboard: the roll-up refresh and the assessment's closing and adjustments."""

from __future__ import annotations

from .assessment import assessment_adjust, assessment_close
from .rollup import rollup_default_days, rollup_refresh, rollup_rows

__all__ = ["assessment_adjust", "assessment_close", "rollup_default_days", "rollup_refresh", "rollup_rows"]
