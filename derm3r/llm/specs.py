"""Agent specs (agents/*.yaml) and the Jinja2 rendering of their prompts (prompts/<agent>/)."""

from __future__ import annotations

from functools import cache, cached_property
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from derm3r.errors import EngineError
from derm3r.llm.schemas import output_schema
from derm3r.paths import asset_dir

FENCE = '"""'
# A case text cannot close the data fence early: triple quotes inside data become typographic quotes.
_FENCE_SAFE = "“”“"


class PromptFiles(BaseModel):
    """Template paths, relative to the prompts directory."""

    model_config = ConfigDict(extra="forbid")

    system: str
    user: str


#: The texts a retrieval query is built from (see :func:`derm3r.llm.retrieval.query_text`).
QueryName = Literal["lesion_summary", "representation_and_symptoms"]
PassageKind = Literal["disease", "syndrome", "formula", "herb"]


class RetrievalSpec(BaseModel):
    """What knowledge the agent is given: ``k`` passages of ``kinds`` (every kind when empty) found by ``query``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    query: QueryName | None = None
    kinds: tuple[PassageKind, ...] = ()
    k: int = Field(default=0, ge=0, le=50)

    @model_validator(mode="after")
    def _query_when_retrieving(self) -> RetrievalSpec:
        if self.k > 0 and self.query is None:
            raise ValueError("an agent that retrieves (k > 0) needs a query")
        return self


#: An agent that reads no retrieved knowledge.
NO_RETRIEVAL = RetrievalSpec()


class GenerationSpec(BaseModel):
    """Decoding settings."""

    model_config = ConfigDict(extra="forbid")

    max_new_tokens: int = Field(default=512, gt=0, le=32_768)
    temperature: float = Field(default=0.0, ge=0, le=2)


class AgentSpec(BaseModel):
    """One agent: its node, adapter, output schema, prompts, retrieval and generation settings."""

    model_config = ConfigDict(extra="forbid")

    name: str
    title: str = ""
    node: str
    adapter: str
    output_schema: str
    prompts: PromptFiles
    retrieval: RetrievalSpec = NO_RETRIEVAL
    generation: GenerationSpec = Field(default_factory=GenerationSpec)

    @cached_property
    def output_model(self) -> type[BaseModel]:
        """The pydantic model of the agent's answer."""
        return output_schema(self.output_schema)


def load_agent_specs(directory: Path | None = None) -> dict[str, AgentSpec]:
    """Load every ``*.yaml`` agent spec of a directory.

    Args:
        directory: The agents directory; defaults to the packaged one.

    Returns:
        Specs by agent name.

    Raises:
        EngineError: When a spec is malformed (the message names the file and field) or names an unknown schema.
    """
    folder = directory or asset_dir("agents")
    specs: dict[str, AgentSpec] = {}
    for path in sorted(folder.glob("*.yaml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        try:
            spec = AgentSpec.model_validate(raw)
        except ValidationError as error:
            first = error.errors()[0]
            where = ".".join(str(part) for part in first["loc"])
            raise EngineError(f"{path.name}: {where}: {first['msg']}") from error
        spec.output_model  # noqa: B018 - resolve the schema now so a bad name fails at load time
        specs[spec.name] = spec
    if not specs:
        raise EngineError(f"no agent specs (*.yaml) in {folder}")
    return specs


def fence_safe(text: str) -> str:
    """Make data safe to place inside a triple-quote fence.

    Args:
        text: Case text or other untrusted data.

    Returns:
        The text with every triple quote replaced, so the fence cannot be closed from inside.
    """
    return text.replace(FENCE, _FENCE_SAFE)


class PromptRenderer:
    """Renders agent prompts with strict undefined variables: a missing variable is an error, not blank text."""

    def __init__(self, prompts_dir: Path | None = None) -> None:
        """Prepare the template environment.

        Args:
            prompts_dir: The prompts directory; defaults to the packaged one.
        """
        import jinja2

        self.prompts_dir = prompts_dir or asset_dir("prompts")
        self._env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(self.prompts_dir)),
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=False,
            autoescape=False,
        )

    def render(self, spec: AgentSpec, variables: dict[str, Any]) -> tuple[str, str]:
        """Render the system and user prompts of one agent.

        Args:
            spec: The agent spec.
            variables: Template variables; strings are made fence-safe, ``schema`` is added.

        Returns:
            The system prompt and the user prompt.

        Raises:
            EngineError: When a template is missing or uses an undefined variable.
        """
        import jinja2

        values = {key: fence_safe(value) if isinstance(value, str) else value for key, value in variables.items()}
        values.setdefault("schema", schema_text(spec.output_model))
        try:
            system = self._env.get_template(spec.prompts.system).render(**values)
            user = self._env.get_template(spec.prompts.user).render(**values)
        except jinja2.TemplateNotFound as error:
            where = f"{error.name!r} not found in {self.prompts_dir}"
            raise EngineError(f"agent {spec.name}: prompt template {where}") from error
        except jinja2.UndefinedError as error:
            raise EngineError(f"agent {spec.name}: prompt variable missing: {error.message}") from error
        return system.strip(), user.strip()


@cache
def schema_text(model: type[BaseModel]) -> str:
    """Return the compact JSON schema of a model, as the prompt states it.

    Args:
        model: The output model.

    Returns:
        The JSON schema, non-ASCII kept readable.
    """
    import json

    return json.dumps(json_schema(model), ensure_ascii=False, separators=(",", ":"))


@cache
def json_schema(model: type[BaseModel]) -> dict[str, Any]:
    """Return a model's JSON schema, computed once per model (it is asked for on every request).

    Args:
        model: The output model.

    Returns:
        The JSON schema; treat it as read-only.
    """
    return model.model_json_schema()
