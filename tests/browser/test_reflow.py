"""Every page fits a 320 CSS px wide screen without sideways scrolling (WCAG 2.2 SC 1.4.10 Reflow).

320 CSS px is what a 1280 px window shows at 400 % zoom, so this is the zoom check too. The demo
borough is loaded once for the module (its long names, wide tables and charts are the realistic
case), then each audience's pages are crawled from their home page, following every link, plus
the pages only reached from an email link or a form. Each page must not be wider than the screen
and no element may stick out of it; the failure names each page and the elements at fault. Data
tables stack into one card per row on narrow screens, so axe runs on each page too: the cells must
still be a table's cells to assistive technology.
"""
import re
from urllib.parse import urljoin, urlparse

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.demo.cli import DEMO_PASSWORD
from app.extensions import db as _db
from tests.browser.conftest import assert_accessible, sign_in

WIDTH = 320

# Where the page is wider than the screen: each outermost element (or run of text) that sticks
# out of it, inside a scrolling box or not. Visually hidden text (clipped on purpose) is skipped.
MEASURE = """() => {
  const vw = document.documentElement.clientWidth;
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + [...el.classList].slice(0, 2).map((c) => '.' + c).join('');
  const out = (r) => r.width > 0 && (r.right > vw + 1 || r.left < -1);
  const boxOut = (el) => out(el.getBoundingClientRect());
  const clipped = (el) => {
    for (; el && el !== document.body; el = el.parentElement) {
      const s = getComputedStyle(el);
      if ((s.overflowX === 'hidden' || s.overflowX === 'clip') && !boxOut(el)) return true;
    }
    return false;
  };
  const culprits = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (!out(r) || getComputedStyle(el).visibility === 'hidden' || clipped(el.parentElement)) continue;
    if (el.parentElement !== document.body && boxOut(el.parentElement)) continue;
    culprits.push(`${name(el)} is ${Math.round(r.width)}px wide, from ${Math.round(r.left)} to ` +
                  `${Math.round(r.right)}: "${(el.innerText || '').trim().replace(/\\s+/g, ' ').slice(0, 50)}"`);
  }
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.textContent.trim()) continue;
    range.selectNodeContents(n);
    const r = range.getBoundingClientRect();
    if (!out(r) || boxOut(n.parentElement) || clipped(n.parentElement)) continue;
    culprits.push(`text in ${name(n.parentElement)} runs to ${Math.round(r.right)}px: ` +
                  `"${n.textContent.trim().slice(0, 50)}"`);
  }
  return {scrollWidth: document.documentElement.scrollWidth, culprits};
}"""

# Not pages, or not safe to follow while crawling.
SKIP = re.compile(r"csv|geojson|\.ics$|\.json$|/sign-out|/static/|/api/|/metrics|/healthz|/readyz")


@pytest.fixture(scope="module")
def demo_site(app):
    """The demo borough, loaded once by `flask demo` itself, and served with CSRF on."""
    from tests.conftest import LiveSettings, _truncate_all, serve

    _truncate_all(app)
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    try:
        with app.app_context(), serve(LiveSettings) as url:
            yield url
    finally:
        _truncate_all(app)


@pytest.fixture()
def narrow(browser, demo_site):
    context = browser.new_context(base_url=demo_site, viewport={"width": WIDTH, "height": 640}, bypass_csp=True)
    pg = context.new_page()
    pg.set_default_timeout(15000)
    yield pg
    context.close()


def _check(page, url, problems, linked):
    response = page.goto(url)
    if linked and response.status == 403:  # a link this role may see but not follow
        return False
    assert response.ok, f"{url} answered {response.status}"
    found = page.evaluate(MEASURE)
    if found["scrollWidth"] > WIDTH or found["culprits"]:
        problems.append(f"{urlparse(page.url).path} is {found['scrollWidth']}px wide:\n    "
                        + "\n    ".join(found["culprits"][:8]))
    # Stacked tables must still be tables to a screen reader: axe once per kind of page with a table
    # (another role's view of it differs little, and axe is the slow part).
    pattern = re.sub(r"\d+", "N", urlparse(url).path)
    if pattern not in _axe_checked and page.locator("table").count():
        assert_accessible(page, f"{url} at {WIDTH}px")
        _axe_checked.add(pattern)
    return True


