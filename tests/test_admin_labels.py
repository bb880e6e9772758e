"""Admin pages speak in labels and percentages, never in raw codes or 0–1 shares: the reveal log's field and
reason, the campaign table's targets and progress."""

import re

import pytest
from django.urls import reverse

from communities.models import Person, PersonalDataAccess
from communities.templatetags.figures import percent

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def test_percent_shows_a_share_as_a_percentage():
    assert percent("0.0833") == "8.3%"
    assert percent("1.0000") == "100.0%"
    assert percent(None) == "—"


def test_the_reveal_log_shows_the_fields_name_and_a_reason_in_words(client, users):
    person = Person.objects.filter(community__isnull=False, phone__gt="").first()
    client.force_login(users["admin"])
    client.post(reverse("admin:communities_person_reveal", args=[person.pk, "phone"]), **ZH)
    log = PersonalDataAccess.objects.filter(person=person).latest("at")
    assert log.field == "phone" and "admin" not in log.reason
    listing = client.get(reverse("admin:communities_personaldataaccess_changelist"), **ZH).content.decode()
    row = listing[listing.index(f"/{log.pk}/change/"):]
    row = row[:row.index("</tr>")]
    field = re.search(r'class="field-field_shown">([^<]*)<', row)[1]
    reason = re.search(r'class="field-reason_shown">([^<]*)<', row)[1]
    assert field == "电话" and reason == "在人员后台页面查看"
    # The filter offers the fields by name, and filters.
    assert "身份证号" in listing or "ID card" not in listing
    filtered = client.get(reverse("admin:communities_personaldataaccess_changelist") + "?field=phone", **ZH)
    assert all(r.field == "phone" for r in filtered.context["cl"].result_list)


def test_legacy_admin_codes_in_the_log_are_not_shown(client, users):
    from communities.admin import PersonalDataAccessAdmin

    shown = PersonalDataAccessAdmin.reason_shown
    assert shown(None, PersonalDataAccess(reason="就第5号诉求回访：admin")) == "就第5号诉求回访"
    assert shown(None, PersonalDataAccess(reason="admin")) == "—"


def test_campaign_progress_and_targets_are_percentages(client, users):
    client.force_login(users["district_org"])
    page = client.get(reverse("admin:governance_campaigntarget_progress"), **ZH).content.decode()
    assert "%" in page
    assert not re.search(r">\s*[01]\.\d{4}\b", page), "a share is printed raw"
    listing = client.get(reverse("admin:governance_campaigntarget_changelist"), **ZH).content.decode()
    assert not re.search(r">\s*0\.\d{2,4}\s*<", listing) and "%" in listing
