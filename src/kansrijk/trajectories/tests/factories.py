"""Building blocks for the referral and trajectory tests (also used by the authorisation matrix): providers with
their users, an offered approach, a referral of the world's own client and its trajectory."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from kansrijk.accounts.roles import Role
from kansrijk.caseload.tests.factories import BenefitSpellFactory, ClientFactory, UserFactory
from kansrijk.catalogue.models import LocalOffer
from kansrijk.catalogue.tests.factories import approach
from kansrijk.trajectories import services
from kansrijk.trajectories.models import Provider, ProviderMember

TODAY = timezone.localdate()


@dataclass
class Delivery:
    provider: Provider
    other_provider: Provider
    other_provider_user: object
    approach: object
    offer: LocalOffer


def delivery(world) -> Delivery:
    """The world's 'aanbieder' works for De Brug; another provider, with its own user, serves the same
    municipality."""
    provider = Provider.objects.create(name="De Brug", kvk_number="12345678")
    provider.municipalities.add(world.muni)
    ProviderMember.objects.create(provider=provider, user=world.users["aanbieder"])
    other = Provider.objects.create(name="Andere Aanbieder")
    other.municipalities.add(world.muni)
    other_user = UserFactory(username="andere-aanbieder", role=Role.AANBIEDER, municipalities=[world.muni])
    ProviderMember.objects.create(provider=other, user=other_user)
    offered = approach(name="Werkfit", srg_category="participatieplaats")
    offer = LocalOffer.objects.create(municipality=world.muni, approach=offered)
    return Delivery(provider, other, other_user, offered, offer)


def refer(world, setup: Delivery, *, provider=None, client=None, items=("naam",), goals=(), days_ago=30, **extra):
    return services.refer(client=client or world.own, by=world.users["klantmanager"], approach=setup.approach,
                          local_offer=setup.offer, provider=provider or setup.provider,
                          question="Begeleiding naar werk, 24 uur per week.", shared_items=list(items),
                          goal_ids=list(goals), referred_on=TODAY - timedelta(days=days_ago), **extra)


def accepted(world, setup: Delivery, **kwargs):
    referral = refer(world, setup, **kwargs)
    return services.accept_referral(referral=referral, by=world.users["aanbieder"],
                                    accepted_on=referral.referred_on + timedelta(days=2))


def team_client(world, number="5009"):
    """Another client of the world's client manager."""
    client = ClientFactory(municipality=world.muni, team=world.team, client_manager=world.users["klantmanager"],
                           client_number=number)
    BenefitSpellFactory(client=client)
    return client
