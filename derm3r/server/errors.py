"""Every error leaves the server as JSON naming the field and the problem, never as a traceback.

The body is ``{"detail": "one line", "errors": [{"field": "case.patient.age", "message": "…"}]}``.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from derm3r.errors import CaseInputError, Derm3RError, EngineError, InputError
from derm3r.vision.errors import ImageInputError

logger = logging.getLogger("derm3r.server")


class FieldError(Exception):
    """A request the server refuses, with the field at fault."""

    def __init__(self, field: str, message: str, status_code: int = 422) -> None:
        self.field = field
        self.message = message
        self.status_code = status_code
        super().__init__(f"{field}: {message}")


def error_body(detail: str, errors: list[dict[str, str]]) -> dict[str, Any]:
    """Build the JSON error body."""
    return {"detail": detail, "errors": errors}


def validation_errors(error: ValidationError | RequestValidationError, prefix: str = "") -> list[dict[str, str]]:
    """Flatten a pydantic error into ``{field, message}`` items.

    Args:
        error: The validation error.
        prefix: Put before each field path (e.g. "case" for a multipart field).

    Returns:
        One item per problem.
    """
    items = []
    for problem in error.errors():
        parts = [str(part) for part in problem.get("loc", ()) if part not in ("body", "query", "path", "form")]
        field = ".".join([prefix, *parts] if prefix else parts) or prefix or "(body)"
        message = problem.get("msg", "invalid")
        if problem.get("type") == "extra_forbidden":
            message = "unknown field (check its spelling against the format)"
        items.append({"field": field, "message": message})
    return items


def _json(status: int, detail: str, errors: list[dict[str, str]]) -> JSONResponse:
    return JSONResponse(status_code=status, content=error_body(detail, errors))


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers that turn every failure into a JSON error."""

    @app.exception_handler(RequestValidationError)
    async def _request_invalid(_: Request, error: RequestValidationError) -> JSONResponse:
        errors = validation_errors(error)
        return _json(422, "; ".join(f"{item['field']}: {item['message']}" for item in errors), errors)

    @app.exception_handler(ValidationError)
    async def _model_invalid(_: Request, error: ValidationError) -> JSONResponse:
        errors = validation_errors(error)
        return _json(422, "; ".join(f"{item['field']}: {item['message']}" for item in errors), errors)

    @app.exception_handler(FieldError)
    async def _field(_: Request, error: FieldError) -> JSONResponse:
        return _json(error.status_code, str(error), [{"field": error.field, "message": error.message}])

    @app.exception_handler(ImageInputError)
    async def _image(_: Request, error: ImageInputError) -> JSONResponse:
        field = f"images[{error.path.name}]"
        return _json(400, f"{field}: {error.reason}", [{"field": field, "message": error.reason}])

    @app.exception_handler(CaseInputError)
    async def _case(_: Request, error: CaseInputError) -> JSONResponse:
        return _json(422, str(error).splitlines()[0], [{"field": "case", "message": str(error)}])

    @app.exception_handler(InputError)
    async def _input(_: Request, error: InputError) -> JSONResponse:
        # A setting or option the request gave (min_confidence, engine options…); the message starts with its name.
        first = str(error).splitlines()[0]
        field = first.split(":", 1)[0].strip() if ":" in first else "request"
        return _json(422, first, [{"field": field, "message": str(error)}])

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, error: StarletteHTTPException) -> JSONResponse:
        response = _json(error.status_code, str(error.detail), [])
        for key, value in (error.headers or {}).items():
            response.headers[key] = value
        return response

    @app.exception_handler(EngineError)
    async def _engine(_: Request, error: EngineError) -> JSONResponse:
        return _json(502, f"engine: {error}", [{"field": "engine", "message": str(error)}])

    @app.exception_handler(Derm3RError)
    async def _derm3r(_: Request, error: Derm3RError) -> JSONResponse:
        return _json(500, str(error), [])

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, error: Exception) -> JSONResponse:
        # The log keeps the traceback for the operator; the client gets one line.
        logger.exception("unhandled error on %s %s", request.method, request.url.path)
        return _json(500, f"internal error ({type(error).__name__})", [])
