"""The district boundary for the map: what an upload must be, the admin's upload, the demo's generated one."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from communities.geo import validate_boundary
from communities.models import Compound, District

SQUARE = [[121.0, 29.0], [121.1, 29.0], [121.1, 29.1], [121.0, 29.1], [121.0, 29.0]]


@pytest.mark.parametrize("value", [
    {"type": "Polygon", "coordinates": [SQUARE]},
    {"type": "MultiPolygon", "coordinates": [[SQUARE], [SQUARE]]},
    {"type": "Feature", "properties": {"name": "x"}, "geometry": {"type": "Polygon", "coordinates": [SQUARE]}},
    {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [SQUARE]}}]},
])
def test_valid_boundaries_pass(value):
    validate_boundary(value)


@pytest.mark.parametrize("value", [
    [], "x", {"type": "Point", "coordinates": [121, 29]},
    {"type": "Polygon", "coordinates": [SQUARE[:-1]]},  # not closed
    {"type": "Polygon", "coordinates": [[[121, 29], [121, 29], [121, 29]]]},  # too short
    {"type": "Polygon", "coordinates": [[[200, 29], [121, 29], [121, 30], [200, 29]]]},  # out of range
    {"type": "Polygon", "coordinates": [[["a", 29], [121, 29], [121, 30], ["a", 29]]]},
    {"type": "FeatureCollection", "features": []},
    {"type": "FeatureCollection", "features": [{"type": "Polygon", "coordinates": [SQUARE]}]},
])
def test_invalid_boundaries_are_refused(value):
    with pytest.raises(ValidationError):
        validate_boundary(value)


@pytest.mark.django_db
def test_the_demo_ships_a_boundary_and_coordinates():
    for district in District.objects.all():
        validate_boundary(district.boundary)
        assert district.boundary["features"]
    assert not Compound.objects.filter(longitude__isnull=True).exists()


def _change(client, district, upload):
    data = {"name": district.name, "code": district.code, "office_phone": district.office_phone,
            "boundary_file": upload}
    return client.post(reverse("admin:communities_district_change", args=[district.pk]), data)


@pytest.mark.django_db
def test_the_admin_takes_a_boundary_upload_and_refuses_a_bad_one(client, users):
    district = District.objects.order_by("pk").first()
    client.force_login(users["admin"])
    good = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "x"}, "geometry": {"type": "Polygon", "coordinates": [SQUARE]}}]}
    response = _change(client, district, SimpleUploadedFile("b.geojson", json.dumps(good).encode()))
    assert response.status_code == 302
    district.refresh_from_db()
    assert district.boundary == good

    for bad in (b"not json", json.dumps({"type": "Point", "coordinates": [1, 2]}).encode()):
        response = _change(client, district, SimpleUploadedFile("b.geojson", bad))
        assert response.status_code == 200 and response.context["adminform"].form.errors["boundary_file"]
    district.refresh_from_db()
    assert district.boundary == good  # unchanged by the refused uploads

    # an empty upload keeps the stored boundary
    assert _change(client, district, "").status_code == 302
    district.refresh_from_db()
    assert district.boundary == good
