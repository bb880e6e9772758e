"""django-csp's middleware with the site's policy written once per process.

django-csp builds the header from the settings on every answer (a dataclass copied with `asdict`, the policy's
directives merged and joined): ≈ 0.05 ms, 6–7% of a bare token request (benchmarks/README.md, issue 14). The site's
policy is the same for every answer that has none of its own, so it is built once and reused, and built again when
a test changes the settings. An answer with a policy of its own (`csp_update`, `csp_replace`, `csp`, `csp_exempt`
— the API docs) or a request that asked for a nonce goes through django-csp's own per-answer build, unchanged.
"""

import functools

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed

# Attributes django-csp's decorators set on an answer that carries a policy of its own.
_OWN_POLICY = ("_csp_config", "_csp_update", "_csp_replace", "_csp_exempt",
               "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro", "_csp_exempt_ro")
_DEBUG_EXEMPT = (404, 500)  # django-csp leaves Django's debug pages without a policy


@functools.cache
def site_policies() -> tuple[tuple[str, str, tuple], ...]:
    """(header, policy, excluded path prefixes) for the enforced and the report-only policy, where set."""
    out = []
    for header, name, report_only in ((HEADER, "CONTENT_SECURITY_POLICY", False),
                                      (HEADER_REPORT_ONLY, "CONTENT_SECURITY_POLICY_REPORT_ONLY", True)):
        policy = build_policy(report_only=report_only)
        if policy:
            prefixes = tuple((getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES") or ())
            out.append((header, policy, prefixes))
    return tuple(out)


def _settings_changed(setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY") or setting == "DEBUG":
        site_policies.cache_clear()


setting_changed.connect(_settings_changed, dispatch_uid="config.csp.settings_changed")


class CSPMiddleware(DjangoCSPMiddleware):
    def process_response(self, request, response):
        if getattr(request, "_csp_nonce", None) is not None or any(hasattr(response, a) for a in _OWN_POLICY):
            return super().process_response(request, response)
        if not (settings.DEBUG and response.status_code in _DEBUG_EXEMPT):
            for header, policy, excluded in site_policies():
                if header not in response and not request.path_info.startswith(excluded):
                    response[header] = policy
        # As django-csp: a nonce asked for after the header is written is an error, not a silent gap.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
