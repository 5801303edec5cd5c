"""`shop`: what the operator says about the shop (contact, policies, e-trust seal)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import graphene

from marketplace.api.core.i18n import localized
from marketplace.site import selectors
from marketplace.site.models import SiteSettings


class TrustSeal(graphene.ObjectType):
    url = graphene.String(required=True, description="The seal's verification page.")
    image_url = graphene.String(required=True)


def _in_language(field: str) -> Callable[[SiteSettings, Any], str]:
    """A resolver for a text the operator writes in Persian and, optionally, English."""

    def resolve(root: SiteSettings, info) -> str:
        return localized(info, getattr(root, field), getattr(root, f"{field}_en"))

    return resolve


class Shop(graphene.ObjectType):
    phone = graphene.String(required=True)
    email = graphene.String(required=True)
    address = graphene.String(required=True)
    about = graphene.String(required=True)
    return_policy = graphene.String(required=True)
    terms = graphene.String(required=True)
    trust_seal = graphene.Field(TrustSeal, description="The e-trust seal (enamad), once set.")

    resolve_address = staticmethod(_in_language("address"))
    resolve_about = staticmethod(_in_language("about"))
    resolve_return_policy = staticmethod(_in_language("return_policy"))
    resolve_terms = staticmethod(_in_language("terms"))

    @staticmethod
    def resolve_trust_seal(root: SiteSettings, info) -> TrustSeal | None:
        seal = selectors.trust_seal(root)
        return TrustSeal(url=seal[0], image_url=seal[1]) if seal else None


class SiteQueries(graphene.ObjectType):
    shop = graphene.Field(Shop, required=True)

    @staticmethod
    def resolve_shop(root, info) -> SiteSettings:
        return selectors.site_settings()
