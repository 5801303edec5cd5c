from django.urls import include, path

urlpatterns = [
    path("", include("storefront.shop.urls")),
    path("cart/", include("storefront.cart.urls")),
    path("account/", include("storefront.account.urls")),
    path("panel/", include("storefront.panel.urls")),
]
