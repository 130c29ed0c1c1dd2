"""Issue 13 §4 regressions for the IO kernels: coefficient checks and ill-conditioning."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from chainatlas.errors import IllConditionedWarning, NonProductiveError, NotCoefficientsError
from chainatlas.kernels import io as k


@pytest.mark.parametrize(
    ("A", "match"),
    [
        (np.array([[0.1, -0.2], [0.3, 0.2]]), "1 negative entries"),
        (np.array([[0.6, 0.1], [0.5, 0.2]]), "columns of A sum to 1 or more"),
        (np.array([[1.0, 0.0], [0.0, 0.5]]), "columns of A sum to 1 or more"),
        (np.array([[0.1, np.nan], [0.0, 0.1]]), "NaN or infinite"),
    ],
)
def test_kernels_refuse_what_is_not_a_coefficient_matrix(A: np.ndarray, match: str) -> None:
    with pytest.raises(Exception, match=match):
        k.leontief_inverse(A)
    with pytest.raises(Exception, match=match):
        k.output_multipliers(A)
    with pytest.raises(Exception, match=match):
        k.solve_output(A, np.ones(2))


def test_productive_check_allows_negative_value_added_but_not_rho_ge_1() -> None:
    # a column sum above 1 (negative value added, as in some provincial tables) that is still
    # productive: allowed only on request, and the answer is the exact inverse
    A = np.array([[0.2, 0.9], [0.3, 0.2]])
    with pytest.raises(NotCoefficientsError):
        k.leontief_lu(A)
    L = k.leontief_inverse(A, lu=k.leontief_lu(A, check="productive"))
    np.testing.assert_allclose(L, np.linalg.inv(np.eye(2) - A), rtol=1e-13)
    with pytest.raises(NonProductiveError, match="spectral radius"):
        k.leontief_lu(np.array([[0.5, 1.0], [0.6, 0.5]]), check="productive")
    with pytest.raises(Exception, match="unknown check 'productiv'"):
        k.leontief_lu(A, check="productiv")  # type: ignore[arg-type]


def test_ill_conditioned_table_warns_with_the_condition_number() -> None:
    eps = 1e-10  # two sectors selling almost everything to each other: ρ(A) = 1 − eps < 1
    A = np.array([[0.0, 1.0 - eps], [1.0 - eps, 0.0]]) * 0.5 + np.array([[0.5, 0.0], [0.0, 0.5]])
    A = A * (1 - eps)
    assert max(abs(np.linalg.eigvals(A))) < 1
    with pytest.warns(IllConditionedWarning, match=r"condition number \d\.\d+e\+\d+") as rec:
        k.leontief_lu(A, check="productive")
    cond = float(str(rec[0].message).split("condition number ")[1].split(" ")[0])
    assert cond == pytest.approx(np.linalg.cond(np.eye(2) - A, 1), rel=0.05)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        k.leontief_lu(np.array([[0.15, 0.25], [0.2, 0.05]]))  # a normal table: no warning


def test_condition_estimate_matches_numpy_on_a_real_sized_matrix() -> None:
    rng = np.random.default_rng(3)
    A = rng.random((300, 300))
    A *= 0.9 / A.sum(axis=0)
    lu, _ = k.leontief_lu(A)
    M = np.eye(300) - A
    est = k.condition_number(lu, float(np.abs(M).sum(axis=0).max()))
    assert est == pytest.approx(np.linalg.cond(M, 1), rel=0.3)


def test_negative_intermediate_flows_are_refused_unless_allowed() -> None:
    import pandas as pd

    from chainatlas.errors import NegativeValueError
    from chainatlas.io.table import IOTable
    from chainatlas.provenance import Provenance

    lab = pd.Index(["S1", "S2"], name="sector")
    Z = pd.DataFrame([[150.0, -5.0], [200.0, 100.0]], index=lab, columns=lab)
    Y = pd.DataFrame({"f": [855.0, 1700.0]}, index=lab)
    x = Z.sum(axis=1) + Y["f"]
    V = pd.DataFrame([x - Z.sum(axis=0)], index=["va"], columns=lab)
    kw = dict(Z=Z, Y=Y, V=V, x=x, unit="u", layout="competitive", provenance=Provenance("t"))
    with pytest.raises(
        NegativeValueError, match=r"Z has 1 negative intermediate flows.*\(S1, S2\) = -5"
    ):
        IOTable(**kw)
    t = IOTable(**kw, negative_flows="allow")
    assert t.negative_flows == "allow" and (t.A.to_numpy() < 0).any()
    with pytest.raises(Exception, match="negative_flows"):
        IOTable(**kw, negative_flows="alow")


def test_real_provincial_tables_with_negative_cells_say_so() -> None:
    from chainatlas.datasets import load

    t = load("china-provincial-io:2002-浙江", progress=False)
    assert t.negative_flows == "allow"
    assert any("negative_flows='allow'" in s and "1 negative" in s for s in t.provenance.steps)
    clean = load("china-provincial-io:2012-浙江", progress=False)
    assert clean.negative_flows == "raise"


def _cli_commands():
    import typer

    from chainatlas.cli import app

    def walk(cmd, path):
        subs = getattr(cmd, "commands", None)
        if subs:
            for name, sub in subs.items():
                yield from walk(sub, (*path, name))
        else:
            yield path, cmd

    return list(walk(typer.main.get_command(app), ()))


def test_every_count_option_of_the_cli_is_bounded() -> None:
    """`--top -5` once returned all rows but the last five: every count option has a floor."""
    floors = {"--top": 1, "--k": 2}
    seen = 0
    for path, cmd in _cli_commands():
        for p in cmd.params:
            for opt in set(p.opts) & set(floors):
                seen += 1
                low = getattr(p, "min", None)
                assert low is not None and low >= floors[opt], (path, opt, low)
    assert seen >= 10


def _cli(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    import sys

    from chainatlas.cli import main

    monkeypatch.setattr(sys, "argv", ["chainatlas", *args])
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    cap = capsys.readouterr()
    return code, cap.out, cap.err


def test_io_balance_shows_an_unbalanced_file_and_sheet_works(monkeypatch, capsys, tmp_path) -> None:
    import json

    import pandas as pd

    bad = tmp_path / "bad.csv"
    bad.write_text(
        "label,S1,S2,households,x\nS1,150,500,350,1000\nS2,200,100,1700,2010\n"
        "value added,650,1400,,\n",
        encoding="utf-8",
    )
    code, _, err = _cli(monkeypatch, capsys, "io", "--unit", "USD", "linkages", str(bad))
    assert code == 2 and "BalanceError" in err
    code, out, err = _cli(
        monkeypatch, capsys, "io", "--unit", "USD", "balance", str(bad), "--format", "json"
    )
    assert code == 0, err
    payload = json.loads(out)
    assert payload["within_tolerance"] is False and payload["sectors_outside_tolerance"] == ["S2"]
    assert payload["max_row_gap"] == pytest.approx(10.0)
    xlsx = tmp_path / "two.xlsx"
    good = pd.read_csv(bad).replace({2010: 2000})
    with pd.ExcelWriter(xlsx) as w:
        pd.DataFrame({"note": ["cover sheet"]}).to_excel(w, sheet_name="cover", index=False)
        good.to_excel(w, sheet_name="table", index=False)
    code, out, err = _cli(
        monkeypatch,
        capsys,
        "io",
        "--unit",
        "USD",
        "--sheet",
        "table",
        "multipliers",
        str(xlsx),
        "--format",
        "json",
    )
    assert code == 0, err
    assert json.loads(out)["multipliers"]
    code, _, err = _cli(
        monkeypatch, capsys, "io", "--unit", "USD", "--sheet", "1", "balance", str(bad)
    )
    assert code == 2 and "--sheet applies to Excel files only" in err


MB = "label,S1,S2,households,x\nS1,150,500,350,1000\nS2,200,100,1700,2000\nvalue added,650,1400,,\n"


def test_read_table_encoding_and_column_mapping(monkeypatch, capsys, tmp_path) -> None:
    from chainatlas.io.user_tables import UserTableError, read_table

    text = MB.replace("S1", "农业").replace("label", "部门").replace(",x\n", ",总产出\n")
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes(text.encode("gbk"))
    mapping = {"部门": "label", "总产出": "x"}
    with pytest.raises(UserTableError, match="decodes as GBK/GB18030.*encoding='gb18030'"):
        read_table(gbk, unit="万元", columns=mapping)
    t = read_table(gbk, unit="万元", encoding="gb18030", columns=mapping)
    assert list(t.labels) == ["农业", "S2"] and t.x.tolist() == [1000.0, 2000.0]
    with pytest.raises(UserTableError, match="unknown text encoding 'gbkk'"):
        read_table(gbk, unit="万元", encoding="gbkk", columns=mapping)
    with pytest.raises(UserTableError, match=r"columns= names 1 header cells.*'总产值'"):
        read_table(gbk, unit="万元", encoding="gb18030", columns={"总产值": "x"})
    code, out, err = _cli(
        monkeypatch, capsys, "io", "--unit", "万元", "--encoding", "gb18030", "balance", str(gbk)
    )
    assert code == 2 and "no gross-output column 'x'" in err  # no mapping on the CLI: clear


def test_rows_with_extra_fields_and_merged_excel_headers_are_refused(tmp_path) -> None:
    import openpyxl

    from chainatlas.io.user_tables import UserTableError, read_table

    for line, text in (
        (2, MB.replace("350,1000", "350,1000,7")),
        (3, MB.replace("1700,2000", "1,700,2000")),
    ):
        p = tmp_path / f"extra{line}.csv"
        p.write_text(text, encoding="utf-8")
        with pytest.raises(UserTableError, match=f"line {line} has 6 fields, the header 5"):
            read_table(p, unit="USD")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["label", "CHN", None, "households", "x"])
    ws.append([None, "c1", "c2", None, None])
    ws.merge_cells("B1:C1")
    for row in (["CHN|c1", 150, 500, 350, 1000], ["CHN|c2", 200, 100, 1700, 2000]):
        ws.append(row)
    p = tmp_path / "merged.xlsx"
    wb.save(p)
    with pytest.raises(UserTableError, match=r"merged header cells \['B1:C1'\]"):
        read_table(p, unit="USD", layout="multi-region")


def _reference_losses(t, kind: str) -> np.ndarray:
    """Slow, obvious reference: build the modified system for each sector and solve it."""
    A, B = t.A.to_numpy(), t.B.to_numpy()
    x, f = t.x.to_numpy(float), t.f_net.to_numpy(float)
    v = x - B.T @ x
    n = len(x)
    out = np.zeros(n)
    for j in range(n):
        R = [i for i in range(n) if i != j]
        if kind == "complete":
            xr = np.linalg.solve(np.eye(n - 1) - A[np.ix_(R, R)], f[R])
            out[j] = x.sum() - xr.sum()
        elif kind == "joint":
            xr = np.linalg.solve(np.eye(n - 1) - A[np.ix_(R, R)], f[R])
            out[j] = x.sum() - xr.sum() - f[j] / (1 - A[j, j])
        elif kind == "backward":
            Ab = A.copy()
            Ab[R, j] = 0
            out[j] = x.sum() - np.linalg.solve(np.eye(n) - Ab, f).sum()
        elif kind == "forward":
            Bb = B.copy()
            Bb[j, R] = 0
            out[j] = x.sum() - np.linalg.solve((np.eye(n) - Bb).T, v).sum()
    return out


@pytest.mark.parametrize("kind", ["complete", "backward", "forward", "joint", "total"])
def test_extraction_kinds_match_a_slow_reference(kind: str) -> None:
    from chainatlas.datasets import load
    from chainatlas.io.extraction import extraction_loss, extraction_ranking

    t = load("china-io:2017-42", progress=False)
    want = (
        _reference_losses(t, "backward") + _reference_losses(t, "forward")
        if kind == "total"
        else _reference_losses(t, kind)
    )
    got = extraction_ranking(t, kind=kind).reindex(t.labels)["loss"].to_numpy()
    np.testing.assert_allclose(got, want, rtol=1e-9)
    j = int(np.argmax(want))
    one = extraction_loss(t, [t.labels[j]], kind=kind)
    assert one["loss"] == pytest.approx(want[j], rel=1e-9)
    assert extraction_ranking(t, kind=kind).attrs["kind"] == kind


def test_extraction_kinds_differ_and_unknown_kind_is_refused() -> None:
    from chainatlas.datasets import load
    from chainatlas.io.extraction import extraction_loss, extraction_ranking

    t = load("china-io:2017-42", progress=False)
    losses = {k: extraction_loss(t, ["25", "26"], kind=k)["loss"] for k in
              ("complete", "backward", "forward", "joint", "total")}  # fmt: skip
    assert losses["total"] == pytest.approx(losses["backward"] + losses["forward"], rel=1e-12)
    assert losses["joint"] < losses["complete"]  # joint keeps the group's own final demand
    assert len({round(v) for v in losses.values()}) == 5
    with pytest.raises(Exception, match="kind"):
        extraction_ranking(t, kind="completed")
