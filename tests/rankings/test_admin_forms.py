"""The admin's forms for the zeroing (the street assigns a fallback firm or a custodian, with start-up money) and
for the appraisal (a score with reasons), tried as the street office and the community office."""

import pytest

from communities.models import Compound, ManagementMode
from properties.models import Contract, FallbackAssignment, Firm
from rankings.models import Appraisal


@pytest.fixture(autouse=True)
def _own_quarters(clean_slate):
    """These tests make their own quarters."""


@pytest.mark.django_db
def test_the_street_office_zeroes_a_compound_in_the_admin(client, users):
    street_id = users["street_office"].role_assignments.get().street_id
    compound = Compound.objects.filter(street_id=street_id).exclude(contracts__status=Contract.Status.ACTIVE).exclude(
        fallback_assignment__isnull=False).order_by("pk").first()
    Compound.objects.filter(pk=compound.pk).update(management_mode=ManagementMode.UNMANAGED)
    fallback = Firm.objects.get(district_id=compound.district_id, is_fallback=True)
    client.force_login(users["street_office"])
    url = "/admin/properties/fallbackassignment/add/"
    page = client.get(url)
    assert page.status_code == 200 and "startup_money" in page.content.decode()
    base = {"compound": compound.pk, "startup_money": "50000.00", "zeroed_on": "2026-11-01", "note": ""}
    # custody without its custodian, and a fallback firm with a custodian: field errors, nothing saved
    page = client.post(url, {**base, "mode": ManagementMode.COMMITTEE_CUSTODY, "custodian": ""})
    assert page.status_code == 200 and page.context["adminform"].form.errors.get("custodian")
    page = client.post(url, {**base, "mode": ManagementMode.GOVERNMENT_FALLBACK, "firm": fallback.pk,
                             "custodian": "居委会"})
    assert page.status_code == 200 and page.context["adminform"].form.errors.get("custodian")
    assert not FallbackAssignment.objects.filter(compound=compound).exists()
    # the fallback firm with its start-up money
    page = client.post(url, {**base, "mode": ManagementMode.GOVERNMENT_FALLBACK, "firm": fallback.pk,
                             "custodian": "", "contract_ends_on": "2029-10-31"})
    assert page.status_code == 302, page.context["adminform"].form.errors if page.context else page
    assignment = FallbackAssignment.objects.get(compound=compound)
    assert str(assignment.startup_money) == "50000.00" and assignment.assigned_by == users["street_office"]
    contract = Contract.objects.get(compound=compound, status=Contract.Status.ACTIVE)
    assert contract.firm == fallback and str(contract.ends_on) == "2029-10-31"
    # a compound of another street is not offered
    other = Compound.objects.exclude(street_id=street_id).filter(district_id=compound.district_id).first()
    Compound.objects.filter(pk=other.pk).update(management_mode=ManagementMode.UNMANAGED)
    page = client.post(url, {**base, "compound": other.pk, "mode": ManagementMode.COMMITTEE_CUSTODY,
                             "custodian": "居委会"})
    assert page.status_code == 200 and page.context["adminform"].form.errors.get("compound")


@pytest.mark.django_db
def test_the_community_office_scores_a_firm_with_reasons_in_the_admin(client, users, place, period):
    client.force_login(users["community_office"])
    url = "/admin/rankings/appraisal/add/"
    assert client.get(url).status_code == 200
    base = {"period": period.pk, "compound": place["compound"].pk, "firm": place["firm_id"], "score": "86.5"}
    page = client.post(url, {**base, "reasons": "  "})
    assert page.status_code == 200 and page.context["adminform"].form.errors
    other_firm = Firm.objects.filter(district=place["district"]).exclude(
        contracts__compound=place["compound"]).order_by("pk").first()
    page = client.post(url, {**base, "firm": other_firm.pk, "reasons": "未服务该小区"})
    assert page.status_code == 200 and page.context["adminform"].form.errors.get("firm")
    page = client.post(url, {**base, "score": "101", "reasons": "x"})
    assert page.status_code == 200 and page.context["adminform"].form.errors.get("score")
    page = client.post(url, {**base, "reasons": "巡查到位，整改及时"})
    assert page.status_code == 302, page.context["adminform"].form.errors if page.context else page
    appraisal = Appraisal.objects.get(period=period, compound=place["compound"], firm_id=place["firm_id"])
    assert appraisal.level == Appraisal.Level.COMMUNITY and str(appraisal.score) == "86.50"
    assert appraisal.reasons == "巡查到位，整改及时" and appraisal.appraised_by == users["community_office"]
