from django.urls import path

from storefront.cart import payment, views

app_name = "cart"
urlpatterns = [
    path("", views.index, name="index"),
    path("add/", views.add, name="add"),
    path("line/", views.update_line, name="line"),
    path("delivery/", views.delivery, name="delivery"),
    path("promo/", views.promo, name="promo"),
    path("promo/remove/", views.promo_remove, name="promo_remove"),
    path("address/", views.address, name="address"),
    path("place/", views.place, name="place"),
    path("done/", views.done, name="done"),
    path("channel/", views.channel, name="channel"),
    path("paid/", payment.paid, name="paid"),
    path("pay/", payment.pay_again, name="pay"),
    path("card/", payment.card, name="card"),
]
