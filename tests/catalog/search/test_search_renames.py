"""Renaming a seller, a cooperative, a category or a village — through the services or the
admin — reaches the search index of the products that show the name, once committed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from config.celery import app as celery_app
from marketplace.accounts.models import User
from marketplace.catalog import services
from marketplace.catalog.models import Category, Product
from marketplace.catalog.search import query as search
from marketplace.catalog.search import sync as search_sync
from marketplace.core import outbox
from marketplace.core.models import Job, JobStatus
from marketplace.locations.importer import import_gazetteer
from marketplace.locations.models import Village
from marketplace.sellers import services as seller_services
from marketplace.sellers.models import Cooperative
from tests.conftest import use_broker

pytestmark = pytest.mark.django_db


def found(query: str) -> set[str]:
    return set(search.search_products(Product.objects.all(), query).values_list("slug", flat=True))


@pytest.fixture
def herbs(db) -> Category:
    parent = Category.objects.create(name="گیاهان", name_en="Plants", slug="rename-plants")
    return Category.objects.create(
        name="دمنوش", name_en="Herbal tea", slug="rename-herbal-tea", parent=parent
    )


@pytest.fixture
def tea(seller_a, herbs) -> Product:
    return services.create_product(
        actor=seller_a.owner,
        seller=seller_a,
        name="دمنوش به‌لیمو",
        name_en="Lemon verbena tea",
        category=herbs,
        origin=Village.objects.get(name="کامه"),
        slug="rename-verbena",
        is_published=True,
    )


@pytest.fixture
def admin_client(client: Client) -> Client:
    user = User.objects.create_superuser(email="rename-admin@example.com", password="Kalat-1405")
    client.force_login(user)
    return client


def admin_save(client: Client, obj, **changes) -> None:
    """Post the admin change form of `obj` as it is shown, with `changes`."""
    meta = obj._meta
    url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
    page = client.get(url)
    assert page.status_code == 200
    forms = [page.context["adminform"].form]
    data: dict = {}
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        data |= {management.add_prefix(k): v for k, v in management.initial.items()}
        forms.extend(formset.forms)
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            # An empty file field (a seller without a photo) is not posted, as by a browser.
            if value is None or value is False or (hasattr(value, "field") and not value):
                continue
            data[form.add_prefix(name)] = "on" if value is True else value
    data |= changes
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors


def test_a_seller_renamed_through_the_service(tea, seller_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        seller_services.update_seller(actor=seller_a.owner, seller=seller_a, name="باغ چای گیلانی")
    assert found("گیلانی") == {"rename-verbena"}


def test_nothing_is_scheduled_when_no_searched_name_changes(
    tea, seller_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        seller_services.update_seller(actor=seller_a.owner, seller=seller_a, description="تازه")
    assert [c for c in callbacks if c.__qualname__.startswith("schedule")] == []
    assert not outbox.pending(search_sync.reindex_related_task.name).exists()


def test_nothing_changes_before_the_commit(tea, seller_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        seller_services.update_seller(actor=seller_a.owner, seller=seller_a, name="باغ گیلانی")
    assert found("گیلانی") == set()


def test_a_refresh_done_after_the_commit_closes_its_job(
    tea, seller_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        seller_services.update_seller(actor=seller_a.owner, seller=seller_a, name="باغ گیلانی")
    job = Job.objects.get(task=search_sync.reindex_related_task.name)
    assert (job.status, job.kwargs) == (JobStatus.DONE, {"kind": "seller", "pk": seller_a.pk})


def test_a_crash_between_the_commit_and_the_refresh_is_repaired_by_the_sweep(
    tea, seller_a, monkeypatch, django_capture_on_commit_callbacks
):
    published = []
    monkeypatch.setattr(outbox, "publish", lambda *job: published.append(job) or True)
    # The rename commits, and the process dies before its after-commit work runs.
    with django_capture_on_commit_callbacks(execute=False):
        seller_services.update_seller(actor=seller_a.owner, seller=seller_a, name="باغ گیلانی")
    assert found("گیلانی") == set()
    assert outbox.dispatch_due(now=timezone.now() + timedelta(hours=1)) == 1
    [(job_id, name, kwargs)] = published
    # The task, run as a worker runs it from the message the sweep published.
    celery_app.tasks[name].apply(kwargs=kwargs, headers={outbox.HEADER: job_id}).get()
    assert found("گیلانی") == {"rename-verbena"}
    assert Job.objects.get(pk=job_id).status == JobStatus.DONE


def test_a_seller_renamed_and_moved_in_the_admin(
    tea, seller_a, coop_b, admin_client, django_capture_on_commit_callbacks
):
    Cooperative.objects.filter(pk=coop_b.pk).update(name="تعاونی بینالود")
    with django_capture_on_commit_callbacks(execute=True):
        admin_save(admin_client, seller_a, name="عطاری گلستان", cooperative=coop_b.pk)
    assert found("گلستان") == found("بینالود") == {"rename-verbena"}


def test_a_cooperative_renamed_in_the_admin(
    tea, coop_a, admin_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        admin_save(admin_client, coop_a, name="تعاونی دمنوش بینالود")
    assert found("بینالود") == {"rename-verbena"}


def test_a_parent_category_renamed_in_the_admin(
    tea, herbs, admin_client, django_capture_on_commit_callbacks
):
    parent = Category.objects.get(pk=herbs.parent_id)
    with django_capture_on_commit_callbacks(execute=True):
        admin_save(admin_client, parent, name="گیاهان خوراکی", name_en="Edible plants")
    # The products of the categories below it hold its name too.
    assert found("خوراکی") == found("edible") == {"rename-verbena"}
    assert found("گیاهان") == {"rename-verbena"}


def test_a_village_renamed_in_the_admin(tea, admin_client, django_capture_on_commit_callbacks):
    village = Village.objects.get(name="کامه")
    with django_capture_on_commit_callbacks(execute=True):
        admin_save(admin_client, village, name="کامه علیا", name_en="Kameh-e Olya")
    assert found("علیا") == found("olya") == {"rename-verbena"}
    assert found("kameh olya") == {"rename-verbena"}


def test_many_products_go_to_a_worker(
    tea, seller_a, herbs, monkeypatch, django_capture_on_commit_callbacks
):
    queued = []
    monkeypatch.setattr(search_sync, "INLINE_LIMIT", 0)
    monkeypatch.setattr(outbox, "publish", lambda *job: queued.append(job) or True)
    with django_capture_on_commit_callbacks(execute=True):
        Village.objects.get(name="کامه").save()  # unchanged: nothing to do
        herbs.name = "چای کوهی"
        herbs.save()
    [(job_id, name, kwargs)] = queued
    assert (name, kwargs) == (
        search_sync.reindex_related_task.name,
        {"kind": "category", "pk": herbs.pk},
    )
    assert found("کوهی") == set()
    assert Job.objects.get(pk=job_id).status == JobStatus.PENDING
    # The task, run as a worker runs it.
    assert search_sync.reindex_related_task.apply(kwargs=kwargs).get() == 1
    assert found("کوهی") == {"rename-verbena"}


def test_a_broker_that_cannot_be_reached_does_it_at_once(
    tea, coop_a, monkeypatch, request, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(search_sync, "INLINE_LIMIT", 0)
    previous = celery_app.conf.broker_url
    use_broker("amqp://guest:guest@127.0.0.1:1//")  # nothing listens there
    request.addfinalizer(lambda: use_broker(previous))
    with django_capture_on_commit_callbacks(execute=True):
        coop_a.name = "تعاونی کلات"
        coop_a.save()
    assert found("کلات") == {"rename-verbena"}
    assert Job.objects.get(task=search_sync.reindex_related_task.name).status == JobStatus.DONE


def test_villages_renamed_by_the_gazetteer_import(tea, django_capture_on_commit_callbacks):
    village = Village.objects.select_related("county__province").get(name="کامه")
    row = {
        "province": village.county.province.name,
        "county": village.county.name,
        "county_en": village.county.name_en,
        "village": village.name,
        "village_en": "Kameh Sofla",
    }
    with django_capture_on_commit_callbacks(execute=True):
        report = import_gazetteer([row])
    assert report.updated == 1
    assert found("sofla") == {"rename-verbena"}
