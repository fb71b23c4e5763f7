import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _load_settings(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
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
    result = _load_settings(DJANGO_DEBUG="0", DJANGO_SECRET_KEY="x" * 50)
    assert (result.returncode, result.stdout.strip()) == (0, "False")


def test_production_settings_leave_only_the_operators_hsts_choices_to_the_deployment_checks() -> None:
    # Whether every subdomain is HTTPS-only, and HSTS preloading, only the site's operator can decide.
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env={**clean, "DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "k" * 20 + "-production-only-" + "q" * 30},
        capture_output=True,
        text=True,
        check=False,
    )
    warnings = sorted(set(re.findall(r"\(security\.(W\d+)\)", result.stdout + result.stderr)))
    assert (result.returncode, warnings) == (0, ["W005", "W021"])


def test_proxy_ssl_header_must_name_a_header_and_a_value() -> None:
    result = _load_settings(
        DJANGO_DEBUG="0", DJANGO_SECRET_KEY="x" * 50, DJANGO_SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO"
    )
    assert result.returncode != 0
    assert "DJANGO_SECURE_PROXY_SSL_HEADER must be 'HEADER,value'" in result.stderr


def test_production_serves_the_admin_styles_itself_after_collectstatic(tmp_path: Path) -> None:
    # given a production configuration whose static files were collected
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "s" * 50,
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
