"""Gross-export decomposition kernels (出口分解内核): Wang–Wei–Zhu (WWZ) and Koopman–Wang–Wei (KWW).

Pure numpy: arrays in, arrays out. A world table has ``G`` economies of ``N`` sectors each, in
economy blocks (rows ``s·N … s·N + N − 1`` belong to economy ``s``), ``n = G·N``.

Notation (WWZ 2013, §2): A the global coefficients, B = (I − A)⁻¹ the global Leontief inverse with
blocks B_sr, L_ss = (I − A_ss)⁻¹ the *local* Leontief inverse of economy s, V_s the value-added
coefficients of s's sectors (row vector), Y_sr final goods made in s and bought in r, X_r gross
output, E_sr = A_sr X_r + Y_sr bilateral gross exports, E_s* = Σ_{r≠s} E_sr. ``#`` is the
element-wise product: every term below is an N-vector over the exporter's sectors.

WWZ (2013) eq. (37) — the 16 terms of E_sr, with decompr's names::

    DVA_FIN      (V_s B_ss)ᵀ # Y_sr
    DVA_INT      (V_s L_ss)ᵀ # (A_sr B_rr Y_rr)
    DVA_INTrexI1 (V_s L_ss)ᵀ # (A_sr Σ_{t≠s,r} B_rt Y_tt)
    DVA_INTrexF  (V_s L_ss)ᵀ # (A_sr B_rr Σ_{t≠s,r} Y_rt)
    DVA_INTrexI2 (V_s L_ss)ᵀ # (A_sr Σ_{t≠s,r} B_rt Σ_{u≠s,t} Y_tu)
    RDV_INT      (V_s L_ss)ᵀ # (A_sr B_rs Y_ss)
    RDV_FIN      (V_s L_ss)ᵀ # (A_sr B_rr Y_rs)
    RDV_FIN2     (V_s L_ss)ᵀ # (A_sr Σ_{t≠s,r} B_rt Y_ts)
    OVA_FIN      (Σ_{t≠s,r} V_t B_ts)ᵀ # Y_sr
    MVA_FIN      (V_r B_rs)ᵀ # Y_sr
    OVA_INT      (Σ_{t≠s,r} V_t B_ts)ᵀ # (A_sr L_rr Y_rr)
    MVA_INT      (V_r B_rs)ᵀ # (A_sr L_rr Y_rr)
    DDC_FIN      (V_s L_ss)ᵀ # (A_sr B_rs Σ_{t≠s} Y_st)
    DDC_INT      (V_s B_ss − V_s L_ss)ᵀ # (A_sr X_r)
    ODC          (Σ_{t≠s,r} V_t B_ts)ᵀ # (A_sr L_rr E_r*)
    MDC          (V_r B_rs)ᵀ # (A_sr L_rr E_r*)

The first ten sum to (V_s B_ss)ᵀ # E_sr (domestic content, HIY's 1 − VS share), the last six to
(Σ_{t≠s} V_t B_ts)ᵀ # E_sr (foreign content, VS), so the 16 sum to E_sr whenever VB = 1ᵀ and
X = A X + Y 1 hold exactly.

**Block-structured computation.** Every "A_sr w" term needs, for exporter s and importer r, an
N-vector w over r's sectors that may depend on s: stored as one (n × G) array W with W[(r, j), s],
the contraction Σ_j A[(s, i), (r, j)] W[(r, j), s] is one einsum over A viewed as (G, N, G, N):
O(n²) work, no (n × n × G) tensor. The vectors themselves come from 4 products of B with (n × G)
matrices (B D_Y, B D_E, B Y_off, B Y_fx) and block-diagonal products with B_rr and L_rr.

References
----------
Wang, Z., Wei, S.-J. and Zhu, K. (2013), Quantifying international production sharing at the
bilateral and sector levels, NBER Working Paper 19677 (eq. 37; Table E2 maps it to KWW).
Koopman, R., Wang, Z. and Wei, S.-J. (2014), Tracing value-added and double counting in gross
exports, *American Economic Review* 104(2): 459–494 (eq. 36).
Quast, B. and Kummritz, V. (2015), decompr: Global value chain decomposition in R, Graduate
Institute Geneva CTEI Working Paper 2015-01 (R package decompr: term names and order).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]

__all__ = [
    "WWZ_TERMS",
    "KWW_TERMS",
    "WWZ_TO_KWW",
    "WWZ_GROUPS",
    "WWZWorld",
    "wwz_world",
    "wwz_terms",
    "kww_terms",
    "wwz_to_kww",
    "block_diagonal_inverse",
]

#: WWZ's 16 terms, in decompr's column order
WWZ_TERMS: tuple[str, ...] = (
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

#: KWW's 9 terms (KWW 2014 Figure 1; decompr's names)
KWW_TERMS: tuple[str, ...] = (
    "DVA_FIN",
    "DVA_INT",
    "DVA_INTrex",
    "RDV_FIN",
    "RDV_INT",
    "DDC",
    "FVA_FIN",
    "FVA_INT",
    "FDC",
)

#: WWZ (2013) Table E2: which WWZ terms make each KWW term
WWZ_TO_KWW: dict[str, tuple[str, ...]] = {
    "DVA_FIN": ("DVA_FIN",),
    "DVA_INT": ("DVA_INT", "DVA_INTrexI1"),
    "DVA_INTrex": ("DVA_INTrexF", "DVA_INTrexI2"),
    "RDV_FIN": ("RDV_FIN", "RDV_FIN2"),
    "RDV_INT": ("RDV_INT",),
    "DDC": ("DDC_FIN", "DDC_INT"),
    "FVA_FIN": ("MVA_FIN", "OVA_FIN"),
    "FVA_INT": ("MVA_INT", "OVA_INT"),
    "FDC": ("MDC", "ODC"),
}

#: the four broad groups of WWZ (2013) Figure 1: DVA absorbed abroad (VAX-like), returned DVA,
#: foreign value added, pure double counting (domestic and foreign)
WWZ_GROUPS: dict[str, tuple[str, ...]] = {
    "DVA": ("DVA_FIN", "DVA_INT", "DVA_INTrexI1", "DVA_INTrexF", "DVA_INTrexI2"),
    "RDV": ("RDV_INT", "RDV_FIN", "RDV_FIN2"),
    "FVA": ("OVA_FIN", "MVA_FIN", "OVA_INT", "MVA_INT"),
    "PDC": ("DDC_FIN", "DDC_INT", "ODC", "MDC"),
}


def block_diagonal_inverse(M: Array, G: int, N: int) -> Array:
    """Inverse of each diagonal block of (I − M): (G, N, N), block r = (I − M_rr)⁻¹.

    Examples
    --------
    >>> block_diagonal_inverse(np.array([[0.5, 0.1], [0.2, 0.0]]), 2, 1).ravel().tolist()
    [2.0, 1.0]
    """
    blocks = M.reshape(G, N, G, N)[np.arange(G), :, np.arange(G), :]  # (G, N, N)
    return np.asarray(np.linalg.inv(np.eye(N)[None, :, :] - blocks), dtype=np.float64)


def _block_apply(blocks: Array, M: Array, G: int, N: int) -> Array:
    """Block-diagonal product: rows of economy r of the result are blocks[r] @ M[rows of r]."""
    k = M.shape[1] if M.ndim == 2 else None
    Mr = M.reshape(G, N, -1)
    out = np.einsum("rij,rjk->rik", blocks, Mr)
    return out.reshape(G * N, k) if k is not None else out.reshape(G * N)


def _spread(vec: Array, G: int, N: int) -> Array:
    """(n,) → (n, G): column t holds vec on economy t's rows and 0 elsewhere (D = diag blocks)."""
    out = np.zeros((G, N, G))
    out[np.arange(G), :, np.arange(G)] = vec.reshape(G, N)
    return out.reshape(G * N, G)


