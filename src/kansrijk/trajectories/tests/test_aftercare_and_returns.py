"""After outflow: aftercare from the benefit's end (the caseload import) and from a trajectory; the draaideur flag a
later import sets; both on the worklist and the client page; and the demo's five years of trajectories."""

import io
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from kansrijk.accounts.roles import Role
from kansrijk.caseload.models import Client, ReturnToBenefit
from kansrijk.caseload.services import import_caseload
from kansrijk.caseload.tests.factories import UserFactory
from kansrijk.caseload.tests.test_importing import period, to_csv
from kansrijk.inview import selectors as inview
from kansrijk.inview.selectors import Reason
from kansrijk.trajectories import services
from kansrijk.trajectories.models import AftercareTask, Referral, Trajectory

from .factories import TODAY, accepted, delivery

pytestmark = pytest.mark.django_db


def run_import(rows, muni):
    result = import_caseload(data=to_csv(rows), municipality=muni, filename="export.csv", today=TODAY)
    assert result.status == "imported", result.errors
    return result


def codes_for(items, client_id):
    return [r["code"] for item in items if item.client_id == client_id for r in item.reasons]


def test_a_new_spell_within_two_years_of_the_last_end_is_a_return_to_benefit(world):
    ended = TODAY - timedelta(days=400)
    first = [period(client="7001", start="2019-01-01", end=ended.isoformat()),
             period(client="7002", start="2015-01-01", end="2018-01-31")]
    run_import(first, world.muni)
    assert not ReturnToBenefit.objects.exists()
    back = (TODAY - timedelta(days=20)).replace(day=1)
    result = run_import(first + [period(client="7001", start=back.isoformat()),
                                 period(client="7002", start=back.isoformat())], world.muni)
    assert result.summary["returns_to_benefit"] == 1  # 7002 was gone for years: new inflow, not a revolving door
    flag = ReturnToBenefit.objects.get()
    client = Client.objects.get(client_number="7001", municipality=world.muni)
    assert (flag.client, flag.previous_end, flag.new_spell_start) == (client, ended, back)
    assert flag.months_between in (12, 13) and flag.detected_on == timezone.localdate()
    # Importing the same file again flags nothing new.
    assert run_import(first + [period(client="7001", start=back.isoformat())], world.muni).summary[
        "returns_to_benefit"] == 0
    assert ReturnToBenefit.objects.count() == 1


def test_the_import_that_ends_the_old_spell_and_starts_a_new_one_flags_it_too(world):
    run_import([period(client="7003", start="2024-01-01")], world.muni)
    run_import([period(client="7003", start="2024-01-01", end="2025-03-31"),
                period(client="7003", start="2025-09-01")], world.muni)
    assert ReturnToBenefit.objects.get().months_between == 5


def test_a_benefit_ending_in_the_import_schedules_aftercare_once(world, settings):
    settings.KANSRIJK_NAZORG_MONTHS = (1, 3, 6)
    run_import([period(client="7004", start="2022-01-01"), period(client="7005", start="2022-01-01")], world.muni)
    assert not AftercareTask.objects.exists()
    end = (TODAY - timedelta(days=10)).isoformat()
    rows = [period(client="7004", start="2022-01-01", end=end), period(client="7005", start="2022-01-01")]
    run_import(rows, world.muni)
    client = Client.objects.get(client_number="7004", municipality=world.muni)
    assert list(AftercareTask.objects.values_list("client_id", "months_after")) == [
        (client.pk, 1), (client.pk, 3), (client.pk, 6)]
    run_import(rows, world.muni)  # nothing ends again
    assert AftercareTask.objects.count() == 3


