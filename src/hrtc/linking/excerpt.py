"""Cut the labelled excerpt shipped in linking/data/ from ../shared/data (deterministic; rerun with
`python -m hrtc.linking.excerpt [SHARED_DATA_DIR]`). The excerpt lets training and evaluation run
from a fresh clone without the shared data; README.md there gives the attribution."""

from __future__ import annotations

import csv
import hashlib
import sys
from pathlib import Path

from hrtc.linking.datasets import (
    EXCERPT_OHCHR,
    EXCERPT_UPRINFO,
    OHCHR_MATRIX,
    PACKAGE_DATA,
    UPRINFO_GLOB,
    normalise,
    shared_data_dir,
)

PER_ISSUE = 15


def _rank(text: str) -> str:
    return hashlib.sha256(normalise(text).encode()).hexdigest()


def cut(shared: Path, out: Path = PACKAGE_DATA) -> tuple[int, int]:
    with (shared / OHCHR_MATRIX).open(encoding="utf-8", newline="") as handle:
        matrix = [r for r in csv.DictReader(handle) if r["sdg_goals"]]
    with (out / EXCERPT_OHCHR).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["cycle", "rec_id", "text", "sdg_goals"])
        for row in matrix:
            writer.writerow([row["cycle"], row["rec_id"], row["text"], row["sdg_goals"]])
    rows: dict[str, dict] = {}
    for path in sorted(shared.glob(UPRINFO_GLOB)):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                if row["Issue"].strip() and normalise(row["Text"]):
                    rows.setdefault(normalise(row["Text"]), row)
    chosen: dict[str, dict] = {}
    by_issue: dict[str, list[tuple[str, str]]] = {}
    for key, row in rows.items():
        for issue in row["Issue"].split(","):
            by_issue.setdefault(issue.strip(), []).append((_rank(row["Text"]), key))
    for issue in sorted(by_issue):
        for _, key in sorted(by_issue[issue])[:PER_ISSUE]:
            chosen[key] = rows[key]
    with (out / EXCERPT_UPRINFO).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["To", "Session", "Text", "Issue"])
        for key in sorted(chosen, key=_rank):
            row = chosen[key]
            writer.writerow([row["To"], row["Session"], row["Text"].strip(), row["Issue"]])
    return len(matrix), len(chosen)


if __name__ == "__main__":
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else shared_data_dir()
    if source is None:
        sys.exit("No shared data found: give its directory.")
    sys.stdout.write(f"{cut(source)}\n")
