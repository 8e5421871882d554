"""The DERM-3R graph: Rec → Rep → Reason → safety, wired at a glance."""

from __future__ import annotations

from typing import Any

from langgraph.graph import END, START, StateGraph

from derm3r.graph.context import RunContext
from derm3r.graph.nodes import (
    check_safety,
    reason_holistically,
    recognize_lesions,
    represent_lesions,
    route_after_representation,
)
from derm3r.graph.state import ConsultState


def build_graph() -> Any:
    """Build and compile the consultation graph.

    Returns:
        The compiled graph; run it with ``context=RunContext(...)``.
    """
    builder = StateGraph(ConsultState, context_schema=RunContext)
    builder.add_node("recognize_lesions", recognize_lesions)
    builder.add_node("represent_lesions", represent_lesions)
    builder.add_node("reason_holistically", reason_holistically)
    builder.add_node("check_safety", check_safety)
    builder.add_edge(START, "recognize_lesions")
    builder.add_edge("recognize_lesions", "represent_lesions")
    builder.add_conditional_edges("represent_lesions", route_after_representation)
    builder.add_edge("reason_holistically", "check_safety")
    builder.add_edge("check_safety", END)
    return builder.compile()


#: Module-level compiled graph for ``langgraph.json`` and LangGraph's dev tools.
graph = build_graph()
