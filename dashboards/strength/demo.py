"""The demo's strength index: computed for three days a month apart, so that the page shows change over time
(the earlier days read the same coverage as today, and the year's petitions, meetings and votes as of that day)."""

import datetime

from django.utils import timezone

from dashboards.strength import services

DAYS_BACK = (60, 30, 0)


def seed(ctx) -> None:
    today = timezone.localdate()
    for district in ctx.districts:
        counts = [services.strength_compute(district=district, on=today - datetime.timedelta(days=back))
                  for back in DAYS_BACK]
        ctx.say(f"  {district.name}: strength index for {len(DAYS_BACK)} days, {counts[-1]} compounds")
