"""The web atlas's JSON API (issue 12): same numbers as the CLI, downloads, caching, bad input.

All web tests run in one xdist group against one live server (``tests/_webserver.py``), so each
page is computed once per session.
"""

from __future__ import annotations

import io
import json

import openpyxl
import pytest
from typer.testing import CliRunner

import chainatlas.pipelines.atlas as atlas
from _webserver import ADMIN, N_FIRMS, K, LiveServer, live_server
from chainatlas.cli import app as cli
from chainatlas.report.export import BOM

pytestmark = pytest.mark.xdist_group("web")
runner = CliRunner()
SPEC = "china-io:2020-42"


@pytest.fixture(scope="module")
def srv(mirror) -> LiveServer:
    return live_server()


@pytest.fixture(scope="module")
def atlas_ctx(srv: LiveServer) -> dict:
    r = srv.get("/api/atlas", params={"spec": SPEC})
    assert r.status_code == 200, r.text
    return r.json()


def _cli_json(*args: str) -> dict:
    res = runner.invoke(cli, list(args))
    assert res.exit_code == 0, (res.output, res.exception)
    return json.loads(res.stdout)


def _sections(ctx: dict, prefix: str) -> dict[str, dict]:
    return {s["id"]: s for s in ctx["sections"] if s["id"].startswith(prefix)}


def _tables(ctx: dict) -> list[dict]:
    return [b for s in ctx["sections"] for b in s["blocks"] if b["kind"] == "table"]


def test_home_pages_docs_and_openapi(srv: LiveServer) -> None:
    r = srv.get("/")
    assert r.status_code == 200 and "产业图谱" in r.text and 'href="/atlas' in r.text
    pages = {p["slug"]: p for p in srv.get("/api/pages").json()}
    assert {"atlas", "mrio", "complexity", "ecosystems", "sme", "province", "chain",
            "scenario"} <= set(pages)  # fmt: skip
    assert SPEC in pages["atlas"]["params"][0]["choices"]
    assert srv.get("/docs").status_code == 200
    paths = srv.get("/openapi.json").json()["paths"]
    assert "/api/atlas" in paths and "/atlas" in paths
    assert [p["name"] for p in paths["/api/atlas"]["get"]["parameters"]] == ["spec", "lang"]


def test_plotly_is_served_from_the_package_never_a_cdn(srv: LiveServer, atlas_ctx) -> None:
    import plotly

    from chainatlas.web.app import _plotly_js

    js = srv.get("/static/plotly.min.js")
    assert js.status_code == 200 and js.content == _plotly_js().read_bytes()
    assert str(_plotly_js()).startswith(str(__import__("pathlib").Path(plotly.__file__).parent))
    html = srv.get("/atlas", params={"spec": SPEC}).text
    assert 'src="/static/plotly.min.js"' in html and "cdn" not in html.lower()
    assert "<script>" not in html  # no inline scripts: figures are JSON beside their div
    # lighter than the 5.8 MB static report: plotly.js is fetched once, as a static file
    assert len(html.encode()) < 2_000_000, len(html.encode())


def test_api_atlas_equals_the_cli_report(srv: LiveServer, atlas_ctx, monkeypatch) -> None:
    """The page's IO sections are the CLI report's, block for block (every number identical)."""
    monkeypatch.setattr(atlas, "SECTION_BUILDERS", ["chainatlas.pipelines.sections.io"])
    cli_ctx = _cli_json("report", SPEC, "--format", "json")
    web, ref = _sections(atlas_ctx, "io-"), _sections(cli_ctx, "io-")
    assert ref and set(ref) <= set(web)
    for sid, sec in ref.items():
        assert web[sid]["blocks"] == sec["blocks"], sid
    assert atlas_ctx["provenance"] == cli_ctx["provenance"]


