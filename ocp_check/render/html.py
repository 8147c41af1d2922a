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

Every fixed word is a message of the catalog, in the run's language, and the page says which
(``<html lang>``). Text quoted from a vendor's document (source lines, a waiver's reason) is
not in the page's language by default: no document declares its language, so it is marked
``lang=""`` (unknown, in HTML's terms) instead of inheriting the page's (docs/ARCHITECTURE.md,
"Two languages"). Messages never hold markup: where a sentence carries some (a
code span, bold), the message is rendered with a marker in the place of each piece, escaped,
and the pieces are put in after (:func:`_markup`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable

from ocp_check import i18n
from ocp_check.compare import Matrix
from ocp_check.i18n import _, current_language, ngettext, pgettext
from ocp_check.l10n import format_int, written_date
from ocp_check.model import (
    Finding,
    FindingCaps,
    FindingState,
    Level,
    Report,
    Status,
    SubmissionResult,
    exit_code_for,
    verdict_headline,
)
from ocp_check.render import RenderOptions
from ocp_check.sanitize import html_text as esc
from ocp_check.wording import finding_label, issuer_word, kind_word, level_word, status_word

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
#: Each status after a symbol, so that colour is never the only signal; the word is the
#: report's own (``not-in-force`` in English, as in every format). The legend under the
#: matrix says what each one means.
_STATUS_SYMBOL = {
    "pass": "✓",
    "fail": "✗",
    "waived": "≈",
    "not-applicable": "–",
    "attested": "◇",
    "not-in-force": "◷",
    "disabled": "⊘",
    "not-checked": "?",
}
#: Vendor text whose language no document declares: "unknown", not the page's language.
UNKNOWN_LANG = ' lang=""'


def _level_words(level: str) -> str:
    """A level token (``MUST``), or ``—`` for a clause absent from a version, in words."""
    try:
        return level_word(Level(level))
    except ValueError:
        return level


def _status_words(status: str) -> str:
    """A status as the page shows it: ``✓ pass`` / ``✓ satisfait``; ``—`` is a clause absent
    from a version (the compare page)."""
    if status == "—":
        return "— " + _("(not in this version)")
    try:
        word = status_word(Status(status))
    except ValueError:
        return status
    return f"{_STATUS_SYMBOL[status]} {word}"


def status_meaning(status: str) -> str:
    """What each status means, as the README's table says it."""
    meanings: dict[str, Callable[[], str]] = {
        "pass": lambda: _("checked, with no finding"),
        "fail": lambda: _("at least one active finding"),
        "waived": lambda: _("findings exist, and accepted deviations (waivers) cover all of them"),
        "not-applicable": lambda: _("nothing the clause is about exists (the reason is given)"),
        "attested": lambda: _("answered yes by the vendor in the manifest: attested, not verified"),
        "not-in-force": lambda: _("the clause's effective date is still to come"),
        "disabled": lambda: _("turned off by the city profile (the reason is given)"),
        "not-checked": lambda: _(
            "the document the clause needs is absent, failed to load, or is in a version the standard does not cover"
        ),
    }
    return meanings[status]()


#: The statuses in the legend's order.
STATUSES = ("pass", "fail", "waived", "not-applicable", "attested", "not-in-force", "disabled", "not-checked")

_SLOT = re.compile("\ue000([a-z_]+)\ue001")


def _slot(name: str) -> str:
    """A marker for a piece of markup inside a message (see :func:`_markup`)."""
    return f"\ue000{name}\ue001"


def _markup(message: str, **pieces: str) -> str:
    """A message rendered with :func:`_slot` markers, escaped, the markers replaced by their
    ``pieces`` (markup the caller built, its text already escaped)."""
    parts = _SLOT.split(message)
    return "".join(esc(part) if i % 2 == 0 else pieces[part] for i, part in enumerate(parts))


def _legend(statuses: Iterable[str] = STATUSES) -> list[str]:
    """What the statuses mean, under a table that shows them."""
    items = "".join(f"<dt>{_badge(s)}</dt><dd>{esc(status_meaning(s))}</dd>" for s in statuses)
    return [
        "<details><summary>" + esc(_("What the statuses mean")) + '</summary><dl class="legend">',
        items,
        "</dl></details>",
    ]


def _badge(status: str, label: str | None = None) -> str:
    """A status in a coloured box; ``label`` when the words are not the status's own."""
    cls = _STATUS_CLASS.get(status, "s-other")
    return f'<span class="badge {cls}">{esc(label if label is not None else _status_words(status))}</span>'


def _th(*labels: str) -> str:
    """Column headings."""
    return "".join(f'<th scope="col">{esc(label)}</th>' for label in labels)


def _page(title: str, body: Iterable[str], lang: str | None = None) -> str:
    head = (
        f'<!DOCTYPE html>\n<html lang="{lang or i18n.tag()}">\n<head>\n<meta charset="utf-8">\n'
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
        sentences = [_("Meets every mandatory requirement.")]
        should = len(failing)
        if should:
            sentences.append(
                ngettext(
                    "{count} recommendation (SHOULD) not met.",
                    "{count} recommendations (SHOULD) not met.",
                    should,
                )
            )
        if waived:
            sentences.append(
                ngettext(
                    "{count} accepted deviation is recorded below.",
                    "{count} accepted deviations are recorded below.",
                    waived,
                )
            )
        return "ok", " ".join(sentences) + _judged(sub)
    if must:
        sentence = ngettext(
            "This submission does not meet {count} mandatory requirement (MUST).",
            "This submission does not meet {count} mandatory requirements (MUST).",
            len(must),
        )
    elif other_errors > 0:
        sentence = ngettext(
            "This submission has {count} error in its files.",
            "This submission has {count} errors in its files.",
            other_errors,
        )
    else:
        sentence = _("This submission has errors.")
    return "bad", sentence + _judged(sub)


def _capital(judged: str) -> str:
    return f" {judged[0].upper()}{judged[1:]}." if judged else ""


def _judged(sub: SubmissionResult) -> str:
    """The verdict says when the standard behind it is a draft or withdrawn."""
    return " " + _("It was {judged}.", judged=sub.judged_against) if sub.judged_against else ""


def _finding(sub: SubmissionResult, f: Finding) -> str:
    state = f.state
    cls = f.severity.value if state is FindingState.ACTIVE else "inactive"
    label = finding_label(f.severity if state is FindingState.ACTIVE else state)
    loc = f.location
    where = (
        f"{sub.root}/{loc.file}"
        if loc.file and sub.root not in ("", ".", "<stdin>")
        else (loc.file or sub.name)
    )
    if loc.line is not None:
        where += f":{loc.line}:{loc.column or 1}"
    meta = _markup(_("rule {rule}", rule=_slot("rule")), rule=f"<code>{esc(f.rule)}</code>")
    if f.standard:
        meta += f" · {esc(str(f.standard))}"
    if loc.pointer:
        meta += " · " + _markup(
            _("pointer {pointer}", pointer=_slot("pointer")), pointer=f"<code>{esc(loc.pointer)}</code>"
        )
    parts = [
        f'<article class="finding {cls}">',
        f'<p><span class="badge s-{"other" if cls == "inactive" else cls}">{esc(label)}</span> '
        f"<strong>{esc(f.clause or f.rule)}</strong> {esc(level_word(f.level))} "
        f'<span class="loc">{esc(where)}</span></p>',
        f"<p>{esc(f.message)}</p>",
        f'<p class="meta">{meta}</p>',
    ]
    if f.snippet:
        lines = []
        for number, text in f.snippet:
            if number == loc.line:
                lines.append(f"<strong>&gt; {number:>5} | {esc(text[:200])}</strong>")
            else:
                lines.append(f"  {number:>5} | {esc(text[:200])}")
        parts.append(f"<pre{UNKNOWN_LANG}>{chr(10).join(lines)}</pre>")
    if f.waiver is not None:
        w = f.waiver
        values = {
            "waiver": _slot("waiver"),
            "issuer": issuer_word(w.issuer),
            "approver": _slot("approver"),
            "date": written_date(w.expires, current_language()),
        }
        if w.honoured:
            about = _("{waiver} ({issuer}, honoured): approved by {approver}, expires {date}.", **values)
        else:
            about = _("{waiver} ({issuer}, not honoured): approved by {approver}, expires {date}.", **values)
        parts.append(
            "<p>"
            + _markup(
                about,
                waiver="<strong>" + esc(_("Waiver {id}", id=w.id)) + "</strong>",
                approver=esc(w.approved_by),
            )
            + (f" <span{UNKNOWN_LANG}>{esc(w.reason)}</span>" if w.reason else " ")
            + (f" <em>{esc(w.note)}</em>" if w.note else "")
            + "</p>"
        )
    if f.effective_from:
        parts.append(
            "<p><em>"
            + esc(_("In force from {date}: this will fail from then.", date=f.effective_from))
            + "</em></p>"
        )
    parts.append("<p><strong>" + esc(_("How to fix:")) + f"</strong> {esc(f.fix)}</p>")
    parts.append("</article>")
    return "\n".join(parts)


def _num(n: int) -> str:
    """A count as the run's language writes it (``1,244`` / ``1 244``)."""
    return format_int(n, i18n.current_language())


def _plain(n: int) -> str:
    """A count the English page has always written without a thousands separator (the
    submission's counts, the clause matrix, the compare page); French groups its digits."""
    return str(n) if i18n.current_language() == "en" else _num(n)


def _folded(sub: SubmissionResult, caps: FindingCaps) -> list[str]:
    """The findings the caps left out of the list, counted by file, rule and state."""
    total = sub.folded_count()
    more = ngettext(
        "{count} more finding not shown", "{count} more findings not shown", total, count=_num(total)
    )
    sentence = ngettext(
        "{more} ({caps}); they count in the verdict, the counts and the clause matrix.",
        "{more} ({caps}); they count in the verdict, the counts and the clause matrix.",
        total,
        more=_slot("more"),
        caps=caps.describe(),
    )
    out = [
        f"<p>{_markup(sentence, more=f'<strong>{esc(more)}</strong>')}</p>",
        "<table><caption>"
        + esc(_("Findings not shown"))
        + "</caption><thead><tr>"
        + _th(_("File"), _("Clause"), _("Rule"), _("State"), _("Not shown"))
        + "</tr></thead><tbody>",
    ]
    for g in sub.folded:
        state = finding_label(g.severity if g.active else g.state)
        out.append(
            f'<tr><td class="loc">{esc(g.file or sub.name)}</td><td>{esc(g.clause or "—")}</td>'
            f"<td>{esc(g.rule)}</td><td>{esc(state)}</td><td>{esc(_num(g.count))}</td></tr>"
        )
    out.append("</tbody></table>")
    return out


def _count_key(key: str) -> str:
    """The name of a count in the submission's list of counts."""
    words = {
        "error": pgettext("count", "error"),
        "warning": pgettext("count", "warning"),
        "info": pgettext("count", "info"),
        "waived": pgettext("count", "waived"),
        "not-in-force": pgettext("count", "not-in-force"),
        "disabled": pgettext("count", "disabled"),
    }
    return words.get(key, key)


def _submission(sub: SubmissionResult, index: int, caps: FindingCaps) -> list[str]:
    cls, sentence = _plain_verdict(sub)
    if sub.evaluation:
        title = _("{name} — judged against {evaluation}", name=sub.name, evaluation=sub.evaluation)
    else:
        title = sub.name
    verdict = (
        pgettext("verdict, heading", "Conformant")
        if sub.conformant
        else pgettext("verdict, heading", "Nonconformant")
    )
    counts = sub.counts()
    out = [
        f'<section aria-labelledby="sub-{index}">',
        f'<h2 id="sub-{index}">{esc(title)}</h2>',
        f'<div class="banner {cls}" role="status"><strong>{esc(verdict)}</strong>{esc(sentence)}</div>',
        '<ul class="counts" aria-label="'
        + esc(_("finding counts"))
        + '">'
        + "".join(
            "<li>"
            + _markup(
                _("{key}: {value}", key=_count_key(k), value=_slot("value")),
                value=f"<strong>{esc(_plain(v))}</strong>",
            )
            + "</li>"
            for k, v in counts.items()
        )
        + "</ul>",
    ]
    status_counts = Counter(c.status.value for c in sub.clauses)
    listed = ", ".join(f"{_plain(n)} {_status_words(s)}" for s, n in sorted(status_counts.items()))
    out.append(
        "<p>" + esc(_("Clauses: {summary}", summary=listed)) + "</p>"
        if sub.clauses
        else "<p>" + esc(_("Clauses: none")) + "</p>"
    )
    out.append(
        "<table><caption>"
        + esc(_("Documents"))
        + "</caption><thead><tr>"
        + _th(_("File"), _("Kind"), _("Standard used"), _("Why this version"))
        + "</tr></thead><tbody>"
    )
    for d in sub.documents:
        if d.kind:
            kind = kind_word(d.kind.value)
        elif d.unrecognised:
            kind = _("not recognised: {why}", why=d.unrecognised)
        else:
            kind = _("not recognised")
        out.append(
            f'<tr><td class="loc">{esc(d.path)}</td><td>{esc(kind)}</td>'
            f"<td>{esc(str(d.standard) if d.standard else '—')}</td><td>{esc(d.standard_reason)}</td></tr>"
        )
    out.append("</tbody></table>")
    out.append(
        "<table><caption>"
        + esc(_("Clause matrix"))
        + "</caption><thead><tr>"
        + _th(_("Clause"), _("Level"), _("Requirement"), _("Status"), _("Notes"))
        + "</tr></thead><tbody>"
    )
    order = {"fail": 0, "not-checked": 1, "waived": 2}
    # Failing clauses first, MUST before SHOULD before MAY: what decides the verdict leads.
    for c in sorted(
        sub.clauses, key=lambda c: (order.get(c.status.value, 3), -c.level.rank, c.standard.id, c.clause)
    ):
        notes = c.reason
        if c.findings:
            notes += " " + ngettext(
                "({count} finding)", "({count} findings)", c.findings, count=_plain(c.findings)
            )
        out.append(
            f'<tr><th scope="row">{esc(c.clause)}<br><span class="meta">{esc(str(c.standard))}</span></th>'
            f"<td>{esc(level_word(c.level))}</td><td>{esc(c.title)}</td><td>{_badge(c.status.value)}</td><td>{esc(notes)}</td></tr>"
        )
    out.append("</tbody></table>")
    findings = list(sub.findings)
    if sub.folded:
        heading = _(
            "{total}, {shown} shown",
            total=_num(len(findings) + sub.folded_count()),
            shown=_plain(len(findings)),
        )
    else:
        heading = _num(len(findings))
    out.append("<h3>" + esc(_("Findings ({count})", count=heading)) + "</h3>")
    if not findings:
        out.append("<p>" + esc(_("No findings.")) + "</p>")
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
            "<table><caption>"
            + esc(_("Waivers (accepted deviations)"))
            + "</caption><thead><tr>"
            + _th(_("Waiver"), _("Issuer"), _("Approved by"), _("Expires"), _("Honoured"), _("Finding"))
            + "</tr></thead><tbody>"
        )
        for f in waived:
            w = f.waiver
            assert w is not None
            honoured = esc(_("yes")) if w.honoured else esc(_("no: {note}", note=w.note))
            out.append(
                f"<tr><td>{esc(w.id)}</td><td>{esc(issuer_word(w.issuer))}</td><td>{esc(w.approved_by)}</td><td>{esc(w.expires)}</td>"
                f"<td>{honoured}</td><td>{esc(f.clause or f.rule)} — {esc(f.message)}</td></tr>"
            )
        out.append("</tbody></table>")
    out.append("</section>")
    return out


def _provenance(report: Report) -> list[str]:
    out = [
        '<section aria-labelledby="provenance">',
        '<h2 id="provenance">' + esc(_("Provenance")) + "</h2>",
        "<p>"
        + _markup(
            _(
                "Produced by ocp-check {version}. Anyone can confirm this report with {command} using the JSON "
                "report of the same run.",
                version=report.tool_version,
                command=_slot("command"),
            ),
            command="<code>" + esc(_("ocp-check verify REPORT.json")) + "</code>",
        )
        + "</p>",
    ]
    if report.today:
        out.append(
            "<p>"
            + esc(_("Date used for waiver expiry and effective dates: {date}.", date=report.today))
            + "</p>"
        )
    if report.profile:
        p = report.profile
        out.append(
            "<p>"
            + _markup(
                _(
                    "City profile: {title} ({id}), SHA-256 {hash}.",
                    title=str(p.get("title")),
                    id=_slot("id"),
                    hash=_slot("hash"),
                ),
                id=f"<code>{esc(str(p.get('id')))}</code>",
                hash=f"<code>{esc(str(p.get('sha256')))}</code>",
            )
            + "</p>"
        )
    out.append(
        "<table><caption>"
        + esc(_("Standards used"))
        + "</caption><thead><tr>"
        + _th(_("Standard"), _("Status"), _("SHA-256 of its content"))
        + "</tr></thead><tbody>"
    )
    for s in report.standards:
        out.append(
            f"<tr><td>{esc(str(s.ref))} — {esc(s.title)}</td><td>{esc(s.status_text(prose=True))}</td><td><code>{esc(s.sha256)}</code></td></tr>"
        )
    out.append("</tbody></table>")
    out.append(
        "<table><caption>"
        + esc(_("Input files"))
        + "</caption><thead><tr>"
        + _th(_("Submission"), _("File"), _("SHA-256"))
        + "</tr></thead><tbody>"
    )
    for i in report.inputs:
        out.append(
            f'<tr><td>{esc(i.submission)}</td><td class="loc">{esc(i.path)}</td><td><code>{esc(i.sha256)}</code></td></tr>'
        )
    out.append("</tbody></table></section>")
    return out


def _body(report: Report, options: RenderOptions) -> list[str]:
    """The page's content, in the current language."""
    passed = exit_code_for(report, options.fail_on) == 0
    headline = verdict_headline(report, options.fail_on)
    standards = ", ".join(str(s.ref) for s in report.standards)
    body = [
        "<header>",
        "<h1>" + esc(_("Conformance report")) + "</h1>",
        f'<p class="meta">ocp-check {esc(report.tool_version)} · '
        + esc(_("standards: {list}", list=standards))
        + "</p>",
        "</header>",
        "<main>",
        f'<div class="banner {"ok" if passed else "bad"}" role="status"><strong>'
        f"{esc(headline[0].upper() + headline[1:])}</strong> "
        f"{esc(report.tally())}. {esc(report.accounting_phrase())}."
        f"{esc(_capital(report.judged_against()))}</div>",
    ]
    if report.left_out:
        body.append(
            "<ul>"
            + "".join("<li>" + esc(_("Left out: {what}.", what=text)) + "</li>" for text in report.left_out)
            + "</ul>"
        )
    if report.deltas:
        body.append(
            '<section aria-labelledby="versions"><h2 id="versions">'
            + esc(_("Versions side by side"))
            + "</h2><ul>"
        )
        body.extend(f"<li><strong>{esc(d.submission)}</strong>: {esc(d.summary)}</li>" for d in report.deltas)
        body.append("</ul></section>")
    body.extend(_legend())  # once, before the clause matrices that use the words
    for index, sub in enumerate(report.submissions):
        body.extend(_submission(sub, index, report.caps))
    body.extend(_provenance(report))
    body.append("</main>")
    body.append(
        "<footer>" + esc(_("Statuses are written in words as well as colours.")) + " "
        "" + esc(_("“Attested” means the vendor states it; ocp-check cannot verify it.")) + "</footer>"
    )
    return body


def render(report: Report, options: RenderOptions) -> str:
    return _page(_("Conformance report — ocp-check"), _body(report, options))


#: Two halves side by side on a wide screen, one under the other on a narrow one or on paper.
_HALVES_CSS = (
    "body.languages{max-width:150rem}.languages nav ul{list-style:none;padding:0;display:flex;gap:1.5rem}"
    ".halves{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,34rem),1fr));gap:2.5rem}"
    ".halves>div{min-width:0}@media print{.halves{display:block}.halves>div{break-before:page}}"
)


#: Each language's name in itself, as language switchers write it (never translated).
AUTONYMS = {"en": "English", "fr": "Français"}


def _half(html: str, prefix: str) -> str:
    """One language's body as a half of the page: its ``id`` values prefixed so that both
    halves' stay unique, its sections no longer landmarks (the two halves would name the same
    ones twice: a bid, "Provenance"), its ``<main>`` a plain block inside the page's. Vendor
    text is escaped (no ``"`` or ``<`` in it), so only the page's own markup matches."""
    html = re.sub(r'<section aria-labelledby="[^"]*">', "<section>", html)
    html = html.replace(' id="', f' id="{prefix}-')
    return html.replace("<main>", "<div>").replace("</main>", "</div>")


def render_languages(reports: list[tuple[str, Report]], options: RenderOptions) -> str:
    """One page holding the same run in several languages (``--lang fr,en``), the first the
    page's own: each half is the report of a run in its language, inside an element that
    declares it, side by side where the screen is wide enough, one after the other elsewhere.
    A list of links at the top goes to each half: no script, and every half reads on its own
    (a screen reader switches voice with ``lang``)."""
    first = reports[0][0]
    titles = []
    links = []
    halves = []
    for language, report in reports:
        tag = i18n.tag(language)
        with i18n.using(language):
            titles.append(_("Conformance report — ocp-check"))
            links.append(
                f'<li><a href="#{tag}" lang="{tag}" hreflang="{tag}">{esc(AUTONYMS.get(language, language))}</a></li>'
            )
            body = _half("\n".join(_body(report, options)), tag)
        name = esc(AUTONYMS.get(language, language))
        halves.append(f'<section id="{tag}" lang="{tag}" aria-label="{name}">\n{body}\n</section>')
    page = _page(
        " / ".join(dict.fromkeys(titles)),
        [
            f'<nav aria-label="{esc(_("Languages"))}"><ul>{"".join(links)}</ul></nav>',
            "<main>",
            '<div class="halves">',
            *halves,
            "</div>",
            "</main>",
        ],
        lang=i18n.tag(first),
    )
    return page.replace("<body>", '<body class="languages">', 1).replace(
        "</style>", _HALVES_CSS + "</style>", 1
    )


def render_matrix_page(matrix: Matrix) -> str:
    """The bids-side-by-side page of ``ocp-check compare``, in the report's look."""
    head = "".join(f'<th scope="col">{esc(c.name)}</th>' for c in matrix.columns)
    body = [
        "<header><h1>" + esc(_("Bids side by side")) + "</h1></header>",
        "<main>",
        "<table><caption>"
        + esc(_("Verdict per bid"))
        + "</caption><thead><tr>"
        + _th(_("Bid"), _("Verdict"), _("Errors"), _("Warnings"), _("Waived"), _("Versions"))
        + "</tr></thead><tbody>",
    ]
    for c in matrix.columns:
        versions = ", ".join(f"{k}@{v}" for k, v in sorted(c.versions.items()))
        good = c.verdict == "conformant"
        badge = _badge(
            "pass" if good else "fail",
            pgettext("verdict", "conformant") if good else pgettext("verdict", "nonconformant"),
        )
        body.append(
            f'<tr><th scope="row">{esc(c.name)}</th><td>{badge}</td><td>{esc(_plain(c.counts["error"]))}</td>'
            f"<td>{esc(_plain(c.counts['warning']))}</td><td>{esc(_plain(c.counts['waived']))}</td><td>{esc(versions)}</td></tr>"
        )
    body.append("</tbody></table>")
    body.append(
        "<table><caption>"
        + esc(_("Clause × bid"))
        + "</caption><thead><tr>"
        + _th(_("Clause"), _("Requirement"))
        + f"{head}</tr></thead><tbody>"
    )
    for r in matrix.rows:
        cells = "".join(
            f'<td>{_badge(s)}<br><span class="meta">{esc(_level_words(lv))}</span></td>'
            for s, lv in zip(r.cells, r.levels, strict=False)
        )
        body.append(
            f'<tr><th scope="row">{esc(r.clause)}<br><span class="meta">{esc(r.standard)}</span></th><td>{esc(r.title)}</td>{cells}</tr>'
        )
    body.append("</tbody></table>")
    body.extend(_legend())
    body.append("</main>")
    return _page(_("Bids side by side — ocp-check"), body)
