"""The floor of the catalogue benchmark: the first page of the public listing as one
hand-written SQL query and a JsonResponse, with no GraphQL at all. Served at
/bench/floor/products/ only when BAZARCHEH_BENCH_FLOOR=1 (see config/urls.py)."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.db import connection
from django.http import JsonResponse

SQL = """
SELECT p.name, p.slug, pl.price_min, pl.currency, s.name, v.name, c.name, p.rating,
       (SELECT COALESCE(m.thumbnails ->> '240', m.image) FROM catalog_productmedia m
         WHERE m.product_id = p.id ORDER BY m.sort_order, m.id LIMIT 1)
FROM catalog_product p
JOIN catalog_productchannellisting pl ON pl.product_id = p.id AND pl.channel_id = %s
JOIN sellers_seller s ON s.id = p.seller_id AND s.status = 'APPROVED'
LEFT JOIN locations_village v ON v.id = p.origin_id
LEFT JOIN sellers_cooperative c ON c.id = s.cooperative_id
WHERE p.is_published AND NOT p.is_hidden
ORDER BY p.created DESC, p.id DESC
LIMIT %s
"""


def products(request):
    first = min(int(request.GET.get("first", "20")), 100)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM channels_channel WHERE is_default")
        channel_id = cursor.fetchone()[0]
        cursor.execute(SQL, [channel_id, first + 1])
        rows = cursor.fetchall()
    edges = [
        {
            "node": {
                "name": name,
                "slug": slug,
                "thumbnail": {"url": default_storage.url(image)} if image else None,
                "pricing": {
                    "priceRange": {
                        "start": {"gross": {"amount": float(price), "currency": currency}}
                    }
                },
                "seller": {"name": seller},
                "origin": {"name": village} if village else None,
                "cooperative": {"name": coop} if coop else None,
                "rating": float(rating) if rating is not None else None,
            }
        }
        for name, slug, price, currency, seller, village, coop, rating, image in rows[:first]
    ]
    page_info = {"hasNextPage": len(rows) > first}
    return JsonResponse({"data": {"products": {"edges": edges, "pageInfo": page_info}}})
