"""Input both databases can store, checked at the edge before any handler runs.

PostgreSQL refuses the NUL character in `text` and `\\u0000` in `jsonb`, and neither driver can
encode an unpaired UTF-16 surrogate (JSON allows `"\\ud800"`). Such input used to reach the
driver and fail there with a 500 (NUL on PostgreSQL only, a surrogate on both). Every request's
JSON body, form fields, query and path parameters are checked here instead, on both databases
alike, and refused with a 422 naming the first place at fault. JSON nested absurdly deep is
refused too, since encoders and serialisers give up on it only after it has been stored.
"""

from __future__ import annotations

import email.message
from collections.abc import Iterator
from typing import Any

from fastapi import Request
from pydantic import AfterValidator
from pydantic_core import PydanticCustomError
from starlette.datastructures import UploadFile

from hiresight.errors import AppError

# Deeper than any request shape we define: free-form JSON (drafts, event data) stays far below.
MAX_JSON_DEPTH = 64

Location = tuple[str | int, ...]


class InvalidTextError(AppError):
    """Text that cannot be stored: a NUL character or an unpaired surrogate."""

    status_code = 422
    code = "invalid_text"


class JsonTooDeepError(AppError):
    """A JSON body nested deeper than MAX_JSON_DEPTH."""

    status_code = 422
    code = "json_too_deep"


def storable_text(value: str) -> bool:
    """Whether both databases can store the string as text."""
    if "\x00" in value:
        return False
    try:
        value.encode("utf-8")  # fails on a lone surrogate; faster than searching for one
    except UnicodeEncodeError:
        return False
    return True


def walk_json(value: Any, root: Location = ()) -> Iterator[tuple[Location, Any, int]]:
    """Every node of a parsed JSON value with its location and depth (the root at depth 0).

    Iterative, so that a value nested thousands deep cannot exhaust the interpreter's stack.
    Object keys are yielded as string nodes at their object's location.
    """
    stack: list[tuple[Location, Any, int]] = [(root, value, 0)]
    while stack:
        location, node, depth = stack.pop()
        yield location, node, depth
        if isinstance(node, dict):
            for key, child in node.items():
                yield location, key, depth + 1
                stack.append(((*location, key), child, depth + 1))
        elif isinstance(node, list):
            stack.extend(((*location, i), child, depth + 1) for i, child in enumerate(node))


def json_depth(value: Any) -> int:
    """How deep containers nest in a parsed JSON value (a scalar is 0, `{}` and `[]` are 1)."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            node = node.values()
        elif not isinstance(node, list):
            continue
        deepest = max(deepest, depth + 1)
        stack.extend((child, depth + 1) for child in node)
    return deepest


def _acceptable(value: Any, max_depth: int) -> bool:
    # The fast pass every request takes: no locations are built until something is wrong.
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, str):
            if not storable_text(node):
                return False
        elif isinstance(node, dict):
            if depth >= max_depth:
                return False
            for key, child in node.items():
                if not storable_text(key):
                    return False
                stack.append((child, depth + 1))
        elif isinstance(node, list):
            if depth >= max_depth:
                return False
            stack.extend((child, depth + 1) for child in node)
    return True


def check_json(value: Any, root: Location, *, max_depth: int = MAX_JSON_DEPTH) -> None:
    """Refuse unstorable text anywhere in a parsed JSON value, and nesting past `max_depth`."""
    if _acceptable(value, max_depth):
        return
    for location, node, depth in walk_json(value, root):
        if isinstance(node, str) and not storable_text(node):
            raise _invalid_text(location)
        if depth >= max_depth and isinstance(node, dict | list):
            raise JsonTooDeepError(
                f"The JSON body nests deeper than {max_depth} levels.",
                details={"loc": list(location), "max_depth": max_depth},
            )


def max_depth_validator(max_depth: int, error_type: str) -> AfterValidator:
    """A pydantic validator refusing a JSON value nested deeper than `max_depth` levels.

    The error's `type` is `error_type`, so that clients can tell it from other validation errors.
    """

    def bounded(value: Any) -> Any:
        depth = json_depth(value)
        if depth > max_depth:
            raise PydanticCustomError(
                error_type,
                "nests {depth} levels deep; at most {max_depth} are allowed",
                {"depth": depth, "max_depth": max_depth},
            )
        return value

    return AfterValidator(bounded)


def _invalid_text(location: Location) -> InvalidTextError:
    return InvalidTextError(
        "Text may not contain NUL characters or unpaired surrogates.",
        details={"loc": list(location)},
    )


def _is_json(content_type: str | None) -> bool:
    # The same test FastAPI applies before it parses a body as JSON.
    if not content_type:
        return True
    message = email.message.Message()
    message["content-type"] = content_type
    subtype = message.get_content_subtype()
    return message.get_content_maintype() == "application" and (
        subtype == "json" or subtype.endswith("+json")
    )


async def refuse_unstorable_input(request: Request) -> None:
    """Refuse a request whose parameters or body hold input the databases cannot store.

    An app-wide dependency. It reads the body only for routes that take one, after FastAPI
    has parsed and cached it, so the check costs one walk over the parsed value.
    """
    for name, text in request.path_params.items():
        if not storable_text(str(text)):
            raise _invalid_text(("path", name))
    for name, text in request.query_params.multi_items():
        if not (storable_text(name) and storable_text(text)):
            raise _invalid_text(("query", name))
    route = request.scope.get("route")
    if getattr(route, "body_field", None) is None:
        return
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
        form = await request.form()
        for name, field in form.multi_items():
            text = (field.filename or "") if isinstance(field, UploadFile) else field
            if not (storable_text(name) and storable_text(text)):
                raise _invalid_text(("body", name))
    elif _is_json(content_type) and await request.body():
        try:
            body = await request.json()
        except ValueError:
            return  # not parsed as JSON by FastAPI either: body validation refuses it
        check_json(body, ("body",))
