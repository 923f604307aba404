"""What the benchmarks share: Django on DATABASE_URL or on a fresh SQLite file, an empty database to build in, timing
of repeated calls, and the p95 they report."""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django() -> str | None:
    """Django on DATABASE_URL, or on a fresh SQLite file in a temporary folder (returned, to be removed), migrated."""
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kansrijk.settings")
    folder = None
    if not os.environ.get("DATABASE_URL"):
        folder = tempfile.mkdtemp(prefix="kansrijk-bench-")
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return folder


def p95(values) -> float:
    """The 95th percentile, interpolated between the samples ("inclusive"): never above the slowest one, which the
    default "exclusive" method overshoots with few samples (three large team leads)."""
    return statistics.quantiles(values, n=20, method="inclusive")[18] if len(values) >= 2 else values[0]


def refuse_populated_database() -> None:
    """The benchmarks build their own national-scale caseload; one already there would be mixed into the figures."""
    from kansrijk.caseload.models import Client

    if Client.objects.exists():
        raise SystemExit("De database bevat al cliënten; gebruik een lege database voor de benchmark.")


def timed_ms(run, subjects, repeat: int) -> list[float]:
    """Milliseconds of ``run(subject)`` for every subject, ``repeat`` rounds."""
    times = []
    for _ in range(repeat):
        for subject in subjects:
            started = time.perf_counter()
            run(subject)
            times.append((time.perf_counter() - started) * 1000)
    return times
