"""Field declarations the Seller and Cooperative types take from the ledger's API; this
module imports nothing of the API's types, so those types can import it."""

from __future__ import annotations

import graphene


def statement_url_field(readers: str) -> graphene.String:
    return graphene.String(
        start=graphene.Date(required=True),
        end=graphene.Date(required=True),
        format=graphene.String(description="csv or pdf (default)."),
        channel=graphene.String(),
        description=f"A link to download the period's statement (10 minutes); {readers}.",
    )
