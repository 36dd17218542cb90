"""Sections of the enterprise file (一企一档): each module adds its own.

A module registers `Section(key, title, template, context)` from its AppConfig.ready(); the file
renders them in `order`. `context(enterprise=, user=)` returns the section's template context
(using the module's own selectors, already scoped) or None to leave the section out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Section:
    key: str
    title: Any
    template: str
    context: Callable[..., dict[str, Any] | None]
    order: int = 100


_SECTIONS: dict[str, Section] = {}


def register(section: Section) -> None:
    _SECTIONS[section.key] = section


def render_list(*, enterprise: Any, user: Any) -> list[dict[str, Any]]:
    shown = []
    for section in sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key)):
        context = section.context(enterprise=enterprise, user=user)
        if context is not None:
            shown.append({"section": section, "context": context})
    return shown
