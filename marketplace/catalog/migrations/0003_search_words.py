"""Search support (see catalog/search.py).

1. The search vocabulary: every word of the products' names and context (seller,
   cooperative, category, village), once, with a trigram index, so a misspelt query
   word can be corrected to words the catalogue really contains. A plain table without
   a model: only catalog.search reads and writes it. "C" collation so that a B-tree
   range finds the words starting with a given prefix. Filled here from the products
   already indexed; `reindex_products` keeps it up to date.
2. Rows of catalog_product stay whole up to a page (toast_tuple_target) and the search
   vector is the last column moved out of them (STORAGE MAIN). By default a row over
   ~2 kB has its largest column, the search vector, moved to the TOAST table, and every
   tsquery check of the rank then fetches it again: on 100,000 products that made a
   broad search 2–4 times slower. Rows already stored keep their layout until rewritten
   (`manage.py reindex_products` rewrites them all).
"""

from django.db import migrations

CREATE = """
CREATE TABLE catalog_search_word (word text COLLATE "C" PRIMARY KEY);
CREATE INDEX catalog_search_word_trgm ON catalog_search_word USING gin (word gin_trgm_ops);
INSERT INTO catalog_search_word (word)
SELECT DISTINCT w FROM catalog_product, regexp_split_to_table(search_text, ' ') AS w
WHERE w <> '' AND w !~ '^[0-9]+$'
ORDER BY w
ON CONFLICT DO NOTHING;
ANALYZE catalog_search_word;
ALTER TABLE catalog_product SET (toast_tuple_target = 8160);
ALTER TABLE catalog_product ALTER COLUMN search_vector SET STORAGE MAIN;
"""

DROP = """
ALTER TABLE catalog_product ALTER COLUMN search_vector SET STORAGE EXTENDED;
ALTER TABLE catalog_product RESET (toast_tuple_target);
DROP TABLE IF EXISTS catalog_search_word;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0002_seed_taxonomy"),
        # pg_trgm is created by the locations app's first migration.
        ("locations", "0001_initial"),
    ]

    operations = [migrations.RunSQL(CREATE, DROP)]
