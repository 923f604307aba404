"""Backup and restore (scripts/backup.sh and scripts/restore.sh, docs/operations.md) as a round trip on PostgreSQL:
seed data, back up the test database, restore into a new database, and compare every table row for row (count and a
checksum of the content) and every sequence. Also: a damaged backup and a non-empty target are refused."""

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from kansrijk.audit.services import log_access
from kansrijk.trajectories.tests.factories import delivery, refer
from kansrijk.trajectories.tests.test_plans import save as save_plan

SCRIPTS = Path(__file__).resolve().parents[4] / "scripts"
KANSRIJK_BIN = Path(sys.executable).with_name("kansrijk")

pg_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="pg_dump/pg_restore back up PostgreSQL installations only; make test runs this on PostgreSQL too")


def database_url(name: str) -> str:
    """A libpq URL for the test database's server (a Unix socket folder or a host), with another database name."""
    settings = connection.settings_dict
    user = quote(settings["USER"] or "", safe="")
    password = f":{quote(settings['PASSWORD'], safe='')}" if settings.get("PASSWORD") else ""
    # A socket folder given as ?host=… in DATABASE_URL ends up in OPTIONS, not in HOST.
    options = settings.get("OPTIONS") or {}
    host = settings.get("HOST") or options.get("host") or ""
    port = settings.get("PORT") or options.get("port") or ""
    if host.startswith("/"):
        query = f"?host={quote(host, safe='')}" + (f"&port={port}" if port else "")
        return f"postgresql://{user}{password}@/{quote(name, safe='')}{query}"
    return f"postgresql://{user}{password}@{host}{':' + str(port) if port else ''}/{quote(name, safe='')}"


def run(script: str, *args, url: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": url, "KANSRIJK_BIN": str(KANSRIJK_BIN)}
    return subprocess.run([str(SCRIPTS / script), *map(str, args)], env=env, capture_output=True, text=True,
                          timeout=300)


def fingerprint(url: str) -> tuple[dict, dict]:
    """Per table: the number of rows and an md5 over all rows as text (in a fixed order); per sequence its value, so
    that new rows after a restore get fresh ids."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(url, autocommit=True) as conn:
        tables = [row[0] for row in conn.execute(
            "select tablename from pg_tables where schemaname = 'public' order by tablename")]
        content = {table: conn.execute(sql.SQL(
            "select count(*), md5(coalesce(string_agg(t::text, ',' order by t::text), '')) from {} t").format(
            sql.Identifier(table))).fetchone() for table in tables}
        sequences = dict(conn.execute(
            "select sequencename, last_value from pg_sequences where schemaname = 'public'").fetchall())
    return content, sequences


@pytest.fixture
def seeded(world):
    """Clients with a plan van aanpak, a referral to a provider and an access record: committed, so pg_dump sees
    them."""
    # An earlier transactional test may have flushed and refilled django_content_type under new ids; the change
    # history (django-auditlog) would otherwise write the cached, now missing, ids.
    ContentType.objects.clear_cache()
    save_plan(world)
    plan = save_plan(world, agreements=["Een tweede versie."])
    refer(world, delivery(world), items=("naam", "doelen"), goals=[plan.goals.first().pk])
    log_access(user=world.users["klantmanager"], client=world.own, view="plan")
    return world


@pg_only
# serialized_rollback: the rows the data migrations wrote (ladder steps, cause codes, role policies) are back even
# when an earlier transactional test flushed the database.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_backup_restores_into_a_new_database_with_every_row_and_sequence(seeded, tmp_path):
    source = database_url(connection.settings_dict["NAME"])
    restored_name = f"{connection.settings_dict['NAME']}_restored"
    target = database_url(restored_name)

    backup = run("backup.sh", tmp_path, url=source)
    assert backup.returncode == 0, backup.stderr
    dump = Path(backup.stdout.strip())
    assert dump.parent == tmp_path and dump.name.startswith("kansrijk-") and dump.suffix == ".dump"
    assert (tmp_path / f"{dump.name}.sha256").read_text().split() == [
        subprocess.run(["sha256sum", str(dump)], capture_output=True, text=True).stdout.split()[0], dump.name]
    assert oct(dump.stat().st_mode & 0o777) == "0o600"  # personal data: the backup user's only

    with connection.cursor() as cursor:
        cursor.execute(f'drop database if exists "{restored_name}"')
        cursor.execute(f'create database "{restored_name}"')
    try:
        restore = run("restore.sh", dump, url=target)
        assert restore.returncode == 0, restore.stdout + restore.stderr
        before, after = fingerprint(source), fingerprint(target)
        content = before[0]
        assert content["trajectories_plan"][0] == 2 and content["trajectories_referral"][0] == 1
        assert content["audit_accesslog"][0] >= 1 and content["caseload_client"][0] == 4
        assert after == before

        # A second restore over the now filled database is refused unless asked for.
        again = run("restore.sh", dump, url=target)
        assert again.returncode != 0 and "not empty" in again.stderr
        assert run("restore.sh", dump, "--replace", url=target).returncode == 0
        assert fingerprint(target) == before

        # A damaged backup is not restored.
        dump.write_bytes(dump.read_bytes() + b"\0")
        damaged = run("restore.sh", dump, "--replace", url=target)
        assert damaged.returncode != 0 and "checksum mismatch" in damaged.stderr
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'drop database if exists "{restored_name}" with (force)')


def test_the_backup_script_refuses_a_database_that_is_not_postgresql(tmp_path):
    result = run("backup.sh", tmp_path, url=f"sqlite:///{tmp_path / 'kansrijk.sqlite3'}")
    assert result.returncode != 0 and "not a PostgreSQL URL" in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("script", ["backup.sh", "restore.sh"])
def test_without_debians_postgresql_folder_the_scripts_use_the_tools_on_path(script, tmp_path):
    """On a host without /usr/lib/postgresql/*/bin (RHEL, Alpine, a client-only install) the scripts are meant to
    fall back to pg_dump, pg_restore and psql on PATH. Under ``set -o pipefail`` the failing ``ls`` of that folder
    must not end the script silently before it gets there."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("pg_dump", "pg_restore", "psql"):
        # Each fake tool says it ran and fails, so the script stops right after reaching it.
        (bin_dir / tool).write_text(f"#!/bin/sh\necho 'fake {tool} ran' >&2\nexit 3\n")
        (bin_dir / tool).chmod(0o755)
    copy = tmp_path / script
    copy.write_text((SCRIPTS / script).read_text().replace("/usr/lib/postgresql/", str(tmp_path / "nowhere") + "/"))
    copy.chmod(0o755)
    dump = tmp_path / "kansrijk-x.dump"
    dump.write_bytes(b"x")
    (tmp_path / "kansrijk-x.dump.sha256").write_text(
        subprocess.run(["sha256sum", dump.name], cwd=tmp_path, capture_output=True, text=True).stdout)
    args = [tmp_path / "out"] if script == "backup.sh" else [dump]
    env = {**os.environ, "DATABASE_URL": "postgresql://kansrijk@localhost/kansrijk",
           "PATH": f"{bin_dir}:{os.environ['PATH']}"}
    env.pop("PGBIN", None)
    result = subprocess.run([str(copy), *map(str, args)], env=env, capture_output=True, text=True, timeout=60)
    assert "fake" in result.stderr and "ran" in result.stderr, (result.returncode, result.stderr)
