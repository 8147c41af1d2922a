"""The result cache: a warm run is byte-identical to a fresh one, and nothing stale is served.

Every test names its own cache folder (``--cache-dir``), so the folder the suite sets for the
other tests (``conftest.py``) plays no part.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from ocp_check import cache as cache_module
from ocp_check.cache import DIR_NAME, KEYED, UNKEYED, ResultCache, default_directory
from ocp_check.catalog import Catalog
from ocp_check.engine import check
from ocp_check.render import FORMATS
from ocp_check.settings import Settings
from tests.conftest import EXAMPLE_BID, REPO, Result

EXAMPLES = REPO / "examples"
TODAY = "2026-12-01"


def _entries(folder: Path) -> list[Path]:
    return sorted(folder.glob(f"v{cache_module.FORMAT}/*/*.json"))


def _read_entry(path: Path) -> tuple[dict[str, object], str]:
    """An entry's header and the report text of its submission (the two parts of the file)."""
    head, _sep, body = path.read_text().partition("\n")
    header = json.loads(head)
    assert isinstance(header, dict)
    json.loads(body)  # the text is the submission as JSON
    return header, body


def _damage(change: Callable[[dict[str, object]], object]) -> Callable[[str], str]:
    """Damage the header of an entry's text, keeping its report text."""

    def damaged(text: str) -> str:
        head, _sep, body = text.partition("\n")
        return json.dumps(change(json.loads(head))) + "\n" + body

    return damaged


def _all_formats(run: Callable[..., Result], out: Path, *args: str) -> tuple[int, dict[str, bytes]]:
    out.mkdir(parents=True, exist_ok=True)
    specs = [f"--format={name}:{out / name}" for name in FORMATS]
    result = run("check", *args, *specs, "-q")
    assert result.exit_code in (0, 1), result.stderr
    return result.exit_code, {name: (out / name).read_bytes() for name in FORMATS}


