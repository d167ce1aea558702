#!/usr/bin/env python3
"""Back up and restore the portal's PostgreSQL database (`make backup` / `make restore`).

    pgbackup.py backup  --database-url URL --out FILE        pg_dump -Fc (custom format, compressed)
    pgbackup.py restore --database-url URL --file FILE       pg_restore into a NEW database at URL
    pgbackup.py compare --database-url URL --other-url URL   row counts and a checksum per table

``restore`` creates the database named in URL and refuses one that already exists, so a restore
can never land on top of live data; switch the portal's DATABASE_URL to it once ``compare`` agrees.
Only the standard library and PostgreSQL's own client programs are used.
"""

from __future__ import annotations

import argparse
import json
import subprocess  # nosec B404 - runs PostgreSQL's own client programs with fixed arguments
import sys
from urllib.parse import unquote, urlsplit, urlunsplit


def _libpq_url(url: str) -> str:
    """django-environ's ``postgres://`` / ``postgresql://`` / ``pgsql://`` as a URI that libpq reads."""
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql", "pgsql", "psql"}:
        raise SystemExit(f"not a PostgreSQL URL: {parts.scheme}://…")
    return urlunsplit(("postgresql", parts.netloc, parts.path, parts.query, ""))


def _db_name(url: str) -> str:
    name = unquote(urlsplit(url).path.lstrip("/"))
    if not name or not all(c.isalnum() or c in "_-" for c in name):
        raise SystemExit(f"unusable database name: {name!r}")
    return name


def _server_url(url: str) -> str:
    """The same server's maintenance database, to create a new one from."""
    parts = urlsplit(_libpq_url(url))
    return urlunsplit((parts.scheme, parts.netloc, "/postgres", parts.query, ""))


def _psql(url: str, sql: str) -> str:
    result = subprocess.run(  # nosec B603 B607
        [
            "psql",
            "--no-psqlrc",
            "--quiet",
            "--tuples-only",
            "--no-align",
            "--set",
            "ON_ERROR_STOP=1",
            "-d",
            url,
            "-c",
            sql,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        raise SystemExit(result.stderr.strip())
    return result.stdout


def backup(url: str, out: str) -> None:
    subprocess.run(["pg_dump", "--format=custom", "--no-owner", "--file", out, _libpq_url(url)], check=True)  # nosec B603 B607
    print(f"backup written: {out}")


def restore(url: str, dump: str) -> None:
    name = _db_name(url)
    server = _server_url(url)
    if _psql(server, f"SELECT 1 FROM pg_database WHERE datname = '{name}'").strip():  # nosec B608 - name checked above
        raise SystemExit(f"database {name} exists: restore goes into a new database only")
    _psql(server, f'CREATE DATABASE "{name}"')
    subprocess.run(  # nosec B603 B607
        ["pg_restore", "--no-owner", "--exit-on-error", "--jobs", "2", "--dbname", _libpq_url(url), dump], check=True
    )
    # A restored database has no planner statistics (and autovacuum may be off): gather them now.
    _psql(_libpq_url(url), "ANALYZE")
    print(f"restored into a new database: {name}")


def table_digests(url: str) -> dict[str, list[object]]:
    """{table: [row count, md5 of all rows in a fixed order]} for every table of the public schema."""
    tables = _psql(
        _libpq_url(url), "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
    ).split()
    if not tables:
        return {}
    selects = " UNION ALL ".join(
        f"SELECT '{t}', count(*), md5(coalesce(string_agg(r::text, E'\\n' ORDER BY r::text), '')) FROM public.\"{t}\" r"
        for t in tables
    )
    out: dict[str, list[object]] = {}
    for line in _psql(_libpq_url(url), selects).splitlines():
        table, count, digest = line.split("|")
        out[table] = [int(count), digest]
    return out


def compare(url: str, other: str) -> int:
    mine, theirs = table_digests(url), table_digests(other)
    differ = sorted(t for t in mine.keys() | theirs.keys() if mine.get(t) != theirs.get(t))
    rows = sum(int(v[0]) for v in mine.values())  # type: ignore[call-overload]
    print(json.dumps({"tables": len(mine), "rows": rows, "differ": differ}, ensure_ascii=False))
    return 1 if differ else 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("backup")
    b.add_argument("--database-url", required=True)
    b.add_argument("--out", required=True)
    r = sub.add_parser("restore")
    r.add_argument("--database-url", required=True)
    r.add_argument("--file", required=True)
    c = sub.add_parser("compare")
    c.add_argument("--database-url", required=True)
    c.add_argument("--other-url", required=True)
    args = parser.parse_args(argv)
    if args.command == "backup":
        backup(args.database_url, args.out)
    elif args.command == "restore":
        restore(args.database_url, args.file)
    else:
        return compare(args.database_url, args.other_url)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
