"""Login limits keyed on the real client address (issue 13): X-Forwarded-For counts only when it comes through the
configured proxies (TRUSTED_PROXIES), for the throttle (DRF) and the lockout (django-axes) alike."""

import pytest
from django.core.cache import cache
from django.test import RequestFactory, override_settings

from core.api import ClientScopedRateThrottle
from core.client_ip import client_ip
from tests.conftest import PASSWORD

TOKEN_URL = "/api/v1/auth/token/"
PROXY = "10.0.0.2"


@pytest.fixture
def login_rate(monkeypatch):
    """The production rate (the test settings raise it for the suite), on an empty throttle cache."""
    monkeypatch.setattr(ClientScopedRateThrottle, "THROTTLE_RATES", {"login": "20/min"})
    cache.clear()
    yield
    cache.clear()


def _login(api, username, password, **meta):
    return api.post(TOKEN_URL, {"username": username, "password": password}, format="json", **meta)


class TestClientAddress:
    def _ip(self, **meta):
        return client_ip(RequestFactory().get("/", **meta))

    def test_without_trusted_proxies_the_header_is_ignored(self):
        assert self._ip(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="1.2.3.4") == "203.0.113.9"

    @override_settings(TRUSTED_PROXIES=1)
    def test_behind_one_proxy_the_entry_it_appended_counts(self):
        assert self._ip(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.9") == "203.0.113.9"
        # What the client wrote itself stands left of what the proxy appended.
        assert self._ip(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9") == "203.0.113.9"
        assert self._ip(REMOTE_ADDR=PROXY) == PROXY

    @override_settings(TRUSTED_PROXIES=2)
    def test_behind_two_proxies(self):
        assert self._ip(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9, 10.0.0.3") == "203.0.113.9"


@pytest.mark.django_db
class TestThrottle:
    def test_a_spoofed_forwarded_for_from_outside_changes_nothing(self, api, login_rate):
        answers = [_login(api, f"nobody{i}", "wrong", REMOTE_ADDR="203.0.113.9",
                          HTTP_X_FORWARDED_FOR=f"198.51.100.{i}").status_code for i in range(25)]
        assert answers[:20] == [400] * 20
        assert answers[20:] == [429] * 5

    @override_settings(TRUSTED_PROXIES=1)
    def test_behind_the_proxy_a_spoofed_entry_changes_nothing(self, api, login_rate):
        answers = [_login(api, f"nobody{i}", "wrong", REMOTE_ADDR=PROXY,
                          HTTP_X_FORWARDED_FOR=f"198.51.100.{i}, 203.0.113.9").status_code for i in range(21)]
        assert answers[-1] == 429

    @override_settings(TRUSTED_PROXIES=1)
    def test_behind_the_proxy_clients_are_throttled_apart(self, api, login_rate):
        for i in range(20):
            _login(api, f"nobody{i}", "wrong", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.9")
        assert _login(api, "x", "wrong", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 429
        other = _login(api, "street_office", PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7")
        assert other.status_code == 200


@pytest.mark.django_db
class TestLockout:
    @override_settings(TRUSTED_PROXIES=1)
    def test_an_attacker_behind_the_proxy_does_not_lock_out_the_user_elsewhere(self, api, login_rate):
        for _ in range(5):
            _login(api, "resident", "wrong", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.66")
        attacker = _login(api, "resident", PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.66")
        assert attacker.status_code == 429
        user = _login(api, "resident", PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.20")
        assert user.status_code == 200

    def test_without_proxies_a_forwarded_for_does_not_dodge_the_lockout(self, api, login_rate):
        for i in range(5):
            _login(api, "resident", "wrong", REMOTE_ADDR="203.0.113.66", HTTP_X_FORWARDED_FOR=f"198.51.100.{i}")
        again = _login(api, "resident", PASSWORD, REMOTE_ADDR="203.0.113.66", HTTP_X_FORWARDED_FOR="198.51.100.99")
        assert again.status_code == 429

    def test_the_portal_login_is_locked_by_the_same_address(self, client, login_rate):
        from django.urls import reverse

        url = reverse("portal:login")
        for _ in range(5):
            client.post(url, {"username": "resident", "password": "wrong"}, REMOTE_ADDR="203.0.113.66")
        locked = client.post(url, {"username": "resident", "password": PASSWORD}, REMOTE_ADDR="203.0.113.66")
        assert locked.status_code == 429
        elsewhere = client.post(url, {"username": "resident", "password": PASSWORD}, REMOTE_ADDR="198.51.100.20")
        assert elsewhere.status_code == 302
