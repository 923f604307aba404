"""Review finding: the VUM import writes with bulk_create/bulk_update, which django-auditlog does not see; the
import records who changed which profile or vacancy itself, and a dry run or a rejected file records nothing."""

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from kansrijk.matching.models import JobSeekerProfile, Vacancy
from kansrijk.matching.vum import services
from kansrijk.matching.vum.documents import read_document

from .test_vum import as_bytes, job_seeker, vacancy


def entries(model):
    return LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(model))


def test_an_imported_profile_leaves_an_audit_entry_with_the_change_and_who(world):
    admin = world.users["beheerder"]
    profile = job_seeker(world.own, world.users["klantmanager"], summary="Oud")
    LogEntry.objects.all().delete()
    document = [{"idWerkzoekende": "5001", "persoonlijkePresentatie": "Nieuw"},
                {"idWerkzoekende": "5002", "persoonlijkePresentatie": "Ik zoek werk."}]
    summary = services.import_document(read_document(as_bytes(document)), municipality=world.muni, user=admin,
                                       key="clientnummer")
    assert (summary.ok, summary.created, summary.updated) == (True, 1, 1)
    logged = {entry.object_id: entry for entry in entries(JobSeekerProfile)}
    created = JobSeekerProfile.objects.get(client=world.teammate)
    assert set(logged) == {profile.pk, created.pk}
    assert logged[profile.pk].changes == {"summary": ["Oud", "Nieuw"]}
    assert logged[profile.pk].action == LogEntry.Action.UPDATE and logged[created.pk].action == LogEntry.Action.CREATE
    assert {entry.actor for entry in logged.values()} == {admin}


def test_imported_vacancies_leave_audit_entries_and_a_dry_run_none(world):
    user = world.users["werkgeversdienstverlener"]
    existing = vacancy(world, 1, external_id="uwv-17")
    LogEntry.objects.all().delete()
    document = [{"idVacature": "uwv-17", "naamVacature": "Helpende zorg",
                 "werkgever": {"handelsnaamOrganisatie": existing.employer.name}},
                {"idVacature": "uwv-18", "naamVacature": "Kok", "werkgever": {"handelsnaamOrganisatie": "Nieuw BV"}}]
    services.import_document(read_document(as_bytes(document)), municipality=world.muni, user=user, dry_run=True)
    assert not LogEntry.objects.exists()
    services.import_document(read_document(as_bytes(document)), municipality=world.muni, user=user)
    new = Vacancy.objects.get(external_id="uwv-18")
    assert set(entries(Vacancy).values_list("object_id", "action")) == {
        (existing.pk, LogEntry.Action.UPDATE), (new.pk, LogEntry.Action.CREATE)}
    assert entries(Vacancy).get(object_id=existing.pk).changes["title"][1] == "Helpende zorg"
