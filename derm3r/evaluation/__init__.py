"""Batch evaluation against expert plans: line format, metrics, aggregation, runner and reports."""

from __future__ import annotations

from derm3r.evaluation.lines import EvalLine, EvaluationInputError, ExpertHerb, ExpertPlan

__all__ = ["EvalLine", "EvaluationInputError", "ExpertHerb", "ExpertPlan"]
