from django.urls import path

from storefront.shop import info, views

app_name = "shop"
urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("c/<str:slug>/", views.category, name="category"),
    path("p/<str:slug>/", views.product, name="product"),
    path("s/<str:slug>/", views.seller, name="seller"),
    path("coop/<str:slug>/", views.cooperative, name="cooperative"),
    path("about/", info.about, name="about"),
    path("contact/", info.contact, name="contact"),
    path("returns/", info.returns, name="returns"),
    path("terms/", info.terms, name="terms"),
]
