"""Issue 13 regressions: SME service security, data loss through --out, SME input edge cases.

Each test failed before its fix (see CHANGELOG) and tries the whole class, not one repro.
"""

from __future__ import annotations

import asyncio
import os
import stat
import sys
from pathlib import Path

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from chainatlas.cli import main
from chainatlas.service import create_app
from chainatlas.service.app import _BodyLimit
from chainatlas.service.store import Store
from chainatlas.sme.answers import AnswerError, AnswerFileError, encode_answers, read_answers
from chainatlas.sme.schema import load_framework
from chainatlas.sme.synthetic import synthetic_answers

ADMIN = "admin-secret-for-hardening-tests"
MIIT = load_framework("miit-2024")


def _cli(monkeypatch, capsys, *args: str) -> tuple[int, str]:
    monkeypatch.setattr(sys, "argv", ["chainatlas", *args])
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    return code, capsys.readouterr().err


def _submission(firm: str = "F1", wave: str = "T0") -> dict:
    row = synthetic_answers(MIIT, 1, seed=1).iloc[0].to_dict()
    answers = {}
    for it in MIIT.items:
        v = row[it.id]
        if it.type == "multi_select":
            v = [] if v == "none" else str(v).split(";")
        elif it.type in ("scene_level", "scale_0_5"):
            v = int(v)
        elif it.type == "numeric_band":
            v = float(v)
        answers[it.id] = v
    return {
        "firm_id": firm,
        "framework": "miit-2024-manufacturing",
        "wave": wave,
        "province": "四川",
        "industry": "C39",
        "size": "small",
        "answers": answers,
    }


@pytest.fixture()
def client(tmp_path: Path) -> TestClient:
    return TestClient(create_app(f"sqlite:///{tmp_path / 'sme.db'}", admin_key=ADMIN, k=2))


def _key(client: TestClient, role: str, firm: str | None = None) -> dict[str, str]:
    body = {"role": role} | ({"firm_id": firm} if firm else {})
    r = client.post("/keys", json=body, headers={"X-API-Key": ADMIN})
    assert r.status_code == 201, r.text
    return {"X-API-Key": r.json()["key"]}


# -- 1. the service never reads a file named by a client ------------------------------------
@pytest.mark.parametrize(
    "framework",
    ["/etc/passwd", "../../etc/passwd", "/etc/hostname.yaml", "x.yml", "C:\\secret.yaml"],
)
def test_framework_paths_are_refused(client: TestClient, tmp_path: Path, framework: str) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text("id: TOP-SECRET-CONTENT\n", encoding="utf-8")
    analyst = _key(client, "analyst")
    for name in (framework, str(secret)):
        r = client.get("/aggregates", params={"framework": name, "wave": "T0"}, headers=analyst)
        assert r.status_code == 422, r.text
        assert "TOP-SECRET" not in r.text and "root:" not in r.text
        assert "registered framework id" in r.json()["detail"]
        firm = _key(client, "firm", f"F-{abs(hash(name))}")
        sub = _submission(f"F-{abs(hash(name))}") | {"framework": name}
        r = client.post("/assessments", json=sub, headers=firm)
        assert r.status_code == 422 and "TOP-SECRET" not in r.text


# -- 2. an admin cannot mint a key that reads an existing firm's answers --------------------
def test_admin_cannot_mint_keys_for_existing_firms(client: TestClient) -> None:
    firm = _key(client, "firm", "FB")
    assert client.post("/assessments", json=_submission("FB"), headers=firm).status_code == 201
    admin = {"X-API-Key": ADMIN}
    r = client.post("/keys", json={"role": "firm", "firm_id": "FB"}, headers=admin)
    assert r.status_code == 409 and "minted by the firm itself" in r.json()["detail"]
    # a firm that has a key but no assessment yet is protected too
    _key(client, "firm", "FC")
    assert (
        client.post("/keys", json={"role": "firm", "firm_id": "FC"}, headers=admin).status_code
        == 409
    )
    # the firm rotates its own key; another firm cannot
    r = client.post("/firms/FB/keys", json={"label": "rotation"}, headers=firm)
    assert r.status_code == 201
    new = {"X-API-Key": r.json()["key"]}
    assert client.get("/firms/FB/assessments", headers=new).status_code == 200
    other = _key(client, "firm", "FD")
    assert client.post("/firms/FB/keys", json={}, headers=other).status_code == 403
    assert client.post("/firms/FB/keys", json={}, headers=admin).status_code == 403
    log = client.app.state.store.audit_log()
    actors = [(a.action, a.actor, a.firm_id) for a in log]
    assert ("create", "bootstrap", None) in actors
    assert any(a == "create" and act.startswith("firm key") and f == "FB" for a, act, f in actors)
    assert sum(1 for a, _, f in actors if f == "FB") == 2


