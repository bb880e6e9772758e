"""The client's address, trusting X-Forwarded-For only as far as the configured proxies (settings.TRUSTED_PROXIES).

Each trusted reverse proxy appends the address it received the request from to X-Forwarded-For; whatever the
client wrote there itself stands further left. So the client is the entry TRUSTED_PROXIES places from the right
(DRF's NUM_PROXIES rule), and with no trusted proxy it is REMOTE_ADDR whatever the header says. The login
throttle (DRF) and the lockout (django-axes, AXES_CLIENT_IP_CALLABLE) both ask this one function.

django-ipware's `proxy_count` counts differently (it expects the header to hold more entries than proxies and
answers None for a client that sent none), so that one rule is written here rather than configured twice."""

from django.conf import settings


def client_ip(request) -> str:
    """The address the request came from, as far as the trusted proxies vouch for it."""
    remote_addr = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if not proxies or not forwarded:
        return remote_addr
    addresses = [a.strip() for a in forwarded.split(",")]
    return addresses[-min(proxies, len(addresses))] or remote_addr
