"""`make backup` / `make restore`: a pg_dump of the database restored into a fresh database has the
same rows, table by table (row count and a checksum of every row)."""

from __future__ import annotations

import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection

from tests.factories import PostingFactory, SeekerFactory
from tests.test_celery_worker import database_url

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "pgbackup.py"
sys.path.insert(0, str(SCRIPT.parent))
from pgbackup import table_digests  # noqa: E402

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump/pg_restore back up PostgreSQL only"),
]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, check=False)


@pytest.fixture
def fresh_url():
    source = database_url()
    name = f"xt_restore_{uuid.uuid4().hex[:10]}"
    url = source.rsplit("/", 1)[0] + "/" + name
    yield url
    server = source.rsplit("/", 1)[0].replace("postgres://", "postgresql://") + "/postgres"
    subprocess.run(["psql", "-q", "-d", server, "-c", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'], check=True)


@pytest.mark.django_db(transaction=True)
def test_backup_restores_into_a_fresh_database_with_every_row(ref, tmp_path, fresh_url):
    PostingFactory.create_batch(3)
    SeekerFactory.create_batch(2)
    dump = tmp_path / "portal.dump"
    result = run("backup", "--database-url", database_url(), "--out", str(dump))
    assert result.returncode == 0, result.stderr
    assert dump.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format
    result = run("restore", "--database-url", fresh_url, "--file", str(dump))
    assert result.returncode == 0, result.stderr

    before, after = table_digests(database_url()), table_digests(fresh_url)
    assert before["core_jobposting"][0] == 3 and before["core_seekerregistration"][0] == 2
    assert before["core_area"][0] > 0  # reference data
    assert len(before) > 30
    assert after == before  # every table: same row count and the same checksum of its rows
    assert run("compare", "--database-url", database_url(), "--other-url", fresh_url).returncode == 0

    # The checksum sees a changed row, not only a changed count.
    touch = "UPDATE core_jobposting SET title = title || '!' WHERE id = (SELECT min(id) FROM core_jobposting)"
    subprocess.run(["psql", "-q", "-d", fresh_url.replace("postgres://", "postgresql://"), "-c", touch], check=True)
    changed = table_digests(fresh_url)
    assert changed["core_jobposting"][0] == 3 and changed["core_jobposting"][1] != before["core_jobposting"][1]
    assert run("compare", "--database-url", database_url(), "--other-url", fresh_url).returncode == 1


@pytest.mark.django_db
def test_restore_never_lands_on_an_existing_database(tmp_path):
    dump = tmp_path / "portal.dump"
    dump.write_bytes(b"PGDMP")
    result = run("restore", "--database-url", database_url(), "--file", str(dump))
    assert result.returncode != 0
    assert "exists" in result.stderr
