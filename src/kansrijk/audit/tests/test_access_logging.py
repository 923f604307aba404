"""Every view of a client's personal data leaves an access record; the report flags unusual lookups."""

import pytest
from django.urls import reverse

from kansrijk.audit.models import AccessLog
from kansrijk.audit.selectors import unusual_access
from kansrijk.audit.services import log_access

# Each view of personal data: (how to call it, the view name it must record).
PERSONAL_DATA_VIEWS = [
    (lambda c, w: c.get(reverse("caseload:client-detail", args=[w.own.pk])), "clientpagina"),
    (lambda c, w: c.get(reverse("api:client-detail", args=[w.own.pk])), "api_detail"),
    (lambda c, w: c.get(reverse("caseload:client-export")), "export"),
    (lambda c, w: c.get(reverse("caseload:client-list"), {"q": "jansen"}), "zoeken"),
    (lambda c, w: c.get(reverse("api:client-list"), {"q": "jansen"}), "api_zoeken"),
]


@pytest.mark.parametrize("call,view", PERSONAL_DATA_VIEWS, ids=[v for _, v in PERSONAL_DATA_VIEWS])
def test_every_personal_data_view_is_logged(call, view, world, login):
    client = login(world.users["klantmanager"])
    response = call(client, world)
    assert response.status_code == 200
    record = AccessLog.objects.get(view=view, client=world.own)
    assert record.user == world.users["klantmanager"]
    assert record.client_number == "5001"
    assert record.municipality_id == world.muni.pk
    assert record.outside_caseload is False


def test_viewing_a_teammates_client_is_outside_own_caseload(world, login):
    login(world.users["klantmanager"]).get(reverse("caseload:client-detail", args=[world.teammate.pk]))
    assert AccessLog.objects.get(client=world.teammate).outside_caseload is True


def test_team_lead_viewing_own_team_is_not_outside(world, login):
    login(world.users["teamleider"]).get(reverse("caseload:client-detail", args=[world.teammate.pk]))
    assert AccessLog.objects.get(client=world.teammate).outside_caseload is False


def test_export_logs_every_exported_client(world, login):
    response = login(world.users["teamleider"]).get(reverse("caseload:client-export"))
    exported = response.content.decode("utf-8-sig").strip().splitlines()[1:]
    assert len(exported) == 2
    assert set(AccessLog.objects.filter(view="export").values_list("client_number", flat=True)) == {"5001", "5002"}


def test_unscoped_request_leaves_no_record_and_reveals_nothing(world, login):
    client = login(world.users["klantmanager"])
    assert client.get(reverse("caseload:client-detail", args=[world.other_muni_client.pk])).status_code == 404
    assert client.get(reverse("api:client-detail", args=[world.other_team_client.pk])).status_code == 404
    assert not AccessLog.objects.exists()


def test_browsing_the_list_records_every_shown_client_but_stays_out_of_the_unusual_access_report(world, login):
    """The list is a view of personal data too, recorded as it is (a teammate's client lies outside the client
    manager's own caseload), but not a chosen lookup: the unusual-access report stays about lookups."""
    login(world.users["klantmanager"]).get(reverse("caseload:client-list"))
    login(world.users["klantmanager"]).get(reverse("api:client-list"))
    shown = AccessLog.objects.filter(view__in=["lijst", "api_lijst"])
    assert set(shown.values_list("view", "client_number")) >= {("lijst", "5001"), ("api_lijst", "5001")}
    assert set(shown.filter(outside_caseload=True).values_list("view", "client_number")) == {
        ("lijst", "5002"), ("api_lijst", "5002")}
    assert unusual_access(municipality_ids=[world.muni.pk], minimum=1, factor=0) == []
    # The same client opened on purpose does count.
    login(world.users["klantmanager"]).get(reverse("caseload:client-detail", args=[world.teammate.pk]))
    assert [row.clients_outside for row in unusual_access(municipality_ids=[world.muni.pk], minimum=1, factor=0)] == [1]


def test_administrator_sees_who_viewed_a_client(world, login):
    login(world.users["klantmanager"]).get(reverse("caseload:client-detail", args=[world.own.pk]))
    response = login(world.users["beheerder"]).get(reverse("audit:access-log"), {"clientnummer": "5001"})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 1
    assert "klantmanager" in response.content.decode()
    api = login(world.users["beheerder"]).get(reverse("api:accesslog-list"), {"client_number": "5001"})
    assert api.json()["results"][0]["view"] == "clientpagina"


def test_unusual_access_flags_a_user_far_above_peers(world):
    from kansrijk.caseload.tests.factories import ClientFactory, UserFactory

    snooper = UserFactory(username="nieuwsgierig", municipalities=[world.muni], teams=[world.team])
    normal = [UserFactory(username=f"normaal{i}", municipalities=[world.muni], teams=[world.team]) for i in range(4)]
    clients = ClientFactory.create_batch(40, municipality=world.muni, team=world.team, client_manager=world.colleague)
    for client in clients:
        log_access(user=snooper, client=client, view="clientpagina")
    for user in normal:
        for client in clients[:3]:
            log_access(user=user, client=client, view="clientpagina")
    flagged = unusual_access(municipality_ids=[world.muni.pk], minimum=10)
    assert [row.username for row in flagged] == ["nieuwsgierig"]
    assert flagged[0].clients_outside == 40
    assert "mediaan" in flagged[0].reason
    # The same numbers below the minimum flag nobody.
    assert unusual_access(municipality_ids=[world.muni.pk], minimum=50) == []


def test_unusual_access_is_scoped_to_the_administrators_municipalities(world, login):
    from kansrijk.caseload.tests.factories import ClientFactory

    clients = ClientFactory.create_batch(30, municipality=world.other_muni)
    for client in clients:
        log_access(user=world.colleague, client=client, view="clientpagina")
    assert unusual_access(municipality_ids=[world.muni.pk], minimum=5) == []
    assert len(unusual_access(municipality_ids=[world.other_muni.pk], minimum=5)) == 1
