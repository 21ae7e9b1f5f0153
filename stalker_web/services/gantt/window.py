"""The time window of a Gantt chart: which days it shows, at which zoom, and where a date falls.

A window runs from the start of its first day to the end of its last day (UTC). The zoom sets
the pixels per day; the widest chart is ``MAX_CHART_WIDTH`` pixels, so each zoom has its own
longest window and a longer one is cut short (with a notice) rather than refused.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cached_property

from ..errors import ValidationError

MAX_CHART_WIDTH = 4600
FIRST_YEAR, LAST_YEAR = 1900, 2200
# Without dates to go by, a chart shows the week before today and the twelve weeks after.
DEFAULT_BEFORE_DAYS, DEFAULT_AFTER_DAYS = 7, 84
# The automatic zoom: days up to this many days, weeks up to the next limit, then months.
AUTO_DAY_LIMIT, AUTO_WEEK_LIMIT = 62, 365
# A label of the upper band needs this many pixels, else the partial first month (or year) of
# the window goes unlabelled rather than overlapping the next one.
MAJOR_LABEL_WIDTH = 60


@dataclass(frozen=True)
class Zoom:
    """A scale of the chart: how many pixels one day takes."""

    name: str
    label: str
    pixels_per_day: float

    @property
    def max_days(self) -> int:
        """The longest window this zoom draws within ``MAX_CHART_WIDTH``."""
        return int(MAX_CHART_WIDTH // self.pixels_per_day)


ZOOMS = {
    zoom.name: zoom
    for zoom in (Zoom("day", "Day", 24.0), Zoom("week", "Week", 8.0), Zoom("month", "Month", 2.0))
}


@dataclass(frozen=True)
class Tick:
    """A mark of the time scale: ``major`` ticks (months, years) label the upper band."""

    x: float
    label: str
    major: bool = False
    weekend: bool = False


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


@dataclass(frozen=True)
class Window:
    """The days ``first`` to ``last`` (both included) drawn at ``zoom``. Its bounds and width
    are worked out once: a chart asks for them for every shape of thousands of rows."""

    first: date
    last: date
    zoom: Zoom

    @cached_property
    def start(self) -> datetime:
        return datetime(self.first.year, self.first.month, self.first.day, tzinfo=UTC)

    @cached_property
    def end(self) -> datetime:
        """The end of the last day (the start of the day after it)."""
        after = self.last + timedelta(days=1)
        return datetime(after.year, after.month, after.day, tzinfo=UTC)

    @cached_property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @cached_property
    def width(self) -> float:
        """The chart's width in pixels."""
        return self.days * self.zoom.pixels_per_day

    def x(self, moment: datetime) -> float:
        """Where ``moment`` falls, in pixels from the window's start (negative before it)."""
        return (moment - self.start).total_seconds() / 86400 * self.zoom.pixels_per_day

    def clamped_x(self, moment: datetime) -> float:
        """``x`` held inside the chart."""
        return min(max(self.x(moment), 0.0), self.width)

    def contains(self, moment: datetime) -> bool:
        return self.start <= moment < self.end

    def overlaps(self, start: datetime, end: datetime) -> bool:
        return start < self.end and end >= self.start

    def query(self, **extra) -> dict:
        """The window as query-string parameters, so fragments and links keep the same scale."""
        return {
            "from": self.first.isoformat(),
            "to": self.last.isoformat(),
            "zoom": self.zoom.name,
            **extra,
        }

    def shifted(self, days: int) -> "Window":
        """The same span ``days`` later (earlier when negative)."""
        step = timedelta(days=days)
        return Window(self.first + step, self.last + step, self.zoom)

    def centred_on(self, day: date) -> "Window":
        """The same span around ``day``."""
        first = day - timedelta(days=self.days // 2)
        return Window(first, first + timedelta(days=self.days - 1), self.zoom)

    def zoomed(self, zoom: Zoom) -> "Window":
        """The window at another zoom, about as wide on screen: zooming out shows more days
        around the same middle, zooming in fewer (within the zoom's longest window)."""
        days = round(self.days * self.zoom.pixels_per_day / zoom.pixels_per_day)
        days = min(max(days, 1), zoom.max_days)
        middle = self.first + timedelta(days=self.days // 2)
        first = middle - timedelta(days=days // 2)
        return Window(first, first + timedelta(days=days - 1), zoom)

    def ticks(self) -> list[Tick]:
        """The marks of the time scale for this zoom: days under months, Mondays under months,
        or months under years; the upper band is labelled from the window's first day too."""
        if self.zoom.name == "month":
            return _unclutter(self._month_ticks())
        ticks = _unclutter(self._major_month_ticks())
        day = self.first
        if self.zoom.name == "week":
            day += timedelta(days=(7 - day.weekday()) % 7)
        step = timedelta(days=1 if self.zoom.name == "day" else 7)
        while day <= self.last:
            moment = datetime(day.year, day.month, day.day, tzinfo=UTC)
            ticks.append(Tick(self.x(moment), f"{day.day}", weekend=day.weekday() >= 5))
            day += step
        return ticks

    def _major_month_ticks(self) -> list[Tick]:
        ticks, day = [], self.first
        while day <= self.last:
            moment = datetime(day.year, day.month, day.day, tzinfo=UTC)
            ticks.append(Tick(self.x(moment), day.strftime("%b %Y"), major=True))
            day = _next_month(day)
        return ticks

    def _month_ticks(self) -> list[Tick]:
        ticks, day = [], self.first
        while day <= self.last:
            moment = datetime(day.year, day.month, day.day, tzinfo=UTC)
            if day == self.first or day.month == 1:
                ticks.append(Tick(self.x(moment), f"{day.year}", major=True))
            if day.day == 1:
                ticks.append(Tick(self.x(moment), day.strftime("%b")))
            day = _next_month(_month_start(day))
        return ticks


def _unclutter(ticks: list[Tick]) -> list[Tick]:
    """Ticks with the first major label blanked when the next major tick is too close to it."""
    majors = [tick for tick in ticks if tick.major]
    if len(majors) > 1 and majors[1].x - majors[0].x < MAJOR_LABEL_WIDTH:
        first = majors[0]
        ticks = [Tick(t.x, "", True) if t is first else t for t in ticks]
    return ticks


def automatic_zoom(days: int) -> Zoom:
    """The zoom that shows ``days`` days legibly without a huge chart."""
    if days <= AUTO_DAY_LIMIT:
        return ZOOMS["day"]
    return ZOOMS["week"] if days <= AUTO_WEEK_LIMIT else ZOOMS["month"]


def _check_year(day: date | None, field: str) -> None:
    if day is not None and not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValidationError(f"Choose a date between {FIRST_YEAR} and {LAST_YEAR}.", field)


def _padded(first: date, last: date) -> tuple[date, date]:
    """The span with a margin on both sides, kept within the years a window may use."""
    lowest, highest = date(FIRST_YEAR, 1, 1), date(LAST_YEAR, 12, 31)
    first, last = min(max(first, lowest), highest), min(max(last, lowest), highest)
    pad = timedelta(days=max(2, (last - first).days // 20))
    return max(first - pad, lowest), min(last + pad, highest)


@dataclass(frozen=True)
class ResolvedWindow:
    """The window to draw and, when the asked one was too long for its zoom, why it is shorter."""

    window: Window
    notice: str | None = None


def resolve_window(
    first: date | None,
    last: date | None,
    zoom_name: str | None,
    natural: tuple[date, date] | None,
    today: date,
) -> ResolvedWindow:
    """The window for the days asked (``first``/``last``, each optional) or, where missing, the
    ``natural`` span of what the chart shows (padded a little), else the weeks around ``today``.

    No zoom means the automatic one for the span. Refuses years out of range and an end before
    the start; cuts a window longer than its zoom allows and says so.
    """
    _check_year(first, "from")
    _check_year(last, "to")
    if first is not None and last is not None and last < first:
        raise ValidationError("The end of the window cannot come before its start.", "to")
    if zoom_name and zoom_name not in ZOOMS:
        raise ValidationError("Choose the day, week or month zoom.", "zoom")
    if natural is None:
        natural = (
            today - timedelta(days=DEFAULT_BEFORE_DAYS),
            today + timedelta(days=DEFAULT_AFTER_DAYS),
        )
    else:
        natural = _padded(*natural)
    span = timedelta(days=(natural[1] - natural[0]).days)
    if first is None and last is None:
        first, last = natural
    elif last is None:
        last = natural[1] if natural[1] > first else first + span
    elif first is None:
        first = natural[0] if natural[0] < last else last - span
    days = (last - first).days + 1
    zoom = ZOOMS[zoom_name] if zoom_name else automatic_zoom(days)
    if days <= zoom.max_days:
        return ResolvedWindow(Window(first, last, zoom))
    last = first + timedelta(days=zoom.max_days - 1)
    notice = (
        f"At the {zoom.label.lower()} zoom the chart shows at most {zoom.max_days} days, so it "
        f"ends on {last.isoformat()}: zoom out or move the window to see more."
    )
    return ResolvedWindow(Window(first, last, zoom), notice)
