"""The access policy: the one module that answers who may see or do what.

Two tables, both extended by later apps by adding lines here (never by checking roles in a view):

* ``ACTIONS`` maps an action name ("audit.view", "assistance.accept", ...) to a ``Rule``:
  ``can(user, action, obj)`` asks it, ``require(...)`` raises ``AccessDenied``.
* ``VISIBILITY`` maps a model label ("accounts.membership", "reference.*") to a ``Scope``:
  ``visible(user, queryset)`` narrows a queryset to what the user may see. A model that is not
  in the table is visible to nobody, so forgetting a line fails closed.

Rules read a ``Principal``: the user with their memberships (organisation kind, State, role),
computed once per user object.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet

from hrtc.accounts.choices import OrganisationKind, Role

ALL_ROLES = frozenset(Role)
WRITE_ROLES = frozenset({Role.EDITOR, Role.FOCAL_POINT, Role.ADMIN})


class AccessDenied(PermissionDenied):
    """The policy refused an action. The message says which action, so a person can ask for it."""


@dataclass(frozen=True)
class Seat:
    """One membership: a role in an organisation of some kind, perhaps tied to a State."""

    organisation_id: int
    kind: str
    state_id: str | None
    role: str


@dataclass(frozen=True)
class Principal:
    user_id: int | None
    is_authenticated: bool
    is_platform_admin: bool
    seats: tuple[Seat, ...] = ()

    def seats_where(
        self, kinds: Iterable[str] | None = None, roles: Iterable[str] | None = None
    ) -> list[Seat]:
        kinds = None if kinds is None else set(kinds)
        roles = None if roles is None else set(roles)
        return [
            s for s in self.seats if (kinds is None or s.kind in kinds) and (roles is None or s.role in roles)
        ]

    def organisation_ids(self, roles: Iterable[str] | None = None) -> set[int]:
        return {s.organisation_id for s in self.seats_where(roles=roles)}

    def state_ids(self, roles: Iterable[str] | None = None) -> set[str]:
        """The States this user acts for: as a member of that State's government organisation."""
        return {
            s.state_id for s in self.seats_where(kinds={OrganisationKind.STATE}, roles=roles) if s.state_id
        }


ANONYMOUS = Principal(user_id=None, is_authenticated=False, is_platform_admin=False)


class SystemOperator:
    """Whoever runs `hrtc ...` on the server: has the database anyway, so the policy lets them do anything.
    Audit entries written on its behalf have no actor; the command line is the record."""

    is_authenticated = True
    is_superuser = True
    is_active = True
    pk = None

    def __str__(self) -> str:
        return "system operator (command line)"

    def get_username(self) -> str:
        return "system"


SYSTEM = SystemOperator()
SYSTEM_PRINCIPAL = Principal(user_id=None, is_authenticated=True, is_platform_admin=True)


def principal(user: Any) -> Principal:
    if user is SYSTEM:
        return SYSTEM_PRINCIPAL
    if user is None or not getattr(user, "is_authenticated", False):
        return ANONYMOUS
    cached = getattr(user, "_hrtc_principal", None)
    if cached is not None:
        return cached
    from hrtc.accounts.models import Membership

    seats = tuple(
        Seat(
            organisation_id=m.organisation_id,
            kind=m.organisation.kind,
            state_id=m.organisation.state_id,
            role=m.role,
        )
        for m in Membership.objects.filter(user=user, organisation__is_active=True).select_related(
            "organisation"
        )
    )
    result = Principal(
        user_id=user.pk,
        is_authenticated=True,
        is_platform_admin=bool(user.is_active and user.is_superuser),
        seats=seats,
    )
    user._hrtc_principal = result
    return result


def forget(user: Any) -> None:
    """Drop the cached principal after the user's memberships changed."""
    if hasattr(user, "_hrtc_principal"):
        del user._hrtc_principal


class Rule:
    """A predicate over (principal, object) with a description for the policy table."""

    def __init__(self, test: Callable[[Principal, Any], bool], description: str):
        self.test = test
        self.description = description

    def __call__(self, who: Principal, obj: Any = None) -> bool:
        return bool(self.test(who, obj))

    def __or__(self, other: Rule) -> Rule:
        return Rule(lambda p, o: self(p, o) or other(p, o), f"{self.description}; or {other.description}")

    def __and__(self, other: Rule) -> Rule:
        return Rule(lambda p, o: self(p, o) and other(p, o), f"{self.description}, if {other.description}")


