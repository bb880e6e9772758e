"""Request body parsers that refuse hostile JSON before it reaches the decoder's recursion.

Python's json decoder recurses once per nesting level: 5,000 `[` in a 10 kB body raise RecursionError deep in a
worker (a 500). The depth is counted first, at C speed, and anything deeper than MAX_JSON_DEPTH is a 400."""

import io
import re

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

# A JSON string (whose brackets do not count) or one bracket.
_TOKENS = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)


def json_depth_exceeds(body: bytes, limit: int) -> bool:
    """Whether the JSON text nests arrays and objects deeper than `limit` (malformed text is left to the
    decoder, which reports it)."""
    if body.count(b"[") + body.count(b"{") <= limit:  # the usual case: too few brackets to be that deep
        return False
    depth = 0
    for match in _TOKENS.finditer(body):
        token = match.group()
        if token in (b"[", b"{"):
            depth += 1
            if depth > limit:
                return True
        elif token in (b"]", b"}"):
            depth -= 1
    return False


class DepthLimitedJSONParser(JSONParser):
    """DRF's JSON parser behind a nesting-depth check (settings.MAX_JSON_DEPTH)."""

    def parse(self, stream, media_type=None, parser_context=None):
        body = stream.read() if stream is not None else b""
        if json_depth_exceeds(body, settings.MAX_JSON_DEPTH):
            raise ParseError(
                _("JSON nested deeper than %(depth)s levels is refused.") % {"depth": settings.MAX_JSON_DEPTH}
            )
        try:
            return super().parse(io.BytesIO(body), media_type, parser_context)
        except RecursionError:  # a safety net: the check above keeps far below the interpreter's limit
            raise ParseError() from None

