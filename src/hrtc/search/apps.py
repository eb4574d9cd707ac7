from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save


class SearchConfig(AppConfig):
    name = "hrtc.search"
    label = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        from hrtc.core.signals import records_imported
        from hrtc.search import documents

        documents.register_sdgs()  # the other kinds are registered by the apps that own them
        records_imported.connect(_imported, dispatch_uid="search.imported")
        post_migrate.connect(_migrated, sender=self, dispatch_uid="search.audiences")


def follow(kind) -> None:
    """Keep a kind's documents in step with its records: saved, deleted, themes or SDGs changed."""
    model = kind.model()
    post_save.connect(_saved, sender=model, dispatch_uid=f"search.save.{kind.name}")
    post_delete.connect(_deleted, sender=model, dispatch_uid=f"search.delete.{kind.name}")
    for relation in ("themes", "sdg_targets", "sdg_goals"):
        if getattr(model, relation, None) is not None:
            m2m_changed.connect(
                _themes_changed,
                sender=getattr(model, relation).through,
                dispatch_uid=f"search.{relation}.{kind.name}",
            )


def _migrated(sender, using, apps=None, **kwargs) -> None:
    """Records indexed before their kind had a public document get one (see migration 0005)."""
    from django.db import DEFAULT_DB_ALIAS

    from hrtc.search import engine

    if using != DEFAULT_DB_ALIAS:  # the engine writes through the default connection
        return
    if apps is not None and not any(
        f.name == "audience" for f in apps.get_model("search", "Document")._meta.get_fields()
    ):
        return  # migrated back before documents had audiences
    engine.audiences_in_step()


def _kind_name(model) -> str | None:
    from hrtc.search import documents

    kind = documents.kind_of(model)
    return kind.name if kind else None


def _now(kind_name: str, ids: list[int]) -> None:
    """Index within the writer's transaction: if it rolls back, so does the index."""
    from hrtc.search import engine

    engine.index(kind_name, ids)


def _after_commit(kind_name: str, ids: list[int]) -> None:
    from django.db import transaction

    from hrtc.search import engine

    def follow() -> None:
        engine.index(kind_name, ids)
        if len(ids) >= 5000:
            engine.analyze()  # a large import changes the planner's picture of the index

    transaction.on_commit(follow)


def _saved(sender, instance, **kwargs) -> None:
    _now(_kind_name(sender), [instance.pk])


def _deleted(sender, instance, **kwargs) -> None:
    from hrtc.search import documents, engine

    kind = documents.kind_of(sender)
    if kind is not None:
        engine.remove(kind.name, [kind.object_id(instance)])


def _themes_changed(sender, instance, action, reverse=False, model=None, pk_set=None, **kwargs) -> None:
    """A record's themes or SDGs changed: reindex it (from the other side, reindex the records touched)."""
    if action not in {"post_add", "post_remove", "post_clear"} or isinstance(instance, type):
        return
    if not reverse:
        _now(_kind_name(type(instance)), [instance.pk])
    elif pk_set and _kind_name(model):
        _now(_kind_name(model), list(pk_set))


def _imported(sender, ids, **kwargs) -> None:
    """Bulk imports write with raw SQL (no model signals): they announce what they wrote, and the index
    follows once the import has committed (so it does not hold the import's transaction open)."""
    name = _kind_name(sender)
    if name:
        _after_commit(name, list(ids))
