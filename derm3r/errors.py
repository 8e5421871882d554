"""Typed errors. Each one says what was wrong in words a user can act on.

``InputError`` and its subclasses are the user's to fix (the CLI exits 2 and prints the message,
which names the field and the problem); the other errors are failures of derm3r or its setup (exit 1).
"""

from __future__ import annotations


class Derm3RError(Exception):
    """Base class of every error derm3r raises on purpose."""


class InputError(Derm3RError, ValueError):
    """Something a user gave is malformed; the message names the field (or flag, or file) and the problem."""


class CaseInputError(InputError):
    """A case file or dict is malformed."""


class OptionError(InputError):
    """A command-line flag, an engine option or a setting has a value derm3r cannot use."""


class KnowledgeBaseError(Derm3RError):
    """The knowledge base on disk is invalid or inconsistent."""


class EngineError(Derm3RError):
    """An engine could not be built or failed to answer."""


class EngineInputError(EngineError, OptionError):
    """An engine setting the user gave is wrong (an unknown engine name, a model path that does not exist)."""
