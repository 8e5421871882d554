"""Per-agent chat samples from evaluation lines, rendered with the very prompts the engines send.

Prompt variables, templates and their hash come from :mod:`derm3r.llm.prompts`, the passages from
:func:`derm3r.llm.retrieval.retrieve` over each agent spec's ``retrieval``: the same functions the
LLM engine and the graph's nodes call, so a sample is what the served adapter will see.

One evaluation line is one visit, so a multi-visit patient gives one sample per visit and agent
(Rec: one per image, or one from the text). The split is by patient: every visit of a patient lands
on the same side, so validation never sees a patient seen in training.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from derm3r.evaluation.lines import EvalLine, EvaluationInputError, file_lines, iter_lines, load_json_line, parse_line
from derm3r.llm.prompts import prompt_hash, reason_variables, rec_variables, render_messages, rep_variables
from derm3r.llm.retrieval import retrieve
from derm3r.llm.specs import AgentSpec, PromptRenderer, load_agent_specs
from derm3r.schemas.case import Case
from derm3r.schemas.findings import LesionFindings
from derm3r.training.targets import as_findings, dump_target, reason_target, rec_targets, rep_target

if TYPE_CHECKING:
    from derm3r.engines.knowledge import KnowledgeEngine
    from derm3r.kb.loader import KnowledgeBase
    from derm3r.kb.store import KnowledgeStore

__all__ = ["AGENTS", "Sample", "SampleBuilder", "as_findings", "load_samples", "prepare", "prompt_hash"]
AGENTS = ("rec", "rep", "reason")
#: Strips an explicit visit suffix (``ps-001-v2``, ``ps-001_visit3``) so the visits of one patient share a key.
DEFAULT_PATIENT_PATTERN = r"^(.*?)(?:[-_](?:v|visit)\d+)?$"
#: Optional key of a raw line: per-image expert descriptions, image path → Chinese description.
IMAGE_DESCRIPTIONS_KEY = "image_descriptions"


@dataclass(frozen=True)
class Sample:
    """One supervised chat turn for one agent.

    Attributes:
        agent: rec, rep or reason.
        sample_id: Unique id: case id, agent and (for Rec) the source.
        case_id: The visit's case id.
        patient: The patient key the split groups by.
        messages: System and user messages, exactly as the engine renders them.
        images: Absolute image paths, in the order the user turn carries them.
        target: The assistant's answer: compact JSON of the agent's output schema.
        prompt_hash: Hash of the agent's templates and schema (see :func:`prompt_hash`).
    """

    agent: str
    sample_id: str
    case_id: str
    patient: str
    messages: list[dict[str, str]]
    images: list[str]
    target: str
    prompt_hash: str
    split: str = "train"

    def to_json(self) -> str:
        """Return the sample as one JSONL line."""
        return json.dumps(asdict(self), ensure_ascii=False)


@dataclass
class SplitStats:
    """What ``prepare`` wrote for one agent."""

    train: int = 0
    validation: int = 0
    mean_target_chars: float = 0.0
    patients_train: list[str] = field(default_factory=list)
    patients_validation: list[str] = field(default_factory=list)


class SampleBuilder:
    """Turns evaluation lines into per-agent samples with the engines' specs and renderer."""

    def __init__(
        self,
        specs: dict[str, AgentSpec] | None = None,
        renderer: PromptRenderer | None = None,
        *,
        patient_pattern: str = DEFAULT_PATIENT_PATTERN,
        knowledge: KnowledgeBase | None = None,
        store: KnowledgeStore | None = None,
    ) -> None:
        """Prepare the renderer.

        Args:
            specs: Agent specs; defaults to the packaged ones.
            renderer: Prompt renderer; defaults to the packaged prompts.
            patient_pattern: Regex over the case id; its first group (or whole match) is the patient key.
            knowledge: Knowledge base whose reading of the case gives Rep targets their stage and severity.
            store: The vector store the graph retrieves passages from, as each agent spec's ``retrieval``
                declares (None: no passages, which matches consultations run without retrieval).

        Raises:
            EvaluationInputError: When ``patient_pattern`` is not a valid regex.
        """
        self.specs = specs or load_agent_specs()
        self.renderer = renderer or PromptRenderer()
        try:
            self.patient_re = re.compile(patient_pattern)
        except re.error as error:
            raise EvaluationInputError(f"patient_pattern: invalid regex {patient_pattern!r}: {error}") from error
        self.hashes = {agent: prompt_hash(self.specs[agent], self.renderer) for agent in AGENTS}
        self.store = store
        self.knowledge: KnowledgeEngine | None = None
        if knowledge is not None:
            from derm3r.engines.base import EngineOptions
            from derm3r.engines.knowledge import KnowledgeEngine

            self.knowledge = KnowledgeEngine(EngineOptions(knowledge=knowledge))

    def patient_key(self, case_id: str) -> str:
        """Return the patient key of a case id (the split unit)."""
        match = self.patient_re.search(case_id)
        if not match:
            return case_id
        return (match.group(1) if match.groups() else match.group(0)) or case_id

    def build(self, line: EvalLine, *, base_dir: Path, descriptions: dict[str, str] | None = None) -> list[Sample]:
        """Build every agent's samples for one visit.

        Args:
            line: The evaluation line.
            base_dir: Folder the case's image paths are relative to.
            descriptions: Per-image expert descriptions, by image path.

        Returns:
            Rec samples (the text, then one per described image), one Rep and one Reason sample when the
            expert data allows them.

        Raises:
            EvaluationInputError: When an image file is missing.
        """
        case = line.case
        patient = self.patient_key(case.case_id)
        samples: list[Sample] = []
        findings: list[LesionFindings] = []
        for image, target in rec_targets(line, descriptions or {}):
            images = [str((base_dir / image.path).resolve())] if image else []
            if image is not None and not Path(images[0]).is_file():
                raise EvaluationInputError(f"case {case.case_id}: images[{image.path}]: not found in {base_dir}")
            finding = as_findings(image, target)
            samples.append(
                self._sample("rec", case, patient, finding.source, rec_variables(case, image), images, target)
            )
            findings.append(finding)
        representation = rep_target(line, self.knowledge)
        if representation.summary or representation.pathogenesis:
            passages = retrieve(self.store, self.specs["rep"].retrieval, case, findings=findings)
            variables = rep_variables(case, findings, passages)
            samples.append(self._sample("rep", case, patient, "rep", variables, [], representation))
        reasoned = reason_target(line)
        if reasoned is not None:
            summary = representation.summary
            passages = retrieve(self.store, self.specs["reason"].retrieval, case, summary=summary)
            variables = reason_variables(case, summary, representation.pathogenesis, passages)
            samples.append(self._sample("reason", case, patient, "reason", variables, [], reasoned))
        return samples

    def _sample(
        self,
        agent: str,
        case: Case,
        patient: str,
        tag: str,
        variables: dict[str, Any],
        images: list[str],
        target: BaseModel,
    ) -> Sample:
        system, user = render_messages(self.specs[agent], self.renderer, variables)
        return Sample(
            agent=agent,
            sample_id=f"{case.case_id}:{agent}:{tag}",
            case_id=case.case_id,
            patient=patient,
            messages=[{"role": "system", "content": system.content}, {"role": "user", "content": user.content}],
            images=images,
            target=dump_target(target),
            prompt_hash=self.hashes[agent],
        )