class WWZWorld:
    """Shared pieces of the WWZ/KWW formulas for one world table (built by :func:`wwz_world`).

    Attributes are arrays over the n = G·N economy-sectors: ``A4`` (A as (G, N, G, N)), ``B``
    (global Leontief inverse), ``Bd``/``Ld`` (G, N, N) diagonal blocks of B and local inverses,
    ``Y`` (n, G) final goods by destination, ``Yoff`` (exports only), ``Ydiag`` (n,) own final
    use, ``Yfx`` (n,) final-goods exports, ``Eint``/``E`` (n, G) intermediate and gross
    bilateral exports (zero on the own-economy column), ``Etot`` (n,) E_s*, ``x``, ``v`` (n,), ``VBc``
    (G, n) Σ_{k∈t} v_k B_ki, ``cB``/``cL`` (n,) V_s B_ss and V_s L_ss.
    """

    def __init__(self, A: Array, v: Array, x: Array, Y: Array, G: int, N: int, B: Array) -> None:
        n = G * N
        self.G, self.N, self.n = G, N, n
        self.A4 = A.reshape(G, N, G, N)
        self.B = B
        self.x = x
        self.v = v
        own = np.zeros((n, G), dtype=bool)
        own[np.arange(n), np.repeat(np.arange(G), N)] = True
        self.own = own
        self.Y = Y
        self.Ydiag = Y[own]
        self.Yoff = np.where(own, 0.0, Y)
        self.Yfx = self.Yoff.sum(axis=1)
        self.Bd = B.reshape(G, N, G, N)[np.arange(G), :, np.arange(G), :].copy()
        self.Ld = block_diagonal_inverse(A, G, N)
        self.Eint = self.a_apply(np.broadcast_to(x[:, None], (n, G)))
        self.E = self.Eint + self.Yoff
        self.Etot = self.E.sum(axis=1)
        vb = (v[:, None] * B).reshape(G, N, n).sum(axis=1)  # (G, n)
        self.VBc = vb
        region = np.repeat(np.arange(G), N)
        self.cB = vb[region, np.arange(n)]
        self.cL = (v.reshape(G, N)[:, :, None] * self.Ld).sum(axis=1).reshape(n)

    def a_apply(self, W: Array) -> Array:
        """(n, G) → (n, G): out[(s, i), r] = Σ_j A_sr[i, j] W[(r, j), s]; 0 on r = s."""
        G, N = self.G, self.N
        out = np.einsum("sirj,rjs->sir", self.A4, W.reshape(G, N, G)).reshape(self.n, G)
        out[self.own] = 0.0
        return out

    def a_apply_vec(self, w: Array) -> Array:
        """(n,) → (n, G): out[(s, i), r] = (A_sr w_r)_i, for a w that does not depend on s."""
        out = np.einsum("sirj,rj->sir", self.A4, w.reshape(self.G, self.N)).reshape(self.n, self.G)
        out[self.own] = 0.0
        return out

    def foreign_coefficients(self) -> tuple[Array, Array]:
        """(V_r B_rs)_i and (Σ_{t≠s,r} V_t B_ts)_i as (n, G) arrays (importer r in columns)."""
        MV = self.VBc.T.copy()  # (n, G): MV[i, r] = Σ_{k∈r} v_k B_ki
        MV[self.own] = 0.0
        foreign_total = self.VBc.sum(axis=0) - self.cB  # Σ_{t≠s} V_t B_ts
        OV = foreign_total[:, None] - MV
        OV[self.own] = 0.0
        return MV, OV


