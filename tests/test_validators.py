from decimal import Decimal

import pytest

from marketplace.core.errors import DomainError
from marketplace.core.validators import clean_iban, clean_mobile, clean_rate


@pytest.mark.parametrize(
    "raw",
    [
        "09151234567",
        "۰۹۱۵۱۲۳۴۵۶۷",
        "+98 915 123 4567",
        "00989151234567",
        "9151234567",
        "٠٩١٥١٢٣٤٥٦٧",
    ],
)
def test_mobile_spellings_normalise_to_e164(raw):
    assert clean_mobile(raw) == "+989151234567"


@pytest.mark.parametrize("raw", ["0915123456", "05131234567", "hello", "+1", "0" * 40])
def test_bad_mobiles(raw):
    with pytest.raises(DomainError) as exc:
        clean_mobile(raw)
    assert exc.value.errors[0].code == "INVALID"


def test_sheba_checksum():
    assert clean_iban("IR05 0170 0000 0012 3456 7890 12", field="x") == "IR050170000000123456789012"
    assert clean_iban("۰۵۰۱۷۰۰۰۰۰۰۰۱۲۳۴۵۶۷۸۹۰۱۲", field="x") == "IR050170000000123456789012"
    for bad in ["IR06 0170 0000 0012 3456 7890 12", "IR05017", "XX050170000000123456789012"]:
        with pytest.raises(DomainError):
            clean_iban(bad, field="x")


@pytest.mark.parametrize("value", [-0.1, 1, 1.5, float("nan"), float("inf")])
def test_fee_rate_bounds(value):
    with pytest.raises(DomainError):
        clean_rate(value, field="feeRate", default=Decimal("0.05"))