def test_api_atlas_multipliers_equal_cli_payload(atlas_ctx) -> None:
    data = _cli_json("io", "multipliers", SPEC, "--format", "json")
    cli_rows = {r["sector"]: r for r in data["multipliers"]}
    table = next(
        b for b in _tables(atlas_ctx) if "output" in b["columns"] and "value_added" in b["columns"]
    )
    i, j = table["columns"].index("output"), table["columns"].index("value_added")
    assert len(table["rows"]) == len(cli_rows)
    for row in table["rows"]:
        ref = cli_rows[row[0]]
        assert row[i] == round(ref["output"], 4) and row[j] == round(ref["value_added"], 4)


def test_api_mrio_equals_the_cli_report(srv: LiveServer, monkeypatch) -> None:
    ctx = srv.get("/api/mrio", params={"spec": "wiod-2013:2011"}).json()
    assert not _sections(ctx, "ecosystems")  # that has its own page
    monkeypatch.setattr(atlas, "SECTION_BUILDERS", ["chainatlas.pipelines.sections.chains"])
    ref = _cli_json("report", "wiod-2013:2011", "--format", "json")["sections"]
    web = {s["id"]: s for s in ctx["sections"]}
    assert ref
    for sec in ref:
        assert web[sec["id"]]["blocks"] == sec["blocks"], sec["id"]


def test_api_complexity_provinces_equal_cli(srv: LiveServer) -> None:
    ctx = srv.get("/api/complexity").json()
    data = _cli_json("complexity", "provinces", "--format", "json")
    eci = {
        r["region"] if "region" in r else next(iter(r.values())): r["eci"] for r in data["ranking"]
    }
    table = next(b for b in _tables(ctx) if b["caption"]["en"].startswith("Provincial ECI"))
    j = next(i for i, c in enumerate(table["columns"]) if c == "ECI" or c.startswith("ECI"))
    got = sorted(r[j] for r in table["rows"])
    assert got == sorted(round(v, 3) for v in eci.values())  # the table shows 3 decimals


def test_api_ecosystems_equals_the_cli_report(srv: LiveServer, monkeypatch) -> None:
    ctx = srv.get("/api/ecosystems", params={"view": "china"}).json()
    monkeypatch.setattr(atlas, "SECTION_BUILDERS", ["chainatlas.pipelines.sections.ecosystems"])
    ref = _cli_json("report", SPEC, "--format", "json")["sections"]
    assert [s["id"] for s in ctx["sections"]] == [s["id"] for s in ref]
    for a, b in zip(ctx["sections"], ref, strict=True):
        assert a["blocks"] == b["blocks"], a["id"]


def _numbers(ctx: dict) -> list[float]:
    return [v for b in _tables(ctx) for r in b["rows"] for v in r
            if isinstance(v, float | int) and not isinstance(v, bool)]  # fmt: skip


def test_api_chain_equals_cli_chains_gaps(srv: LiveServer) -> None:
    ctx = srv.get("/api/chain", params={"chain": "integrated-circuits", "province": "四川"}).json()
    data = _cli_json("chains", "gaps", "china-provincial-io:2017-四川", "--chain",
                     "integrated-circuits", "--format", "json")  # fmt: skip
    nums = _numbers(ctx)
    wanted = [data["completeness"][0]["完整度 completeness"]] + [r["LQ"] for r in data["links"]]
    for w in wanted:  # every number of the CLI's answer is on the page (as displayed, rounded)
        assert any(abs(v - w) <= 5e-4 * max(1.0, abs(w)) for v in nums), w


def test_api_province_has_its_chain_sections(srv: LiveServer) -> None:
    ctx = srv.get("/api/province", params={"province": "四川", "year": "2017"}).json()
    ids = [s["id"] for s in ctx["sections"]]
    assert ctx["kind"] == "province-atlas" and "chain-maps" in ids
    assert "chain-gap-matrix" in ids and len(ctx["sections"]) > 4
    assert "四川" in ctx["title"]["zh"]


