import pytest

from petitions.models import EscalationLevel, Petition, Source, Status


@pytest.mark.django_db
def test_demo_has_every_state_channel_and_level():
    assert set(Petition.objects.values_list("status", flat=True)) == set(Status.values)
    assert set(Petition.objects.values_list("source", flat=True)) == set(Source.values)
    assert set(Petition.objects.values_list("level", flat=True)) == set(EscalationLevel.values)
