from django.urls import path

from storefront.shop import views

app_name = "shop"
urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("c/<str:slug>/", views.category, name="category"),
    path("p/<str:slug>/", views.product, name="product"),
    path("s/<str:slug>/", views.seller, name="seller"),
    path("coop/<str:slug>/", views.cooperative, name="cooperative"),
]
