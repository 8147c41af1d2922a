"""``ocp-check verify``: re-run the check a report records and compare the whole report.

A report is only worth filing if a city can confirm, later, that it was produced from exactly
the submitted files with exactly the standard versions and options it names. Comparing the
hashes alone is not enough: a report with one finding edited and every hash kept must fail.
So ``verify`` re-runs the check with the recorded options (and the recorded "today") and
compares the complete canonical JSON, then explains every difference in plain terms: a
changed input, a different standard version or content, an edited finding, verdict or
clause status.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ocp_check import i18n
from ocp_check.errors import UsageError
from ocp_check.i18n import N_, _, ngettext
from ocp_check.loader import Limits
from ocp_check.model import MAX_FINDINGS_CAP, FindingCaps
from ocp_check.settings import Options


@dataclass(frozen=True)
class Recorded:
    """The parts of a recorded report that a re-run needs."""

    data: dict[str, Any]
    paths: tuple[str, ...]
    standards: tuple[str, ...]
    profile: str | None
    waivers: tuple[str, ...]
    root: str | None
    snippets: bool
    limits: dict[str, int]
    today: str | None
    caps: FindingCaps = dataclasses.field(default_factory=FindingCaps)
    each: bool = False
    language: str = "en"
    #: ``I/N`` when the report is one part of a sharded run: the re-run judges the same part.
    shard: str | None = None

    def options(self, standards_path: tuple[Path, ...] = ()) -> Options:
        """The recorded run as the options ``settings.build`` takes (the report's own, not the
        project configuration's: it is the whole record of the run)."""
        limits = {**dataclasses.asdict(Limits()), **self.limits}
        return Options(
            paths=self.paths,
            standards=self.standards,
            root=self.root,
            profile=Path(self.profile) if self.profile else None,
            waivers=tuple(Path(p) for p in self.waivers),
            today=self.today,
            snippets=self.snippets,
            standards_path=standards_path,
            max_file_size=limits["max_bytes"],
            max_depth=limits["max_depth"],
            max_nodes=limits["max_nodes"],
            each=self.each,
            max_findings_per_rule=self.caps.per_rule,
            max_findings_per_document=self.caps.per_document,
            language=self.language,
            shard=self.shard,
            recorded=True,
        )


def read_report(text: str, source: str) -> Recorded:
    """Parse a JSON report; a file that is not one is a usage error (exit 2)."""
    try:
        data = json.loads(text)
    except ValueError as err:
        raise UsageError(_("{source}: not a JSON report: {error}", source=source, error=err)) from None
    except RecursionError:  # nesting deeper than the parser can follow; no report is
        raise UsageError(_("{source}: not a JSON report: nested too deeply", source=source)) from None
    if (
        not isinstance(data, dict)
        or data.get("report_format") != "1.0"
        or not isinstance(data.get("options"), dict)
    ):
        raise UsageError(_("{source}: not an ocp-check JSON report (report_format 1.0)", source=source))
    options = data["options"]
    paths = tuple(options.get("paths") or ())
    if not paths:
        raise UsageError(_("{source}: the report does not record the paths it checked", source=source))
    if "-" in paths:
        raise UsageError(_("{source}: input read from standard input cannot be verified", source=source))
    limits = options.get("limits") or {}
    recorded_language = options.get("language", "en")
    language = i18n.parse_language(recorded_language) if isinstance(recorded_language, str) else None
    if language is None:
        raise UsageError(
            _(
                "{source}: the report records a language the tool does not speak: {language}",
                source=source,
                language=repr(recorded_language),
            )
        )
    return Recorded(
        data=data,
        paths=paths,
        standards=tuple(options.get("standards") or ()),
        profile=options.get("profile"),
        waivers=tuple(
            w["path"] if isinstance(w, dict) else str(w) for w in options.get("waivers") or () if w
        ),
        root=options.get("root"),
        snippets=bool(options.get("snippets", True)),
        limits=_trusted_limits(limits),
        today=data.get("today"),
        caps=_recorded_caps(limits),
        each=options.get("each") is True,
        language=language,
        shard=options["shard"] if isinstance(options.get("shard"), str) else None,
    )


def _recorded_caps(recorded: object) -> FindingCaps:
    """The finding caps a report records, each kept between 1 and the largest accepted.

    Unlike the loading limits they are not lowered to the defaults: a report made with a
    larger cap must verify, and the largest accepted cap still bounds the re-run.
    """
    defaults = FindingCaps()
    values = {"per_rule": defaults.per_rule, "per_document": defaults.per_document}
    if isinstance(recorded, dict):
        for key, name in (("max_findings_per_rule", "per_rule"), ("max_findings_per_document", "per_document")):
            value = recorded.get(key)
            if isinstance(value, int) and not isinstance(value, bool):
                values[name] = max(1, min(value, MAX_FINDINGS_CAP))
    return FindingCaps(**values)


def _trusted_limits(recorded: object) -> dict[str, int]:
    """The recorded limits, never above the defaults.

    The report is untrusted input: a report whose limits were edited to 10¹² bytes must not
    make ``verify`` load the alias bomb or the deep file a normal check refuses. A check
    that really ran with raised limits then fails verification, and the difference says why.
    """
    out: dict[str, int] = {}
    if not isinstance(recorded, dict):
        return out
    defaults = Limits()
    for field in dataclasses.fields(Limits):
        value = recorded.get(field.name)
        if isinstance(value, int) and not isinstance(value, bool):
            out[field.name] = max(1, min(value, getattr(defaults, field.name)))
    return out


def _index(items: Iterable[dict[str, Any]], *keys: str) -> dict[tuple[Any, ...], dict[str, Any]]:
    return {tuple(item.get(k) for k in keys): item for item in items}


def _finding_key(f: dict[str, Any]) -> tuple[Any, ...]:
    loc = f.get("location", {})
    return (f.get("rule"), loc.get("file"), loc.get("pointer"))


def _folded_differences(name: str, recorded: dict[str, Any], fresh: dict[str, Any]) -> list[str]:
    """Counts of findings not shown (folded by the caps) that differ, by file, rule and state."""

    def counts(sub: dict[str, Any]) -> dict[tuple[Any, ...], Any]:
        groups = sub.get("folded") or []
        return {
            (g.get("file"), g.get("rule"), g.get("state")): g.get("count")
            for g in groups
            if isinstance(g, dict)
        }

    old, new = counts(recorded), counts(fresh)
    out = []
    for key in sorted(set(old) | set(new), key=str):
        if old.get(key) != new.get(key):
            file, rule, state = key
            out.append(
                _(
                    "submission {name}: {state} findings of {rule} in {file} not shown: {old} in the report, {new} now",
                    name=name,
                    state=state,
                    rule=rule,
                    file=file or _("(submission)"),
                    old=old.get(key, 0),
                    new=new.get(key, 0),
                )
            )
    return out


def differences(recorded: dict[str, Any], fresh: dict[str, Any], limit: int = 50) -> list[str]:
    """Every difference between two canonical reports, most telling first."""
    out: list[str] = []
    if recorded.get("tool") != fresh.get("tool"):
        out.append(
            _(
                "tool version: the report was made by {old}, this is {new}",
                old=recorded.get("tool", {}).get("version"),
                new=fresh.get("tool", {}).get("version"),
            )
        )
    old_inputs = _index(recorded.get("inputs", []), "submission", "path")
    new_inputs = _index(fresh.get("inputs", []), "submission", "path")
    for key in sorted(set(old_inputs) | set(new_inputs), key=str):
        a, b = old_inputs.get(key), new_inputs.get(key)
        name = "/".join(str(k) for k in key)
        if a is None:
            out.append(_("input {name}: not in the report (a file was added)", name=name))
        elif b is None:
            out.append(_("input {name}: missing now (a file was removed or renamed)", name=name))
        elif a.get("sha256") != b.get("sha256"):
            out.append(
                _(
                    "input {name}: changed (sha256 {old}… now {new}…)",
                    name=name,
                    old=str(a.get("sha256"))[:12],
                    new=str(b.get("sha256"))[:12],
                )
            )
    old_std = _index(recorded.get("standards", []), "id")
    new_std = _index(fresh.get("standards", []), "id")
    for key in sorted(set(old_std) | set(new_std), key=str):
        a, b = old_std.get(key), new_std.get(key)
        if a is None or b is None:
            said = N_("standard {id}: used by this run only") if a is None else N_("standard {id}: used by the report only")
            out.append(_(said, id=key[0]))
        elif a.get("version") != b.get("version"):
            out.append(
                _(
                    "standard {id}: version {old} in the report, {new} now",
                    id=key[0],
                    old=a.get("version"),
                    new=b.get("version"),
                )
            )
        elif a.get("sha256") != b.get("sha256"):
            out.append(
                _(
                    "standard {id}@{version}: its content differs from the one the report used",
                    id=key[0],
                    version=a.get("version"),
                )
            )
    if recorded.get("profile") != fresh.get("profile"):
        out.append(_("profile: differs (path, content or hash)"))
    if recorded.get("verdict") != fresh.get("verdict"):
        out.append(
            _(
                "verdict: the report says {old}, the files give {new}",
                old=recorded.get("verdict"),
                new=fresh.get("verdict"),
            )
        )
    old_subs = _index(recorded.get("submissions", []), "name")
    new_subs = _index(fresh.get("submissions", []), "name")
    for key in sorted(set(old_subs) | set(new_subs), key=str):
        a, b = old_subs.get(key), new_subs.get(key)
        if a is None or b is None:
            said = (
                N_("submission {name}: only in the re-run") if a is None else N_("submission {name}: only in the report")
            )
            out.append(_(said, name=key[0]))
            continue
        if a.get("verdict") != b.get("verdict"):
            out.append(
                _(
                    "submission {name}: verdict {old} in the report, {new} now",
                    name=key[0],
                    old=a.get("verdict"),
                    new=b.get("verdict"),
                )
            )
        old_c = _index(a.get("clauses", []), "standard", "clause")
        new_c = _index(b.get("clauses", []), "standard", "clause")
        for ckey in sorted(set(old_c) | set(new_c), key=str):
            ca, cb = old_c.get(ckey), new_c.get(ckey)
            if ca != cb:
                sa = ca.get("status") if ca else _("absent")
                sb = cb.get("status") if cb else _("absent")
                said = (
                    _(
                        "submission {name}: clause {clause} ({standard}): status {old} in the report, {new} now",
                        name=key[0],
                        clause=ckey[1],
                        standard=ckey[0],
                        old=sa,
                        new=sb,
                    )
                    if sa != sb
                    else _(
                        "submission {name}: clause {clause} ({standard}): details differ",
                        name=key[0],
                        clause=ckey[1],
                        standard=ckey[0],
                    )
                )
                out.append(said)
        old_f: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
        for f in a.get("findings", []):
            old_f.setdefault(_finding_key(f), []).append(f)
        new_f: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
        for f in b.get("findings", []):
            new_f.setdefault(_finding_key(f), []).append(f)
        out.extend(_folded_differences(key[0], a, b))
        for fkey in sorted(set(old_f) | set(new_f), key=str):
            fa, fb = old_f.get(fkey, []), new_f.get(fkey, [])
            where = f"{fkey[1]}#{fkey[2]}" if fkey[2] else str(fkey[1])
            if len(fa) != len(fb):
                out.append(
                    _(
                        "submission {name}: finding {rule} at {where}: {old} in the report, {new} now",
                        name=key[0],
                        rule=fkey[0],
                        where=where,
                        old=len(fa),
                        new=len(fb),
                    )
                )
            elif fa != fb:
                fields = sorted(
                    {k for x, y in zip(fa, fb, strict=False) for k in set(x) | set(y) if x.get(k) != y.get(k)}
                )
                out.append(
                    _(
                        "submission {name}: finding {rule} at {where} was edited ({fields})",
                        name=key[0],
                        rule=fkey[0],
                        where=where,
                        fields=", ".join(fields),
                    )
                )
    if not out and recorded != fresh:
        out.append(_("the report differs from a fresh run in other fields (counts, options or layout)"))
    more = len(out) - limit
    return out[:limit] + (
        [ngettext("… and {count} more differences", "… and {count} more differences", more)] if more > 0 else []
    )


def pinned_differences(report: dict[str, Any], pins: Iterable[str]) -> list[str]:
    """Standards a report records with content other than a pin says (``ID@VER#sha256:…``).

    A report whose standards differ from the ones the city pinned is refused before any
    re-run: it was not judged by the text the city relies on.
    """
    from ocp_check.standards import split_pin

    recorded = [
        (f"{s.get('id')}@{s.get('version')}", str(s.get("sha256")))
        for s in report.get("standards", [])
        if isinstance(s, dict)
    ]
    problems = []
    for text in pins:
        ref, pin = split_pin(text)
        if pin is None:
            continue
        sid, _sep, version = ref.partition("@")
        for name, digest in recorded:
            rid, _sep, rversion = name.partition("@")
            same = rid == sid and (not version or rversion == version or rversion.startswith(version + "."))
            if same and digest != pin:
                problems.append(
                    _(
                        "{name} was used with content sha256:{digest}; the pin {pin_text} says sha256:{pin}",
                        name=name,
                        digest=digest,
                        pin_text=text,
                        pin=pin,
                    )
                )
    return problems
