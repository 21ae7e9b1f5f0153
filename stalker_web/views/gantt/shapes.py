"""The shapes of the charts' rows (bars, milestones, arrows, the grid and the today line),
written as SVG text in Python for the pages, the row fragments and the downloadable image.

A project's image holds up to 2,000 rows and a page 100: drawing each shape through Jinja macros
cost more than everything else those requests do. Every text taken from the studio goes through
``markupsafe.escape``.
"""

from collections.abc import Callable, Iterable

from markupsafe import Markup, escape

from ...services.gantt.marks import HEAD_POINTS, ROW_HEIGHT, Arrow, Mark
from ...services.gantt.window import Window

ELLIPSIS = "…"


def truncated(text: str, length: int) -> str:
    """``text`` cut to ``length`` characters ending with an ellipsis, as Jinja's ``truncate``
    filter cuts it (words cut, no leeway)."""
    if len(text) <= length:
        return text
    return text[: length - len(ELLIPSIS)] + ELLIPSIS


class ShapeWriter:
    """Writes the rows of one chart's window; ``link_open(task_id)`` is the opening ``<a>`` tag
    linking a task's shape to its page."""

    def __init__(
        self,
        window: Window,
        grid: Iterable[float],
        today_x: float | None,
        link_open: Callable[[int], str],
    ) -> None:
        self.window = window
        self.link_open = link_open
        half = ROW_HEIGHT / 2
        self.text_y = half + 4
        self.diamond = f"0,{half - 8} 8,{half} 0,{half + 8} -8,{half}"
        # What every row draws the same: the grid lines, then (after the shapes) the today line.
        self.grid = "".join(
            f'<line class="grid" x1="{self.pct(x)}" x2="{self.pct(x)}" y1="0" '
            f'y2="{ROW_HEIGHT}" stroke="#d5dbe0"/>'
            for x in grid
        )
        self.today = ""
        if today_x is not None:
            self.today = (
                f'<line class="today" x1="{self.pct(today_x)}" x2="{self.pct(today_x)}" y1="0" '
                f'y2="{ROW_HEIGHT}" stroke="#c0392b" stroke-width="1.5" '
                f'data-x="{today_x:.2f}"/>'
            )

    def pct(self, x: float) -> str:
        """An x position as a percentage of the chart's width."""
        return f"{x * 100 / self.window.width:.4f}%"

    def row_svg(self, marks: list[Mark], arrows=(), outside=None, undated=False) -> Markup:
        """A page's row: its shapes in an SVG the width of the window, named for screen
        readers by its shapes' titles."""
        label = "; ".join(mark.title for mark in marks) or (
            "outside the window" if outside else "nothing in this window"
        )
        # Every studio text in it went through escape.
        return Markup(  # noqa: S704
            f'<svg class="gantt-row-svg" width="{self.window.width}" height="{ROW_HEIGHT}" '
            f'overflow="visible" role="group" aria-label="{escape(label)}">'
            f"{self.shapes(marks, arrows, outside, undated)}</svg>"
        )

    def image_rows(self, image_rows, rows_top: int, label_width: int) -> Markup:
        """The image's rows, one band each from ``rows_top`` down, shapes right of the labels."""
        # Every studio text in it went through escape.
        return Markup(  # noqa: S704
            "".join(
                self._image_row(row, index, rows_top + index * ROW_HEIGHT, label_width)
                for index, row in enumerate(image_rows)
            )
        )

    def _image_row(self, row, index: int, y: int, label_width: int) -> str:
        indent = min(row.depth, 12)
        note = ""
        if row.note:
            note = (
                f'<tspan fill="#5b6670" font-size="10"> {escape(truncated(row.note, 40))}</tspan>'
            )
        band = ""
        if index % 2:
            band = f'<rect x="0" y="{y}" width="100%" height="{ROW_HEIGHT}" fill="#f6f8fa"/>'
        undated = not row.marks and not row.outside and row.task_id
        return (
            f'\n<g class="row" data-task-id="{row.task_id or ""}">\n{band}\n\n'
            f'<text x="{8 + indent * 14}" y="{y + ROW_HEIGHT / 2 + 4}">'
            f"{escape(truncated(row.label, 48 - indent * 2))}{note}</text>\n"
            f'<svg class="bars" x="{label_width}" y="{y}" width="{self.window.width}" '
            f'height="{ROW_HEIGHT}" overflow="visible">'
            f"{self.shapes(row.marks, row.arrows, row.outside, undated)}</svg>\n</g>\n"
        )

    def shapes(self, marks: Iterable[Mark], arrows: Iterable[Arrow], outside, undated) -> str:
        """A row's content: grid, shapes, the today line, the arrows ending in it, and a hint
        when its task lies outside the window or has no dates yet."""
        parts = [self.grid]
        parts.extend(self.shape(mark) for mark in marks)
        parts.append(self.today)
        parts.extend(self.arrow(arrow) for arrow in arrows)
        if outside and outside.side == "before":
            parts.append(
                f'<text class="outside" x="4" y="{self.text_y}" fill="#5b6670">&#9664; ended '
                f"{outside.moment:%Y-%m-%d}</text>"
            )
        elif outside:
            parts.append(
                f'<text class="outside" x="100%" dx="-4" y="{self.text_y}" text-anchor="end" '
                f'fill="#5b6670">starts {outside.moment:%Y-%m-%d} &#9654;</text>'
            )
        elif undated:
            parts.append(
                f'<text class="undated" x="4" y="{self.text_y}" fill="#5b6670">no dates yet</text>'
            )
        return "".join(parts)

    def shape(self, mark: Mark) -> str:
        paint = _paint(mark)
        title = f"<title>{escape(mark.title)}</title>"
        x = self.pct(mark.x)
        if mark.kind == "milestone":
            drawn = (
                f'<svg class="{mark.css}" x="{x}" y="0" overflow="visible" data-x="{mark.x:.2f}">'
                f'<polygon points="{self.diamond}" {paint}>{title}</polygon></svg>'
            )
        elif mark.kind == "summary":
            top, bottom = mark.y + 2, mark.y + mark.height
            drawn = (
                f'<g class="{mark.css}"><rect x="{x}" y="{top}" width="{self.pct(mark.width)}" '
                f'height="{mark.height - 6}" data-x="{mark.x:.2f}" '
                f'data-width="{mark.width:.2f}" {paint}>{title}</rect>'
            )
            if not mark.clipped_start:
                drawn += (
                    f'<svg x="{x}" y="0" overflow="visible"><polygon points="0,{top} 6,{top} '
                    f'0,{bottom}" {paint}/></svg>'
                )
            if not mark.clipped_end:
                drawn += (
                    f'<svg x="{self.pct(mark.x + mark.width)}" y="0" overflow="visible">'
                    f'<polygon points="0,{top} -6,{top} 0,{bottom}" {paint}/></svg>'
                )
            drawn += "</g>"
        else:
            corner = 2 if mark.kind in ("bar", "lane") else 0
            drawn = (
                f'<rect class="{mark.css}" x="{x}" y="{mark.y}" width="{self.pct(mark.width)}" '
                f'height="{mark.height}" rx="{corner}" data-x="{mark.x:.2f}" '
                f'data-width="{mark.width:.2f}" {paint}>{title}</rect>'
            )
        if mark.task_id:
            return f"{self.link_open(mark.task_id)}{drawn}</a>"
        return drawn

    def arrow(self, arrow: Arrow) -> str:
        geometry = arrow.geometry
        lines = "".join(
            f'<line x1="{self.pct(s.x1)}" y1="{s.y1}" x2="{self.pct(s.x2)}" y2="{s.y2}"/>'
            for s in geometry.segments
        )
        return (
            f'<g class="gantt-arrow {escape(arrow.target)}" data-from="{arrow.from_id}" '
            f'data-to="{arrow.to_id}" data-x1="{arrow.x1 * 100 / self.window.width:.4f}" '
            f'data-x2="{arrow.x2 * 100 / self.window.width:.4f}" stroke="#1d232a" '
            f'stroke-width="1.2" fill="#1d232a">{lines}<svg x="{self.pct(geometry.head_x)}" '
            f'y="{geometry.head_y}" overflow="visible"><polygon '
            f'points="{HEAD_POINTS[geometry.head]}" stroke="none"/></svg></g>'
        )


def _paint(mark: Mark) -> str:
    """The fill and stroke attributes of a shape (colours are attributes, so the downloaded
    image needs no CSS)."""
    if mark.kind == "vacation":
        return 'fill="#8a94a0" fill-opacity="0.22"'
    if mark.kind == "baseline":
        return 'fill="#5b6670" fill-opacity="0.6"'
    if mark.kind == "recorded":
        return 'fill="#6b3fa0" fill-opacity="0.85"'
    color = escape(mark.color)
    if mark.planned:
        return (
            f'fill="{color}" fill-opacity="0.5" stroke="#1d232a" stroke-opacity="0.7" '
            'stroke-dasharray="4 2"'
        )
    if mark.critical:
        return f'fill="{color}" stroke="#c0392b" stroke-width="2.5"'
    return f'fill="{color}" stroke="#1d232a" stroke-opacity="0.7"'
