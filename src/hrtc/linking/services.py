"""Every write of the linking app: training a classifier, classifying records, people's decisions on
links. Policy-checked and audited. A person's decision always wins: classification only ever creates,
updates or deletes links that are still `suggested`."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from hrtc.accounts import policy
from hrtc.core import audit
from hrtc.linking import classifier, datasets, evaluation
from hrtc.linking.choices import LinkKind, LinkSource, LinkStatus
from hrtc.linking.exceptions import LinkInvalid, NoClassifier, TrainingDataMissing
from hrtc.linking.models import Classification, ClassifierModel, Link
from hrtc.linking.subjects import LINKABLE, Linkable, linkable_for
from hrtc.reference.models import SdgGoal, Theme

BATCH = 500
_LOADED: dict[str, classifier.Linker] = {}


def models_dir() -> Path:
    return Path(settings.HRTC_DATA_DIR) / "models"


def active_model() -> ClassifierModel | None:
    return ClassifierModel.objects.filter(is_active=True).first()


def load_linker(model: ClassifierModel) -> classifier.Linker:
    """The trained classifier of `model`, checked against its recorded SHA-256 and kept in memory."""
    linker = _LOADED.get(model.version)
    if linker is None:
        path = models_dir() / model.file_name
        if not path.is_file():
            raise NoClassifier(
                f"The file of classifier {model.version} is missing ({path}); run `hrtc train-linker`."
            )
        linker = _LOADED[model.version] = classifier.Linker.load(path, sha256=model.sha256)
    return linker


# -- training -----------------------------------------------------------------------------------------
@dataclass
class TrainingReport:
    model: ClassifierModel
    evaluation: dict
    seconds: float


def linker_train(
    *,
    by,
    seed: int = 0,
    dataset: datasets.Dataset | None = None,
    activate: bool = True,
    progress: Callable[[str], None] | None = None,
) -> TrainingReport:
    """Train on the training side of the split, evaluate on the held-out side, store the artefact in
    HRTC_DATA_DIR/models/ under a versioned name and record it (active by default)."""
    policy.require(by, "linking.manage")
    say = progress or (lambda step: None)
    started = time.perf_counter()
    if dataset is None:
        say("reading labelled data")
        dataset = datasets.build()
    train = dataset.train
    if not any(e.goals and not e.reference for e in train) or not any(e.themes for e in train):
        raise TrainingDataMissing(
            "No labelled recommendations to train on (neither shared data nor the excerpt)."
        )
    linker = classifier.train(
        texts=[e.text for e in train],
        goals=[e.goals for e in train],
        themes=[e.themes for e in train],
        calibrate=[not e.reference for e in train],
        goal_labels=datasets.GOALS,
        seed=seed,
        progress=say,
    )
    say("evaluating on held-out records")
    report = evaluation.evaluate(linker, dataset)
    stamp = timezone.now().strftime("%Y%m%dT%H%M%S%f")
    version = f"{stamp}-seed{seed}"
    file_name = f"linker-{version}.npz"
    linker.meta.update({"version": version})
    sha256 = linker.save(models_dir() / file_name)
    params = {
        "features": "hashed word 1-2-grams + char_wb 2-5-grams, TF-IDF (sublinear), L2",
        "hash_features": classifier.HASH_FEATURES,
        "max_features": classifier.MAX_FEATURES,
        "kept_features": {
            "themes": len(linker.theme_features.keep),
            "goals": len(linker.goal_features.keep),
        },
        "svm_c": classifier.SVM_C,
        "stack_weight": linker.meta["stack_weight"],
        "stack_weight_oof_macro_f1": linker.meta["oof_macro_f1"],
        "folds": classifier.FOLDS,
        "split_seed": datasets.SPLIT_SEED,
        "held_out_share": datasets.HELD_OUT,
    }
    with transaction.atomic(), audit.acting_as(by):
        if activate:
            ClassifierModel.objects.filter(is_active=True).update(is_active=False)
        model = ClassifierModel.objects.create(
            version=version,
            file_name=file_name,
            sha256=sha256,
            seed=seed,
            is_active=activate,
            params=params,
            training=report["sizes"],
            metrics={k: v for k, v in report.items() if k != "sizes"},
            trained_by=audit._real_user(by),
        )
        audit.record(actor=by, action="linking.train", target=model, data={"version": version, "seed": seed})
    _LOADED[version] = linker
    return TrainingReport(model=model, evaluation=report, seconds=time.perf_counter() - started)


# -- classification -----------------------------------------------------------------------------------
@dataclass
class ClassifyReport:
    model: str = ""
    subjects: int = 0
    suggested: int = 0
    removed: int = 0
    imported: int = 0
    seconds: float = 0.0
    by_type: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        kinds = ", ".join(f"{n} {label}" for label, n in self.by_type.items()) or "nothing"
        return (
            f"Classified {kinds} with {self.model}: {self.suggested} suggestions written, {self.removed} stale "
            f"suggestions removed, {self.imported} imported links recorded; {self.seconds:.1f} s"
        )


def _label_maps() -> tuple[dict[str, str], dict[str, int]]:
    goals = {code: code for code in SdgGoal.objects.values_list("code", flat=True)}
    themes = {f"{v}:{c}": pk for pk, v, c in Theme.objects.values_list("pk", "vocabulary", "code")}
    return goals, themes


def _import_links(linkable: Linkable, ct: ContentType, ids: list[int]) -> tuple[int, set[int], set[int]]:
    """Record the goals and themes a record's import brought as `import` links (once). Returns how many
    were added and which records the import labelled for goals and for UPR Info themes: the source's own
    labels are authoritative for that task, so the model does not suggest for it."""
    model = linkable.model
    rows: list[Link] = []
    has_goals: set[int] = set()
    has_themes: set[int] = set()
    if linkable.imported_goals:
        through = getattr(model, linkable.imported_goals).through
        source = getattr(model, linkable.imported_goals).field.m2m_column_name()
        for pk, goal in through.objects.filter(**{f"{source}__in": ids}).values_list(source, "sdggoal_id"):
            has_goals.add(pk)
            rows.append(Link(content_type=ct, object_id=pk, kind=LinkKind.GOAL, goal_id=goal))
    if linkable.imported_themes:
        through = getattr(model, linkable.imported_themes).through
        source = getattr(model, linkable.imported_themes).field.m2m_column_name()
        for pk, theme, vocabulary in through.objects.filter(**{f"{source}__in": ids}).values_list(
            source, "theme_id", "theme__vocabulary"
        ):
            if vocabulary == datasets.UPRINFO:
                has_themes.add(pk)
            rows.append(Link(content_type=ct, object_id=pk, kind=LinkKind.THEME, theme_id=theme))
    for row in rows:
        row.source, row.status = LinkSource.IMPORT, LinkStatus.ACCEPTED
    before = Link.objects.filter(content_type=ct, object_id__in=ids, source=LinkSource.IMPORT).count()
    Link.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    after = Link.objects.filter(content_type=ct, object_id__in=ids, source=LinkSource.IMPORT).count()
    return after - before, has_goals, has_themes


def _classify_batch(
    linkable: Linkable,
    ct: ContentType,
    subjects: list[Model],
    model: ClassifierModel,
    linker: classifier.Linker,
    maps: tuple[dict[str, str], dict[str, int]],
    report: ClassifyReport,
) -> None:
    ids = [s.pk for s in subjects]
    imported, labelled_goals, labelled_themes = _import_links(linkable, ct, ids)
    report.imported += imported
    predictions = linker.predict([linkable.text(s) for s in subjects])
    existing: dict[tuple[int, str, object], Link] = {}
    for link in Link.objects.filter(content_type=ct, object_id__in=ids):
        existing[(link.object_id, link.kind, link.goal_id or link.theme_id)] = link
    goals, themes = maps
    create, update, keep = [], [], set()
    for row, subject in enumerate(subjects):
        for task, kind, skip, resolve in (
            ("goals", LinkKind.GOAL, labelled_goals, goals.get),
            ("themes", LinkKind.THEME, labelled_themes, themes.get),
        ):
            if subject.pk in skip:
                continue
            for label, probability, margin in predictions[task].positives(row):
                target = resolve(label)
                if target is None:
                    continue
                found = existing.get((subject.pk, kind, target))
                if found is None:
                    link = Link(content_type=ct, object_id=subject.pk, kind=kind, source=LinkSource.MODEL)
                    link.status = LinkStatus.SUGGESTED
                    setattr(link, "goal_id" if kind == LinkKind.GOAL else "theme_id", target)
                    link.confidence, link.margin, link.classifier = probability, margin, model
                    create.append(link)
                elif found.status == LinkStatus.SUGGESTED:  # people's decisions are never touched
                    found.confidence, found.margin, found.classifier = probability, margin, model
                    update.append(found)
                    keep.add(found.pk)
    stale = [
        link.pk for link in existing.values() if link.status == LinkStatus.SUGGESTED and link.pk not in keep
    ]
    Link.objects.filter(pk__in=stale).delete()
    Link.objects.bulk_create(create, batch_size=1000)
    now = timezone.now()
    for link in update:
        link.updated_at = now
    Link.objects.bulk_update(update, ["confidence", "margin", "classifier", "updated_at"], batch_size=1000)
    Classification.objects.filter(content_type=ct, object_id__in=ids).delete()
    Classification.objects.bulk_create(
        [Classification(content_type=ct, object_id=pk, classifier=model) for pk in ids], batch_size=1000
    )
    report.suggested += len(create) + len(update)
    report.removed += len(stale)


def links_classify(
    *,
    by,
    only_missing: bool = True,
    types: Iterable[str] | None = None,
    ids: Iterable[int] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ClassifyReport:
    """Suggest links for records with the active classifier: those it has not classified yet
    (`only_missing`) or all of them. Records' imported labels are recorded as `import` links first."""
    policy.require(by, "linking.manage")
    model = active_model()
    if model is None:
        raise NoClassifier("No classifier is trained yet: run `hrtc train-linker` first.")
    linker = load_linker(model)
    started = time.perf_counter()
    report = ClassifyReport(model=model.version)
    maps = _label_maps()
    plan = []
    for label in types or LINKABLE:
        linkable = LINKABLE[label]
        ct = linkable.content_type()
        queryset = linkable.queryset().order_by("pk")
        if ids is not None:
            queryset = queryset.filter(pk__in=list(ids))
        if only_missing:
            done = Classification.objects.filter(content_type=ct, classifier=model).values("object_id")
            queryset = queryset.exclude(pk__in=done)
        plan.append((linkable, ct, queryset, queryset.count()))
    total = sum(n for *_, n in plan)
    done_count = 0
    for linkable, ct, queryset, count in plan:
        report.by_type[linkable.model._meta.verbose_name_plural] = count
        pks = list(queryset.values_list("pk", flat=True))
        for start in range(0, len(pks), BATCH):
            chunk = pks[start : start + BATCH]
            subjects = list(
                linkable.queryset().filter(pk__in=chunk).only(*linkable.text_fields).order_by("pk")
            )
            with transaction.atomic(), audit.disabled():
                _classify_batch(linkable, ct, subjects, model, linker, maps, report)
            done_count += len(chunk)
            if progress:
                progress(done_count, total)
    report.subjects = total
    report.seconds = time.perf_counter() - started
    audit.record(actor=by, action="linking.classify", target=model, data={"summary": report.summary()})
    return report


