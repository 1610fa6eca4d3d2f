"""Issue #22's goals, one row each: the figure, its baseline measured in the same run, the
ratio, the target, and "met" or what limits it.

    bash scripts/with-postgres.sh .venv/bin/python bench/goals.py [--load FILE] [--drill FILE]

Runs the reports' and the province listing's and queue's benchmarks (`bench_reports*`: rows
generated with `generate_load_data`'s generator, BENCH_REPORT_ROWS in the big province). The
public pages under load and the replica drill need their own servers: pass the saved output
of `bench/load_test.py` (`--load`) and of `scripts/replica-drill.py` (`--drill`) and their
rows are read from it; without them the row says how to run them.
"""

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run import run_benchmarks  # noqa: E402

LOAD_COMMAND = "bash scripts/with-postgres.sh .venv/bin/python bench/load_test.py > load.txt"
DRILL_COMMAND = (
    "bash scripts/with-postgres-replica.sh .venv/bin/python scripts/replica-drill.py > drill.txt"
)

# A cached page's row of load_test's table: name, req/s, p50, p99, 5xx, 4xx, × base, hits, verdict.
LOAD_LINE = re.compile(
    r"^(?P<name>.+?)\s+(?P<rps>[\d.]+)\s+[\d.]+\s+(?P<p99>[\d.]+)\s+\d+\s+\d+\s+"
    r"(?P<ratio>[\d.]+)\s+\d+%\s+(?P<verdict>met|NOT MET.*)$"
)


def measured_rows(results):
    for result in results:
        goal = getattr(result, "goal_ms", None)
        limit = getattr(result, "limit", "")
        yield (
            result.name,
            f"{result.subject_seconds * 1000:.1f} ms",
            f"{result.baseline_seconds * 1000:.1f} ms",
            f"{result.ratio:.2f}×",
            f"< {goal} ms" if goal else "-",
            "met" if not limit else f"NOT MET — limited by: {limit}",
        )


def load_rows(path):
    """The cached public pages' rows of a saved load test (its own verdict per row)."""
    if path is None:
        yield (
            "public pages under load (page cache)",
            "-",
            "-",
            "-",
            "≥ 0.5× base, p99 < 50 ms",
            f"not run here: {LOAD_COMMAND}, then --load load.txt",
        )
        return
    for line in Path(path).read_text().splitlines():
        match = LOAD_LINE.match(line.strip())
        if match:
            yield (
                match["name"],
                f"p99 {match['p99']} ms, {match['rps']} req/s",
                "/healthz/ (× base)",
                f"{match['ratio']}×",
                "≥ 0.5× base, p99 < 50 ms",
                match["verdict"],
            )


def drill_row(path):
    target = "reads on the standby; writes and fallback on the primary"
    if path is None:
        return ("replica drill", "-", "-", "-", target, f"not run here: {DRILL_COMMAND}")
    text = Path(path).read_text()
    verdict = "met" if "REPLICA DRILL OK" in text else "NOT MET — see " + str(path)
    return ("replica drill", "-", "-", "-", target, verdict)


def main(argv):
    options = dict(zip(argv[1::2], argv[2::2], strict=False))
    rows = list(measured_rows(run_benchmarks("bench_reports")))
    rows += list(load_rows(options.get("--load")))
    rows.append(drill_row(options.get("--drill")))
    headers = ("goal (issue #22)", "figure", "baseline", "ratio", "target", "status")
    widths = [max(len(str(row[i])) for row in [headers, *rows]) for i in range(5)]
    print()
    for row in [headers, *rows]:
        print(
            "  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=False))
            + "  "
            + row[5]
        )


if __name__ == "__main__":
    main(sys.argv)
