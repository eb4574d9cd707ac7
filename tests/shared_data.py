"""Where the tests find ../shared/data, and what they do when it is not there (no Django needed)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
#: CI sets HRTC_REQUIRE_SHARED_DATA=1: a test that needs ../shared/data then fails when it is missing
#: instead of skipping, so a moved or renamed data set cannot silently turn tests off.
REQUIRE_SHARED_DATA = os.environ.get("HRTC_REQUIRE_SHARED_DATA") == "1"


def need_shared(path: Path = SHARED_DATA) -> Path:
    """`path` under ../shared/data, or skip the test (fail it when HRTC_REQUIRE_SHARED_DATA=1)."""
    if not path.exists():
        message = f"{path} is absent (../shared/data is not beside the repository)"
        if REQUIRE_SHARED_DATA:
            pytest.fail(message + "; HRTC_REQUIRE_SHARED_DATA=1 requires it")
        pytest.skip(message)
    return path


#: Marks a test that reads ../shared/data: skipped without it, unless HRTC_REQUIRE_SHARED_DATA=1 (then it
#: runs, and fails on the missing file).
needs_shared = pytest.mark.skipif(
    not SHARED_DATA.exists() and not REQUIRE_SHARED_DATA, reason="../shared/data is not beside the repository"
)
