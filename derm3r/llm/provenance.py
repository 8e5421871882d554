"""Adapter provenance: ``derm3r_adapter.json`` beside each saved adapter, and the checks the hf engine runs.

An adapter only makes sense on the base it was trained on and behind the prompt it was trained
with; serving it anywhere else gives confident nonsense, so the engine refuses it instead.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from derm3r.errors import EngineError

METADATA_FILE = "derm3r_adapter.json"
FORMAT = 1
# Keys that change with how a model is loaded or saved, not with what it computes.
_VOLATILE = frozenset(
    {
        "_name_or_path",
        "transformers_version",
        "dtype",
        "torch_dtype",
        "quantization_config",
        "_commit_hash",
        "use_cache",
    }
)


def _stable(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _stable(item) for key, item in sorted(value.items()) if key not in _VOLATILE}
    if isinstance(value, list):
        return [_stable(item) for item in value]
    return value


def config_hash(config: Any) -> str:
    """Hash a transformers model config, ignoring load-time details (dtype, quantization, path).

    Args:
        config: A ``PretrainedConfig`` or its dict.

    Returns:
        A short hex digest that names the architecture and sizes of the base model.
    """
    data = config if isinstance(config, dict) else config.to_dict()
    text = json.dumps(_stable(data), sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def write_metadata(directory: Path, metadata: dict[str, Any]) -> Path:
    """Write the provenance file into an adapter directory.

    Args:
        directory: The saved adapter.
        metadata: Base model, revision, config hash, agent, prompt hash, data hash, config, metrics.

    Returns:
        The file written.
    """
    path = directory / METADATA_FILE
    path.write_text(json.dumps({"format": FORMAT, **metadata}, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def read_metadata(directory: Path) -> dict[str, Any] | None:
    """Read an adapter's provenance, or None for an adapter saved without it.

    Raises:
        EngineError: When the file exists but is not a JSON object.
    """
    path = directory / METADATA_FILE
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise EngineError(f"{path}: unreadable adapter metadata: {error}") from error
    if not isinstance(data, dict):
        raise EngineError(f"{path}: adapter metadata must be a JSON object")
    return data


def check_base(directory: Path, agent: str, base_config: Any) -> None:
    """Refuse an adapter trained for another agent or on another base model.

    Args:
        directory: The adapter directory (its folder name is the agent it serves).
        agent: The agent the adapter is about to serve.
        base_config: The loaded base model's config.

    Raises:
        EngineError: On an agent or base mismatch; the message names both sides.
    """
    meta = read_metadata(directory)
    if meta is None:
        return
    trained_for = meta.get("agent")
    if trained_for != agent:
        raise EngineError(f"adapter {directory}: trained for agent {trained_for!r}, cannot serve agent {agent!r}")
    expected = meta.get("base_config_hash")
    actual = config_hash(base_config)
    if expected != actual:
        raise EngineError(
            f"adapter {directory}: trained on base {meta.get('base_model')!r} (config {expected}), "
            f"but the loaded base has config {actual}; load the base it was trained on"
        )


def check_prompt(directory: Path, agent: str, current_hash: str) -> None:
    """Refuse an adapter trained with other prompts than the ones the engine renders now.

    Args:
        directory: The adapter directory.
        agent: The agent it serves.
        current_hash: :func:`derm3r.training.data.prompt_hash` of the engine's spec and templates.

    Raises:
        EngineError: When the adapter's prompt hash differs.
    """
    meta = read_metadata(directory)
    if meta is None:
        return
    trained = meta.get("prompt_hash")
    if trained != current_hash:
        raise EngineError(
            f"adapter {directory}: trained with agent {agent!r} prompts {trained!r}, but the engine renders "
            f"prompts {current_hash!r}; retrain the adapter or use the prompts it was trained with"
        )
