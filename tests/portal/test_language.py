"""Chinese by default, English only when chosen with the header's switch; the English words
are complete and compiled."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from tests.factories import PostingFactory

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u3400-\u9fff]")
PO = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"


def _between(body: str, start: str, end: str) -> str:
    return body[body.index(start) : body.index(end, body.index(start))]


def test_an_english_browser_still_gets_the_chinese_site(client, ref):
    body = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="zh-CN"' in body and "找工作" in body
    admin = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "登录" in admin and "Log in" not in admin


def test_the_english_switch_gives_english_words(client, ref):
    posting = PostingFactory()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for url in ("/", "/jobs/?q=保洁", f"/jobs/{posting.pk}/", "/register/account/", "/markets/", "/fairs/"):
        body = client.get(url).content.decode()
        assert '<html lang="en"' in body, url
        chrome = _between(body, "<header", "</header>") + _between(body, '<footer class="site-footer', "</footer>")
        assert CJK.findall(chrome) == list("中文"), url  # only the switch back to Chinese
    form = client.get("/register/account/").content.decode()
    assert "Mobile number" in form and "手机号" not in form


def test_the_switch_back_to_chinese(client, ref):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/jobs/"})
    assert response.status_code == 302 and response["Location"] == "/jobs/"
    assert "找工作" in client.get("/jobs/").content.decode()


def _po_entries() -> list[tuple[str, str, list[str]]]:
    """(context, msgid, msgstrs) of every entry of the English .po file."""
    entries, current, key = [], {}, None
    for line in [*PO.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if current.get("msgid"):
                strs = [v for k, v in sorted(current.items()) if k.startswith("msgstr")]
                entries.append((current.get("msgctxt", ""), current["msgid"], strs))
            current, key = {}, None
        elif line.startswith('"') and key:
            current[key] += line[1:-1].encode().decode("unicode_escape").encode("latin-1").decode("utf-8")
        elif not line.startswith("#"):
            key, _sp, value = line.partition(" ")
            current[key] = value[1:-1].encode().decode("unicode_escape").encode("latin-1").decode("utf-8")
    return entries


def test_every_english_entry_is_translated_and_compiled():
    entries = _po_entries()
    assert len(entries) > 400
    with translation.override("en"):
        for context, msgid, msgstrs in entries:
            assert all(msgstrs), msgid
            got = translation.pgettext(context, msgid) if context else translation.gettext(msgid)
            assert got == msgstrs[0], f"{msgid}: the .mo is older than the .po; run compilemessages"
