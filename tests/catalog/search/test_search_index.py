"""The index follows what it is built from, and the bulk paths build the same index."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection

from marketplace.catalog import services
from marketplace.catalog.models import Category, Product
from marketplace.catalog.search import index as search
from marketplace.catalog.search import sync as search_sync
from marketplace.catalog.search.query import search_products
from marketplace.locations.models import Village
from marketplace.sellers.models import Cooperative, Seller

pytestmark = pytest.mark.django_db


def found(query: str) -> set[str]:
    return set(search_products(Product.objects.all(), query).values_list("slug", flat=True))


def vocabulary() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT word FROM {search.VOCABULARY}")
        return {row[0] for row in cursor.fetchall()}


def index_columns() -> dict[int, tuple[str, str]]:
    return {
        pk: (str(vector), text)
        for pk, vector, text in Product.objects.values_list("pk", "search_vector", "search_text")
    }


@pytest.fixture
def herbs(db) -> Category:
    parent = Category.objects.create(name="گیاهان", name_en="Plants", slug="test-plants")
    return Category.objects.create(
        name="دمنوش", name_en="Herbal tea", slug="test-herbal-tea", parent=parent
    )


@pytest.fixture
def tea(seller_a, herbs) -> Product:
    village = Village.objects.get(name="کامه")
    return services.create_product(
        actor=seller_a.owner,
        seller=seller_a,
        name="دمنوش به‌لیمو",
        name_en="Lemon verbena tea",
        description="برگ لیمو، خشک شده در سایه.",
        category=herbs,
        origin=village,
        slug="test-verbena",
        is_published=True,
    )


def test_document_is_normalised_and_weighted(tea):
    parts = search.document_parts(tea)
    assert parts["A"].split()[:5] == ["دمنوش", "به", "لیمو", "lemon", "verbena"]
    assert "بهلیمو" in parts["A"].split()  # the name's neighbours joined
    assert "زعفران" in parts["B"] and "plants" in parts["B"] and "کامه" in parts["B"]
    # The description keeps only what the name and context lack, without stop words.
    assert parts["C"] == "برگ خشک شده سایه"
    assert search.words("زعفران ۵گرمی، پسته\u200cی اكبري!") == [
        "زعفران",
        "5",
        "گرمی",
        "پسته",
        "ی",
        "اکبری",
    ]


def test_product_changes_follow(tea, seller_a):
    assert found("بهلیمو") == {"test-verbena"}
    services.update_product(
        actor=seller_a.owner, product=tea, name="دمنوش بابونه", name_en="Chamomile tea"
    )
    assert found("verbena") == set()
    assert found("بابونه") == {"test-verbena"}
    assert "بابونه" in vocabulary()


def test_seller_cooperative_village_and_category_renames_follow(tea, seller_a, coop_a, herbs):
    Seller.objects.filter(pk=seller_a.pk).update(name="باغ چای گیلانی")
    assert found("گیلانی") == set()
    assert search_sync.reindex_related("seller", seller_a.pk) == 1
    assert found("گیلانی") == {"test-verbena"}

    Cooperative.objects.filter(pk=coop_a.pk).update(name="تعاونی دمنوش بینالود")
    assert search_sync.reindex_related("cooperative", coop_a.pk) == 1
    assert found("بینالود") == {"test-verbena"}

    Village.objects.filter(name="کامه").update(name_en="Kameh-e Bala")
    assert search_sync.reindex_related("village", tea.origin_id) == 1
    assert found("kameh bala") == {"test-verbena"}

    # Renaming the parent category reaches products of the categories below it.
    Category.objects.filter(pk=herbs.parent_id).update(name="گیاهان خوراکی")
    assert search_sync.reindex_related("category", herbs.parent_id) == 1
    assert found("خوراکی") == {"test-verbena"}


def test_reindex_all_builds_what_reindex_products_builds(tea, seller_a, herbs):
    other = services.create_product(
        actor=seller_a.owner, seller=seller_a, name="گل گاوزبان", category=herbs, slug="test-borage"
    )
    expected = index_columns()
    # Products written in bulk (as the synthetic loader does) have no index yet.
    Product.objects.filter(pk__in=[tea.pk, other.pk]).update(search_vector=None, search_text="")
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {search.VOCABULARY} VALUES ('کلمه‌ای-بی‌صاحب')")
    assert found("گاوزبان") == set()

    assert search.reindex_all(batch_size=1) == Product.objects.count()
    assert index_columns() == expected
    assert found("گاوزبان") == {"test-borage"}
    # Words no product uses any more leave the vocabulary.
    assert "کلمه‌ای-بی‌صاحب" not in vocabulary()
    assert {"گاوزبان", "دمنوش"} <= vocabulary()


def test_reindex_command(tea, capsys):
    Product.objects.filter(pk=tea.pk).update(search_vector=None)
    # VACUUM cannot run inside the test's transaction; the command's default runs it.
    call_command("reindex_products", "--batch-size", "500", "--no-vacuum")
    assert "Reindexed 1 products" in capsys.readouterr().out
    assert found("دمنوش") == {"test-verbena"}
