from django.urls import path

from storefront.panel import (
    cooperative_views,
    fulfilment_views,
    money_views,
    pack_views,
    photo_views,
    product_views,
    return_views,
    review_views,
    seller_views,
)

app_name = "panel"
urlpatterns = [
    path("", seller_views.index, name="index"),
    path("apply/", seller_views.apply, name="apply"),
    path("products/", seller_views.products, name="products"),
    path("orders/", seller_views.orders, name="orders"),
    path("reviews/", review_views.reviews, name="reviews"),
    path("reviews/answer/", review_views.review_reply, name="review_reply"),
    path("earnings/", money_views.earnings, name="earnings"),
    path("earnings/statement/", money_views.earnings_statement, name="earnings_statement"),
    path("villages/", product_views.village_options, name="village_options"),
    path("products/new/", product_views.product_new, name="product_new"),
    path("products/<str:product_id>/", product_views.product_edit, name="product_edit"),
    path("products/<str:product_id>/photos/", photo_views.product_photos, name="product_photos"),
    path("products/<str:product_id>/packs/", pack_views.packs, name="product_packs"),
    path(
        "products/<str:product_id>/publish/",
        product_views.product_publish,
        name="product_publish",
    ),
    path("coop/<slug:slug>/", cooperative_views.cooperative_home, name="cooperative"),
    path("coop/<slug:slug>/approve/", cooperative_views.approve, name="approve"),
    path("coop/<slug:slug>/reject/", cooperative_views.reject, name="reject"),
    path(
        "coop/<slug:slug>/products/",
        cooperative_views.cooperative_products,
        name="cooperative_products",
    ),
    path(
        "coop/<slug:slug>/villages/",
        cooperative_views.proposed_villages,
        name="proposed_villages",
    ),
    path("coop/<slug:slug>/warehouses/", cooperative_views.warehouses, name="warehouses"),
    path("shipments/", fulfilment_views.own_desk, name="own_shipments"),
    path("shipments/act/", fulfilment_views.own_action, name="own_shipment_action"),
    path("coop/<slug:slug>/shipments/", fulfilment_views.cooperative_desk, name="shipments"),
    path(
        "coop/<slug:slug>/shipments/act/",
        fulfilment_views.cooperative_action,
        name="shipment_action",
    ),
    path("returns/", return_views.own_returns, name="own_returns"),
    path("returns/act/", return_views.own_return_action, name="own_return_action"),
    path("coop/<slug:slug>/returns/", return_views.cooperative_returns, name="returns"),
    path(
        "coop/<slug:slug>/returns/act/",
        return_views.cooperative_return_action,
        name="return_action",
    ),
    path(
        "coop/<slug:slug>/reviews/",
        review_views.cooperative_reviews,
        name="cooperative_reviews",
    ),
    path(
        "coop/<slug:slug>/reviews/answer/",
        review_views.cooperative_review_reply,
        name="cooperative_review_reply",
    ),
    path("coop/<slug:slug>/route/", fulfilment_views.cooperative_route, name="route"),
    path("coop/<slug:slug>/finance/", money_views.cooperative_finance, name="cooperative_finance"),
    path(
        "coop/<slug:slug>/finance/statement/",
        money_views.cooperative_statement,
        name="cooperative_statement",
    ),
]
