"""@mentions: found in the text people read (not in code, not in e-mail addresses), resolved to
active members of the project, and marked in the rendered note without loosening the
sanitiser."""

import pytest

from stalker_web.services.errors import ValidationError
from stalker_web.services.notes.markdown import render_markdown
from stalker_web.services.notes.mentions import (
    mark_mentions,
    mentioned_logins,
    mentioned_people,
)


@pytest.mark.parametrize(
    ("content", "logins"),
    [
        ("@ana, can you look?", ["ana"]),
        ("Thanks @Ana.", ["ana"]),
        ("@ana and @bruno and @ana again", ["ana", "bruno"]),
        (
            "(@ana) *@bruno* **@carla**: [@dan](https://example.com)",
            ["ana", "bruno", "carla", "dan"],
        ),
        ("first.last@ana write to ana@studio.com or me@ana.com", []),
        ("`@ana` in code", []),
        ("```\n@ana in a block\n```", []),
        ("    @ana indented code", []),
        ("@9lives @_x @.y @ alone", []),
        ("@j.doe.", ["j.doe"]),
        ("<b>@ana</b> is raw HTML shown as text", ["ana"]),
    ],
)
def test_mentions_are_found_in_what_people_read(content, logins):
    assert mentioned_logins(content) == logins


def test_members_are_resolved_and_outsiders_refused_by_login(
    dbsession, factory, project, ana, bruno, olga
):
    gone = factory.user(login="gone")
    gone.is_active = False
    people = mentioned_people(dbsession, project, "@bruno @nobody @gone @ana @bruno")
    assert people == [bruno, ana]
    other = factory.user(login="pat")
    with pytest.raises(ValidationError) as refused:
        mentioned_people(dbsession, project, "@ana @olga @pat")
    assert refused.value.message.startswith(
        "@olga, @pat are not on this project, so they could not read the note."
    )
    assert other.login == "pat"


def test_marks_go_around_mentions_of_the_people_named_only():
    html = render_markdown("@ana meets @bob in `@ana`, see [@ana](https://x.org)")
    marked = mark_mentions(html, {"ana": 'Ana "<Lima>"'})
    assert marked == (
        '<p><span class="mention" title="Ana &#34;&lt;Lima&gt;&#34;">@ana</span> meets @bob in '
        '<code>@ana</code>, see <a href="https://x.org" rel="noopener noreferrer nofollow">'
        '<span class="mention" title="Ana &#34;&lt;Lima&gt;&#34;">@ana</span></a></p>\n'
    )


def test_marking_keeps_the_sanitised_html_as_it_was():
    text = (
        '<script>alert(1)</script> @ana &amp; <img src=x onerror="alert(@ana)"> '
        '[x](javascript:alert("@ana")) [y](https://a.org "@ana \\" onmouseover=x")'
    )
    html = render_markdown(text)
    marked = mark_mentions(html, {"ana": "Ana"})
    assert str(marked).replace('<span class="mention" title="Ana">@ana</span>', "@ana") == html
    assert "<script" not in str(marked) and "<img" not in str(marked)
    assert 'href="javascript:' not in str(marked)
