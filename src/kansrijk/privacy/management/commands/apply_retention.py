"""``kansrijk apply_retention [--dry-run] [--today YYYY-MM-DD]``: apply the retention rules in use (schedule daily)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from kansrijk.privacy.models import RecordType
from kansrijk.privacy.retention import apply_retention


class Command(BaseCommand):
    help = "Anonymise or delete what has passed its retention period (the rules in use, see /beheer/)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count only; change nothing.")
        parser.add_argument("--today", help="The date to apply the periods on (YYYY-MM-DD); default today.")
        parser.add_argument("--batch-size", type=int, default=2000)

    def handle(self, *args, dry_run=False, today=None, batch_size=2000, **options):
        try:
            on = date.fromisoformat(today) if today else None
        except ValueError as exc:
            raise CommandError(f"--today: not a date (YYYY-MM-DD): {today}") from exc
        if batch_size < 1:
            raise CommandError("--batch-size must be positive")
        run = apply_retention(today=on, dry_run=dry_run, batch_size=batch_size)
        labels = dict(RecordType.choices)
        verb = "would change" if dry_run else "changed"
        if not run.counts:
            self.stdout.write("No retention rule is in use.")
        for key, count in run.counts.items():
            self.stdout.write(f"{labels.get(key, key)}: {count} {verb}")
