"""Every persona of the demo on a phone: 390 x 844 (a current phone) and 360 x 740 (the narrowest we serve).

On each main page the document never scrolls sideways (document.scrollingElement.scrollWidth <= innerWidth: wide
tables scroll inside their own box), and from the first page the "Menu" disclosure opens onto the page's links, the
organisation menu and Sign out, all inside the screen. The editor, who edits two organisations, switches between
them through that menu and opens the study one of them is invited into from its Studies page: the page keeps acting
for that organisation. Full-page screenshots of every page go to test-output/<test>/.

The last two tests measure the checkboxes whose neighbours used to cover them (the AHP criteria codes, the route's
Backhaul help text) at phone and desktop widths: the boxes must not intersect.
"""

import pytest

from assessment import demo as decisions_demo
from assessment import services as assessment_services
from assessment.models import AssessmentRun, CriteriaSet, PartnerRanking
from partners import demo as partners_demo
from partners.models import Facility, Organization
from scenarios import demo
from scenarios import services as scenario_services
from scenarios.models import Scenario
from tests.assessment.conftest import library  # noqa: F401  (the fixture)
from tests.e2e.conftest import sign_in
from tests.e2e.test_assessment_journey import NAMES, demo_study  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONES = [
    pytest.param({"width": 390, "height": 844}, id="390x844"),
    pytest.param({"width": 360, "height": 740}, id="360x740"),
]
PASSWORD = partners_demo.DEFAULT_PASSWORD
WIDTHS = "() => [document.scrollingElement.scrollWidth, window.innerWidth]"
# Elements wider than the screen that are not inside a box that scrolls or clips them: the culprits, if any.
CULPRITS = """() => {
    const out = [];
    for (const el of document.querySelectorAll("body *")) {
        const box = el.getBoundingClientRect();
        if (box.width === 0 || box.right <= innerWidth + 1) continue;
        let p = el.parentElement, boxed = false;
        while (p && !boxed) {
            boxed = ["auto", "scroll", "hidden"].includes(getComputedStyle(p).overflowX);
            p = p.parentElement;
        }
        if (!boxed) out.push(`${el.tagName.toLowerCase()}#${el.id}.${el.className} right=${Math.round(box.right)}`);
    }
    return out.slice(0, 8);
}"""


@pytest.fixture
def demo_world(demo_study):  # noqa: F811
    """The demo with its decision aid (criteria set, ranking of collectors), both scenarios assessed (for the compare
    page's radar charts) and a draft new version of the approved one (for the route form)."""
    decisions_demo.load_decisions(demo_study)
    admin = Organization.objects.get(pk=demo_study.end_collector_id).memberships.get(role="admin").user
    for name in NAMES:
        run = assessment_services.assessment_request(
            user=admin, scenario=Scenario.objects.get(study=demo_study, name=name)
        )
        run.refresh_from_db()
        if run.status != AssessmentRun.Status.DONE:
            assessment_services.assessment_execute(run_id=run.pk)
            run.refresh_from_db()
        assert run.status == AssessmentRun.Status.DONE, run.error
    approved = Scenario.objects.get(study=demo_study, status="approved")
    draft = scenario_services.scenario_new_version(user=admin, scenario=approved)
    return {"study": demo_study, "draft": draft, "route": draft.routes.order_by("pk").first()}


