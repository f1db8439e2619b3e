"""Chromium (Debian's package) under Playwright, with a page that fails the test on any console error,
uncaught exception or request that leaves the store."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Request, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
# No sandbox (root in a container); nothing of Chromium's own phoning home, so every request is ours.
ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-sync",
    "--no-first-run",
    "--disable-features=Translate,OptimizationHints,MediaRouter,DialMediaRouteProvider",
]
BAD_WORDS = re.compile(r"\b(NaN|null|undefined|Infinity)\b|\[object")


@contextmanager
def chromium() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make setup` installs Debian's chromium package")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


class GuardedPage:
    """A page whose every request must go to `origins`; problems are collected and checked at the end."""

    def __init__(self, browser: Browser, origins: tuple[str, ...]) -> None:
        self.context = browser.new_context(viewport={"width": 1200, "height": 900}, accept_downloads=True)
        self.page: Page = self.context.new_page()
        self.origins = origins
        self.problems: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.problems.append(f"uncaught: {error}"))
        self.page.on("request", self._request)

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.problems.append(f"console error: {message.text} ({message.location})")

    def _request(self, request: Request) -> None:
        self.requests.append(request.url)
        if not request.url.startswith((*self.origins, "blob:", "data:")):
            self.problems.append(f"request outside the store: {request.url}")

    def close(self) -> None:
        self.context.close()


@contextmanager
def guarded_page(browser: Browser, *origins: str) -> Iterator[Page]:
    """A page that fails the test, when closed, on any console error or request outside the origins."""
    guarded = GuardedPage(browser, origins)
    try:
        yield guarded.page
    finally:
        guarded.close()
    assert guarded.problems == []


def visible_text(page: Page) -> str:
    """What a reader sees; it must never show a programming value."""
    text = page.inner_text("body")
    found = BAD_WORDS.search(text)
    assert found is None, (
        f"the page shows {found.group(0)!r}: …{text[max(0, found.start() - 80) : found.end() + 80]}…"
    )
    return text
