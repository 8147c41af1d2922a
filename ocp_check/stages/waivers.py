"""Waivers: accepted deviations mark the findings they cover, before the clause statuses.

City waivers (``--waivers``, the profile) are tried first, then the vendor's waivers files
found in the bid folder (loaded with the documents). A waived finding stays in every report,
marked with its waiver; an expired waiver leaves it active; a vendor waiver that matches
nothing, and a vendor waivers file that cannot be used, are findings. Folded findings are
waived like the others. How often each city waiver matched comes back in the task result.
"""

from __future__ import annotations

from ocp_check import waivers as governed
from ocp_check.i18n import _
from ocp_check.model import Finding
from ocp_check.stages import findings
from ocp_check.stages.context import Submission
from ocp_check.waivers import Waiver


def run(sub: Submission) -> Submission:
    vendor: list[Waiver] = []
    problems: list[Finding] = []
    for loaded in sub.vendor_waivers:
        if loaded.document is None:
            err = loaded.error
            problems.append(
                findings.waivers_problem(
                    loaded.rel,
                    _(
                        "the vendor waivers file cannot be read: {reason}",
                        reason=err.message if err else _("unknown error"),
                    ),
                    line=err.line if err else None,
                    column=err.column if err else None,
                )
            )
            continue
        items, issues = governed.load_vendor_waivers(loaded.document)
        vendor.extend(items)
        problems.extend(findings.waivers_problem(loaded.rel, i.message, pointer=i.pointer) for i in issues)
    city = sub.run.city_waivers()
    everything = [*city, *vendor]
    if not everything:
        return sub.found(problems)
    profile = sub.run.settings.profile
    city_evaluation = bool(profile and profile.city_evaluation)
    today = sub.run.today
    shown, usage = governed.apply(
        sub.findings, everything, submission=sub.task.name, city_evaluation=city_evaluation, today=today
    )
    folded, usage_folded = governed.apply(
        sub.folded, everything, submission=sub.task.name, city_evaluation=city_evaluation, today=today
    )
    for key, count in usage_folded.items():
        usage[key] = usage.get(key, 0) + count
    unused = [findings.unused_waiver(w.id, w.source, w.source_pointer) for w in vendor if usage.get(w.key, 0) == 0]
    city_usage = {w.key: usage.get(w.key, 0) for w in city}
    judged = sub.with_states(shown, folded, waiver_usage=city_usage, consulted_today=True)
    return judged.found([*problems, *unused])
