"""``--executor dask``: submissions judged on a Dask cluster of two worker processes give the
report of a local run; an unreachable scheduler and a dying worker are handled.

Skipped when ``distributed`` is not installed (it is in the ``test`` extra, so CI, where no
test may skip, runs these).
"""

from __future__ import annotations

import json
import re
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

distributed = pytest.importorskip("distributed")

from ocp_check.catalog import Catalog  # noqa: E402
from ocp_check.dask_executor import DaskExecutor  # noqa: E402
from ocp_check.engine import check  # noqa: E402
from ocp_check.settings import Settings  # noqa: E402
from tests.conftest import REPO, Result  # noqa: E402
from tests.dask_helpers import DOOMED, killing_chunk  # noqa: E402

BIDS = REPO / "examples" / "bids"
# The suite refuses every connection (conftest.no_network); these tests talk to a local
# scheduler on purpose, with the functions saved before the suite replaces them.
_SOCKET = (socket.socket.connect, socket.socket.connect_ex, socket.create_connection, socket.getaddrinfo)


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    import dask

    with dask.config.set({"distributed.scheduler.allowed-failures": 1}):
        # Any free port for the diagnostics server: under pytest-xdist two test processes may
        # each start a cluster, and the second one's warning about port 8787 fails the suite.
        local = distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0", silence_logs=50
        )
        try:
            yield local
        finally:
            local.close()


@pytest.fixture
def network(monkeypatch: pytest.MonkeyPatch) -> None:
    connect, connect_ex, create_connection, getaddrinfo = _SOCKET
    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "create_connection", create_connection)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@pytest.mark.parametrize("each", [False, True], ids=["bids", "each-in-french"])
def test_results_on_the_cluster_are_the_local_ones(
    run: Callable[..., Result], cluster: Any, network: None, each: bool
) -> None:
    """Bids in English; every document in French (the workers speak the run's language)."""
    args = [
        "check",
        str(BIDS),
        "-f",
        "json",
        "--no-cache",
        "--today",
        "2026-12-01",
        *(["--each", "--lang", "fr"] if each else []),
    ]
    local = run(*args)
    remote = run(*args, "--executor", "dask", "--scheduler", cluster.scheduler_address, "--progress")
    assert remote.exit_code == local.exit_code == 1, remote.stderr[-2000:]
    assert remote.stdout == local.stdout
    if each:
        assert json.loads(remote.stdout)["options"]["language"] == "fr"
    # Progress, as locally (in the run's language).
    done = r"([0-9,]+) of \1 submissions checked|([0-9\u00a0\u202f]+) soumissions sur \2 vérifiées"
    assert re.search(done, remote.stderr), remote.stderr


def test_a_bilingual_html_report_on_the_cluster(
    run: Callable[..., Result], cluster: Any, network: None, tmp_path: Path
) -> None:
    """--lang fr,en judges twice with the same settings: each time in the language spoken."""
    args = ["check", str(BIDS / "panoptic-insights"), "--no-cache", "--today", "2026-12-01", "--lang", "fr,en"]
    assert run(*args, "-f", f"html:{tmp_path / 'local.html'}", "-q").exit_code == 1
    remote = run(*args, "-f", f"html:{tmp_path / 'remote.html'}", "-q", "--executor", "dask",
                 "--scheduler", cluster.scheduler_address)  # fmt: skip
    assert remote.exit_code == 1, remote.stderr
    assert (tmp_path / "remote.html").read_bytes() == (tmp_path / "local.html").read_bytes()


def test_the_python_api_takes_a_scheduler(cluster: Any, network: None) -> None:
    import ocp_check

    bid = BIDS / "panoptic-insights"
    local = ocp_check.check(bid, today="2026-12-01", config=False)
    assert ocp_check.check(bid, today="2026-12-01", config=False, scheduler=cluster.scheduler_address) == local
    with distributed.Client(cluster.scheduler_address, set_as_default=False) as client:
        assert ocp_check.check(bid, today="2026-12-01", config=False, scheduler=client) == local
        assert client.status == "running"  # the caller's client is left open


def test_the_same_per_file_budget_applies_on_the_cluster(cluster: Any, network: None, tmp_path: Path) -> None:
    """A file that exhausts the memory budget is a finding on the cluster as it is locally
    (the local run in a fresh process: the budget counts the address space of the process
    that forks the budgeted one, and the test process is much larger than the tool)."""
    import subprocess
    import sys

    bid = tmp_path / "bid"
    bid.mkdir()
    # A flow sequence of a million empty mappings: parsed, it needs far more than 100 MiB.
    (bid / "data-manifest.yaml").write_text("kind: data-manifest\nitems: [" + "{}, " * 1_000_000 + "]\n")
    args = [sys.executable, "-m", "ocp_check", "check", str(bid), "-f", "json", "--no-cache"]
    args += ["--memory-budget", "400", "--max-file-size", str(10**8)]
    local = subprocess.run(args, capture_output=True, text=True, timeout=300)
    remote = subprocess.run(
        [*args, "--executor", "dask", "--scheduler", cluster.scheduler_address],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert remote.returncode == local.returncode == 1, remote.stderr
    assert remote.stdout == local.stdout
    messages = [f["message"] for f in json.loads(local.stdout)["submissions"][0]["findings"]]
    assert any("ran out of memory" in m for m in messages), messages


def test_a_dying_worker_costs_one_submission_an_error_never_the_run(cluster: Any, network: None) -> None:
    settings = Settings(paths=(str(BIDS),), jobs=1)
    local = check([str(BIDS)], settings, Catalog([]))
    with distributed.Client(cluster.scheduler_address, set_as_default=False) as client:
        executor = DaskExecutor(client, retries=1, chunk=3, function=killing_chunk)
        remote = check([str(BIDS)], settings, Catalog([]), executor=executor)
    assert [s.name for s in remote.submissions] == [s.name for s in local.submissions]
    for mine, theirs in zip(remote.submissions, local.submissions, strict=True):
        if mine.name.endswith(DOOMED):
            assert mine.verdict == "nonconformant"
            assert mine.findings and all(
                "Dask cluster could not judge it" in f.message for f in mine.findings if f.rule == "load"
            )
        else:
            assert mine == theirs


def test_an_unreachable_scheduler_is_one_line_naming_it(run: Callable[..., Result], network: None) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    result = run("check", str(BIDS), "--executor", "dask", "--scheduler", address, "--scheduler-timeout", "1")
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and address in lines[0] and "cannot reach the Dask scheduler" in lines[0]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--executor", "dask"], "needs --scheduler"),
        (["--scheduler", "tcp://127.0.0.1:1"], "needs --executor dask"),
        (
            ["--executor", "dask", "--scheduler", "tcp://x:1", "--scheduler-timeout", "0"],
            "--scheduler-timeout",
        ),
    ],
)
def test_executor_options_are_checked(run: Callable[..., Result], args: list[str], message: str) -> None:
    result = run("check", str(BIDS), *args)
    assert result.exit_code == 2 and message in result.stderr
