"""The order tests' builders: they live in tests.commerce, shared with the checkout
tests; this module keeps the names where other suites import them."""

from tests.commerce import (  # noqa: F401
    EXPRESS_POST,
    category,
    ensure_seeded,
    ir_address,
    make_checkout,
    make_variant,
    make_voucher,
    stock_of,
    warehouse_for,
)
