import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from kansrijk.caseload.models import Client
from kansrijk.matching.selectors import recommendations_for_client


class Command(BaseCommand):
    help = ("Toont de aanbevolen aanpakken voor een cliënt: eerst de mogelijke op volgorde met de redenen, dan de "
            "aanpakken die nu niet kunnen en waarom niet.")

    def add_arguments(self, parser):
        parser.add_argument("clientnummer")
        parser.add_argument("--gemeente", help="CBS-gemeentecode; standaard de eigen gemeente (KANSRIJK_GEMEENTE).")
        parser.add_argument("--json", action="store_true", help="Machineleesbare uitvoer.")

    def handle(self, *args, clientnummer, gemeente=None, json=False, **options):
        code = gemeente or settings.KANSRIJK_DEFAULT_GEMEENTE
        client = Client.objects.filter(client_number=clientnummer, municipality__cbs_code=code).first()
        if client is None:
            raise CommandError(f"Cliënt '{clientnummer}' bestaat niet in gemeente {code}.")
        result = recommendations_for_client(client)
        rows = [rec.explanation() for rec in result.all]
        if json:
            self.stdout.write(_dumps({"client_number": client.client_number, "recommendations": rows}))
            return
        self.stdout.write(f"Mogelijk ({len(result.possible)}):")
        for rec in result.possible:
            level = rec.candidate.effect_level or "–"
            self.stdout.write(f"{rec.rank:>3}. {rec.candidate.name}  ({rec.score} punten, effectladder {level})")
            for reason in rec.reasons:
                self.stdout.write(f"       + {reason.text}")
            for reason in rec.to_ask:
                self.stdout.write(f"       ? {reason.text}")
        self.stdout.write(f"Nu niet ({len(result.not_now)}):")
        for rec in result.not_now:
            self.stdout.write(f"     {rec.candidate.name}")
            for reason in rec.unmet:
                self.stdout.write(f"       - {reason.text}")


def _dumps(data):
    return json.dumps(data, ensure_ascii=False)
