"""The HTML report: one self-contained, printable, accessible file for people who never
open a terminal.

Accessibility is tested, not assumed: the browser test runs axe-core on every example's
report and on the ``compare`` page, at a desktop width and at 320 CSS pixels, and allows no
violation. Source snippets wrap instead of scrolling sideways (a scrolling box that holds
nothing focusable cannot be scrolled from the keyboard), and the highlighted line is marked
with ``>`` as well as bold. Statuses are the report's own words (``not-in-force``, as in
every format), each after a symbol, with a legend saying what each means. The clause matrix
lists failing MUST clauses first, then SHOULD, then MAY.

No external assets, no JavaScript, a strict Content-Security-Policy; real headings and table
semantics (captions, scoped header cells); every status is written out in words next to its
colour, so colour is never the only signal; text colours meet WCAG AA contrast (≥ 4.5:1) on
their backgrounds; print styles keep tables whole and drop the screen-only chrome. Every
string that comes from a vendor (values and file names) goes through ``sanitize.html_text``;
URLs from documents are shown as text, never as links.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from ocp_check import i18n
from ocp_check.compare import Matrix
from ocp_check.model import (
    Finding,
    FindingCaps,
    FindingState,
    Report,
    Status,
    SubmissionResult,
    exit_code_for,
    verdict_headline,
)
from ocp_check.render import RenderOptions
from ocp_check.sanitize import html_text as esc

CSS = """
:root{--fg:#1b1b1b;--muted:#4a4a4a;--bg:#ffffff;--line:#c9c9c9;--pass:#0b6b2f;--pass-bg:#e3f4e8;
--fail:#a4141b;--fail-bg:#fbe5e6;--warn:#7a4a00;--warn-bg:#fff1d6;--info:#0b4f8a;--info-bg:#e2eefa;
--other:#3d3d3d;--other-bg:#efefef}
*{box-sizing:border-box}
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:var(--fg);
background:var(--bg);margin:0 auto;max-width:72rem;padding:1.5rem}
h1{font-size:1.6rem;margin:.2rem 0 1rem}h2{font-size:1.35rem;margin:2rem 0 .6rem;border-bottom:2px solid var(--line)}
h3{font-size:1.1rem;margin:1.4rem 0 .4rem}h4{font-size:1rem;margin:1rem 0 .3rem;word-break:break-all}
.meta{color:var(--muted);font-size:.9rem}
.banner{border:3px solid;border-radius:.4rem;padding:1rem 1.2rem;margin:1rem 0;font-size:1.15rem}
.banner strong{font-size:1.35rem;display:block}
.banner.ok{border-color:var(--pass);background:var(--pass-bg);color:var(--pass)}
.banner.bad{border-color:var(--fail);background:var(--fail-bg);color:var(--fail)}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem;font-size:.95rem}
caption{text-align:left;font-weight:600;padding:.3rem 0}
th,td{border:1px solid var(--line);padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f4f4f4}
.badge{display:inline-block;border-radius:.25rem;padding:0 .4rem;font-weight:600;white-space:nowrap}
.s-pass{color:var(--pass);background:var(--pass-bg)}.s-fail{color:var(--fail);background:var(--fail-bg)}
.s-waived{color:var(--info);background:var(--info-bg)}.s-attested{color:var(--info);background:var(--info-bg)}
.s-warning{color:var(--warn);background:var(--warn-bg)}.s-error{color:var(--fail);background:var(--fail-bg)}
.s-info{color:var(--info);background:var(--info-bg)}
.s-other{color:var(--other);background:var(--other-bg)}
.finding{border:1px solid var(--line);border-left:6px solid var(--line);padding:.5rem .8rem;margin:.6rem 0}
.finding.error{border-left-color:var(--fail)}.finding.warning{border-left-color:var(--warn)}
.finding.info{border-left-color:var(--info)}.finding.inactive{border-left-color:var(--other)}
.finding p{margin:.25rem 0}
.loc{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9rem;word-break:break-all}
pre{background:#f6f6f6;border:1px solid var(--line);padding:.4rem .6rem;font-size:.85rem;margin:.3rem 0;
white-space:pre-wrap;overflow-wrap:anywhere}
pre strong{font-weight:700}
dl.legend{display:grid;grid-template-columns:max-content 1fr;gap:.2rem .8rem;margin:.4rem 0 1rem}
dl.legend dt{margin:0}dl.legend dd{margin:0}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em;word-break:break-all}
.counts{display:flex;flex-wrap:wrap;gap:.5rem;margin:.4rem 0;padding:0;list-style:none}
.counts li{border:1px solid var(--line);border-radius:.3rem;padding:.2rem .6rem}
footer{margin-top:3rem;color:var(--muted);font-size:.85rem}
@media print{body{max-width:none;padding:0;font-size:11pt}.banner{break-inside:avoid}
tr,.finding{break-inside:avoid}h2,h3{break-after:avoid}}
"""

_STATUS_CLASS = {
    "pass": "s-pass",
    "fail": "s-fail",
    "waived": "s-waived",
    "attested": "s-attested",
}
#: Each status in the report's own word (the same in every format), after a symbol so that
#: colour is never the only signal; the legend under the matrix says what each one means.
_STATUS_WORDS = {
    "pass": "✓ pass",
    "fail": "✗ fail",
    "waived": "≈ waived",
    "not-applicable": "– not-applicable",
    "attested": "◇ attested",
    "not-in-force": "◷ not-in-force",
    "disabled": "⊘ disabled",
    "not-checked": "? not-checked",
    "—": "— (not in this version)",
}


#: What each status means, as the README's table says it.
STATUS_MEANINGS = {
    "pass": "checked, with no finding",
    "fail": "at least one active finding",
    "waived": "findings exist, and accepted deviations (waivers) cover all of them",
    "not-applicable": "nothing the clause is about exists (the reason is given)",
    "attested": "answered yes by the vendor in the manifest: attested, not verified",
    "not-in-force": "the clause's effective date is still to come",
    "disabled": "turned off by the city profile (the reason is given)",
    "not-checked": "the document the clause needs is absent, failed to load, or is in a version the standard does not cover",
}


def _legend(statuses: Iterable[str] = STATUS_MEANINGS) -> list[str]:
    """What the statuses mean, under a table that shows them."""
    items = "".join(f"<dt>{_badge(s)}</dt><dd>{esc(STATUS_MEANINGS[s])}</dd>" for s in statuses)
    return ['<details><summary>What the statuses mean</summary><dl class="legend">', items, "</dl></details>"]


def _badge(status: str) -> str:
    cls = _STATUS_CLASS.get(status, "s-other")
    return f'<span class="badge {cls}">{esc(_STATUS_WORDS.get(status, status))}</span>'


def _page(title: str, body: Iterable[str]) -> str:
    head = (
        f'<!DOCTYPE html>\n<html lang="{i18n.tag()}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'\">\n"
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{esc(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
    )
    return head + "\n".join(body) + "\n</body>\n</html>\n"


def _plain_verdict(sub: SubmissionResult) -> tuple[str, str]:
    failing = [c for c in sub.clauses if c.status is Status.FAIL]
    must = [c for c in failing if c.level.severity.value == "error"]
    other_errors = sub.counts()["error"] - sum(c.findings for c in must)
    if sub.conformant:
        waived = sum(1 for c in sub.clauses if c.status is Status.WAIVED)
        extra = (
            f" {waived} accepted deviation{'s are' if waived != 1 else ' is'} recorded below."
            if waived
            else ""
        )
        should = len(failing)
        rec = f" {should} recommendation{'s' if should != 1 else ''} (SHOULD) not met." if should else ""
        return "ok", f"Meets every mandatory requirement.{rec}{extra}{_judged(sub)}"
    parts = []
    if must:
        parts.append(f"does not meet {len(must)} mandatory requirement{'s' if len(must) != 1 else ''} (MUST)")
    if other_errors > 0 and not must:
        parts.append(f"has {other_errors} error{'s' if other_errors != 1 else ''} in its files")
    return "bad", "This submission " + (" and ".join(parts) or "has errors") + "." + _judged(sub)


def _capital(judged: str) -> str:
    return f" {judged[0].upper()}{judged[1:]}." if judged else ""


def _judged(sub: SubmissionResult) -> str:
    """The verdict says when the standard behind it is a draft or withdrawn."""
    return f" It was {sub.judged_against}." if sub.judged_against else ""


def _finding(sub: SubmissionResult, f: Finding) -> str:
    state = f.state
    cls = f.severity.value if state is FindingState.ACTIVE else "inactive"
    label = {
        FindingState.WAIVED: "waived",
        FindingState.NOT_IN_FORCE: "not-in-force",
        FindingState.DISABLED: "disabled",
    }.get(state, f.severity.value)
    loc = f.location
    where = (
        f"{sub.root}/{loc.file}"
        if loc.file and sub.root not in ("", ".", "<stdin>")
        else (loc.file or sub.name)
    )
    if loc.line is not None:
        where += f":{loc.line}:{loc.column or 1}"
    parts = [
        f'<article class="finding {cls}">',
        f'<p><span class="badge s-{"other" if cls == "inactive" else cls}">{esc(label)}</span> '
        f"<strong>{esc(f.clause or f.rule)}</strong> {esc(f.level.value)} "
        f'<span class="loc">{esc(where)}</span></p>',
        f"<p>{esc(f.message)}</p>",
        f'<p class="meta">rule <code>{esc(f.rule)}</code>'
        + (f" · {esc(str(f.standard))}" if f.standard else "")
        + (f" · pointer <code>{esc(loc.pointer)}</code>" if loc.pointer else "")
        + "</p>",
    ]
    if f.snippet:
        lines = []
        for number, text in f.snippet:
            if number == loc.line:
                lines.append(f"<strong>&gt; {number:>5} | {esc(text[:200])}</strong>")
            else:
                lines.append(f"  {number:>5} | {esc(text[:200])}")
        parts.append(f"<pre>{chr(10).join(lines)}</pre>")
    if f.waiver is not None:
        w = f.waiver
        honoured = "honoured" if w.honoured else "not honoured"
        parts.append(
            f"<p><strong>Waiver {esc(w.id)}</strong> ({esc(w.issuer)}, {honoured}): approved by "
            f"{esc(w.approved_by)}, expires {esc(w.expires)}. {esc(w.reason)}"
            + (f" <em>{esc(w.note)}</em>" if w.note else "")
            + "</p>"
        )
    if f.effective_from:
        parts.append(f"<p><em>In force from {esc(f.effective_from)}: this will fail from then.</em></p>")
    parts.append(f"<p><strong>How to fix:</strong> {esc(f.fix)}</p>")
    parts.append("</article>")
    return "\n".join(parts)


def _folded(sub: SubmissionResult, caps: FindingCaps) -> list[str]:
    """The findings the caps left out of the list, counted by file, rule and state."""
    total = sub.folded_count()
    out = [
        f"<p><strong>{total:,} more finding{'s' if total != 1 else ''} not shown</strong> "
        f"({esc(caps.describe())}); they count in the verdict, the counts and the clause matrix.</p>",
        '<table><caption>Findings not shown</caption><thead><tr><th scope="col">File</th>'
        '<th scope="col">Clause</th><th scope="col">Rule</th><th scope="col">State</th>'
        '<th scope="col">Not shown</th></tr></thead><tbody>',
    ]
    for g in sub.folded:
        state = g.severity.value if g.active else g.state.value
        out.append(
            f'<tr><td class="loc">{esc(g.file or sub.name)}</td><td>{esc(g.clause or "—")}</td>'
            f"<td>{esc(g.rule)}</td><td>{esc(state)}</td><td>{g.count:,}</td></tr>"
        )
    out.append("</tbody></table>")
    return out


def _submission(sub: SubmissionResult, index: int, caps: FindingCaps) -> list[str]:
    cls, sentence = _plain_verdict(sub)
    title = sub.name + (f" — judged against {sub.evaluation}" if sub.evaluation else "")
    counts = sub.counts()
    out = [
        f'<section aria-labelledby="sub-{index}">',
        f'<h2 id="sub-{index}">{esc(title)}</h2>',
        f'<div class="banner {cls}" role="status"><strong>{esc(sub.verdict.capitalize())}</strong>{esc(sentence)}</div>',
        '<ul class="counts" aria-label="finding counts">'
        + "".join(f"<li>{esc(k)}: <strong>{v}</strong></li>" for k, v in counts.items())
        + "</ul>",
    ]
    status_counts = Counter(c.status.value for c in sub.clauses)
    out.append(
        "<p>Clauses: "
        + ", ".join(f"{n} {esc(_STATUS_WORDS.get(s, s))}" for s, n in sorted(status_counts.items()))
        + "</p>"
    )
    out.append(
        '<table><caption>Documents</caption><thead><tr><th scope="col">File</th><th scope="col">Kind</th>'
        '<th scope="col">Standard used</th><th scope="col">Why this version</th></tr></thead><tbody>'
    )
    for d in sub.documents:
        kind = d.kind.value if d.kind else "not recognised" + (f": {d.unrecognised}" if d.unrecognised else "")
        out.append(
            f'<tr><td class="loc">{esc(d.path)}</td><td>{esc(kind)}</td>'
            f"<td>{esc(str(d.standard) if d.standard else '—')}</td><td>{esc(d.standard_reason)}</td></tr>"
        )
    out.append("</tbody></table>")
    out.append(
        '<table><caption>Clause matrix</caption><thead><tr><th scope="col">Clause</th><th scope="col">Level</th>'
        '<th scope="col">Requirement</th><th scope="col">Status</th><th scope="col">Notes</th></tr></thead><tbody>'
    )
    order = {"fail": 0, "not-checked": 1, "waived": 2}
    # Failing clauses first, MUST before SHOULD before MAY: what decides the verdict leads.
    for c in sorted(
        sub.clauses, key=lambda c: (order.get(c.status.value, 3), -c.level.rank, c.standard.id, c.clause)
    ):
        notes = c.reason + (f" ({c.findings} finding{'s' if c.findings != 1 else ''})" if c.findings else "")
        out.append(
            f'<tr><th scope="row">{esc(c.clause)}<br><span class="meta">{esc(str(c.standard))}</span></th>'
            f"<td>{esc(c.level.value)}</td><td>{esc(c.title)}</td><td>{_badge(c.status.value)}</td><td>{esc(notes)}</td></tr>"
        )
    out.append("</tbody></table>")
    findings = list(sub.findings)
    heading = f"{len(findings)}" if not sub.folded else f"{len(findings) + sub.folded_count():,}, {len(findings)} shown"
    out.append(f"<h3>Findings ({heading})</h3>")
    if not findings:
        out.append("<p>No findings.</p>")
    current = None
    for f in findings:
        if f.location.file != current:
            current = f.location.file
            out.append(f'<h4 class="loc">{esc(current or sub.name)}</h4>')
        out.append(_finding(sub, f))
    if sub.folded:
        out.extend(_folded(sub, caps))
    waived = [f for f in findings if f.waiver is not None]
    if waived:
        out.append(
            '<table><caption>Waivers (accepted deviations)</caption><thead><tr><th scope="col">Waiver</th>'
            '<th scope="col">Issuer</th><th scope="col">Approved by</th><th scope="col">Expires</th>'
            '<th scope="col">Honoured</th><th scope="col">Finding</th></tr></thead><tbody>'
        )
        for f in waived:
            w = f.waiver
            assert w is not None
            out.append(
                f"<tr><td>{esc(w.id)}</td><td>{esc(w.issuer)}</td><td>{esc(w.approved_by)}</td><td>{esc(w.expires)}</td>"
                f"<td>{'yes' if w.honoured else 'no: ' + esc(w.note)}</td><td>{esc(f.clause or f.rule)} — {esc(f.message)}</td></tr>"
            )
        out.append("</tbody></table>")
    out.append("</section>")
    return out


def _provenance(report: Report) -> list[str]:
    out = [
        '<section aria-labelledby="provenance">',
        '<h2 id="provenance">Provenance</h2>',
        f"<p>Produced by ocp-check {esc(report.tool_version)}. Anyone can confirm this report with "
        "<code>ocp-check verify REPORT.json</code> using the JSON report of the same run.</p>",
    ]
    if report.today:
        out.append(f"<p>Date used for waiver expiry and effective dates: {esc(report.today)}.</p>")
    if report.profile:
        p = report.profile
        out.append(
            f"<p>City profile: {esc(str(p.get('title')))} (<code>{esc(str(p.get('id')))}</code>), "
            f"SHA-256 <code>{esc(str(p.get('sha256')))}</code>.</p>"
        )
    out.append(
        '<table><caption>Standards used</caption><thead><tr><th scope="col">Standard</th>'
        '<th scope="col">Status</th><th scope="col">SHA-256 of its content</th></tr></thead><tbody>'
    )
    for s in report.standards:
        out.append(
            f"<tr><td>{esc(str(s.ref))} — {esc(s.title)}</td><td>{esc(s.status_text())}</td><td><code>{esc(s.sha256)}</code></td></tr>"
        )
    out.append("</tbody></table>")
    out.append(
        '<table><caption>Input files</caption><thead><tr><th scope="col">Submission</th><th scope="col">File</th>'
        '<th scope="col">SHA-256</th></tr></thead><tbody>'
    )
    for i in report.inputs:
        out.append(
            f'<tr><td>{esc(i.submission)}</td><td class="loc">{esc(i.path)}</td><td><code>{esc(i.sha256)}</code></td></tr>'
        )
    out.append("</tbody></table></section>")
    return out


def render(report: Report, options: RenderOptions) -> str:
    passed = exit_code_for(report, options.fail_on) == 0
    headline = verdict_headline(report, options.fail_on)
    body = [
        "<header>",
        "<h1>Conformance report</h1>",
        f'<p class="meta">ocp-check {esc(report.tool_version)} · standards: '
        + esc(", ".join(str(s.ref) for s in report.standards))
        + "</p>",
        "</header>",
        "<main>",
        f'<div class="banner {"ok" if passed else "bad"}" role="status"><strong>'
        f"{esc(headline[0].upper() + headline[1:])}</strong> "
        f"{esc(report.tally())}. {esc(report.accounting_phrase())}."
        f"{esc(_capital(report.judged_against()))}</div>",
    ]
    if report.left_out:
        body.append("<ul>" + "".join(f"<li>Left out: {esc(text)}.</li>" for text in report.left_out) + "</ul>")
    if report.deltas:
        body.append('<section aria-labelledby="versions"><h2 id="versions">Versions side by side</h2><ul>')
        body.extend(f"<li><strong>{esc(d.submission)}</strong>: {esc(d.summary)}</li>" for d in report.deltas)
        body.append("</ul></section>")
    body.extend(_legend())  # once, before the clause matrices that use the words
    for index, sub in enumerate(report.submissions):
        body.extend(_submission(sub, index, report.caps))
    body.extend(_provenance(report))
    body.append("</main>")
    body.append(
        "<footer>Statuses are written in words as well as colours. "
        "“Attested” means the vendor states it; ocp-check cannot verify it.</footer>"
    )
    return _page("Conformance report — ocp-check", body)


def render_matrix_page(matrix: Matrix) -> str:
    """The bids-side-by-side page of ``ocp-check compare``, in the report's look."""
    head = "".join(f'<th scope="col">{esc(c.name)}</th>' for c in matrix.columns)
    body = [
        "<header><h1>Bids side by side</h1></header>",
        "<main>",
        '<table><caption>Verdict per bid</caption><thead><tr><th scope="col">Bid</th><th scope="col">Verdict</th>'
        '<th scope="col">Errors</th><th scope="col">Warnings</th><th scope="col">Waived</th><th scope="col">Versions</th></tr></thead><tbody>',
    ]
    for c in matrix.columns:
        versions = ", ".join(f"{k}@{v}" for k, v in sorted(c.versions.items()))
        badge = _badge("pass" if c.verdict == "conformant" else "fail").replace(
            _STATUS_WORDS["pass"] if c.verdict == "conformant" else _STATUS_WORDS["fail"], c.verdict
        )
        body.append(
            f'<tr><th scope="row">{esc(c.name)}</th><td>{badge}</td><td>{c.counts["error"]}</td>'
            f"<td>{c.counts['warning']}</td><td>{c.counts['waived']}</td><td>{esc(versions)}</td></tr>"
        )
    body.append("</tbody></table>")
    body.append(
        f'<table><caption>Clause × bid</caption><thead><tr><th scope="col">Clause</th><th scope="col">Requirement</th>{head}</tr></thead><tbody>'
    )
    for r in matrix.rows:
        cells = "".join(
            f'<td>{_badge(s)}<br><span class="meta">{esc(lv)}</span></td>'
            for s, lv in zip(r.cells, r.levels, strict=False)
        )
        body.append(
            f'<tr><th scope="row">{esc(r.clause)}<br><span class="meta">{esc(r.standard)}</span></th><td>{esc(r.title)}</td>{cells}</tr>'
        )
    body.append("</tbody></table>")
    body.extend(_legend())
    body.append("</main>")
    return _page("Bids side by side — ocp-check", body)
