"""Helpers of the browser tests on accessibility and the tablet: axe-core, tablet contexts."""

from pathlib import Path

from django.conf import settings

AXE_PATH = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
TABLET = {"width": 820, "height": 1180}
DESKTOP = {"width": 1366, "height": 900}
DEMO_PASSWORDS = {"city": "city-demo-pass", "contractor": "contractor-demo-pass",
                  "admin": "admin-demo-pass"}
# WCAG 2.0/2.1 A and AA rules plus axe's best practices; failing impacts.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
FAILING_IMPACTS = {"serious", "critical"}


def axe_source() -> str:
    if not AXE_PATH.is_file():
        raise AssertionError(
            f"{AXE_PATH} is missing: run `make setup` (npm ci installs axe-core from "
            "package.json)."
        )
    return AXE_PATH.read_text(encoding="utf-8")


def new_page(browser, live_server, viewport=TABLET):
    # bypass_csp: axe is injected as a script into pages that allow no inline script.
    context = browser.new_context(
        base_url=live_server.url, viewport=viewport, locale="ja-JP", bypass_csp=True,
        accept_downloads=True,
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def sign_in(page, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("ユーザー名").fill(username)
    page.get_by_label("パスワード").fill(password)
    page.get_by_role("button", name="ログイン").click()
    page.wait_for_load_state()


def serious_violations(page) -> list[str]:
    """axe's serious and critical violations on the current page, one line per rule."""
    page.add_script_tag(content=axe_source())
    violations = page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                               resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
        }""",
        AXE_TAGS,
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {v['nodes']}"
        for v in violations
        if v["impact"] in FAILING_IMPACTS
    ]
