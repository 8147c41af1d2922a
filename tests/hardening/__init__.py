"""The hostile suite: what an attacker, or an unlucky CI job, can do to the tool.

Every test here is marked ``hostile`` (``conftest.py``), runs in the normal ``pytest`` run that
CI makes, and can be run alone with ``pytest -m hostile`` or ``pytest tests/hardening``:

- ``test_hostile_inputs.py``: vendor files (bombs, deep nesting, duplicate keys, tags,
  encodings, forbidden and broken ``$ref``s, long ``$ref`` chains, non-ASCII pointer indices,
  symlinks and FIFOs in a bid, runaway and greedy files, hostile strings in every format,
  broken rule packs);
- ``test_tool_inputs.py``: the tool's own inputs (profiles, waivers, configurations, standard
  input and reports given to ``verify``, with their recorded paths) as FIFOs, devices and
  huge files;
- ``test_outputs.py``: report destinations (replicas of ``/dev/null``, ``/dev/full`` and
  ``/dev/stdout`` made with ``mknod`` in a temporary folder, FIFOs, symlinks, block devices,
  sockets) and CSV cells that hide a formula or a line break;
- ``test_signals.py``: SIGTERM and SIGINT to the command or its process group while workers
  check files, while a report is written and while standard input is read, and SIGKILL;
- ``test_options.py``: NaN, infinities, negatives and out-of-range limits, and ``--max-depth``
  working up to its largest value with every parser;
- ``test_bounded_findings.py``: a manifest of thousands of failing items: caps, verdict,
  waivers on folded findings, every format, ``verify``, megabyte keys.

Time limits in these tests are generous hang guards, not performance assertions; the timing
of each fixed case is in ``bench/limits.py``.
"""