def read_lines(path: Path) -> list[tuple[EvalLine, dict[str, str]]]:
    """Read and validate an evaluation JSONL file, keeping per-image expert descriptions.

    Args:
        path: The data file.

    Returns:
        Each line with its image descriptions (empty when the line has none).

    Raises:
        EvaluationInputError: On the first bad line (the message names the line and field).
    """
    lines: list[tuple[EvalLine, dict[str, str]]] = []
    for number, raw in iter_lines(path):
        data: Any = raw
        if isinstance(raw, (str, bytes)):
            data, problem = load_json_line(number, raw)
            if problem is not None:
                raise EvaluationInputError(f"{path}: {problem}")
        else:
            data = dict(raw)
        descriptions: dict[str, str] = {}
        if isinstance(data, dict) and IMAGE_DESCRIPTIONS_KEY in data:
            found = data.pop(IMAGE_DESCRIPTIONS_KEY)
            if not isinstance(found, dict) or not all(isinstance(v, str) for v in found.values()):
                raise EvaluationInputError(f"line {number}: {IMAGE_DESCRIPTIONS_KEY}: expected {{path: text}}")
            descriptions = {str(key): value for key, value in found.items()}
        parsed = parse_line(number, data)
        if parsed.line is None:
            raise EvaluationInputError(f"{path}: {parsed.error}")
        lines.append((parsed.line, descriptions))
    return lines


