"""The request an LLM engine sends to its backend, and the backend protocol."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Protocol

if TYPE_CHECKING:
    from PIL.Image import Image

Role = Literal["system", "user", "assistant"]


@dataclass(frozen=True)
class ChatMessage:
    """One turn of the conversation."""

    role: Role
    content: str


@dataclass(frozen=True)
class ChatRequest:
    """One generation request: the agent's adapter, the conversation, its images and decoding settings.

    Images belong to the first user turn.
    """

    agent: str
    adapter: str | None
    messages: tuple[ChatMessage, ...]
    images: tuple[Image, ...] = ()
    max_new_tokens: int = 512
    temperature: float = 0.0
    schema_name: str = ""
    json_schema: dict[str, Any] = field(default_factory=dict)

    def fingerprint(self) -> dict[str, Any]:
        """Everything that shapes the reply, for the response cache (images by content digest)."""
        return {
            "messages": [[message.role, message.content] for message in self.messages],
            "images": [hashlib.sha256(image.tobytes()).hexdigest() + f"{image.size}" for image in self.images],
            "max_new_tokens": self.max_new_tokens,
            "temperature": self.temperature,
            "schema": self.schema_name,
        }


class Backend(Protocol):
    """What runs the model: transformers + peft in process, or an OpenAI-compatible server."""

    name: str
    model_id: str

    def has_adapter(self, adapter: str) -> bool:
        """Whether the adapter is loaded (hf) or configured as a served model (openai)."""
        ...

    def complete(self, requests: list[ChatRequest]) -> list[str]:
        """Answer a batch of requests, one reply text per request, in order."""
        ...
