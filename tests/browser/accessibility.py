"""Walking every page a person can reach from the home page, with axe-core run on each.

``walk`` follows the links of each page (same site, GET, HTML answers only) breadth first and
visits one address per page shape: ``/projects/3/tasks/17`` and ``/projects/4/tasks/9`` are the
same page, so the first found stands for both. Each page is checked by axe-core (WCAG 2.1 A and
AA rules and axe's best practices) and photographed at 1280 px under ``var/screenshots/``.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from axe_playwright_python.sync_playwright import Axe

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
# What is not a page: downloads and exports, images and stylesheets, the log-out form's target.
NOT_PAGES = re.compile(
    r"(\.(csv|svg|png|jpg|ics|tjp|css|js|ico|zip)$)|(/static/)|(/files/)|(/logout$)|(/export)"
)
BLOCKING_IMPACTS = ("serious", "critical")
_NUMBER = re.compile(r"\d+")
_AXE = Axe()


@dataclass
class Finding:
    """One axe violation of a blocking impact, on one page."""

    url: str
    rule: str
    impact: str
    help: str
    targets: list[str]

    def __str__(self) -> str:
        return f"{self.url}: [{self.impact}] {self.rule}: {self.help} at {self.targets[:3]}"


@dataclass
class Walk:
    """What one person's walk saw: the pages visited and the blocking violations."""

    visited: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def page_shape(path: str) -> str:
    """The page an address shows, ids left out (``/projects/N/tasks/N``)."""
    return _NUMBER.sub("N", path)


def _links(page, base_url: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(link => link.href)")
    paths = []
    for href in hrefs:
        parts = urlsplit(urljoin(page.url, href))
        if f"{parts.scheme}://{parts.netloc}" == base_url and not NOT_PAGES.search(parts.path):
            paths.append(parts.path)
    return paths


def check_page(page, url: str) -> list[Finding]:
    """axe-core's blocking violations on the page shown now."""
    results = _AXE.run(page, options={"resultTypes": ["violations"]})
    return [
        Finding(
            url=url,
            rule=violation["id"],
            impact=violation["impact"],
            help=violation["help"],
            targets=[str(node["target"]) for node in violation["nodes"]],
        )
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]


def walk(page, base_url: str, who: str, start: str = "/", limit: int = 150) -> Walk:
    """Visit every page shape reachable from ``start`` (at most ``limit``), checking each."""
    record = Walk()
    seen = {page_shape(start)}
    queue = [start]
    folder = SCREENSHOTS / "pages" / who
    folder.mkdir(parents=True, exist_ok=True)
    while queue and len(record.visited) < limit:
        path = queue.pop(0)
        response = page.goto(base_url + path)
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        record.visited.append(path)
        if not response.ok:
            record.findings.append(
                Finding(path, "http-status", "critical", f"answered {response.status}", [])
            )
        record.findings += check_page(page, path)
        name = page_shape(path).strip("/").replace("/", "_") or "home"
        page.screenshot(path=str(folder / f"{name}.png"))
        for link in _links(page, base_url):
            shape = page_shape(link)
            if shape not in seen:
                seen.add(shape)
                queue.append(link)
    return record
