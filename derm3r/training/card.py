"""The adapter's README.md model card, filled from the run that trained it."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

import yaml

import derm3r

_AGENTS = {"rec": "DERM-Rec (lesion recognition)", "rep": "DERM-Rep (lesion representation)", "reason": "DERM-Reason"}


def model_card(meta: dict[str, Any], command: list[str]) -> str:
    """Write the model card text for one trained adapter.

    Args:
        meta: The adapter's provenance (``derm3r_adapter.json`` content).
        command: The arguments the run was started with.

    Returns:
        Markdown with a YAML header (``base_model``, ``library_name: peft``, tags) that the Hub reads.
    """
    agent = meta["agent"]
    config, metrics = meta["config"], meta["metrics"]
    header = {
        "base_model": meta["base_model"],
        "library_name": "peft",
        "pipeline_tag": "image-text-to-text" if meta.get("vision_language", True) else "text-generation",
        "tags": ["derm3r", f"derm3r-{agent}", "lora", "sft", "trl"],
    }
    out_dir = Path(config.get("output_dir") or "adapters")
    serve = shlex.join(
        [
            "derm3r",
            "consult",
            "CASE.json",
            "--engine",
            "hf",
            "--engine-option",
            f"model={meta['base_model']}",
            "--engine-option",
            f"adapters_dir={out_dir}",
        ]
    )
    settings = "\n".join(f"| `{key}` | `{value}` |" for key, value in sorted(config.items()))
    return (
        f"---\n{yaml.safe_dump(header, allow_unicode=True, sort_keys=False)}---\n\n"
        f"# derm3r {agent} adapter\n\n"
        f"LoRA adapter for the {_AGENTS.get(agent, agent)} agent of derm3r {derm3r.__version__}, trained with "
        "TRL's SFTTrainer on answers only (the prompt is masked). It fits one base model and one prompt "
        "version: the hf engine refuses it on any other (`derm3r_adapter.json`).\n\n"
        "| | |\n|---|---|\n"
        f"| base model | `{meta['base_model']}` (revision `{meta.get('base_revision')}`, config "
        f"`{meta['base_config_hash']}`) |\n"
        f"| agent | `{agent}` |\n"
        f"| prompt hash | `{meta['prompt_hash']}` |\n"
        f"| data hash | `{meta['data_hash']}` ({metrics['train_samples']} training, "
        f"{metrics['validation_samples']} validation samples) |\n"
        f"| final eval loss | {metrics.get('validation_loss')} |\n"
        f"| steps | {metrics['steps']} ({metrics['seconds']} s) |\n"
        f"| derm3r | {derm3r.__version__} |\n\n"
        f"## Serve\n\n```\n{serve}\n```\n\n"
        "Several adapters in one folder (`rec/ rep/ reason/`) serve one agent each; "
        "`derm3r finetune export` readies them for vLLM or merges one into its base.\n\n"
        f"## Trained with\n\n```\n{shlex.join(['derm3r', 'finetune', *command])}\n```\n\n"
        f"| setting | value |\n|---|---|\n{settings}\n"
    )


def write_card(directory: Path, meta: dict[str, Any], command: list[str]) -> Path:
    """Write ``README.md`` into the adapter folder (replacing PEFT's empty template).

    Returns:
        The file written.
    """
    path = directory / "README.md"
    path.write_text(model_card(meta, command), encoding="utf-8")
    return path