ANYONE = Rule(lambda p, o: True, "anyone, signed in or not")
SIGNED_IN = Rule(lambda p, o: p.is_authenticated, "any signed-in user")
PLATFORM_ADMIN = Rule(lambda p, o: p.is_platform_admin, "platform administrators")


def roles_text(roles: frozenset[str]) -> str:
    return "any role" if roles == ALL_ROLES else "/".join(sorted(str(Role(r).label) for r in roles))


def member_of(*kinds: str, roles: Iterable[str] = ALL_ROLES) -> Rule:
    roles = frozenset(roles)
    order = list(OrganisationKind)  # the kinds' declared order: a set of kinds prints the same in every run
    ordered = sorted((OrganisationKind(k) for k in kinds), key=order.index)
    names = ", ".join(str(k.label) for k in ordered) if kinds else "any organisation"
    role_names = roles_text(roles)
    return Rule(lambda p, o: bool(p.seats_where(kinds or None, roles)), f"members of {names} ({role_names})")


def in_the_organisation(roles: Iterable[str] = ALL_ROLES, attr: str = "organisation_id") -> Rule:
    """The object belongs to an organisation in which the user has one of `roles`."""
    roles = frozenset(roles)
    role_names = roles_text(roles)

    def test(p: Principal, obj: Any) -> bool:
        org_id = getattr(obj, attr, None) if obj is not None else None
        return org_id is not None and org_id in p.organisation_ids(roles)

    return Rule(test, f"members of the object's organisation ({role_names})")


def for_the_state(
    roles: Iterable[str] = ALL_ROLES, state_of: Callable[[Any], str | None] | None = None
) -> Rule:
    """The object concerns a State whose government organisation the user belongs to with one of `roles`."""
    roles = frozenset(roles)
    state_of = state_of or (lambda obj: getattr(obj, "state_id", None))

    def test(p: Principal, obj: Any) -> bool:
        state_id = state_of(obj) if obj is not None else None
        return state_id is not None and state_id in p.state_ids(roles)

    return Rule(test, f"the State's own government members ({roles_text(roles)})")


def subject_state(obj: Any) -> str | None:
    """The State a record is about: a recommendation's State under review, a pledge's State, ..."""
    for attr in ("state_under_review_id", "state_id"):
        value = getattr(obj, attr, None)
        if value:
            return value
    subject = getattr(obj, "subject", None)
    return subject_state(subject) if subject is not None and subject is not obj else None


OWNER = Rule(
    lambda p, o: o is not None and p.user_id is not None and getattr(o, "user_id", None) == p.user_id,
    "the user who owns the object",
)


STATE_DECIDERS = frozenset({Role.FOCAL_POINT, Role.ADMIN})


def reads_in_full(p: Principal, obj: Any) -> bool:
    """The record's own disclosure decision (``hrtc.core.disclosure``), asked for one record."""
    from hrtc.core import disclosure

    if obj is None or getattr(obj, "pk", None) is None:
        return False
    decision = disclosure.of(obj)
    condition = decision.full(p)
    if condition is True or condition is False:
        return condition
    return decision.level(p, obj) >= disclosure.Level.FULL


#: action → who may do it: the platform's own actions here; each app registers its actions from its
#: AppConfig.ready() (`register_actions`, in the app's access.py), so the policy imports no app.
ACTIONS: dict[str, Rule] = {
    "reference.view": ANYONE,
    "reference.manage": PLATFORM_ADMIN,
    "audit.view": PLATFORM_ADMIN,
    "accounts.organisation.view": ANYONE,
    "accounts.organisation.create": PLATFORM_ADMIN,
    "accounts.organisation.manage": PLATFORM_ADMIN | in_the_organisation({Role.ADMIN}, attr="pk"),
    # Memberships. A State's government organisation is the State's: only its own administrators add members
    # or change roles (a platform administrator who added themselves could consent for the State); platform
    # administrators may only deactivate (remove) a member. Other organisations: their administrators and
    # platform administrators.
    "accounts.membership.manage": PLATFORM_ADMIN | in_the_organisation({Role.ADMIN}),
    "accounts.membership.manage_government": in_the_organisation({Role.ADMIN}),
    "accounts.membership.deactivate": PLATFORM_ADMIN | in_the_organisation({Role.ADMIN}),
    "accounts.token.create": SIGNED_IN,
    "accounts.token.revoke": OWNER | PLATFORM_ADMIN,
}


