"""The payment tests' fixtures, shared with the API tests."""

from tests.payments.conftest import goods, sandbox, seeded  # noqa: F401
