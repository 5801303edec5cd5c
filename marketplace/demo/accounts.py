"""The demo accounts: one shared password, documented in the README and printed by
`manage.py ensure_operator` when no DJANGO_SUPERUSER_* is set."""

from __future__ import annotations

from marketplace.demo.dataset import load_dataset

DEMO_DOMAIN = "demo.bazarcheh.ir"
DEMO_PASSWORD = "Roosta-Bazar-1405"
OPERATOR_EMAIL = f"operator@{DEMO_DOMAIN}"
BUYER_EMAIL = f"buyer@{DEMO_DOMAIN}"


def showcase_seller_emails() -> tuple[str, str]:
    """An approved cooperative member and an approved independent seller."""
    sellers = [s for s in load_dataset()["sellers"] if s["status"] == "APPROVED"]
    member = next(s for s in sellers if s["cooperative"])
    independent = next(s for s in sellers if not s["cooperative"])
    return member["email"], independent["email"]


def _accounts_text() -> str:
    data = load_dataset()
    member, independent = showcase_seller_emails()
    rows = [
        ("platform operator / مدیر سامانه", OPERATOR_EMAIL),
        ("buyer / خریدار", BUYER_EMAIL),
        *(
            (f"cooperative staff / کارمند {coop['name']}", coop["staff"][0]["email"])
            for coop in data["cooperatives"]
        ),
        ("seller, cooperative member / فروشنده‌ی عضو تعاونی", member),
        ("seller, independent / فروشنده‌ی مستقل", independent),
    ]
    lines = [
        f"Demo accounts (manage.py load_demo_data), one password for all: {DEMO_PASSWORD}",
        f"حساب‌های نمایشی، رمز عبور همه: {DEMO_PASSWORD}",
        *(f"  {email}  —  {role}" for role, email in rows),
    ]
    return "\n".join(lines)


DEMO_ACCOUNTS_TEXT = _accounts_text()
