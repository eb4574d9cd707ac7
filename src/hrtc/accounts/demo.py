"""Demo organisations and users, one per role, so a new user can sign in and look around."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from hrtc.accounts.choices import OrganisationKind, Role
from hrtc.accounts.loader import country_team_for, government_of
from hrtc.accounts.models import Membership, Organisation
from hrtc.core import audit
from hrtc.reference.models import State

DEMO_PASSWORD = "hrtc-demo"  # printed on the terminal; `hrtc demo` refuses to run in production mode


@dataclass(frozen=True)
class DemoUser:
    username: str
    organisation: str  # organisation code
    role: str
    description: str


EXTRA_ORGANISATIONS = [
    # code, kind, name, acronym, state
    ("knchr", OrganisationKind.NHRI, "Kenya National Commission on Human Rights", "KNCHR", "KEN"),
    ("fida-kenya", OrganisationKind.CSO, "Federation of Women Lawyers Kenya", "FIDA Kenya", "KEN"),
    ("donor-nor", OrganisationKind.DONOR, "Norway (Ministry of Foreign Affairs)", "Norway", "NOR"),
]

USERS = [
    DemoUser("ohchr.officer", "ohchr", Role.EDITOR, "OHCHR technical cooperation officer"),
    DemoUser("unwomen.officer", "unwomen", Role.EDITOR, "UN Women programme officer"),
    DemoUser("unct.kenya", "unct-ken", Role.EDITOR, "UN country team in Kenya, human rights adviser"),
    DemoUser("kenya.focal", "gov-ken", Role.FOCAL_POINT, "Kenya's focal point (national mechanism)"),
    DemoUser("kenya.viewer", "gov-ken", Role.VIEWER, "Kenyan ministry official, read-only"),
    DemoUser("slovenia.focal", "gov-svn", Role.FOCAL_POINT, "Slovenia's focal point"),
    DemoUser("knchr.member", "knchr", Role.EDITOR, "National human rights institution staff"),
    DemoUser("cso.member", "fida-kenya", Role.EDITOR, "Women's rights organisation member"),
    DemoUser("donor.norway", "donor-nor", Role.VIEWER, "Donor desk officer"),
]


@transaction.atomic
def load_demo() -> list[tuple[str, str, str]]:
    """Create (or refresh) the demo data. Returns (username, password, who) rows to print."""
    User = get_user_model()
    with audit.acting_as(None):
        kenya, slovenia = State.objects.get(code="KEN"), State.objects.get(code="SVN")
        government_of(kenya)
        government_of(slovenia)
        country_team_for(kenya)
        for code, kind, name, acronym, state_code in EXTRA_ORGANISATIONS:
            Organisation.objects.get_or_create(
                code=code,
                defaults={
                    "kind": kind,
                    "name": name,
                    "acronym": acronym,
                    "state": State.objects.get(code=state_code),
                },
            )
        admin, _ = User.objects.get_or_create(
            username="admin", defaults={"is_staff": True, "is_superuser": True}
        )
        _set_password(admin)
        rows = [("admin", DEMO_PASSWORD, "Platform administrator (Django admin at /admin/)")]
        for demo in USERS:
            user, _ = User.objects.get_or_create(username=demo.username)
            _set_password(user)
            Membership.objects.update_or_create(
                user=user,
                organisation=Organisation.objects.get(code=demo.organisation),
                defaults={"role": demo.role},
            )
            rows.append((demo.username, DEMO_PASSWORD, demo.description))
    return rows


def _set_password(user) -> None:
    if not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
        user.save()
