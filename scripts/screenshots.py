"""`make screenshots`: the README's screenshots, made from the demo data in Debian's chromium.

A portal of its own under var/screenshots/ (SQLite, the file-system broker: nothing of a developer's
database is touched), the demo data of `make run` (same seed, so the same people and postings),
one runserver on a free port, then each page on the screen its users have, saved as
docs/screenshots/NN-name.png. Run it after a change to what a page shows.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
VAR = ROOT / "var" / "screenshots"
PY = str(ROOT / ".venv" / "bin" / "python")
sys.path.insert(0, str(ROOT))

ENV = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")}
ENV.update({"VAR_DIR": str(VAR), "NOTIFY_QUIET_HOURS": ""})
os.environ.clear()
os.environ.update({**ENV, "DJANGO_SETTINGS_MODULE": "xiangtan_jobs.settings.base"})

import django  # noqa: E402

django.setup()  # for the demo accounts' names below

from tests.browser.helpers import CHROMIUM, CHROMIUM_ARGS, LAPTOP, LOCALE, PHONE  # noqa: E402
from xiangtan_jobs.seed.demo import DEMO_LOGINS, DEMO_PASSWORD  # noqa: E402


def manage(*args: str) -> None:
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=ENV, check=True)  # noqa: S603 - our own manage.py


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(url: str) -> None:
    for _ in range(120):
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 - our own local server
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the portal did not answer at {url}")


def main() -> None:
    shutil.rmtree(VAR, ignore_errors=True)
    VAR.mkdir(parents=True)
    manage("migrate", "--noinput", "-v0")
    manage("seed_demo", "--postings", "2000", "--seekers", "1500", "--seed", "1")
    manage("rematch")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(  # noqa: S603 - our own manage.py
        [PY, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"], cwd=ROOT, env=ENV
    )
    try:
        wait_for(base + "/healthz/")
        shoot(base)
    finally:
        server.terminate()
        server.wait(10)


def shoot(base: str) -> None:
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    seeker, _ = DEMO_LOGINS["seeker"]
    operator, _ = DEMO_LOGINS["operator_market"]
    bureau, _ = DEMO_LOGINS["bureau"]
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

        def page(screen: dict[str, object]):  # type: ignore[no-untyped-def]
            context = browser.new_context(**LOCALE, **screen)
            return context.new_page()

        def save(p, name: str, full: bool = True) -> None:  # type: ignore[no-untyped-def]
            p.wait_for_load_state("networkidle")
            p.screenshot(path=OUT / f"{name}.png", full_page=full)
            print("wrote", OUT / f"{name}.png")

        phone = page(PHONE)
        phone.goto(base + "/")
        save(phone, "01-home-phone")
        phone.goto(base + "/jobs/?q=保洁")
        save(phone, "02-jobs-search-phone", full=False)
        phone.locator(".job-card a").first.click()
        save(phone, "03-job-detail-phone")
        phone.goto(base + "/register/")
        phone.get_by_label("手机号").fill("1380013")
        phone.get_by_role("button", name="下一步").click()
        save(phone, "04-register-error-phone")
        phone.goto(base + "/markets/")
        phone.locator("main a[href^='/markets/']").first.click()
        save(phone, "06-market-phone")
        phone.goto(base + "/jobs/?q=保洁")
        phone.get_by_role("button", name="长辈版").click()
        save(phone, "07-elder-mode-phone")
        phone.context.close()

        english = page(PHONE)
        english.goto(base + "/")
        english.get_by_role("button", name="English").click()
        save(english, "08-english-phone")
        english.context.close()

        me = page(PHONE)
        me.goto(base + "/accounts/login/?next=/me/")
        me.get_by_label("手机号").fill(seeker)
        me.get_by_label("密码").fill(DEMO_PASSWORD)
        me.get_by_role("button", name="登录").click()
        save(me, "05-my-page-phone", full=False)
        me.goto(base + "/accounts/login/code/")
        save(me, "11-login-code-phone")
        me.goto(base + "/fairs/")
        save(me, "12-fairs-phone", full=False)
        me.context.close()

        desk = page(LAPTOP)
        desk.goto(base + "/jobs/")
        save(desk, "09-jobs-desktop", full=False)
        desk.goto(base + "/admin/login/?next=/admin/core/jobposting/")
        desk.get_by_label("用户名").fill(operator)
        desk.get_by_label("密码").fill(DEMO_PASSWORD)
        desk.get_by_role("button", name="登录").click()
        save(desk, "10-admin-postings-operator", full=False)
        desk.goto(base + "/admin/")
        save(desk, "13-admin-work-queue-operator", full=False)
        desk.context.close()

        officer = page(LAPTOP)
        officer.goto(base + "/admin/login/?next=/dashboard/%3Fdemo%3D1")
        officer.get_by_label("用户名").fill(bureau)
        officer.get_by_label("密码").fill(DEMO_PASSWORD)
        officer.get_by_role("button", name="登录").click()
        officer.wait_for_selector("canvas, svg")
        save(officer, "14-dashboard-bureau", full=False)
        officer.context.close()

        tv = page({"viewport": {"width": 1920, "height": 1080}})
        tv.goto(base + "/markets/")
        # The market the facts describe (雨湖零工市场, beside the bus station), not the list's first.
        href = tv.get_by_role("link", name="雨湖零工市场", exact=True).get_attribute("href")
        tv.goto(base + f"{href}screen/")
        save(tv, "15-market-screen-tv", full=False)
        tv.context.close()
        browser.close()


if __name__ == "__main__":
    main()
