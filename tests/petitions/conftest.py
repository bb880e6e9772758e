"""Fixtures for the closed loop: the demo compound (the logins' compound), its categories, and a maker that
submits petitions through the services."""

import pytest

from communities.demo import first_compound
from communities.models import District
from petitions import services
from petitions.models import Category


@pytest.fixture
def main_district(db):
    return District.objects.order_by("pk").first()


@pytest.fixture
def demo_compound(main_district):
    """The compound of resident, commissioner and committee member; served by firm_staff's firm."""
    return first_compound(main_district, 0)


@pytest.fixture
def categories(main_district):
    return {c.code: c for c in Category.objects.filter(district=main_district)}


@pytest.fixture
def submit(users, categories):
    """A petition submitted by `resident` in the demo compound (routed to the firm by default)."""

    def make(code="repair", actor="resident", **kw):
        kw.setdefault("description", "楼道灯不亮")
        return services.petition_submit(actor=users[actor], category=categories[code], **kw)

    return make