# -- people's decisions -------------------------------------------------------------------------------
def _decide(link: Link, by, status: str, event: str, reason: str) -> Link:
    policy.require(by, "linking.review", link.subject)
    with audit.acting_as(by):
        link.status = status
        link.reviewed_by = audit._real_user(by)
        link.reviewed_at = timezone.now()
        link.save(update_fields=["status", "reviewed_by", "reviewed_at", "updated_at"])
        audit.record(
            actor=by,
            action=event,
            target=link.subject,
            reason=reason,
            data={
                "link": link.pk,
                "label": link.label_key,
                "source": link.source,
                "confidence": link.confidence,
            },
        )
    return link


@transaction.atomic
def link_accept(*, link: Link, by, reason: str = "") -> Link:
    """A person confirms a link (typically a model suggestion): it is shown as accepted from now on."""
    return _decide(link, by, LinkStatus.ACCEPTED, "link.accept", reason)


@transaction.atomic
def link_reject(*, link: Link, by, reason: str = "") -> Link:
    """A person rejects a suggestion or removes a link. The row stays, as `rejected`, so the classifier
    never suggests it again for this record."""
    return _decide(link, by, LinkStatus.REJECTED, "link.reject", reason)


@transaction.atomic
def link_add(*, subject: Model, by, goal: SdgGoal | None = None, theme: Theme | None = None) -> Link:
    """A person links a record to a goal or a theme. An existing suggestion or rejection of the same
    label becomes this person's accepted link."""
    linkable_for(subject)
    if (goal is None) == (theme is None):
        raise LinkInvalid("Give either an SDG goal or a theme.", field="goal")
    policy.require(by, "linking.review", subject)
    ct = ContentType.objects.get_for_model(subject)
    kind = LinkKind.GOAL if goal is not None else LinkKind.THEME
    lookup = {"goal": goal} if goal is not None else {"theme": theme}
    existing = Link.objects.filter(content_type=ct, object_id=subject.pk, **lookup).first()
    if existing is not None:
        if existing.status != LinkStatus.ACCEPTED:
            return _decide(existing, by, LinkStatus.ACCEPTED, "link.accept", "")
        return existing
    with audit.acting_as(by):
        link = Link.objects.create(
            content_type=ct,
            object_id=subject.pk,
            kind=kind,
            source=LinkSource.HUMAN,
            status=LinkStatus.ACCEPTED,
            created_by=audit._real_user(by),
            reviewed_by=audit._real_user(by),
            reviewed_at=timezone.now(),
            **lookup,
        )
        audit.record(
            actor=by, action="link.add", target=subject, data={"link": link.pk, "label": link.label_key}
        )
    return link
