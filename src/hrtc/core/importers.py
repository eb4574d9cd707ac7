"""The registry behind `hrtc import KIND FILE...`: each app registers what it can import."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Importer:
    kind: str  # the word after `hrtc import`
    help: str
    formats: Callable[[], tuple[str, ...]]  # the names --format accepts
    run: Callable[..., object]  # run(path=, by=, format=, progress=) -> report with .summary()


IMPORTERS: dict[str, Importer] = {}


def register(importer: Importer) -> None:
    IMPORTERS[importer.kind] = importer
