"""Keeping the search index in step with the names it copies from other tables.

A product's search document holds the names of its seller, the seller's cooperative,
its category (and the categories above it) and its origin village. When one of those is
renamed — through a service, the admin or any other code that saves the model — the
products that show it are reindexed once the change commits: right away when they are
few, by a worker when there are many (a category can hold a fifth of the catalogue).
Either way the refresh is an outbox job recorded with the rename, so a crash between the
commit and the refresh leaves it to the outbox's sweep instead of losing it.

Each watched model remembers, when loaded, the fields the documents copy; a save that
changed one of them schedules the refresh. `bulk_update` and `QuerySet.update()` save no
model and send no signal: the gazetteer import sends `locations.signals.villages_renamed`
for the villages it renamed, and other code renaming that way calls `schedule` itself.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from celery import shared_task
from django.conf import settings
from django.db import models, transaction
from django.db.models.signals import post_init, post_save

from marketplace.catalog.models import Category, Product
from marketplace.catalog.search import index as search_index
from marketplace.core import outbox
from marketplace.core.versioning import bump_catalog_version
from marketplace.locations.models import Village
from marketplace.locations.signals import villages_renamed
from marketplace.sellers.models import Cooperative, Seller

logger = logging.getLogger(__name__)

# The fields each document copies, by model; a seller moving to another cooperative and
# a category moving in the tree change documents too.
WATCHED: dict[type[models.Model], tuple[str, ...]] = {
    Seller: ("name", "cooperative"),
    Cooperative: ("name",),
    Category: ("name", "name_en", "parent"),
    Village: ("name", "name_en"),
}
SCOPES: dict[str, Callable[[int], models.QuerySet[Product]]] = {
    "seller": search_index.products_of_seller,
    "cooperative": search_index.products_of_cooperative,
    "category": search_index.products_of_category,
    "village": search_index.products_of_village,
}
KINDS = {Seller: "seller", Cooperative: "cooperative", Category: "category", Village: "village"}
# Up to this many products are reindexed in the request that made the change (a few
# hundred take well under a second); more are left to a worker.
INLINE_LIMIT = 500
SNAPSHOT = "_search_snapshot"


def _attnames(model: type[models.Model]) -> tuple[str, ...]:
    return tuple(model._meta.get_field(name).attname for name in WATCHED[model])


def _values(instance: models.Model) -> tuple:
    # From __dict__: reading a deferred field would cost a query per loaded row.
    missing = object()
    return tuple(instance.__dict__.get(name, missing) for name in _attnames(type(instance)))


def _snapshot(sender, instance: models.Model, **kwargs) -> None:
    setattr(instance, SNAPSHOT, None if instance.pk is None else _values(instance))


def _saved(sender, instance: models.Model, created: bool, raw: bool, update_fields, **kwargs):
    before = getattr(instance, SNAPSHOT, None)
    current = _values(instance)
    setattr(instance, SNAPSHOT, current)
    if raw or created or before == current:
        return
    if update_fields is not None and not set(update_fields) & set(WATCHED[sender]):
        return
    schedule(KINDS[sender], [instance.pk])


def _villages_renamed(sender, village_ids: list[int], **kwargs) -> None:
    schedule("village", sorted(set(village_ids)))


def schedule(kind: str, ids: list[int]) -> None:
    """Record the refreshes in the renaming transaction (the outbox), and do them once it
    commits: a process that dies in between leaves the jobs to the outbox's sweep."""
    jobs = [
        (
            pk,
            outbox.enqueue(reindex_related_task, kwargs=_kwargs(kind, pk), publish_on_commit=False),
        )
        for pk in ids
    ]
    transaction.on_commit(lambda: [refresh(kind, pk, job_id=job) for pk, job in jobs], robust=True)


def _kwargs(kind: str, pk: int) -> dict:
    return {"kind": kind, "pk": pk}


def connect() -> None:
    """Called once by the catalogue app when Django starts."""
    for model in WATCHED:
        post_init.connect(_snapshot, sender=model, dispatch_uid=f"search-snapshot-{model}")
        post_save.connect(_saved, sender=model, dispatch_uid=f"search-follow-{model}")
    villages_renamed.connect(_villages_renamed, dispatch_uid="search-follow-village-import")


def refresh(kind: str, pk: int, *, job_id: int) -> None:
    """Reindex the products showing the name of `kind` `pk` (outbox job `job_id`): now
    when they are few, else by a worker (or now after all, when the broker cannot be
    reached)."""
    few = SCOPES[kind](pk)[: INLINE_LIMIT + 1].count() <= INLINE_LIMIT
    if not few and outbox.publish(job_id, reindex_related_task.name, _kwargs(kind, pk)):
        return
    if not few:
        logger.warning("Could not queue the search refresh of %s %s; doing it now", kind, pk)
    reindex_related(kind, pk)
    outbox.mark_done(job_id)


def reindex_related(kind: str, pk: int) -> int:
    done = search_index._reindex(SCOPES[kind](pk))
    if done:
        bump_catalog_version()  # cached searches and cards show the old name
    return done


# Named as before the search modules became a package: tasks queued then still run.
@shared_task(
    name="marketplace.catalog.search_sync.reindex_related_task",
    autoretry_for=(Exception,),
    retry_backoff=5,
    retry_backoff_max=settings.TASK_MAX_COUNTDOWN_SECONDS,
    max_retries=6,
)
def reindex_related_task(kind: str, pk: int) -> int:
    """Reindex the products showing a renamed seller, cooperative, category or village
    (idempotent: it rebuilds their documents from what is stored now)."""
    return reindex_related(kind, pk)
