"""Markdown as people write it in notes and ticket descriptions, rendered to HTML that is safe to
put in a page.

markdown-it-py (CommonMark, tables and strikethrough) renders with raw HTML off, so a ``<script>``
typed in a note is shown as text; nh3 then keeps only the tags and attributes listed here and
links whose scheme is http, https or mailto (a ``javascript:`` link loses its address), and
marks every link ``rel="noopener noreferrer nofollow"``. Anything the two let through is
therefore inert whatever the text.
"""

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

MAX_LENGTH = 20_000

_TAGS = {
    "a", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
    "li", "ol", "p", "pre", "s", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
_ATTRIBUTES = {"a": {"href", "title"}, "td": {"align"}, "th": {"align"}, "ol": {"start"}}
_SCHEMES = {"http", "https", "mailto"}

_renderer = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_renderer.enable(["table", "strikethrough"])


def render_markdown(text: str | None) -> Markup:
    """``text`` (Markdown) as sanitised HTML, ready to be placed in a template as it is."""
    html = _renderer.render(text or "")
    # The one Markup of user text: nh3's allow-list output is the safety this marks.
    return Markup(  # noqa: S704
        nh3.clean(
            html,
            tags=_TAGS,
            attributes=_ATTRIBUTES,
            url_schemes=_SCHEMES,
            link_rel="noopener noreferrer nofollow",
            strip_comments=True,
        )
    )
