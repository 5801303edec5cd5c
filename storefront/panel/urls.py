from django.urls import path

from storefront.panel import views

app_name = "panel"
urlpatterns = [path("", views.index, name="index")]
