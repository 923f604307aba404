import json

from django.core.management.base import BaseCommand, CommandError

from kansrijk.catalogue.services import load_shipped_catalogue


class Command(BaseCommand):
    help = ("Laadt de meegeleverde catalogus (aanpakken, instrumenten, initiatieven en werkzame elementen uit de "
            "onderzoeksbronnen). Opnieuw uitvoeren is veilig: alleen wijzigingen worden opgeslagen.")

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Samenvatting als JSON.")

    def handle(self, *args, json: bool = False, **options):
        summary = load_shipped_catalogue()
        if not summary.ok:
            for problem in summary.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"De catalogusinhoud bevat {len(summary.problems)} fout(en); er is niets geladen.")
        if json:
            self.stdout.write(_json(summary.as_dict()))
        else:
            self.stdout.write(
                f"Catalogus geladen: {summary.created} nieuw, {summary.updated} gewijzigd, "
                f"{summary.unchanged} ongewijzigd, {summary.retired} uit de catalogus gehaald.")


def _json(data):
    return json.dumps(data, ensure_ascii=False, sort_keys=True)
