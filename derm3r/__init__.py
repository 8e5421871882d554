"""derm3r: DERM-3R, TCM dermatologic diagnosis and treatment as three cooperating agents.

Importing the package is cheap: the graph, chromadb and any model libraries load only when a
:class:`Derm3R` is built.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["Derm3R", "__version__"]

if TYPE_CHECKING:
    from derm3r.api import Derm3R


def __getattr__(name: str) -> Any:
    if name == "Derm3R":
        from derm3r.api import Derm3R

        return Derm3R
    raise AttributeError(f"module 'derm3r' has no attribute {name!r}")
