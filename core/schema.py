"""The OpenAPI schema's generator (drf-spectacular), apart from core.api: DRF imports the pagination class while
its own generic views are still loading, and drf-spectacular's schema module imports those views."""

from drf_spectacular import openapi

ERROR_RESPONSE = {
    "description": "Refused: field errors ({field: [messages]}) or {detail: message}.",
    "content": {"application/json": {"schema": {"type": "object", "additionalProperties": {}}}},
}


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's schema with the refusals every operation may answer: 400 (a bad parameter or body),
    401 (no or an expired token), 403 (not allowed), 404 (unknown or invisible), and 429 where throttled."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        codes = ["400", "403", "404"]
        if any(getattr(p, "__name__", type(p).__name__) != "AllowAny" for p in self.view.get_permissions()):
            codes.append("401")
        if self.view.get_throttles():
            codes.append("429")
        for code in codes:
            responses.setdefault(code, ERROR_RESPONSE)
        return responses
