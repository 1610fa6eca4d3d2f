"""Run every benchmark in bench/bench_*.py and print its ratio against its baseline.

Usage: python bench/run.py [NAME_FILTER]   (make bench)
Each module defines functions named bench_* that return a harness.Result (or a list of them).
Runs against a throwaway test database (SQLite by default, DATABASE_URL for PostgreSQL).
"""

import importlib
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cdht_wagtail.settings.test")


def discover(name_filter):
    for path in sorted((ROOT / "bench").glob("bench_*.py")):
        module = importlib.import_module(f"bench.{path.stem}")
        for attribute in sorted(dir(module)):
            function = getattr(module, attribute)
            # Functions of the module itself: not a benchmark module another one imported.
            if (
                attribute.startswith("bench_")
                and name_filter in attribute
                and getattr(function, "__module__", None) == module.__name__
            ):
                yield function


def run_benchmarks(name_filter=""):
    """Every benchmark whose function name holds `name_filter`, on a throwaway test database;
    their results (harness.Result), in order."""
    import django
    from django.template import Template
    from django.test.utils import (
        _TestState,
        setup_databases,
        setup_test_environment,
        teardown_databases,
    )

    django.setup()
    setup_test_environment()
    # Measure rendering as production does it: the test environment wraps every template render
    # in a signal for assertTemplateUsed, a tax that grows with a page's includes.
    Template._render = _TestState.saved_data.template_render
    databases = setup_databases(verbosity=0, interactive=False)
    results = []
    try:
        for benchmark in discover(name_filter):
            print(f"running {benchmark.__module__}.{benchmark.__name__} …", flush=True)
            outcome = benchmark()
            results.extend(outcome if isinstance(outcome, list) else [outcome])
    finally:
        teardown_databases(databases, verbosity=0)
    return results


def main(argv):
    results = run_benchmarks(argv[1] if len(argv) > 1 else "")
    print()
    print(f"{'benchmark':<48} {'subject ms':>11} {'baseline ms':>12} {'ratio':>7} {'target':>7}")
    for result in results:
        target = f"≤{result.target_ratio:g}×" if result.target_ratio else "-"
        print(
            f"{result.name:<48} {result.subject_seconds * 1000:>11.2f} "
            f"{result.baseline_seconds * 1000:>12.2f} {result.ratio:>6.2f}× {target:>7} "
            f"{result.verdict}"
        )
        if result.note:
            print(f"    {result.note}")
    if not results:
        print("no benchmarks matched")


if __name__ == "__main__":
    main(sys.argv)
