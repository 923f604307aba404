"""Set-wise writes: rows read back as the ORM would have written them; deferred indexes come back."""

from datetime import date

import pytest
from django.db import connection
from django.utils import timezone

from kansrijk.caseload.models import Client
from kansrijk.core.bulk import insert_rows, secondary_indexes_deferred, update_rows


def _index_names(model) -> set[str]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, model._meta.db_table)
    return {name for name, info in constraints.items() if info["index"] and not info["unique"]}


@pytest.mark.django_db
@pytest.mark.parametrize("deferred", [True, False])
def test_bulk_insert_and_update_read_back_and_keep_indexes(world, deferred):
    now = timezone.now()
    expected = {index.name for index in Client._meta.indexes}
    assert expected <= _index_names(Client)
    rows = [(world.muni.pk, f"B{i}", "", "Naam", "Achter", 1980, "V", "Alleenstaande", "", date(2020, 1, 1),
             "achter naam", None, now, now) for i in range(50)]
    with secondary_indexes_deferred(Client, when=deferred):
        if deferred:
            assert not expected & _index_names(Client)
        insert_rows(Client, ["municipality", "client_number", "bsn", "given_names", "family_name", "birth_year",
                             "sex", "household", "dossier_number", "active_spell_start", "search_name",
                             "last_import", "created_at", "updated_at"], rows)
    assert expected <= _index_names(Client)
    client = Client.objects.get(client_number="B7")
    assert client.active_spell_start == date(2020, 1, 1) and client.created_at == now
    update_rows(Client, ["household", "active_spell_start"], [("Alleenstaande ouder", None, client.pk)])
    client.refresh_from_db()
    assert client.household == "Alleenstaande ouder" and client.active_spell_start is None
