"""PostgreSQL-only indexes of the public job list (issue 3).

1. Chinese keyword search: ``xt_pieces(text)`` turns a text into a ``tsvector`` of its one- and
   two-character pieces (docs/architecture.md, "Chinese keyword search"); a GIN index over
   ``xt_pieces(search_text)`` lets a query run as the AND of its own pieces (a Bitmap Index Scan,
   even for two characters), followed by a substring check for exactness. Pieces that contain
   white space are left out; every piece the Python side (``common.text.text_pieces``) makes of a
   query is a piece of the text here too, so the index never misses a posting.
2. Sort by wage: ``wage_daily DESC NULLS LAST`` (piece rates, which have no daily figure, last),
   which the model's ``posting_pub_wage`` index (NULLS FIRST) cannot serve.

Both live outside the model state (RunPython), so SQLite, the embedded default, is untouched and
``makemigrations --check`` stays quiet.
"""

from django.db import migrations

from xiangtan_jobs.common.migration_ops import postgresql_only

FUNCTION = r"""
CREATE OR REPLACE FUNCTION xt_pieces(t text) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT coalesce(array_to_tsvector(array_agg(DISTINCT p)), ''::tsvector)
  FROM (
    SELECT substr(t, i, n) AS p
    FROM generate_series(1, length(t)) AS i, (VALUES (1), (2)) AS v(n)
    WHERE i + n - 1 <= length(t)
  ) AS pieces
  WHERE p !~ '\s'
$$;
"""

FORWARD = [
    FUNCTION,
    "CREATE INDEX IF NOT EXISTS posting_search_pieces ON core_jobposting USING gin (xt_pieces(search_text))",
    "CREATE INDEX IF NOT EXISTS posting_pub_wage_nl ON core_jobposting (wage_daily DESC NULLS LAST, id DESC) "
    "WHERE status = 'published'",
]
BACKWARD = [
    "DROP INDEX IF EXISTS posting_pub_wage_nl",
    "DROP INDEX IF EXISTS posting_search_pieces",
    "DROP FUNCTION IF EXISTS xt_pieces(text)",
]


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [postgresql_only(FORWARD, BACKWARD)]
