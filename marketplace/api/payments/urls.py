from django.urls import include, path

from marketplace.api.payments import views

urlpatterns = [
    path("<slug:gateway>/callback/", views.callback, name="payment_callback"),
    path("<slug:gateway>/webhook/", views.webhook, name="payment_webhook"),
    # Answers 404 unless settings.PAYMENT_SANDBOX is on.
    path("sandbox/", include("integrations.payments.sandbox_server")),
]
