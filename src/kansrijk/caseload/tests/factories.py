"""factory_boy factories for the accounts and caseload models, shared by the test suites.

Usage::

    muni = MunicipalityFactory()
    team = TeamFactory(municipality=muni)
    km = UserFactory(role=Role.KLANTMANAGER, municipalities=[muni], teams=[team])
    client = ClientFactory(municipality=muni, team=team, client_manager=km)
    spell = BenefitSpellFactory(client=client)          # running spell; municipality follows the client
    ended = BenefitSpellFactory(client=client, ended=True)
"""

from __future__ import annotations

import datetime

import factory
from factory.django import DjangoModelFactory

from kansrijk.accounts.models import Municipality, Team, User
from kansrijk.accounts.roles import Role
from kansrijk.caseload.models import BenefitSpell, CauseCode, Client, ImportRun, Sex, search_name_for


class MunicipalityFactory(DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("cbs_code",)

    cbs_code = factory.Sequence(lambda n: f"{9000 - (n % 9000):04d}")
    name = factory.Sequence(lambda n: f"Gemeente {n}")


class TeamFactory(DjangoModelFactory):
    class Meta:
        model = Team

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(DjangoModelFactory):
    """A user with a role (default klantmanager). ``municipalities`` and ``teams`` take lists.

    The password is ``password`` unless given; ``User.objects.create_user`` semantics via ``set_password``.
    """

    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"gebruiker{n}")
    first_name = factory.Sequence(lambda n: f"Voornaam{n}")
    last_name = "Tester"
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    role = Role.KLANTMANAGER
    is_active = True

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or "password")
        if create:
            obj.save(update_fields=["password"])

    @factory.post_generation
    def municipalities(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.municipalities.set(extracted)

    @factory.post_generation
    def teams(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.teams.set(extracted)


class KlantmanagerFactory(UserFactory):
    role = Role.KLANTMANAGER


class TeamleiderFactory(UserFactory):
    role = Role.TEAMLEIDER


class BeheerderFactory(UserFactory):
    role = Role.BEHEERDER


class ImportRunFactory(DjangoModelFactory):
    class Meta:
        model = ImportRun

    municipality = factory.SubFactory(MunicipalityFactory)
    source = "cli"
    filename = "export.csv"
    sha256 = "0" * 64
    status = ImportRun.Status.IMPORTED


class ClientFactory(DjangoModelFactory):
    class Meta:
        model = Client

    municipality = factory.SubFactory(MunicipalityFactory)
    client_number = factory.Sequence(lambda n: f"{100000 + n}")
    given_names = factory.Sequence(lambda n: f"Voornaam{n}")
    family_name = factory.Sequence(lambda n: f"Achternaam{n}")
    birth_year = 1980
    sex = Sex.VROUW
    household = "Alleenstaande"
    dossier_number = factory.LazyAttribute(lambda o: f"D{o.client_number}")
    search_name = factory.LazyAttribute(lambda o: search_name_for(o.family_name, o.given_names))


def _cause():
    return CauseCode.objects.order_by("code").first()


class BenefitSpellFactory(DjangoModelFactory):
    """A benefit spell. Running by default; ``ended=True`` gives it an end date a year after its start."""

    class Meta:
        model = BenefitSpell

    class Params:
        ended = factory.Trait(end_date=factory.LazyAttribute(
            lambda o: o.original_start + datetime.timedelta(days=365)))

    client = factory.SubFactory(ClientFactory)
    municipality = factory.LazyAttribute(lambda o: o.client.municipality)
    original_start = datetime.date(2018, 1, 1)
    end_date = None
    first_period_start = factory.LazyAttribute(lambda o: o.original_start)
    last_period_start = factory.LazyAttribute(lambda o: o.first_period_start)
    period_count = 1
    group_code = "ALG"
    household = factory.LazyAttribute(lambda o: o.client.household)
    cause = factory.LazyFunction(_cause)
