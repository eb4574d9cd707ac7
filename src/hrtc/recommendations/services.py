"""Every write to the registry (besides file imports, in importing.py): status assessments, bulk
assignment of responsible entities and themes, cluster edits. Policy-checked, audited, one transaction."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from hrtc.accounts import policy
from hrtc.accounts.choices import OrganisationKind
from hrtc.accounts.models import Organisation
from hrtc.core import audit
from hrtc.core.exceptions import InvalidInput
from hrtc.recommendations.choices import AssessmentSource, ClusterMethod, ImplementationStatus
from hrtc.recommendations.models import Assessment, Cluster, Pledge, Recommendation, ResponsibleEntity
from hrtc.reference.models import State, Theme

SOURCE_BY_KIND = {
    OrganisationKind.STATE: AssessmentSource.GOVERNMENT,
    OrganisationKind.NHRI: AssessmentSource.NHRI,
    OrganisationKind.CSO: AssessmentSource.CIVIL_SOCIETY,
    OrganisationKind.OHCHR: AssessmentSource.UN,
    OrganisationKind.UN_AGENCY: AssessmentSource.UN,
    OrganisationKind.UNCT: AssessmentSource.UN,
}


def _assessing_organisation(by, subject) -> Organisation | None:
    """The organisation on whose behalf `by` assesses: their government first, then NHRI, CSO, UN."""
    who = policy.principal(by)
    state = policy.subject_state(subject)
    order = [
        OrganisationKind.STATE,
        OrganisationKind.NHRI,
        OrganisationKind.CSO,
        OrganisationKind.OHCHR,
        OrganisationKind.UNCT,
        OrganisationKind.UN_AGENCY,
    ]
    for kind in order:
        for seat in who.seats_where(kinds={kind}, roles=policy.WRITE_ROLES):
            if kind == OrganisationKind.STATE and seat.state_id != state:
                continue
            return Organisation.objects.get(pk=seat.organisation_id)
    return None


@transaction.atomic
def assessment_record(
    *,
    subject: Recommendation | Pledge,
    by,
    status: str,
    as_of: date | None = None,
    evidence: str = "",
    evidence_url: str = "",
    internal: bool = False,
) -> Assessment:
    """Record the implementation status of a recommendation or pledge, with its evidence."""
    policy.require(by, "recommendations.assess", subject)
    if status not in ImplementationStatus.values:
        raise InvalidInput(
            f"Unknown status {status!r}; use one of {', '.join(ImplementationStatus.values)}.", field="status"
        )
    as_of = as_of or timezone.localdate()
    if as_of > timezone.localdate():
        raise InvalidInput("An assessment cannot be dated in the future.", field="as_of")
    if internal:
        policy.require(by, "recommendations.assess_internal", subject)
    if not evidence.strip() and not evidence_url and status != ImplementationStatus.NOT_STARTED:
        raise InvalidInput("Give the evidence for this status: a description or a link.", field="evidence")
    organisation = _assessing_organisation(by, subject)
    source = (
        SOURCE_BY_KIND.get(organisation.kind, AssessmentSource.UN) if organisation else AssessmentSource.UN
    )
    with audit.acting_as(by):
        assessment = Assessment.objects.create(
            recommendation=subject if isinstance(subject, Recommendation) else None,
            pledge=subject if isinstance(subject, Pledge) else None,
            status=status,
            as_of=as_of,
            evidence=evidence.strip(),
            evidence_url=evidence_url,
            source=source,
            author=audit._real_user(by),
            organisation=organisation,
            internal=internal,
        )
        _refresh_public_status(subject)
    return assessment


def _refresh_public_status(subject: Recommendation | Pledge) -> None:
    latest = subject.assessments.filter(internal=False).order_by("-as_of", "-created_at", "-id").first()
    status = latest.status if latest else ""
    if subject.public_status != status:
        subject.public_status = status
        subject.save(update_fields=["public_status", "updated_at"])


@transaction.atomic
def responsible_entity_create(*, state: State, name: str, by, acronym: str = "") -> ResponsibleEntity:
    policy.require(by, "recommendations.edit", ResponsibleEntity(state=state))
    name = " ".join(name.split())
    if not name:
        raise InvalidInput("Name the responsible entity.", field="name")
    with audit.acting_as(by):
        entity, _ = ResponsibleEntity.objects.get_or_create(
            state=state, name=name, defaults={"acronym": acronym}
        )
    return entity


@transaction.atomic
def recommendations_bulk_assign(
    *,
    recommendations: list[Recommendation],
    by,
    entities: list[ResponsibleEntity] = (),
    themes: list[Theme] = (),
) -> int:
    """Add responsible entities and themes to many recommendations at once. Returns how many changed."""
    if not recommendations:
        raise InvalidInput("Select at least one recommendation.", field="recommendations")
    for rec in recommendations:
        policy.require(by, "recommendations.edit", rec)
        for entity in entities:
            if entity.state_id != rec.state_under_review_id:
                raise InvalidInput(
                    f"{entity} is an entity of {entity.state_id}, not of {rec.state_under_review_id}.",
                    field="entities",
                )
    changed = 0
    with audit.acting_as(by):
        for rec in recommendations:
            before = (set(rec.responsible_entities.all()), set(rec.themes.all()))
            rec.responsible_entities.add(*entities)
            rec.themes.add(*themes)
            if before != (set(rec.responsible_entities.all()), set(rec.themes.all())):
                changed += 1
    return changed


@transaction.atomic
def cluster_move(*, recommendation: Recommendation, cluster: Cluster | None, by) -> Recommendation:
    """Put a recommendation into another cluster of the same State (or none). Marks the clusters manual."""
    policy.require(by, "recommendations.edit", recommendation)
    if cluster is not None and cluster.state_under_review_id != recommendation.state_under_review_id:
        raise InvalidInput("A cluster groups recommendations to one State.", field="cluster")
    with audit.acting_as(by):
        for touched in {recommendation.cluster, cluster} - {None}:
            if touched.method != ClusterMethod.MANUAL:
                touched.method = ClusterMethod.MANUAL
                touched.save(update_fields=["method"])
        recommendation.cluster = cluster
        recommendation.save(update_fields=["cluster", "updated_at"])
    return recommendation


@transaction.atomic
def cluster_rename(*, cluster: Cluster, label: str, by) -> Cluster:
    policy.require(
        by, "recommendations.edit", Recommendation(state_under_review_id=cluster.state_under_review_id)
    )
    label = " ".join(label.split())
    if not label:
        raise InvalidInput("A cluster needs a label.", field="label")
    with audit.acting_as(by):
        cluster.label, cluster.method = label[:300], ClusterMethod.MANUAL
        cluster.save(update_fields=["label", "method"])
    return cluster
