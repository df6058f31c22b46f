"""The HTML report in real headless Chromium: highlights in place, keyboard and click, no script
from the document, no console errors, nothing wider than a phone."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from plainspeak.api import Checker
from plainspeak.models import Finding, Report
from plainspeak.render import render

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

LETTER = """\
# Your support plan

Your care package starts on Monday. We will signpost you to the reablement team.

<script>window.pwned = 1; document.title = "pwned";</script>
<img src="x" onerror="window.pwned = 2; document.title = 'pwned'">

Notwithstanding the aforementioned statutory obligations, the multidisciplinary \
safeguarding partnership will undertake comprehensive assessments of eligibility whenever \
circumstances necessitate intervention.

Service users can ask for a review at any time. Write to \
averyveryverylongaddresswithoutanyspacesatallthatcouldpushthepagewide@example.invalid.
"""

SHORT = "Nothing to see here. Call us if you need help.\n"


@dataclass
class Opened:
    """A page with everything it logged and every request it made."""

    page: Any
    report: Report
    problems: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def jargon(self) -> list[tuple[str, Finding]]:
        return [(f"f1-{j}", f) for j, f in enumerate(self.report.findings, 1)
                if f.rule == "PS101"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"headless Chromium is not installed at {CHROMIUM} "
                    "(Debian package 'chromium'; .ci/run installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def reports(builtin_checker: Checker, tmp_path_factory: pytest.TempPathFactory
            ) -> list[Report]:
    folder = tmp_path_factory.mktemp("html-report")
    letter = folder / "letter.md"
    letter.write_text(LETTER, encoding="utf-8")
    short = folder / "a-rather-long-folder-name" / "and-an-even-longer-file-name-too.txt"
    short.parent.mkdir()
    short.write_text(SHORT, encoding="utf-8")
    return list(builtin_checker.check_paths([letter, short, folder / "missing.md"]))


def _open(browser: Any, path: Path, report: Report, width: int = 1024) -> Opened:
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    opened = Opened(page, report)
    page.on("console", lambda m: opened.problems.append(f"console {m.type}: {m.text}")
            if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: opened.problems.append(f"page error: {e}"))
    page.on("request", lambda r: opened.requests.append(r.url))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return opened


@pytest.fixture
def one(browser: Any, reports: list[Report], tmp_path: Path) -> Iterator[Opened]:
    path = tmp_path / "report.html"
    path.write_text(render("html", reports[:1]), encoding="utf-8")
    opened = _open(browser, path, reports[0])
    yield opened
    opened.page.context.close()


@pytest.fixture
def many(browser: Any, reports: list[Report], tmp_path: Path) -> Iterator[Opened]:
    path = tmp_path / "report.html"
    path.write_text(render("html", reports), encoding="utf-8")
    opened = _open(browser, path, reports[0], width=375)
    yield opened
    opened.page.context.close()


def test_highlights_sit_on_the_right_text(one: Opened) -> None:
    page = one.page
    jargon = one.jargon()
    assert {f.text for _, f in jargon} >= {"care package", "signpost", "Service users"}
    for card, f in jargon:
        mark = page.locator(f"#m-{card}")
        assert mark.text_content() == f.text
        assert mark.is_visible()
        assert mark.get_attribute("data-start") == str(f.start)
    shown = page.evaluate("""() => {
        const doc = document.querySelector('.doc').cloneNode(true);
        doc.querySelectorAll('.age').forEach(b => b.remove());
        return doc.textContent;
    }""")
    assert shown == one.report.source
    assert page.locator(".doc mark[data-card]").count() == len(jargon)
    assert page.locator(".doc .sent.very-hard").count() >= 1
    assert "age" in page.locator(".doc .age.very-hard").first.inner_text()
    assert not one.problems


def test_script_in_the_document_did_not_run(one: Opened) -> None:
    page = one.page
    assert page.evaluate("typeof window.pwned") == "undefined"
    assert page.title() == "Plain language report: " + str(one.report.path)
    assert page.evaluate("document.scripts.length") == 1
    assert page.locator("img").count() == 0
    text = page.locator(".doc").inner_text()
    assert '<script>window.pwned = 1; document.title = "pwned";</script>' in text
    assert '<img src="x" onerror=' in text
    assert all(url.startswith("file:") for url in one.requests), one.requests
    assert not one.problems


def _panel_shows(page: Any, f: Finding) -> None:
    panel = page.locator("#panel")
    assert panel.is_visible()
    assert page.locator("#panel-title").inner_text() == f.text
    body = panel.inner_text()
    for alternative in f.alternatives:
        assert alternative in body
    assert f.explanation and f.explanation.split(".")[0] in body


def test_keyboard_opens_a_highlight_with_enter_and_space(one: Opened) -> None:
    page = one.page
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('.doc mark[data-card]')"):
            break
    else:
        pytest.fail("no highlight is reachable with Tab")
    card = page.evaluate("document.activeElement.dataset.card")
    finding = dict(one.jargon())[card]
    assert not page.locator("#panel").is_visible()
    page.keyboard.press("Enter")
    _panel_shows(page, finding)
    assert page.locator(f"#m-{card}").get_attribute("aria-expanded") == "true"
    page.keyboard.press("Escape")
    assert not page.locator("#panel").is_visible()
    assert page.evaluate("document.activeElement.id") == f"m-{card}"
    (next_card, next_finding) = [(c, f) for c, f in one.jargon() if c != card][-1]
    page.locator(f"#m-{next_card}").focus()
    page.keyboard.press("Space")
    _panel_shows(page, next_finding)
    assert page.evaluate("window.scrollY") >= 0
    assert not one.problems


def test_click_opens_a_highlight_and_a_sentence_badge(one: Opened) -> None:
    page = one.page
    card, finding = one.jargon()[0]
    page.locator(f"#m-{card}").click()
    _panel_shows(page, finding)
    word, panel = page.locator(f"#m-{card}").bounding_box(), page.locator("#panel").bounding_box()
    assert word and panel   # on a wide screen the card opens next to the word, not far away
    below = abs(panel["y"] - (word["y"] + word["height"]))
    above = abs(word["y"] - (panel["y"] + panel["height"]))
    gap = min(below, above)
    assert gap <= 12 and panel["x"] + panel["width"] <= 1024
    page.locator("#panel .close").click()
    assert not page.locator("#panel").is_visible()
    page.locator(".doc .age").first.click()
    assert "Reading age:" in page.locator("#panel").inner_text()
    assert page.locator("#panel-title").inner_text().startswith("A ")
    page.locator("h1").click()
    assert not page.locator("#panel").is_visible()
    assert not one.problems


def test_nothing_overflows_at_phone_width(many: Opened) -> None:
    page = many.page
    widths = "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    scroll, client = page.evaluate(widths)
    assert client == 375 and scroll <= client
    wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1
                     && !e.closest('.table-wrap, .visually-hidden, .skip'))
        .map(e => e.tagName + '.' + e.className)""")
    assert wide == []
    page.locator(".doc mark[data-card]").first.click()
    scroll, client = page.evaluate(widths)
    assert scroll <= client
    assert page.locator("#panel").bounding_box()["width"] <= 375
    assert not many.problems