def test_api_scenario_form_equals_the_cli_yaml_scenario(srv: LiveServer) -> None:
    """The form's defaults are examples/scenarios/usa-nld-jpn-semiconductors-chn.yaml."""
    from pathlib import Path

    yaml = Path(__file__).parents[1] / "examples/scenarios/usa-nld-jpn-semiconductors-chn.yaml"
    ctx = srv.get("/api/scenario").json()
    data = _cli_json("shock", "run", str(yaml), "--format", "json")
    table = next(b for b in _tables(ctx) if "key" in b["columns"])
    col = next(i for i, c in enumerate(table["columns"]) if c.startswith("GDP loss CHN 增加值"))
    got = {r[0]: r[col] for r in table["rows"]}
    if "leontief=extraction" in got:  # equal by construction (no substitution): one row
        got["leontief"] = got["extraction"] = got.pop("leontief=extraction")
    want = {c["key"]: c["va_loss_focus"] for c in data["costs"]}
    assert set(got) == set(want)
    for k, v in want.items():
        assert got[k] == pytest.approx(v, rel=1e-4, abs=0.05), k  # as displayed (rounded)


def test_api_sme_is_k_suppressed_and_matches_the_analyst_aggregate(srv: LiveServer) -> None:
    """The public SME page shows what an analyst key may read, and never any key."""
    import httpx

    ctx = srv.get("/api/sme", params={"by": "region"}).json()
    text = json.dumps(ctx, ensure_ascii=False)
    assert f"k = {K}" in text and ADMIN not in text
    assert ADMIN not in srv.get("/sme", params={"by": "region"}).text
    admin = {"X-API-Key": ADMIN}
    r = httpx.post(srv.url + "/sme/keys", json={"role": "analyst"}, headers=admin)
    analyst = {"X-API-Key": r.json()["key"]}
    agg = httpx.get(
        srv.url + "/sme/aggregates",
        params={"by": "region", "framework": "miit-2024-manufacturing", "wave": "T0"},
        headers=analyst,
    ).json()
    firms = [int(v) for v in agg["firms"].values()]
    assert N_FIRMS in (sum(firms), max(firms)) and agg["k"] == K
    assert str(N_FIRMS) in text
    # the service's own routes still need their role-scoped keys
    assert httpx.get(srv.url + "/sme/aggregates").status_code == 401


def test_downloads_csv_bom_and_xlsx_numbers_equal_api(srv: LiveServer, atlas_ctx) -> None:
    tables = _tables(atlas_ctx)
    n = next(i for i, b in enumerate(tables) if "output" in b["columns"])
    csv = srv.get(f"/api/atlas/tables/{n}.csv", params={"spec": SPEC})
    assert csv.status_code == 200 and csv.content[:3] == BOM
    assert csv.headers["content-disposition"].startswith("attachment;")
    x = srv.get(f"/api/atlas/tables/{n}.xlsx", params={"spec": SPEC})
    wb = openpyxl.load_workbook(io.BytesIO(x.content))
    rows = [[c.value for c in r] for r in wb[wb.sheetnames[1]].iter_rows()][1:]
    assert rows == tables[n]["rows"]  # the block's numbers (4 decimals) are exact in xlsx
    whole = openpyxl.load_workbook(
        io.BytesIO(srv.get("/api/atlas/tables.xlsx", params={"spec": SPEC}).content)
    )
    assert len(whole.sheetnames) == len(tables) + 1


def test_second_request_does_no_recomputation(srv: LiveServer, atlas_ctx) -> None:
    before = srv.get("/api/cache").json()["computations"]
    for _ in range(3):
        assert srv.get("/atlas", params={"spec": SPEC}).status_code == 200
        assert srv.get("/api/atlas", params={"spec": SPEC}).json()["sections"]
    assert srv.get("/api/cache").json()["computations"] == before