def wwz_world(A: Array, v: Array, x: Array, Y: Array, G: int, N: int, *, B: Array) -> WWZWorld:
    """Precompute the shared pieces for :func:`wwz_terms` and :func:`kww_terms`.

    Parameters
    ----------
    A : ndarray, shape (n, n)
        Global technical coefficients, economy blocks of N sectors in economy order.
    v : ndarray, shape (n,)
        Value-added coefficients (value added / gross output).
    x : ndarray, shape (n,)
        Gross output, with x = A x + Y 1 (rows balance).
    Y : ndarray, shape (n, G)
        Final goods by destination economy (final-demand categories summed).
    G, N : int
        Economies and sectors per economy.
    B : ndarray, shape (n, n)
        The global Leontief inverse (I − A)⁻¹.

    Returns
    -------
    WWZWorld
        The blocks, local inverses, exports and value-added coefficient sums used by
        :func:`wwz_terms` and :func:`kww_terms` (O(n·G + n²) memory).
    """
    return WWZWorld(A, v, x, Y, G, N, B)


def wwz_terms(w: WWZWorld) -> Array:
    """The 16 WWZ terms of every exporter-sector × importer (WWZ 2013 eq. 37).

    Parameters
    ----------
    w : WWZWorld
        From :func:`wwz_world`.

    Returns
    -------
    ndarray, shape (16, n, G)
        ``out[k, (s, i), r]`` is term ``WWZ_TERMS[k]`` of sector i of s's exports to r, in the
        table's unit; the own-economy column r = s is 0. The sum over k equals ``w.E``.

    Examples
    --------
    >>> A = np.array([[0.1, 0.2], [0.3, 0.1]]); Y = np.array([[5.0, 3.0], [2.0, 6.0]])
    >>> B = np.linalg.inv(np.eye(2) - A); x = B @ Y.sum(1); v = 1 - A.sum(0)
    >>> w = wwz_world(A, v, x, Y, 2, 1, B=B)
    >>> bool(np.allclose(wwz_terms(w).sum(0), w.E))
    True
    """
    G, N = w.G, w.N
    P = w.B @ _spread(w.Ydiag, G, N)  # P[j, s] = (B_{r(j) s} Y_ss)_j
    F = w.B @ _spread(w.Yfx, G, N)  # F[j, s] = (B_{r(j) s} Y_s*)_j
    R = w.B @ w.Yoff  # R[j, s] = Σ_{t≠s} (B_{r(j) t} Y_ts)_j
    BYfx = w.B @ w.Yfx
    Q = _block_apply(w.Bd, w.Yoff, G, N)  # Q[j, s] = (B_rr Y_rs)_j
    BdYfx = Q.sum(axis=1)
    own = P[w.own]  # (B_rr Y_rr)_j
    LdY = _block_apply(w.Ld, w.Ydiag, G, N)
    LdE = _block_apply(w.Ld, w.Etot, G, N)
    MV, OV = w.foreign_coefficients()
    cL = w.cL[:, None]
    ay = w.a_apply_vec(LdY)
    ae = w.a_apply_vec(LdE)
    terms = {
        "DVA_FIN": w.cB[:, None] * w.Yoff,
        "DVA_INT": cL * w.a_apply_vec(own),
        "DVA_INTrexI1": cL * w.a_apply(P.sum(axis=1)[:, None] - own[:, None] - P),
        "DVA_INTrexF": cL * w.a_apply(BdYfx[:, None] - Q),
        "DVA_INTrexI2": cL * w.a_apply((BYfx - BdYfx)[:, None] - F - (R - Q)),
        "RDV_INT": cL * w.a_apply(P),
        "RDV_FIN": cL * w.a_apply(Q),
        "RDV_FIN2": cL * w.a_apply(R - Q),
        "OVA_FIN": OV * w.Yoff,
        "MVA_FIN": MV * w.Yoff,
        "OVA_INT": OV * ay,
        "MVA_INT": MV * ay,
        "DDC_FIN": cL * w.a_apply(F),
        "DDC_INT": (w.cB - w.cL)[:, None] * w.Eint,
        "ODC": OV * ae,
        "MDC": MV * ae,
    }
    return np.stack([terms[k] for k in WWZ_TERMS])


