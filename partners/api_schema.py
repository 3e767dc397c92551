"""How the published OpenAPI schema (/api/schema/) documents the answers every operation may give.

The views document their successful answer; this schema class adds, once for the whole API, the refusals each
operation really gives, with the body `partners.api_errors` renders:

- 400 `ValidationErrors` wherever a request body or a query parameter is read, and on every write (services
  refuse with a reason: a message list per field named, `detail` for a summary, `non_field_errors` for the
  request as a whole);
- 401 `Error` wherever a signed-in user is required (no or a wrong token);
- 403 `Error` on every write (the acting member's role does not allow it);
- 404 `Error` wherever the path names a row (one you may not see is answered as one that does not exist, and a
  path that names no view at all under /api/ answers the same JSON, see `partners.api_errors.page_not_found`)
  and on lists (a page past the last one);
- 409 `Error` where the view declares `conflict_methods` (a change to a scenario that is no longer a draft);
- 415 `Error` wherever a request body is read in a media type the operation does not take.

Input serializers deriving from `partners.serializers.InputSerializer` refuse keys they do not know, so their
request components say `additionalProperties: false`.
"""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework.permissions import SAFE_METHODS, AllowAny

ERROR = {
    "type": "object",
    "description": "Why the request was refused.",
    "properties": {"detail": {"type": "string", "description": "The reason, in words."}},
    "required": ["detail"],
    # a refusal from a service may name the fields it concerns, each with its messages
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}

VALIDATION_ERRORS = {
    "type": "object",
    "description": (
        "What is wrong with the request: each field or query parameter named, with its messages (a nested "
        "object or list of objects for the fields of a nested value); `detail` summarises when given; "
        "`non_field_errors` concerns the request as a whole."
    ),
    "properties": {
        "detail": {"type": "string"},
        "non_field_errors": {"type": "array", "items": {"type": "string"}},
    },
    "additionalProperties": {
        "oneOf": [
            {"type": "array", "items": {"oneOf": [{"type": "string"}, {"type": "object"}]}},
            {"type": "object"},
        ]
    },
}

DESCRIPTIONS = {
    400: "The request is invalid; the body names each field or parameter with its messages.",
    401: "Not signed in: send `Authorization: Token <key>` (or a session cookie).",
    403: "Your role in this organisation does not allow this change.",
    404: "No such row, or not one you may see; on a list, a page past the last one.",
    409: "The change conflicts with the row's state (a scenario that is no longer a draft, a study with scenarios).",
    415: "The request body is in a media type this operation does not take.",
}

BODY_METHODS = ("POST", "PUT", "PATCH")


class ErrorResponsesSchema(AutoSchema):
    """The project's default schema class: the view's own answers plus the refusals listed above."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code in sorted(self.error_statuses()):
            if str(code) not in responses:
                component = VALIDATION_ERRORS if code == 400 else ERROR
                responses[str(code)] = {
                    "content": {"application/json": {"schema": self._error_component(component).ref}},
                    "description": DESCRIPTIONS[code],
                }
        return responses

    def error_statuses(self) -> set[int]:
        codes = set()
        reads_body = self.method in BODY_METHODS and self.get_request_serializer() is not None
        query = any(parameter.get("in") == "query" for parameter in self._get_parameters())
        if reads_body:
            codes.add(415)
        if reads_body or query or self.method not in SAFE_METHODS:
            codes.add(400)  # a service may refuse any write with a reason (a facility still in use, say)
        if not all(issubclass(permission, AllowAny) for permission in self.view.permission_classes):
            codes.add(401)
        if self.method not in SAFE_METHODS:
            codes.add(403)
        if "{" in self.path or self._is_list_view():
            codes.add(404)
        if self.method in getattr(self.view, "conflict_methods", ()):
            codes.add(409)
        return codes

    def _error_component(self, schema: dict) -> ResolvedComponent:
        name = "ValidationErrors" if schema is VALIDATION_ERRORS else "Error"
        component = ResolvedComponent(name=name, type=ResolvedComponent.SCHEMA, object=name, schema=schema)
        self.registry.register_on_missing(component)
        return component

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        if direction == "request" and getattr(serializer, "refuses_unknown_keys", False):
            schema["additionalProperties"] = False
        return schema
