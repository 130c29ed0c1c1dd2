"""Bad input (issue §5): every case names the item and the allowed values."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from chainatlas.sme.answers import (
    AnswerError,
    AnswerFileError,
    DuplicateFirmError,
    encode_answers,
    read_answers,
    validate_assessment,
)
from chainatlas.sme.schema import UnknownFrameworkError, load_framework
from chainatlas.sme.scoring import score_assessments
from chainatlas.sme.synthetic import synthetic_answers

MIIT = load_framework("miit-2024")


@pytest.fixture()
def batch() -> pd.DataFrame:
    return synthetic_answers(MIIT, 12, seed=5).astype(str)


def _one(batch: pd.DataFrame) -> dict:
    row = batch.iloc[0].to_dict()
    out = {}
    for it in MIIT.items:
        v = row[it.id]
        if it.type == "multi_select":
            out[it.id] = [] if v == "none" else v.split(";")
        elif it.type == "numeric_band":
            out[it.id] = float(v)
        elif it.type in ("scene_level", "scale_0_5"):
            out[it.id] = int(v)
        else:
            out[it.id] = v
    return out


def test_missing_answers(batch: pd.DataFrame) -> None:
    b = batch.copy()
    b.loc[3, "system_coverage"] = ""
    with pytest.raises(
        AnswerError,
        match=r"missing answers for item 'system_coverage' in 1 firms \(e\.g\. SYN000003\).*allowed: one of none, one, several, most, all",
    ):
        encode_answers(b, MIIT)
    with pytest.raises(
        AnswerError,
        match=r"no column for 1 items: digital_funding \(allowed: a number from 0 to 100 % of revenue\)",
    ):
        encode_answers(batch.drop(columns="digital_funding"), MIIT)
    a = _one(batch)
    del a["quality_trend"]
    with pytest.raises(
        AnswerError,
        match=r"missing answers for 1 items: quality_trend \(allowed: one of worse, flat, better\)",
    ):
        validate_assessment(a, MIIT)


def test_out_of_range_values(batch: pd.DataFrame) -> None:
    b = batch.copy()
    b.loc[2, "equipment_digital_rate"] = "120"
    with pytest.raises(
        AnswerError,
        match=r"out-of-range values for item 'equipment_digital_rate'.*'120'.*allowed: a number from 0 to 100 %",
    ):
        encode_answers(b, MIIT)
    b = batch.copy()
    b.loc[0, "scene_quality"] = "5"
    with pytest.raises(
        AnswerError,
        match=r"out-of-range values for item 'scene_quality'.*allowed: an integer 1, 2, 3 or 4",
    ):
        encode_answers(b, MIIT)
    b = batch.copy()
    b.loc[0, "scene_energy"] = "2.5"
    with pytest.raises(AnswerError, match=r"non-integer values for item 'scene_energy'"):
        encode_answers(b, MIIT)
    a = _one(batch)
    a["equipment_network_rate"] = -3
    with pytest.raises(
        AnswerError, match=r"item 'equipment_network_rate' got -3.*allowed: a number from 0 to 100"
    ):
        validate_assessment(a, MIIT)


def test_unknown_options(batch: pd.DataFrame) -> None:
    b = batch.copy()
    b.loc[1, "network_security"] = "firewall;antivirus"
    with pytest.raises(
        AnswerError,
        match=r"unknown options \['antivirus'\] for item 'network_security'.*firewall, intrusion_detection",
    ):
        encode_answers(b, MIIT)
    b = batch.copy()
    b.loc[1, "revenue_trend"] = "up"
    with pytest.raises(
        AnswerError,
        match=r"unknown options for item 'revenue_trend'.*allowed: one of worse, flat, better",
    ):
        encode_answers(b, MIIT)
    b = batch.copy()
    b.loc[1, "digital_talent"] = "none;training"
    with pytest.raises(
        AnswerError, match=r"'none' combined with other options for item 'digital_talent'"
    ):
        encode_answers(b, MIIT)


def test_unknown_item_ids(batch: pd.DataFrame) -> None:
    with pytest.raises(
        AnswerError,
        match=r"unknown item ids for framework 'miit-2024-manufacturing': 'sytem_coverage'.*did you mean 'system_coverage'",
    ):
        encode_answers(batch.assign(sytem_coverage="all"), MIIT)
    assert encode_answers(batch.assign(note="x"), MIIT, extra_columns="ignore").n == 12
    a = _one(batch) | {"scene_cloud": 3}
    with pytest.raises(
        AnswerError,
        match=r"unknown item ids for framework 'miit-2024-manufacturing': 'scene_cloud'",
    ):
        validate_assessment(a, MIIT)


def test_unknown_framework_version() -> None:
    with pytest.raises(
        UnknownFrameworkError,
        match=r"unknown framework or version 'miit-2025'.*did you mean 'miit-2024'",
    ):
        load_framework("miit-2025")


def test_duplicate_firm_ids(batch: pd.DataFrame) -> None:
    b = batch.copy()
    b.loc[7, "firm_id"] = "SYN000002"
    with pytest.raises(DuplicateFirmError, match=r"duplicate firm ids in the batch: SYN000002"):
        score_assessments(b, MIIT)


def test_merged_header_cells(tmp_path: Path, batch: pd.DataFrame) -> None:
    path = tmp_path / "answers.xlsx"
    batch.to_excel(path, index=False)
    wb = openpyxl.load_workbook(path)
    wb.active.merge_cells("B1:C1")
    wb.save(path)
    before = path.read_bytes()
    with pytest.raises(
        AnswerFileError,
        match=r"merged header cells \['B1:C1'\] \(headers \['province'\]\).*unmerge the header cells",
    ):
        read_answers(path)
    assert path.read_bytes() == before  # input untouched


def test_xlsx_round_trip(tmp_path: Path, batch: pd.DataFrame) -> None:
    path = tmp_path / "answers.xlsx"
    batch.to_excel(path, index=False, sheet_name="wave1")
    frame, info = read_answers(path, sheet="wave1")
    a = score_assessments(frame, MIIT).total
    b = score_assessments(batch, MIIT).total
    assert info["encoding"] == "xlsx" and (a == b).all()


def test_gbk_csv_detected_and_encoding_option(tmp_path: Path, batch: pd.DataFrame) -> None:
    b = batch.copy()
    b["province"] = ["四川", "广东", "黑龙江", "西藏"] * 3
    path = tmp_path / "gbk.csv"
    b.to_csv(path, index=False, encoding="gbk")
    frame, info = read_answers(path)
    assert info["encoding"] == "gb18030" and frame["province"].tolist() == b["province"].tolist()
    frame, info = read_answers(path, encoding="gbk")
    assert info["encoding"] == "gbk" and frame["province"][3] == "西藏"
    with pytest.raises(
        AnswerFileError, match=r"cannot decode gbk.csv as utf-8.*pass the right --encoding"
    ):
        read_answers(path, encoding="utf-8")
    utf = tmp_path / "utf.csv"
    b.to_csv(utf, index=False, encoding="utf-8")
    assert read_answers(utf)[1]["encoding"] == "utf-8"


def test_single_assessment_is_cleaned(batch: pd.DataFrame) -> None:
    a = _one(batch)
    a["network_buildout"] = ["wireless_5g", "office_lan"]
    out = validate_assessment(a, MIIT)
    assert out["network_buildout"] == ["office_lan", "wireless_5g"]  # sorted
    # a repeated option is refused, not merged silently (issue 13, second hostile pass)
    a["network_buildout"] = ["wireless_5g", "office_lan", "office_lan"]
    with pytest.raises(AnswerError, match="listed more than once"):
        validate_assessment(a, MIIT)
