"""Settings of the test suite: production's (debug off), with keys only tests use.

Tests run with the settings a production install gets, so that a default that fails open would show
here. What production takes from its environment the suite sets here, before config.settings reads it:
a secret key and an audit key of production length, plain HTTP for the test client, and an anchor file
of its own (each test that anchors points it at its own temporary file).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

_TEST_ENVIRONMENT = {
    "DJANGO_SECRET_KEY": "test-suite-only-secret-key-never-used-in-any-install-0123456789",
    "AUDIT_HMAC_KEY": "test-suite-only-audit-key-never-used-in-any-install-0123456789",
    # The test client speaks plain HTTP; a redirect to HTTPS would answer every request with 301.
    "DJANGO_SECURE_SSL_REDIRECT": "0",
    "AUDIT_ANCHOR_PATH": str(
        Path(tempfile.gettempdir()) / f"trialdisclosure-test-anchors-{os.getpid()}.jsonl"
    ),
}
for _name, _value in _TEST_ENVIRONMENT.items():
    os.environ.setdefault(_name, _value)

from config.settings import *  # noqa: E402, F403
from config.settings import CACHES as _CACHES  # noqa: E402
from config.settings import MIDDLEWARE, STORAGES  # noqa: E402

# No collected static files in a checkout: serve the sources, as the demo does.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
MIDDLEWARE = [name for name in MIDDLEWARE if name != "whitenoise.middleware.WhiteNoiseMiddleware"]


# make test runs the suite in two processes (pytest-xdist, ``gw0``, ``gw1``). Each has its own test
# database (pytest-django) and needs its own Redis database too: clearing a Redis cache empties the
# whole database, and API keys of the two test databases share ids (their rate counts would mix).
XDIST_WORKER_INDEX = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)


def redis_url_for_worker(url: str) -> str:
    """``url`` with its database number moved up by the worker's index (redis://host:port/N)."""
    base, _, number = url.rpartition("/")
    if not base.startswith("redis") or not number.isdigit():
        return url
    return f"{base}/{int(number) + XDIST_WORKER_INDEX}"


if "redis" in _CACHES["default"]["BACKEND"].lower():
    CACHES = {
        "default": {**_CACHES["default"], "LOCATION": redis_url_for_worker(_CACHES["default"]["LOCATION"])}
    }
