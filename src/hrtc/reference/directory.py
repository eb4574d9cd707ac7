"""What other apps add to the reference pages, registered from their AppConfig.ready(): a section of the
/reference/ directory (a list another app keeps, such as the provider organisations of `accounts`) and a
panel on a State's page (the organisations registered for it). Reference data is what every app builds
on, so the reference app imports none of them; they come to it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Section:
    url_name: str
    label: Any  # a lazy translation
    count: Callable[[Any], int]  # request → how many rows the reader may see
    after: str = ""  # the url name of the section it follows on the page ("" = at the end)


@dataclass(frozen=True)
class StatePanel:
    template: str
    context: Callable[[Any, Any], dict]  # (request, State) → the template's context


SECTIONS: list[Section] = []
STATE_PANELS: list[StatePanel] = []


def add_section(section: Section) -> None:
    if section.url_name not in {s.url_name for s in SECTIONS}:
        SECTIONS.append(section)


def add_state_panel(panel: StatePanel) -> None:
    if panel.template not in {p.template for p in STATE_PANELS}:
        STATE_PANELS.append(panel)