def test_warm_run_is_byte_identical_in_every_format(run: Callable[..., Result], tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    base = (
        "check",
        str(EXAMPLES / "bids"),
        "--today",
        TODAY,
        "--waivers",
        str(EXAMPLES / "waivers/harbourview-city-waivers.yaml"),
    )
    args = (*base[1:], "--cache-dir", str(folder))
    fresh_code, fresh = _all_formats(run, tmp_path / "fresh", *base[1:], "--no-cache")
    assert not folder.exists()
    cold_code, cold = _all_formats(run, tmp_path / "cold", *args)
    entries = _entries(folder)
    assert len(entries) == 8  # one per bid
    stamps = {p: p.stat().st_mtime_ns for p in entries}
    warm_code, warm = _all_formats(run, tmp_path / "warm", *args)
    assert {p: p.stat().st_mtime_ns for p in _entries(folder)} == stamps  # served, not rewritten
    assert fresh_code == cold_code == warm_code == 1
    for name in FORMATS:
        assert cold[name] == fresh[name], name
        assert warm[name] == fresh[name], name


def test_the_cache_is_used(tmp_path: Path) -> None:
    """Through the API: hits and misses are counted, and the second run judges nothing."""
    folder = tmp_path / "cache"
    settings = Settings(paths=(str(EXAMPLES / "bids"),), jobs=0)
    first = ResultCache(folder)
    a = check([str(EXAMPLES / "bids")], settings, Catalog([]), cache=first)
    assert (first.hits, first.misses) == (0, 8)
    second = ResultCache(folder)
    b = check([str(EXAMPLES / "bids")], settings, Catalog([]), cache=second)
    assert (second.hits, second.misses) == (8, 0)
    assert a == b


def _sha(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def _copy_bid(tmp_path: Path) -> Path:
    bid = tmp_path / "bids" / "northwind"
    shutil.copytree(EXAMPLE_BID, bid)
    return bid


def _run_api(folder: Path, path: Path, **options: object) -> tuple[ResultCache, object]:
    settings = Settings(paths=(str(path),), jobs=0, **options)  # type: ignore[arg-type]
    cache = ResultCache(folder)
    return cache, check([str(path)], settings, Catalog([]), cache=cache)


def test_a_changed_file_is_judged_again(tmp_path: Path) -> None:
    bid = _copy_bid(tmp_path)
    folder = tmp_path / "cache"
    _run_api(folder, bid.parent, each=True)
    manifest = bid / "data-manifest.yaml"
    manifest.write_text(
        manifest.read_text().replace("kind: data-manifest", "kind: data-manifest\nbogus_key: 1", 1)
    )
    cache, report = _run_api(folder, bid.parent, each=True)
    assert (cache.misses, cache.hits) == (1, 2)  # manifest, retention policy, API (trip.yaml is its fragment)
    _nocache, fresh = _run_api(tmp_path / "other", bid.parent, each=True)
    assert report == fresh


def test_a_file_reached_by_ref_is_checked_again(tmp_path: Path) -> None:
    """With --each the API description reaches models/trip.yaml, a file of another
    submission: its change (or its removal) must not be served from the cache."""
    bid = _copy_bid(tmp_path)
    folder = tmp_path / "cache"
    _run_api(folder, bid.parent, each=True)
    reads = [_read_entry(p)[0]["result"]["reads"] for p in _entries(folder)]  # type: ignore[index]
    assert [r for r in reads if r] == [[["northwind/models/trip.yaml", _sha(bid / "models" / "trip.yaml")]]]
    trip = bid / "models" / "trip.yaml"
    trip.write_text(trip.read_text() + "\nExtra:\n  type: object\n")
    cache, report = _run_api(folder, bid.parent, each=True)
    assert (cache.misses, cache.hits) == (1, 2)  # the description that reaches it
    _nocache, fresh = _run_api(tmp_path / "other", bid.parent, each=True)
    assert report == fresh


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text[: len(text) // 2],  # truncated
        lambda text: "",  # empty
        lambda text: "\x00\xff not json",
        _damage(lambda h: {**h, "format": 0}),  # another format
        _damage(lambda h: {**h, "key": "0" * 64}),  # another key (a collision)
        _damage(lambda h: {**h, "result": {"inputs": 3}}),  # wrong shape
        _damage(lambda h: {**h, "evaluation": 3}),  # wrong type
        _damage(lambda h: {**h, "clauses": [1, 5]}),  # the clause list is not where it says
        _damage(lambda h: {**h, "clauses": [h["clauses"][0], h["clauses"][1] - 1]}),  # type: ignore[index]
        _damage(lambda h: {**h, "clauses": "all"}),
        lambda text: json.dumps([1, 2, 3]),  # valid JSON, not an entry
        lambda text: text.replace('"verdict"', '"verdikt"', 1),  # the report text changed on disk
        lambda text: text.partition("\n")[0] + "\n",  # the header alone
    ],
    ids=[
        "truncated", "empty", "binary", "format", "key", "shape", "type", "span", "short", "span-type", "foreign",
        "text", "headless",
    ],
)
def test_a_damaged_entry_is_ignored_and_rebuilt(tmp_path: Path, damage: Callable[[str], str]) -> None:
    folder = tmp_path / "cache"
    _cache, fresh = _run_api(folder, EXAMPLES / "bids")
    good = {p: p.read_text() for p in _entries(folder)}
    for path, text in good.items():
        path.write_text(damage(text), errors="surrogateescape")
    cache, report = _run_api(folder, EXAMPLES / "bids")
    assert (cache.hits, cache.misses) == (0, 8)
    assert report == fresh
    assert {p: p.read_text() for p in _entries(folder)} == good  # rewritten whole


def test_a_result_that_consulted_today_serves_only_that_day(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    bid = EXAMPLES / "bids" / "lakeshore-micromobility"
    waivers = EXAMPLES / "waivers" / "harbourview-city-waivers.yaml"
    import datetime

    from ocp_check.profiles import load_city_waivers

    city, hashes = load_city_waivers([waivers])
    options = {"city_waivers": tuple(city), "waiver_files": tuple(hashes)}
    day = datetime.date(2026, 12, 1)
    _first, _ = _run_api(folder, bid, today=day, **options)
    entry, _text = _read_entry(_entries(folder)[0])
    assert entry["today"] == "2026-12-01"
    same, _ = _run_api(folder, bid, today=day, **options)
    assert same.hits == 1
    later, report = _run_api(folder, bid, today=datetime.date(2028, 1, 1), **options)
    assert later.hits == 0
    _nocache, fresh = _run_api(tmp_path / "other", bid, today=datetime.date(2028, 1, 1), **options)
    assert report == fresh


def test_a_result_that_did_not_consult_today_serves_every_day(tmp_path: Path) -> None:
    import datetime

    folder = tmp_path / "cache"
    bid = EXAMPLES / "bids" / "harbourview-sensors"
    _run_api(folder, bid, today=datetime.date(2026, 1, 1))
    entry, _text = _read_entry(_entries(folder)[0])
    if entry["today"] is not None:
        pytest.fail("the example was expected not to consult today")
    again, _ = _run_api(folder, bid, today=datetime.date(2030, 1, 1))
    assert again.hits == 1


def test_every_setting_is_keyed_or_said_not_to_matter() -> None:
    """A new field of Settings must be classified before the cache can be trusted with it."""
    fields = {f.name for f in dataclasses.fields(Settings)}
    assert fields == KEYED | set(UNKEYED), fields ^ (KEYED | set(UNKEYED))
    assert not KEYED & set(UNKEYED)


@pytest.mark.parametrize(
    "change",
    [
        {"snippets": False},
        {"each": True},
        {"standards": ("ocp-data-governance@1.0",)},
        {"narrow": False, "standards": ("ocp-data-governance@1.0",)},
        {"root": str(EXAMPLES)},
    ],
    ids=["snippets", "each", "standards", "narrow", "root"],
)
def test_a_setting_that_changes_results_changes_the_key(tmp_path: Path, change: dict[str, object]) -> None:
    folder = tmp_path / "cache"
    bid = EXAMPLES / "bids" / "panoptic-insights"
    _run_api(folder, bid)
    cache, report = _run_api(folder, bid, **change)
    assert cache.hits == 0
    _nocache, fresh = _run_api(tmp_path / "other", bid, **change)
    assert report == fresh


def test_caps_and_limits_are_keyed(tmp_path: Path) -> None:
    from ocp_check.loader import Limits
    from ocp_check.model import FindingCaps

    folder = tmp_path / "cache"
    bid = EXAMPLES / "bids" / "panoptic-insights"
    _run_api(folder, bid)
    for change in ({"caps": FindingCaps(per_rule=1)}, {"limits": Limits(max_bytes=2000)}):
        cache, report = _run_api(folder, bid, **change)
        assert cache.hits == 0, change
        _nocache, fresh = _run_api(tmp_path / "other", bid, **change)
        assert report == fresh


def test_a_result_cut_by_the_budget_is_not_kept(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    settings = Settings(paths=(str(EXAMPLE_BID),), jobs=0)
    from ocp_check.grouping import group
    from ocp_check.run import Run
    from ocp_check.scan import scan_paths

    (task,) = group(scan_paths([str(EXAMPLE_BID)], None, None)[0])
    cache = ResultCache(folder)
    run = Run(Catalog([]), settings)
    assert cache.key_of(run, dataclasses.replace(task, skipped={"openapi.yaml": "took too long"})) is None
    key = cache.key_of(run, task)
    assert key is not None
    from ocp_check.stages import judge

    result = judge(run, task, lambda label: None)
    cache.store(run, task, key[0], key[1], dataclasses.replace(result, complete=False))
    assert not _entries(folder)
    cache.store(run, task, key[0], key[1], result)
    assert len(_entries(folder)) == 1


def test_verify_never_uses_the_cache(run: Callable[..., Result], tmp_path: Path) -> None:
    """An entry edited in place (its key kept) is served to check, never to verify."""
    folder = tmp_path / "cache"
    bid = EXAMPLES / "bids" / "panoptic-insights"
    report = tmp_path / "report.json"
    first = run("check", str(bid), "--cache-dir", str(folder), "-f", f"json:{report}", "-q")
    assert first.exit_code == 1
    (entry,) = _entries(folder)
    header, body = _read_entry(entry)
    message = json.loads(body)["findings"][0]["message"]
    body = body.replace(json.dumps(message, ensure_ascii=False), '"EDITED IN THE CACHE"', 1)
    header["text"] = hashlib.sha256(body.encode()).hexdigest()  # an edit made to look whole
    entry.write_text(json.dumps(header) + "\n" + body)
    os.environ["OCP_CHECK_CACHE_DIR"] = str(folder)  # restored by the suite's own fixture
    served = run("check", str(bid), "-f", "json", "--no-color")
    assert "EDITED IN THE CACHE" in served.stdout  # check does use it
    verified = run("verify", str(report))
    assert verified.exit_code == 0, verified.stdout + verified.stderr


def test_concurrent_runs_leave_whole_entries(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    cmd = [sys.executable, "-m", "ocp_check", "check", str(EXAMPLES / "bids"), "-f", "json", "-j", "1",
           "--cache-dir", str(folder), "--today", TODAY]  # fmt: skip
    env = {**os.environ, "OCP_CHECK_CACHE_DIR": ""}
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env) for _ in range(3)]
    outs = [p.communicate(timeout=300)[0] for p in procs]
    assert all(p.returncode == 1 for p in procs)
    assert outs[0] == outs[1] == outs[2]
    entries = _entries(folder)
    assert len(entries) == 8
    for path in entries:
        _read_entry(path)
    assert not list(folder.rglob(".tmp-*"))
    again = subprocess.run(cmd, capture_output=True, env=env, timeout=300)
    assert again.stdout == outs[0]


def test_where_the_cache_is(
    tmp_path: Path, run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert default_directory("x", {"OCP_CHECK_CACHE_DIR": "y"}, tmp_path / "z", tmp_path) == Path("x")
    assert default_directory(None, {"OCP_CHECK_CACHE_DIR": "y"}, tmp_path / "z", tmp_path) == Path("y")
    assert default_directory(None, {}, tmp_path / "z", tmp_path) == tmp_path / "z"
    assert default_directory(None, {}, None, tmp_path) == tmp_path / DIR_NAME
    monkeypatch.delenv("OCP_CHECK_CACHE_DIR", raising=False)
    project = tmp_path / "project"
    (project / "sub").mkdir(parents=True)
    monkeypatch.chdir(project / "sub")
    assert run("cache", "dir").stdout == f"{project / 'sub' / DIR_NAME}\n"
    (project / "sub" / ".ocp-check.yaml").write_text("fail_on: error\n")
    assert run("cache", "dir").stdout == f"{project / 'sub' / DIR_NAME}\n"
    (project / "sub" / ".ocp-check.yaml").write_text("cache_dir: ../elsewhere\n")
    assert Path(run("cache", "dir").stdout.strip()).resolve() == (project / "elsewhere").resolve()
    monkeypatch.setenv("OCP_CHECK_CACHE_DIR", str(tmp_path / "env"))
    assert run("cache", "dir").stdout == f"{tmp_path / 'env'}\n"
    assert run("cache", "dir", "--cache-dir", "opt").stdout == "opt\n"


def test_cache_clean(tmp_path: Path, run: Callable[..., Result]) -> None:
    folder = tmp_path / "cache"
    assert run("check", str(EXAMPLE_BID), "--cache-dir", str(folder), "-q", "-f", "json").exit_code == 0
    assert _entries(folder)
    assert (folder / ".gitignore").read_text().splitlines()[-1] == "*"
    cleaned = run("cache", "clean", "--cache-dir", str(folder))
    assert cleaned.exit_code == 0 and not folder.exists()
    assert run("cache", "clean", "--cache-dir", str(folder)).exit_code == 0  # nothing to remove
    # A folder that is not a cache (a mistyped --cache-dir) is never removed.
    precious = tmp_path / "project"
    precious.mkdir()
    (precious / "keep.txt").write_text("x")
    refused = run("cache", "clean", "--cache-dir", str(precious))
    assert refused.exit_code == 2 and "not an ocp-check cache folder" in refused.stderr
    assert (precious / "keep.txt").exists()


def test_no_cache_writes_nothing(tmp_path: Path, run: Callable[..., Result]) -> None:
    folder = tmp_path / "cache"
    assert (
        run("check", str(EXAMPLE_BID), "--cache-dir", str(folder), "--no-cache", "-q", "-f", "json").exit_code
        == 0
    )
    assert not folder.exists()


def test_standard_input_is_not_cached(tmp_path: Path, run: Callable[..., Result]) -> None:
    folder = tmp_path / "cache"
    text = (EXAMPLE_BID / "data-manifest.yaml").read_text()
    assert run("check", "-", "--cache-dir", str(folder), "-f", "json", input=text).exit_code in (0, 1)
    assert not _entries(folder)


def test_two_versions_of_a_standard_are_two_evaluations(run: Callable[..., Result], tmp_path: Path) -> None:
    """Each evaluation of a version delta has settings of its own, and so keys of its own."""
    folder = tmp_path / "cache"
    args = ("check", str(EXAMPLES / "bids" / "panoptic-insights"), "-s", "ocp-data-governance@1.0",
            "-s", "ocp-data-governance@1.1", "-f", "json")  # fmt: skip
    fresh = run(*args, "--no-cache").stdout
    assert run(*args, "--cache-dir", str(folder)).stdout == fresh
    assert len(_entries(folder)) == 2
    assert run(*args, "--cache-dir", str(folder)).stdout == fresh


def test_a_french_run_never_serves_an_english_entry(run: Callable[..., Result], tmp_path: Path) -> None:
    """Messages, titles and reasons are in the run's language: it is part of the key."""
    folder = tmp_path / "cache"
    bid = str(EXAMPLES / "bids" / "panoptic-insights")
    args = ("check", bid, "-f", "json", "--today", TODAY)
    english = run(*args, "--no-cache").stdout
    french = run(*args, "--no-cache", "--lang", "fr").stdout
    assert english != french
    assert run(*args, "--cache-dir", str(folder)).stdout == english
    assert run(*args, "--cache-dir", str(folder), "--lang", "fr").stdout == french
    assert len(_entries(folder)) == 2
    assert run(*args, "--cache-dir", str(folder), "--lang", "fr").stdout == french
    assert run(*args, "--cache-dir", str(folder)).stdout == english


def test_the_python_api_caches_only_when_asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import ocp_check

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("OCP_CHECK_CACHE_DIR", raising=False)
    bids = EXAMPLES / "bids"
    plain = ocp_check.check(bids, today=TODAY, jobs=1, config=False)
    assert not (tmp_path / DIR_NAME).exists()  # a library call writes no files by default
    folder = tmp_path / "kept"
    cold = ocp_check.check(bids, today=TODAY, jobs=1, config=False, cache_dir=folder)
    assert len(_entries(folder)) == 8
    stamps = {p: p.stat().st_mtime_ns for p in _entries(folder)}
    warm = ocp_check.check(bids, today=TODAY, jobs=1, config=False, cache_dir=folder)
    assert {p: p.stat().st_mtime_ns for p in _entries(folder)} == stamps
    assert plain == cold == warm
    ocp_check.check(bids, today=TODAY, jobs=1, config=False, cache=True)
    assert len(_entries(tmp_path / DIR_NAME)) == 8  # where the command line would keep it


def test_a_bilingual_html_report_is_the_same_from_the_cache(run: Callable[..., Result], tmp_path: Path) -> None:
    """--lang fr,en runs the check once per language with the same settings: each language's
    results are kept apart, so neither half is served the other's text."""
    folder = tmp_path / "cache"
    bid = str(EXAMPLES / "bids" / "panoptic-insights")
    pages = {}
    for label, extra in (("fresh", ("--no-cache",)), ("cold", ("--cache-dir", str(folder))), ("warm", ("--cache-dir", str(folder)))):
        page = tmp_path / f"{label}.html"
        result = run("check", bid, "--today", TODAY, "--lang", "fr,en", "-f", f"html:{page}", "-q", *extra)
        assert result.exit_code == 1, result.stderr
        pages[label] = page.read_bytes()
    assert len(_entries(folder)) == 2  # one per language
    assert pages["cold"] == pages["fresh"]
    assert pages["warm"] == pages["fresh"]


def test_a_run_over_two_versions_is_byte_identical_warm(run: Callable[..., Result], tmp_path: Path) -> None:
    """Each version's evaluation labels its submissions; the report text kept for one
    evaluation must not be served to the other's."""
    folder = tmp_path / "cache"
    base = (str(EXAMPLES / "bids"), "--standard", "ocp-data-governance@1.0", "--standard",
            "ocp-data-governance@1.1", "--today", TODAY)  # fmt: skip
    _code, fresh = _all_formats(run, tmp_path / "fresh", *base, "--no-cache")
    _code, cold = _all_formats(run, tmp_path / "cold", *base, "--cache-dir", str(folder))
    _code, warm = _all_formats(run, tmp_path / "warm", *base, "--cache-dir", str(folder))
    assert b'"evaluation"' in fresh["json"]
    for name in FORMATS:
        assert cold[name] == fresh[name], name
        assert warm[name] == fresh[name], name


def _warm_report(tmp_path: Path) -> object:
    folder = tmp_path / "cache"
    _run_api(folder, EXAMPLES / "bids", each=True)
    cache, report = _run_api(folder, EXAMPLES / "bids", each=True)
    assert cache.misses == 0
    return report


def test_a_warm_json_report_copies_the_kept_texts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The JSON report of a warm run is written from the texts the cache kept, without
    encoding any submission again, and equals the report encoded afresh."""
    from ocp_check.model import Report
    from ocp_check.render import RenderOptions
    from ocp_check.render import json as json_render

    report = _warm_report(tmp_path)
    assert isinstance(report, Report)
    assert len(report.json_texts) == len(report.submissions)
    encoded = json_render.render(dataclasses.replace(report, json_texts={}), RenderOptions())

    def refuse(sub: object) -> str:
        raise AssertionError("a submission was encoded again")

    monkeypatch.setattr(json_render, "submission_text", refuse)
    assert json_render.render(report, RenderOptions()) == encoded


def test_a_kept_text_serves_only_its_own_submission(tmp_path: Path) -> None:
    """A submission changed after the cache served it is encoded afresh, and so is one whose
    kept text is gone or changed on disk."""
    from ocp_check.model import Report
    from ocp_check.render import RenderOptions
    from ocp_check.render import json as json_render

    report = _warm_report(tmp_path)
    assert isinstance(report, Report)
    first = report.submissions[0]
    renamed = dataclasses.replace(first, name="renamed after judging")
    changed = dataclasses.replace(report, submissions=(renamed, *report.submissions[1:]))
    text = json_render.render(changed, RenderOptions())
    assert text == json_render.render(dataclasses.replace(changed, json_texts={}), RenderOptions())
    assert '"name": "renamed after judging"' in text
    # The entries change on disk after the lookup (another run, a damaged disk).
    for path in _entries(tmp_path / "cache"):
        path.write_text(path.read_text().replace('"verdict"', '"verdikt"'))
    gone = json_render.render(report, RenderOptions())
    assert "verdikt" not in gone
    assert gone == json_render.render(dataclasses.replace(report, json_texts={}), RenderOptions())


def test_the_library_versions_are_the_installed_ones(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The key names each library's version as importlib.metadata would, read from the
    folder names of the first distribution on the path (a library shadowed earlier on the
    path is the one imported, and the one named)."""
    from importlib import metadata

    versions = cache_module._library_versions.__wrapped__()
    for name, version in versions:
        try:
            assert version == metadata.version(name), name
        except metadata.PackageNotFoundError:
            assert version == "", name
    (tmp_path / "google_re2-9.9.dist-info").mkdir()  # an earlier copy on the path, name escaped
    (tmp_path / "PyYAML-1.0.dist-info").mkdir()  # an older installer's spelling
    (tmp_path / "rich.dist-info").mkdir()  # not a distribution's folder
    monkeypatch.setattr(sys, "path", [str(tmp_path / "missing"), str(tmp_path), *sys.path])
    shadowed = dict(cache_module._library_versions.__wrapped__())
    assert shadowed["google-re2"] == "9.9"
    assert shadowed["PyYAML"] == "1.0"
    assert shadowed["rich"] == dict(versions)["rich"]


def test_a_warm_run_loads_no_standard(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An entry keeps what the report says of the standard versions its result used, so a
    run served wholly from the cache writes the same report without loading any of them."""
    folder = tmp_path / "cache"
    _first, fresh = _run_api(folder, EXAMPLES / "bids")

    def refuse(self: Catalog, *args: object, **kwargs: object) -> object:
        raise AssertionError("a standard was loaded")

    monkeypatch.setattr(Catalog, "load", refuse)
    cache, report = _run_api(folder, EXAMPLES / "bids")
    assert cache.misses == 0
    assert report == fresh
