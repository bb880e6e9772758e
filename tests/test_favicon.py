"""Every page names the site's icon (a static file), so a browser does not ask for /favicon.ico and meet a 404 on
each page it opens."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

pytestmark = pytest.mark.django_db


def _icon(html: str) -> str:
    match = re.search(r'<link rel="icon" href="/static/([^"]+)"', html)
    assert match, html[:600]
    return match.group(1)


@pytest.mark.parametrize("username, path", [
    (None, "/login/"), ("resident", "/"), ("firm_staff", "/admin/"), (None, "/admin/login/"), (None, "/no-such-page/"),
])
def test_every_kind_of_page_names_the_icon(users, username, path):
    client = Client()
    if username:
        client.force_login(users[username])
    icon = _icon(client.get(path).content.decode())
    assert finders.find(icon), icon
