import io
from datetime import date, timedelta

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from pypdf import PdfReader

from kansrijk.audit.models import AccessLog
from kansrijk.privacy import access_request
from kansrijk.privacy.models import AccessRequest, RetentionRule
from kansrijk.privacy.registry import SPECS

from .fill import SECRET_TEXTS, fill, shared


@pytest.fixture
def filled(world):
    common = shared(world)
    fill(world, world.own, common)
    return common


def _post(client, world, **data):
    payload = {"reference": "Z-2026-0042", "received_on": "2026-01-05", "format": "html", **data}
    return client.post(reverse("privacy:access-request-client", args=[world.own.pk]), payload)


def test_the_file_has_a_section_with_records_for_every_model(world, filled):
    file = access_request.client_file(world.own)
    by_key = {section.key: section for section in file.sections}
    for spec in SPECS:
        section = by_key[spec.model._meta.label_lower]
        assert section.records, f"{spec.model._meta.label}: no record in the file"
        assert all(record.fields for record in section.records), spec.model._meta.label
    assert by_key["wijzigingen"].records, "the change history of the client's records"


def test_html_holds_every_record_special_categories_recipients_logic_and_retention(world, filled, login):
    RetentionRule.objects.filter(record_type="client_file").update(active=True)
    response = _post(login(world.users["beheerder"]), world)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "attachment" in response["Content-Disposition"]
    html = response.content.decode()
    for text in SECRET_TEXTS:
        assert text in html, text
    assert "Rugklachten" in html and "Alcohol, in behandeling" in html  # special categories: the client's right
    assert "Niet-westerse migratieachtergrond" in html
    assert "Anna Jansen" in html and "111222333" in html
    assert "De Brug" in html  # the provider the client was referred to: a recipient
    assert "Bakkerij De Korrel" in html  # the employer the client was put forward to
    assert "Past bij trede 3." in html  # the explanation as the client manager saw it (art. 15(1)(h))
    assert "nooit gebruikt" in html
    assert "Cliëntdossier" in html and "84 maanden" in html
    # Who viewed the data: by role, never by a civil servant's name.
    assert "Teamleider" in html
    assert world.users["teamleider"].get_full_name() not in html
    # Never another person's data: the other clients of the world.
    for other in (world.teammate, world.other_team_client):
        assert other.display_name not in html


def test_pdf_prints_the_file(world, filled, login):
    response = _post(login(world.users["beheerder"]), world, format="pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Anna Jansen" in text
    for fragment in ("Notitie-tredemeting", "Gesprek-over-schulden", "Knieklachten-intake", "De Brug"):
        assert fragment in text, fragment


def test_producing_the_file_leaves_the_request_an_access_record_and_a_change_entry(world, filled, login):
    before = AccessLog.objects.filter(client=world.own, view="inzageverzoek").count()
    _post(login(world.users["beheerder"]), world)
    request = AccessRequest.objects.get(reference="Z-2026-0042")
    assert (request.client, request.client_number, request.produced_by) == (world.own, "5001",
                                                                           world.users["beheerder"])
    assert request.received_on == date(2026, 1, 5)
    assert AccessLog.objects.filter(client=world.own, view="inzageverzoek").count() == before + 1
    assert LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(AccessRequest),
                                   object_id=request.pk, action=LogEntry.Action.CREATE).exists()


def test_bad_input_explains_and_writes_nothing(world, login):
    response = _post(login(world.users["beheerder"]), world, reference="", received_on="2999-01-01")
    assert response.status_code == 400
    assert "Controleer het formulier" in response.content.decode()
    assert not AccessRequest.objects.exists()


def test_the_form_proposes_today_in_the_format_a_date_field_can_show(world, login):
    """A browser's date field shows only an ISO date; a localised one would leave it empty and the form refused."""
    from django.utils import timezone

    response = login(world.users["beheerder"]).get(reverse("privacy:access-request-client", args=[world.own.pk]))
    assert f'value="{timezone.localdate().isoformat()}"' in response.content.decode()


def test_search_by_number_or_bsn_within_own_municipality_logs_access(world, login):
    client = login(world.users["beheerder"])
    response = client.get(reverse("privacy:access-request"), {"zoek": "111222333"})
    assert "Anna Jansen" in response.content.decode()
    assert AccessLog.objects.filter(client=world.own, view="inzageverzoek_zoeken").exists()
    # 5001 also exists in the other municipality; the administrator sees only their own.
    response = client.get(reverse("privacy:access-request"), {"zoek": "5001"})
    assert list(response.context["results"]) == [world.own]
    assert client.get(reverse("privacy:access-request-client", args=[world.other_muni_client.pk])).status_code == 404
    # A BSN written without its leading zero is the same BSN.
    world.own.bsn = "012345672"
    world.own.save(update_fields=["bsn"])
    response = client.get(reverse("privacy:access-request"), {"zoek": "12345672"})
    assert list(response.context["results"]) == [world.own]


def test_query_count_does_not_grow_with_the_records(world):
    common = shared(world)
    fill(world, world.own, common)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        access_request.client_file(world.own)
    for days in (101, 102, 103):
        fill(world, world.own, common, on=date.today() - timedelta(days=days))
    with CaptureQueriesContext(connection) as four:
        file = access_request.client_file(world.own)
    assert file.record_count() > 4 * len(SPECS) - 10
    assert len(four) == len(one)
    assert len(one) <= len(SPECS) + 10


def test_api_returns_the_file_and_records_the_request(world, filled, api_login):
    api = api_login(world.users["beheerder"])
    url = reverse("api:client-access-request-export", args=[world.own.pk])
    response = api.post(url, {"reference": "Z-API-1", "received_on": "2026-01-05", "format": "pdf"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert AccessRequest.objects.filter(reference="Z-API-1", format="pdf").exists()
    bad = api.post(url, {"received_on": "gisteren"})
    assert bad.status_code == 400
    assert {p["name"] for p in bad.json()["invalidParams"]} == {"reference", "received_on"}
    assert api.post(reverse("api:client-access-request-export", args=[world.other_muni_client.pk]),
                    {"reference": "x", "received_on": "2026-01-05"}).status_code == 404
    assert api_login(world.users["teamleider"]).post(url, {}).status_code == 403


def test_a_proposals_history_names_the_role_not_the_civil_servant(world, filled):
    """The employer services keep each step of a proposal with the full name of who took it (``history[].by``), for
    their own page; the client's file, which names professionals by role only, must not copy that name, neither from
    the record nor from its change history."""
    from kansrijk.matching.employers.services import _step
    from kansrijk.matching.models import MatchProposal

    manager = world.users["klantmanager"]
    proposal = MatchProposal.objects.get(client=world.own)
    proposal.history = [_step("voorgedragen", manager, proposal.created_at, "Past goed")]
    proposal.save()  # as the services do: the change history records the new history too
    name = manager.get_full_name()
    entries = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(MatchProposal),
                                      object_id=proposal.pk)
    assert name and any(name in str(entry.changes) for entry in entries)

    file = access_request.client_file(world.own)
    rendered = str(file.sections)
    assert name not in rendered
    assert "Klantmanager" in str(next(s for s in file.sections if s.key == "matching.matchproposal").records)
