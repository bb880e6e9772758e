"""Offline: no page or template loads a script or a style from another host, and the API docs come from static
files. Phones typed by staff: mainland mobile and landline formats, one validator for the admin and the API."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template import engines

from core.validators import validate_phone

EXTERNAL = re.compile(
    r"""<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.IGNORECASE)


def _template_dirs():
    dirs = [Path(d) for d in engines["django"].engine.dirs]
    for app in ("django.contrib.admin", "drf_spectacular", "rest_framework"):
        from django.apps import apps

        config = next(c for c in apps.get_app_configs() if c.name == app)
        dirs.append(Path(config.path) / "templates")
    return dirs


# No route serves these (the Redoc bundle fetches its logo from a CDN: the docs are Swagger UI alone).
NOT_SERVED = {Path("drf_spectacular/redoc.html")}


@pytest.mark.django_db
def test_no_template_in_use_loads_from_another_host(client):
    """The project's templates and those of the apps whose pages are served (admin, API docs, browsable API);
    a template of the project overrides one of an app's (drf_spectacular/swagger_ui.html)."""
    assert client.get("/api/redoc/").status_code == 404
    offenders = []
    for base in _template_dirs():
        for path in base.rglob("*.html"):
            relative = path.relative_to(base)
            if relative in NOT_SERVED:
                continue
            if base != Path(settings.BASE_DIR) / "templates" and (Path(settings.BASE_DIR) / "templates" / relative).exists():
                continue  # overridden by the project
            if EXTERNAL.search(path.read_text(encoding="utf-8")):
                offenders.append(str(path))
    assert offenders == []


@pytest.mark.django_db
@pytest.mark.parametrize("url,login", [
    ("/", "resident"), ("/login/", None), ("/petitions/new/", "resident"), ("/votes/", "resident"),
    ("/admin/", "street_office"), ("/admin/petitions/petition/", "firm_staff"), ("/admin/login/", None),
    ("/api/docs/", None), ("/api/docs/?script", None),
    ("/api/v1/petitions/?format=api", "resident"), ("/no-such-page/", None),
])
def test_no_page_loads_from_another_host(client, users, url, login):
    if login:
        client.force_login(users[login])
    response = client.get(url)
    assert response.status_code in (200, 404)
    body = response.content.decode()
    assert not EXTERNAL.search(body), EXTERNAL.search(body)
    assert "cdn." not in body and "fonts.googleapis" not in body


@pytest.mark.django_db
def test_the_api_docs_load_swagger_ui_from_static_files(client):
    html = client.get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "<script>" not in html and "<style>" not in html  # no inline code (the CSP)
    script = client.get("/api/docs/?script")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()


@pytest.mark.parametrize("number", [
    "13812345678", "+86 138 1234 5678", "008613812345678", "0574-87654321", "0574 8765432", "010-62345678",
    "021-52345678", "+86-574-87654321", "0574-87654321转8012",
])
def test_mainland_numbers_are_accepted(number):
    validate_phone(number)


@pytest.mark.parametrize("number", [
    "12345", "110", "95598", "87654321", "1381234567", "12812345678", "0574-1234567", "abc;<>", "138123456789",
    "+1 415 555 0100",
])
def test_other_numbers_are_refused(number):
    with pytest.raises(ValidationError):
        validate_phone(number)


@pytest.mark.django_db
def test_staff_typing_12345_are_refused_in_the_api_and_the_admin(as_user, client, users):
    from communities.demo import first_compound
    from communities.models import District
    from petitions.models import Category, Petition

    district = District.objects.order_by("pk").first()
    demo_compound = first_compound(district, 0)
    categories = {c.code: c for c in Category.objects.filter(district=district)}

    before = Petition.objects.count()
    response = as_user("street_office").post("/api/v1/petitions/", {
        "compound": demo_compound.pk, "category": categories["repair"].pk, "description": "来电",
        "source": "hotline_12345", "reporter_phone": "12345"}, format="json")
    assert response.status_code == 400 and "reporter_phone" in response.json()
    client.force_login(users["street_office"])
    page = client.post("/admin/petitions/petition/add/", {
        "compound": demo_compound.pk, "category": categories["repair"].pk, "source": "hotline_12345",
        "reporter_phone": "12345", "description": "来电", "not_a_duplicate": "on"})
    assert page.status_code == 200 and "0574-87654321" in page.content.decode()  # the form, with the message
    assert Petition.objects.count() == before
