"""Production mode refuses insecure settings; `hrtc check --deploy` passes with secure ones."""

import os
import secrets
import subprocess
import sys

import pytest


def hrtc(*args: str, env: dict[str, str], tmp_path) -> subprocess.CompletedProcess:
    environment = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment.update({"HRTC_DATA_DIR": str(tmp_path), **env})
    return subprocess.run(
        [sys.executable, "-m", "hrtc", *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


PRODUCTION = {"DEBUG": "0", "ALLOWED_HOSTS": "hrtc.example.org"}


def test_deploy_check_passes_in_production_mode(tmp_path):
    result = hrtc(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={**PRODUCTION, "SECRET_KEY": secrets.token_urlsafe(64)},
        tmp_path=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("secret_key", [None, "hrtc-development-key-never-use-in-production", "short"])
def test_production_mode_refuses_an_insecure_secret_key(tmp_path, secret_key):
    env = dict(PRODUCTION)
    if secret_key is not None:
        env["SECRET_KEY"] = secret_key
    result = hrtc("check", env=env, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "refuses to start" in result.stderr


def test_production_mode_needs_allowed_hosts(tmp_path):
    result = hrtc("check", env={"DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(64)}, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_a_malformed_boolean_is_named(tmp_path):
    result = hrtc("check", env={"DEBUG": "maybe"}, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "DEBUG='maybe' is not a boolean" in result.stderr