_axe_checked = set()


def _crawl(page, base, start, extra, per_pattern=1):
    """Visit start, every page linked from what it visits, then extra; at most per_pattern pages
    whose paths differ only in their numbers (one consultation's results stands for another's)."""
    problems, visited, seen = [], set(), {}
    queue = list(start)
    while queue or extra:
        linked = bool(queue)
        url = urljoin(base, queue.pop(0) if queue else extra.pop(0)).split("#")[0]
        pattern = re.sub(r"\d+", "N", urlparse(url).path)
        if url in visited or seen.get(pattern, 0) >= per_pattern:
            continue
        seen[pattern] = seen.get(pattern, 0) + 1
        visited.add(url)
        if not _check(page, url, problems, linked):
            continue
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            href = href.split("#")[0]
            if href.startswith(base) and not SKIP.search(href) and href not in visited:
                queue.append(href)
    return problems, {urlparse(u).path for u in visited}


def _ids(db_session):
    from app.actions.models import Action, ActionPlan
    from app.consultations.models import Consultation, Response
    from app.panel.models import PanelMember
    from app.surgeries import bookings
    from app.surgeries.models import Booking, Surgery
    from app.wards.models import Ward

    consultations = db_session.scalars(select(Consultation)).all()
    opened = next(c for c in consultations if c.status == "open")
    closed = next(c for c in consultations if c.status in ("closed", "published"))
    return {"open": opened.id, "closed": closed.id,
            "action": db_session.scalar(select(Action.id).order_by(Action.id)),
            "plan": db_session.scalar(select(ActionPlan.id).order_by(ActionPlan.id)),
            "response": db_session.scalar(select(Response).where(Response.consultation_id == closed.id)),
            "member": db_session.scalar(select(PanelMember).order_by(PanelMember.id)),
            "booking": db_session.scalar(select(Booking).order_by(Booking.id)),
            "surgery": next(i for i in db_session.scalars(select(Surgery.id).order_by(Surgery.starts_at))
                            if bookings.bookable_surgery(i)),  # one a resident can book
            "ward": db_session.scalar(select(Ward.slug).order_by(Ward.id))}


def test_public_pages_fit_a_320px_screen(narrow, demo_site):
    from app.consultations.my_response import link_token
    from app.panel.membership import MANAGE_PURPOSE, member_token
    from app.conversations.models import ConversationHost
    from app.conversations.services import host_token
    from app.surgeries.notify import manage_token

    ids = _ids(_db.session)
    pages = ["/", "/consultations", f"/consultations/{ids['open']}", f"/consultations/{ids['open']}/respond",
             f"/consultations/{ids['closed']}/results", "/you-said-we-did", f"/you-said-we-did/{ids['closed']}",
             "/progress", f"/actions/{ids['action']}", "/panel/join", "/panel/manage", "/surgeries",
             f"/surgeries/ward/{ids['ward']}", f"/surgeries/{ids['surgery']}", "/my-response",
             "/sign-in", "/create-account", "/reset-password", "/accessibility", "/privacy"]
    # Reached only from an email.
    emailed = [f"/my-response/{link_token(ids['response'])}",
               f"/surgeries/booking/{manage_token(ids['booking'])}",
               f"/panel/manage/{member_token(MANAGE_PURPOSE, ids['member'])}",
               f"/conversations/host/{host_token(_db.session.scalar(select(ConversationHost).limit(1)))}"]
    problems, visited = _crawl(narrow, demo_site, pages[:1], pages[1:] + emailed)
    assert not problems, f"{len(problems)} pages are wider than {WIDTH}px:\n" + "\n".join(problems)
    assert {"/progress", "/you-said-we-did", "/consultations"} <= visited


@pytest.mark.parametrize("email", ["priya.raman@northbrook.example", "tom.hadley@northbrook.example",
                                   "cllr.fatima.begum@northbrook.example"], ids=["admin", "officer", "councillor"])