def _pages(world) -> dict[str, list[tuple[str, str]]]:
    study, draft = world["study"], world["draft"]
    ec = study.end_collector.slug
    submitted = Scenario.objects.get(study=study, status="submitted")
    criteria_set = CriteriaSet.objects.filter(study=study).first()
    ranking = PartnerRanking.objects.filter(study=study).first()
    duisburg = Organization.objects.get(slug="duisburger-shredderwerk")
    facility = Facility.objects.filter(organization=duisburg).first()
    charts = "&".join(f"scenarios={s.pk}" for s in Scenario.objects.filter(study=study, name__in=NAMES, version=1))
    return {
        "admin": [
            ("sheet", f"/o/{ec}/"),
            ("facilities", f"/o/{ec}/facilities/"),
            ("studies", f"/o/{ec}/studies/"),
            ("study", f"/studies/{study.pk}/"),
            ("scenario", f"/scenarios/{submitted.pk}/"),
            ("assessment", f"/scenarios/{submitted.pk}/assessment/"),
            ("compare", f"/studies/{study.pk}/compare/?{charts}"),
            ("factors", f"/studies/{study.pk}/factors/"),
            ("ahp", f"/studies/{study.pk}/ahp/"),
            ("ahp-set", f"/studies/{study.pk}/ahp/{criteria_set.pk}/"),
            ("partner-ranking", f"/studies/{study.pk}/partner-rankings/{ranking.pk}/"),
            ("rank-partners", f"/studies/{study.pk}/partners/rank/"),
            ("optimise", f"/studies/{study.pk}/optimise/"),
            ("draft", f"/scenarios/{draft.pk}/"),
            ("builder", f"/scenarios/{draft.pk}/build/"),
            ("route-form", f"/scenarios/{draft.pk}/routes/{world['route'].pk}/edit/"),
            ("timeline", f"/scenarios/{submitted.pk}/history/"),
            ("partners", f"/o/{ec}/partners/"),
            ("sharing", f"/o/{ec}/sharing/"),
            ("members", f"/o/{ec}/members/"),
            ("history", f"/o/{ec}/history/"),
            ("new-organisation", "/organizations/new/"),
        ],
        "editor": [
            ("home", "/"),
            ("sheet", "/o/duisburger-shredderwerk/"),
            ("sheet-form", "/o/duisburger-shredderwerk/sheet/edit/"),
            ("facilities", "/o/duisburger-shredderwerk/facilities/"),
            ("facility", f"/o/duisburger-shredderwerk/facilities/{facility.pk}/"),
            ("facility-form", f"/o/duisburger-shredderwerk/facilities/{facility.pk}/edit/"),
            ("studies", "/o/duisburger-shredderwerk/studies/"),
            ("sharing", "/o/duisburger-shredderwerk/sharing/"),
            ("members", "/o/duisburger-shredderwerk/members/"),
            ("history", "/o/duisburger-shredderwerk/history/"),
        ],
        "auditor": [
            ("sheet", f"/o/{ec}/"),
            ("studies", f"/o/{ec}/studies/"),
            ("study", f"/studies/{study.pk}/"),
            ("scenario", f"/scenarios/{submitted.pk}/"),
            ("assessment", f"/scenarios/{submitted.pk}/assessment/"),
            ("compare", f"/studies/{study.pk}/compare/?{charts}"),
            ("timeline", f"/scenarios/{submitted.pk}/history/"),
            ("partners", f"/o/{ec}/partners/"),
            ("history", f"/o/{ec}/history/"),
        ],
    }


def _fits(page, what: str) -> None:
    """No sideways scroll. A phone widens its layout viewport (innerWidth) to content wider than the screen, so
    innerWidth must also still be the screen's width."""
    scroll_width, inner_width = page.evaluate(WIDTHS)
    screen = page.viewport_size["width"]
    assert scroll_width <= inner_width == screen, (
        f"{what}: {scroll_width} px wide, innerWidth {inner_width}, on a {screen} px screen; {page.evaluate(CULPRITS)}"
    )


def _on_screen(page, selector: str) -> None:
    locator = page.locator(selector)
    assert locator.is_visible(), f"{selector} is not visible"
    box, width = locator.bounding_box(), page.evaluate("innerWidth")
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, f"{selector} lies outside the screen: {box}"


def _open_menu(page) -> None:
    assert not page.locator("#site-menu .site-menu-body").is_visible(), "the menu starts folded"
    page.click("#site-menu > summary")
    page.wait_for_selector("#site-menu .site-menu-body", state="visible")


def _visit(page, output_dir, who: str, name: str, path: str) -> None:
    response = page.goto(path)
    assert response.status == 200, f"{who} {name} {path}: {response.status}"
    page.wait_for_load_state("networkidle")
    _fits(page, f"{who} {name} {path}")
    page.screenshot(path=output_dir / f"{who}-{name}.png", full_page=True)


@pytest.mark.parametrize("viewport", PHONES)
def test_every_persona_uses_the_main_pages_on_a_phone(browser, live_server, output_dir, demo_world, viewport):
    pages = _pages(demo_world)
    for who in ("admin", "editor", "auditor"):
        context = browser.new_context(viewport=viewport, base_url=live_server.url, is_mobile=True, has_touch=True)
        context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(live_server.url) else r.abort())
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda exc, errors=errors: errors.append(str(exc)))  # this persona's list
        sign_in(page, who, PASSWORD)
        for name, path in pages[who]:
            _visit(page, output_dir, who, name, path)

        # The menu: links, the organisation menu and Sign out, inside the screen.
        page.goto(pages[who][0][1])
        _open_menu(page)
        _on_screen(page, "#org-switcher > summary")
        _on_screen(page, f"text=Sign out {who}")
        page.click("#org-switcher > summary")
        page.wait_for_selector("#org-switcher ul", state="visible")
        _fits(page, f"{who} with the menu open")
        page.screenshot(path=output_dir / f"{who}-menu-open.png")
        new_organisation = page.locator("#org-switcher >> text=New organisation")
        assert new_organisation.count() == (0 if who == "auditor" else 1)

        if who == "editor":
            # Switch to the collector through the menu, then open the study it is invited into from its Studies page.
            _on_screen(page, "#org-switcher >> text=Ruhr Autoverwertung GmbH")
            page.click("#org-switcher >> text=Ruhr Autoverwertung GmbH")
            page.wait_for_url("**/o/ruhr-autoverwertung/")
            _open_menu(page)
            page.click("#site-menu >> text=Studies")
            page.wait_for_url("**/o/ruhr-autoverwertung/studies/")
            page.click(f"#invited-table >> text={demo_world['study'].name}")
            page.wait_for_load_state("networkidle")
            assert "Ruhr Autoverwertung GmbH · you are editor" in page.inner_text(".role-line")
            _fits(page, "editor invited study")
            page.screenshot(path=output_dir / "editor-invited-study.png")
            _open_menu(page)

        page.click(f"text=Sign out {who}")
        page.wait_for_url("**/accounts/login/")
        assert errors == [], errors
        context.close()


