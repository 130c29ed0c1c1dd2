"""Safe YAML reading for user files (安全读取 YAML): duplicate keys refused, alias expansion capped.

PyYAML's ``safe_load`` keeps the last of two equal keys without a word, and expands aliases
without limit (a "billion laughs" file of a few hundred bytes becomes 10⁹ nodes when validated or
dumped). :func:`load_yaml` refuses both:

* a mapping with the same key twice raises :class:`YAMLInputError` naming the key and its lines;
* the document's size with every alias expanded is counted on the composed node graph (each
  node once, shared subtrees memoised) before anything is constructed; beyond ``max_nodes``
  (default :data:`MAX_NODES`) it raises, as does a recursive alias (a node that contains itself).

Only YAML's safe tags are constructed (``yaml.SafeLoader``). Use it for scenarios, SME answer
files, indicator specs — any YAML a user hands in.

Examples
--------
>>> load_yaml("a: 1\\nb: [x, y]")
{'a': 1, 'b': ['x', 'y']}
>>> load_yaml("a: 1\\na: 2")
Traceback (most recent call last):
...
chainatlas._yaml.YAMLInputError: YAML text: duplicate key 'a' (lines 1 and 2); received: 'a'; fix: give each key once (the second value would silently replace the first)
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from chainatlas.errors import InputError

__all__ = ["load_yaml", "YAMLInputError", "MAX_NODES"]

#: Largest document accepted, counted in nodes with every alias expanded.
MAX_NODES = 100_000


class YAMLInputError(InputError):
    """A YAML text is not valid, has a duplicate key, or expands beyond the size limit."""


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate mapping keys."""

    source = "YAML text"

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                continue  # the base class raises its own clear error for unhashable keys
            line = key_node.start_mark.line + 1
            if key in seen:
                raise YAMLInputError(
                    f"{self.source}: duplicate key {key!r} (lines {seen[key]} and {line})",
                    received=key,
                    fix="give each key once (the second value would silently replace the first)",
                )
            seen[key] = line
        return super().construct_mapping(node, deep=deep)


def _expanded_size(root: Node, limit: int, source: str) -> int:
    """Nodes in the document with aliases expanded; raises beyond `limit` or on a cycle."""
    memo: dict[int, int] = {}
    active: set[int] = set()

    def size(node: Node) -> int:
        key = id(node)
        if key in memo:
            return memo[key]
        if key in active:
            raise YAMLInputError(
                f"{source}: a recursive alias (a node that contains itself)",
                fix="remove the anchor/alias cycle",
            )
        active.add(key)
        total = 1
        if isinstance(node, SequenceNode):
            total += sum(size(child) for child in node.value)
        elif isinstance(node, MappingNode):
            total += sum(size(k) + size(v) for k, v in node.value)
        active.discard(key)
        if total > limit:
            raise YAMLInputError(
                f"{source}: the document expands to more than {limit:,} nodes (aliases expanded)",
                received=f"> {limit:,} nodes",
                fix="write the values out instead of nesting aliases (anchors/aliases that "
                "repeat large blocks are refused as a 'billion laughs' guard)",
            )
        memo[key] = total
        return total

    if isinstance(root, ScalarNode | SequenceNode | MappingNode):
        return size(root)
    return 0


def load_yaml(text: str, *, source: str = "YAML text", max_nodes: int = MAX_NODES) -> Any:
    """Parse one YAML document safely (safe tags only, duplicate keys and alias bombs refused).

    Parameters
    ----------
    text : str
        The YAML document.
    source : str
        Name used in error messages (e.g. the file name).
    max_nodes : int
        Largest accepted size, in nodes with every alias expanded.

    Returns
    -------
    The constructed Python object (None for an empty document).

    Raises
    ------
    YAMLInputError
        Invalid YAML, a duplicate key, a recursive alias, or more than `max_nodes` nodes.
    """
    loader = _StrictLoader(text)
    loader.source = source
    try:
        root = loader.get_single_node()
        if root is None:
            return None
        _expanded_size(root, max_nodes, source)
        return loader.construct_document(root)
    except yaml.YAMLError as err:
        first = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise YAMLInputError(
            f"{source} is not valid YAML", received=first, fix="check the indentation and quotes"
        ) from None
    finally:
        loader.dispose()
