import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


# An audit key of production length, for the tests about other settings.
AUDIT_KEY = "a" * 50


def _clean_environment() -> dict[str, str]:
    """The suite's environment without the variables these tests set (tests/settings.py sets some)."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "AUDIT_"))}


def _load_settings(**env: str) -> subprocess.CompletedProcess[str]:
    clean = _clean_environment()
    return subprocess.run(
        [sys.executable, "-c", "import config.settings as s; print(s.DEBUG)"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_settings_fail_fast_without_a_secret_key() -> None:
    result = _load_settings(DJANGO_DEBUG="0")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off" in result.stderr


def test_production_settings_load_with_a_secret_key() -> None:
    result = _load_settings(DJANGO_DEBUG="0", DJANGO_SECRET_KEY="x" * 50, AUDIT_HMAC_KEY=AUDIT_KEY)
    assert (result.returncode, result.stdout.strip()) == (0, "False")


def test_debug_is_off_when_nothing_says_otherwise() -> None:
    # given no DJANGO_DEBUG at all, then debug is off (and the keys are asked for)
    result = _load_settings(DJANGO_SECRET_KEY="x" * 50, AUDIT_HMAC_KEY=AUDIT_KEY)
    unset = _load_settings()
    assert (result.returncode, result.stdout.strip()) == (0, "False")
    assert "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off" in unset.stderr


def test_production_refuses_a_secret_key_shorter_than_50_characters() -> None:
    result = _load_settings(DJANGO_DEBUG="0", DJANGO_SECRET_KEY="x" * 49, AUDIT_HMAC_KEY=AUDIT_KEY)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is 49 characters long; production needs at least 50" in result.stderr


def test_production_refuses_to_start_without_an_audit_key_or_with_a_short_one() -> None:
    missing = _load_settings(DJANGO_DEBUG="0", DJANGO_SECRET_KEY="x" * 50)
    short = _load_settings(DJANGO_DEBUG="0", DJANGO_SECRET_KEY="x" * 50, AUDIT_HMAC_KEY="short")
    assert "AUDIT_HMAC_KEY must be set when DJANGO_DEBUG is off" in missing.stderr
    assert "AUDIT_HMAC_KEY is 5 characters long; production needs at least 50" in short.stderr


def test_debug_runs_with_demo_keys() -> None:
    # `make run` sets DJANGO_DEBUG=1 and nothing else
    result = subprocess.run(
        [sys.executable, "-c", "import config.settings as s; print(s.DEBUG, len(s.AUDIT_HMAC_KEY) > 0)"],
        cwd=ROOT,
        env={**_clean_environment(), "DJANGO_DEBUG": "1"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.returncode, result.stdout.strip()) == (0, "True True")


def test_production_settings_leave_only_the_operators_hsts_choices_to_the_deployment_checks() -> None:
    # Whether every subdomain is HTTPS-only, and HSTS preloading, only the site's operator can decide.
    clean = _clean_environment()
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env={
            **clean,
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "k" * 20 + "-production-only-" + "q" * 30,
            "AUDIT_HMAC_KEY": AUDIT_KEY,
        },
        capture_output=True,
        text=True,
        check=False,
    )
    warnings = sorted(set(re.findall(r"\(security\.(W\d+)\)", result.stdout + result.stderr)))
    assert (result.returncode, warnings) == (0, ["W005", "W021"])


def test_proxy_ssl_header_must_name_a_header_and_a_value() -> None:
    result = _load_settings(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="x" * 50,
        AUDIT_HMAC_KEY=AUDIT_KEY,
        DJANGO_SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO",
    )
    assert result.returncode != 0
    assert "DJANGO_SECURE_PROXY_SSL_HEADER must be 'HEADER,value'" in result.stderr


def test_production_serves_the_admin_styles_itself_after_collectstatic(tmp_path: Path) -> None:
    # given a production configuration whose static files were collected
    env = {
        **_clean_environment(),
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "s" * 50,
        "AUDIT_HMAC_KEY": AUDIT_KEY,
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
    }
    collected = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    # when the admin's stylesheet is asked for over HTTPS, with no web server in front
    fetch = (
        "import django; django.setup(); from django.test import Client; from django.templatetags.static "
        "import static; r = Client().get(static('admin/css/base.css'), secure=True); "
        "print(r.status_code, r['Content-Type'])"
    )
    served = subprocess.run(
        [sys.executable, "-c", fetch],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        check=False,
    )
    # then the application serves it
    assert (collected.returncode, collected.stderr) == (0, "")
    assert served.stdout.split() == ["200", "text/css;", 'charset="utf-8"']
