import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from kansrijk.accounts import roles
from kansrijk.accounts.models import User
from kansrijk.inview.selectors import worklist


class Command(BaseCommand):
    help = "Toont de werklijst van een gebruiker: de cliënten die nu aandacht nodig hebben, met de redenen."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--json", action="store_true", help="Machineleesbare uitvoer.")
        parser.add_argument("--team", type=int, help="Alleen dit team (voor een teamleider).")
        parser.add_argument("--datum", help="Peildatum JJJJ-MM-DD (standaard vandaag).")

    def handle(self, *args, username, json=False, team=None, datum=None, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"Gebruiker '{username}' bestaat niet of is niet actief.")
        if not user.has_role(roles.HAS_WORKLIST):
            raise CommandError(f"Gebruiker '{username}' heeft met deze rol geen werklijst.")
        try:
            today = date.fromisoformat(datum) if datum else None
        except ValueError as error:
            raise CommandError("Geef de datum als JJJJ-MM-DD.") from error
        items = worklist(user, team_id=team, today=today)
        managers = {u.pk: u.username for u in User.objects.filter(pk__in={i.client_manager_id for i in items})}
        rows = [{"client_number": item.client_number, "name": item.name,
                 "client_manager": managers.get(item.client_manager_id), "urgency": item.urgency,
                 "reasons": [{"code": r["code"], "text": str(r["text"]), "days": r["days"]} for r in item.reasons]}
                for item in items]
        if json:
            self.stdout.write(_dumps(rows))
            return
        for row in rows:
            self.stdout.write(f"{row['client_number']}  {row['name']}")
            for reason in row["reasons"]:
                self.stdout.write(f"    - {reason['text']}")
        self.stdout.write(f"{len(rows)} cliënten vragen aandacht.")


def _dumps(data):
    return json.dumps(data, ensure_ascii=False)
