"""``kansrijk matching_list [--week 2026-W07] [--gemeente 0363] [--json]``: the weekly matching list for the meeting
of the employer team and the client managers (Steenwijkerland model), as the operator sees it: candidates by their
anonymous code only, since the command runs without a user and so without anyone who may know who they are."""

import json as jsonlib

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from kansrijk.accounts.models import Municipality
from kansrijk.matching.employers.selectors import anonymous_list, parse_week


class Command(BaseCommand):
    help = ("De matchlijst van een week: open vacatures (nieuwe eerst) met de best passende werkzoekenden, anoniem "
            "(alleen kandidaatcodes en factoren).")

    def add_arguments(self, parser):
        parser.add_argument("--week", default="", help="ISO-week, bijvoorbeeld 2026-W07; standaard deze week.")
        parser.add_argument("--gemeente", default="", help="CBS-code van de gemeente; standaard de demogemeente.")
        parser.add_argument("--json", action="store_true", help="Machineleesbare uitvoer.")

    def handle(self, *args, week: str, gemeente: str, json: bool, **options):
        parsed = parse_week(week)
        if parsed is None:
            raise CommandError("Kies een week als 2026-W07 (jaar, W, weeknummer).")
        code = gemeente or settings.KANSRIJK_DEFAULT_GEMEENTE
        municipality = Municipality.objects.filter(cbs_code=code).first()
        if municipality is None:
            raise CommandError(f"Gemeente {code} bestaat niet.")
        result = anonymous_list(municipality.pk, *parsed)
        if json:
            self.stdout.write(jsonlib.dumps({
                "week": result.label, "gemeente": municipality.cbs_code,
                "vacancies": [{"vacancy": item.vacancy.pk, "title": item.vacancy.title,
                               "employer": item.vacancy.employer.name, "new": item.new,
                               "candidates": [{"code": row.code, "score": row.match.score,
                                               "reasons": [f.text for f in row.match.reasons],
                                               "to_ask": [f.text for f in row.match.to_ask]}
                                              for row in item.candidates]}
                              for item in result.vacancies]}, ensure_ascii=False))
            return
        self.stdout.write(f"Matchlijst {result.label} – {municipality.name} ({result.monday:%d-%m-%Y} t/m "
                          f"{result.sunday:%d-%m-%Y}): {len(result.vacancies)} open vacatures")
        for item in result.vacancies:
            new = " [nieuw]" if item.new else ""
            self.stdout.write(f"\n{item.vacancy.title} – {item.vacancy.employer.name}{new}")
            if not item.candidates:
                self.stdout.write("  geen passende kandidaten")
            for row in item.candidates:
                self.stdout.write(f"  {row.code}  {row.match.score:>3} punten  "
                                  + "; ".join(f.text for f in row.match.reasons))