class Scope:
    """Which rows of a model a principal may see: a Q filter, everything, or nothing."""

    def __init__(self, build: Callable[[Principal], Q | bool], description: str):
        self.build = build
        self.description = description

    def apply(self, who: Principal, queryset: QuerySet) -> QuerySet:
        condition = self.build(who)
        if condition is True:
            return queryset
        if condition is False:
            return queryset.none()
        return queryset.filter(condition)


PUBLIC = Scope(lambda p: True, "everyone")
ADMINS_ONLY = Scope(lambda p: p.is_platform_admin, "platform administrators")


def _own_organisations(p: Principal) -> Q | bool:
    return True if p.is_platform_admin else Q(organisation_id__in=p.organisation_ids())


def own_tokens(p: Principal) -> Q | bool:
    if p.is_platform_admin:
        return True
    return Q(user_id=p.user_id) if p.user_id is not None else False


def own_imports(p: Principal) -> Q | bool:
    if p.is_platform_admin:
        return True
    return Q(by_id=p.user_id) if p.user_id is not None else False


#: model label ("app.model" or "app.*") → which rows a user may see. Models not listed: nobody.
VISIBILITY: dict[str, Scope] = {
    "reference.*": PUBLIC,
    "accounts.organisation": PUBLIC,
    "accounts.membership": Scope(_own_organisations, "members of the same organisation; administrators"),
    "accounts.apitoken": Scope(own_tokens, "the token's owner; administrators"),
    "auditlog.logentry": ADMINS_ONLY,
    "core.importrun": Scope(own_imports, "whoever ran the import; administrators"),
}


def register_app(access: Any) -> None:
    """An app's lines of the policy, from its AppConfig.ready(): its access module's ACTIONS (action → Rule)
    and VISIBILITY (model label → Scope)."""
    register_actions(getattr(access, "ACTIONS", {}))
    for label, scope in getattr(access, "VISIBILITY", {}).items():
        register_visibility(label, scope)


def register_actions(actions: dict[str, Rule]) -> None:
    """An app's own actions (its access.py, from its AppConfig.ready())."""
    for name, rule in actions.items():
        if ACTIONS.get(name) not in (None, rule):
            raise ValueError(f"policy action {name} is registered twice")
        ACTIONS[name] = rule


def register_visibility(label: str, scope: Scope) -> None:
    """An app's own line in VISIBILITY, registered from its AppConfig.ready() (the app knows its models;
    the policy does not import them)."""
    if VISIBILITY.get(label) not in (None, scope):
        raise ValueError(f"visibility of {label} is registered twice")
    VISIBILITY[label] = scope


def rule_for(action: str) -> Rule:
    try:
        return ACTIONS[action]
    except KeyError:
        raise LookupError(
            f"Access policy has no action {action!r}; add it to hrtc.accounts.policy.ACTIONS"
        ) from None


def can(user: Any, action: str, obj: Any = None) -> bool:
    return rule_for(action)(principal(user), obj)


def require(user: Any, action: str, obj: Any = None) -> None:
    if not can(user, action, obj):
        who = "Signing in" if not getattr(user, "is_authenticated", False) else "Your roles do not allow this"
        raise AccessDenied(f"Not allowed: {action}. {who}; this needs {rule_for(action).description}.")


def scope_for(model: type[Model]) -> Scope:
    """A model's visibility: its app's registered disclosure decision (``hrtc.core.disclosure``) if it has
    one, else its line in VISIBILITY."""
    from hrtc.core import disclosure

    label = model._meta.label_lower
    decision = disclosure.for_model(model)
    if decision is not None:
        return Scope(decision.rows, decision.rows_description)
    scope = VISIBILITY.get(label) or VISIBILITY.get(f"{model._meta.app_label}.*")
    if scope is None:
        raise LookupError(
            f"Access policy has no visibility for {label}; add it to hrtc.accounts.policy.VISIBILITY"
        )
    return scope


def visible(user: Any, queryset: QuerySet) -> QuerySet:
    return scope_for(queryset.model).apply(principal(user), queryset)


def table() -> list[tuple[str, str]]:
    """The policy as (action or model, who) rows, for documentation and `hrtc policy`."""
    rows = [(action, rule.description) for action, rule in sorted(ACTIONS.items())]
    from hrtc.core import disclosure

    rows += [(f"see {label}", scope.description) for label, scope in sorted(VISIBILITY.items())]
    for label, decision in disclosure.registered().items():
        rows.append((f"see {label}", decision.rows_description))
        rows.append((f"read {label} in full", decision.full_description))
    rows.sort(key=lambda row: row[0].split(" ", 1)[-1] if row[0].startswith(("see ", "read ")) else row[0])
    return rows
