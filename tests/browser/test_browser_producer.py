"""A village producer signs up on a phone and applies in a cooperative; the cooperative's
staff approve them; the producer adds a product with a photo from the phone's camera and
publishes it, and buyers then find it, photo and all, by searching."""

from __future__ import annotations

import io
import uuid

from PIL import Image, ImageDraw
from playwright.sync_api import Page, expect

from tests.browser.artifacts import NewPage, Screenshots, report
from tests.browser.journeys import (
    expect_language,
    expect_no_field_errors,
    password_box,
    persian_digits,
    search,
    textbox,
)
from tests.browser.server import Shop
from tests.browser.words import Words

STAFF_EMAIL = "saffron.staff@demo.bazarcheh.ir"
DEMO_PASSWORD = "Roosta-Bazar-1405"
COOPERATIVE = "تعاونی زعفران\u200cکاران تربت حیدریه"
# A word no demo product uses, so the search can only find the new product.
PRODUCT_WORD = "قاووت"


def camera_photo() -> bytes:
    """A JPEG as a phone camera would send it: large, with EXIF."""
    image = Image.new("RGB", (1600, 1200), (214, 180, 120))
    draw = ImageDraw.Draw(image)
    for i in range(12):
        draw.ellipse(
            (100 + i * 110, 300 + (i % 3) * 150, 300 + i * 110, 500 + (i % 3) * 150),
            fill=(120 + i * 8, 70, 40),
        )
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85, exif=exif)
    return out.getvalue()


def submit(page: Page, button: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()


def sign_up(page: Page, words: Words, *, email: str, password: str) -> None:
    page.goto("/panel/apply/")
    if "/account/signup/" not in page.url:
        with page.expect_navigation():
            page.get_by_role("link", name=words("Create an account")).click()
    textbox(page, words("First name")).fill("رحیم")
    textbox(page, words("Last name")).fill("قاسمی")
    textbox(page, words("Email")).fill(email)
    password_box(page, words("Password")).fill(password)
    submit(page, words("Create the account"))


def sign_in(page: Page, words: Words, *, login: str, password: str, next_path: str) -> None:
    page.goto(f"/account/signin/?next={next_path}")
    textbox(page, words("Email or mobile number")).fill(login)
    password_box(page, words("Password")).fill(password)
    submit(page, words("Sign in"))


def test_producer_joins_a_cooperative_and_sells_a_product_with_a_photo(
    new_page: NewPage, shop: Shop, screenshots: Screenshots, request
):
    words = Words("fa")
    token = uuid.uuid4().hex[:6]
    email = f"producer-{token}@example.com"
    password = f"Ghavoot-{token}-1405"
    number = persian_digits(str(int(token, 16) % 10_000))
    producer_name = f"قاووت خانگی قاسمی {number}"
    product_name = f"{PRODUCT_WORD} هفت‌گیاه کاریزک {number}"

    producer = new_page()
    sign_up(producer, words, email=email, password=password)
    screenshots(producer, "signed-up")
    if "/panel/apply/" not in producer.url:
        producer.goto("/panel/apply/")
    expect(producer.get_by_role("heading", level=1)).to_have_text(words("Sell on Bazarcheh"))
    textbox(producer, words("Your name or your workshop's name")).fill(producer_name)
    textbox(producer, words("Your story: what you make and how")).fill(
        "قاووت را با نخودچی، کنجد و گیاهان کوهستان در آسیاب سنگی خانه می‌سازیم."
    )
    textbox(producer, words("Mobile number")).fill(persian_digits("09157654321"))
    producer.get_by_role("combobox", name=words("Cooperative"), exact=True).select_option(
        label=COOPERATIVE
    )
    screenshots(producer, "application")
    submit(producer, words("Send my application"))
    expect(
        producer.get_by_text(
            words(
                "Your application is waiting for approval. Once approved you can add your products here."
            )
        )
    ).to_be_visible()
    screenshots(producer, "waiting-for-approval")

    staff = new_page(
        viewport={"width": 1280, "height": 900},
        is_mobile=False,
        has_touch=False,
        device_scale_factor=1,
    )
    sign_in(staff, words, login=STAFF_EMAIL, password=DEMO_PASSWORD, next_path="/panel/")
    with staff.expect_navigation():
        staff.get_by_role("link", name=words("Applicants")).first.click()
    applicant = staff.locator("li").filter(has_text=producer_name)
    expect(applicant).to_have_count(1)
    screenshots(staff, "applicants")
    with staff.expect_navigation():
        applicant.get_by_role("button", name=words("Approve")).click()
    expect(staff.locator("li").filter(has_text=producer_name)).to_have_count(0)
    screenshots(staff, "approved")

    producer.goto("/panel/")
    with producer.expect_navigation():
        producer.get_by_role("link", name=words("Add a product")).first.click()
    textbox(producer, words("Product name")).fill(product_name)
    textbox(producer, words("Description")).fill("قاووت هفت‌گیاه، بی‌شکر، در بسته‌ی کاغذی.")
    category = producer.get_by_role("combobox", name=words("Category"), exact=True)
    option = category.locator("option").filter(has_text="خشکبار").first
    category.select_option(value=option.get_attribute("value"))
    textbox(producer, words("Price in toman")).fill("۴۵۰٬۰۰۰")
    textbox(producer, words("How many you have")).fill("۲۰")
    textbox(producer, words("Unit (for example: 1 kg bag)")).fill("بسته‌ی ۵۰۰ گرمی")
    textbox(producer, words("Weight of one unit in kilograms")).fill("۰٫۵")
    photo = producer.get_by_label(words("Photos"), exact=True)
    expect(photo).to_have_attribute("accept", "image/*")
    # Camera or gallery: the phone offers both when nothing forces the camera.
    assert photo.get_attribute("capture") is None
    photo.set_input_files(
        {"name": "IMG_1405.jpg", "mimeType": "image/jpeg", "buffer": camera_photo()}
    )
    # Saved as a draft first, then published from the product list.
    producer.get_by_role("checkbox", name=words("Show it in the shop")).uncheck()
    screenshots(producer, "new-product")
    submit(producer, words("Save"))
    expect_no_field_errors(producer)
    screenshots(producer, "saved")

    producer.goto("/panel/products/")
    row = producer.locator("li").filter(has_text=product_name)
    expect(row).to_have_count(1)
    expect(row.get_by_text(words("Not published"))).to_be_visible()
    with producer.expect_navigation():
        row.get_by_role("button", name=words("Publish"), exact=True).click()
    expect(
        producer.locator("li").filter(has_text=product_name).get_by_text(words("In the shop"))
    ).to_be_visible()
    screenshots(producer, "published")

    buyer = new_page()
    buyer.goto("/")
    expect_language(buyer, "fa")
    search(buyer, words, PRODUCT_WORD)
    link = buyer.locator("main").get_by_role("link", name=product_name)
    expect(link).to_have_count(1)
    picture = link.locator("img")
    picture.scroll_into_view_if_needed()
    expect(picture).to_have_js_property("complete", True)
    src = picture.get_attribute("src") or ""
    assert src.startswith(shop.s3_url), src
    assert picture.evaluate("img => img.naturalWidth") > 0, f"{src} did not load"
    screenshots(buyer, "found-in-search")
    with buyer.expect_navigation():
        link.click()
    main_photo = buyer.locator("main article img").first
    expect(main_photo).to_have_js_property("complete", True)
    assert main_photo.evaluate("img => img.naturalWidth") > 0
    screenshots(buyer, "product-page")
    report(f"{request.node.nodeid}: the new product's photo in search: {src}")
