"""The layers of chainatlas, enforced by reading every module's imports (also inside functions).

1. ``kernels`` — numpy/scipy arrays in, arrays out;
2. domain packages — labelled pandas objects (``io``, ``chains``, ``resilience``, ``clusters``,
   ``complexity``, ``ecosystems``, ``sme``, ``scorecard``, ``regions``);
3. ``datasets`` — the registry and loaders;
4. ``pipelines`` — one module per question, returning a context;
5. presentation — ``report``, ``cli``, ``web``, ``service``.

An inner layer never imports an outer one; the low shared modules (``errors``, ``provenance``,
``validation``, ``progress``, ``_files``, ``_atomic``, ``geo``) import only each other and may be
imported by all; no two packages import each other, directly or through others. Domain and
kernel code does not import plotly, rich, typer, jinja2 or fastapi.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "chainatlas"

LOW = {
    "__init__",
    "errors",
    "provenance",
    "validation",
    "progress",
    "_files",
    "_atomic",
    "_yaml",
    "geo",
}
LAYER = {
    "kernels": 1,
    **{p: 2 for p in ("io", "chains", "resilience", "clusters", "complexity", "ecosystems")},
    "sme": 2,
    "scorecard": 2,
    "regions": 2,
    "datasets": 3,
    "pipelines": 4,
    **{p: 5 for p in ("report", "cli", "web", "service")},
}
#: third-party packages that draw or serve: presentation (and pipelines, for figure specs) only
PRESENTATION_LIBS = {"plotly": 4, "rich": 5, "typer": 5, "jinja2": 5, "fastapi": 5, "uvicorn": 5}


def _module_name(path: Path, root: Path) -> str:
    rel = path.relative_to(root.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _package(module: str) -> str:
    """Top-level part of a chainatlas module: ``chainatlas.io.table`` → ``io``."""
    parts = module.split(".")
    return "__init__" if len(parts) == 1 else parts[1]


def _imports(path: Path, root: Path) -> list[tuple[str, int]]:
    """Every module imported by the file (absolute names), with its line; all scopes."""
    module = _module_name(path, root)
    is_pkg = path.name == "__init__.py"
    out = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            out += [(a.name, node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".") if is_pkg else module.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            out.append((name, node.lineno))
    return out


def _graph(root: Path = SRC) -> tuple[dict[str, set[str]], list[str]]:
    """Package graph and the list of layering violations of the package at `root`."""
    edges: dict[str, set[str]] = defaultdict(set)
    bad: list[str] = []
    for path in sorted(p for p in root.rglob("*.py") if "__pycache__" not in p.parts):
        src = _package(_module_name(path, root))
        where = f"{path.relative_to(root.parent)}"
        for name, line in _imports(path, root):
            top = name.split(".")[0]
            if top in PRESENTATION_LIBS and LAYER.get(src, 0) < PRESENTATION_LIBS[top]:
                bad.append(f"{where}:{line} imports {name} (a presentation library)")
            if top != "chainatlas":
                continue
            dst = _package(name)
            if dst == src:
                continue
            edges[src].add(dst)
            if src in LOW:
                if dst not in LOW:
                    bad.append(f"{where}:{line}: low module imports {name}")
                continue
            if dst in LOW:
                continue
            if src not in LAYER or dst not in LAYER:
                bad.append(f"{where}:{line}: package not in the layer map ({src} → {dst})")
            elif LAYER[dst] > LAYER[src]:
                bad.append(f"{where}:{line}: layer {LAYER[src]} ({src}) imports {name}")
    return edges, bad


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one package (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def test_every_package_is_in_the_layer_map() -> None:
    packages = {p.name for p in SRC.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    modules = {p.stem for p in SRC.glob("*.py")}
    unknown = (packages | modules) - set(LAYER) - LOW
    assert not unknown, f"add {sorted(unknown)} to LAYER (or LOW) in tests/test_layering.py"


def test_no_import_from_an_inner_layer_to_an_outer_one() -> None:
    _, bad = _graph()
    assert not bad, "layering violations:\n" + "\n".join(bad)


def test_no_cycle_between_packages() -> None:
    edges, _ = _graph()
    assert _cycles(edges) == []


def test_the_checker_sees_imports_inside_functions(tmp_path) -> None:
    """A deferred import in a function counts like a top-level one."""
    pkg = tmp_path / "chainatlas"
    (pkg / "io").mkdir(parents=True)
    (pkg / "datasets").mkdir()
    for d in (pkg, pkg / "io", pkg / "datasets"):
        (d / "__init__.py").write_text("")
    (pkg / "io" / "t.py").write_text("def f():\n    from chainatlas.datasets import load\n")
    (pkg / "datasets" / "r.py").write_text("from ..io import t\n")
    edges, bad = _graph(pkg)
    assert any("io/t.py:2" in b for b in bad)
    assert _cycles(edges) == [["datasets", "io"]]


@pytest.mark.parametrize("name", ["plotly.graph_objects", "rich.progress"])
def test_domain_code_does_not_draw(name: str) -> None:
    _, bad = _graph()
    assert not [b for b in bad if name.split(".")[0] in b and "presentation library" in b]


def test_every_registered_module_imports() -> None:
    """CLI groups, report sections and dataset loaders listed in a registry all exist."""
    import importlib

    from chainatlas.cli import SUBCOMMANDS
    from chainatlas.datasets.specs import LOADER_MODULES
    from chainatlas.pipelines.atlas import SECTION_BUILDERS

    for name in [*SUBCOMMANDS.values(), *SECTION_BUILDERS, *LOADER_MODULES.values()]:
        importlib.import_module(name)


def test_a_missing_section_module_fails_loudly(monkeypatch) -> None:
    from chainatlas.pipelines import atlas

    monkeypatch.setattr(atlas, "SECTION_BUILDERS", ["chainatlas.pipelines.sections.nope"])
    with pytest.raises(ModuleNotFoundError, match="nope"):
        atlas._builders()
