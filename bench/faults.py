"""Fault tests with a real worker and beat (`make faults`; not in CI: minutes long, needs PostgreSQL).

Each scenario SIGKILLs the worker's pool process at a named point (xiangtan_jobs/common/faults.py)
of the nightly run or of a posting's matching, or blips the database (every backend of its
database terminated for 30 s) or stops Redis for 35 s (a private redis-server on its own port,
never the shared one), then waits until everything is done and checks: the stored matches equal
a fresh full rematch (nothing lost), every seeker texted at most once, nothing owed left.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/xt_faults .venv/bin/python bench/faults.py [scenario ...]

The database named is emptied and filled with a small demo city (FAULT_POSTINGS × FAULT_SEEKERS).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REDIS_PORT = int(os.environ.get("FAULT_REDIS_PORT", "6391"))
POSTINGS = int(os.environ.get("FAULT_POSTINGS", "1200"))
SEEKERS = int(os.environ.get("FAULT_SEEKERS", "900"))
CHUNK = 300  # postings per chunk: four chunks, so "in a chunk" and "after the last chunk" differ
DEADLINE = 600.0  # seconds each scenario may take to complete

os.environ.update(
    {
        "REDIS_URL": f"redis://127.0.0.1:{REDIS_PORT}/0",
        "DJANGO_SETTINGS_MODULE": "xiangtan_jobs.settings.base",
        "NOTIFY_QUIET_HOURS": "",
        "NOTIFY_MIN_SCORE": "0",
        "REMATCH_CHUNK_POSTINGS": str(CHUNK),
        "VAR_DIR": os.environ.get("VAR_DIR", str(ROOT / "var" / "faults")),
    }
)
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

django.setup()

from celery import current_app  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from matching.models import Match, RematchRun  # noqa: E402
from matching.services import rematch_inline  # noqa: E402
from xiangtan_jobs.common.models import DeadLetter, OwedTask  # noqa: E402
from xiangtan_jobs.core.enums import PostingStatus  # noqa: E402
from xiangtan_jobs.core.models import InboxMessage, JobPosting, SmsOutbox  # noqa: E402
from xiangtan_jobs.core.services import posting_publish  # noqa: E402

NIGHTLY_POINTS = {
    "kill-after-planning": "rematch.planned",
    "kill-in-a-chunk": "rematch.chunk_ranked",
    "kill-after-last-chunk": "rematch.before_finish_queued",
    "kill-in-the-finish": "rematch.finishing",
    "kill-in-the-notification": "rematch.notifying",
}
SCENARIOS = [*NIGHTLY_POINTS, "kill-in-posting-matching", "two-beats", "database-blip", "redis-outage"]


class Redis:
    """A redis-server of our own (nothing on disk), stopped and started at will."""

    def __init__(self) -> None:
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        cmd = ["redis-server", "--port", str(REDIS_PORT), "--save", "", "--appendonly", "no", "--bind", "127.0.0.1"]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(0.5)

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(10)
            self.proc = None


class Cluster:
    """One worker (prefork, one pool process: a SIGKILLed pool process is replaced by its parent, and
    its task re-queued) and one beat, with a fault point armed."""

    def __init__(self, log_dir: Path, point: str = "") -> None:
        self.marker = log_dir / f"marker-{point or 'none'}"
        env = {**os.environ, "XT_FAULT_POINT": point, "XT_FAULT_MARKER": str(self.marker)}
        celery = [sys.executable, "-m", "celery", "-A", "xiangtan_jobs"]
        self.log = (log_dir / f"cluster-{point or 'none'}.log").open("ab")
        worker = ["worker", "--pool", "prefork", "--concurrency", "1", "--loglevel", "INFO", "--without-gossip"]
        beat = ["beat", "--loglevel", "INFO", "--schedule", str(log_dir / "beat-schedule")]
        out = {"cwd": ROOT, "env": env, "stdout": self.log, "stderr": subprocess.STDOUT}
        self.worker = subprocess.Popen([*celery, *worker, "--without-mingle"], **out)  # type: ignore[call-overload]
        self.beat = subprocess.Popen([*celery, *beat], **out)  # type: ignore[call-overload]

    def killed(self) -> bool:
        return self.marker.exists()

    def stop(self) -> None:
        for proc in (self.beat, self.worker):
            proc.send_signal(signal.SIGTERM)
        for proc in (self.beat, self.worker):
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(10)
        self.log.close()


def stored() -> list[tuple[int, int, float, bool, bool]]:
    return sorted(
        Match.objects.filter(status__in=["recommended", "viewed"]).values_list(
            "posting_id", "seeker_id", "score", "kept", "is_current"
        )
    )


def reset() -> None:
    RematchRun.objects.all().delete()
    OwedTask.objects.all().delete()
    SmsOutbox.objects.all().delete()
    InboxMessage.objects.all().delete()
    Match.objects.update(notified_at=None)
    subprocess.run(["redis-cli", "-p", str(REDIS_PORT), "FLUSHALL"], check=False, stdout=subprocess.DEVNULL)


def texted_twice() -> int:
    phones = Counter(SmsOutbox.objects.filter(purpose="recommendation").values_list("phone", flat=True))
    return sum(n - 1 for n in phones.values() if n > 1)


def wait(done, started: float) -> float | None:
    while time.monotonic() - started < DEADLINE:
        try:
            if done():
                return time.monotonic() - started
        except Exception:  # the database may be blipping: look again
            connection.close()
        time.sleep(2)
    return None


def nightly_done() -> bool:
    run = RematchRun.objects.filter(night=timezone.localdate()).first()
    return bool(run and run.notified_at and not OwedTask.objects.exists())


def terminate_backends(seconds: float) -> None:
    """The database blip: every other connection to this database is cut, again and again."""
    name = connection.settings_dict["NAME"]
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                [name],
            )
        time.sleep(1)


def scenario(name: str, log_dir: Path, redis: Redis) -> dict[str, object]:
    reset()
    point = NIGHTLY_POINTS.get(name) or ("matching.posting_claimed" if name == "kill-in-posting-matching" else "")
    cluster = Cluster(log_dir, point)
    time.sleep(8)  # the worker up
    started = time.monotonic()
    result: dict[str, object] = {"scenario": name}
    try:
        if name in NIGHTLY_POINTS or name in ("two-beats", "database-blip"):
            current_app.send_task("matching.rematch_all")
            if name == "two-beats":
                time.sleep(1)
                current_app.send_task("matching.rematch_all")  # a second beat
            if name == "database-blip":
                time.sleep(3)
                terminate_backends(30)
            took = wait(nightly_done, started)
            result["runs"] = RematchRun.objects.count()
        else:
            drafts = list(JobPosting.objects.filter(status=PostingStatus.PUBLISHED, employer__verified=True)[:5])
            JobPosting.objects.filter(pk__in=[p.pk for p in drafts]).update(status=PostingStatus.DRAFT)
            Match.objects.filter(posting__in=drafts).delete()
            if name == "redis-outage":
                redis.stop()
                outage = threading.Timer(35, redis.start)
                outage.start()
            for posting in drafts:
                posting.refresh_from_db()
                posting_publish(posting=posting, actor=None)
            if name == "redis-outage":
                outage.join()
            # Done when nothing is owed (a posting may rightly keep nobody); right or not, the comparison
            # with a clean pass below tells.
            took = wait(lambda: not OwedTask.objects.exists(), started)
        result["completed_s"] = None if took is None else round(took)
        result["killed"] = cluster.killed() if point else None
    finally:
        cluster.stop()
    by_workers = stored()
    result["texted_twice"] = texted_twice()
    result["sms"] = SmsOutbox.objects.filter(purpose="recommendation").count()
    result["owed_left"] = OwedTask.objects.count()
    result["dead_letters"] = DeadLetter.objects.count()
    rematch_inline()  # what one clean pass leaves
    result["lost_or_wrong_pairs"] = len(set(by_workers) ^ set(stored()))
    return result


def main(names: list[str]) -> int:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("DATABASE_URL must name a PostgreSQL database of its own (it is emptied)")
    if shutil.which("redis-server") is None:
        sys.exit("redis-server is needed (a private one is started on FAULT_REDIS_PORT)")
    log_dir = Path(tempfile.mkdtemp(prefix="xt-faults-"))
    redis = Redis()
    redis.start()
    try:
        call_command("flush", interactive=False, verbosity=0)
        call_command("migrate", verbosity=0)
        call_command("load_reference", verbosity=0)
        from xiangtan_jobs.seed.demo import demo_seed

        demo_seed(postings=POSTINGS, seekers=SEEKERS, seed=17, today=timezone.localdate())
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        rematch_inline()
        failed = 0
        print(f"logs in {log_dir}")
        for name in names or SCENARIOS:
            result = scenario(name, log_dir, redis)
            ok = (
                result["completed_s"] is not None
                and result["texted_twice"] == 0
                and result["owed_left"] == 0
                and result["lost_or_wrong_pairs"] == 0
                and result.get("runs", 1) == 1
                and result["killed"] in (None, True)
            )
            failed += not ok
            print(("ok   " if ok else "FAIL ") + "  ".join(f"{k}={v}" for k, v in result.items()), flush=True)
        return 1 if failed else 0
    finally:
        redis.stop()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
