"""Deterministic clinical logic over the knowledge base: differentiation, prescribing, staging."""
