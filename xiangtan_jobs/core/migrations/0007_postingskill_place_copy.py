"""PostgreSQL only: each posting's skills carry a copy of the posting's district and work type.

The job list filtered by skill *and* district (and work type) otherwise starts from every posting
asking for the skill (a few hundred primary-key look-ups, 2-3 ms) to keep the few in the district.
With the copy, ``postingskill_skill_place`` (skill, district, work type, posting) finds those few
directly. The copy is kept by triggers, so every way of writing (ORM, admin, import, bulk insert,
a posting moved to another district) keeps it true; the columns are not in the Django model, and
SQLite, the embedded default, is untouched (its list uses the plain subquery).
"""

from django.db import migrations

from xiangtan_jobs.common.migration_ops import postgresql_only

FORWARD = [
    "ALTER TABLE core_postingskill ADD COLUMN IF NOT EXISTS district_id bigint, "
    "ADD COLUMN IF NOT EXISTS work_type varchar(8)",
    "UPDATE core_postingskill ps SET district_id = p.district_id, work_type = p.work_type "
    "FROM core_jobposting p WHERE p.id = ps.posting_id",
    r"""
CREATE OR REPLACE FUNCTION xt_postingskill_place() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT p.district_id, p.work_type INTO NEW.district_id, NEW.work_type
  FROM core_jobposting p WHERE p.id = NEW.posting_id;
  RETURN NEW;
END $$;
""",
    "CREATE TRIGGER postingskill_place BEFORE INSERT OR UPDATE OF posting_id ON core_postingskill "
    "FOR EACH ROW EXECUTE FUNCTION xt_postingskill_place()",
    r"""
CREATE OR REPLACE FUNCTION xt_posting_place_to_skills() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE core_postingskill SET district_id = NEW.district_id, work_type = NEW.work_type
  WHERE posting_id = NEW.id;
  RETURN NULL;
END $$;
""",
    "CREATE TRIGGER posting_place_to_skills AFTER UPDATE OF district_id, work_type ON core_jobposting "
    "FOR EACH ROW WHEN (OLD.district_id IS DISTINCT FROM NEW.district_id "
    "OR OLD.work_type IS DISTINCT FROM NEW.work_type) EXECUTE FUNCTION xt_posting_place_to_skills()",
    "CREATE INDEX IF NOT EXISTS postingskill_skill_place ON core_postingskill "
    "(skill_id, district_id, work_type, posting_id)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS postingskill_skill_place",
    "DROP TRIGGER IF EXISTS posting_place_to_skills ON core_jobposting",
    "DROP FUNCTION IF EXISTS xt_posting_place_to_skills()",
    "DROP TRIGGER IF EXISTS postingskill_place ON core_postingskill",
    "DROP FUNCTION IF EXISTS xt_postingskill_place()",
    "ALTER TABLE core_postingskill DROP COLUMN IF EXISTS district_id, DROP COLUMN IF EXISTS work_type",
]


class Migration(migrations.Migration):
    dependencies = [("core", "0006_posting_pub_newest_card")]

    operations = [postgresql_only(FORWARD, BACKWARD)]
