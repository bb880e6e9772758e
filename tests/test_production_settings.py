"""Production settings as the docker-compose topology runs them: the container's own health check gets through."""

import importlib
import sys

import pytest
from django.test import override_settings


@pytest.fixture
def production(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 50)
    monkeypatch.setenv("ALLOWED_HOSTS", "sanfang.example")
    sys.modules.pop("config.settings.production", None)
    return importlib.import_module("config.settings.production")


@pytest.mark.django_db
def test_the_health_check_over_plain_http_is_answered_not_redirected(client, production):
    # given the production HTTPS redirect and hosts, asked as the compose health check asks (plain HTTP, a host
    # from ALLOWED_HOSTS)
    with override_settings(SECURE_SSL_REDIRECT=production.SECURE_SSL_REDIRECT,
                           SECURE_REDIRECT_EXEMPT=production.SECURE_REDIRECT_EXEMPT,
                           ALLOWED_HOSTS=production.ALLOWED_HOSTS):
        assert production.SECURE_SSL_REDIRECT
        assert client.get("/healthz", HTTP_HOST="sanfang.example").status_code == 200
        # every other page still goes to HTTPS
        assert client.get("/", HTTP_HOST="sanfang.example").status_code == 301