def test_worklist_shows_aftercare_due_after_outflow_and_a_recent_return(world):
    setup = delivery(world)
    trajectory = accepted(world, setup, days_ago=100)
    services.end_trajectory(trajectory=trajectory, by=world.users["aanbieder"], end_on=TODAY - timedelta(days=35),
                            reason="werk_gevonden", result="werk_regulier")
    Client.objects.filter(pk=world.own.pk).update(active_spell_start=None)  # left the benefit
    Client.objects.filter(pk=world.teammate.pk).update(active_spell_start=TODAY - timedelta(days=20))
    ReturnToBenefit.objects.create(client=world.teammate, new_spell_start=TODAY - timedelta(days=20),
                                   previous_end=date(2025, 6, 30), months_between=16, detected_on=TODAY)
    manager = world.users["klantmanager"]
    items = inview.worklist(manager, today=TODAY)
    assert Reason.AFTERCARE in codes_for(items, world.own.pk)
    text = next(r["text"] for i in items if i.client_id == world.own.pk for r in i.reasons)
    assert "Nazorg: contact 1 maanden na de uitstroom" in text
    lead_items = inview.worklist(world.users["teamleider"], today=TODAY)
    assert Reason.RETURN_TO_BENEFIT in codes_for(lead_items, world.teammate.pk)
    assert "terug in de uitkering na 16 maanden" in str(lead_items)
    task = AftercareTask.objects.order_by("due_on").first()
    services.complete_aftercare(task=task, by=manager, outcome="contact")
    assert Reason.AFTERCARE not in codes_for(inview.worklist(manager, today=TODAY), world.own.pk)
    # Old returns leave the worklist.
    assert Reason.RETURN_TO_BENEFIT not in codes_for(
        inview.worklist(world.users["teamleider"], today=TODAY + timedelta(days=90)), world.teammate.pk)


def test_client_page_shows_trajectories_aftercare_and_the_return(world, login):
    setup = delivery(world)
    trajectory = accepted(world, setup, days_ago=100)
    services.end_trajectory(trajectory=trajectory, by=world.users["aanbieder"], end_on=TODAY - timedelta(days=40),
                            reason="werk_gevonden", result="werk_lks")
    ReturnToBenefit.objects.create(client=world.own, new_spell_start=TODAY, previous_end=date(2025, 1, 31),
                                   months_between=21, detected_on=TODAY)
    web = login(world.users["klantmanager"])
    detail = web.get(reverse("caseload:client-detail", args=[world.own.pk])).content.decode()
    assert reverse("trajectories:client-trajectories", args=[world.own.pk]) in detail
    page = web.get(reverse("trajectories:client-trajectories", args=[world.own.pk]))
    text = page.content.decode()
    assert "Werkfit" in text and "21 maanden" in text and "nu aan de beurt" in text
    task = AftercareTask.objects.order_by("due_on").first()
    url = reverse("referrals:aftercare-done", args=[task.pk])
    bad = web.post(url, {f"nazorg-{task.pk}-outcome": "contact_zorg"})
    assert bad.status_code == 400 and "welke zorg" in bad.content.decode()
    assert web.post(url, {f"nazorg-{task.pk}-outcome": "contact"}).status_code == 302
    elsewhere = UserFactory(username="km-zuid", role=Role.KLANTMANAGER, municipalities=[world.muni],
                            teams=[world.other_team])
    assert login(elsewhere).post(url, {f"nazorg-{task.pk}-outcome": "contact"}).status_code == 404


def test_demo_loader_writes_five_years_of_trajectories_for_the_demo_provider():
    call_command("load_demo", "--clients", "300", stdout=io.StringIO())
    trajectories = Trajectory.objects.all()
    assert trajectories.count() > 30
    first = trajectories.order_by("accepted_on").first().accepted_on
    assert (timezone.localdate() - first).days > 3 * 365
    ended = trajectories.filter(status="beeindigd")
    assert ended.filter(end_reason="uitval").exists() and ended.filter(result__startswith="werk").exists()
    assert ended.filter(dropout_reason="").filter(end_reason="uitval").count() == 0
    assert Referral.objects.filter(status="verwezen", provider__members__user__username="aanbieder").exists()
    assert AftercareTask.objects.exists() and ReturnToBenefit.objects.exists()
    # Providers are shared, referrals written once.
    before = Referral.objects.count()
    call_command("load_demo", "--clients", "300", stdout=io.StringIO())
    assert Referral.objects.count() == before
