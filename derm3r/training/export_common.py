"""What both exports share: the error, the adapters to export, and the agent/prompt checks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from derm3r.errors import InputError
from derm3r.llm.provenance import METADATA_FILE

ADAPTER_FILES = ("adapter_config.json", "adapter_model.safetensors")
SERVED_BASE_NAME = "base"  # the openai engine's default ``model``: what agents without an adapter ask for


class ExportError(InputError):
    """An adapter cannot be exported as asked; the message names the agent and the problem."""


def agent_adapters() -> dict[str, str]:
    """Map each agent to its adapter name (``agents/*.yaml`` ``adapter:``); agents without one are left out.

    Returns:
        Agent name -> adapter name, which is also the adapter's folder name and its served model name.
    """
    from derm3r.llm.specs import load_agent_specs

    return {name: spec.adapter for name, spec in load_agent_specs().items() if spec.adapter}


def select_adapters(adapters_dir: Path, agent: str | None) -> dict[str, Path]:
    """Agent -> adapter folder for the agents to export; refuses a missing folder or unknown agent."""
    if not adapters_dir.is_dir():
        raise ExportError(f"adapters_dir: {adapters_dir} is not a folder")
    known = agent_adapters()
    if agent is not None:
        if agent not in known:
            raise ExportError(f"--agent: expected one of {', '.join(sorted(known))}, got {agent!r}")
        folder = adapters_dir / known[agent]
        if not (folder / "adapter_config.json").is_file():
            raise ExportError(f"agent {agent!r}: no adapter at {folder} (adapter_config.json missing)")
        return {agent: folder}
    found = {name: adapters_dir / adapter for name, adapter in known.items()}
    found = {name: folder for name, folder in found.items() if (folder / "adapter_config.json").is_file()}
    if not found:
        raise ExportError(f"adapters_dir: no adapter folders ({', '.join(sorted(known.values()))}) in {adapters_dir}")
    return found


def _read_json(path: Path, agent: str) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ExportError(f"agent {agent!r}: cannot read {path}: {error}") from error
    if not isinstance(data, dict):
        raise ExportError(f"agent {agent!r}: {path} is not a JSON object")
    return data


def read_metadata(folder: Path, agent: str) -> dict[str, Any] | None:
    """The adapter's ``derm3r_adapter.json``, or None when it has none (refused when unreadable)."""
    path = folder / METADATA_FILE
    return _read_json(path, agent) if path.is_file() else None


def check_agent_and_prompts(folder: Path, agent: str, meta: dict[str, Any] | None) -> None:
    """Refuse an adapter trained for another agent or with other prompts than derm3r renders now.

    The hf engine checks this when it loads adapters; a vLLM server or a merged checkpoint cannot, so
    export is the last place where the mismatch is still visible.
    """
    from derm3r.llm.prompts import prompt_hash
    from derm3r.llm.specs import PromptRenderer, load_agent_specs

    if meta is None:
        return
    if meta.get("agent") != agent:
        raise ExportError(f"agent {agent!r}: the adapter at {folder} was trained for agent {meta.get('agent')!r}")
    current = prompt_hash(load_agent_specs()[agent], PromptRenderer())
    if meta.get("prompt_hash") != current:
        raise ExportError(
            f"agent {agent!r}: adapter trained with prompts {meta.get('prompt_hash')!r}, but derm3r renders "
            f"prompts {current!r} now; retrain it (serving it would answer prompts it never saw)"
        )
