"""Fine-tuning: per-agent SFT data from evaluation lines, LoRA/QLoRA training, adapter provenance."""

from __future__ import annotations
