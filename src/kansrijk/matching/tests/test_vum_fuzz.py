"""Property-based tests (hypothesis) of the VUM import (``matching.vum.services.import_document``), on top of the
document-level fuzzing in ``test_vum_documents.py``:

- any item under ``vacatures`` or ``werkzoekenden`` (valid but for a few random fields, or random JSON) is imported or
  refused with problems naming its place, never a crash; a refused file writes nothing;
- any valid set of vacancies round-trips: exported, imported elsewhere with the same values, and a second import of
  the same file changes nothing.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kansrijk.diagnosis.models import Education, LanguageLevel
from kansrijk.matching.models import Employer, JobSeekerProfile, Sector, Vacancy
from kansrijk.matching.vum import codes, services
from kansrijk.matching.vum.documents import VumDocumentError, read_document
from kansrijk.matching.vum.schemas import VACATURES, WERKZOEKENDEN

from .test_vum import VACANCY_FIELDS, vacancy

DB = settings(max_examples=12, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéëŁłŚśĄąİıŞşĞğÇçÖÜابتثجحخدرسعلم"
TEXT = st.builds(lambda first, rest: (first + rest).strip(), st.sampled_from(LETTERS),
                 st.text(alphabet=LETTERS + " ,.-", max_size=40))
JSON = st.recursive(st.none() | st.booleans() | st.integers(-10**12, 10**12) | st.floats(allow_nan=False,
                    allow_infinity=False) | st.text(max_size=10),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner,
                                                                               max_size=3), max_leaves=8)
VACANCY_KEYS = ["idVacature", "naamVacature", "werkgever", "werktijden", "sluitingsDatumVacature",
                "omschrijvingVacature", "beroep", "sector", "mobiliteit", "arbeidsmarktkwalificatie", "x"]
PROFILE_KEYS = ["idWerkzoekende", "bemiddelingsberoep", "sector", "mobiliteit", "flexibiliteit", "werktijden",
                "vervoermiddel", "arbeidsmarktkwalificatie", "x"]


def near_valid(kind: str):
    if kind == VACATURES:
        base = st.builds(lambda n: {"idVacature": f"v-{n}", "naamVacature": "Kok",
                                    "werkgever": {"handelsnaamOrganisatie": "Restaurant Zee"}}, st.integers(0, 5))
        keys = VACANCY_KEYS
    else:
        base = st.just({"idWerkzoekende": "9999-onbekend"})
        keys = PROFILE_KEYS
    return st.builds(lambda item, extra: {**item, **extra}, base,
                     st.dictionaries(st.sampled_from(keys), JSON, max_size=2)) | st.dictionaries(
        st.sampled_from(keys), JSON, max_size=4)


def counts() -> tuple[int, int, int]:
    return Vacancy.objects.count(), Employer.objects.count(), JobSeekerProfile.objects.count()


@DB
@given(kind=st.sampled_from([VACATURES, WERKZOEKENDEN]), data=st.data())
def test_any_item_is_imported_or_refused_with_its_place_and_a_refused_file_writes_nothing(world, kind, data):
    items = data.draw(st.lists(near_valid(kind), min_size=1, max_size=3))
    with transaction.atomic():
        before = counts()
        try:
            document = read_document(json.dumps({kind: items}).encode())
        except VumDocumentError:
            transaction.set_rollback(True)
            return
        summary = services.import_document(document, municipality=world.muni,
                                           user=world.users["werkgeversdienstverlener"])
        if summary.problems:
            assert not summary.ok and counts() == before
            assert all(problem.place.startswith(f"{kind}[") for problem in summary.problems)
        else:
            assert summary.created + summary.updated + summary.unchanged == len(items)
        transaction.set_rollback(True)


VACANCIES = st.lists(st.fixed_dictionaries({
    "title": TEXT, "description": TEXT, "occupation": TEXT, "sector": st.sampled_from(Sector.values),
    "hours_min": st.none() | st.integers(1, 20), "hours_max": st.none() | st.integers(20, 40),
    "postcode": st.sampled_from(["4611AA", "1012AB", ""]), "place": TEXT,
    "education_min": st.sampled_from(["", *Education.values]),
    "dutch_min": st.sampled_from(["", *LanguageLevel.values]),
    "driving_licence_required": st.booleans(), "banenafspraak": st.booleans(),
    "closes_on": st.none() | st.integers(1, 300).map(lambda days: date.today() + timedelta(days=days)),
}), min_size=1, max_size=3)


def through_vum(field: str, value):
    """A value as it comes back through VUM's coarser code lists (``vum/codes.py`` says which comes back): a Dutch
    level as the lowest CEFR level with the same taalbeheersing, a foreign unvalued diploma as unknown."""
    if field == "dutch_min" and value:
        return next(level for level in LanguageLevel.values
                    if codes.TAALBEHEERSING[level] == codes.TAALBEHEERSING[value])
    if field == "education_min" and value == Education.BUITENLAND:
        return ""
    return value


@DB
@given(values=VACANCIES)
def test_any_valid_vacancies_round_trip_and_a_second_import_changes_nothing(world, values):
    with transaction.atomic():
        originals = [vacancy(world, n, **fields) for n, fields in enumerate(values)]
        data = json.dumps(services.export_vacancies(municipality=world.muni), ensure_ascii=False).encode()
        first = services.import_document(read_document(data), municipality=world.other_muni)
        assert first.ok, first.problems
        assert first.created == len(originals)
        for original in originals:
            copy = Vacancy.objects.get(municipality=world.other_muni, external_id=f"kansrijk-9999-{original.pk}")
            assert {f: getattr(copy, f) for f in VACANCY_FIELDS} == {
                f: through_vum(f, getattr(original, f)) for f in VACANCY_FIELDS}
        again = services.import_document(read_document(data), municipality=world.other_muni)
        assert (again.created, again.updated, again.unchanged, again.employers_created) == (0, 0, len(originals), 0)
        transaction.set_rollback(True)


def test_every_sector_survives_its_sbi_code():
    # 'overig' had no SBI code: an exported vacancy or employer in it lost its sector (found by the round trip).
    assert {codes.sector_from_sbi(codes.SECTOR_SBI[sector]) for sector in Sector.values} == set(Sector.values)
