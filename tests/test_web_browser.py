"""The web atlas in a real browser (issue 12 §3): Playwright driving the system Chromium.

Playwright's own browser download is not available here, so the tests launch Debian's
``/usr/bin/chromium`` (``CHAINATLAS_CHROMIUM`` overrides; ``.ci/run`` installs it when missing)
with the flags this machine needs. Screenshots of every page type go to
``$CHAINATLAS_SCREENS/chainatlas-screens`` (default: the system temp folder); the path is printed.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import openpyxl
import pytest

from _webserver import LiveServer, live_server, screens_dir
from chainatlas.report.export import BOM

pytestmark = pytest.mark.xdist_group("web")

CHROMIUM = os.environ.get("CHAINATLAS_CHROMIUM", "/usr/bin/chromium")
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: page type -> (path, a selector its main content must show)
PAGES = {
    "home": ("/", ".cards .card"),
    "atlas": ("/atlas?spec=china-io:2020-42", "div.plot[data-rendered]"),
    "mrio": ("/mrio?spec=wiod-2013:2011", "div.plot[data-rendered]"),
    "complexity": ("/complexity", "div.plot[data-rendered]"),
    "ecosystems": ("/ecosystems?view=china", "figure.table-block tbody tr"),  # (tables only)
    "sme": ("/sme?by=region", "div.plot[data-rendered]"),
    "province": ("/province?province=四川&year=2017", "div.plot[data-rendered]"),
    "chain": ("/chain?chain=integrated-circuits&province=四川", "div.plot[data-rendered]"),
}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """pytest-playwright's launch options, pointed at the system Chromium."""
    assert Path(CHROMIUM).is_file(), (
        f"no Chromium at {CHROMIUM}: install it (`apt-get install -y chromium`; .ci/run does) "
        "or set CHAINATLAS_CHROMIUM"
    )
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": FLAGS}


@pytest.fixture(scope="module")
def srv(mirror) -> LiveServer:
    return live_server()