# -- 4. bodies: auth first, then a running size limit -----------------------------------------
def _asgi(middleware: _BodyLimit, headers: dict[str, str], chunks: list[bytes]) -> tuple[int, int]:
    reads = 0

    async def receive():
        nonlocal reads
        reads += 1
        i = reads - 1
        return {"type": "http.request", "body": chunks[i], "more_body": i < len(chunks) - 1}

    status = 0

    async def send(message):
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    scope = {
        "type": "http",
        "method": "POST",
        "path": "/assessments",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
    }
    asyncio.run(middleware(scope, receive, send))
    return status, reads


def test_chunked_upload_is_authenticated_first_and_streamed(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 's.db'}")
    _, good = store.create_key("firm", firm_id="F1")

    async def app(scope, receive, send):  # drains the body like a JSON endpoint
        while (await receive()).get("more_body"):
            pass
        await send({"type": "http.response.start", "status": 201, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    mw = _BodyLimit(app, store=store, limit=1000)
    chunks = [b"x" * 100] * 2000  # 200 kB, chunked (no content-length)
    for headers in ({}, {"X-API-Key": "sme_wrong"}):
        status, reads = _asgi(mw, headers, chunks)
        assert status == 401 and reads == 0  # not one byte read without a valid key
    status, reads = _asgi(mw, {"X-API-Key": good}, chunks)
    assert status == 413 and reads == 11  # stopped as soon as the limit was crossed
    status, reads = _asgi(mw, {"X-API-Key": good, "Content-Length": "200000"}, chunks)
    assert status == 413 and reads == 0  # a declared oversize is refused unread
    status, _ = _asgi(mw, {"X-API-Key": good}, [b"{}"])
    assert status == 201


# -- 6. database files are owner-only ---------------------------------------------------------
def test_database_and_wal_files_are_private(tmp_path: Path) -> None:
    db = tmp_path / "sme.db"
    client = TestClient(create_app(f"sqlite:///{db}", admin_key=ADMIN, k=2))
    firm = _key(client, "firm", "F1")
    assert client.post("/assessments", json=_submission("F1"), headers=firm).status_code == 201
    files = [p for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")) if p.exists()]
    assert db in files and len(files) >= 2
    for p in files:
        assert stat.S_IMODE(p.stat().st_mode) == 0o600, p
    # an existing world-readable database is tightened on open
    client.app.state.store.dispose()
    os.chmod(db, 0o644)
    Store(f"sqlite:///{db}").dispose()
    assert stat.S_IMODE(db.stat().st_mode) == 0o600


# -- 7–10. CLI: file names from data, admin keys, outputs that would destroy inputs -----------
def test_firm_id_cannot_steer_the_report_file_name(monkeypatch, capsys, tmp_path: Path) -> None:
    df = synthetic_answers(MIIT, 6, seed=2)
    df["firm_id"] = ["../../evil", "F2", "F3", "F4", "F5", "F6"]
    src = tmp_path / "in" / "answers.csv"
    src.parent.mkdir()
    df.to_csv(src, index=False)
    work = tmp_path / "in" / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    code, err = _cli(monkeypatch, capsys, "sme", "report", str(src), "--firm", "../../evil")
    assert code == 0, err
    assert sorted(os.listdir(work)) == ["sme-firm-evil.html"]
    assert not list(tmp_path.glob("evil*")) and not (tmp_path / "in" / "evil.html").exists()


@pytest.mark.parametrize("content", ["", "\n  \n", "x", "short-key"])
def test_weak_admin_key_files_are_refused(
    monkeypatch, capsys, tmp_path: Path, content: str
) -> None:
    keyfile = tmp_path / "admin.key"
    keyfile.write_text(content, encoding="utf-8")
    code, err = _cli(
        monkeypatch,
        capsys,
        "sme",
        "serve",
        "--db",
        f"sqlite:///{tmp_path / 'x.db'}",
        "--admin-key-file",
        str(keyfile),
    )
    assert code == 2 and "admin key" in err and "at least 16 characters" in err
    with pytest.raises(Exception, match="too short"):
        create_app(f"sqlite:///{tmp_path / 'y.db'}", admin_key=content or " ")


def test_out_never_overwrites_an_input(monkeypatch, capsys, tmp_path: Path) -> None:
    df = synthetic_answers(MIIT, 8, seed=3)
    src = tmp_path / "answers.csv"
    df.to_csv(src, index=False)
    before = src.read_bytes()
    for out in (str(src), str(tmp_path / "." / "answers.csv")):
        code, err = _cli(
            monkeypatch, capsys, "sme", "score", str(src), "--format", "csv", "--out", out
        )
        assert code == 2 and "one of this command's input files" in err
        assert src.read_bytes() == before
    link = tmp_path / "link.csv"
    link.symlink_to(src)
    code, err = _cli(
        monkeypatch, capsys, "sme", "score", str(link), "--format", "csv", "--out", str(src)
    )
    assert code == 2 and src.read_bytes() == before
    # a different output file is fine
    code, err = _cli(
        monkeypatch,
        capsys,
        "sme",
        "score",
        str(src),
        "--format",
        "csv",
        "--out",
        str(tmp_path / "s.csv"),
    )
    assert code == 0, err and (tmp_path / "s.csv").exists()


def test_out_refuses_fifos_and_devices(monkeypatch, capsys, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    df = synthetic_answers(MIIT, 8, seed=3)
    src = tmp_path / "answers.csv"
    df.to_csv(src, index=False)
    for target in (str(fifo), "/dev/null"):
        code, err = _cli(
            monkeypatch, capsys, "sme", "score", str(src), "--format", "csv", "--out", target
        )
        assert code == 2 and "not a regular file" in err
    assert stat.S_ISFIFO(os.stat(fifo).st_mode) and stat.S_ISCHR(os.stat("/dev/null").st_mode)


# -- smaller SME input cases --------------------------------------------------------------------
def test_big5_csv_is_refused_not_garbled(tmp_path: Path) -> None:
    df = synthetic_answers(MIIT, 3, seed=4)
    df["name"] = [
        "台灣積體電路製造股份有限公司",
        "鴻海精密工業股份有限公司",
        "聯華電子股份有限公司",
    ]
    df["province"] = "四川"
    p = tmp_path / "big5.csv"
    df.to_csv(p, index=False, encoding="big5")
    with pytest.raises(AnswerFileError, match="looks like Big5"):
        read_answers(p)
    frame, info = read_answers(p, encoding="big5")
    assert info["encoding"] == "big5" and frame["name"][0] == "台灣積體電路製造股份有限公司"
    gbk = tmp_path / "gbk.csv"
    df.assign(name=["四川长虹电器股份有限公司"] * 3).to_csv(gbk, index=False, encoding="gbk")
    frame, info = read_answers(gbk)
    assert info["encoding"] == "gb18030" and frame["name"][0] == "四川长虹电器股份有限公司"


@pytest.mark.parametrize("cell", [";", ";;", " ; ", "|", "; |"])
def test_multi_select_of_only_separators_is_an_error(cell: str) -> None:
    df = synthetic_answers(MIIT, 3, seed=5)
    item = next(it.id for it in MIIT.items if it.type == "multi_select")
    df[item] = df[item].astype(object)
    df.loc[1, item] = cell
    with pytest.raises(AnswerError, match="separators without any option"):
        encode_answers(df, MIIT)


def test_oversized_ids_and_padded_waves_are_refused(client: TestClient) -> None:
    df = synthetic_answers(MIIT, 3, seed=6)
    with pytest.raises(AnswerError, match="firm_id values are longer than 128"):
        encode_answers(df.assign(firm_id=["x" * 129, "b", "c"]), MIIT)
    with pytest.raises(AnswerError, match="name values are longer than 200"):
        encode_answers(df.assign(name=["n" * 201, "b", "c"]), MIIT)
    with pytest.raises(AnswerError, match="wave ids must be plain tokens"):
        encode_answers(df.assign(wave=["T8", "T 8", "T8"]), MIIT)
    firm = _key(client, "firm", "F9")
    for bad in (
        {"wave": " T8"},
        {"wave": "T8 "},
        {"firm_id": " F9"},
        {"name": "n" * 201},
        {"province": "p" * 65},
    ):
        r = client.post("/assessments", json=_submission("F9") | bad, headers=firm)
        assert r.status_code in (403, 422), (bad, r.status_code)
    assert (
        client.post("/assessments", json=_submission("F9", "T8"), headers=firm).status_code == 201
    )
    waves = [a["wave"] for a in client.get("/firms/F9/assessments", headers=firm).json()]
    assert waves == ["T8"]
    r = client.post(
        "/keys", json={"role": "analyst", "label": "l" * 201}, headers={"X-API-Key": ADMIN}
    )
    assert r.status_code == 422


def test_before_file_without_the_firm_is_an_error(monkeypatch, capsys, tmp_path: Path) -> None:
    df = synthetic_answers(MIIT, 6, seed=7)
    t1 = tmp_path / "t1.csv"
    df.to_csv(t1, index=False)
    t0 = tmp_path / "t0.csv"
    df[df["firm_id"] != df["firm_id"][0]].to_csv(t0, index=False)
    code, err = _cli(
        monkeypatch,
        capsys,
        "sme",
        "report",
        str(t1),
        "--firm",
        str(df["firm_id"][0]),
        "--before",
        str(t0),
        "--out",
        str(tmp_path / "r.html"),
    )
    assert code == 2 and "not in the earlier wave" in err
    assert not (tmp_path / "r.html").exists()
    assert isinstance(pd.read_csv(t0), pd.DataFrame)


def test_port_in_use_is_a_clear_error(monkeypatch, capsys, tmp_path: Path) -> None:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        key = tmp_path / "k"
        key.write_text(ADMIN, encoding="utf-8")
        code, err = _cli(
            monkeypatch,
            capsys,
            "sme",
            "serve",
            "--db",
            f"sqlite:///{tmp_path / 'p.db'}",
            "--admin-key-file",
            str(key),
            "--port",
            str(port),
        )
    assert code == 2 and f"port {port} on 127.0.0.1 is already in use" in err


def test_api_errors_describe_json_answers_not_table_cells(client: TestClient) -> None:
    firm = _key(client, "firm", "FJ")
    sub = _submission("FJ")
    item = next(it for it in MIIT.items if it.type == "multi_select")
    sub["answers"][item.id] = "office_lan;wireless_5g"  # the batch-table spelling
    r = client.post("/assessments", json=sub, headers=firm)
    assert r.status_code == 422
    detail = r.json()["detail"]
    assert "a JSON list of option ids" in detail and "joined by ';'" not in detail


# -- the second hostile pass (issue 13: "a fresh pass from the classes") ----------------------
def test_no_release_can_be_differenced_against_another(client: TestClient) -> None:
    """Breaker F1: "all waves, latest per firm" minus "wave T1" gave one firm's exact total.
    Aggregates are now published per wave, and only once the wave is closed."""
    analyst = _key(client, "analyst")
    admin = {"X-API-Key": ADMIN}
    firms = [f"W{i:02d}" for i in range(13)]
    keys = {f: _key(client, "firm", f) for f in firms}
    for f in firms:
        assert (
            client.post("/assessments", json=_submission(f, "T0"), headers=keys[f]).status_code
            == 201
        )
    for f in firms[:12]:
        assert (
            client.post("/assessments", json=_submission(f, "T1"), headers=keys[f]).status_code
            == 201
        )
    r = client.get("/aggregates", params={"by": "region"}, headers=analyst)
    assert r.status_code == 422  # no mixed-wave release exists any more
    r = client.get("/aggregates", params={"by": "region", "wave": "T1"}, headers=analyst)
    assert r.status_code == 409 and "still open" in r.json()["detail"]
    assert client.post("/waves/miit-2024/T1/close", headers=admin).status_code == 200
    first = client.get("/aggregates", params={"by": "region", "wave": "T1"}, headers=analyst).json()
    # a closed wave takes no more submissions, so its release never changes by one firm
    late = _submission(firms[12], "T1")
    r = client.post("/assessments", json=late, headers=keys[firms[12]])
    assert r.status_code == 409 and "is closed" in r.json()["detail"]
    again = client.get("/aggregates", params={"by": "region", "wave": "T1"}, headers=analyst).json()
    assert again == first and first["wave"] == "T1"


def test_json_booleans_and_repeated_options_are_not_answers(client: TestClient) -> None:
    firm = _key(client, "firm", "FB2")
    band = next(it.id for it in MIIT.items if it.type == "numeric_band")
    multi = next(it for it in MIIT.items if it.type == "multi_select")
    for bad in (True, False, "50"):
        sub = _submission("FB2")
        sub["answers"][band] = bad
        r = client.post("/assessments", json=sub, headers=firm)
        assert r.status_code == 422 and band in r.json()["detail"], bad
    sub = _submission("FB2")
    sub["answers"][multi.id] = [multi.options[0].id] * 3
    r = client.post("/assessments", json=sub, headers=firm)
    assert r.status_code == 422 and "listed more than once" in r.json()["detail"]
    sub = _submission("FB2")
    sub["answers"][band] = 50  # a JSON integer is a number
    assert client.post("/assessments", json=sub, headers=firm).status_code == 201


def test_oversized_chunked_body_with_a_valid_key_is_413(client: TestClient) -> None:
    firm = _key(client, "firm", "FC2")

    def chunks():
        for _ in range(5000):
            yield b"x" * 1024

    r = client.post("/assessments", content=chunks(), headers=firm)
    assert r.status_code == 413 and "exceeds the limit" in r.json()["detail"]


@pytest.mark.parametrize("firm_id", ["SYN1 ", " SYN1", "SYN1\n", "", "x" * 129])
def test_key_firm_ids_follow_the_assessment_rules(client: TestClient, firm_id: str) -> None:
    r = client.post(
        "/keys", json={"role": "firm", "firm_id": firm_id}, headers={"X-API-Key": ADMIN}
    )
    assert r.status_code == 422
