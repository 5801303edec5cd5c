"""What the public listing filters and sorts on, kept on catalog_productchannellisting
by triggers, so a filtered and price-sorted page is one walk of an index.

The listing row of a product in a channel gets the product's category, whether the
public may see it (published, not hidden, seller approved) and how many of its stock
rows have units not allocated to orders. Triggers keep them, whatever code writes
(services, the admin, bulk updates of another module):

- a listing row being inserted computes all three, after locking the rows it reads, so
  that a concurrent change either waits for it or is seen by it;
- a product's publish flags, category or seller change its listing rows;
- a seller's status changes the listing rows of all their products;
- a stock row whose "has unallocated units" flips adds or subtracts one. Adding is
  commutative, so concurrent allocations never lose an update, and the WHEN clause
  keeps the trigger out of the way of allocations that do not sell the stock out.

Reservations are not counted: they expire by time without any write, so the listing
checks live ones itself (catalog.availability).
"""

import django.db.models.deletion
from django.db import migrations, models

BACKFILL = """
UPDATE catalog_productchannellisting l
   SET category_id = p.category_id,
       is_visible = p.is_published AND NOT p.is_hidden AND s.status = 'APPROVED',
       free_stocks = (
           SELECT count(*) FROM inventory_stock st
             JOIN catalog_productvariant v ON v.id = st.variant_id
            WHERE v.product_id = p.id AND st.quantity > st.quantity_allocated)
  FROM catalog_product p JOIN sellers_seller s ON s.id = p.seller_id
 WHERE p.id = l.product_id;
"""

TRIGGERS = """
CREATE FUNCTION catalog_listing_fill() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Locked, these rows cannot change until this transaction ends, and a change in
    -- flight is waited for; each later statement sees what is committed by then.
    SELECT p.category_id, p.is_published AND NOT p.is_hidden AND s.status = 'APPROVED'
      INTO NEW.category_id, NEW.is_visible
      FROM catalog_product p JOIN sellers_seller s ON s.id = p.seller_id
     WHERE p.id = NEW.product_id
       FOR SHARE;
    PERFORM 1 FROM inventory_stock st
      JOIN catalog_productvariant v ON v.id = st.variant_id
     WHERE v.product_id = NEW.product_id
       FOR SHARE OF st;
    SELECT count(*) INTO NEW.free_stocks FROM inventory_stock st
      JOIN catalog_productvariant v ON v.id = st.variant_id
     WHERE v.product_id = NEW.product_id AND st.quantity > st.quantity_allocated;
    RETURN NEW;
END $$;

CREATE TRIGGER catalog_listing_fill BEFORE INSERT ON catalog_productchannellisting
    FOR EACH ROW EXECUTE FUNCTION catalog_listing_fill();

CREATE FUNCTION catalog_listing_product_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    seller_status text;
BEGIN
    -- Shared lock: a concurrent status change waits, or is waited for and then read.
    SELECT status INTO seller_status FROM sellers_seller WHERE id = NEW.seller_id FOR SHARE;
    UPDATE catalog_productchannellisting
       SET category_id = NEW.category_id,
           is_visible = NEW.is_published AND NOT NEW.is_hidden AND seller_status = 'APPROVED'
     WHERE product_id = NEW.id;
    RETURN NULL;
END $$;

CREATE TRIGGER catalog_listing_product_changed AFTER UPDATE ON catalog_product
    FOR EACH ROW WHEN (
        OLD.is_published IS DISTINCT FROM NEW.is_published
        OR OLD.is_hidden IS DISTINCT FROM NEW.is_hidden
        OR OLD.category_id IS DISTINCT FROM NEW.category_id
        OR OLD.seller_id IS DISTINCT FROM NEW.seller_id)
    EXECUTE FUNCTION catalog_listing_product_changed();

CREATE FUNCTION catalog_listing_seller_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE catalog_productchannellisting l
       SET is_visible = p.is_published AND NOT p.is_hidden AND NEW.status = 'APPROVED'
      FROM catalog_product p
     WHERE p.seller_id = NEW.id AND l.product_id = p.id;
    RETURN NULL;
END $$;

CREATE TRIGGER catalog_listing_seller_changed AFTER UPDATE ON sellers_seller
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION catalog_listing_seller_changed();

CREATE FUNCTION catalog_listing_stock_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' AND OLD.quantity > OLD.quantity_allocated THEN
        UPDATE catalog_productchannellisting l SET free_stocks = l.free_stocks - 1
          FROM catalog_productvariant v
         WHERE v.id = OLD.variant_id AND l.product_id = v.product_id;
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.quantity > NEW.quantity_allocated THEN
        UPDATE catalog_productchannellisting l SET free_stocks = l.free_stocks + 1
          FROM catalog_productvariant v
         WHERE v.id = NEW.variant_id AND l.product_id = v.product_id;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER catalog_listing_stock_inserted AFTER INSERT ON inventory_stock
    FOR EACH ROW WHEN (NEW.quantity > NEW.quantity_allocated)
    EXECUTE FUNCTION catalog_listing_stock_changed();
CREATE TRIGGER catalog_listing_stock_deleted AFTER DELETE ON inventory_stock
    FOR EACH ROW WHEN (OLD.quantity > OLD.quantity_allocated)
    EXECUTE FUNCTION catalog_listing_stock_changed();
CREATE TRIGGER catalog_listing_stock_updated AFTER UPDATE ON inventory_stock
    FOR EACH ROW WHEN (
        (OLD.quantity > OLD.quantity_allocated) IS DISTINCT FROM
        (NEW.quantity > NEW.quantity_allocated)
        OR (OLD.variant_id IS DISTINCT FROM NEW.variant_id
            AND OLD.quantity > OLD.quantity_allocated))
    EXECUTE FUNCTION catalog_listing_stock_changed();
"""

