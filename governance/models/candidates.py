"""Candidates and joint vetting (资格联审)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from communities.models import Community, Compound, Department, District, Person
from governance.models.bodies import Body

# --- candidates and joint vetting (资格联审) ------------------------------------------------------------------

class Candidate(models.Model):
    """A person in a compound's candidate pool (候选人储备库) for its owners' committee."""

    district = models.ForeignKey(District, models.PROTECT, related_name="+", verbose_name=_("district"))
    community = models.ForeignKey(Community, models.PROTECT, related_name="+", verbose_name=_("community"))
    compound = models.ForeignKey(Compound, models.PROTECT, related_name="candidates", verbose_name=_("compound"))
    person = models.ForeignKey(Person, models.PROTECT, related_name="+", verbose_name=_("person"))
    is_party_member = models.BooleanField(_("party member"), default=False)
    nominated_on = models.DateField(_("nominated on"), auto_now_add=True)
    elected_to = models.ForeignKey(
        Body, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("elected to")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["compound_id", "pk"]
        constraints = [models.UniqueConstraint(fields=["compound", "person"], name="candidate_unique_person")]

    def __str__(self) -> str:
        return str(self.person)

    def derive_ancestors(self) -> None:
        self.community_id, self.district_id = self.compound.community_id, self.compound.district_id

    def save(self, *args, **kwargs):
        self.derive_ancestors()
        super().save(*args, **kwargs)


class Vetting(models.Model):
    """One department's answer on one candidate: pass or fail, with a reason."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Pending")
        PASS = "pass", _("Pass")
        FAIL = "fail", _("Fail")

    candidate = models.ForeignKey(Candidate, models.CASCADE, related_name="vettings", verbose_name=_("candidate"))
    department = models.ForeignKey(Department, models.PROTECT, related_name="+", verbose_name=_("department"))
    outcome = models.CharField(_("outcome"), max_length=8, choices=Outcome.choices, default=Outcome.PENDING)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("answered by"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("vetting")
        verbose_name_plural = _("vettings")
        ordering = ["candidate_id", "department_id"]
        constraints = [
            models.UniqueConstraint(fields=["candidate", "department"], name="vetting_unique_department"),
            models.CheckConstraint(condition=~Q(outcome="fail") | ~Q(reason=""), name="vetting_fail_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.candidate} · {self.department} · {self.get_outcome_display()}"
