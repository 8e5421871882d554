"""A case from a request: JSON, or multipart with a ``case`` field and image files, checked by the image intake."""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import Request
from pydantic import ValidationError
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException

from derm3r.schemas.case import Case
from derm3r.server.errors import FieldError
from derm3r.server.settings import ServerSettings
from derm3r.vision.errors import ImageInputError
from derm3r.vision.intake import load_image

SUFFIXES = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp", "TIFF": ".tif"}
MAX_FORM_FIELD_BYTES = 2_000_000


@dataclass
class CaseRequest:
    """A validated case, the form's other text fields, and the folder its uploaded images were saved in."""

    case: Case
    fields: dict[str, str] = field(default_factory=dict)
    folder: Path | None = None

    def cleanup(self) -> None:
        """Delete the uploaded images: they are not kept once the consultation is done."""
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None


def parse_case_json(data: Any, prefix: str = "case") -> Case:
    """Validate a decoded JSON object as a Case, naming each bad field under ``prefix``.

    Raises:
        FieldError: When it is not an object or not a valid case.
    """
    if not isinstance(data, dict):
        raise FieldError(prefix, f"expected a JSON object (the Case format), got {type(data).__name__}")
    try:
        return Case.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join([prefix, *(str(part) for part in first["loc"])])
        message = "unknown field (check its spelling against the Case format)" if first["type"] == "extra_forbidden" \
            else first["msg"]
        raise FieldError(where, message) from None


async def read_case_request(request: Request, settings: ServerSettings, *, wrapped: str | None = None) -> CaseRequest:
    """Read a case from a JSON body or a multipart form (``case`` + image files).

    In a multipart form every image in ``case.images`` names, as its ``path``, the file name of one
    uploaded file, and every uploaded file is named there; each file passes the image intake's
    guards (format, bytes, pixels) before the consultation starts.

    Args:
        request: The HTTP request.
        settings: Upload limits.
        wrapped: For JSON bodies, the key holding the case (e.g. "case"), or None when the body is the case.

    Returns:
        The case request; call ``cleanup()`` when done.

    Raises:
        FieldError: Naming the field at fault.
    """
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        return await _read_multipart(request, settings)
    if not content_type.startswith("application/json"):
        raise FieldError("content-type", "send application/json (a Case) or multipart/form-data", 415)
    try:
        body = json.loads(await request.body())
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise FieldError("(body)", f"not valid JSON ({error})") from None
    fields: dict[str, str] = {}
    if wrapped is not None:
        if not isinstance(body, dict):
            raise FieldError("(body)", f"expected a JSON object with '{wrapped}', got {type(body).__name__}")
        extra = {key: value for key, value in body.items() if key != wrapped}
        for key, value in extra.items():
            if not isinstance(value, str):
                raise FieldError(key, "expected text")
            fields[key] = value
        body = body.get(wrapped)
        if body is None:
            raise FieldError(wrapped, "field required")
    case = parse_case_json(body, wrapped or "case")
    if case.images:
        raise FieldError("case.images", "images must be uploaded as files (multipart/form-data), not as paths")
    return CaseRequest(case=case, fields=fields)


async def _read_multipart(request: Request, settings: ServerSettings) -> CaseRequest:
    try:
        form = await request.form(max_files=settings.max_images, max_fields=20, max_part_size=MAX_FORM_FIELD_BYTES)
    except HTTPException as error:  # starlette's multipart limits; say which part of the form broke them
        detail = str(error.detail)
        raise FieldError("images" if "files" in detail else "(form)", detail, 413) from None
    raw = form.get("case")
    if raw is None or not isinstance(raw, str):
        raise FieldError("case", "field required (the Case JSON as a form field)")
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as error:
        raise FieldError("case", f"not valid JSON ({error})") from None
    case = parse_case_json(data)
    uploads = [item for key, item in form.multi_items() if key == "images" and isinstance(item, UploadFile)]
    fields = {key: value for key, value in form.multi_items() if isinstance(value, str) and key != "case"}
    by_name = {}
    for index, upload in enumerate(uploads):
        name = upload.filename or ""
        if not name or name in by_name:
            raise FieldError(f"images[{index}]", "each file needs a distinct file name")
        by_name[name] = upload
    referenced = [ref.path for ref in case.images]
    for index, path in enumerate(referenced):
        if path not in by_name:
            raise FieldError(f"case.images[{index}].path", f"no uploaded file is named {path!r}")
    for index, name in enumerate(by_name):
        if name not in referenced:
            raise FieldError(f"images[{index}]", f"file {name!r} is not listed in case.images")
    folder = Path(tempfile.mkdtemp(prefix="derm3r-upload-"))
    try:
        images = [
            ref.model_copy(update={"path": await _save(by_name[ref.path], folder, index, settings)})
            for index, ref in enumerate(case.images)
        ]
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return CaseRequest(case=case.model_copy(update={"images": images}), fields=fields, folder=folder)


async def _save(upload: UploadFile, folder: Path, index: int, settings: ServerSettings) -> str:
    """Write one upload to ``folder`` and run the image intake on it; return its new relative path."""
    where = f"images[{index}]"
    data = await upload.read(settings.max_image_bytes + 1)
    if len(data) > settings.max_image_bytes:
        raise FieldError(where, f"file is larger than the limit of {settings.max_image_bytes:,} bytes", 413)
    target = folder / f"upload-{index}"
    target.write_bytes(data)
    try:
        loaded = load_image(target, base_dir=folder, max_pixels=settings.max_image_pixels,
                            max_file_bytes=settings.max_image_bytes)
    except ImageInputError as error:
        raise FieldError(where, f"{upload.filename}: {error.reason}", 400) from None
    final = target.with_suffix(SUFFIXES.get(loaded.format, ".img"))
    target.rename(final)
    return final.name
