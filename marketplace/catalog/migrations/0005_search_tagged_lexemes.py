"""Search index: weighted lexemes become plain and tagged lexemes (see
catalog/search_index.py): every word is stored as itself, a word of the name (weight A)
also as "_" + word, of the context (B) also as "~" + word, without positions. The
vocabulary gains where each word occurs (a name, a context) and the names' joined
neighbouring words.

Both are converted in SQL from the vectors already stored, so no document is rebuilt;
the old form is rebuilt by `manage.py reindex_products` with the code of its time, so
going back leaves the vectors as they are.
"""

from django.db import migrations

CONVERT = """
UPDATE catalog_product AS p SET search_vector = coalesce(
    (SELECT array_to_tsvector(array_agg(DISTINCT t.lexeme))
       FROM unnest(p.search_vector) AS u,
            unnest(u.weights || '{X}'::text[]) AS w,
            LATERAL (SELECT CASE w WHEN 'A' THEN '_' WHEN 'B' THEN '~' ELSE '' END
                            || u.lexeme) AS t(lexeme)),
    ''::tsvector)
WHERE p.search_vector IS NOT NULL;
ALTER TABLE catalog_search_word
    ADD COLUMN in_name boolean NOT NULL DEFAULT false,
    ADD COLUMN in_context boolean NOT NULL DEFAULT false;
DELETE FROM catalog_search_word;
INSERT INTO catalog_search_word (word, in_name, in_context)
SELECT substr(u.lexeme, 2), bool_or(left(u.lexeme, 1) = '_'), bool_or(left(u.lexeme, 1) = '~')
FROM catalog_product AS p, unnest(p.search_vector) AS u
WHERE left(u.lexeme, 1) IN ('_', '~')
GROUP BY 1
ORDER BY 1;
ANALYZE catalog_product;
ANALYZE catalog_search_word;
"""

REVERT = """
ALTER TABLE catalog_search_word DROP COLUMN in_name, DROP COLUMN in_context;
"""


class Migration(migrations.Migration):
    dependencies = [("catalog", "0004_listing_filters")]

    operations = [migrations.RunSQL(CONVERT, REVERT)]
