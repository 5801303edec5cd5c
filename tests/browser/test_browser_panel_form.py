"""The product form on a phone: finding a village refreshes only the village list, so
the photos already chosen stay chosen; the photo field takes several photos from the
camera or the gallery."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.artifacts import NewPage, Screenshots
from tests.browser.test_browser_axe import STAFF_EMAIL, sign_in
from tests.browser.test_browser_producer import camera_photo
from tests.browser.words import Words

VILLAGE = "کارده"


def test_finding_a_village_keeps_the_chosen_photos(new_page: NewPage, screenshots: Screenshots):
    words = Words("fa")
    staff = new_page()
    sign_in(staff, words, STAFF_EMAIL, "/panel/")
    coop = staff.locator("main a[href^='/panel/coop/']").first
    slug = (coop.get_attribute("href") or "").split("/")[3]
    staff.goto(f"/panel/coop/{slug}/products/")
    edit = staff.locator("main table a[href^='/panel/products/']").first.get_attribute("href")
    staff.goto(edit or "/panel/")
    form_url = staff.url

    photos = staff.get_by_label(words("Add more photos"), exact=True)
    if not photos.count():
        photos = staff.get_by_label(words("Photos"), exact=True)
    assert photos.get_attribute("capture") is None
    assert photos.get_attribute("multiple") is not None
    jpeg = camera_photo()
    photos.set_input_files(
        [
            {"name": "IMG_1.jpg", "mimeType": "image/jpeg", "buffer": jpeg},
            {"name": "IMG_2.jpg", "mimeType": "image/jpeg", "buffer": jpeg},
        ]
    )
    staff.get_by_label(words("Search the village by name")).fill(VILLAGE)
    staff.locator("main").get_by_role("button", name=words("Find"), exact=True).click()
    village = staff.get_by_role("combobox", name=words("Village"), exact=True)
    expect(village.locator("option").filter(has_text=VILLAGE)).to_have_count(1)
    assert staff.url == form_url
    assert photos.evaluate("input => input.files.length") == 2
    screenshots(staff, "village-found-photos-kept")
