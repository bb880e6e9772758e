"""Firms held to account: quarterly evaluation per firm and compound, three-level review, appeals, the red/black
list (红黑榜) with its talks and two-strike rule, annual stars, and the exit and takeover of a compound."""

import json
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from communities.models import Compound, District, Household
from properties.models import Contract, Firm

SCORE = {"max_digits": 5, "decimal_places": 2,
         "validators": [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]}


class Indicator(models.TextChoices):
    PETITION_RATING = "petition_rating", _("Residents' ratings of handled petitions")
    SURVEY = "survey", _("Quarterly satisfaction survey")
    TIMELINESS = "timeliness", _("Petitions resolved on time")
    RESOLUTION = "resolution", _("Petition resolution rate")
    PARTY_BUILDING = "party_building", _("Party-building coverage of the firm")
    COMMUNITY = "community", _("Community appraisal")
    STREET = "street", _("Street appraisal")
    COMMITTEE = "committee", _("Owners' committee appraisal")
    FEE_COLLECTION = "fee_collection", _("Fee collection rate")


class DecimalJSONDecoder(json.JSONDecoder):
    """Reads JSON numbers with a fraction as Decimal, never float (a typed 12.5 stays exactly 12.5)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **{**kwargs, "parse_float": Decimal})


class EvaluationRules(models.Model):
    """A district's evaluation rules: indicator weights and the list placement (defaults in rankings.rules)."""

    district = models.OneToOneField(District, models.CASCADE, related_name="+", verbose_name=_("district"))
    weights = models.JSONField(
        _("indicator weights"), encoder=DjangoJSONEncoder, decoder=DecimalJSONDecoder,
        help_text=_("Indicator code → weight, a decimal number ≥ 0 (any scale: only the proportions count), "
                    'e.g. {"survey": "15", "timeliness": "12.5"}.'),
    )
    red_share = models.DecimalField(_("red list share"), max_digits=4, decimal_places=3, default=Decimal("0.100"),
                                    validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))])
    red_min_score = models.DecimalField(_("lowest red score"), default=Decimal("90"), **SCORE)
    black_below = models.DecimalField(_("black below"), default=Decimal("60"), **SCORE)
    appeal_days = models.PositiveSmallIntegerField(_("days to appeal"), default=7)

    class Meta:
        verbose_name = _("evaluation rules")
        verbose_name_plural = _("evaluation rules")

    def __str__(self) -> str:
        return str(self.district)

    def clean(self):
        from rankings import rules  # rules imports this module's choices: the cycle is inside the app

        try:
            self.weights = rules.weights_json(rules.parse_weights(self.weights))
        except ValidationError as exc:
            raise ValidationError({"weights": exc.messages}) from exc
        if self.black_below is not None and self.red_min_score is not None and self.black_below > self.red_min_score:
            raise ValidationError({"black_below": _("The black-list threshold must not exceed the lowest red "
                                                    "score.")})


