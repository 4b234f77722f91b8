"""Real-browser fixtures: Playwright driving Debian's Chromium, and axe-core for WCAG checks."""
import os
import re

import pytest

from tests.conftest import skip_or_fail

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE_JS = os.path.join(os.path.dirname(__file__), "..", "..", "node_modules", "axe-core", "axe.min.js")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        skip_or_fail(f"Browser tests need Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser, live_server):
    # bypass_csp lets the test inject axe-core; the app itself is still served with its CSP.
    context = browser.new_context(base_url=live_server, viewport={"width": 390, "height": 844}, bypass_csp=True)
    pg = context.new_page()
    pg.set_default_timeout(10000)
    yield pg
    context.close()


def assert_accessible(page, label=""):
    """Run axe-core on the current page; fail listing every WCAG 2.2 A/AA violation."""
    page.add_script_tag(path=os.path.abspath(AXE_JS))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
    problems = [f"{v['id']} ({v['impact']}): {v['help']} -> "
                + "; ".join(n["target"][0] for n in nodes[:5])
                for v in result["violations"] if (nodes := [n for n in v["nodes"] if not _known_govuk(v, n)])]
    assert not problems, f"axe found WCAG problems on {label or page.url}:\n" + "\n".join(problems)


def _known_govuk(violation, node) -> bool:
    """GOV.UK Frontend's conditional reveal sets aria-expanded on the radio on purpose: screen
    readers announce it, though ARIA doesn't list it for radios, so axe flags it
    (alphagov/govuk-frontend#979, kept after research). Only that one attribute is let through."""
    return (violation["id"] == "aria-allowed-attr" and "govuk-radios__input" in node["html"]
            and re.findall(r"aria-[a-z]+", node.get("failureSummary", "").split("\n", 1)[-1]) == ["aria-expanded"])


def sign_in(page, user, password=None):
    """Sign a staff member in through the real form and wait for the staff home page."""
    from tests.conftest import PASSWORD

    page.goto("/sign-in")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(password or PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    if user.totp_secret:  # the code their authenticator app would show now
        import pyotp

        page.get_by_label("Enter your security code").fill(pyotp.TOTP(user.totp_secret).now())
        page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Staff home").wait_for()


@pytest.fixture()
def live_notify(notify, app, monkeypatch):
    """The live server can send texts through the GOV.UK Notify stub (tests/notify_stub.py): the
    live app is built from Settings, so set them before `page` starts it (list this fixture first)."""
    from tests.conftest import Settings

    for key in ("NOTIFY_API_KEY", "NOTIFY_BASE_URL", "NOTIFY_TEMPLATES"):
        monkeypatch.setattr(Settings, key, app.config[key], raising=False)
    return notify
