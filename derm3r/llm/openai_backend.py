"""The ``openai`` backend: chat completions against any OpenAI-compatible server (vLLM, SGLang, Ollama).

Each agent's adapter is sent as the model name, so one vLLM server started with
``--enable-lora --lora-modules rec=… rep=… reason=…`` serves all three agents. Standard library only.
"""

from __future__ import annotations

import base64
import io
import json
import logging
import os
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from derm3r.errors import EngineError
from derm3r.llm.request import ChatRequest

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "http://127.0.0.1:8000/v1"
RETRY_STATUSES = frozenset({408, 409, 429, 500, 502, 503, 504})


class ServerError(EngineError):
    """The server could not be reached or kept failing after every retry."""


@dataclass(frozen=True)
class OpenAISettings:
    """Server, model names and limits.

    Attributes:
        base_url: The server's ``/v1`` URL.
        model: Served name of the base model (used when an agent has no adapter).
        adapters: Agent adapters the server serves under their own names.
        api_key: Bearer token, if the server wants one.
        timeout_s: Per-request timeout.
        max_retries: Retries on 429, 5xx, timeouts and refused connections.
        backoff_s: First retry delay; doubles each retry (a Retry-After header wins, up to 30 s).
        concurrency: Most requests in flight at once.
        json_schema: Send ``response_format`` with the output's JSON schema (vLLM, SGLang support it).
    """

    base_url: str = DEFAULT_BASE_URL
    model: str = "base"
    adapters: tuple[str, ...] = ("rec", "rep", "reason")
    api_key: str | None = None
    timeout_s: float = 120.0
    max_retries: int = 3
    backoff_s: float = 0.5
    concurrency: int = 8
    json_schema: bool = False


class OpenAIBackend:
    """Chat completions over HTTP with retries, backoff and a concurrency limit."""

    name = "openai"

    def __init__(self, settings: OpenAISettings) -> None:
        """Prepare the client; no network traffic happens here.

        Args:
            settings: Server and limits.
        """
        self.settings = settings
        self.model_id = f"{settings.base_url}#{settings.model}"
        self._slots = threading.BoundedSemaphore(settings.concurrency)

    def has_adapter(self, adapter: str) -> bool:
        """Whether the server serves that adapter under its own model name."""
        return adapter in self.settings.adapters

    def complete(self, requests: list[ChatRequest]) -> list[str]:
        """Send requests concurrently (within the concurrency limit).

        Args:
            requests: The requests.

        Returns:
            One reply per request, in order.
        """
        if len(requests) == 1:
            return [self.chat(requests[0])]
        with ThreadPoolExecutor(max_workers=min(len(requests), self.settings.concurrency)) as pool:
            return list(pool.map(self.chat, requests))

    def payload(self, request: ChatRequest) -> dict[str, Any]:
        """Build the JSON body of one chat completion.

        Args:
            request: The request.

        Returns:
            The body: model (the adapter's served name), messages with images as data URLs, decoding settings.
        """
        messages: list[dict[str, Any]] = []
        images_placed = False
        for message in request.messages:
            if message.role == "user" and request.images and not images_placed:
                parts: list[dict[str, Any]] = [
                    {"type": "image_url", "image_url": {"url": _data_url(image)}} for image in request.images
                ]
                parts.append({"type": "text", "text": message.content})
                messages.append({"role": "user", "content": parts})
                images_placed = True
            else:
                messages.append({"role": message.role, "content": message.content})
        body: dict[str, Any] = {
            "model": request.adapter if request.adapter and self.has_adapter(request.adapter) else self.settings.model,
            "messages": messages,
            "max_tokens": request.max_new_tokens,
            "temperature": request.temperature,
        }
        if self.settings.json_schema and request.json_schema:
            body["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": request.schema_name or "output", "schema": request.json_schema},
            }
        return body

    def chat(self, request: ChatRequest) -> str:
        """Send one chat completion, retrying transient failures with exponential backoff.

        Args:
            request: The request.

        Returns:
            The reply text.

        Raises:
            ServerError: When the server stays unreachable or failing, or answers malformed JSON.
        """
        data = json.dumps(self.payload(request), ensure_ascii=False).encode("utf-8")
        url = self.settings.base_url.rstrip("/") + "/chat/completions"
        headers = {"Content-Type": "application/json"}
        if self.settings.api_key:
            headers["Authorization"] = f"Bearer {self.settings.api_key}"
        problem = ""
        for attempt in range(self.settings.max_retries + 1):
            if attempt:
                time.sleep(self._delay(attempt, problem))
            try:
                with self._slots:
                    http_request = urllib.request.Request(url, data=data, headers=headers, method="POST")
                    with urllib.request.urlopen(http_request, timeout=self.settings.timeout_s) as response:
                        body = response.read()
                return _reply_text(body)
            except urllib.error.HTTPError as error:
                retry_after = error.headers.get("Retry-After") if error.headers else None
                problem = f"HTTP {error.code}" + (f" retry-after={retry_after}" if retry_after else "")
                if error.code not in RETRY_STATUSES:
                    detail = error.read()[:300].decode("utf-8", "replace")
                    raise ServerError(f"openai: {url} answered HTTP {error.code}: {detail}") from error
            except TimeoutError as error:
                problem = f"timed out after {self.settings.timeout_s:g} s ({error})"
            except urllib.error.URLError as error:
                problem = f"unreachable: {error.reason}"
            log.warning("openai: %s (attempt %d of %d)", problem, attempt + 1, self.settings.max_retries + 1)
        raise ServerError(f"openai: {url}: {problem} after {self.settings.max_retries + 1} attempt(s)")

    def _delay(self, attempt: int, problem: str) -> float:
        if "retry-after=" in problem:
            try:
                return min(float(problem.rsplit("retry-after=", 1)[1]), 30.0)
            except ValueError:
                pass
        return float(self.settings.backoff_s * 2 ** (attempt - 1))


