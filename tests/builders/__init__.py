"""Test data, one module per domain app: rows written straight through the models (quick,
for the tests of other apps) or through the app's services (`catalog.make_product`), and
the rows the migrations seed. Fixtures live in the conftest.py files and call these;
tests/support.py reads global IDs and error codes."""

from __future__ import annotations

import itertools

# Numbers for unique names, slugs, SKUs and voucher codes, shared by every builder.
serial = itertools.count(1)
