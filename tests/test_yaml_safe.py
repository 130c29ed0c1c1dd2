"""The shared safe YAML loader: duplicate keys, alias bombs, recursion, plain documents."""

from __future__ import annotations

import pytest

from chainatlas._yaml import YAMLInputError, load_yaml


def test_plain_document_and_merge_keys() -> None:
    assert load_yaml("a: 1\nb: {c: [1, 2]}\n") == {"a": 1, "b": {"c": [1, 2]}}
    assert load_yaml("") is None
    base = "base: &b {x: 1, y: 2}\nuse:\n  <<: *b\n  y: 3\n"
    assert load_yaml(base)["use"] == {"x": 1, "y": 3}
    # a few aliases of a small block are fine
    assert load_yaml("a: &a [1, 2]\nb: *a\nc: *a\n")["c"] == [1, 2]


def test_duplicate_key_refused_with_lines() -> None:
    with pytest.raises(YAMLInputError, match=r"scen.yaml: duplicate key 'model' \(lines 1 and 3\)"):
        load_yaml("model: ario\nname: x\nmodel: leontief\n", source="scen.yaml")
    with pytest.raises(YAMLInputError, match="duplicate key 'sector'"):
        load_yaml("events:\n  - {economy: JPN, sector: c14, sector: c2}\n")


def test_alias_bomb_refused() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n"
    prev = "a"
    for lvl in "bcdefghi":
        bomb += f"{lvl}: &{lvl} [" + ", ".join([f"*{prev}"] * 9) + "]\n"
        prev = lvl
    assert len(bomb) < 1000
    with pytest.raises(YAMLInputError, match="expands to more than 100,000 nodes"):
        load_yaml(bomb)
    with pytest.raises(YAMLInputError, match="more than 50 nodes"):
        load_yaml("a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9]\nb: [*a, *a, *a, *a, *a, *a]\n", max_nodes=50)


def test_recursive_alias_and_bad_syntax() -> None:
    with pytest.raises(YAMLInputError, match="recursive alias"):
        load_yaml("a: &a [1, *a]\n")
    with pytest.raises(YAMLInputError, match="not valid YAML"):
        load_yaml("a: [1, 2\n")
    with pytest.raises(YAMLInputError, match="not valid YAML"):
        load_yaml("a: !!python/object:os.system ls\n")
