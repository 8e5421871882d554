"""Negation-aware extraction of clinical signs from Chinese (and English) case text."""
