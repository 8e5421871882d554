"""Tolerant JSON extraction from model text and validation against the agent's output schema."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import replace
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from derm3r.errors import EngineError
from derm3r.llm.request import ChatMessage, ChatRequest

ModelT = TypeVar("ModelT", bound=BaseModel)

#: The user turn that hands a model its validation error back.
REASK = "上一次输出无效：{error}。请只输出一个符合 JSON Schema 的 JSON 对象，不要输出其他文字。"
_FENCE = re.compile(r"```(?:json|JSON)?\s*(.*?)```", re.DOTALL)
_TRAILING_COMMA = re.compile(r",(\s*[}\]])")


class OutputParseError(EngineError):
    """One reply could not be read as valid JSON for the schema; the message is fed back to the model."""


class StructuredOutputError(EngineError):
    """A node's model kept answering with invalid output after every allowed re-ask."""

    def __init__(self, agent: str, attempts: int, last_error: str, last_reply: str) -> None:
        """Record what failed.

        Args:
            agent: The agent name.
            attempts: How many replies were read.
            last_error: The validation error of the last reply.
            last_reply: The last reply text (truncated in the message).
        """
        self.agent = agent
        self.attempts = attempts
        self.last_error = last_error
        self.last_reply = last_reply
        super().__init__(
            f"agent {agent}: no valid output after {attempts} attempt(s); last error: {last_error}; "
            f"last reply starts: {last_reply[:200]!r}"
        )


def extract_json(text: str) -> object:
    """Find the JSON value in a model reply: code fences, leading prose and trailing commas are tolerated.

    Args:
        text: The reply.

    Returns:
        The decoded JSON value (the first object or array that decodes).

    Raises:
        OutputParseError: When no JSON object or array can be found.
    """
    candidates = [match.group(1) for match in _FENCE.finditer(text)] + [text]
    decoder = json.JSONDecoder()
    for candidate in candidates:
        for start, char in enumerate(candidate):
            if char not in "{[":
                continue
            for variant in (candidate[start:], _TRAILING_COMMA.sub(r"\1", candidate[start:])):
                try:
                    value, _ = decoder.raw_decode(variant)
                except json.JSONDecodeError:
                    continue
                return value
            # Only the first opening bracket is tried: later ones sit inside a broken object.
            break
    raise OutputParseError("reply contains no parseable JSON object")


def parse_output(text: str, model: type[ModelT]) -> ModelT:
    """Extract and validate one reply.

    Args:
        text: The reply.
        model: The output schema.

    Returns:
        The validated output.

    Raises:
        OutputParseError: With a message naming each invalid field, to be fed back to the model.
    """
    value = extract_json(text)
    try:
        return model.model_validate(value)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in item['loc']) or '<root>'}: {item['msg']}" for item in error.errors()[:8]
        )
        raise OutputParseError(f"JSON does not match {model.__name__}: {problems}") from error


def ask_until_valid(
    complete: Callable[[ChatRequest], str], request: ChatRequest, model: type[ModelT], *, max_reask: int, agent: str
) -> ModelT:
    """Ask, and re-ask with the validation error, until a reply validates or the re-asks run out.

    Args:
        complete: Answers one request (through a cache and a backend).
        request: The first request of the conversation.
        model: The output schema.
        max_reask: Re-asks after the first invalid reply.
        agent: Who is asked, named in the error.

    Returns:
        The validated output.

    Raises:
        StructuredOutputError: When every reply was invalid.
    """
    attempts = 1 + max_reask
    reply, error = "", ""
    for _ in range(attempts):
        reply = complete(request)
        try:
            return parse_output(reply, model)
        except OutputParseError as problem:
            error = str(problem)
        turns = (ChatMessage("assistant", reply), ChatMessage("user", REASK.format(error=error)))
        request = replace(request, messages=request.messages + turns)
    raise StructuredOutputError(agent, attempts, error, reply)
