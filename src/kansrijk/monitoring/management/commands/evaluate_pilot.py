"""``kansrijk evaluate_pilot PILOT_ID [--json]``: run a pilot's evaluation (matched comparison group, effects with
95% intervals) and print the aggregates; suppressed numbers are null in the JSON and <10 in the text."""

import json as jsonlib

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import override

from kansrijk.monitoring.pilots import analysis, presentation, services
from kansrijk.monitoring.pilots.models import Pilot


class Command(BaseCommand):
    help = "Evalueer een pilot: gematchte vergelijkingsgroep, effect op uitstroom en trede met 95%-interval."

    def add_arguments(self, parser):
        parser.add_argument("pilot_id", type=int)
        parser.add_argument("--json", action="store_true", help="Machineleesbare uitvoer.")

    def handle(self, *args, pilot_id: int, json: bool = False, **options):
        pilot = Pilot.objects.select_related("approach").filter(pk=pilot_id).first()
        if pilot is None:
            raise CommandError(f"Pilot {pilot_id} bestaat niet.")
        try:
            evaluation = services.evaluate_pilot(pilot=pilot)
        except analysis.EvaluationError as error:
            raise CommandError(str(error)) from error
        with override("nl"):
            results = presentation.as_api(evaluation.results)
            if json:
                self.stdout.write(jsonlib.dumps({"pilot": pilot.pk, "evaluatie": evaluation.pk, **results},
                                                ensure_ascii=False))
                return
            self.stdout.write(f"Pilot {pilot.name} ({pilot.approach.name}), start {pilot.starts_on:%d-%m-%Y}.")
            groups = results["groepen"]
            self.stdout.write(f"Gematchte paren: {groups['paren']}; deelnemers met uitkering bij de start: "
                              f"{_shown(groups['deelnemers'])}; mogelijke vergelijkingspersonen: "
                              f"{_shown(groups['kandidaten'])}. Grootste SMD voor/na: {results['max_smd_voor']} / "
                              f"{results['max_smd_na']}.")
            for key in ("uitstroom", "uitstroom_werk", "trede"):
                self.stdout.write(presentation.effect_sentence(key, results["effecten"][key]))
            self.stdout.write(results["effectladder"]["tekst"])
            self.stdout.write("Kanttekeningen:")
            for caveat in results["kanttekeningen"]:
                self.stdout.write(f"- {caveat['tekst']}")


def _shown(value):
    return "<10" if value is None else value