class Period(models.Model):
    """One quarter's evaluation in a district."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open (survey and appraisals)")
        COMPUTED = "computed", _("Scored, in review")
        PUBLISHED = "published", _("Published")

    district = models.ForeignKey(District, models.PROTECT, related_name="+", verbose_name=_("district"))
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)])
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    computed_at = models.DateTimeField(_("scored at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("evaluation period")
        verbose_name_plural = _("evaluation periods")
        ordering = ["district_id", "-year", "-quarter"]
        constraints = [models.UniqueConstraint(fields=["district", "year", "quarter"], name="period_once")]

    def __str__(self) -> str:
        return f"{self.year} Q{self.quarter}"


class SurveyAnswer(models.Model):
    """The one-question quarterly survey: how satisfied a household is with its firm, 1–5, once per quarter."""

    period = models.ForeignKey(Period, models.CASCADE, related_name="survey_answers", verbose_name=_("period"))
    household = models.ForeignKey(Household, models.CASCADE, related_name="+", verbose_name=_("household"))
    compound = models.ForeignKey(Compound, models.CASCADE, related_name="+", verbose_name=_("compound"))
    firm = models.ForeignKey(Firm, models.CASCADE, related_name="+", verbose_name=_("property firm"))
    score = models.PositiveSmallIntegerField(_("satisfaction"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    answered_at = models.DateTimeField(_("answered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        constraints = [
            models.UniqueConstraint(fields=["period", "household"], name="survey_one_answer_per_household"),
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="survey_score_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.period}: {self.score}"


class Appraisal(models.Model):
    """A scoring form of the community, the street or the owners' committee for a firm in a compound."""

    class Level(models.TextChoices):
        COMMUNITY = Indicator.COMMUNITY.value, _("Community")
        STREET = Indicator.STREET.value, _("Street")
        COMMITTEE = Indicator.COMMITTEE.value, _("Owners' committee")

    period = models.ForeignKey(Period, models.CASCADE, related_name="appraisals", verbose_name=_("period"))
    compound = models.ForeignKey(Compound, models.CASCADE, related_name="+", verbose_name=_("compound"))
    firm = models.ForeignKey(Firm, models.CASCADE, related_name="+", verbose_name=_("property firm"))
    level = models.CharField(_("by"), max_length=10, choices=Level.choices)
    score = models.DecimalField(_("score"), **SCORE)
    reasons = models.TextField(_("reasons"))
    appraised_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", editable=False)
    appraised_at = models.DateTimeField(_("appraised at"), auto_now=True)

    class Meta:
        verbose_name = _("appraisal")
        verbose_name_plural = _("appraisals")
        constraints = [models.UniqueConstraint(fields=["period", "compound", "firm", "level"], name="appraisal_once")]

    def __str__(self) -> str:
        return f"{self.period} {self.get_level_display()}: {self.score}"


