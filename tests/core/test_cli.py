"""The `hrtc` command on a fresh SQLite database in a temporary HRTC_DATA_DIR, as a user runs it."""

import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")),
    reason="exercises the embedded SQLite default; PostgreSQL runs the rest",
)


def hrtc(*args: str, data_dir) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env["HRTC_DATA_DIR"] = str(data_dir)
    result = subprocess.run(
        [sys.executable, "-m", "hrtc", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result


def test_migrate_loads_reference_data_once_and_demo_prints_credentials(tmp_path):
    hrtc("migrate", "--verbosity", "0", data_dir=tmp_path)
    assert (tmp_path / "hrtc.sqlite3").exists()
    reload = hrtc("load-reference", data_dir=tmp_path).stdout
    assert "States: 0 created, 0 updated, 195 unchanged" in reload
    assert "SDG targets: 0 created, 0 updated, 169 unchanged" in reload
    assert "(0 rows changed)" in reload
    demo = hrtc("demo", data_dir=tmp_path).stdout
    assert "kenya.focal" in demo
    assert "hrtc-demo" in demo
    assert "admin" in demo
    again = hrtc("demo", data_dir=tmp_path).stdout  # re-runnable
    assert "kenya.focal" in again
    users = hrtc(
        "shell",
        "-c",
        "from django.contrib.auth.models import User; print(User.objects.count())",
        data_dir=tmp_path,
    ).stdout
    assert users.strip().splitlines()[-1] == "10"


def test_policy_prints_the_table(tmp_path):
    out = hrtc("policy", data_dir=tmp_path).stdout
    assert "audit.view" in out
    assert "platform administrators" in out


def test_an_unknown_command_fails_clearly(tmp_path):
    env = {**os.environ, "HRTC_DATA_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "hrtc", "no-such-verb"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "Unknown command: 'no_such_verb'" in result.stderr
