"""The seam between `core` and the access policy.

Core's building blocks — the API permission and filters, the admin's door, the disclosure decisions, the
import command — need to ask "who is this reader, and what may they do or see?". The answer is the access
policy, which the `accounts` app owns (``hrtc.accounts.policy``) and which itself builds on core. So that
core never imports accounts (the app import graph has no cycles: ``tests/core/test_import_graph.py``),
accounts plugs its policy in here when the apps are ready (``AccountsConfig.ready``), and core asks these
functions. Asking before then is a programming error, said plainly.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

from django.db.models import QuerySet

_policy: ModuleType | None = None


def install(policy: ModuleType) -> None:
    """Called once by the accounts app: `policy` provides principal, can, visible, rule_for, SYSTEM."""
    global _policy
    _policy = policy


def _installed() -> ModuleType:
    if _policy is None:
        raise RuntimeError(
            "hrtc.core.access: no access policy is installed (is hrtc.accounts in INSTALLED_APPS?)"
        )
    return _policy


def principal(user: Any):
    """The policy's view of a user (None: anonymous); an already computed principal is returned as is."""
    policy = _installed()
    return user if isinstance(user, policy.Principal) else policy.principal(user)


def can(user: Any, action: str, obj: Any = None) -> bool:
    return _installed().can(user, action, obj)


def require(user: Any, action: str, obj: Any = None) -> None:
    """Raise the policy's AccessDenied (403, naming the action and who may) unless `user` may."""
    _installed().require(user, action, obj)


def visible(user: Any, queryset: QuerySet) -> QuerySet:
    """The rows of `queryset` the user may see; LookupError for a model the policy has no rows for."""
    return _installed().visible(user, queryset)


def describe(action: str) -> str:
    """Who may perform `action`, in words (for error messages)."""
    return _installed().rule_for(action).description


def is_platform_admin(user: Any) -> bool:
    return bool(principal(user).is_platform_admin)


def system() -> Any:
    """The actor for work the platform does itself (the command line, the worker)."""
    return _installed().SYSTEM
