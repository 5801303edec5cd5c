"""Browser tests: the real shop (tests/browser/server.py) driven by Debian's chromium
through Playwright. Screenshots of every page a test visits are kept under
test-artifacts/browser/screenshots/<test>/, and the run's summary lists them."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from tests.browser.artifacts import ARTIFACTS, SUMMARY, NewPage, Screenshots, report
from tests.browser.chromium import LAUNCH_ARGS, ensure_chromium
from tests.browser.server import ROOT, Shop

HERE = Path(__file__).resolve().parent
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
# Pages render on a loaded two-core machine next to the rest of the suite.
TIMEOUT_MS = 30_000
_shop: Shop | None = None


def pytest_terminal_summary(terminalreporter, config: pytest.Config) -> None:
    if SUMMARY:
        terminalreporter.section("browser tests")
        for line in SUMMARY:
            terminalreporter.write_line(line)


def _in_this_folder(item: pytest.Item | None) -> bool:
    return item is not None and HERE in Path(item.path).resolve().parents


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> None:
    # The stack is not needed by the rest of the suite: stop it as soon as the last
    # browser test is done rather than at the end of the whole run.
    if _shop is not None and not _in_this_folder(nextitem):
        _shop.stop()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call):
    outcome = yield
    result = outcome.get_result()
    setattr(item, f"report_{result.when}", result)


@pytest.fixture(scope="session")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Shop]:
    global _shop
    base_url = os.environ.get("DATABASE_URL")
    if not base_url:
        pytest.fail("DATABASE_URL is not set: run the suite with `make test`")
    name = os.environ.get("TEST_DATABASE_NAME", "test_bazarcheh") + "_browser"
    # Collected static files, the server's data and its logs: one folder per run.
    workdir = tmp_path_factory.mktemp("shop")
    _shop = Shop(workdir=workdir, base_database_url=base_url, database_name=name)
    report(f"browser tests: the shop's logs are in {_shop.logs}/")
    try:
        _shop.start()
        yield _shop
    finally:
        _shop.stop()
        _shop = None


@pytest.fixture(scope="module")
def browser(shop: Shop) -> Iterator[Browser]:
    # Module scope: Playwright's event loop must not outlive the browser tests, whose
    # neighbours in the suite use the Django ORM, which refuses to run inside one.
    executable = ensure_chromium()
    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(executable), headless=True, args=LAUNCH_ARGS
        )
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def screenshots(request: pytest.FixtureRequest) -> Iterator[Screenshots]:
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name).strip("-")
    shots = Screenshots(ARTIFACTS / "screenshots" / name)
    yield shots
    if shots.count:
        relative = shots.folder.relative_to(ROOT)
        report(f"{request.node.nodeid}: {shots.count} screenshots in {relative}/")


@pytest.fixture
def new_page(
    browser: Browser, shop: Shop, screenshots: Screenshots, request: pytest.FixtureRequest
) -> Iterator[NewPage]:
    """Open a page in a fresh browser context (a new visitor); phone-sized by default."""
    contexts: list[BrowserContext] = []

    def open_page(**options) -> Page:
        settings = {**PHONE, "locale": "fa-IR", "base_url": shop.url, **options}
        context = browser.new_context(**settings)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_page
    failed = getattr(request.node, "report_call", None)
    for context in contexts:
        if failed is not None and failed.failed:
            for page in context.pages:
                screenshots(page, "failure")
        context.close()
