"""The assessment service: role boundaries, validation before writes, concurrency, restart."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from chainatlas.service import Store, create_app
from chainatlas.sme.schema import load_framework
from chainatlas.sme.synthetic import synthetic_answers

MIIT = load_framework("miit-2024")
ADMIN = "admin-secret-for-tests"


def _assessments(n: int, seed: int = 0, wave: str = "T0") -> list[dict]:
    df = synthetic_answers(MIIT, n, seed=seed)
    out = []
    for row in df.to_dict(orient="records"):
        ans = {}
        for it in MIIT.items:
            v = row[it.id]
            if it.type == "multi_select":
                ans[it.id] = [] if v == "none" else v.split(";")
            elif it.type in ("scene_level", "scale_0_5"):
                ans[it.id] = int(v)
            elif it.type == "numeric_band":
                ans[it.id] = float(v)
            else:
                ans[it.id] = v
        out.append({"firm_id": row["firm_id"], "framework": "miit-2024", "wave": wave, "province": row["province"],
                    "industry": row["industry"], "size": row["size"], "answers": ans})  # fmt: skip
    return out


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The store's database: the tests run on SQLite and on a real PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'sme.db'}"
    return str(request.getfixturevalue("postgres_url"))


def _key(client: TestClient, role: str, firm_id: str | None = None) -> dict[str, str]:
    r = client.post("/keys", json={"role": role, "firm_id": firm_id}, headers={"X-API-Key": ADMIN})
    assert r.status_code == 201, r.text
    return {"X-API-Key": r.json()["key"]}


def test_roles_and_boundaries(db: str) -> None:
    client = TestClient(create_app(db, admin_key=ADMIN))
    subs = _assessments(6)
    firm_a, firm_b = subs[0]["firm_id"], subs[1]["firm_id"]
    ka, kb = _key(client, "firm", firm_a), _key(client, "firm", firm_b)
    analyst = _key(client, "analyst")
    admin = {"X-API-Key": ADMIN}
    # no key / unknown key
    assert client.post("/assessments", json=subs[0]).status_code == 401
    assert client.get("/aggregates", headers={"X-API-Key": "nope"}).status_code == 401
    # a firm submits only for itself
    assert client.post("/assessments", json=subs[1], headers=ka).status_code == 403
    r = client.post("/assessments", json=subs[0], headers=ka)
    assert r.status_code == 201 and r.json()["result"]["firm_id"] == firm_a
    assert client.post("/assessments", json=subs[1], headers=kb).status_code == 201
    # analysts and admins cannot submit
    assert client.post("/assessments", json=subs[2], headers=analyst).status_code == 403
    assert client.post("/assessments", json=subs[2], headers=admin).status_code == 403
    # a firm reads only its own assessments
    r = client.get(f"/firms/{firm_a}/assessments/T0", headers=ka)
    assert r.status_code == 200 and r.json()["firm_id"] == firm_a and r.json()["next_steps"]
    assert client.get(f"/firms/{firm_b}/assessments/T0", headers=ka).status_code == 403
    assert client.get(f"/firms/{firm_b}/assessments", headers=ka).status_code == 403
    # analysts and admins never read a firm's answers
    assert client.get(f"/firms/{firm_a}/assessments/T0", headers=analyst).status_code == 403
    assert client.get(f"/firms/{firm_a}/assessments", headers=admin).status_code == 403
    # only analysts read aggregates
    assert client.get("/aggregates", headers=ka).status_code == 403
    assert client.get("/aggregates", headers=admin).status_code == 403
    r = client.get("/aggregates", params={"wave": "T0"}, headers=analyst)
    assert r.status_code == 409 and "still open" in r.json()["detail"]  # open waves: nothing
    assert client.post("/waves/miit-2024/T0/close", headers=analyst).status_code == 403
    assert client.post("/waves/miit-2024/T0/close", headers=admin).status_code == 200
    r = client.get("/aggregates", params={"wave": "T0"}, headers=analyst)
    assert r.status_code == 200 and r.json()["suppressed"] is True  # 2 firms < k
    # only admins manage keys
    assert client.post("/keys", json={"role": "analyst"}, headers=analyst).status_code == 403
    assert client.get("/keys", headers=ka).status_code == 403
    listing = client.get("/keys", headers=admin).json()
    assert all("key" not in k and "key_hash" not in k for k in listing)
    kid = next(k["id"] for k in listing if k["firm_id"] == firm_b)
    assert client.delete(f"/keys/{kid}", headers=admin).status_code == 200
    assert client.get(f"/firms/{firm_b}/assessments", headers=kb).status_code == 401  # revoked
    assert client.post("/keys", json={"role": "firm"}, headers=admin).status_code == 422
    # OpenAPI docs are served
    assert client.get("/openapi.json").json()["info"]["title"].startswith("chainatlas SME")
    assert client.get("/docs").status_code == 200


def test_bad_submission_writes_nothing(db: str) -> None:
    client = TestClient(create_app(db, admin_key=ADMIN))
    sub = _assessments(1)[0]
    key = _key(client, "firm", sub["firm_id"])
    bad = {**sub, "answers": {**sub["answers"], "equipment_digital_rate": 140}}
    r = client.post("/assessments", json=bad, headers=key)
    assert (
        r.status_code == 422
        and "equipment_digital_rate" in r.json()["detail"]
        and "0 to 100" in r.json()["detail"]
    )
    bad = {**sub, "province": "Atlantis"}
    r = client.post("/assessments", json=bad, headers=key)
    assert r.status_code == 422 and "unknown province 'Atlantis'" in r.json()["detail"]
    r = client.post("/assessments", json={**sub, "framework": "miit-2023"}, headers=key)
    assert r.status_code == 422 and "unknown framework or version" in r.json()["detail"]
    assert client.get(f"/firms/{sub['firm_id']}/assessments", headers=key).json() == []
    assert client.post("/assessments", json=sub, headers=key).status_code == 201
    r = client.post("/assessments", json=sub, headers=key)
    assert r.status_code == 409 and "already submitted wave 'T0'" in r.json()["detail"]
    assert len(client.get(f"/firms/{sub['firm_id']}/assessments", headers=key).json()) == 1


def test_concurrent_submissions_restart_and_aggregates(db: str) -> None:
    app = create_app(db, admin_key=ADMIN, k=5)
    client = TestClient(app)
    subs = _assessments(24, seed=3)
    keys = {s["firm_id"]: _key(client, "firm", s["firm_id"]) for s in subs}
    analyst = _key(client, "analyst")

    def post(s: dict) -> int:
        return client.post("/assessments", json=s, headers=keys[s["firm_id"]]).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        codes = list(pool.map(post, subs))
    assert codes == [201] * 24
    t1 = _assessments(1, seed=4, wave="T1")[0] | {
        "firm_id": subs[0]["firm_id"],
        "province": subs[0]["province"],
    }
    assert post(t1) == 201
    app.state.store.dispose()
    del client, app

    # restart: a new app on the same SQLite file sees everything
    client = TestClient(create_app(db))
    mine = client.get(
        f"/firms/{subs[0]['firm_id']}/assessments", headers=keys[subs[0]["firm_id"]]
    ).json()
    assert [m["wave"] for m in mine] == ["T0", "T1"]
    cmp = client.get(
        f"/firms/{subs[0]['firm_id']}/compare",
        params={"before": "T0", "after": "T1"},
        headers=keys[subs[0]["firm_id"]],
    ).json()
    assert cmp["total_change"] == pytest.approx(mine[1]["total"] - mine[0]["total"])
    admin = {"X-API-Key": ADMIN}
    assert client.post("/waves/miit-2024/T0/close", headers=admin).status_code == 200
    agg = client.get("/aggregates", params={"by": "region", "wave": "T0"}, headers=analyst).json()
    assert agg["k"] == 5 and agg["firms"]["全部 / All"] == 24
    assert all(v is None or v >= 5 for v in agg["firms"].values())
    for row in agg["level_counts"]:
        assert all(v is None or v == 0 or v >= 5 for k, v in row.items() if k != "region")
    store = Store(db)
    assert len(store.latest_assessments("miit-2024-manufacturing")) == 24
    store.dispose()
