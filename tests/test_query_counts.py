"""List pages cost a fixed number of queries, whatever the page size and the amount of data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communities.models import Building, Compound, Household

ROUTES = ["districts", "streets", "communities", "compounds", "buildings", "households", "people"]


def _count(client, url):
    # A fresh user object per request, as a real request has: the scope cache lives on the user.
    client.force_authenticate(type(client.handler._force_user).objects.get(pk=client.handler._force_user.pk))
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _grow(compound):
    """Adds a building with 30 households to the compound."""
    building = Building.objects.create(compound=compound, name="增1幢")
    Household.objects.bulk_create([
        Household(district_id=compound.district_id, street_id=compound.street_id,
                  community_id=compound.community_id, compound=compound, building=building,
                  unit="1", room=str(100 + i), floor_area=90)
        for i in range(30)
    ])


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("login", ["district_org", "street_office", "commissioner", "firm_staff", "resident"])
def test_list_queries_do_not_grow_with_page_size_or_data(as_user, login, route, settings):
    # What the page itself costs: the compounds list's kept pages (one query fewer) are counted in
    # tests/test_list_cache.py.
    settings.API_LIST_CACHE_SECONDS = 0
    client = as_user(login)
    small = _count(client, f"/api/v1/{route}/?page_size=2")
    large = _count(client, f"/api/v1/{route}/?page_size=200")
    for compound in Compound.objects.all():
        _grow(compound)
    grown = _count(client, f"/api/v1/{route}/?page_size=200")
    assert small == large == grown
    # one for the scope (roles, residencies and guardian grants together); the hierarchy lists read the
    # page and its total in one more, the people list counts apart
    assert grown == (3 if route == "people" else 2)
