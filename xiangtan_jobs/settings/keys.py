"""The secrets of a portal started with nothing set: made once, kept under ``var/``, never in git.

``make run`` (DEBUG=1, no SECRET_KEY) must not run on a key anyone with the source has: data
encrypted under it (phones, ID numbers) would be readable by all. So the first start writes a
random Django secret key and a random salt of the field-encryption key to ``VAR_DIR/secrets.json``
(mode 0600) and every later start, and the worker and beat beside the web process, read them back.
Production (DEBUG=0) brings its own SECRET_KEY and is refused one that is in the repository.
"""

from __future__ import annotations

import json
import os
import secrets
import time
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

SECRETS_FILE_NAME = "secrets.json"
# Every key written in this repository (the old development default, the test settings' key):
# never acceptable with DEBUG=0, as a SECRET_KEY, a fallback or the digest key.
REPOSITORY_KEYS = frozenset(
    {
        "dev-only-insecure-key-do-not-use-in-production-xiangtan",
        "test-only-key-not-secret-xiangtan-jobs-0123456789abcdef",
    }
)


def _new_secrets() -> dict[str, str]:
    return {"SECRET_KEY": secrets.token_urlsafe(50), "FIELD_ENCRYPTION_SALT": secrets.token_urlsafe(32)}


def local_secrets(var_dir: Path) -> dict[str, str]:
    """The secrets kept in ``var_dir/secrets.json``, made on the first call (0600, owner only).

    The file is created exclusively: the web process, the worker and beat starting together all
    end up with the one that was written first.
    """
    path = var_dir / SECRETS_FILE_NAME
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w") as handle:
            json.dump(_new_secrets(), handle)
    os.chmod(path, 0o600)  # also a copy restored with looser rights
    for _attempt in range(50):
        try:
            data = json.loads(path.read_text())
        except ValueError:  # another process is still writing it
            time.sleep(0.05)
            continue
        if isinstance(data, dict) and data.get("SECRET_KEY") and data.get("FIELD_ENCRYPTION_SALT"):
            return {str(k): str(v) for k, v in data.items()}
        break
    raise ImproperlyConfigured(f"{path} is not a secrets file of this portal; move it away to make a new one.")
