"""Network kernels against slow, obviously-correct references (NetworkX, dense algebra, loops)."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp

from chainatlas.kernels import networks as kn


def _random_graph(n: int = 30, p: float = 0.2, seed: int = 0) -> sp.csr_matrix:
    rng = np.random.default_rng(seed)
    M = (rng.random((n, n)) < p) * rng.integers(1, 100, (n, n)).astype(float)
    np.fill_diagonal(M, 0.0)
    return sp.csr_matrix(M)


def test_disparity_alpha_matches_loop_reference() -> None:
    W = _random_graph()
    D = W.toarray()
    rows, cols, a = kn.disparity_alpha(W)
    for r, c, got in zip(rows, cols, a, strict=True):
        k_out, k_in = (D[r] > 0).sum(), (D[:, c] > 0).sum()
        a_out = (1 - D[r, c] / D[r].sum()) ** (k_out - 1)
        a_in = (1 - D[r, c] / D[:, c].sum()) ** (k_in - 1)
        assert got == pytest.approx(min(a_out, a_in), rel=1e-12)


def test_disparity_filter_keeps_the_dominant_edge_only() -> None:
    # hub sends 90 to one customer and 1 to each of 9 others: only the 90 edge is significant
    D = np.zeros((11, 11))
    D[0, 1] = 90
    D[0, 2:] = 1
    # give every customer a second supplier so the in-side test does not keep the small edges
    D[10, 1:10] = 50
    kept = kn.disparity_filter(sp.csr_matrix(D), alpha=0.05).toarray()
    assert kept[0, 1] == 90
    assert kept[0, 2:10].sum() == 0


def test_flow_share_backbone_matches_reference() -> None:
    W = _random_graph(seed=3)
    D = W.toarray()
    got = kn.flow_share_backbone(W, threshold=0.2).toarray()
    with np.errstate(invalid="ignore", divide="ignore"):
        keep = (D / D.sum(1, keepdims=True) >= 0.2) | (D / D.sum(0, keepdims=True) >= 0.2)
    np.testing.assert_array_equal(got, np.where(keep & (D > 0), D, 0.0))


def test_jaccard_overlap_matches_python_sets() -> None:
    rng = np.random.default_rng(1)
    a = rng.integers(-1, 6, 200)
    b = rng.integers(-1, 8, 200)
    i, j, J = kn.jaccard_overlap(kn.indicator_matrix(a), kn.indicator_matrix(b))
    got = {(int(x), int(y)): v for x, y, v in zip(i, j, J, strict=True)}
    for x in range(a.max() + 1):
        for y in range(b.max() + 1):
            A, B = set(np.nonzero(a == x)[0]), set(np.nonzero(b == y)[0])
            ref = len(A & B) / len(A | B) if A & B else 0.0
            assert got.get((x, y), 0.0) == pytest.approx(ref, rel=1e-12)


def test_reverse_pagerank_matches_networkx() -> None:
    W = _random_graph(n=40, p=0.1, seed=5)
    G = nx.DiGraph()
    G.add_nodes_from(range(40))
    C = W.tocoo()
    # reversed graph: customer -> supplier with the same weight
    G.add_weighted_edges_from(zip(C.col.tolist(), C.row.tolist(), C.data.tolist(), strict=True))
    ref = nx.pagerank(G, alpha=0.85, weight="weight", tol=1e-14, max_iter=1000)
    got = kn.reverse_pagerank(W, damping=0.85)
    np.testing.assert_allclose(got, [ref[k] for k in range(40)], rtol=1e-8, atol=1e-12)


def test_downstream_reach_matches_dense_solve() -> None:
    W = _random_graph(n=25, p=0.25, seed=7)
    D = W.toarray()
    s_in = D.sum(0)
    A = D / np.where(s_in > 0, s_in, 1.0)
    decay = 0.5
    # Σ_k decay^(k-1) A^k 1 = A (I - decay A)^{-1} 1
    ref = A @ np.linalg.solve(np.eye(25) - decay * A, np.ones(25))
    np.testing.assert_allclose(kn.downstream_reach(W, decay=decay), ref, rtol=1e-9)
