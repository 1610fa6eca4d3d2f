"""Benchmark helpers: time a subject and its baseline in the same run and report the ratio.

Timings are interleaved (subject, baseline, subject, …) so that machine noise hits both sides
alike; the ratio of medians is what a benchmark is judged by, never an absolute time.
"""

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
