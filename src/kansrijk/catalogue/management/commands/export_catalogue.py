from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kansrijk.accounts.models import Municipality
from kansrijk.catalogue import exchange


class Command(BaseCommand):
    help = ("Schrijft de catalogus weg als JSON of XLSX, met het lokale aanbod van een gemeente. Zonder --out gaat "
            "JSON naar de standaarduitvoer.")

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["json", "xlsx"], default="json", dest="file_format")
        parser.add_argument("--out", help="Bestand om naar te schrijven (verplicht voor xlsx).")
        parser.add_argument("--gemeente", help="CBS-code van de gemeente waarvan het lokale aanbod mee moet.")

    def handle(self, *args, file_format, out=None, gemeente=None, **options):
        municipality = None
        if gemeente:
            municipality = Municipality.objects.filter(cbs_code=gemeente).first()
            if municipality is None:
                raise CommandError(f"Gemeente {gemeente} bestaat niet in deze installatie.")
        if file_format == "xlsx":
            if not out:
                raise CommandError("Geef met --out een bestand op voor XLSX.")
            Path(out).write_bytes(exchange.export_xlsx(municipality=municipality))
        else:
            text = exchange.export_json(municipality=municipality)
            if not out:
                self.stdout.write(text)
                return
            Path(out).write_text(text, encoding="utf-8")
        self.stderr.write(f"Catalogus geschreven naar {out}.")