def test_on_a_wide_screen_the_links_show_without_the_menu_button(page, output_dir, demo_world):
    sign_in(page, demo.ADMIN_PERSONA, PASSWORD)
    page.goto(f"/o/{demo_world['study'].end_collector.slug}/")
    assert not page.locator("#site-menu > summary").is_visible()
    for selector in (
        "#site-menu >> text=Studies",
        "#site-menu >> text=History",
        "#org-switcher > summary",
        "text=Sign out admin",
    ):
        assert page.locator(selector).is_visible(), selector
    nav = page.locator(".site-header nav").bounding_box()
    assert nav["height"] < 80, f"the links fit on one row at 1280 px: {nav}"
    page.screenshot(path=output_dir / "admin-sheet-1280.png")


OVERLAPS = """([boxes, texts]) => {
    const pairs = [];
    const bs = document.querySelectorAll(boxes), ts = document.querySelectorAll(texts);
    for (let i = 0; i < bs.length; i++) {
        const a = bs[i].getBoundingClientRect(), b = ts[i].getBoundingClientRect();
        const apart = a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top;
        if (!apart) pairs.push(`${bs[i].id || bs[i].value} covers "${ts[i].textContent.trim()}"`);
    }
    return [bs.length, ts.length, pairs];
}"""


SIZES = [
    pytest.param({"width": 360, "height": 740}, id="360"),
    pytest.param({"width": 1280, "height": 1000}, id="1280"),
]


def _admin_page(browser, live_server, viewport):
    context = browser.new_context(viewport=viewport, base_url=live_server.url)
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(live_server.url) else r.abort())
    page = context.new_page()
    sign_in(page, demo.ADMIN_PERSONA, PASSWORD)
    return context, page


@pytest.mark.parametrize("viewport", SIZES)
def test_criteria_codes_do_not_cover_their_checkboxes(browser, live_server, output_dir, demo_world, viewport):
    """ "New criteria set": each of the eight indicators' checkboxes and the code under its label, boxes apart."""
    context, page = _admin_page(browser, live_server, viewport)
    page.goto(f"/studies/{demo_world['study'].pk}/ahp/")
    page.wait_for_load_state("load")
    boxes = "#set-form fieldset[data-kind=scenario] input[type=checkbox]"
    checked, codes, covered = page.evaluate(OVERLAPS, [boxes, "#set-form fieldset[data-kind=scenario] label small"])
    page.locator("#set-form").screenshot(path=output_dir / f"criteria-set-form-{viewport['width']}.png")
    assert checked == codes == 8 and covered == [], covered
    context.close()


@pytest.mark.parametrize("viewport", SIZES)
def test_the_backhaul_checkbox_does_not_cover_its_help_text(browser, live_server, output_dir, demo_world, viewport):
    context, page = _admin_page(browser, live_server, viewport)
    draft, route = demo_world["draft"], demo_world["route"]
    page.goto(f"/scenarios/{draft.pk}/routes/{route.pk}/edit/")
    checked, helps, covered = page.evaluate(OVERLAPS, ["#id_is_backhaul", "#field-is_backhaul small"])
    page.locator("#route-edit-form").screenshot(path=output_dir / f"route-form-{viewport['width']}.png")
    assert checked == helps == 1 and covered == [], covered
    context.close()


LONG_NAME = "Kreislaufwirtschaftsverpackungsentsorgungsgesellschaft-Niederrhein-mbH"  # 70 characters, no space


@pytest.mark.parametrize("viewport", PHONES)
def test_a_long_name_without_spaces_wraps_instead_of_widening_the_page(
    browser, live_server, output_dir, world, viewport
):
    """Alu Collect renamed to a 70-character word: its admin's sheet, facilities and members pages, and the shared
    end collector's partners page, still fit the screen."""
    world.partner.name = LONG_NAME
    world.partner.save()
    world.facility.name = LONG_NAME.replace("gesellschaft", "hof")
    world.facility.save()
    for who, paths in (
        ("admin", ["/o/alu-collect/", "/o/alu-collect/facilities/", "/o/alu-collect/members/"]),
        ("shared_member", ["/o/forge-works/partners/"]),
    ):
        context = browser.new_context(viewport=viewport, base_url=live_server.url, is_mobile=True)
        context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(live_server.url) else r.abort())
        page = context.new_page()
        page.goto("/accounts/login/")
        sign_in(page, who, "correct-horse-battery-staple")
        for path in paths:
            _visit(page, output_dir, who, path.strip("/").replace("/", "-"), path)
        if who == "admin":
            _open_menu(page)
            page.click("#org-switcher > summary")
            _fits(page, "admin with the menu open")
            page.screenshot(path=output_dir / "admin-menu-open.png")
        context.close()
