"""The LLM engine: renders each agent's prompt, asks a backend, validates and resolves the answer.

One class serves both ``hf`` and ``openai``; they differ only in the backend that generates text.
A node whose model output stays invalid raises a typed error; :class:`~derm3r.engines.fallback.FallbackEngine`
wraps this engine when the knowledge engine should answer instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel

from derm3r.engines.base import EngineOptions, ImageInput, ReasonResult, Served
from derm3r.errors import EngineError
from derm3r.kb.documents import Passage
from derm3r.llm.cache import ResponseCache, complete_with_cache
from derm3r.llm.ground import ground_findings, ground_representation, image_quality
from derm3r.llm.prompts import build_request, reason_variables, rec_variables, rep_variables
from derm3r.llm.request import Backend, ChatRequest
from derm3r.llm.resolve import resolve_reason_output
from derm3r.llm.schemas import ReasonOutput, RecOutput, RepOutput
from derm3r.llm.specs import AgentSpec, PromptRenderer, RetrievalSpec, load_agent_specs
from derm3r.llm.structured import ask_until_valid
from derm3r.safety.reading import CaseReading
from derm3r.schemas.case import Case
from derm3r.schemas.findings import ImageQualityFacts, LesionFindings, LesionRepresentation

if TYPE_CHECKING:
    from PIL.Image import Image

ModelT = TypeVar("ModelT", bound=BaseModel)


@dataclass(frozen=True)
class LLMSettings:
    """Settings shared by the LLM engines.

    Attributes:
        max_reask: Re-asks with the validation error after the first invalid reply.
        max_pixels: Images are downscaled to about this many pixels before the processor sees them.
        max_new_tokens: Cap on every agent's ``generation.max_new_tokens`` (None: the specs decide).
    """

    max_reask: int = 2
    max_pixels: int = 256 * 28 * 28
    max_new_tokens: int | None = None


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
            settings: Re-ask and image settings.
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

    # -- the Engine protocol -------------------------------------------------------------------

    def adapter_for(self, agent: str) -> str | None:
        """Return the adapter serving an agent, or None when the base model serves it."""
        spec = self.specs.get(agent)
        if spec is None or not self.backend.has_adapter(spec.adapter):
            return None
        return spec.adapter

    def retrieval(self, agent: str) -> RetrievalSpec:
        """The agent spec's ``retrieval``: what the graph retrieves for the prompt."""
        return self.specs[agent].retrieval

    def recognize(self, case: Case, image: ImageInput | None) -> Served[LesionFindings]:
        """DERM-Rec: describe one image, or the case text when ``image`` is None."""
        images: tuple[Image, ...] = ()
        quality: ImageQualityFacts | None = None
        if image is not None:
            loaded, quality = self._load_image(image)
            images = (loaded,)
        ref = image.ref if image is not None else None
        output = self._ask("rec", rec_variables(case, ref), images, RecOutput)
        source = "text" if ref is None else f"image:{ref.path}"
        view, site = (ref.view, ref.site) if ref is not None else (None, None)
        findings = ground_findings(self.kb, output, source, view=view, site=site, quality=quality)
        return self._served("rec", findings)

    def represent(
        self, case: Case, findings: list[LesionFindings], passages: list[Passage] | None = None
    ) -> Served[LesionRepresentation]:
        """DERM-Rep: merge all findings into the patient-level representation and pathogenesis."""
        variables = rep_variables(case, findings, passages or [])
        output = self._ask("rep", variables, (), RepOutput)
        return self._served("rep", ground_representation(self.kb, output, findings))

    def reason(
        self,
        case: Case,
        representation: LesionRepresentation,
        passages: list[Passage],
        reading: CaseReading | None = None,
    ) -> Served[ReasonResult]:
        """DERM-Reason: differentiate and plan from the representation, the case and retrieved knowledge.

        ``reading`` is unused: the model reads the case text itself, and the safety check uses the reading.
        """
        variables = reason_variables(case, representation.summary, representation.pathogenesis, passages)
        output = self._ask("reason", variables, (), ReasonOutput)
        resolved, _ = resolve_reason_output(self.kb, output)
        ids = list(dict.fromkeys([*resolved.assessment.knowledge_ids, *(p.id for p in passages)]))
        return self._served("reason", ReasonResult(resolved.assessment, resolved.plan, ids))

    # -- structured output ---------------------------------------------------------------------

    def build_request(self, spec: AgentSpec, variables: dict[str, Any], images: tuple[Image, ...] = ()) -> ChatRequest:
        """Render an agent's prompt into the first request of a conversation (see :func:`build_request`).

        Args:
            spec: The agent spec.
            variables: Template variables.
            images: Images for the user turn.

        Returns:
            The request, addressed to the agent's adapter when the backend has it.
        """
        adapter = spec.adapter if self.backend.has_adapter(spec.adapter) else None
        return build_request(
            spec, self.renderer, variables, adapter=adapter, images=images, max_new_tokens=self.settings.max_new_tokens
        )

    def _served(self, agent: str, value: Any) -> Served[Any]:
        return Served(value, self.name, self.adapter_for(agent))

    def _ask(self, agent: str, variables: dict[str, Any], images: tuple[Image, ...], model: type[ModelT]) -> ModelT:
        spec = self.specs[agent]
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

