"""Demo data: two municipalities, teams, one login per role and a synthetic caseload imported the real way.

The caseload goes through ``import_caseload`` so the demo shows what an actual import produces. Assignment to teams
and client managers is done set-wise (``core.bulk.update_rows``); that bypasses the audit trail's save signals, which is
intended here: the demo's starting state is not a change anyone made.
"""

import csv
import io
import random
import time

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q

from kansrijk.accounts.models import Municipality, Region, RolePolicy, Team, User
from kansrijk.accounts.roles import Role
from kansrijk.caseload.models import Client, ClientSpecialCategories, MigrationBackground
from kansrijk.caseload.services import import_caseload
from kansrijk.caseload.synthetic import HEADER, generate_rows
from kansrijk.catalogue.models import Approach, LocalOffer
from kansrijk.catalogue.services import load_shipped_catalogue
from kansrijk.catalogue.vocabulary import Kind, Status
from kansrijk.core.bulk import update_rows

# The demo is meant to be tried at once; it is no place for real data, so a shared, published password is accepted
# and set without the password validators on purpose. It is hashed once and the hash reused for every demo user:
# hashing it forty times took most of the command's run time.
DEMO_PASSWORD = "kansrijk-demo"
MAIN_NAME = "Voorbeeldstad"
SECOND_CODE, SECOND_NAME = "9998", "Buurdorp"
MAIN_TEAMS = ["Team Noord", "Team Zuid", "Team Centrum", "Team Activering"]
SECOND_TEAM = "Team Buurdorp"
ADMIN_GROUP = "Functioneel beheer"
MANAGERS_PER_5000 = 40
MIN_MANAGERS_PER_TEAM = 4
UNASSIGNED_SHARE = 0.03
SPECIAL_CATEGORY_SHARE = 0.30

HEALTH_TEXTS = [
    "Rugklachten; beperkt belastbaar",
    "Psychische klachten, in behandeling bij GGZ",
    "Chronische vermoeidheid; maximaal 16 uur per week belastbaar",
    "Diabetes type 2, stabiel",
    "Knieklachten na ongeval; geen staand werk",
    "Depressieve klachten, huisarts en POH-GGZ betrokken",
    "Angstklachten; begeleiding door wijkteam",
    "Astma; geen stoffige werkomgeving",
    "Licht verstandelijke beperking (indicatie), begeleiding gewenst",
    "Hartklachten, onder controle cardioloog",
]
ADDICTION_TEXTS = [
    "Alcoholgebruik; in contact met verslavingszorg",
    "Cannabisgebruik dagelijks; wil minderen",
    "Gokproblematiek in het verleden, nu stabiel",
]
# Rough shares for the bijstand population (CBS: about half has a non-western migration background).
MIGRATION_BACKGROUNDS = [
    (MigrationBackground.NEDERLANDS, 0.42),
    (MigrationBackground.NIET_WESTERS, 0.46),
    (MigrationBackground.WESTERS, 0.09),
    (MigrationBackground.ONBEKEND, 0.03),
]

# username: (role, team name or None)
DEMO_USERS = {
    "klantmanager": (Role.KLANTMANAGER, "Team Noord"),
    "teamleider": (Role.TEAMLEIDER, "Team Noord"),
    "beleidsmedewerker": (Role.BELEIDSMEDEWERKER, None),
    "aanbieder": (Role.AANBIEDER, None),
    "werkgeversdienstverlener": (Role.WERKGEVERSDIENSTVERLENER, None),
    "wijkteammedewerker": (Role.WIJKTEAMMEDEWERKER, "Team Noord"),
    "beheerder": (Role.BEHEERDER, None),
}
DEMO_NAMES = {
    "klantmanager": ("Karin", "Klantmanager"), "teamleider": ("Tom", "Teamleider"),
    "beleidsmedewerker": ("Bea", "Beleid"), "aanbieder": ("Ahmed", "Aanbieder"),
    "werkgeversdienstverlener": ("Wendy", "Werkgever"), "wijkteammedewerker": ("Wim", "Wijkteam"),
    "beheerder": ("Bert", "Beheer"),
}


