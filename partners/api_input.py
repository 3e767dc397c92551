"""How the API reads a request: one JSON parser with a size and a depth limit, and OPTIONS answers that describe
the body each method takes without loading an object. Both are the defaults of settings.REST_FRAMEWORK.

A body the parser refuses is a 400 with a JSON message (partners.api_errors), never a 500 or an HTML page.
"""

import json

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions
from rest_framework.metadata import SimpleMetadata
from rest_framework.parsers import JSONParser
from rest_framework.request import clone_request

from .validators import _size


def depth(value) -> int:
    """How deeply lists and objects nest in a parsed JSON value (a number or a string is 0), without recursion."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            level += 1
            deepest = max(deepest, level)
            stack.extend((child, level) for child in item if isinstance(child, (dict, list)))
    return deepest


def loads(text: str, *, max_depth: int):
    """json.loads refusing NaN and infinities and values nested more than `max_depth` levels (ValueError with a
    message for people). A number too large for a float (1e999) parses as infinity, for the field to refuse by
    name. Python's decoder recurses: a text nested deeper than it can go is refused with the same message."""
    try:
        value = json.loads(text, parse_constant=_refuse_constant)
    except RecursionError:
        raise ValueError(f"The JSON nests lists and objects more than {max_depth} levels deep.") from None
    if depth(value) > max_depth:
        raise ValueError(f"The JSON nests lists and objects more than {max_depth} levels deep.")
    return value


def _refuse_constant(name):
    raise ValueError(f"{name} is not a JSON number; send a finite number.")


class BoundedJSONParser(JSONParser):
    """JSON bodies of at most settings.API_JSON_MAX_BYTES, nested at most settings.API_JSON_MAX_DEPTH levels,
    without NaN or Infinity. A refusal is a ParseError (400, {"detail": message})."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.API_JSON_MAX_BYTES
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise exceptions.ParseError(
                f"The request body is larger than {_size(limit, exact=True)}, the most a JSON body may be."
            )
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = raw.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            raise exceptions.ParseError(f"The request body is not valid {encoding} text.") from None
        try:
            return loads(text, max_depth=settings.API_JSON_MAX_DEPTH)
        except json.JSONDecodeError as exc:
            raise exceptions.ParseError(
                f"The request body is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})."
            ) from None
        except ValueError as exc:
            raise exceptions.ParseError(str(exc)) from None


class InputMetadata(SimpleMetadata):
    """OPTIONS: the view's name, description, media types and, for each write method the user may use, the
    fields of the body it takes (the view's `input_serializers`). No object is loaded and no output serializer
    is built, so OPTIONS works on every endpoint, whatever the view's scope needs."""

    def determine_actions(self, request, view):
        actions = {}
        inputs = getattr(view, "input_serializers", {}) or {}
        for method in sorted({"PUT", "POST", "PATCH"} & set(view.allowed_methods) & set(inputs)):
            view.request = clone_request(request, method)
            try:
                view.check_permissions(view.request)
            except (exceptions.APIException, PermissionDenied, Http404):
                continue
            else:
                actions[method] = self.get_serializer_info(inputs[method]())
            finally:
                view.request = request
        return actions