@pytest.mark.parametrize(
    ("path", "status", "needle"),
    [
        ("/api/atlas?spec=china-io:1999-42", 400, "unknown dataset spec 'china-io:1999-42'"),
        ("/api/atlas?spec=no-such-data:1", 400, "no-such-data"),
        ("/api/atlas?spec=wiod-2013:2011", 400, "this page shows china-io specs"),
        ("/api/atlas?spec=../../etc/passwd", 400, "malformed"),
        ("/api/atlas?spec=/etc/passwd", 400, "malformed"),
        ("/api/atlas?region=x", 400, "unknown parameter 'region'"),
        ("/api/atlas?spec=a&spec=b", 400, "more than once"),
        ("/api/sme?area=Atlantis", 400, "Atlantis"),
        ("/api/sme?framework=nope", 400, "nope"),
        ("/api/ecosystems?view=mars", 400, "unknown view 'mars'"),
        ("/api/province?province=火星", 400, "unknown province '火星'"),
        ("/api/chain?chain=nope", 400, "unknown chain 'nope'"),
        ("/api/province?year=1999", 400, "unknown year '1999'"),
        ("/api/scenario?cut_pct=150", 400, "less than or equal to 100"),
        ("/api/scenario?coalition=CHN", 400, "cannot impose an export control on itself"),
        ("/api/scenario?sectors=c14;rm", 400, "malformed"),
        ("/api/nopage", 404, "Not Found"),
        ("/api/atlas/tables/999.csv?spec=china-io:2020-42", 400, "no table 999"),
        ("/api/atlas?lang=fr", 400, "unknown lang"),
        ("/api/jobs/..%2f..%2fetc", 400, "traversal"),
        ("/static/..%2f..%2fpyproject.toml", 400, "traversal"),
        ("/static/%2e%2e/web/app.py", 400, "traversal"),
        ("/api/atlas?spec=%ff%fe", 400, "UTF-8"),
        ("/api/atlas?" + "x" * 5000, 414, "longer"),
    ],
)
def test_bad_input_is_4xx_json_with_the_message(srv: LiveServer, path: str, status: int,
                                                needle: str) -> None:  # fmt: skip
    import httpx

    r = httpx.get(srv.url + path, timeout=300)
    assert r.status_code == status, (path, r.status_code, r.text[:300])
    assert needle in r.json()["detail"], r.text[:400]
    assert "Traceback" not in r.text


def test_bad_input_on_a_page_is_an_html_4xx_with_the_cli_message(srv: LiveServer) -> None:
    r = srv.get("/atlas", params={"spec": "china-io:1999-42"})
    assert r.status_code == 400 and r.headers["content-type"].startswith("text/html")
    res = runner.invoke(cli, ["io", "linkages", "china-io:1999-42"])
    assert str(res.exception) in r.text.replace("&#39;", "'")
    assert "Traceback" not in r.text
    r = srv.get("/nopage")
    assert r.status_code == 404 and "<html" in r.text


def test_long_first_computation_reports_progress(srv: LiveServer) -> None:
    """A page not computed yet answers 202 with a progress page; its job endpoint tracks it."""
    import time

    r = srv.get("/ecosystems", params={"view": "wiod"})
    if r.status_code == 200:  # already cached by an earlier test in this session
        return
    assert r.status_code == 202 and 'id="progress"' in r.text
    key = r.text.split('data-job="', 1)[1].split('"', 1)[0]
    seen = []
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        st = srv.get(f"/api/jobs/{key}").json()
        seen.append(st.get("message"))
        if st["state"] != "running":
            break
        time.sleep(0.3)
    assert st["state"] == "done", st
    assert any(m and "WIOD" in m for m in seen), seen
    assert srv.get("/ecosystems", params={"view": "wiod"}).status_code == 200


def test_schemathesis_public_routes_never_500(srv: LiveServer, atlas_ctx) -> None:
    import schemathesis
    from hypothesis import HealthCheck, given, settings

    schema = schemathesis.openapi.from_url(srv.url + "/openapi.json")
    failures = []
    for result in schema.get_all_operations():
        op = result.ok()
        if not op.path.startswith("/api/") or "jobs" in op.path:
            continue

        @settings(max_examples=6, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))  # fmt: skip
        @given(case=op.as_strategy())
        def check(case: object) -> None:
            resp = case.call(base_url=srv.url, timeout=300)  # type: ignore[attr-defined]
            if resp.status_code >= 500:
                failures.append((case.path, resp.status_code, resp.text[:200]))  # type: ignore[attr-defined]

        check()
    assert not failures, failures
