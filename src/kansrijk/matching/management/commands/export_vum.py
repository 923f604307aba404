from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from kansrijk.accounts import roles
from kansrijk.accounts.models import Municipality, User
from kansrijk.matching.vum import documents, services
from kansrijk.matching.vum.schemas import KINDS, WERKZOEKENDEN


class Command(BaseCommand):
    help = ("Schrijft de open vacatures of de werkzoekendenprofielen (alleen van cliënten die toestemming gaven) van "
            "een gemeente weg als VUM-document. Elk item wordt eerst tegen de standaard gecontroleerd; klopt er één "
            "niet, dan wordt er niets geschreven. Zonder --out gaat de JSON naar de standaarduitvoer.")

    def add_arguments(self, parser):
        parser.add_argument("--soort", choices=KINDS, required=True)
        parser.add_argument("--out", help="Bestand om naar te schrijven.")
        parser.add_argument("--gemeente", help="CBS-code van de gemeente; standaard de eigen gemeente "
                                               "(KANSRIJK_GEMEENTE).")
        parser.add_argument("--gebruiker", help="Gebruikersnaam van wie exporteert (verplicht voor werkzoekenden: "
                                                "elke uitgevoerde cliënt krijgt een inzage op diens naam).")

    def handle(self, *args, soort, out=None, gemeente=None, gebruiker=None, **options):
        code = gemeente or settings.KANSRIJK_DEFAULT_GEMEENTE
        municipality = Municipality.objects.filter(cbs_code=code).first()
        if municipality is None:
            raise CommandError(f"Gemeente {code} bestaat niet in deze installatie.")
        try:
            if soort == WERKZOEKENDEN:
                user = _exporting_user(gebruiker, municipality)
                document = services.export_profiles(municipality=municipality, user=user)
            else:
                document = services.export_vacancies(municipality=municipality)
        except services.VumExportError as error:
            raise CommandError(f"De export voldoet niet aan de standaard; er is niets geschreven. {error}") from error
        text = documents.dumps(document)
        if not out:
            self.stdout.write(text)
            return
        Path(out).write_text(text + "\n", encoding="utf-8")
        self.stderr.write(f"{len(document[soort])} {soort} geschreven naar {out}.")


def _exporting_user(username, municipality) -> User:
    if not username:
        raise CommandError("Geef met --gebruiker op wie de werkzoekenden exporteert: elke export legt per cliënt een "
                           "inzage vast.")
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"Gebruiker '{username}' bestaat niet of is niet actief.")
    if not user.has_role(roles.EXPORTS_PROFILES):
        raise CommandError(f"Gebruiker '{username}' mag met deze rol geen werkzoekendenprofielen exporteren.")
    if not user.municipalities.filter(pk=municipality.pk).exists():
        raise CommandError(f"Gebruiker '{username}' werkt niet voor gemeente {municipality.cbs_code}.")
    return user
