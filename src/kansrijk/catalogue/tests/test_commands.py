import json

import pytest
from django.core.management import CommandError, call_command

from kansrijk.catalogue import content
from kansrijk.catalogue.models import Approach, LocalOffer


def run(*args):
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_load_catalogue_and_stats(db):
    out, _ = run("load_catalogue", "--json")
    summary = json.loads(out)
    assert summary["created"] == len(content.shipped_approaches()) and summary["problems"] == []
    out, _ = run("load_catalogue")
    assert "0 nieuw" in out
    stats = json.loads(run("stats", "--json")[0])
    assert stats["approaches"] == len(content.shipped_approaches())
    assert stats["working_elements"] == len(content.working_elements())


def test_load_catalogue_refuses_invalid_content(db, monkeypatch):
    monkeypatch.setattr(content, "validate_shipped_content",
                        lambda: [content.ContentProblem("seed-000.yaml: x", "naam ontbreekt")])
    with pytest.raises(CommandError, match="1 fout"):
        run("load_catalogue")
    assert not Approach.objects.exists()


def test_export_json_to_stdout_and_xlsx_to_file(world, tmp_path):
    run("load_catalogue")
    document = json.loads(run("export_catalogue", "--format", "json")[0])
    assert len(document["approaches"]) == len(content.shipped_approaches())
    with pytest.raises(CommandError, match="--out"):
        run("export_catalogue", "--format", "xlsx")
    target = tmp_path / "catalogus.xlsx"
    run("export_catalogue", "--format", "xlsx", "--out", str(target), "--gemeente", "9999")
    assert target.read_bytes()[:2] == b"PK"


def test_import_catalogue_command_is_atomic(world, tmp_path):
    document = {"format": "kansrijk-catalogus", "version": 1, "approaches": [
        {"slug": "buurtkamer", "name": "Buurtkamer", "kind": "aanpak", "local_offer": {"capacity": 8}},
        {"slug": "fout", "name": "Fout", "kind": "fabriek"},
    ]}
    path = tmp_path / "catalogus.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(CommandError, match="niets opgeslagen"):
        run("import_catalogue", str(path), "--gemeente", "9999")
    assert not Approach.objects.exists()
    document["approaches"].pop()
    path.write_text(json.dumps(document), encoding="utf-8")
    summary = json.loads(run("import_catalogue", str(path), "--gemeente", "9999", "--json")[0])
    assert summary["created"] == 1 and summary["local_offers"] == 1
    assert LocalOffer.objects.get().capacity == 8
