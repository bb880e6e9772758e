"""The period a dashboard shows: a month, a quarter, a year or a custom range of days, read from the query string
(`?period=quarter&at=2026-11-30`, `?period=custom&start=2026-01-01&end=2026-03-31`). Bad input is a 400 with the
field's message, never a 500."""

import datetime
from dataclasses import dataclass

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

KINDS = (("month", _("Month")), ("quarter", _("Quarter")), ("year", _("Year")), ("custom", _("Custom")))
# A custom range longer than this is refused: the year-on-year figure compares it with the same days a year before.
MAX_DAYS = 366 * 3


@dataclass(frozen=True)
class Period:
    kind: str
    first: datetime.date  # first day, inclusive
    last: datetime.date  # last day, inclusive

    @property
    def start(self) -> datetime.datetime:
        """The first moment, in the site's time zone (petition_figures takes [start, end))."""
        return datetime.datetime.combine(self.first, datetime.time(), tzinfo=timezone.get_current_timezone())

    @property
    def end(self) -> datetime.datetime:
        return datetime.datetime.combine(self.last + datetime.timedelta(days=1), datetime.time(),
                                         tzinfo=timezone.get_current_timezone())

    @property
    def months(self) -> list[tuple[int, int]]:
        """The (year, month) pairs the period touches: fee bills and statements are kept per month."""
        out, y, m = [], self.first.year, self.first.month
        while (y, m) <= (self.last.year, self.last.month):
            out.append((y, m))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return out

    @property
    def label(self) -> str:
        if self.kind == "month":
            return f"{self.first.year}-{self.first.month:02d}"
        if self.kind == "quarter":
            return f"{self.first.year} Q{(self.first.month - 1) // 3 + 1}"
        if self.kind == "year":
            return str(self.first.year)
        return f"{self.first.isoformat()} – {self.last.isoformat()}"

    def query(self) -> str:
        """The query string that names this period again (links of the drill-down and the exports keep it)."""
        if self.kind == "custom":
            return f"period=custom&start={self.first.isoformat()}&end={self.last.isoformat()}"
        return f"period={self.kind}&at={self.first.isoformat()}"


def _bounds(kind: str, at: datetime.date) -> tuple[datetime.date, datetime.date]:
    if kind == "month":
        first = at.replace(day=1)
    elif kind == "quarter":
        first = at.replace(month=(at.month - 1) // 3 * 3 + 1, day=1)
    else:
        first = at.replace(month=1, day=1)
    months = {"month": 1, "quarter": 3, "year": 12}[kind]
    y, m = divmod(first.month - 1 + months, 12)
    return first, datetime.date(first.year + y, m + 1, 1) - datetime.timedelta(days=1)


class PeriodForm(forms.Form):
    period = forms.ChoiceField(label=_("Period"), choices=KINDS, required=False)
    at = forms.DateField(label=_("Within"), required=False)
    start = forms.DateField(label=_("From"), required=False)
    end = forms.DateField(label=_("To"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("period") == "custom":
            start, end = data.get("start"), data.get("end")
            if start is None:
                self.add_error("start", _("Give the first day of the range."))
            if end is None:
                self.add_error("end", _("Give the last day of the range."))
            if start and end and end < start:
                self.add_error("end", _("The last day comes before the first."))
            if start and end and (end - start).days > MAX_DAYS:
                self.add_error("end", _("A custom range is at most three years."))
        return data

    def period_value(self, today: datetime.date) -> Period:
        data = self.cleaned_data
        kind = data.get("period") or "quarter"
        if kind == "custom":
            return Period("custom", data["start"], data["end"])
        first, last = _bounds(kind, data.get("at") or today)
        return Period(kind, first, last)


def period_from(params, today: datetime.date | None = None) -> tuple[Period | None, PeriodForm]:
    """(the period, the bound form); the period is None when the form has errors."""
    form = PeriodForm(params)
    if not form.is_valid():
        return None, form
    return form.period_value(today or timezone.localdate()), form
