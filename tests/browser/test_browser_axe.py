"""axe-core (the npm devDependency) over a shop page, panel pages and admin pages, on a
phone, in Persian: each must have no violation of the rules axe runs by default."""

from __future__ import annotations

import json

from playwright.sync_api import Page

from marketplace.demo.accounts import DEMO_PASSWORD, OPERATOR_EMAIL
from tests.browser.artifacts import NewPage, Screenshots, report
from tests.browser.journeys import password_box, textbox
from tests.browser.server import ROOT
from tests.browser.words import Words

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
STAFF_EMAIL = "saffron.staff@demo.bazarcheh.ir"


def violations(page: Page) -> list[dict]:
    # Evaluated from outside the page: the pages' Content-Security-Policy (rightly)
    # refuses an injected inline script tag.
    page.evaluate(AXE.read_text("utf-8") + "\n;undefined")
    found = page.evaluate(
        """async () => (await axe.run(document)).violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 5).map(n => n.target.join(" "))
        }))"""
    )
    return found


def assert_accessible(page: Page, screenshots: Screenshots, step: str) -> None:
    found = violations(page)
    screenshots(page, step)
    assert found == [], f"{page.url}: {json.dumps(found, ensure_ascii=False, indent=1)}"


def sign_in(page: Page, words: Words, login: str, next_path: str) -> None:
    page.goto(f"/account/signin/?next={next_path}")
    textbox(page, words("Email or mobile number")).fill(login)
    password_box(page, words("Password")).fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name=words("Sign in"), exact=True).click()


def test_shop_panel_and_admin_pages_have_no_axe_violations(
    new_page: NewPage, screenshots: Screenshots, request
):
    assert AXE.exists(), "axe-core is missing: run npm ci"
    words = Words("fa")

    buyer = new_page()
    buyer.goto("/")
    assert_accessible(buyer, screenshots, "shop-home")
    product = buyer.locator("main a[href^='/p/'], main a[href*='/product']").first
    if product.count():
        with buyer.expect_navigation():
            product.click()
        assert_accessible(buyer, screenshots, "shop-product")

    staff = new_page()
    sign_in(staff, words, STAFF_EMAIL, "/panel/")
    coop = staff.locator("main a[href^='/panel/coop/']").first
    slug = (coop.get_attribute("href") or "").split("/")[3]
    staff.goto(f"/panel/coop/{slug}/products/")
    assert_accessible(staff, screenshots, "panel-members-products")
    edit = staff.locator("main table a[href^='/panel/products/']").first.get_attribute("href")
    staff.goto(f"/panel/coop/{slug}/shipments/")
    assert_accessible(staff, screenshots, "panel-parcels")
    staff.goto(edit or "/panel/")
    assert_accessible(staff, screenshots, "panel-product-form")

    operator = new_page()
    operator.goto("/admin/login/?next=/admin/")
    assert_accessible(operator, screenshots, "admin-login")
    operator.locator("input[name=username]").fill(OPERATOR_EMAIL)
    operator.locator("input[name=password]").fill(DEMO_PASSWORD)
    with operator.expect_navigation():
        operator.locator("input[type=submit], button[type=submit]").first.click()
    operator.goto("/admin/")
    assert_accessible(operator, screenshots, "admin-index")
    operator.goto("/admin/locations/village/?is_confirmed__exact=0")
    assert_accessible(operator, screenshots, "admin-villages")
    report(f"{request.node.nodeid}: axe-core found no violation on 8 pages")
