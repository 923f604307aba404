import json

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from kansrijk.accounts.models import Municipality, User
from kansrijk.catalogue.models import Approach
from kansrijk.matching.selection import DEFAULT_LIMIT, SelectionCriteria, select_candidates, select_in_municipality

STEPS = {"caseload": "Cliënten met een lopende uitkering", "filtered": "Na de filters",
         "meets_criteria": "Voldoen aan de toelatingscriteria (of nog onbekend)", "shortlist": "Op de shortlist"}


class Command(BaseCommand):
    help = ("Selecteert kandidaten voor een aanpak uit het lokale aanbod, getrapt: de aantallen per stap en de "
            "shortlist op volgorde met de redenen en wat nog na te vragen is.")

    def add_arguments(self, parser):
        parser.add_argument("aanpak", help="Sleutel (slug) van de aanpak.")
        parser.add_argument("--gemeente", help="CBS-gemeentecode; standaard de eigen gemeente (KANSRIJK_GEMEENTE).")
        parser.add_argument("--user", help="Gebruikersnaam van een klantmanager of teamleider (diens caseload); "
                                           "standaard alle cliënten van de gemeente.")
        parser.add_argument("--aantal", type=int, default=DEFAULT_LIMIT, help="Lengte van de shortlist.")
        parser.add_argument("--json", action="store_true", help="Machineleesbare uitvoer.")

    def handle(self, *args, aanpak, gemeente=None, user=None, aantal=DEFAULT_LIMIT, json=False, **options):
        code = gemeente or settings.KANSRIJK_DEFAULT_GEMEENTE
        municipality = Municipality.objects.filter(cbs_code=code).first()
        if municipality is None:
            raise CommandError(f"Gemeente {code} bestaat niet.")
        approach = Approach.objects.filter(slug=aanpak).first()
        if approach is None:
            raise CommandError(f"Aanpak '{aanpak}' bestaat niet.")
        criteria = SelectionCriteria(municipality_id=municipality.pk, approach_id=approach.pk, limit=aantal)
        try:
            if user:
                actor = User.objects.filter(username=user).first()
                if actor is None:
                    raise CommandError(f"Gebruiker '{user}' bestaat niet.")
                result = select_candidates(actor, criteria)
            else:  # the operator's view: every client of the municipality
                result = select_in_municipality(criteria)
        except PermissionDenied as exc:
            raise CommandError(f"Gebruiker '{user}' mag geen kandidaten selecteren.") from exc
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        rows = [{"rank": item.rank, "client_number": item.client.client_number, "score": item.score,
                 "reasons": [r.text for r in item.recommendation.reasons],
                 "to_ask": [r.text for r in item.recommendation.to_ask]} for item in result.shortlist]
        if json:
            self.stdout.write(_dumps({"approach": approach.slug, "gemeente": code, "counts": result.counts,
                                      "offer_unmet": [r.text for r in result.offer_unmet], "shortlist": rows}))
            return
        self.stdout.write(f"{approach.name} in {municipality.name}")
        for reason in result.offer_unmet:
            self.stdout.write(f"! {reason.text}")
        for key, label in STEPS.items():
            self.stdout.write(f"{result.counts[key]:>8}  {label}")
        for row in rows:
            self.stdout.write(f"{row['rank']:>4}. cliënt {row['client_number']}  ({row['score']} punten)")
            for text in row["reasons"]:
                self.stdout.write(f"        + {text}")
            for text in row["to_ask"]:
                self.stdout.write(f"        ? {text}")


def _dumps(data):
    return json.dumps(data, ensure_ascii=False)
