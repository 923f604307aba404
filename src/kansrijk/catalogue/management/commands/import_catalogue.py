import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kansrijk.accounts.models import Municipality
from kansrijk.catalogue import exchange


class Command(BaseCommand):
    help = ("Importeert een catalogusbestand (JSON of XLSX) van een andere gemeente: nieuwe aanpakken worden eigen "
            "aanpakken van de gemeente, het lokale aanbod wordt overgenomen. Atomair: bij één fout wordt niets "
            "opgeslagen.")

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--gemeente", required=True, help="CBS-code van de gemeente die importeert.")
        parser.add_argument("--dry-run", action="store_true", help="Alleen controleren, niets opslaan.")
        parser.add_argument("--json", action="store_true", help="Samenvatting als JSON.")

    def handle(self, *args, path, gemeente, dry_run=False, json=False, **options):
        municipality = Municipality.objects.filter(cbs_code=gemeente).first()
        if municipality is None:
            raise CommandError(f"Gemeente {gemeente} bestaat niet in deze installatie.")
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"Bestand {path} bestaat niet.")
        try:
            parsed = exchange.parse_catalogue_file(file.read_bytes(), file.name)
        except exchange.CatalogueFileError as error:
            raise CommandError(str(error)) from error
        summary = exchange.import_catalogue(parsed, municipality=municipality, by=None, dry_run=dry_run)
        if json:
            self.stdout.write(_dumps({**summary.as_dict(), "dry_run": dry_run}))
        if not summary.ok:
            for problem in summary.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{len(summary.problems)} fout(en) gevonden; er is niets opgeslagen.")
        if not json:
            self.stdout.write(
                f"{'Gecontroleerd' if dry_run else 'Geïmporteerd'}: {summary.created} nieuw, {summary.updated} "
                f"gewijzigd, {summary.unchanged} ongewijzigd, {len(summary.skipped)} bestaand (alleen lokaal aanbod), "
                f"{summary.local_offers} keer lokaal aanbod.")


def _dumps(data):
    return json.dumps(data, ensure_ascii=False, sort_keys=True)
