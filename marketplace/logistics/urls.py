from django.urls import path

from marketplace.logistics import views

app_name = "logistics"

urlpatterns = [
    path("<slug:carrier>/webhook/", views.carrier_webhook, name="webhook"),
    path("documents/<str:token>/", views.document, name="document"),
]