def split_patients(patients: Iterable[str], validation_fraction: float) -> set[str]:
    """Choose the validation patients: a stable hash order, at least one when there are two or more.

    Args:
        patients: Patient keys.
        validation_fraction: Share of patients held out, 0 to <1.

    Returns:
        The validation patient keys.

    Raises:
        EvaluationInputError: For a fraction outside [0, 1).
    """
    if not 0 <= validation_fraction < 1:
        raise EvaluationInputError(f"validation_fraction: expected 0 to <1, got {validation_fraction}")
    unique = sorted(set(patients), key=lambda key: hashlib.sha256(key.encode()).hexdigest())
    if validation_fraction == 0 or len(unique) < 2:
        return set()
    count = min(len(unique) - 1, max(1, math.ceil(len(unique) * validation_fraction)))
    return set(unique[:count])


def prepare(
    data: Path,
    out: Path,
    *,
    validation_fraction: float = 0.2,
    patient_pattern: str = DEFAULT_PATIENT_PATTERN,
    case_dir: Path | None = None,
    knowledge: KnowledgeBase | None = None,
    builder: SampleBuilder | None = None,
    retrieval: bool = True,
    embedder: str = "use",
    index_path: Path | None = None,
) -> dict[str, SplitStats]:
    """Write ``<agent>.train.jsonl`` and ``<agent>.validation.jsonl`` per agent, plus ``stats.json``.

    Args:
        data: Evaluation JSONL; image paths are relative to its folder.
        out: Output directory (created).
        validation_fraction: Share of patients held out for validation.
        patient_pattern: Regex giving the patient key of a case id.
        case_dir: Folder the cases' image paths are relative to (default: the data file's folder).
        knowledge: Knowledge base for the Rep targets' stage and severity; defaults to the packaged one.
        builder: Sample builder; defaults to the packaged specs and prompts.
        retrieval: Put the passages the graph retrieves into DERM-Reason's prompts (train as you serve:
            turn it off only for adapters that will serve consultations run with ``--no-retrieval``).
        embedder: The vector store's embedder, as the consultations will use it ("use" or "ngram").
        index_path: Where the vector index lives (default: the user cache, as :class:`derm3r.Derm3R`).

    Returns:
        Per-agent stats, also written to ``stats.json``.
    """
    if builder is None:
        from derm3r.kb.loader import load_knowledge_base
        from derm3r.paths import asset_dir

        kb = knowledge or load_knowledge_base(asset_dir("knowledge"))
        store = None
        if retrieval:
            from derm3r.kb.store import KnowledgeStore
            from derm3r.paths import cache_dir

            store = KnowledgeStore(kb, index_path or cache_dir() / "index", embedder)
        builder = SampleBuilder(patient_pattern=patient_pattern, knowledge=kb, store=store)
    samples: list[Sample] = []
    for line, descriptions in read_lines(data):
        samples.extend(builder.build(line, base_dir=case_dir or data.parent, descriptions=descriptions))
    held_out = split_patients((s.patient for s in samples), validation_fraction)
    out.mkdir(parents=True, exist_ok=True)
    stats: dict[str, SplitStats] = {}
    for agent in AGENTS:
        mine = [s for s in samples if s.agent == agent]
        parts = {
            "train": [s for s in mine if s.patient not in held_out],
            "validation": [s for s in mine if s.patient in held_out],
        }
        for split, rows in parts.items():
            text = "".join(Sample(**{**asdict(s), "split": split}).to_json() + "\n" for s in rows)
            (out / f"{agent}.{split}.jsonl").write_text(text, encoding="utf-8")
        stats[agent] = SplitStats(
            train=len(parts["train"]),
            validation=len(parts["validation"]),
            mean_target_chars=round(sum(len(s.target) for s in mine) / len(mine), 1) if mine else 0.0,
            patients_train=sorted({s.patient for s in parts["train"]}),
            patients_validation=sorted({s.patient for s in parts["validation"]}),
        )
    report = {"data": str(data), "hashes": builder.hashes, "agents": {a: asdict(s) for a, s in stats.items()}}
    (out / "stats.json").write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    return stats


def load_samples(path: Path) -> list[Sample]:
    """Read a JSONL file written by :func:`prepare`.

    Args:
        path: The file.

    Returns:
        The samples.

    Raises:
        EvaluationInputError: When the file is missing or a line is not a sample.
    """
    if not path.is_file():
        raise EvaluationInputError(f"{path}: sample file not found (run `derm3r finetune prepare` first)")
    samples = []
    try:
        for number, text in file_lines(path):
            try:
                samples.append(Sample(**json.loads(text)))
            except (ValueError, TypeError) as error:  # not JSON, not UTF-8, or not a sample's fields
                raise EvaluationInputError(f"{path}: line {number}: not a training sample ({error})") from error
    except OSError as error:
        raise EvaluationInputError(f"{path}: cannot read the sample file ({error.strerror})") from None
    return samples