DROP_TRIGGERS = """
DROP TRIGGER catalog_listing_stock_updated ON inventory_stock;
DROP TRIGGER catalog_listing_stock_deleted ON inventory_stock;
DROP TRIGGER catalog_listing_stock_inserted ON inventory_stock;
DROP FUNCTION catalog_listing_stock_changed();
DROP TRIGGER catalog_listing_seller_changed ON sellers_seller;
DROP FUNCTION catalog_listing_seller_changed();
DROP TRIGGER catalog_listing_product_changed ON catalog_product;
DROP FUNCTION catalog_listing_product_changed();
DROP TRIGGER catalog_listing_fill ON catalog_productchannellisting;
DROP FUNCTION catalog_listing_fill();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0003_search_words"),
        ("channels", "0002_seed_channels"),
        ("inventory", "0004_allocation_order_line_allocation_stock_and_more"),
        ("sellers", "0001_initial"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="productchannellisting",
            name="catalog_listing_price_idx",
        ),
        migrations.AddField(
            model_name="productchannellisting",
            name="category",
            field=models.ForeignKey(
                db_index=False,
                null=True,
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="catalog.category",
            ),
        ),
        migrations.AddField(
            model_name="productchannellisting",
            name="free_stocks",
            field=models.IntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name="productchannellisting",
            name="is_visible",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop),
        migrations.AlterField(
            model_name="productchannellisting",
            name="category",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="catalog.category",
            ),
        ),
        migrations.RunSQL(TRIGGERS, DROP_TRIGGERS),
        migrations.AddIndex(
            model_name="productchannellisting",
            index=models.Index(
                condition=models.Q(("is_visible", True)),
                fields=["channel", "price_min", "product"],
                name="catalog_listing_public_price",
            ),
        ),
        migrations.AddIndex(
            model_name="productchannellisting",
            index=models.Index(
                condition=models.Q(("is_visible", True)),
                fields=["channel", "category", "price_min", "product"],
                name="catalog_listing_category_price",
            ),
        ),
        migrations.AddConstraint(
            model_name="productchannellisting",
            constraint=models.CheckConstraint(
                condition=models.Q(("free_stocks__gte", 0)),
                name="catalog_product_listing_free_stocks",
            ),
        ),
        # Plans made on the statistics of the columns before the backfill would walk
        # every product rather than the new indexes.
        migrations.RunSQL("ANALYZE catalog_productchannellisting", migrations.RunSQL.noop),
    ]
