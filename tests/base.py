"""Named people, one per role, and small factories. Tests read like the rules they check."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model

from hrtc.accounts.choices import OrganisationKind, Role
from hrtc.accounts.loader import country_team_for, government_of
from hrtc.accounts.models import ApiToken, Membership, Organisation
from hrtc.reference.models import State
from tests.shared_data import SHARED_DATA, need_shared, needs_shared  # noqa: F401 - re-exported

PASSWORD = "correct horse battery staple"

#: Every role the policy knows about, as named people. `anonymous` is None.
ROLES = (
    "anonymous",
    "no_org_user",
    "kenya_focal_point",
    "kenya_viewer",
    "kenya_admin",
    "slovenia_focal_point",
    "ohchr_officer",
    "ohchr_admin",
    "unwomen_officer",
    "unct_officer",
    "nhri_member",
    "cso_member",
    "donor",
    "platform_admin",
)
SIGNED_IN = frozenset(ROLES) - {"anonymous"}
#: Who may record the implementation status of a Kenyan recommendation.
KENYA_ASSESSORS = frozenset(
    {
        "platform_admin",
        "kenya_focal_point",
        "kenya_admin",
        "ohchr_officer",
        "ohchr_admin",
        "unwomen_officer",
        "unct_officer",
        "nhri_member",
        "cso_member",
    }
)
EVERYONE = frozenset(ROLES)


@dataclass
class People:
    users: dict[str, object] = field(default_factory=dict)
    organisations: dict[str, Organisation] = field(default_factory=dict)

    def __getattr__(self, name: str):
        try:
            return self.__dict__["users"][name]
        except KeyError:
            raise AttributeError(name) from None


def make_user(username: str, **extra):
    return get_user_model().objects.create_user(username=username, password=PASSWORD, **extra)


def make_organisation(
    code: str, kind: str, state: str | None = None, name: str | None = None
) -> Organisation:
    return Organisation.objects.create(
        code=code, kind=kind, name=name or code, state=State.objects.get(code=state) if state else None
    )


def make_people() -> People:
    kenya, slovenia = State.objects.get(code="KEN"), State.objects.get(code="SVN")
    orgs = {
        "gov_ken": government_of(kenya),
        "gov_svn": government_of(slovenia),
        "ohchr": Organisation.objects.get(code="ohchr"),
        "unwomen": Organisation.objects.get(code="unwomen"),
        "unct_ken": country_team_for(kenya),
        "nhri": make_organisation("knchr", OrganisationKind.NHRI, "KEN"),
        "cso": make_organisation("fida", OrganisationKind.CSO, "KEN"),
        "donor": make_organisation("donor-nor", OrganisationKind.DONOR, "NOR"),
    }
    seats = {
        "kenya_focal_point": ("gov_ken", Role.FOCAL_POINT),
        "kenya_viewer": ("gov_ken", Role.VIEWER),
        "kenya_admin": ("gov_ken", Role.ADMIN),
        "slovenia_focal_point": ("gov_svn", Role.FOCAL_POINT),
        "ohchr_officer": ("ohchr", Role.EDITOR),
        "ohchr_admin": ("ohchr", Role.ADMIN),
        "unwomen_officer": ("unwomen", Role.EDITOR),
        "unct_officer": ("unct_ken", Role.EDITOR),
        "nhri_member": ("nhri", Role.EDITOR),
        "cso_member": ("cso", Role.EDITOR),
        "donor": ("donor", Role.VIEWER),
    }
    people = People(organisations=orgs)
    people.users["anonymous"] = None
    people.users["no_org_user"] = make_user("no.org")
    people.users["platform_admin"] = make_user("platform.admin", is_superuser=True, is_staff=True)
    for name, (org, role) in seats.items():
        user = make_user(name.replace("_", "."))
        Membership.objects.create(user=user, organisation=orgs[org], role=role)
        people.users[name] = user
    return people


def make_token(user, name: str = "script") -> tuple[ApiToken, str]:
    from hrtc.accounts.services import token_create

    return token_create(by=user, name=name)


def make_recommendation(
    state: str = "KEN",
    text: str = "Ratify the Optional Protocol to the Convention against Torture",
    mechanism: str = "UPR",
    cycle: int = 3,
    paragraph: str = "",
    **extra,
):
    from hrtc.recommendations.importing import digest
    from hrtc.recommendations.models import Recommendation

    key = digest("test", state, mechanism, cycle, paragraph, text)
    return Recommendation.objects.create(
        natural_key=key,
        fingerprint=key,
        text=text,
        state_under_review_id=state,
        mechanism_id=mechanism,
        cycle=cycle,
        paragraph=paragraph,
        **extra,
    )


def make_activity(
    people, *, lead: str = "ohchr", writer: str = "ohchr_officer", state: str = "KEN", **fields
):
    """An activity recorded by a writer of its lead provider (not published, no State consent yet)."""
    from datetime import date

    from hrtc.assistance import services

    fields.setdefault("title", "Prison monitoring training")
    fields.setdefault("modality", "training")
    fields.setdefault("planned_start", date(2026, 3, 1))
    fields.setdefault("planned_end", date(2026, 3, 31))
    return services.activity_create(
        by=getattr(people, writer),
        lead_provider=people.organisations[lead],
        state=State.objects.get(code=state),
        **fields,
    )


def make_request(
    people,
    *,
    providers=("ohchr",),
    publish: bool = False,
    submit: bool = True,
    title: str = "Prison staff training",
    needs: str = "Training on the Nelson Mandela Rules",
    modality: str = "training",
    themes=(),
):
    """A Kenyan request drafted by Kenya's focal point, shared with `providers`, submitted unless told not to."""
    from hrtc.assistance import services

    req = services.request_create(
        by=people.kenya_focal_point,
        state=State.objects.get(code="KEN"),
        title=title,
        needs=needs,
        modality=modality,
        themes=themes,
    )
    services.request_set_consent(
        request=req,
        by=people.kenya_focal_point,
        publish_summary=publish,
        providers=[people.organisations[p] for p in providers],
    )
    if submit:
        services.request_transition(request=req, by=people.kenya_focal_point, name="submit")
    return req