def test_index_links_and_sorts(many: Opened) -> None:
    page = many.page
    rows = page.locator("#index tbody tr")
    assert rows.count() == 3
    names = rows.locator("th").all_inner_texts()
    assert names[2].endswith("missing.md")

    def column(n: int) -> list[str]:
        return [str(v) for v in rows.evaluate_all(
            f"rs => rs.map(r => r.cells[{n}].dataset.sort)")]

    page.get_by_role("button", name="Jargon terms").click()
    assert page.locator("th[aria-sort]").get_attribute("aria-sort") == "ascending"
    values = column(3)
    assert values == sorted(values, key=int)
    page.get_by_role("button", name="Jargon terms").click()
    assert column(3) == sorted(values, key=int, reverse=True)
    page.get_by_role("button", name="Reading age").click()
    ages = column(1)
    assert ages[-1] == "" and ages[:-1] == sorted(ages[:-1], key=float)
    rows.first.locator("a").click()
    assert page.evaluate("location.hash").startswith("#file-")
    assert not many.problems


CONTRAST = """() => {
  const rgb = s => s.match(/[\\d.]+/g).slice(0, 4).map(Number);
  const lum = ([r, g, b]) => {
    const f = c => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = e => {
    for (; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c.length < 4 || c[3] > 0) return c;
    }
    return [255, 255, 255];
  };
  const sel = 'mark.hl, .sent, .age, .doc, .stat dd, .stat dt, .meta, .legend, a, button, td, h1';
  return [...document.querySelectorAll(sel)].map(e => {
    const a = lum(rgb(getComputedStyle(e).color)), b = lum(background(e));
    return [e.tagName + '.' + e.className, (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)];
  });
}"""


def test_text_contrast_passes_wcag_aa(many: Opened) -> None:
    ratios = many.page.evaluate(CONTRAST)
    assert len(ratios) > 20
    low = [(name, round(r, 2)) for name, r in ratios if r < 4.5]
    assert low == []


def test_prints_without_the_panel(one: Opened) -> None:
    page = one.page
    page.locator(".doc mark[data-card]").first.click()
    page.emulate_media(media="print")
    assert not page.locator("#panel").is_visible()
    assert page.locator(".doc mark[data-card]").first.is_visible()
    assert page.locator(".cards").is_visible()
    assert not one.problems
