"""`products` arguments: the filter and order inputs and their translation to selector
arguments (global IDs to primary keys, floats to Decimal)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

import graphene
from django.utils.translation import gettext_lazy as _

from marketplace.api.core.errors import query_error
from marketplace.api.core.ids import decode_id
from marketplace.core.errors import DomainError, ErrorCode, ErrorCollector

MAX_FILTER_IDS = 100


class ProductOrderField(graphene.Enum):
    NAME = "NAME"
    PRICE = "PRICE"
    CREATED = "CREATED"
    RATING = "RATING"
    RANK = "RANK"

    @property
    def description(self):
        return {
            "NAME": "By name, in the request's language.",
            "PRICE": "By the lowest variant price in the channel.",
            "CREATED": "By when the product was listed.",
            "RATING": "By rating; unrated products last.",
            "RANK": "By relevance to `search` (by creation without a search).",
        }.get(self.name)


class OrderDirection(graphene.Enum):
    ASC = "ASC"
    DESC = "DESC"


class ProductOrder(graphene.InputObjectType):
    field = ProductOrderField(required=True)
    direction = OrderDirection(required=True)


class PriceRangeInput(graphene.InputObjectType):
    gte = graphene.Float()
    lte = graphene.Float()


class ProductFilterInput(graphene.InputObjectType):
    categories = graphene.List(
        graphene.NonNull(graphene.ID), description="A category includes those below it."
    )
    sellers = graphene.List(graphene.NonNull(graphene.ID))
    cooperatives = graphene.List(graphene.NonNull(graphene.ID))
    price = PriceRangeInput(description="On the lowest price in the channel.")
    is_available = graphene.Boolean()


def _ids(values: list[str] | None, type_name: str, field: str) -> list[int] | None:
    if values is None:
        return None
    if len(values) > MAX_FILTER_IDS:
        raise DomainError.of(
            ErrorCode.INVALID,
            field,
            _("At most %(n)d identifiers are allowed.") % {"n": MAX_FILTER_IDS},
        )
    errors = ErrorCollector()
    ids = [
        errors.collect(decode_id, v, type_name, field=f"{field}.{i}") for i, v in enumerate(values)
    ]
    errors.raise_if_any()
    return ids


def _price(value: float | None, field: str) -> Decimal | None:
    if value is None:
        return None
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        amount = None
    if amount is None or not amount.is_finite() or abs(amount) > Decimal(10) ** 18:
        raise DomainError.of(ErrorCode.INVALID, field)
    return amount


def listing_arguments(product_filter: dict | None, sort_by: dict | None) -> dict:
    """Keyword arguments for selectors.product_listing; each bad ID or number is a GraphQL
    error with code INVALID (queries have no `errors` field)."""
    product_filter = product_filter or {}
    price = product_filter.get("price") or {}
    errors = ErrorCollector()
    arguments = {
        "category_ids": errors.collect(
            _ids, product_filter.get("categories"), "Category", "filter.categories"
        ),
        "sellers": errors.collect(_ids, product_filter.get("sellers"), "Seller", "filter.sellers"),
        "cooperatives": errors.collect(
            _ids, product_filter.get("cooperatives"), "Cooperative", "filter.cooperatives"
        ),
        "price_gte": errors.collect(_price, price.get("gte"), "filter.price.gte"),
        "price_lte": errors.collect(_price, price.get("lte"), "filter.price.lte"),
        "is_available": product_filter.get("is_available"),
    }
    if errors.errors:
        raise query_error(DomainError(*errors.errors))
    if sort_by:
        arguments["sort_field"] = _enum_value(sort_by["field"])
        arguments["descending"] = _enum_value(sort_by["direction"]) == "DESC"
    return arguments


def _enum_value(value) -> str:
    return getattr(value, "value", value)
