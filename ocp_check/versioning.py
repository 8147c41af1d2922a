"""The version number a change calls for, and whether a version's number agrees with its changes.

The class of the changes between two versions (``diff.py``) decides the smallest increment
that says it honestly (``docs/standards-governance.md``, "Versioning rules"): breaking
changes need a new major version, additive ones a new minor, editorial ones a new patch.
``standards lock --check`` and the test suite hold every shipped version to it.
"""

from __future__ import annotations

from ocp_check.diff import ADDITIVE, BREAKING, ChangeClass, StandardDiff
from ocp_check.standards import version_key


def expected_version(old_version: str, change_class: ChangeClass | None) -> str:
    """The version number the changes call for after ``old_version`` (Semantic Versioning 2.0.0
    items 6–8): breaking → next major, additive → next minor, editorial → next patch."""
    major, minor, patch = version_key(old_version)
    if change_class is BREAKING:
        return f"{major + 1}.0.0"
    if change_class is ADDITIVE:
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


def version_problem(diff: StandardDiff, declared_should_have_been: str | None = None) -> str | None:
    """Why the new version's number contradicts its changes, or None.

    The number may say more than the changes (a major version for additive changes), never
    less. A number kept despite its changes is accepted only when the version declares it
    (``governance.versioning_note``) with the number the rules call for.
    """
    old_v = diff.old.split("@", 1)[1]
    new_v = diff.new.split("@", 1)[1]
    a, b = version_key(old_v), version_key(new_v)
    expected = expected_version(old_v, diff.change_class)
    if b <= a:
        return f"{diff.new} does not come after {diff.old}"
    if a[0] == 0:
        problem = None  # 0.y.z: anything may change (Semantic Versioning item 4)
    elif b[0] > a[0]:
        problem = None
    elif diff.change_class is BREAKING:
        problem = f"{diff.new} makes breaking changes to {diff.old} in a minor or patch version; the rules call for {expected}"
    elif b[1] == a[1] and diff.change_class is ADDITIVE:
        problem = f"{diff.new} makes additive changes to {diff.old} in a patch version; the rules call for {expected}"
    else:
        problem = None
    if declared_should_have_been is not None:
        if problem is None:
            return f"{diff.new} declares it should have been {declared_should_have_been}, but its number agrees with its changes"
        if declared_should_have_been != expected:
            return f"{diff.new} declares it should have been {declared_should_have_been}; the rules call for {expected}"
        return None
    return problem
