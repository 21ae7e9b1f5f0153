"""@mentions in notes: the logins a note names, the people they are, and their marks in the
rendered note.

A mention is ``@`` and a login (a letter, then letters, digits, "_" or "."; a trailing "." ends
the sentence, not the login), not preceded by a letter, a digit or one of ``_.+-@/``, so
``ana@studio.com`` is an e-mail address, not a mention. Both finding and marking read the text of
the rendered, sanitised note (``markdown.render_markdown``) outside ``<code>`` and ``<pre>``: what
a code span or block shows is never a mention, and the mark is put into HTML nh3 already cleaned,
around characters that cannot carry markup, so the sanitiser stays as strict as it is.
"""

import re
from collections.abc import Callable, Mapping
from html.parser import HTMLParser

from markupsafe import Markup, escape
from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import Project, ProjectUser, User
from ...models.user import normalize_login
from ..errors import ValidationError
from .markdown import render_markdown

MENTION = re.compile(r"(?<![A-Za-z0-9_.+\-@/])@([A-Za-z][A-Za-z0-9_.]*)")
_CODE_TAGS = frozenset({"code", "pre"})


class _TextOutsideCode(HTMLParser):
    """Re-writes HTML as it is, passing the text outside code through ``rewrite``."""

    def __init__(self, rewrite: Callable[[str], str]) -> None:
        super().__init__(convert_charrefs=False)
        self.rewrite = rewrite
        self.parts: list[str] = []
        self.in_code = 0

    def handle_starttag(self, tag, attrs) -> None:
        self.parts.append(self.get_starttag_text())
        if tag in _CODE_TAGS:
            self.in_code += 1

    def handle_startendtag(self, tag, attrs) -> None:
        self.parts.append(self.get_starttag_text())

    def handle_endtag(self, tag) -> None:
        self.parts.append(f"</{tag}>")
        if tag in _CODE_TAGS and self.in_code:
            self.in_code -= 1

    def handle_data(self, data) -> None:
        self.parts.append(data if self.in_code else self.rewrite(data))

    def handle_entityref(self, name) -> None:
        self.parts.append(f"&{name};")

    def handle_charref(self, name) -> None:
        self.parts.append(f"&#{name};")


def _rewritten(html: str, rewrite: Callable[[str], str]) -> str:
    parser = _TextOutsideCode(rewrite)
    parser.feed(html)
    parser.close()
    return "".join(parser.parts)


def _each_mention(text: str, replace: Callable[[str, str], str]) -> str:
    """``text`` with every mention replaced by ``replace(login, as_typed)``; the trailing dots
    of a mention stay text."""

    def one(match: re.Match) -> str:
        typed = match.group(1).rstrip(".")
        dots = match.group(1)[len(typed) :]
        return replace(normalize_login(typed), "@" + typed) + dots

    return MENTION.sub(one, text)


def mentioned_logins(content: str) -> list[str]:
    """The logins ``content`` (Markdown) mentions, each once, in the order they first appear."""
    found: dict[str, None] = {}

    def collect(login: str, typed: str) -> str:
        found.setdefault(login)
        return typed

    _rewritten(render_markdown(content), lambda text: _each_mention(text, collect))
    return list(found)


def mentioned_people(dbsession: Session, project: Project, content: str) -> list[User]:
    """The active people ``content`` mentions (logins nobody active has are plain text), in the
    order they first appear; refused, naming them, when one is not a member of ``project``:
    they could not read the note."""
    logins = mentioned_logins(content)
    if not logins:
        return []
    rows = dbsession.execute(
        select(User, ProjectUser.project_id)
        .outerjoin(
            ProjectUser,
            (ProjectUser.user_id == User.id) & (ProjectUser.project_id == project.id),
        )
        .where(User.login.in_(logins), User.is_active.is_(True))
    ).all()
    people = {user.login: (user, member is not None) for user, member in rows}
    outsiders = [login for login in logins if login in people and not people[login][1]]
    if outsiders:
        named = ", ".join(f"@{login}" for login in outsiders)
        verb = "is" if len(outsiders) == 1 else "are"
        raise ValidationError(
            f"{named} {verb} not on this project, so they could not read the note. "
            "Remove the mention, or ask a project manager to add them to the team.",
            "content",
        )
    return [people[login][0] for login in logins if login in people]


def mark_mentions(html: Markup, names: Mapping[str, str]) -> Markup:
    """The rendered note ``html`` with each mention of a login in ``names`` (login → name)
    marked ``<span class="mention" title="Name">@login</span>``."""
    if not names:
        return html

    def mark(login: str, typed: str) -> str:
        if login not in names:
            return typed
        return f'<span class="mention" title="{escape(names[login])}">{typed}</span>'

    # The marks wrap "@" and login characters only, inside HTML nh3 produced.
    return Markup(_rewritten(str(html), lambda text: _each_mention(text, mark)))  # noqa: S704