def test_staff_pages_fit_a_320px_screen(narrow, demo_site, email):
    from app.accounts.models import User
    from app.panel.models import Draw
    from app.surgeries.models import Surgery

    ids = _ids(_db.session)
    user = _db.session.scalar(select(User).where(User.email == email))
    sign_in(narrow, user, password=DEMO_PASSWORD)
    surgeries = select(Surgery.id).order_by(Surgery.id)
    if user.role == "councillor":
        surgeries = surgeries.where(Surgery.host_id == user.id)
    extra = [f"/staff/surgeries/{_db.session.scalar(surgeries)}"]  # reached from a list of dates
    if user.role == "admin":
        extra.append("/staff/admin/audit")
    draw = _db.session.scalar(select(Draw.id).order_by(Draw.id))
    if draw and user.role != "councillor":
        extra.append(f"/staff/panel/draws/{draw}")
    # The closed consultation first: its results, report and "You said, we did" are the fullest.
    start = ["/staff/", f"/staff/consultations/{ids['closed']}/results", f"/staff/consultations/{ids['closed']}/report"]
    problems, visited = _crawl(narrow, demo_site, start, extra)
    assert not problems, f"{len(problems)} pages are wider than {WIDTH}px for {user.role}:\n" + "\n".join(problems)
    key_pages = {"/progress", "/staff/consultations", f"/staff/consultations/{ids['closed']}/results",
                 f"/staff/consultations/{ids['closed']}/report", "/staff/themes", "/staff/surgeries/coverage"}
    if user.role != "councillor":
        key_pages |= {"/staff/actions", f"/staff/actions/plans/{ids['plan']}", "/staff/panel"}
    if user.role == "admin":
        key_pages |= {"/staff/admin/users", "/staff/admin/wards/", "/staff/admin/venues", "/staff/admin/audit"}
    assert key_pages <= visited, f"the crawl missed {key_pages - visited}"


def test_a_stacked_table_is_still_a_table_and_wide_screens_keep_the_grid(narrow):
    narrow.goto("/progress")
    summary = narrow.get_by_role("table", name="Actions by status and priority")
    first = summary.locator("tbody td").first
    # At 320px: a card per row, each value labelled by its column header...
    assert first.evaluate("td => getComputedStyle(td).display") == "block"
    assert "Not started" in first.evaluate("td => getComputedStyle(td, '::before').content")
    assert summary.locator("thead").evaluate("el => el.getBoundingClientRect().width") <= 1
    # ...and to a screen reader still the same table: headers, row headers, and cells whose name
    # is their value alone (the visible label is not read out twice).
    assert summary.get_by_role("columnheader", name="Not started").count() == 1
    assert summary.get_by_role("rowheader", name="All priorities").count() == 1
    expect(first).to_have_accessible_name(first.inner_text().strip())
    assert summary.get_by_role("cell").count() == summary.locator("tbody td").count()
    assert_accessible(narrow, "progress at 320px")

    narrow.set_viewport_size({"width": 1280, "height": 800})
    assert first.evaluate("td => getComputedStyle(td).display") == "table-cell"
    assert first.evaluate("td => getComputedStyle(td, '::before').content") == "none"
    assert summary.locator("thead").is_visible()


# WCAG 2.2 SC 1.4.12: text spacing a reader may set must not make text overlap, clip or the page
# scroll sideways. The override is the one the success criterion names.
TEXT_SPACING = ("* { line-height: 1.5 !important; letter-spacing: .12em !important;"
                " word-spacing: .16em !important; } p { margin-bottom: 2em !important; }")
CLIPPED = """() => [...document.querySelectorAll('body *')].filter((el) => {
  const s = getComputedStyle(el);
  if (!/hidden|clip/.test(s.overflowX + s.overflowY) || el.clientWidth <= 1 || el.clientHeight <= 1) return false;
  if (['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName)) return false;  // their text scrolls
  return el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1;
}).map((el) => el.tagName.toLowerCase() + '.' + el.className)"""


def test_text_spacing_does_not_clip_or_widen_the_key_pages(narrow):
    ids = _ids(_db.session)
    for url in ["/progress", f"/actions/{ids['action']}", f"/you-said-we-did/{ids['closed']}",
                f"/consultations/{ids['closed']}/results", f"/consultations/{ids['open']}/respond"]:
        narrow.goto(url)
        narrow.add_style_tag(content=TEXT_SPACING)
        found = narrow.evaluate(MEASURE)
        assert found["scrollWidth"] <= WIDTH and not found["culprits"], (url, found)
        assert narrow.evaluate(CLIPPED) == [], url
