"""The ledger's fixtures (orders placed through the real checkout) for the API tests."""

from tests.ledger.conftest import independent, ir, online, three_sellers, variants  # noqa: F401
