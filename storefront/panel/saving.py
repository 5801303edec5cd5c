"""Saving the one-page product form through the API's product, variant, stock and photo
mutations. Each mutation is its own transaction, so the steps are ordered to fail early
and a failure undoes what the form already saved: a new product is deleted, a photo
added to an existing one is removed. What the visitor typed is checked before anything
is sent."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest
from django.utils.translation import gettext as _

from storefront import client
from storefront.panel import forms, queries

CHANNEL = "ir"
PRODUCT_FIELDS = {"name": "name", "description": "description", "category": "category"}
PRODUCT_FIELDS |= {"origin": "village"}
VARIANT_FIELDS = {"price": "price", "channelListings": "price", "quantity": "stock"}
VARIANT_FIELDS |= {"warehouse": "stock", "weight": "weight", "name": "unit"}
PHOTO_FIELDS = {"image": "photo"}
MAX_PHOTO_BYTES = 10 * 1024 * 1024
# The API keeps at most ten photos a product.
MAX_PHOTOS_AT_ONCE = 10


@dataclass
class ProductData:
    name: str
    description: str
    category: str
    origin: str
    price_rial: int | None
    stock: int | None
    weight: float | None
    unit: str
    photos: list[UploadedFile]
    publish: bool


def read_form(request: HttpRequest, categories: set[str]) -> tuple[forms.Form, ProductData]:
    form = forms.Form()
    data = request.POST
    photos = [photo for photo in request.FILES.getlist("photo") if photo.size]
    product = ProductData(
        name=forms.text(form, data, "name", required=True),
        description=forms.text(form, data, "description", max_length=20_000),
        category=forms.choice(form, data, "category", categories, required=True),
        origin=forms.text(form, data, "village", max_length=100),
        price_rial=forms.price_in_rial(form, data),
        stock=forms.quantity(form, data),
        weight=forms.weight_kg(form, data),
        unit=forms.text(form, data, "unit", max_length=150),
        photos=photos,
        publish=data.get("is_published") in ("on", "1", "true"),
    )
    form.values["village_q"] = (data.get("village_q") or "").strip()[:100]
    form.values["is_published"] = product.publish
    if any(photo.size > MAX_PHOTO_BYTES for photo in photos):
        form.add("photo", _("The photo may be at most 10 MB."))
    if len(photos) > MAX_PHOTOS_AT_ONCE:
        form.add("photo", _("Add at most %(n)d photos at once.") % {"n": MAX_PHOTOS_AT_ONCE})
    return form, product


def _step(request, document: str, variables: dict, root: str, form, fields) -> dict | None:
    payload, errors = client.mutate(request, document, variables, root=root)
    if errors:
        form.merge(errors, fields)
        return None
    return payload


def stock_warehouse(
    request: HttpRequest, seller: dict[str, Any], variant: dict | None, form: forms.Form
) -> str | None:
    """Where the stock is counted: where the variant already has it, else the
    cooperative's first warehouse (it holds its members' goods), else the seller's own,
    created on first use."""
    for stock in (variant or {}).get("stocks") or []:
        return stock["warehouse"]["id"]
    cooperative_warehouses = (seller.get("cooperative") or {}).get("warehouses") or []
    if cooperative_warehouses:
        return cooperative_warehouses[0]["id"]
    own = seller.get("warehouses") or []
    if own:
        return own[0]["id"]
    name = _("%(seller)s's warehouse") % {"seller": seller["name"]}
    payload = _step(
        request,
        queries.WAREHOUSE_CREATE,
        {"input": {"name": name[:200], "seller": seller["id"]}},
        "warehouseCreate",
        form,
        {"name": "stock"},
    )
    return payload["warehouse"]["id"] if payload else None


def _variant_input(data: ProductData) -> dict[str, Any]:
    values: dict[str, Any] = {"name": data.unit}
    if data.weight is not None:
        values["weight"] = data.weight
    return values


def _add_photos(request, product_id: str, data: ProductData, form) -> list[str] | None:
    """The IDs of the photos added, in the order chosen; on a refusal, None and none kept."""
    added: list[str] = []
    for photo in data.photos:
        variables = {"input": {"product": product_id, "image": photo, "alt": data.name}}
        payload = _step(
            request, queries.MEDIA_CREATE, variables, "productMediaCreate", form, PHOTO_FIELDS
        )
        if payload is None:
            remove_photos(request, added)
            return None
        added.append(payload["media"]["id"])
    return added


def remove_photos(request: HttpRequest, media_ids: list[str]) -> None:
    for media_id in media_ids:
        client.mutate(request, queries.MEDIA_DELETE, {"id": media_id}, root="productMediaDelete")


def create_product(
    request: HttpRequest, seller: dict[str, Any], data: ProductData, form: forms.Form
) -> str | None:
    """The new product's ID, or None with the form's errors and nothing kept."""
    product_input = {
        "seller": seller["id"],
        "name": data.name,
        "description": data.description,
        "category": data.category,
        "isPublished": False,
    }
    if data.origin:
        product_input["origin"] = data.origin
    payload = _step(
        request,
        queries.PRODUCT_CREATE,
        {"input": product_input},
        "productCreate",
        form,
        PRODUCT_FIELDS,
    )
    if payload is None:
        return None
    product_id = payload["product"]["id"]
    if not _finish_new(request, product_id, seller, data, form):
        client.mutate(request, queries.PRODUCT_DELETE, {"id": product_id}, root="productDelete")
        return None
    return product_id


def _finish_new(request, product_id: str, seller: dict, data: ProductData, form) -> bool:
    if not create_pack(request, product_id, seller, data, form):
        return False
    if _add_photos(request, product_id, data, form) is None:
        return False
    if data.publish:
        return _publish(request, product_id, True, form)
    return True


def create_pack(request, product_id: str, seller: dict, data: ProductData, form) -> bool:
    """A new variant (pack) of the product, with its price and stock."""
    variant_input = {
        "product": product_id,
        "channelListings": [{"channel": CHANNEL, "price": data.price_rial}],
        **_variant_input(data),
    }
    if data.stock:
        warehouse = stock_warehouse(request, seller, None, form)
        if warehouse is None:
            return False
        variant_input["stocks"] = [{"warehouse": warehouse, "quantity": data.stock}]
    created = _step(
        request,
        queries.VARIANT_CREATE,
        {"input": variant_input},
        "productVariantCreate",
        form,
        VARIANT_FIELDS,
    )
    return created is not None


def _publish(request, product_id: str, publish: bool, form) -> bool:
    variables = {"id": product_id, "input": {"isPublished": publish}}
    return (
        _step(request, queries.PRODUCT_UPDATE, variables, "productUpdate", form, PRODUCT_FIELDS)
        is not None
    )


def update_product(
    request: HttpRequest, product: dict[str, Any], data: ProductData, form: forms.Form
) -> bool:
    """Save the form over `product`; on a refusal, the photos it added are removed."""
    added = _add_photos(request, product["id"], data, form)
    if added is None:
        return False
    product_input = {
        "name": data.name,
        "description": data.description,
        "category": data.category,
        "isPublished": data.publish,
    }
    if data.origin:
        product_input["origin"] = data.origin
    variables = {"id": product["id"], "input": product_input}
    saved = _step(request, queries.PRODUCT_UPDATE, variables, "productUpdate", form, PRODUCT_FIELDS)
    if saved is None or not _save_variant(request, product, data, form):
        remove_photos(request, added)
        return False
    return True


def _save_variant(request, product: dict, data: ProductData, form) -> bool:
    variants = product.get("variants") or []
    if not variants:
        return _finish_new(request, product["id"], product["seller"], data, form)
    return save_pack(request, product, variants[0], data, form)


def save_pack(request, product: dict, variant: dict, data: ProductData, form) -> bool:
    """One variant's (pack's) name, weight, price and stock."""
    steps = [
        (
            queries.VARIANT_UPDATE,
            {"id": variant["id"], "input": _variant_input(data)},
            "productVariantUpdate",
        ),
        (
            queries.VARIANT_PRICES,
            {"id": variant["id"], "prices": [{"channel": CHANNEL, "price": data.price_rial}]},
            "productVariantPricesUpdate",
        ),
    ]
    for document, variables, root in steps:
        if _step(request, document, variables, root, form, VARIANT_FIELDS) is None:
            return False
    if data.stock or variant.get("stocks"):
        warehouse = stock_warehouse(request, product["seller"], variant, form)
        if warehouse is None:
            return False
        stocks = [{"warehouse": warehouse, "quantity": data.stock}]
        variables = {"id": variant["id"], "stocks": stocks}
        root = "productVariantStocksUpdate"
        if _step(request, queries.VARIANT_STOCKS, variables, root, form, VARIANT_FIELDS) is None:
            return False
    return True


def set_published(request: HttpRequest, product_id: str, publish: bool) -> client.FormErrors:
    variables = {"id": product_id, "input": {"isPublished": publish}}
    _payload, errors = client.mutate(
        request, queries.PRODUCT_UPDATE, variables, root="productUpdate"
    )
    return errors