class Command(BaseCommand):
    help = ("Laad demogegevens: gemeenten Voorbeeldstad en Buurdorp, teams, een demo-login per rol en een "
            "synthetische caseload via de gewone import. Opnieuw uitvoeren is veilig.")

    def add_arguments(self, parser):
        parser.add_argument("--clients", type=int, default=5000, help="Aantal cliënten in Voorbeeldstad.")
        parser.add_argument("--seed", type=int, default=0, help="Startwaarde voor de synthetische gegevens.")

    def handle(self, *args, clients, seed, **options):
        if clients < 1:
            raise CommandError("--clients moet minstens 1 zijn.")
        started = time.perf_counter()
        self.password_hash = make_password(DEMO_PASSWORD)
        main, _ = Municipality.objects.get_or_create(cbs_code=settings.KANSRIJK_DEFAULT_GEMEENTE,
                                                     defaults={"name": MAIN_NAME})
        second, _ = Municipality.objects.get_or_create(cbs_code=SECOND_CODE, defaults={"name": SECOND_NAME})
        teams = {name: Team.objects.get_or_create(municipality=main, name=name)[0] for name in MAIN_TEAMS}
        second_team = Team.objects.get_or_create(municipality=second, name=SECOND_TEAM)[0]

        admin_group = self._admin_group()
        users = self._demo_users(main, second, teams, admin_group)
        managers = self._client_managers(main, teams, users["klantmanager"], clients)
        # One labour-market region of both municipalities, granted to the analyst and the administrator.
        region, _ = Region.objects.get_or_create(code="DEMO", defaults={"name": "Regio Voorbeeldstad"})
        region.municipalities.set([main, second])
        for username in ("beleidsmedewerker", "beheerder"):
            users[username].regions.add(region)
        second_manager = self._user("km-buurdorp", Role.KLANTMANAGER, [second], [second_team],
                                    ("Bram", "Buurdorp"))
        RolePolicy.objects.bulk_create([RolePolicy(role=role) for role in Role.values], ignore_conflicts=True)
        RolePolicy.objects.update(otp_required=False)

        if Client.objects.filter(municipality=main).exists():
            self.stdout.write(f"{main.name} heeft al cliënten; de caseload wordt niet opnieuw aangemaakt.")
        else:
            self._load_caseload(main, clients, seed, users["beheerder"], managers, "demo-voorbeeldstad.csv")
        if not Client.objects.filter(municipality=second).exists():
            self._load_caseload(second, max(20, clients // 25), seed + 1, users["beheerder"],
                                [(second_manager, second_team)], "demo-buurdorp.csv")
        self._load_histories(main, users["teamleider"], seed)

        self._load_catalogue(main, users["beheerder"])
        self._load_employers(main, seed)
        self._load_trajectories(main, users["aanbieder"], seed)
        self._load_pilot(main, users["beleidsmedewerker"], seed)
        self._print_logins(users, managers, second_manager, second_team)
        self.stdout.write("")
        self.stdout.write(self.style.WARNING(
            "Tweestapsverificatie staat in deze demo UIT voor alle rollen. Zet haar aan per rol in /beheer/ "
            "(Rolbeleid → 'tweestapsverificatie verplicht'), log in als 'beheerder'."))
        self.stdout.write(f"Start de server met 'kansrijk runserver' en open http://127.0.0.1:8000 "
                          f"({time.perf_counter() - started:.1f} s).")

    # --- catalogue -----------------------------------------------------------------------------------------------

    def _load_catalogue(self, municipality, admin) -> None:
        """The national catalogue plus a demo menukaart: the statutory instruments and the promising approaches of
        seed 000 are offered in Voorbeeldstad, so "offered locally" has something to show."""
        summary = load_shipped_catalogue()
        if not summary.ok:
            raise CommandError("De meegeleverde catalogus is ongeldig; voer 'kansrijk load_catalogue' uit voor details.")
        offered = Approach.objects.current().filter(owner__isnull=True).filter(
            Q(kind=Kind.INSTRUMENT, srg_category__gt="") | Q(effect_level__isnull=False) | Q(status=Status.STAAND_BELEID)
        )
        existing = set(LocalOffer.objects.filter(municipality=municipality).values_list("approach_id", flat=True))
        LocalOffer.objects.bulk_create(
            LocalOffer(municipality=municipality, approach=approach, capacity=approach.capacity,
                       contact_person="Team Werk, Voorbeeldstad", updated_by=admin)
            for approach in offered if approach.pk not in existing
        )
        self.stdout.write(f"Catalogus: {Approach.objects.current().count()} aanpakken, waarvan "
                          f"{LocalOffer.objects.filter(municipality=municipality, active=True).count()} lokaal "
                          f"aangeboden in {municipality.name}.")

    # --- employers and vacancies -------------------------------------------------------------------------------

    def _load_employers(self, municipality, seed) -> None:
        from kansrijk.matching.employers.synthetic import write_demo_employers

        written = write_demo_employers(municipality, seed=seed)
        if written is None:
            self.stdout.write(f"{municipality.name} heeft al werkgevers; die worden niet opnieuw gemaakt.")
            return
        self.stdout.write(f"{municipality.name}: {written['employers']} werkgevers, {written['vacancies']} "
                          f"vacatures, {written['profiles']} werkzoekendenprofielen, {written['consents']} "
                          f"toestemmingen, {written['placements']} plaatsingen en {written['proposals']} voorstellen.")

    # --- diagnosis and contact histories ------------------------------------------------------------------------

    def _load_histories(self, municipality, lead, seed) -> None:
        """Heemskerk's sub-steps, contact rhythms and Steenwijkerland's client groups, then synthetic ladder, ZRM,
        intake and contact histories and a review campaign of the team lead's team (``inview.synthetic``); skipped
        when the municipality has histories already."""
        from kansrijk.inview import synthetic
        from kansrijk.trajectories.synthetic import write_demo_plans

        synthetic.configure_demo(municipality)
        written = synthetic.write_histories(municipality, seed=seed)
        if written is None:
            self.stdout.write(f"{municipality.name} heeft al metingen of contacten; die worden niet opnieuw gemaakt.")
            return
        self.stdout.write(f"{municipality.name}: {written['ladder']} tredemetingen, {written['zrm']} ZRM's, "
                          f"{written['intakes']} keukentafelgesprekken en {written['contacts']} contacten aangemaakt.")
        plans = write_demo_plans(municipality, seed=seed)
        self.stdout.write(f"{municipality.name}: {plans} versies van plannen van aanpak aangemaakt.")
        campaign = synthetic.write_demo_campaign(municipality, lead, seed=seed)
        if campaign is not None:
            self.stdout.write(f"{municipality.name}: doorlichting '{campaign.name}' met "
                              f"{campaign.invitations.count()} cliënten.")

    def _load_trajectories(self, municipality, provider_user, seed) -> None:
        """Demo providers (the demo 'aanbieder' works for the first) and five years of referrals, trajectories,
        aftercare and draaideur flags (``trajectories.synthetic``)."""
        from kansrijk.trajectories.synthetic import write_demo_trajectories

        written = write_demo_trajectories(municipality, seed=seed, provider_user=provider_user)
        if written is None:
            self.stdout.write(f"{municipality.name} heeft al verwijzingen; die worden niet opnieuw gemaakt.")
            return
        self.stdout.write(f"{municipality.name}: {written['referrals']} verwijzingen (waarvan {written['open']} "
                          f"wachten op terugmelding), {written['trajectories']} trajecten, {written['aftercare']} "
                          f"nazorgtaken en {written['returns']} keer terug in de uitkering.")

    def _load_pilot(self, municipality, analyst, seed) -> None:
        """An FIP-like pilot with about 300 participants and a built-in modest effect (``monitoring.pilots.synthetic``),
        to be evaluated on the pilot page."""
        from kansrijk.monitoring.pilots.synthetic import write_demo_pilot

        written = write_demo_pilot(municipality, by=analyst, seed=seed)
        if written is None:
            return
        self.stdout.write(f"{municipality.name}: pilot '{written['pilot'].name}' met {written['participants']} "
                          f"deelnemers (evalueer hem op /analyse/pilots/{written['pilot'].pk}/).")

    # --- users ---------------------------------------------------------------------------------------------------

    def _admin_group(self) -> Group:
        group, _ = Group.objects.get_or_create(name=ADMIN_GROUP)
        # Besides users and code lists: the ladder's local sub-steps, the client groups and the contact rhythms.
        configuration = (Q(content_type__app_label="diagnosis", content_type__model="ladderstep")
                         | Q(content_type__app_label="inview",
                             content_type__model__in=["segmentation", "segment", "contactrhythmrule"])
                         | Q(content_type__app_label="trajectories",
                             content_type__model__in=["provider", "providermember"]))
        group.permissions.set(Permission.objects.filter(
            Q(content_type__app_label__in=["accounts", "caseload"]) | configuration))
        return group

    def _user(self, username, role, municipalities, teams, names, **extra) -> User:
        user, _ = User.objects.get_or_create(username=username, defaults={"role": role})
        user.role = role
        user.first_name, user.last_name = names
        user.email = f"{username}@voorbeeldstad.example"
        user.is_active = True
        for key, value in extra.items():
            setattr(user, key, value)
        user.password = self.password_hash
        user.save()
        user.municipalities.set(municipalities)
        user.teams.set(teams)
        return user

    def _demo_users(self, main, second, teams, admin_group) -> dict[str, User]:
        users = {}
        for username, (role, team) in DEMO_USERS.items():
            extra = {}
            municipalities = [main]
            if role == Role.BEHEERDER:
                # Staff for the /beheer/ admin, with model permissions through the group rather than superuser.
                extra = {"is_staff": True, "is_superuser": False}
                municipalities = [main, second]
            elif role == Role.AANBIEDER:
                extra = {"organisation": "Re-integratiebureau De Brug"}
            users[username] = self._user(username, role, municipalities, [teams[team]] if team else [],
                                         DEMO_NAMES[username], **extra)
        users["beheerder"].groups.add(admin_group)
        return users

    def _client_managers(self, main, teams, demo_manager, clients) -> list[tuple[User, Team]]:
        """The demo client manager plus km01… spread over the teams, round-robin."""
        team_list = [teams[name] for name in MAIN_TEAMS]
        count = max(MIN_MANAGERS_PER_TEAM * len(team_list), round(clients * MANAGERS_PER_5000 / 5000))
        managers = [(demo_manager, teams["Team Noord"])]
        for number in range(1, count):
            team = team_list[number % len(team_list)]
            user = self._user(f"km{number:02d}", Role.KLANTMANAGER, [main], [team],
                              ("Klantmanager", f"{number:02d}"))
            managers.append((user, team))
        return managers

    # --- caseload ------------------------------------------------------------------------------------------------

    def _load_caseload(self, municipality, clients, seed, by, managers, filename) -> None:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(HEADER)
        writer.writerows(generate_rows(clients, seed))
        result = import_caseload(data=buffer.getvalue().encode("utf-8"), municipality=municipality,
                                 filename=filename, user=by, source="cli")
        if result.errors or result.status != "imported":
            first = result.errors[0].message if result.errors else result.status
            raise CommandError(f"De demo-import voor {municipality.name} is mislukt: {first}")
        self.stdout.write(f"{municipality.name}: {result.summary['clients']} cliënten en "
                          f"{result.summary['spells']} uitkeringen geïmporteerd.")
        with transaction.atomic():
            self._assign(municipality, managers, seed)
            self._special_categories(municipality, seed)

    def _assign(self, municipality, managers, seed) -> None:
        rng = random.Random(seed)
        ids = list(Client.objects.filter(municipality=municipality).order_by("id").values_list("id", flat=True))
        # A few clients stay without a team, the state a team lead has to resolve.
        assigned = [pk for pk in ids if rng.random() >= UNASSIGNED_SHARE]
        update_rows(Client, ["team", "client_manager"], [
            (team.pk, manager.pk, pk)
            for index, (manager, team) in enumerate(managers) for pk in assigned[index::len(managers)]
        ])

    def _special_categories(self, municipality, seed) -> None:
        rng = random.Random(seed + 7)
        backgrounds = [b for b, _ in MIGRATION_BACKGROUNDS]
        weights = [w for _, w in MIGRATION_BACKGROUNDS]
        ids = Client.objects.filter(municipality=municipality, special_categories__isnull=True).order_by("id") \
            .values_list("id", flat=True)
        records = []
        for pk in ids:
            if rng.random() >= SPECIAL_CATEGORY_SHARE:
                continue
            records.append(ClientSpecialCategories(
                client_id=pk,
                health=rng.choice(HEALTH_TEXTS) if rng.random() < 0.7 else "",
                addiction=rng.choice(ADDICTION_TEXTS) if rng.random() < 0.15 else "",
                migration_background=rng.choices(backgrounds, weights)[0],
            ))
        ClientSpecialCategories.objects.bulk_create(records, batch_size=2000)

    # --- output --------------------------------------------------------------------------------------------------

    def _print_logins(self, users, managers, second_manager, second_team) -> None:
        rows = [("Gebruikersnaam", "Rol", "Team", "Wachtwoord")]
        for username, user in users.items():
            team = DEMO_USERS[username][1] or ("alle teams (beheer)" if user.role == Role.BEHEERDER else "–")
            rows.append((username, user.get_role_display(), team, DEMO_PASSWORD))
        extra = managers[1:]
        if extra:
            rows.append((f"{extra[0][0].username} … {extra[-1][0].username}", str(Role.KLANTMANAGER.label),
                         "verdeeld over de teams", DEMO_PASSWORD))
        rows.append((second_manager.username, str(Role.KLANTMANAGER.label), f"{second_team.name} ({SECOND_NAME})",
                     DEMO_PASSWORD))
        widths = [max(len(str(r[i])) for r in rows) for i in range(4)]
        self.stdout.write("")
        self.stdout.write("Demo-logins:")
        for index, row in enumerate(rows):
            self.stdout.write("  " + "  ".join(str(v).ljust(w) for v, w in zip(row, widths)))
            if index == 0:
                self.stdout.write("  " + "  ".join("-" * w for w in widths))
