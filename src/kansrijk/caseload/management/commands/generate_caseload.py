import sys
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from kansrijk.caseload.synthetic import write_export


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"'{value}' is geen datum; gebruik jjjj-mm-dd.") from exc


class Command(BaseCommand):
    help = ("Maak een synthetische export van het uitkeringssysteem (één regel per uitkeringsperiode, zoals "
            "'Sturen op bijstand') voor demo's, tests en benchmarks. Geen echte personen.")

    def add_arguments(self, parser):
        parser.add_argument("--clients", type=int, required=True, help="Aantal cliënten.")
        parser.add_argument("--out", required=True, help="Doelbestand (.csv of .xlsx).")
        parser.add_argument("--seed", type=int, default=0, help="Startwaarde: dezelfde seed geeft hetzelfde bestand.")
        parser.add_argument("--format", choices=["csv", "xlsx"], default=None,
                            help="Bestandsformaat; standaard volgens de extensie van --out.")
        parser.add_argument("--delimiter", choices=[",", ";"], default=",", help="Scheidingsteken voor CSV.")
        parser.add_argument("--date-style", choices=["iso", "nl"], default="iso",
                            help="Datums in CSV als jjjj-mm-dd (iso) of dd-mm-jjjj (nl). XLSX krijgt echte datums.")
        parser.add_argument("--peildatum", type=_date, default=None,
                            help="Peildatum jjjj-mm-dd: de datum waarop de lopende uitkeringen lopen (standaard "
                                 "vandaag). Leg hem vast voor een reproduceerbaar bestand.")

    def handle(self, *args, clients, out, seed, format, delimiter, date_style, peildatum, **options):
        if clients < 1:
            raise CommandError("--clients moet minstens 1 zijn.")
        path = Path(out)
        fmt = format or path.suffix.lstrip(".").lower() or "csv"
        if fmt not in ("csv", "xlsx"):
            raise CommandError(f"Onbekend formaat '{fmt}'; gebruik .csv of .xlsx of geef --format op.")
        if not path.parent.is_dir():
            raise CommandError(f"De map {path.parent} bestaat niet.")
        with tqdm(total=clients, unit=" cliënten", file=sys.stderr, desc="Genereren") as bar:
            rows = write_export(path, clients, seed, fmt, delimiter, date_style, peildatum, progress=bar.update)
        self.stdout.write(f"{rows} regels voor {clients} cliënten geschreven naar {path}.")
