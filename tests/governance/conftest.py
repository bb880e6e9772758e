import datetime

import pytest
from django.utils import timezone

from communities.demo import first_compound
from communities.models import District
from governance import services
from governance.models import AgendaItem, Meeting


@pytest.fixture
def demo_compound(db):
    """The compound of the demo resident, commissioner and committee member."""
    return first_compound(District.objects.order_by("pk").first(), 0)


@pytest.fixture
def make_item(users, demo_compound):
    def make(*, major=False, reviewed=False, compound=None):
        meeting = Meeting.objects.create(
            compound=compound or demo_compound, kind=Meeting.Kind.OWNERS_ASSEMBLY, title="Owners' assembly",
            held_at=timezone.now(),
        )
        item = AgendaItem.objects.create(meeting=meeting, title="Replace the roof", is_major=major)
        if reviewed:
            item = services.item_pre_review(actor=users["community_office"], item=item, note="Agreed first")
        return item

    return make


@pytest.fixture
def open_vote(users, make_item):
    def make(rule="civil_code_ordinary", compound=None, days=7):
        return services.vote_open(
            actor=users["community_office"], item=make_item(compound=compound), rule=rule,
            deadline=timezone.now() + datetime.timedelta(days=days),
        )

    return make
