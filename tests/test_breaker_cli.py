"""Adversarial regression tests: the CLI entry point turns every failure into one line, no traceback."""

from __future__ import annotations

import sys

import pytest

from chainatlas.cli import main


def _run(monkeypatch, capsys, *args: str) -> tuple[int, str]:
    monkeypatch.setattr(sys, "argv", ["chainatlas", *args])
    with pytest.raises(SystemExit) as exc:
        main()
    err = capsys.readouterr().err
    code = exc.value.code
    return (code if isinstance(code, int) else 1), err


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (("datasets", "describe", "x"), "No such command 'describe'"),
        (("io", "linkages"), "Missing argument 'spec'"),
        (("io", "linkages", "china-io:2020-42", "--format", "xml"), "'xml' is not one of"),
        (("chains", "dependence", "wiod-2013:2011", "--top", "-5"), "--top"),
        (("shock", "run", "--top", "0"), "--top"),
    ],
)
def test_usage_errors_exit_2_without_traceback(monkeypatch, capsys, args, match):
    code, err = _run(monkeypatch, capsys, *args)
    assert code == 2
    assert match in err
    assert "Traceback" not in err


def test_no_arguments_shows_help_and_exits_nonzero(monkeypatch, capsys):
    code, err = _run(monkeypatch, capsys)
    assert code == 2 and "Traceback" not in err


def test_chainatlas_error_is_one_line(monkeypatch, capsys):
    code, err = _run(monkeypatch, capsys, "datasets", "info", "china-oi")
    assert code == 2
    assert err.startswith("error: UnknownDatasetError: unknown dataset 'china-oi'")
    assert "did you mean 'china-io'" in err and "Traceback" not in err


def test_unreadable_user_file_is_a_clear_error(monkeypatch, capsys, tmp_path):
    p = tmp_path / "t.csv"
    p.write_bytes("label,工业\n".encode("gbk"))
    code, err = _run(monkeypatch, capsys, "io", "--unit", "USD", "balance", str(p))
    assert code == 2 and "not UTF-8 text" in err and "Traceback" not in err


def test_user_file_without_unit_is_refused(monkeypatch, capsys, tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("label,S1,households,x\nS1,1,9,10\nva,9,,\n")
    code, err = _run(monkeypatch, capsys, "io", "balance", str(p))
    assert code == 2 and "a user table file needs its unit" in err


def test_failed_command_keeps_the_old_output(monkeypatch, capsys, tmp_path):
    out = tmp_path / "old.json"
    out.write_text("OLD")
    code, err = _run(monkeypatch, capsys, "report", "china-io:2020-24", "--out", str(out))
    assert code == 2 and "did you mean 'china-io:2020-42'" in err
    assert out.read_text() == "OLD"


def test_unexpected_bug_is_one_line_with_exit_3(monkeypatch, capsys):
    import chainatlas.cli as cli

    def boom(**_kw):
        raise RuntimeError("kaboom")

    monkeypatch.delenv("CHAINATLAS_DEBUG", raising=False)
    monkeypatch.setattr(cli, "app", boom)
    code, err = _run(monkeypatch, capsys, "io")
    assert code == 3 and "internal error RuntimeError: kaboom" in err and "Traceback" not in err


def test_output_into_a_file_path_is_a_clear_error(monkeypatch, capsys, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    p = tmp_path / "t.csv"
    p.write_text(
        "label,S1,S2,households,x\nS1,150,500,350,1000\nS2,200,100,1700,2000\nva,650,1400,,\n"
    )
    code, err = _run(
        monkeypatch,
        capsys,
        "io",
        "--unit",
        "USD",
        "balance",
        str(p),
        "--format",
        "json",
        "--out",
        str(blocker / "o.json"),
    )
    assert code == 2 and "NotADirectoryError" in err and "Traceback" not in err


def test_report_without_sections_is_refused_not_empty():
    import pandas as pd

    from chainatlas.clusters.regional import RegionIndustry
    from chainatlas.pipelines.atlas import NoReportSectionsError, build_context
    from chainatlas.provenance import Provenance

    ri = RegionIndustry(
        values=pd.DataFrame([[1.0, 2.0]], index=["CA"], columns=["x", "y"]),
        measure="employment",
        unit="persons",
        provenance=Provenance("t"),
    )
    with pytest.raises(NoReportSectionsError, match=r"no report sections apply.*clusters lq"):
        build_context("us-state-industry:employment", obj=ri)


@pytest.mark.parametrize("spec", ["China-IO:2020-42", "china-io: 2020-42", "CHINA-IO:2020-42"])
def test_spec_case_and_spacing_variants_point_to_the_spec(spec):
    from chainatlas.datasets import load
    from chainatlas.errors import UnknownDatasetError

    with pytest.raises(UnknownDatasetError, match=r"did you mean 'china-io:2020-42'\?"):
        load(spec)


def test_suggest_puts_case_variants_first():
    from chainatlas.errors import suggest

    assert suggest("bej", ["XIN", "BEJ", "ZHJ"]) == "did you mean 'BEJ'?"
    assert suggest("qqq", ["a", "b"]) == "see the list of valid names."


def test_extraction_with_empty_sector_list_is_refused(monkeypatch, capsys):
    code, err = _run(
        monkeypatch, capsys, "io", "extraction", "china-io:2020-42", "--sectors", " , "
    )
    assert code == 2 and "--sectors names no sector" in err
