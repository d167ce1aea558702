"""Test settings: the base settings with fast password hashing."""

from __future__ import annotations

import os

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# A fixed key, so that every test process and the worker processes the tests start read each
# other's encrypted rows; it is in the repository, so DEBUG=0 refuses it (settings/keys.py).
SECRET_KEY = "test-only-key-not-secret-xiangtan-jobs-0123456789abcdef"  # noqa: S105  # nosec B105 - test key
SALT_KEY = ["xiangtan-jobs-pii-v1"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405

# A file, not memory, for SQLite's test database: the Celery worker test starts a real worker
# process that must see the rows the test wrote.
if not IS_POSTGRES:  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}  # noqa: F405

# Parallel test workers (pytest -n) share one Redis: each keeps its own keys, and a test's
# cache.clear() deletes only its own worker's keys (never the broker's queues beside them).
CACHES["default"]["KEY_PREFIX"] = os.environ.get("PYTEST_XDIST_WORKER", "main")  # noqa: F405
if CACHES["default"]["BACKEND"].endswith("ResilientRedisCache"):  # noqa: F405
    # A loaded CI machine (two test processes, a worker, a browser) can keep Redis from answering
    # within the production 0.5 s; the outage tests use their own dead address and timeouts.
    CACHES["default"]["OPTIONS"] = {"socket_connect_timeout": 5, "socket_timeout": 5}  # noqa: F405

# The API's throttles count every request: the suite makes thousands (the schema fuzz); the
# throttle tests set their own rates.
API_THROTTLE_RATES = {"token": "100000/minute", "user": "100000/minute", "address": "100000/minute"}  # nosec B105 - rates, not a password
