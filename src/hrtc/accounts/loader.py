"""Provider organisations from the shipped reference data, and country teams created on demand."""

from hrtc.accounts.choices import OrganisationKind
from hrtc.accounts.models import Organisation
from hrtc.reference.loader import Counts, read_csv, sync
from hrtc.reference.models import State

KIND_BY_CSV = {
    "ohchr": OrganisationKind.OHCHR,
    "un_agency": OrganisationKind.UN_AGENCY,
    "regional_org": OrganisationKind.REGIONAL,
}


def load_providers(*, using: str = "default") -> Counts:
    rows = [
        {
            "code": row["code"].lower(),
            "kind": KIND_BY_CSV[row["kind"]],
            "name": row["name_en"],
            "acronym": row["acronym"],
            "iati_org_ref": row["iati_org_ref"],
        }
        for _, row in read_csv("providers.csv", ["code", "kind", "name_en"])
    ]
    return sync(Organisation, rows, key="code", using=using)


def country_team_for(state: State) -> Organisation:
    """The UN country team in `state`, created the first time it is needed."""
    team, _ = Organisation.objects.get_or_create(
        code=f"unct-{state.code.lower()}",
        defaults={
            "kind": OrganisationKind.UNCT,
            "state": state,
            "name": f"UN country team in {state.name}",
            "acronym": f"UNCT {state.alpha2}",
        },
    )
    return team


def government_of(state: State) -> Organisation:
    """The government organisation of `state` (its focal points are members), created on demand."""
    government, _ = Organisation.objects.get_or_create(
        code=f"gov-{state.code.lower()}",
        defaults={"kind": OrganisationKind.STATE, "state": state, "name": f"Government of {state.name}"},
    )
    return government
