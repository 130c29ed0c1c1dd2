"""Adversarial regression tests: SME answer files and the service's payload limits."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from chainatlas.service import create_app
from chainatlas.sme.answers import AnswerError, AnswerFileError, read_answers, validate_assessment
from chainatlas.sme.schema import load_framework

MIIT = load_framework("miit-2024")


@pytest.mark.parametrize(
    ("name", "content", "match"),
    [
        ("empty.csv", b"", r"empty \(0 bytes\)"),
        ("fake.xlsx", b"garbage", r"could not read fake.xlsx .*BadZipFile"),
    ],
)
def test_unreadable_answer_files(tmp_path, name, content, match):
    p = tmp_path / name
    p.write_bytes(content)
    with pytest.raises(AnswerFileError, match=match):
        read_answers(p)
    assert p.read_bytes() == content


def test_folder_is_not_an_answers_file(tmp_path):
    d = tmp_path / "a.csv"
    d.mkdir()
    with pytest.raises(AnswerFileError, match="not a file"):
        read_answers(d)


def test_unknown_encoding_still_named(tmp_path):
    p = tmp_path / "a.csv"
    p.write_text("firm_id\nA\n")
    with pytest.raises(AnswerFileError, match="cannot decode a.csv as klingon"):
        read_answers(p, encoding="klingon")


def test_many_unknown_items_give_a_short_message():
    answers = {f"bogus{i}": "x" * 1000 for i in range(5000)}
    with pytest.raises(AnswerError, match=r"unknown item ids .*\.\.\. \(5000 in all\)") as exc:
        validate_assessment(answers, MIIT)
    assert len(str(exc.value)) < 2000


def test_oversized_request_is_refused_with_413(tmp_path: Path):
    app = create_app(
        f"sqlite:///{tmp_path / 'sme.db'}",
        admin_key="admin-key-for-tests-0123",
        max_body_bytes=10_000,
    )
    client = TestClient(app)
    key = client.post(
        "/keys",
        json={"role": "firm", "firm_id": "F1"},
        headers={"X-API-Key": "admin-key-for-tests-0123"},
    )
    body = {"firm_id": "F1", "framework": "miit-2024", "wave": "T0", "answers": {"a": "x" * 20_000}}
    r = client.post("/assessments", json=body, headers={"X-API-Key": key.json()["key"]})
    assert r.status_code == 413
    assert "exceeds the limit of 10000 bytes" in r.json()["detail"]
    small = client.get("/health")
    assert small.status_code == 200


@pytest.mark.parametrize("url", ["/tmp/not-a-url.db", "sqlite:////nonexistent-folder-xyz/sme.db"])
def test_bad_database_url_is_an_input_error(url):
    from chainatlas.errors import InputError
    from chainatlas.service import Store

    with pytest.raises(InputError, match="cannot open the assessment database"):
        Store(url)
