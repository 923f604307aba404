import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from kansrijk.accounts.models import Municipality, User
from kansrijk.matching.vum import documents, services
from kansrijk.matching.vum.schemas import KINDS


class Command(BaseCommand):
    help = ("Importeert een VUM-document met vacatures of werkzoekendenprofielen: één object, een lijst, of een "
            "envelop met de lijst onder 'vacatures' of 'werkzoekenden'. Atomair: bij één fout wordt niets "
            "opgeslagen, en alle fouten worden met hun plaats genoemd.")

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--soort", choices=KINDS, help="Standaard herkend aan de inhoud.")
        parser.add_argument("--gemeente", help="CBS-code van de gemeente die importeert; standaard de eigen gemeente "
                                               "(KANSRIJK_GEMEENTE).")
        parser.add_argument("--sleutel", choices=services.KEYS, default="pseudoniem",
                            help="Hoe idWerkzoekende de cliënt aanwijst: het pseudoniem uit een export van Kansrijk "
                                 "(standaard) of het cliëntnummer.")
        parser.add_argument("--gebruiker", help="Gebruikersnaam die als wijziger wordt vastgelegd.")
        parser.add_argument("--dry-run", action="store_true", help="Alleen controleren, niets opslaan.")
        parser.add_argument("--json", action="store_true", help="Samenvatting als JSON.")

    def handle(self, *args, path, soort=None, gemeente=None, sleutel="pseudoniem", gebruiker=None, dry_run=False,
               json=False, **options):
        code = gemeente or settings.KANSRIJK_DEFAULT_GEMEENTE
        municipality = Municipality.objects.filter(cbs_code=code).first()
        if municipality is None:
            raise CommandError(f"Gemeente {code} bestaat niet in deze installatie.")
        user = None
        if gebruiker:
            user = User.objects.filter(username=gebruiker, is_active=True).first()
            if user is None:
                raise CommandError(f"Gebruiker '{gebruiker}' bestaat niet of is niet actief.")
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"Bestand {path} bestaat niet.")
        if file.stat().st_size > documents.MAX_BYTES:
            raise CommandError(f"Het bestand is groter dan {documents.MAX_BYTES // (1024 * 1024)} MB.")
        try:
            document = documents.read_document(file.read_bytes(), kind=soort)
        except documents.VumDocumentError as error:
            raise CommandError(str(error)) from error
        summary = services.import_document(document, municipality=municipality, user=user, dry_run=dry_run,
                                           key=sleutel)
        if json:
            self.stdout.write(_dumps(summary.as_dict()))
        for note in summary.notes:
            self.stderr.write(f"Let op: {note}")
        if not summary.ok:
            for problem in summary.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{len(summary.problems)} fout(en) gevonden; er is niets opgeslagen.")
        if not json:
            employers = f", {summary.employers_created} nieuwe werkgever(s)" if summary.kind == "vacatures" else ""
            self.stdout.write(
                f"{'Gecontroleerd' if dry_run else 'Geïmporteerd'} ({summary.kind}): {summary.created} nieuw, "
                f"{summary.updated} gewijzigd, {summary.unchanged} ongewijzigd{employers}.")


def _dumps(data):
    return json.dumps(data, ensure_ascii=False, sort_keys=True)
