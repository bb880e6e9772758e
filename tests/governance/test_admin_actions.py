"""Admin actions run the services one object at a time: a refusal is a message, never a 500 or half a batch."""

import pytest

from governance.models import Vetting


@pytest.mark.django_db
def test_answering_a_mixed_batch_answers_the_open_one_and_reports_the_other(client, users):
    # given one open and one answered vetting of the police
    department = users["department_staff"].role_assignments.get().department_id
    answered, pending = Vetting.objects.filter(department_id=department).exclude(
        outcome=Vetting.Outcome.PENDING).order_by("pk")[:2]
    Vetting.objects.filter(pk=pending.pk).update(outcome=Vetting.Outcome.PENDING, reason="", answered_at=None)
    client.force_login(users["department_staff"])
    response = client.post("/admin/governance/vetting/", {
        "action": "answer_pass", "_selected_action": [pending.pk, answered.pk],
    }, follow=True)
    assert response.status_code == 200
    levels = sorted(m.level_tag for m in response.context["messages"])
    assert levels == ["error", "success"]
    pending.refresh_from_db()
    assert pending.outcome == Vetting.Outcome.PASS
    answered_before = answered.outcome
    answered.refresh_from_db()
    assert answered.outcome == answered_before


@pytest.mark.django_db
def test_view_only_staff_are_not_offered_the_vetting_action(client, users):
    client.force_login(users["commissioner"])
    response = client.get("/admin/governance/candidate/")
    assert response.status_code == 200
    assert "send_for_vetting" not in response.content.decode()
