"""Where the browser tests keep what they saw: numbered screenshots per test under
test-artifacts/browser/screenshots/<test>/, and lines for the end-of-run summary."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page

from tests.browser.server import ROOT

ARTIFACTS = ROOT / "test-artifacts" / "browser"
SUMMARY: list[str] = []

NewPage = Callable[..., Page]


def report(line: str) -> None:
    """A line for the end-of-run summary (and now, when output is not captured)."""
    SUMMARY.append(line)
    print(line)


class Screenshots:
    """Numbered full-page screenshots of one test's steps."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.count = 0
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)

    def __call__(self, page: Page, step: str) -> Path:
        self.count += 1
        path = self.folder / f"{self.count:02d}-{step}.png"
        page.screenshot(path=str(path), full_page=True)
        return path