def wwz_to_kww(wwz: Array) -> Array:
    """Map WWZ terms (16, …) to KWW terms (9, …) by WWZ (2013) Table E2 (sums of terms).

    Parameters
    ----------
    wwz : ndarray, shape (16, ...)
        Terms in :data:`WWZ_TERMS` order.

    Returns
    -------
    ndarray, shape (9, ...)
        Terms in :data:`KWW_TERMS` order (e.g. DVA_INT = DVA_INT + DVA_INTrexI1).

    Examples
    --------
    >>> wwz_to_kww(np.arange(16.0))[:3].tolist()
    [0.0, 3.0, 7.0]
    """
    idx = {k: i for i, k in enumerate(WWZ_TERMS)}
    return np.stack([sum(wwz[idx[t]] for t in WWZ_TO_KWW[k]) for k in KWW_TERMS])


def kww_terms(w: WWZWorld) -> Array:
    """KWW (2014) eq. (36): the 9 terms of each economy's gross exports E_s*, from its own formulas.

    For exporter s (V_s a row vector, sums over sectors):

    * DVA_FIN = V_s B_ss Σ_{r≠s} Y_sr; DVA_INT = Σ_{r≠s} V_s B_sr Y_rr;
      DVA_INTrex = Σ_{r≠s} Σ_{t≠s,r} V_s B_sr Y_rt;
    * RDV_FIN = Σ_{r≠s} V_s B_sr Y_rs; RDV_INT = Σ_{r≠s} V_s B_sr A_rs L_ss Y_ss;
      DDC = Σ_{r≠s} V_s B_sr A_rs L_ss E_s*;
    * FVA_FIN = Σ_{t≠s} V_t B_ts Σ_{r≠s} Y_sr; FVA_INT = Σ_{t≠s} V_t B_ts Σ_{r≠s} A_sr L_rr Y_rr;
      FDC = Σ_{t≠s} V_t B_ts Σ_{r≠s} A_sr L_rr E_r*.

    These are forward-looking (B_sr, value added of s in r's absorption) where WWZ uses
    backward-looking sector splits; summed over an economy's sectors they equal WWZ's terms
    mapped by Table E2 (tested). Only the economy totals are meaningful (decompr: "sector level
    is false, only aggregated is correct").

    Returns
    -------
    ndarray, shape (9, G)
        Terms ``KWW_TERMS`` for each exporting economy, in the table's unit.
    """
    G, N, n = w.G, w.N, w.n
    region = np.repeat(np.arange(G), N)
    S_v = w.VBc  # (G, n): Σ_{k∈s} v_k B_k,·  — row s is V_s B_s· over all columns
    # V_s B_s· applied to (n, G) final demand: VBY[s, r] = Σ_t V_s B_st Y_tr
    VBY = S_v @ w.Y  # (G, G)
    vae = VBY.sum(axis=1) - np.diag(VBY)  # value-added exports of s (absorbed abroad)
    # T1: V_s B_ss Y_s* (final exports); T2: Σ_{r≠s} V_s B_sr Y_rr
    own_cols = region[None, :] == np.arange(G)[:, None]  # (G, n): column in s
    T1 = np.array([S_v[s, own_cols[s]] @ w.Yfx[own_cols[s]] for s in range(G)])
    VBYd = S_v * w.Ydiag[None, :]  # (G, n)
    T2 = np.where(own_cols, 0.0, VBYd).sum(axis=1)
    T3 = vae - T1 - T2
    # T4: Σ_{r≠s} V_s B_sr Y_rs
    T4 = np.array([(np.where(own_cols[s], 0.0, S_v[s]) @ w.Y[:, s]) for s in range(G)])
    # T5, T6: Σ_{r≠s} V_s B_sr A_rs L_ss (Y_ss | E_s*)
    LdY = _block_apply(w.Ld, w.Ydiag, G, N)
    LdE = _block_apply(w.Ld, w.Etot, G, N)
    A = w.A4.reshape(n, n)
    ALY = A @ _spread(LdY, G, N)  # column s: A_·s L_ss Y_ss
    ALE = A @ _spread(LdE, G, N)
    T5 = np.array([np.where(own_cols[s], 0.0, S_v[s]) @ ALY[:, s] for s in range(G)])
    T6 = np.array([np.where(own_cols[s], 0.0, S_v[s]) @ ALE[:, s] for s in range(G)])
    # T7–T9: foreign content Σ_{t≠s} V_t B_ts of s's sectors times their export components
    fc = w.VBc.sum(axis=0) - w.cB  # (n,)
    AmLY = A @ LdY - _block_apply(
        A.reshape(G, N, G, N)[np.arange(G), :, np.arange(G), :], LdY, G, N
    )  # Σ_{r≠s} A_sr L_rr Y_rr
    AmLE = A @ LdE - _block_apply(
        A.reshape(G, N, G, N)[np.arange(G), :, np.arange(G), :], LdE, G, N
    )
    T7 = np.bincount(region, fc * w.Yfx, minlength=G)
    T8 = np.bincount(region, fc * AmLY, minlength=G)
    T9 = np.bincount(region, fc * AmLE, minlength=G)
    return np.stack([T1, T2, T3, T4, T5, T6, T7, T8, T9])
