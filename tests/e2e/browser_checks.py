"""What the hardening journeys do on every page: hover every map marker and chart point, open every popup, and say
whether anything a page shows ran as script or broke the Content-Security-Policy."""

# Records every CSP violation of the page (the console also says "Refused to ..." or "Applying inline style
# violates ..."; the event gives the directive and the offending markup).
# Also records every element the page ever parsed from planted markup, even one that lived a moment (a tooltip
# closes when the pointer leaves its marker): an <img src=x>, or a <script> (not a JSON data block) planting the flag.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", e => window.__cspViolations.push(
    `${e.violatedDirective} ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber} ${e.sample}`));
window.__plantedElements = [];
new MutationObserver(records => records.forEach(r => r.addedNodes.forEach(node => {
    if (node.nodeType !== 1) return;
    [node, ...node.querySelectorAll("img, script")].forEach(el => {
        if ((el.tagName === "IMG" && el.getAttribute("src") === "x") ||
            (el.tagName === "SCRIPT" && el.type !== "application/json" && el.textContent.includes("__xss"))) {
            window.__plantedElements.push(el.outerHTML);
        }
    });
}))).observe(document, {childList: true, subtree: true});
"""

MARKERS = "path.facility-marker, path.node-marker, path.candidate-marker, .leaflet-marker-icon"
ROUTES = "path.route-line"

# A click on the shape itself, at its centre: a pointer click there may land on a neighbour or an open popup (whose
# link it would follow) once a popup's opening has panned the map.
CLICK_CENTRE = """el => {
    const r = el.getBoundingClientRect();
    el.dispatchEvent(new MouseEvent("click", {bubbles: true, cancelable: true, view: window,
                                              clientX: r.x + r.width / 2, clientY: r.y + r.height / 2}));
}"""

CHART_POINTS = """id => {
    const canvas = document.getElementById(id);
    const chart = window.Chart.getChart(canvas);
    const box = canvas.getBoundingClientRect();
    return chart.data.datasets.flatMap((d, i) => chart.isDatasetVisible(i) ? chart.getDatasetMeta(i).data.map(e => {
        const p = e.getCenterPoint();
        return {x: box.left + p.x, y: box.top + p.y, cx: p.x, cy: p.y};
    }) : []);
}"""
# Chart.js handles pointer events on the next animation frame: wait until its tooltip shows a point drawn where the
# pointer is (another dataset's point may sit on the same spot).
TOOLTIP_AT = """([id, x, y]) => {
    const tip = window.Chart.getChart(document.getElementById(id)).tooltip;
    return !!tip && tip.getActiveElements().some(a => {
        const p = a.element.getCenterPoint();
        return Math.abs(p.x - x) < 1 && Math.abs(p.y - y) < 1;
    });
}"""
CHART_TOOLTIP = """id => {
    const tip = window.Chart.getChart(document.getElementById(id)).tooltip;
    return [tip.title || [], tip.body.map(b => [b.before, b.lines, b.after])].flat(4).join("\\n");
}"""


def hover_markers(page) -> list[str]:
    """Hovers every marker of the page's maps; the texts of the tooltips that opened."""
    texts = []
    markers = page.locator(MARKERS)
    for i in range(markers.count()):
        markers.nth(i).hover(force=True)
        tips = page.locator(".leaflet-tooltip")
        texts += tips.all_inner_texts()
    return texts


def open_popups(page) -> list[str]:
    """Clicks every marker and route line; the texts of the popups that opened."""
    texts = []
    for selector in (MARKERS, ROUTES):
        shapes = page.locator(selector)
        for i in range(shapes.count()):
            shapes.nth(i).evaluate(CLICK_CENTRE)
            texts += page.locator(".leaflet-popup-content").all_inner_texts()
    return texts


def hover_chart(page, canvas_id: str) -> list[str]:
    """Moves the pointer over every point (or bar) of a Chart.js chart; the texts of the tooltips it drew."""
    page.locator(f"#{canvas_id}").scroll_into_view_if_needed()
    texts = []
    for point in page.evaluate(CHART_POINTS, canvas_id):
        page.mouse.move(point["x"], point["y"])
        page.wait_for_function(TOOLTIP_AT, arg=[canvas_id, point["cx"], point["cy"]])
        texts.append(page.evaluate(CHART_TOOLTIP, canvas_id))
    return texts


def ran_as_script(page, dialogs: list) -> list[str]:
    """Everything that shows markup was parsed or run: window.__xss set, a dialog, an <img src=x> element, a
    <script> element (other than a JSON data block) whose text plants the flag."""
    found = []
    if page.evaluate("typeof window.__xss") != "undefined":
        found.append("window.__xss was set")
    if dialogs:
        found.append(f"dialogs opened: {dialogs}")
    images = page.evaluate("document.querySelectorAll('img[src=\"x\"]').length")
    if images:
        found.append(f"{images} <img src=x> element(s) in the page")
    scripts = page.evaluate(
        "[...document.scripts].filter(s => s.type !== 'application/json' && s.textContent.includes('__xss')).length"
    )
    if scripts:
        found.append(f"{scripts} planted <script> element(s) in the page")
    planted = page.evaluate("window.__plantedElements || []")
    if planted:
        found.append(f"markup parsed into elements at some point: {planted}")
    return found


def violations(page) -> list[str]:
    return page.evaluate("window.__cspViolations || []")
