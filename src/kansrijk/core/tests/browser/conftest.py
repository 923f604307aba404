"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server (a real server thread on
the test database).

One Chromium serves every browser test; each test gets a fresh context (no cookies or storage carried over). The
browser is started by the first browser test and stopped after the last one, not at the end of the session: while
Playwright runs, its event loop is the running loop of the main thread, and the tests that pytest-django orders after
the transactional ones (no database) must not find one there.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.db import connections
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from kansrijk.matching import selectors as matching_selectors

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[4]
AXE_SOURCE = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox",  # the tests may run as root, where Chromium's sandbox refuses to start
                 "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run", "--disable-quic"]
# Playwright waits this long for an element or a navigation; the live server answers in well under a second, so a
# step that takes longer is a failure, not a slow machine.
TIMEOUT_MS = 15_000


class _Chromium:
    """The one browser of the run, started on first use."""

    def __init__(self):
        self._playwright = None
        self.browser = None
        self._previous_env = None

    def get(self):
        if self.browser is None:
            if not Path(CHROMIUM).exists():
                pytest.fail(f"Chromium ontbreekt ({CHROMIUM}): de browsertests hebben Debian's chromium nodig. "
                            "`make test` installeert het (apt-get install chromium).", pytrace=False)
            from playwright.sync_api import sync_playwright

            # Playwright's sync API runs an asyncio event loop in this thread, and Django refuses ORM calls from a
            # thread with a running loop (SynchronousOnlyOperation), although the test body and pytest-django's
            # database teardown call it synchronously and never from a coroutine. Allowed only while Playwright
            # runs; ``stop`` restores the check.
            self._previous_env = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
            # With a running loop, Django's per-thread connections become per-context (asgiref's Local), so this
            # thread gets new connection objects to the same test database. The copy of the migrated rows that
            # serialized rollback restores from (see ``site``) lives on the connection object: carry it over.
            serialized = {conn.alias: conn._test_serialized_contents for conn in connections.all()
                          if hasattr(conn, "_test_serialized_contents")}
            self._playwright = sync_playwright().start()
            for alias, contents in serialized.items():
                connections[alias]._test_serialized_contents = contents
            self.browser = self._playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        return self.browser

    def stop(self):
        if self._playwright is None:
            return
        try:
            # The connections opened in Playwright's context (see ``get``) would otherwise stay open and keep
            # PostgreSQL from dropping the test database at the end.
            for conn in connections.all(initialized_only=True):
                conn.close()
            if self.browser is not None:
                self.browser.close()
            self._playwright.stop()
        finally:
            self._playwright = self.browser = None
            if self._previous_env is None:
                os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
            else:
                os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = self._previous_env


_chromium = _Chromium()


def _is_browser_test(item) -> bool:
    return item is not None and HERE in Path(item.path).resolve().parents


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    # After the test's own fixtures (and the database flush) are torn down: stop the browser when the next test is
    # not a browser test.
    try:
        return (yield)
    finally:
        if not _is_browser_test(nextitem):
            _chromium.stop()


@pytest.fixture
def browser():
    return _chromium.get()


@pytest.fixture
def site(live_server, django_db_serialized_rollback, settings):
    """The live server's address, with what a browser over plain http on localhost needs.

    live_server makes the test transactional: the tables are emptied afterwards, including the rows the data
    migrations wrote (role policies, cause codes, ladder steps). Serialized rollback puts those back before each
    test, so the tests see what a migrated database holds."""
    settings.SESSION_COOKIE_SECURE = False  # the live server speaks http, not https
    settings.CSRF_COOKIE_SECURE = False
    matching_selectors._CANDIDATES.clear()  # ids are reused after a transactional test's flush
    yield live_server.url
    matching_selectors._CANDIDATES.clear()


@pytest.fixture
def new_page(browser, site):
    """Opens pages in fresh browser contexts (one per user, like separate computers); all closed afterwards."""
    contexts = []

    def _open():
        context = browser.new_context(base_url=site, locale="nl-NL", timezone_id="Europe/Amsterdam")
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield _open
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


def current_token(device: TOTPDevice) -> str:
    """The code the user's authenticator app would show now."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift):06d}"


def log_in(page, username: str, password: str = "password", *, device: TOTPDevice | None = None) -> None:
    """Through the login form, and the two-factor form when the role asks for it. A page already sent to the login
    form stays there, so the login returns to where it was asked for."""
    from playwright.sync_api import expect

    if "/account/inloggen/" not in page.url:
        page.goto("/account/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    if device is not None:
        expect(page.get_by_role("heading", name="Tweestapsverificatie", level=1)).to_be_visible()
        page.get_by_label("Code uit uw authenticator-app").fill(current_token(device))
        page.get_by_role("button", name="Bevestigen").click()
    expect(page.get_by_role("button", name="Uitloggen")).to_be_visible()


def log_out(page) -> None:
    from playwright.sync_api import expect

    page.get_by_role("button", name="Uitloggen").click()
    expect(page.get_by_role("button", name="Uitloggen")).to_have_count(0)


def confirmed(page, text: str) -> None:
    """Waits for the confirmation a saved form leads to. A click returns before the server has answered; the test
    reads the database only after this."""
    from playwright.sync_api import expect

    expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()


def menu(page, name: str):
    """A link of the main menu (pages repeat some of its names in their own links)."""
    return page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name=name, exact=True)


def axe_violations(page, *, impacts=("serious", "critical")) -> list[dict]:
    """axe-core's violations of the given impacts on the page as it is now.

    The script is evaluated through the DevTools protocol rather than added as a <script> element, so a strict
    Content-Security-Policy (no inline scripts) does not block the check; the page's own policy stays in force."""
    if not AXE_SOURCE.exists():
        pytest.fail(f"axe-core ontbreekt ({AXE_SOURCE}); `make test` installeert het met npm ci.", pytrace=False)
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE.read_text(encoding="utf-8"))
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary}))}));
    }""")
    return [v for v in result if v["impact"] in impacts]


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"][:10]:
            lines.append(f"    {node['target']}: {node['summary']}".replace("\n", " "))
    return "\n".join(lines)
