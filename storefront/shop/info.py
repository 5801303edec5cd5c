"""The shop's own pages: about, contact, the return policy and the terms, each with the
operator's text and the e-trust seal (اینماد) once the operator set it."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from storefront import client
from storefront.shop import queries

PAGES = {
    "about": (_("About Bazarcheh"), "about"),
    "contact": (_("Contact us"), None),
    "returns": (_("Return policy"), "returnPolicy"),
    "terms": (_("Terms of use"), "terms"),
}


def _page(request: HttpRequest, page: str) -> HttpResponse:
    title, text_field = PAGES[page]
    shop = client.query(request, queries.SHOP)["shop"]
    context = {
        "page": page,
        "title": title,
        "shop": shop,
        "text": shop[text_field] if text_field else "",
        "pages": {name: label for name, (label, _field) in PAGES.items()},
    }
    return render(request, "storefront/shop/info.html", context)


def about(request: HttpRequest) -> HttpResponse:
    return _page(request, "about")


def contact(request: HttpRequest) -> HttpResponse:
    return _page(request, "contact")


def returns(request: HttpRequest) -> HttpResponse:
    return _page(request, "returns")


def terms(request: HttpRequest) -> HttpResponse:
    return _page(request, "terms")
