"""OpenAPI details drf-spectacular cannot infer: the API key scheme and the problem document every
operation may answer (RFC 9457)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension

from submissions.api.problems import PROBLEM_TYPE


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "submissions.api.auth.ApiKeyAuthentication"
    name = "apiKey"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An organization's API key: Authorization: Bearer tdk_…",
        }


_PROBLEM_SCHEMA = {
    "type": "object",
    "description": "RFC 9457 problem details.",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "code": {"type": "string", "description": "Stable code of the problem."},
        "instance": {"type": "string"},
        "findings": {"type": "array", "items": {"$ref": "#/components/schemas/Finding"}},
        "errors": {"type": "array", "items": {"$ref": "#/components/schemas/ProblemError"}},
    },
    "required": ["type", "title", "status", "detail", "code"],
}

_PROBLEM_ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "pointer": {"type": "string", "description": "RFC 6901 JSON Pointer into the request body."},
        "code": {"type": "string"},
        "message": {"type": "string"},
    },
    "required": ["pointer", "code", "message"],
}


def add_problem_responses(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """Every operation's ``default`` response is a problem document."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Problem"] = _PROBLEM_SCHEMA
    schemas["ProblemError"] = _PROBLEM_ERROR_SCHEMA
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            responses = operation.setdefault("responses", {})
            responses["default"] = {
                "description": "A problem (RFC 9457): 4xx for the request, 5xx for the server.",
                "content": {PROBLEM_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
            }
    return result
