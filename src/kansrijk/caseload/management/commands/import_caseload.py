import json as jsonlib
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from kansrijk.accounts.models import Municipality
from kansrijk.caseload.importing import write_rejected_csv
from kansrijk.caseload.models import ImportRun
from kansrijk.caseload.services import import_caseload


class Command(BaseCommand):
    help = ("Importeer de caseload-export van het uitkeringssysteem (CSV of XLSX). Atomair: bij één ongeldige "
            "regel wordt niets opgeslagen en eindigt het commando met een foutcode.")

    def add_arguments(self, parser):
        parser.add_argument("path", help="Het exportbestand (CSV met , of ;, UTF-8 of Windows-1252, of XLSX).")
        parser.add_argument("--gemeente", default=None,
                            help="CBS-gemeentecode; standaard de eigen gemeente (KANSRIJK_GEMEENTE).")
        parser.add_argument("--skip-invalid", action="store_true",
                            help="Importeer de geldige regels en schrijf de afgewezen regels naar een CSV.")
        parser.add_argument("--rejected-out", default=None,
                            help="Bestand voor de afgewezen regels (standaard <bestand>.afgewezen.csv).")
        parser.add_argument("--dry-run", action="store_true", help="Alleen controleren, niets opslaan.")
        parser.add_argument("--json", action="store_true", help="Samenvatting als JSON op standaarduitvoer.")

    def handle(self, *args, path, gemeente, skip_invalid, rejected_out, dry_run, json: bool, **options):
        source = Path(path)
        if not source.is_file():
            raise CommandError(f"Bestand niet gevonden: {source}")
        code = gemeente or settings.KANSRIJK_DEFAULT_GEMEENTE
        municipality = Municipality.objects.filter(cbs_code=code).first()
        if municipality is None:
            raise CommandError(f"Gemeente {code} bestaat niet in deze installatie; maak haar aan in /beheer/.")

        bar = tqdm(total=0, unit=" regels", file=sys.stderr, disable=json and not sys.stderr.isatty(),
                   desc="Controleren")

        def progress(step: int) -> None:
            if step < 0:
                bar.total = -step
                bar.refresh()
            else:
                bar.update(step)

        result = import_caseload(data=source.read_bytes(), municipality=municipality, filename=source.name,
                                 source="cli", skip_invalid=skip_invalid, dry_run=dry_run, progress=progress)
        bar.close()

        if skip_invalid and result.parsed is not None and result.parsed.rejected:
            target = Path(rejected_out or f"{source}.afgewezen.csv")
            with target.open("w", encoding="utf-8-sig", newline="") as handle:
                write_rejected_csv(result.parsed, handle)
            self.stderr.write(f"{result.parsed.rejected_count} afgewezen regel(s) geschreven naar {target}")

        summary = {k: result.summary[k] for k in ("rows", "clients", "spells", "created", "updated", "unchanged",
                                                   "rejected")}
        rejected = result.status == ImportRun.Status.REJECTED
        if rejected or (result.errors and not skip_invalid):
            for error in result.errors:
                self.stderr.write(f"regel {error.line}, kolom '{error.column}': {error.message}"
                                  + (f" (waarde: {error.value})" if error.value else ""))
        if json:
            self.stdout.write(jsonlib_dumps({**summary, "status": str(result.status),
                                             "errors": len(result.errors)}))
        else:
            self.stdout.write(
                ("Controle" if dry_run else "Import") + (" afgewezen" if rejected else " geslaagd") + ": "
                + ", ".join(f"{k} {v}" for k, v in summary.items()))
        if rejected:
            raise CommandError(f"{len(result.errors)} fout(en) gevonden; er is niets geïmporteerd.", returncode=1)


def jsonlib_dumps(value) -> str:
    return jsonlib.dumps(value, ensure_ascii=False)