class Incident(models.Model):
    """A serious incident recorded by the street: a veto, the firm is black-listed whatever its score."""

    period = models.ForeignKey(Period, models.CASCADE, related_name="incidents", verbose_name=_("period"))
    compound = models.ForeignKey(Compound, models.CASCADE, related_name="+", verbose_name=_("compound"))
    firm = models.ForeignKey(Firm, models.CASCADE, related_name="+", verbose_name=_("property firm"))
    occurred_on = models.DateField(_("occurred on"))
    description = models.TextField(_("description"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", editable=False)
    withdrawn = models.BooleanField(_("withdrawn"), default=False, help_text=_("Withdrawn on an upheld appeal."))

    class Meta:
        verbose_name = _("serious incident")
        verbose_name_plural = _("serious incidents")

    def __str__(self) -> str:
        return f"{self.period}: {self.description[:30]}"


class Score(models.Model):
    """A firm's score in one compound for one period, with how it was made."""

    period = models.ForeignKey(Period, models.CASCADE, related_name="scores", verbose_name=_("period"))
    firm = models.ForeignKey(Firm, models.CASCADE, related_name="+", verbose_name=_("property firm"))
    district = models.ForeignKey(District, models.PROTECT, related_name="+", verbose_name=_("district"))
    compound = models.ForeignKey(Compound, models.CASCADE, related_name="+", verbose_name=_("compound"))
    street_id = models.BigIntegerField(editable=False)
    community_id = models.BigIntegerField(editable=False)
    score = models.DecimalField(_("score"), **SCORE)
    vetoed = models.BooleanField(_("vetoed"), default=False)
    breakdown = models.JSONField(_("breakdown"))

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["period_id", "firm_id", "compound_id"]
        constraints = [models.UniqueConstraint(fields=["period", "firm", "compound"], name="score_once")]

    def __str__(self) -> str:
        return f"{self.period}: {self.score}"


class Placement(models.TextChoices):
    RED = "red", _("Red list")
    BLACK = "black", _("Black list")
    NONE = "", _("Neither")


class FirmResult(models.Model):
    """A firm's result for a period: the mean of its compound scores, its rank and its list placement."""

    period = models.ForeignKey(Period, models.CASCADE, related_name="results", verbose_name=_("period"))
    firm = models.ForeignKey(Firm, models.CASCADE, related_name="ranking_results", verbose_name=_("property firm"))
    score = models.DecimalField(_("score"), **SCORE)
    compounds = models.PositiveIntegerField(_("compounds"))
    rank = models.PositiveIntegerField(_("rank"))
    vetoed = models.BooleanField(_("vetoed"), default=False)
    placement = models.CharField(_("list"), max_length=5, choices=Placement.choices, blank=True)

    class Meta:
        verbose_name = _("firm result")
        verbose_name_plural = _("firm results")
        ordering = ["period_id", "rank"]
        constraints = [models.UniqueConstraint(fields=["period", "firm"], name="firm_result_once")]

    def __str__(self) -> str:
        return f"{self.period} {self.firm}: {self.score}"


class Review(models.Model):
    """One step of the three-level review (三级联审): a community, then its street, then the district centre."""

    class Level(models.TextChoices):
        COMMUNITY = "community", _("Community")
        STREET = "street", _("Street")
        DISTRICT = "district", _("District centre")

    period = models.ForeignKey(Period, models.CASCADE, related_name="reviews", verbose_name=_("period"))
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    node_id = models.BigIntegerField(_("node"))  # the community, street or district reviewing
    opinion = models.TextField(_("opinion"))
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", editable=False)
    reviewed_at = models.DateTimeField(_("reviewed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["period_id", "reviewed_at"]
        constraints = [models.UniqueConstraint(fields=["period", "level", "node_id"], name="review_once")]

    def __str__(self) -> str:
        return f"{self.period} {self.get_level_display()}"


class Appeal(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        UPHELD = "upheld", _("Upheld")
        DISMISSED = "dismissed", _("Dismissed")

    period = models.ForeignKey(Period, models.CASCADE, related_name="appeals", verbose_name=_("period"))
    firm = models.ForeignKey(Firm, models.CASCADE, related_name="+", verbose_name=_("property firm"))
    reason = models.TextField(_("reason"))
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", editable=False)
    filed_at = models.DateTimeField(_("filed at"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    decision = models.TextField(_("decision"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+",
                                   editable=False)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        constraints = [models.UniqueConstraint(fields=["period", "firm"], condition=Q(status="open"),
                                               name="appeal_one_open")]

    def __str__(self) -> str:
        return f"{self.period} {self.firm}"


class Talk(models.Model):
    """The talk (约谈) the district centre holds with a black-listed firm."""

    period = models.ForeignKey(Period, models.CASCADE, related_name="talks", verbose_name=_("period"))
    firm = models.ForeignKey(Firm, models.CASCADE, related_name="+", verbose_name=_("property firm"))
    held_on = models.DateField(_("held on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("talk")
        verbose_name_plural = _("talks")
        constraints = [models.UniqueConstraint(fields=["period", "firm"], name="talk_once")]

    def __str__(self) -> str:
        return f"{self.period} {self.firm}"


class Stars(models.Model):
    """A firm's annual star rating, 1–5, from the year's published quarters."""

    district = models.ForeignKey(District, models.PROTECT, related_name="+", verbose_name=_("district"))
    firm = models.ForeignKey(Firm, models.CASCADE, related_name="star_ratings", verbose_name=_("property firm"))
    year = models.PositiveSmallIntegerField(_("year"))
    stars = models.PositiveSmallIntegerField(_("stars"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    mean_score = models.DecimalField(_("mean score"), **SCORE)
    red_listings = models.PositiveSmallIntegerField(_("red listings"), default=0)
    black_listings = models.PositiveSmallIntegerField(_("black listings"), default=0)

    class Meta:
        verbose_name = _("star rating")
        verbose_name_plural = _("star ratings")
        ordering = ["-year", "-stars"]
        constraints = [models.UniqueConstraint(fields=["firm", "year"], name="stars_once")]

    def __str__(self) -> str:
        return f"{self.year} {self.firm}: {self.stars}"


class ExitCase(models.Model):
    """A firm's exit from a compound and the takeover by another: decision, handover, new contract."""

    class Reason(models.TextChoices):
        TWO_STRIKES = "two_strikes", _("Black-listed twice in one contract term")
        OWNERS = "owners", _("Owners' decision")
        EXPIRY = "expiry", _("Contract not renewed")

    class Decision(models.TextChoices):
        OWNERS_VOTE = "owners_vote", _("Owners' vote")
        STREET = "street", _("Street's fallback decision")

    class Status(models.TextChoices):
        OPEN = "open", _("Open, awaiting a decision")
        HANDOVER = "handover", _("Handover under way")
        DONE = "done", _("Taken over")
        DROPPED = "dropped", _("Dropped (the firm stays)")

    district = models.ForeignKey(District, models.PROTECT, related_name="+", verbose_name=_("district"))
    street_id = models.BigIntegerField(editable=False)
    community_id = models.BigIntegerField(editable=False)
    compound = models.ForeignKey(Compound, models.PROTECT, related_name="+", verbose_name=_("compound"))
    contract = models.ForeignKey(Contract, models.PROTECT, related_name="+", verbose_name=_("outgoing contract"))
    firm = models.ForeignKey(Firm, models.PROTECT, related_name="+", verbose_name=_("outgoing firm"))
    reason = models.CharField(_("reason"), max_length=12, choices=Reason.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    decision = models.CharField(_("decision"), max_length=12, choices=Decision.choices, blank=True)
    vote_id = models.BigIntegerField(_("owners' vote"), null=True, blank=True)  # governance.Vote, read by id
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    incoming_firm = models.ForeignKey(Firm, models.PROTECT, null=True, blank=True, related_name="+",
                                      verbose_name=_("incoming firm"))
    new_contract = models.ForeignKey(Contract, models.PROTECT, null=True, blank=True, related_name="+",
                                     verbose_name=_("new contract"))
    handover_started_on = models.DateField(_("handover started on"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    dropped_reason = models.TextField(_("reason for dropping"), blank=True)
    dropped_at = models.DateTimeField(_("dropped at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("exit and takeover")
        verbose_name_plural = _("exits and takeovers")
        ordering = ["-opened_at"]
        constraints = [models.UniqueConstraint(fields=["contract"], condition=~Q(status="dropped"),
                                               name="exit_one_per_contract")]

    def __str__(self) -> str:
        return f"{self.compound}: {self.firm}"


class HandoverItem(models.Model):
    """One item of the handover checklist, ticked by the outgoing firm, the incoming firm and the community."""

    class Item(models.TextChoices):
        KEYS = "keys", _("Keys")
        ARCHIVES = "archives", _("Archives")
        PREMISES = "premises", _("Premises and facilities")
        ACCOUNTS = "accounts", _("Accounts")
        FEES_OWED = "fees_owed", _("Fees owed")
        EQUIPMENT = "equipment", _("Equipment")

    class Side(models.TextChoices):
        OUTGOING = "outgoing", _("Outgoing firm")
        INCOMING = "incoming", _("Incoming firm")
        COMMUNITY = "community", _("Community")

    case = models.ForeignKey(ExitCase, models.CASCADE, related_name="items", verbose_name=_("exit"))
    item = models.CharField(_("item"), max_length=10, choices=Item.choices)
    side = models.CharField(_("ticked by"), max_length=10, choices=Side.choices)
    ticked_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", editable=False)
    ticked_at = models.DateTimeField(_("ticked at"), auto_now_add=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("handover tick")
        verbose_name_plural = _("handover ticks")
        constraints = [models.UniqueConstraint(fields=["case", "item", "side"], name="handover_tick_once")]

    def __str__(self) -> str:
        return f"{self.get_item_display()} ({self.get_side_display()})"
