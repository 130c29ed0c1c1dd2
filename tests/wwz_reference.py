"""Slow, obviously correct WWZ (2013, eq. 37) and KWW (2014, eq. 36): one loop per Σ in the paper.

Written straight from the equations with explicit block indexing (s exporter, r importer, t, u
third economies), no shared intermediate results, for small tables only (used by the tests and
``benchmarks/bench_gvc.py`` to check the block-structured kernel in chainatlas.kernels.gvc).
"""

from __future__ import annotations

import numpy as np

TERMS = (
    "DVA_FIN",
    "DVA_INT",
    "DVA_INTrexI1",
    "DVA_INTrexF",
    "DVA_INTrexI2",
    "RDV_INT",
    "RDV_FIN",
    "RDV_FIN2",
    "OVA_FIN",
    "MVA_FIN",
    "OVA_INT",
    "MVA_INT",
    "DDC_FIN",
    "DDC_INT",
    "ODC",
    "MDC",
)


def _blocks(A, Y, x, v, G, N):
    def blk(M, s, r):
        return M[s * N : (s + 1) * N, r * N : (r + 1) * N]

    B = np.linalg.inv(np.eye(G * N) - A)
    Bb = {(s, r): blk(B, s, r) for s in range(G) for r in range(G)}
    Ab = {(s, r): blk(A, s, r) for s in range(G) for r in range(G)}
    L = {s: np.linalg.inv(np.eye(N) - Ab[s, s]) for s in range(G)}
    Yb = {(s, r): Y[s * N : (s + 1) * N, r] for s in range(G) for r in range(G)}
    X = {s: x[s * N : (s + 1) * N] for s in range(G)}
    V = {s: v[s * N : (s + 1) * N] for s in range(G)}
    E = {(s, r): Ab[s, r] @ X[r] + Yb[s, r] for s in range(G) for r in range(G) if s != r}
    Estar = {s: sum(E[s, r] for r in range(G) if r != s) for s in range(G)}
    return Bb, Ab, L, Yb, X, V, E, Estar


def wwz_reference(A, Y, x, v, G, N):
    """(16, G·N, G) array of WWZ terms, one explicit formula per term (eq. 37)."""
    Bb, Ab, L, Yb, X, V, E, Estar = _blocks(A, Y, x, v, G, N)
    out = np.zeros((16, G * N, G))
    for s in range(G):
        VsBss = V[s] @ Bb[s, s]
        VsLss = V[s] @ L[s]
        for r in range(G):
            if r == s:
                continue
            third = [t for t in range(G) if t not in (s, r)]
            Asr = Ab[s, r]
            VrBrs = V[r] @ Bb[r, s]
            VtBts = sum((V[t] @ Bb[t, s] for t in third), np.zeros(N))
            terms = {
                "DVA_FIN": VsBss * Yb[s, r],
                "DVA_INT": VsLss * (Asr @ Bb[r, r] @ Yb[r, r]),
                "DVA_INTrexI1": VsLss * (Asr @ sum((Bb[r, t] @ Yb[t, t] for t in third), 0)),
                "DVA_INTrexF": VsLss * (Asr @ Bb[r, r] @ sum((Yb[r, t] for t in third), 0)),
                "DVA_INTrexI2": VsLss
                * (
                    Asr
                    @ sum(
                        (
                            Bb[r, t] @ sum((Yb[t, u] for u in range(G) if u not in (s, t)), 0)
                            for t in third
                        ),
                        0,
                    )
                ),
                "RDV_INT": VsLss * (Asr @ Bb[r, s] @ Yb[s, s]),
                "RDV_FIN": VsLss * (Asr @ Bb[r, r] @ Yb[r, s]),
                "RDV_FIN2": VsLss * (Asr @ sum((Bb[r, t] @ Yb[t, s] for t in third), 0)),
                "OVA_FIN": VtBts * Yb[s, r],
                "MVA_FIN": VrBrs * Yb[s, r],
                "OVA_INT": VtBts * (Asr @ L[r] @ Yb[r, r]),
                "MVA_INT": VrBrs * (Asr @ L[r] @ Yb[r, r]),
                "DDC_FIN": VsLss
                * (Asr @ Bb[r, s] @ sum((Yb[s, t] for t in range(G) if t != s), 0)),
                "DDC_INT": (VsBss - VsLss) * (Asr @ X[r]),
                "ODC": VtBts * (Asr @ L[r] @ Estar[r]),
                "MDC": VrBrs * (Asr @ L[r] @ Estar[r]),
            }
            for k, name in enumerate(TERMS):
                out[k, s * N : (s + 1) * N, r] = terms[name]
    return out


def kww_reference(A, Y, x, v, G, N):
    """(9, G) KWW terms per exporter from KWW (2014) eq. (36), explicit sums."""
    Bb, Ab, L, Yb, X, V, E, Estar = _blocks(A, Y, x, v, G, N)
    out = np.zeros((9, G))
    for s in range(G):
        others = [r for r in range(G) if r != s]
        out[0, s] = sum(V[s] @ Bb[s, s] @ Yb[s, r] for r in others)
        out[1, s] = sum(V[s] @ Bb[s, r] @ Yb[r, r] for r in others)
        out[2, s] = sum(
            V[s] @ Bb[s, r] @ Yb[r, t] for r in others for t in range(G) if t not in (s, r)
        )
        out[3, s] = sum(V[s] @ Bb[s, r] @ Yb[r, s] for r in others)
        out[4, s] = sum(V[s] @ Bb[s, r] @ Ab[r, s] @ L[s] @ Yb[s, s] for r in others)
        out[5, s] = sum(V[s] @ Bb[s, r] @ Ab[r, s] @ L[s] @ Estar[s] for r in others)
        fva = sum(V[t] @ Bb[t, s] for t in others)
        out[6, s] = sum(fva @ Yb[s, r] for r in others)
        out[7, s] = sum(fva @ Ab[s, r] @ L[r] @ Yb[r, r] for r in others)
        out[8, s] = sum(fva @ Ab[s, r] @ L[r] @ Estar[r] for r in others)
    return out