@pytest.fixture()
def console_errors(page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


def _open(page, srv: LiveServer, path: str, selector: str) -> None:
    page.goto(srv.url + path)
    # a first computation shows the progress page, which reloads itself when the page is ready
    page.wait_for_selector(selector, timeout=240_000)


@pytest.mark.parametrize("kind", list(PAGES))
def test_page_loads_without_console_errors_and_draws_its_figure(
    page, srv: LiveServer, console_errors: list[str], kind: str
) -> None:
    path, selector = PAGES[kind]
    page.set_viewport_size({"width": 1280, "height": 900})
    _open(page, srv, path, selector)
    if selector.startswith("div.plot"):
        n = page.evaluate(
            "() => { const d = document.querySelector('div.plot[data-rendered]');"
            " return d && d.data ? d.data.length : 0; }"
        )
        assert n > 0, "the main figure has no data"
        assert page.locator(".plot .main-svg").first.is_visible()
    shot = screens_dir() / f"{kind}.png"
    page.screenshot(path=str(shot), full_page=kind in ("home", "sme"))
    print(f"screenshot: {shot}")
    assert not console_errors, console_errors


def test_province_selector_changes_the_chain_map(
    page, srv: LiveServer, console_errors: list[str]
) -> None:
    _open(page, srv, "/chain?chain=integrated-circuits&province=四川", "div.plot[data-rendered]")
    read = (
        "() => JSON.stringify(document.querySelector('#chain-maps div.plot[data-rendered]')"
        ".data.map(t => [t.text, t.x, t.y, t.marker && t.marker.color]))"
    )
    before, title = page.evaluate(read), page.locator("h1").inner_text()
    with page.expect_navigation():
        page.select_option("#param-province", "广东")
    page.wait_for_selector("#chain-maps div.plot[data-rendered]", timeout=240_000)
    assert "province=" in page.url and "%E5%B9%BF%E4%B8%9C" in page.url
    assert page.locator("h1").inner_text() != title
    assert page.evaluate(read) != before, "the chain map did not change with the province"
    page.screenshot(path=str(screens_dir() / "chain-guangdong.png"))
    assert not console_errors, console_errors


def test_scenario_form_returns_the_cost_table(page, srv: LiveServer) -> None:
    page.goto(srv.url + "/")
    page.click(".card[data-page=scenario]")
    page.wait_for_selector("#params-form", timeout=240_000)
    page.fill("#param-coalition", "USA, NLD, JPN")
    page.fill("#param-cut_pct", "100")
    page.select_option("#param-substitution", "none")
    with page.expect_navigation():
        page.click("#params-form button[type=submit]")
    page.wait_for_selector("figure.table-block tbody tr", timeout=240_000)
    table = page.locator("figure.table-block").first
    assert "GDP loss CHN" in table.inner_text() and table.locator("tbody tr").count() >= 2
    page.screenshot(path=str(screens_dir() / "scenario.png"), full_page=True)
    # the form validates like the YAML scenario (the same pydantic model)
    page.fill("#param-cut_pct", "150")
    with page.expect_navigation():
        page.click("#params-form button[type=submit]")
    assert "less than or equal to 100" in page.locator("pre.message").inner_text()


def test_language_switch(page, srv: LiveServer) -> None:
    _open(page, srv, "/", ".cards .card")
    h1 = page.locator("main h1")
    assert h1.locator(".zh").is_visible() and h1.locator(".en").is_visible()
    page.click(".lang-switch[data-lang=en]")
    assert h1.locator(".en").is_visible() and not h1.locator(".zh").is_visible()
    assert "lang=en" in page.url
    page.click(".lang-switch[data-lang=zh]")
    assert h1.locator(".zh").is_visible() and not h1.locator(".en").is_visible()
    # the choice carries over to the next page
    page.click(".card[data-page=sme]")
    page.wait_for_selector("div.plot[data-rendered]", timeout=120_000)
    assert "lang=zh" in page.url
    assert not page.locator("main h1 .en").is_visible()
    page.screenshot(path=str(screens_dir() / "sme-zh.png"))


def test_download_buttons_give_bom_csv_and_xlsx_with_the_api_numbers(
    page, srv: LiveServer, tmp_path: Path
) -> None:
    _open(page, srv, "/atlas?spec=china-io:2020-42", "div.plot[data-rendered]")
    fig = page.locator("figure.table-block").filter(has_text="multipliers").first
    n = int(fig.get_attribute("data-table"))
    with page.expect_download() as dl:
        fig.locator("a.dl-csv").click()
    csv = Path(dl.value.path()).read_bytes()
    assert csv[:3] == BOM
    with page.expect_download() as dl:
        fig.locator("a.dl-xlsx").click()
    wb = openpyxl.load_workbook(io.BytesIO(Path(dl.value.path()).read_bytes()))
    rows = [[c.value for c in r] for r in wb[wb.sheetnames[1]].iter_rows()][1:]
    api = srv.get("/api/atlas", params={"spec": "china-io:2020-42"}).json()
    tables = [b for s in api["sections"] for b in s["blocks"] if b["kind"] == "table"]
    assert rows == tables[n]["rows"]


def test_narrow_screen_reflows_and_print_shows_tables_in_full(page, srv: LiveServer) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    _open(page, srv, "/atlas?spec=china-io:2020-42", "div.plot[data-rendered]")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 400, f"page is {width}px wide on a 390px screen"
    page.screenshot(path=str(screens_dir() / "atlas-mobile.png"))
    page.emulate_media(media="print")
    style = page.evaluate(
        "() => { const s = getComputedStyle(document.querySelector('.scroll'));"
        " return [s.maxHeight, s.overflowY, getComputedStyle(document.querySelector("
        "'header.top')).display]; }"
    )
    assert style == ["none", "visible", "none"], style
    print(f"screenshots: {screens_dir()}")
