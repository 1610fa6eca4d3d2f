"""Benchmark helpers: time a subject and its baseline in the same run and report the ratio.

Timings are interleaved (subject, baseline, subject, …) so that machine noise hits both sides
alike; the ratio of medians is what a benchmark is judged by, never an absolute time.
"""

import contextlib
import os
import statistics
import time
from dataclasses import dataclass


@dataclass
class Result:
    name: str
    subject_seconds: float
    baseline_seconds: float
    target_ratio: float | None = None
    note: str = ""

    @property
    def ratio(self):
        return self.subject_seconds / self.baseline_seconds

    @property
    def verdict(self):
        if self.target_ratio is None:
            return ""
        return "ok" if self.ratio <= self.target_ratio else "SLOWER THAN TARGET"


def compare(name, subject, baseline, *, repeat=30, warmup=3, target_ratio=None, note=""):
    """Median time of `subject()` and `baseline()`, measured alternately `repeat` times each."""
    for _ in range(warmup):
        subject()
        baseline()
    subject_times, baseline_times = [], []
    for _ in range(repeat):
        for fn, times in ((subject, subject_times), (baseline, baseline_times)):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
    return Result(
        name,
        statistics.median(subject_times),
        statistics.median(baseline_times),
        target_ratio,
        note,
    )


def compare_bulk_writes(
    name, *, subject, baseline, objects, count, clear, repeat, target_ratio, describe
):
    """Time a writing `subject` against `baseline` (bulk_create of the same `objects`).

    Runs alternate; after each run the written rows are checked with `count()` and removed with
    `clear()`, and the objects are reset so that bulk_create can insert them again. `describe`
    turns the two median times into the printed note.
    """
    subject_times, baseline_times = [], []
    for _ in range(repeat):
        for function, times in ((subject, subject_times), (baseline, baseline_times)):
            for obj in objects:
                obj.pk, obj._state.adding = None, True
            start = time.perf_counter()
            function()
            times.append(time.perf_counter() - start)
            assert count() == len(objects)
            clear()
    subject_seconds = statistics.median(subject_times)
    baseline_seconds = statistics.median(baseline_times)
    note = f"{describe(subject_seconds, baseline_seconds)} {spread(subject_times, baseline_times)}"
    print(note)
    return Result(name, subject_seconds, baseline_seconds, target_ratio, note)


def spread(subject_times, baseline_times):
    """How far the rounds lie apart: each side's fastest and slowest, and the ratio of each
    round (subject over the baseline timed right after it), so that a noisy run shows."""
    ratios = sorted(s / b for s, b in zip(subject_times, baseline_times, strict=True))
    return (
        f"Spread over {len(ratios)} rounds: subject {min(subject_times):.2f}–"
        f"{max(subject_times):.2f} s, baseline {min(baseline_times):.2f}–"
        f"{max(baseline_times):.2f} s, ratio per round {ratios[0]:.2f}–{ratios[-1]:.2f}×."
    )


def free_port():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def gunicorn_server(env, *, ready_path, workers=2, threads=1):
    """gunicorn serving the project on a free loopback port, with `env` added; yields the base
    URL once `ready_path` answers (any HTTP answer counts), and stops the server after."""
    import subprocess
    import sys
    import urllib.error
    import urllib.request
    from pathlib import Path

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "cdht_wagtail.wsgi", "--workers", str(workers),
         "--threads", str(threads), "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=Path(__file__).resolve().parent.parent,
        env={**os.environ, **env},
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _attempt in range(200):
            try:
                urllib.request.urlopen(base + ready_path, timeout=5).read()
                break
            except urllib.error.HTTPError:
                break  # the server answers: ready
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)
