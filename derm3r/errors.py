"""Typed errors. Each one says what was wrong in words a user can act on."""

from __future__ import annotations


class Derm3RError(Exception):
    """Base class of every error derm3r raises on purpose."""


class CaseInputError(Derm3RError, ValueError):
    """A case file or dict is malformed; the message names the field and the problem."""


class KnowledgeBaseError(Derm3RError):
    """The knowledge base on disk is invalid or inconsistent."""


class EngineError(Derm3RError):
    """An engine could not be built or failed to answer."""
