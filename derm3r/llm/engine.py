"""The LLM engine: renders each agent's prompt, asks a backend, validates and resolves the answer.

One class serves both ``hf`` and ``openai``; they differ only in the backend that generates text.
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel

from derm3r.engines.base import EngineOptions, ImageInput, ReasonResult
from derm3r.errors import EngineError
from derm3r.kb.documents import Passage
from derm3r.llm.cache import ResponseCache, complete_with_cache
from derm3r.llm.ground import ground_findings, ground_representation, image_quality
from derm3r.llm.request import Backend, ChatMessage, ChatRequest
from derm3r.llm.resolve import resolve_reason_output
from derm3r.llm.schemas import ReasonOutput, RecOutput, RepOutput
from derm3r.llm.specs import AgentSpec, PromptRenderer, json_schema, load_agent_specs
from derm3r.llm.structured import ask_until_valid
from derm3r.schemas.case import Case
from derm3r.schemas.findings import ImageQualityFacts, LesionFindings, LesionRepresentation

if TYPE_CHECKING:
    from PIL.Image import Image

    from derm3r.engines.knowledge import KnowledgeEngine

ModelT = TypeVar("ModelT", bound=BaseModel)
log = logging.getLogger(__name__)

#: What ``adapter_for`` reports (and the trace shows) for an agent the knowledge engine answered instead.
FALLBACK_ADAPTER = "fallback:knowledge"
_FIELD_LABELS = {
    "chief_complaint": "主诉",
    "history": "病史",
    "lesion_description": "皮损描述",
    "symptoms": "症状",
    "tongue": "舌象",
    "pulse": "脉象",
}


@dataclass(frozen=True)
class LLMSettings:
    """Settings shared by the LLM engines.

    Attributes:
        max_reask: Re-asks with the validation error after the first invalid reply.
        fallback: Let the knowledge engine answer a node whose model output stays invalid.
        max_pixels: Images are downscaled to about this many pixels before the processor sees them.
        max_new_tokens: Cap on every agent's ``generation.max_new_tokens`` (None: the specs decide).
    """

    max_reask: int = 2
    fallback: bool = True
    max_pixels: int = 256 * 28 * 28
    max_new_tokens: int | None = None


def case_text(case: Case) -> str:
    """Write a case's clinical text as labelled lines (the data the prompts fence).

    Args:
        case: The case.

    Returns:
        The text, one labelled line per non-empty field.
    """
    lines = []
    patient = case.patient
    facts = [f"性别 {patient.sex}" if patient.sex else "", f"年龄 {patient.age:g}岁" if patient.age is not None else ""]
    if patient.pregnant:
        facts.append("妊娠")
    if any(facts):
        lines.append("患者：" + "，".join(fact for fact in facts if fact))
    lines.extend(f"{_FIELD_LABELS[key]}：{value}" for key, value in case.text_fields().items() if value)
    for visit in case.previous_visits:
        formula = visit.plan.formula if visit.plan else None
        syndrome = visit.syndrome or "未记录"
        lines.append(f"既往就诊：{visit.summary} 证型 {syndrome} 方药 {formula or '未记录'} 疗效 {visit.response}")
    return "\n".join(lines)


def findings_text(case: Case, findings: list[LesionFindings]) -> str:
    """Write Rec's findings (one JSON line per source) and the case text, the data DERM-Rep reads.

    Signs and quality facts are left out: the model reads what Rec described, not the engine's bookkeeping.

    Args:
        case: The case.
        findings: Rec's findings, one per source.

    Returns:
        The text fenced into Rep's prompt.
    """
    lines = [
        json.dumps(f.model_dump(exclude={"signs", "negated", "quality"}, exclude_defaults=True), ensure_ascii=False)
        for f in findings
    ]
    return "\n".join([*lines, case_text(case)])


class LLMEngine:
    """Plays Rec, Rep and Reason with a language model, one adapter per agent."""

    def __init__(
        self,
        backend: Backend,
        options: EngineOptions,
        *,
        settings: LLMSettings | None = None,
        specs: dict[str, AgentSpec] | None = None,
        renderer: PromptRenderer | None = None,
        cache: ResponseCache | None = None,
    ) -> None:
        """Wire a backend to the agent specs and the knowledge base.

        Args:
            backend: Generates text (hf or openai).
            options: Engine options with the knowledge base.
            settings: Re-ask, fallback and image settings.
            specs: Agent specs; defaults to the packaged agents/.
            renderer: Prompt renderer; defaults to the packaged prompts/.
            cache: Response cache, or None for none.
        """
        self.backend = backend
        self.name = backend.name
        self.options = options
        self.kb = options.knowledge
        self.settings = settings or LLMSettings()
        self.specs = specs or load_agent_specs()
        for agent in ("rec", "rep", "reason"):
            if agent not in self.specs:
                raise EngineError(f"agents: no spec for agent {agent!r}")
        self.renderer = renderer or PromptRenderer()
        self.cache = cache
        self._fallback_engine: KnowledgeEngine | None = None
        self._fell_back = threading.local()

    # -- the Engine protocol -------------------------------------------------------------------

    def adapter_for(self, agent: str) -> str | None:
        """Return the adapter serving an agent, None when the base model serves it, or the fallback marker.

        The fallback marker is reported once, to the node (same thread) whose call fell back.
        """
        fell_back: set[str] = getattr(self._fell_back, "agents", set())
        if agent in fell_back:
            fell_back.discard(agent)
            return FALLBACK_ADAPTER
        spec = self.specs.get(agent)
        if spec is None or not self.backend.has_adapter(spec.adapter):
            return None
        return spec.adapter

    def recognize(self, case: Case, image: ImageInput | None) -> LesionFindings:
        """DERM-Rec: describe one image, or the case text when ``image`` is None."""
        spec = self.specs["rec"]
        images: tuple[Image, ...] = ()
        quality: ImageQualityFacts | None = None
        variables: dict[str, Any] = {"case_text": case_text(case), "view": None, "site": None}
        if image is not None:
            loaded, quality = self._load_image(image)
            images = (loaded,)
            variables.update(view=image.ref.view, site=image.ref.site)
        source = "text" if image is None else f"image:{image.ref.path}"
        try:
            output = self._ask(spec, variables, images, RecOutput)
        except EngineError as error:
            return self._fallback("rec", error).recognize(case, image)
        view, site = (image.ref.view, image.ref.site) if image is not None else (None, None)
        return ground_findings(self.kb, output, source, view=view, site=site, quality=quality)

    def passages_wanted(self, agent: str) -> int:
        """The agent spec's ``retrieval.k``."""
        spec = self.specs.get(agent)
        return spec.retrieval.k if spec is not None else 0

    def represent(
        self, case: Case, findings: list[LesionFindings], passages: list[Passage] | None = None
    ) -> LesionRepresentation:
        """DERM-Rep: merge all findings into the patient-level representation and pathogenesis."""
        spec = self.specs["rep"]
        variables = {
            "findings_text": findings_text(case, findings),
            "passages": (passages or [])[: spec.retrieval.k],
        }
        try:
            output = self._ask(spec, variables, (), RepOutput)
        except EngineError as error:
            return self._fallback("rep", error).represent(case, findings, passages)
        return ground_representation(self.kb, output, findings)

    def reason(self, case: Case, representation: LesionRepresentation, passages: list[Passage]) -> ReasonResult:
        """DERM-Reason: differentiate and plan from the representation, the case and retrieved knowledge."""
        spec = self.specs["reason"]
        variables = {
            "passages": passages[: spec.retrieval.k] if spec.retrieval.k else passages,
            "representation_summary": representation.summary,
            "representation_pathogenesis": representation.pathogenesis,
            "case_text": case_text(case),
        }
        try:
            output = self._ask(spec, variables, (), ReasonOutput)
        except EngineError as error:
            return self._fallback("reason", error).reason(case, representation, passages)
        resolved, _ = resolve_reason_output(self.kb, output)
        ids = list(dict.fromkeys([*resolved.assessment.knowledge_ids, *(p.id for p in passages)]))
        return ReasonResult(assessment=resolved.assessment, plan=resolved.plan, knowledge_ids=ids)

    # -- structured output ---------------------------------------------------------------------

    def build_request(self, spec: AgentSpec, variables: dict[str, Any], images: tuple[Image, ...] = ()) -> ChatRequest:
        """Render an agent's prompt into the first request of a conversation.

        Args:
            spec: The agent spec.
            variables: Template variables.
            images: Images for the user turn.

        Returns:
            The request.
        """
        system, user = self.renderer.render(spec, variables)
        return ChatRequest(
            agent=spec.name,
            adapter=spec.adapter if self.backend.has_adapter(spec.adapter) else None,
            messages=(ChatMessage("system", system), ChatMessage("user", user)),
            images=images,
            max_new_tokens=min(spec.generation.max_new_tokens, self.settings.max_new_tokens or 1 << 30),
            temperature=spec.generation.temperature,
            schema_name=spec.output_schema,
            json_schema=json_schema(spec.output_model),
        )

    def _ask(
        self, spec: AgentSpec, variables: dict[str, Any], images: tuple[Image, ...], model: type[ModelT]
    ) -> ModelT:
        request = self.build_request(spec, variables, images)
        return ask_until_valid(self.complete, request, model, max_reask=self.settings.max_reask, agent=spec.name)

    def complete(self, request: ChatRequest) -> str:
        """Answer one request through the cache (when not sampling) and the backend.

        Args:
            request: The request.

        Returns:
            The reply text.
        """
        key = None
        if self.cache is not None and ResponseCache.usable(request.temperature):
            key = ResponseCache.key(self.backend.model_id, request.adapter, request.fingerprint())
        return complete_with_cache(self.cache, key, lambda: self.backend.complete([request])[0])

    def _fallback(self, agent: str, error: EngineError) -> KnowledgeEngine:
        if not self.settings.fallback:
            raise error
        log.warning("agent %s failed (%s); the knowledge engine answers instead", agent, error)
        if self._fallback_engine is None:
            from derm3r.engines.knowledge import KnowledgeEngine

            self._fallback_engine = KnowledgeEngine(self.options)
        agents: set[str] = getattr(self._fell_back, "agents", None) or set()
        agents.add(agent)
        self._fell_back.agents = agents
        return self._fallback_engine

    def _load_image(self, image: ImageInput) -> tuple[Image, ImageQualityFacts]:
        from PIL import Image as PILImage

        from derm3r.errors import CaseInputError
        from derm3r.vision.errors import ImageInputError
        from derm3r.vision.intake import load_image

        try:
            loaded = load_image(
                image.ref.path,
                base_dir=image.base_dir,
                allow_outside=image.allow_outside,
                max_pixels=self.settings.max_pixels,
            )
        except ImageInputError as error:
            raise CaseInputError(f"images[{image.ref.path}]: {error}") from error
        return PILImage.fromarray(loaded.rgb), image_quality(loaded.rgb, image.ref.path, image.ref.view)

