"""Axis ticks shared by the date histogram and the compare chart: round value steps, regular period ticks.

# largest count 37            -> nice_scale(37) == (10, 40): gridlines at 0, 10, 20, 30, 40
# 30 months from Mar 2022     -> period_ticks(...) every 6 months: Jul 2022, Jan 2023, Jul 2023, …
"""

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .histogram import Period

# Calendar-aligned steps between labelled periods: days on Mondays, months on Jan/Apr/Jul/Oct, years on round years.
_STEPS = {"day": (1, 2, 7, 14), "month": (1, 2, 3, 6, 12), "year": (1, 2, 5, 10, 20, 50)}


def nice_scale(largest: float, whole: bool = True) -> tuple[float, float]:
    """A round step (1, 2 or 5 times a power of ten) for about four gridlines, and the axis top."""
    if largest <= 0:
        return 1.0, 1.0
    rough = largest / 4
    power = 10 ** math.floor(math.log10(rough))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= rough)
    if whole:
        step = max(1, round(step))
    return step, step * math.ceil(largest / step)


def period_ticks(periods: list["Period"], most: int = 6) -> list[int]:
    """Indexes of the periods to label: at most `most`, evenly spaced on the calendar (Mondays, Jan, round years)."""
    if not periods:
        return []
    granularity = periods[0].granularity
    for step in _STEPS[granularity]:
        ticks = [index for index, period in enumerate(periods) if _ordinal(period, granularity) % step == 0]
        if ticks and len(ticks) <= most:
            return ticks
    step = -(-len(periods) // most)  # longer than the largest step allows: every n-th period
    return list(range(0, len(periods), step))


def _ordinal(period: "Period", granularity: str) -> int:
    """The period's place in its cycle: days counted from a Monday (weekly ticks), month - 1, or the year."""
    if granularity == "day":
        return period.start.toordinal() - 1
    if granularity == "month":
        return period.start.month - 1
    return period.start.year
