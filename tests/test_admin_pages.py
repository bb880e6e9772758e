"""Every admin page opens for every staff login: 200 where the role may, 403 where it may not, never a 500."""

import pytest
from django.contrib import admin
from django.urls import reverse

STAFF = ["admin", "district_org", "district_center", "street_office", "community_office", "commissioner",
         "committee_member", "firm_staff", "department_staff"]


@pytest.mark.django_db
@pytest.mark.parametrize("login", STAFF)
def test_every_changelist_and_add_page_answers(client, users, login):
    client.force_login(users[login])
    assert client.get("/admin/").status_code == 200
    for model in admin.site._registry:
        opts = model._meta
        changelist = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        assert changelist.status_code in (200, 302, 403), (opts.label, changelist.status_code)
        add = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
        assert add.status_code in (200, 302, 403), (opts.label, add.status_code)
        if changelist.status_code == 200 and changelist.context and "cl" in changelist.context:
            first = changelist.context["cl"].result_list[:1]
            for obj in first:
                page = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))
                assert page.status_code == 200, (opts.label, page.status_code)