def _reply_text(body: bytes) -> str:
    try:
        content = json.loads(body)["choices"][0]["message"]["content"]
    except (ValueError, KeyError, IndexError, TypeError) as error:
        raise ServerError(f"openai: malformed chat completion response: {body[:200]!r}") from error
    return str(content or "")


def _data_url(image: Any) -> str:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def openai_settings(extra: Mapping[str, object]) -> OpenAISettings:
    """Read settings from engine options (``EngineOptions.extra``); environment variables are defaults only.

    Keys: ``base_url`` (DERM3R_OPENAI_BASE_URL), ``model``, ``adapters`` (list or comma string; empty for none),
    ``api_key`` (DERM3R_OPENAI_API_KEY), ``timeout_s``, ``max_retries``, ``backoff_s``, ``concurrency``,
    ``json_schema``.

    Args:
        extra: The engine's options.

    Returns:
        The settings.

    Raises:
        EngineError: For a value of the wrong kind (the message names the key).
    """
    adapters = extra.get("adapters", OpenAISettings.adapters)
    if isinstance(adapters, str):
        adapters = [name.strip() for name in adapters.split(",") if name.strip()]
    if not isinstance(adapters, (list, tuple)):
        raise EngineError(f"adapters: expected a list of served adapter names, got {adapters!r}")
    numbers: dict[str, float] = {}
    for key, kind in (("timeout_s", float), ("max_retries", int), ("backoff_s", float), ("concurrency", int)):
        value = extra.get(key, getattr(OpenAISettings, key))
        try:
            numbers[key] = kind(str(value))
        except ValueError as error:
            raise EngineError(f"{key}: expected a number, got {value!r}") from error
        if numbers[key] < 0 or (key == "concurrency" and numbers[key] < 1):
            raise EngineError(f"{key}: out of range: {value!r}")
    api_key = extra.get("api_key") or os.environ.get("DERM3R_OPENAI_API_KEY")
    return OpenAISettings(
        base_url=str(extra.get("base_url") or os.environ.get("DERM3R_OPENAI_BASE_URL") or DEFAULT_BASE_URL),
        model=str(extra.get("model", OpenAISettings.model)),
        adapters=tuple(str(name) for name in adapters),
        api_key=str(api_key) if api_key else None,
        timeout_s=numbers["timeout_s"],
        max_retries=int(numbers["max_retries"]),
        backoff_s=numbers["backoff_s"],
        concurrency=int(numbers["concurrency"]),
        json_schema=bool(extra.get("json_schema", False)),
    )
