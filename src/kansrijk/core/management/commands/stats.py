import json as jsonlib

from django.core.management.base import BaseCommand

from kansrijk.core.stats import collect


class Command(BaseCommand):
    help = "Aantallen van de belangrijkste gegevens (cliënten, uitkeringsperioden, gebruikers, teams …)."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Machineleesbare uitvoer.")

    def handle(self, *args, json: bool = False, **options):
        counts = collect()
        if json:
            self.stdout.write(jsonlib.dumps(counts, sort_keys=True))
        else:
            width = max(len(k) for k in counts)
            for key, value in counts.items():
                self.stdout.write(f"{key.ljust(width)}  {value:>12,}".replace(",", "."))
