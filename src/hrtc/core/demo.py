"""`hrtc demo` runs every app's demo loader, in registration (INSTALLED_APPS) order."""

from collections.abc import Callable

LOADERS: list[Callable[[], list[tuple[str, str, str]] | None]] = []


def register(loader: Callable[[], list[tuple[str, str, str]] | None]) -> None:
    if loader not in LOADERS:
        LOADERS.append(loader)
