"""LLM-as-a-judge for ``derm3r evaluate --judge``: a rubric score of each consultation, like the paper's physicians.

A judge model scores six dimensions 0–10 against the expert plan and the retrieved knowledge passages. Replies are
validated (bounded re-ask with the error), cached on disk under the run directory, and a judge that keeps failing
becomes an error on that case's ``judge`` record, never the end of the run.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from derm3r.errors import EngineError
from derm3r.evaluation.lines import EvaluationInputError, ExpertPlan
from derm3r.llm.cache import ResponseCache, complete_with_cache
from derm3r.llm.request import Backend, ChatMessage, ChatRequest
from derm3r.llm.specs import fence_safe, json_schema, schema_text
from derm3r.llm.structured import ask_until_valid
from derm3r.schemas.consultation import Consultation

if TYPE_CHECKING:
    from derm3r.kb.loader import KnowledgeBase

log = logging.getLogger(__name__)

#: The rubric's dimensions, in report order (the paper's physician evaluation).
JUDGE_DIMENSIONS = (
    "lesion_description", "pathogenesis", "syndrome", "treatment_principle", "prescription", "readability",
)
#: Prefix of the judge's per-case scores in ``results.jsonl`` ``scores`` (there scaled to [0, 1] as score / 10).
SCORE_PREFIX = "judge_"
#: Folder of the judge's response cache inside the run directory.
CACHE_DIR = "judge_cache"
JUDGE_SCHEMES = ("openai",)
_MAX_PASSAGES = 6
_PASSAGE_CHARS = 300


class JudgeScores(BaseModel):
    """One judge verdict: six integer scores 0–10 and a short rationale."""

    model_config = ConfigDict(extra="ignore")

    lesion_description: int = Field(ge=0, le=10, description="皮损描述")
    pathogenesis: int = Field(ge=0, le=10, description="病因病机")
    syndrome: int = Field(ge=0, le=10, description="辨证")
    treatment_principle: int = Field(ge=0, le=10, description="治法")
    prescription: int = Field(ge=0, le=10, description="方药")
    readability: int = Field(ge=0, le=10, description="可读性")
    rationale: str = Field(default="", description="不超过两句的中文评语")

    @field_validator("rationale")
    @classmethod
    def _short(cls, value: str) -> str:
        # A verbose judge is not wrong, only long: keep the record small instead of re-asking.
        return value.strip()[:500]

    def scores(self) -> dict[str, int]:
        """The six scores by dimension."""
        return {name: int(getattr(self, name)) for name in JUDGE_DIMENSIONS}


class JudgeSpecError(EvaluationInputError):
    """A ``--judge`` engine spec that cannot be read; the message names the part."""


def parse_judge_spec(text: str) -> tuple[str, dict[str, str]]:
    """Split ``openai:base_url=URL,model=NAME`` into the backend name and its options.

    Args:
        text: The spec.

    Returns:
        The backend name and the ``key=value`` options.

    Raises:
        JudgeSpecError: For an unknown backend, an item without ``=`` or a missing ``model``.
    """
    scheme, _, rest = text.strip().partition(":")
    if scheme not in JUDGE_SCHEMES:
        raise JudgeSpecError(f"--judge: unknown judge backend {scheme!r}; expected one of {', '.join(JUDGE_SCHEMES)}")
    options: dict[str, str] = {}
    for item in (part.strip() for part in rest.split(",")):
        if not item:
            continue
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise JudgeSpecError(f"--judge: expected KEY=VALUE, got {item!r}")
        options[key.strip()] = value.strip()
    if not options.get("model"):
        raise JudgeSpecError("--judge: model: the judge model's served name is required (model=NAME)")
    return scheme, options


def _expert_text(expert: ExpertPlan) -> str:
    herbs = "、".join(f"{h.name}{f' {h.dose_g:g}g' if h.dose_g else ''}" for h in expert.herbs)
    fields = [("疾病", expert.disease), ("证型", expert.syndrome), ("皮损描述", expert.lesion_description),
              ("病机", expert.pathogenesis), ("治法", expert.treatment_principle), ("方剂", expert.formula),
              ("药物", herbs)]
    return "\n".join(f"{label}：{value}" for label, value in fields if value) or "（未提供）"


def _consultation_text(consultation: Consultation) -> str:
    assessment, plan = consultation.assessment, consultation.plan
    syndrome = assessment.syndrome.name if assessment.syndrome else "未辨证"
    if assessment.secondary_syndrome:
        syndrome += f"，兼{assessment.secondary_syndrome.name}"
    herbs = "、".join(f"{h.name} {h.dose_g:g}g" for h in plan.herbs)
    modifications = "；".join(m.reason for m in plan.modifications)
    fields = [
        ("疾病", assessment.disease), ("皮损描述", consultation.representation.summary), ("证型", syndrome),
        ("病机", assessment.pathogenesis or consultation.representation.pathogenesis),
        ("治法", assessment.treatment_principle), ("方剂", plan.formula.name if plan.formula else ""),
        ("药物", herbs), ("随症加减", modifications), ("外治", "；".join(plan.external_treatment)),
        ("调护", "；".join(plan.lifestyle)), ("安全提示", "；".join(str(w) for w in consultation.safety.warnings)),
        ("弃权", "是" if consultation.safety.abstained else ""),
    ]
    return "\n".join(f"{label}：{value}" for label, value in fields if value)


class Judge:
    """Scores consultations with a judge model behind any :class:`~derm3r.llm.request.Backend`."""

    def __init__(
        self,
        backend: Backend,
        model: str,
        *,
        knowledge: KnowledgeBase | None = None,
        cache: ResponseCache | None = None,
        max_reask: int = 2,
        max_new_tokens: int = 512,
        prompts_dir: Path | None = None,
    ) -> None:
        """Wire a backend to the rubric prompt.

        Args:
            backend: Generates the judge's replies (served model: ``model``).
            model: The judge model's name; part of the cache key, so another judge never reads these replies.
            knowledge: Knowledge base whose passages the consultation cited are shown to the judge.
            cache: Response cache, or None for none.
            max_reask: Re-asks with the validation error after the first invalid reply.
            max_new_tokens: Generation length of a verdict.
            prompts_dir: Prompts directory holding ``judge/``; defaults to the packaged one.
        """
        import jinja2

        from derm3r.paths import asset_dir

        if not 0 <= max_reask <= 10:
            raise JudgeSpecError(f"--judge: max_reask: expected 0 to 10, got {max_reask}")
        self.backend = backend
        self.model = model
        self.knowledge = knowledge
        self.cache = cache
        self.max_reask = max_reask
        self.max_new_tokens = max_new_tokens
        self._env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(prompts_dir or asset_dir("prompts"))),
            undefined=jinja2.StrictUndefined,
            autoescape=False,
        )
        self._passages: dict[str, str] | None = None

    def _passage_texts(self, ids: Sequence[str]) -> list[dict[str, str]]:
        if self.knowledge is None:
            return []
        if self._passages is None:
            from derm3r.kb.documents import build_passages

            self._passages = {p.id: p.text for p in build_passages(self.knowledge)}
        wanted = [i for i in dict.fromkeys(ids) if i in self._passages][:_MAX_PASSAGES]
        return [{"id": fence_safe(i), "text": fence_safe(self._passages[i][:_PASSAGE_CHARS])} for i in wanted]

    def request(self, expert: ExpertPlan, consultation: Consultation) -> ChatRequest:
        """Render the rubric prompt for one case.

        Args:
            expert: The expert plan.
            consultation: The system's consultation.

        Returns:
            The first request of the judge's conversation.
        """
        ids = [*consultation.assessment.knowledge_ids, *(i for t in consultation.trace for i in t.knowledge_ids)]
        variables: dict[str, Any] = {
            "schema": schema_text(JudgeScores),
            "expert_text": fence_safe(_expert_text(expert)),
            "consultation_text": fence_safe(_consultation_text(consultation)),
            "passages": self._passage_texts(ids),
        }
        system = self._env.get_template("judge/system.md.j2").render(**variables).strip()
        user = self._env.get_template("judge/user.md.j2").render(**variables).strip()
        return ChatRequest(
            agent="judge",
            adapter=None,
            messages=(ChatMessage("system", system), ChatMessage("user", user)),
            max_new_tokens=self.max_new_tokens,
            temperature=0.0,
            schema_name="JudgeScores",
            json_schema=json_schema(JudgeScores),
        )

    def _complete(self, request: ChatRequest) -> str:
        key = ResponseCache.key(self.model, "judge", request.fingerprint()) if self.cache is not None else None
        return complete_with_cache(self.cache, key, lambda: self.backend.complete([request])[0])

    def score(self, expert: ExpertPlan, consultation: Consultation) -> JudgeScores:
        """Ask the judge, re-asking with the validation error up to ``max_reask`` times.

        Args:
            expert: The expert plan.
            consultation: The system's consultation.

        Returns:
            The validated verdict.

        Raises:
            StructuredOutputError: When every reply was invalid.
            EngineError: When the backend fails (e.g. the server stays unreachable).
        """
        request = self.request(expert, consultation)
        return ask_until_valid(self._complete, request, JudgeScores, max_reask=self.max_reask, agent="judge")

    def judge_record(self, expert: ExpertPlan, consultation: Consultation) -> dict[str, Any]:
        """Score one case for ``results.jsonl``; a failing judge becomes the record's ``error``.

        Args:
            expert: The expert plan.
            consultation: The system's consultation.

        Returns:
            ``{"model", "scores" (0–10 by dimension), "rationale", "error"}``.
        """
        record: dict[str, Any] = {"model": self.model, "scores": {}, "rationale": "", "error": None}
        try:
            verdict = self.score(expert, consultation)
        except EngineError as error:
            record["error"] = f"{type(error).__name__}: {error}"
        except Exception as error:  # one judge failure must not end a batch; the record keeps the cause
            record["error"] = f"internal error ({type(error).__name__}: {error})"
        else:
            record.update(scores=verdict.scores(), rationale=verdict.rationale)
        if record["error"]:
            log.warning("judge: case %s: %s", consultation.case_id, record["error"])
        return record


def scaled_scores(judge_record: Mapping[str, Any]) -> dict[str, float]:
    """A judge record's scores as ``judge_<dimension>`` in [0, 1] (score / 10), beside the other rates.

    Args:
        judge_record: The ``judge`` field of a result record.

    Returns:
        The scaled scores; empty when the judge failed.
    """
    return {f"{SCORE_PREFIX}{name}": value / 10 for name, value in (judge_record.get("scores") or {}).items()}


def judge_summary(records: Sequence[Mapping[str, Any]], judge: Judge, *, seed: int = 0) -> dict[str, Any]:
    """The judge's part of ``metrics.json``: means with bootstrap CIs on the 0–10 scale, errors and cache use.

    Args:
        records: All result records of the run.
        judge: The judge used.
        seed: Bootstrap seed.

    Returns:
        ``{"model", "judged", "errors", "scale", "scores": {dimension: summary}, "cache": {...}}``.
    """
    from derm3r.evaluation.aggregate import summarize

    verdicts = [r["judge"] for r in records if r.get("judge")]
    ok = [v for v in verdicts if not v.get("error")]
    return {
        "model": judge.model,
        "judged": len(ok),
        "errors": len(verdicts) - len(ok),
        "scale": "0-10",
        "scores": {name: summarize([float(v["scores"][name]) for v in ok], seed=seed) for name in JUDGE_DIMENSIONS},
        "cache": {"hits": judge.cache.hits, "misses": judge.cache.misses} if judge.cache is not None else None,
    }


def build_judge(spec: str, run_dir: Path, knowledge: KnowledgeBase) -> Judge:
    """Build a judge from ``--judge`` (e.g. ``openai:base_url=http://127.0.0.1:8000/v1,model=judge-model``).

    Options other than ``max_reask`` and ``max_new_tokens`` go to the openai backend (``api_key``, ``timeout_s``,
    ``max_retries``, ``backoff_s``, ``concurrency``, ``json_schema``). Replies are cached in
    ``run_dir/judge_cache``.

    Args:
        spec: The engine spec.
        run_dir: The evaluation's run directory.
        knowledge: Knowledge base whose passages the consultations cite.

    Returns:
        The judge; no request is sent yet.

    Raises:
        JudgeSpecError: For a malformed spec or setting (the message names it).
    """
    from derm3r.llm.openai_backend import OpenAIBackend, openai_settings

    _, options = parse_judge_spec(spec)
    numbers: dict[str, int] = {}
    for key, default in (("max_reask", 2), ("max_new_tokens", 512)):
        value = options.pop(key, str(default))
        try:
            numbers[key] = int(value)
        except ValueError as error:
            raise JudgeSpecError(f"--judge: {key}: expected an integer, got {value!r}") from error
    if numbers["max_new_tokens"] < 1:
        raise JudgeSpecError(f"--judge: max_new_tokens: must be positive, got {numbers['max_new_tokens']}")
    extra: dict[str, object] = {**options, "adapters": ""}
    json_flag = options.get("json_schema")
    if json_flag is not None:
        extra["json_schema"] = json_flag.lower() in {"1", "true", "yes"}
    try:
        settings = openai_settings(extra)
    except EngineError as error:
        raise JudgeSpecError(f"--judge: {error}") from error
    return Judge(
        OpenAIBackend(settings),
        settings.model,
        knowledge=knowledge,
        cache=ResponseCache(Path(run_dir) / CACHE_DIR),
        max_reask=numbers["max_reask"],
        max_new_tokens=numbers["max_new_tokens"],
    )
