"""What the benchmarks share: Django on DATABASE_URL or on a fresh SQLite file, and the p95 they report."""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
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
    return statistics.quantiles(values, n=20)[18] if len(values) >= 2 else values[0]
