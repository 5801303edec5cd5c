from django.urls import path

from storefront.account import (
    addresses,
    login_code,
    orders,
    password,
    preferences,
    returns,
    reviews,
    views,
)

app_name = "account"
urlpatterns = [
    path("", views.index, name="index"),
    path("signin/", views.signin, name="signin"),
    path("signin/code/", login_code.code_request, name="signin_code"),
    path("signin/code/verify/", login_code.code_verify, name="signin_code_verify"),
    path("signup/", views.signup, name="signup"),
    path("password/", preferences.set_password, name="password"),
    path("messages/", preferences.save_preferences, name="preferences"),
    path("signout/", views.signout, name="signout"),
    path("password/reset/", password.reset_request, name="password_reset"),
    path("password/set/", password.set_new_password, name="password_set"),
    path("orders/", orders.order_list, name="orders"),
    path("orders/<str:order_id>/", orders.order_detail, name="order"),
    path("orders/<str:order_id>/cancel/", orders.order_cancel, name="order_cancel"),
    path("orders/<str:order_id>/received/", orders.order_received, name="order_received"),
    path("orders/<str:order_id>/review/", reviews.line_review, name="order_review"),
    path("orders/<str:order_id>/return/", returns.return_create, name="return_create"),
    path(
        "orders/<str:order_id>/returns/<str:return_id>/dispute/",
        returns.return_dispute,
        name="return_dispute",
    ),
    path("addresses/", addresses.address_list, name="addresses"),
    path("addresses/new/", addresses.address_new, name="address_new"),
    path("addresses/delete/", addresses.address_delete, name="address_delete"),
    path("addresses/default/", addresses.address_default, name="address_default"),
    path("addresses/<str:address_id>/", addresses.address_edit, name="address_edit"),
]
