"""The DERM-3R graph: admit → Rec (per source, in parallel) → Rep → Reason → safety, wired at a glance.

Input: :class:`~derm3r.graph.state.ConsultInput` (a case and its folder). Output: the
:class:`~derm3r.schemas.consultation.Consultation`. Context: :class:`~derm3r.graph.context.ConsultContext`
(names and settings), so ``langgraph dev`` serves the same graph that :class:`derm3r.Derm3R` runs.
"""

from __future__ import annotations

from typing import Any

from langgraph.graph import END, START, StateGraph

from derm3r.graph.context import ConsultContext
from derm3r.graph.nodes import (
    admit_case,
    check_safety,
    reason_holistically,
    recognize_lesions,
    represent_lesions,
    route_after_representation,
    send_sources,
)
from derm3r.graph.state import ConsultInput, ConsultState, RecTask
from derm3r.schemas.consultation import Consultation


def build_graph() -> Any:
    """Build and compile the consultation graph.

    Returns:
        The compiled graph; run it with ``context=ConsultContext(...)``.
    """
    builder = StateGraph(
        ConsultState, input_schema=ConsultInput, output_schema=Consultation, context_schema=ConsultContext
    )
    builder.add_node("admit_case", admit_case)
    # A Send target takes its own input (one source), which langgraph's overloads do not type.
    builder.add_node("recognize_lesions", recognize_lesions, input_schema=RecTask)  # type: ignore[call-overload]
    builder.add_node("represent_lesions", represent_lesions)
    builder.add_node("reason_holistically", reason_holistically)
    builder.add_node("check_safety", check_safety)
    builder.add_edge(START, "admit_case")
    builder.add_conditional_edges("admit_case", send_sources, ["recognize_lesions"])
    builder.add_edge("recognize_lesions", "represent_lesions")
    builder.add_conditional_edges("represent_lesions", route_after_representation)
    builder.add_edge("reason_holistically", "check_safety")
    builder.add_edge("check_safety", END)
    return builder.compile()


#: Module-level compiled graph for ``langgraph.json`` and LangGraph's dev server.
graph = build_graph()
