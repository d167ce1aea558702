"""The admin import's upload between its preview and its confirmation (django-import-export).

The library's default keeps the uploaded file, full phones and ID numbers included, in the system
temporary folder, never deletes it when the preview finds errors, and its confirm step reads (and
deletes) whichever file of that folder the form names (``import_file_name``). Here instead:

- the upload is kept **encrypted** (``common.crypto.seal``) in ``VAR_DIR/import-uploads/`` under a
  random token, bound to the staff account that uploaded it, for IMPORT_UPLOAD_MAX_AGE seconds;
- the confirm step accepts only such a token, of its own account, still fresh: any other name
  (another account's token, a path, a file of the folder) is refused with a 403;
- the file is deleted whatever the outcome: after the confirmation (even one that fails), at once
  when the preview offers nothing to confirm, and, for uploads never confirmed, once stale.
"""

from __future__ import annotations

import base64
import contextvars
import re
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from import_export.tmp_storages import BaseStorage

from xiangtan_jobs.common.crypto import seal, unseal

IMPORT_UPLOAD_MAX_AGE = 60 * 60
_TOKEN_RE = re.compile(r"[0-9a-f]{32}")
# The account of the request being served, and the tokens its preview wrote (set by SealedImportMixin).
_owner: contextvars.ContextVar[int | None] = contextvars.ContextVar("import_owner", default=None)
_written: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar("import_written", default=None)


def upload_folder() -> Path:
    folder = Path(settings.VAR_DIR) / "import-uploads"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def _path(token: object) -> Path:
    if not isinstance(token, str) or not _TOKEN_RE.fullmatch(token):
        raise PermissionDenied("not an upload token of this import")
    return upload_folder() / token


def remove_upload(token: object) -> None:
    """Delete one kept upload (nothing if it is gone or the name is not a token)."""
    with suppress(PermissionDenied):
        _path(token).unlink(missing_ok=True)


def remove_stale_uploads(*, now: float | None = None) -> int:
    """Delete the uploads older than IMPORT_UPLOAD_MAX_AGE (previews never confirmed)."""
    now = now or time.time()
    removed = 0
    for path in upload_folder().iterdir():
        if path.stat().st_mtime < now - IMPORT_UPLOAD_MAX_AGE:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


class SealedUploadStorage(BaseStorage):
    """IMPORT_EXPORT_TMP_STORAGE_CLASS: encrypted, token-named, owner-bound, short-lived."""

    def save(self, data: bytes | str) -> None:
        remove_stale_uploads()
        raw = data.encode(self.encoding or "utf-8") if isinstance(data, str) else bytes(data)
        self.name = secrets.token_hex(16)
        sealed = seal({"owner": _owner.get(), "data": base64.b64encode(raw).decode()})
        path = _path(self.name)
        path.touch(mode=0o600)
        path.write_text(sealed)
        written = _written.get()
        if written is not None:
            written.append(self.name)

    def read(self) -> bytes | str:
        path = _path(self.name)
        try:
            sealed = path.read_text()
        except OSError as exc:
            raise PermissionDenied("no such upload") from exc
        content = unseal(sealed, max_age=IMPORT_UPLOAD_MAX_AGE)
        if not isinstance(content, dict) or content.get("owner") != _owner.get():
            # Another account's upload, a stale one or a forged file: refused (and left alone).
            raise PermissionDenied("not an upload of this account")
        raw = base64.b64decode(content["data"])
        return raw if "b" in self.read_mode else raw.decode(self.encoding or "utf-8")

    def remove(self) -> None:
        remove_upload(self.name)


@contextmanager
def acting_uploader(user_id: int | None) -> Iterator[list[str]]:
    """Within the block, uploads are bound to this account; yields the tokens written meanwhile."""
    written: list[str] = []
    owner_token = _owner.set(user_id)
    written_token = _written.set(written)
    try:
        yield written
    finally:
        _owner.reset(owner_token)
        _written.reset(written_token)


class SealedImportMixin:
    """For an ImportExportModelAdmin: binds uploads to the acting account and deletes them whatever
    the outcome of the preview and of the confirmation."""

    def import_action(self, request: Any, **kwargs: Any) -> Any:
        with acting_uploader(request.user.pk) as written:
            try:
                response = super().import_action(request, **kwargs)  # type: ignore[misc]
            except BaseException:
                for token in written:
                    remove_upload(token)
                raise
        context = getattr(response, "context_data", None) or {}
        if "confirm_form" not in context:
            # Errors in the file, or nothing to import: there will be no confirmation.
            for token in written:
                remove_upload(token)
        return response

    def process_import(self, request: Any, **kwargs: Any) -> Any:
        token = request.POST.get("import_file_name", "")
        with acting_uploader(request.user.pk):
            # Checked before anything runs: only a token of this account's own, fresh upload.
            SealedUploadStorage(name=token, read_mode="rb").read()
            try:
                return super().process_import(request, **kwargs)  # type: ignore[misc]
            finally:
                remove_upload(token)
