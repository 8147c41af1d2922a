"""The HTML report in a real browser (headless Chromium driven by Playwright).

Checks through the DOM, not a screenshot alone: the verdict and the clause matrix have
non-empty boxes in the first viewport, the page logs no console errors, the main text has a
contrast of at least 4.5:1, and a report full of hostile vendor strings runs no script. Every
example bid's report and the ``compare`` page of all of them pass axe-core (Deque's
accessibility engine, vendored in ``vendor/axe-core/`` so that the test runs offline) with no
violation of any rule it runs by default. A screenshot of each example bid's report is kept in
tests/artifacts/ for people to look at. With CI=true a missing browser fails the test instead
of skipping it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "tests" / "artifacts"
AXE = Path(__file__).resolve().parent / "vendor" / "axe-core"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _chromium() -> str:
    for candidate in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(candidate)
        if found:
            return found
    if os.environ.get("CI") == "true":
        pytest.fail("Chromium is not installed, and CI=true requires the browser test to run")
    pytest.skip("Chromium is not installed")


@pytest.fixture(scope="module")
def browser():
    executable = _chromium()
    playwright = (
        pytest.importorskip("playwright.sync_api")
        if os.environ.get("CI") != "true"
        else __import__("playwright.sync_api", fromlist=["sync_playwright"])
    )
    with playwright.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def _luminance(rgb: tuple[float, float, float]) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(fg: tuple[float, float, float], bg: tuple[float, float, float]) -> float:
    lighter, darker = sorted((_luminance(fg), _luminance(bg)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


COLOURS_JS = """
(selector) => {
  const parse = (s) => s.match(/[0-9.]+/g).slice(0, 4).map(Number);
  const out = [];
  for (const el of document.querySelectorAll(selector)) {
    if (!el.textContent.trim()) continue;
    let bgEl = el, bg = null;
    while (bgEl) {
      const c = parse(getComputedStyle(bgEl).backgroundColor);
      if (c.length < 4 || c[3] > 0) { bg = c; break; }
      bgEl = bgEl.parentElement;
    }
    out.push({fg: parse(getComputedStyle(el).color), bg: bg || [255, 255, 255]});
  }
  return out;
}
"""


def _open(browser, html: Path):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    dialogs: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(html.as_uri())
    return page, errors, dialogs


def _report(run, bid: Path, target: Path, *extra: str) -> Path:
    result = run("check", str(bid), "--format", f"html:{target}", *extra)
    assert result.exit_code in (0, 1), result.stderr
    return target


BIDS = (
    sorted(p.name for p in (REPO / "examples" / "bids").iterdir() if p.is_dir())
    if (REPO / "examples" / "bids").is_dir()
    else []
)


@pytest.mark.parametrize("name", BIDS or ["northwind-cmi"])
def test_example_report_in_a_real_browser(run, browser, tmp_path, name):
    bid = REPO / "examples" / "bids" / name
    if not bid.is_dir():
        bid = REPO / "standards" / "_examples" / name
    html = _report(run, bid, tmp_path / f"{name}.html", "--today", "2026-12-01")
    page, errors, dialogs = _open(browser, html)
    height = page.viewport_size["height"]
    for selector in (".banner", "table"):
        box = page.locator(selector).first.bounding_box()
        assert box is not None and box["width"] > 0 and box["height"] > 0, selector
        assert box["y"] < height, f"{selector} is not in the first viewport"
    assert page.locator("h1").first.inner_text() == "Conformance report"
    assert page.locator("caption", has_text="Clause matrix").count() >= 1
    for sample in page.evaluate(COLOURS_JS, "p, td, th, li, h1, h2, h3, .banner, .badge"):
        ratio = _contrast(tuple(sample["fg"][:3]), tuple(sample["bg"][:3]))
        assert ratio >= 4.5, (sample, ratio)
    assert errors == [] and dialogs == []
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)
    page.close()


def test_hostile_strings_run_no_script(run, browser, bid, tmp_path):
    hostile = [
        "<script>alert('x')</script>",
        "<img src=x onerror=alert('img')>",
        "\" onmouseover=\"alert('attr')",
        "javascript:alert('link')",
        "<svg onload=alert('svg')>",
        "\u202egnp.exe",
    ]
    text = (bid / "data-manifest.yaml").read_text()
    text = text.replace(
        "kind: data-manifest", "kind: data-manifest\nhostile: " + json.dumps(" ".join(hostile)), 1
    )
    (bid / "data-manifest.yaml").write_text(text)
    (bid / "<img src=x onerror=alert(1)>.yaml").write_text("x: " + json.dumps(hostile[0]) + "\n")
    html = _report(run, bid, tmp_path / "hostile.html")
    page, errors, dialogs = _open(browser, html)
    page.mouse.move(10, 10)
    page.mouse.move(600, 400)
    assert dialogs == []
    assert page.evaluate("document.querySelectorAll('script, img, svg, iframe, object, embed').length") == 0
    assert (
        page.evaluate(
            "[...document.querySelectorAll('a')].filter(a => a.href.startsWith('javascript')).length"
        )
        == 0
    )
    assert "onerror=alert" in page.content().replace("&lt;", "<").replace("&gt;", ">")  # shown as text
    assert errors == []
    page.close()


def _axe_script() -> Path:
    """The vendored axe-core, checked against the SHA-256 its README records."""
    script = AXE / "axe.min.js"
    listed = re.search(
        r"\| `axe\.min\.js` \|.*\| `([0-9a-f]{64})` \|", (AXE / "README.md").read_text("utf-8")
    )
    assert listed, "vendor/axe-core/README.md lists no hash for axe.min.js"
    assert hashlib.sha256(script.read_bytes()).hexdigest() == listed[1], "axe.min.js is not the vendored file"
    return script


#: A desktop window, and the 320 CSS pixels WCAG's reflow criterion names (a phone, or a
#: desktop zoomed to 400 %): a source line that fits the first may scroll sideways in the second.
WIDTHS = (1280, 320)


def _violations(browser, html: Path, width: int = 1280) -> list[dict]:
    """axe-core's violations on a page; the page's own CSP forbids scripts, so the test's
    context bypasses it to inject axe (the report itself runs none)."""
    context = browser.new_context(bypass_csp=True, viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        page.goto(html.as_uri())
        page.add_script_tag(path=str(_axe_script()))
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    finally:
        context.close()
    return [
        {
            "rule": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "where": [node["target"] for node in v["nodes"][:5]],
        }
        for v in result["violations"]
    ]


@pytest.mark.parametrize("name", BIDS or ["northwind-cmi"])
def test_example_report_passes_axe(run, browser, tmp_path, name):
    bid = REPO / "examples" / "bids" / name
    if not bid.is_dir():
        bid = REPO / "standards" / "_examples" / name
    html = _report(run, bid, tmp_path / f"{name}.html", "--today", "2026-12-01")
    for width in WIDTHS:
        assert _violations(browser, html, width) == [], width


def test_bilingual_report_passes_axe(run, browser, tmp_path):
    """``--lang fr,en``: two halves, each declaring its language, one main landmark, unique ids."""
    bid = REPO / "examples" / "bids" / "qualite-air-val-des-cedres"
    html = _report(run, bid, tmp_path / "bilingue.html", "--today", "2026-12-01", "--lang", "fr,en")
    for width in WIDTHS:
        assert _violations(browser, html, width) == [], width
    page, errors, _dialogs = _open(browser, html)
    assert page.locator("h1").all_inner_texts() == ["Rapport de conformité", "Conformance report"]
    assert errors == []


def test_compare_page_passes_axe(run, browser, tmp_path):
    bids = [str(p) for p in sorted((REPO / "examples" / "bids").iterdir()) if p.is_dir()]
    target = tmp_path / "matrix.html"
    result = run("compare", *bids, "--today", "2026-12-01", "--format", f"html:{target}")
    assert result.exit_code == 0, result.stderr
    for width in WIDTHS:
        assert _violations(browser, target, width) == [], width


def test_axe_finds_what_it_should(browser, tmp_path):
    """The harness is not blind: a source snippet that scrolls sideways where no keyboard can
    reach it, as the report had before, is a violation."""
    page = tmp_path / "bad.html"
    page.write_text(
        '<!DOCTYPE html><html lang="en"><head><title>t</title></head><body><main>'
        '<pre aria-label="source" style="overflow-x:auto;width:10rem">'
        + "x" * 400
        + "</pre></main></body></html>",
        encoding="utf-8",
    )
    rules = {v["rule"] for v in _violations(browser, page)}
    assert "scrollable-region-focusable" in rules
