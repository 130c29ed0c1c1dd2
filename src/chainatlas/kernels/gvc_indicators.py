"""GVC participation and production-length kernels (全球价值链参与度与生产长度内核).

Arrays in, arrays out; a world table of ``G`` economies × ``N`` sectors in economy blocks.
Notation as in :mod:`chainatlas.kernels.gvc`: A = A^D + A^F (domestic block-diagonal and foreign
parts), L = (I − A^D)⁻¹ the local Leontief inverse, B = (I − A)⁻¹, v̂ value-added coefficients,
Y^D the final goods each sector sells at home, Y^F those it exports, Ŷ = diag(Y^D + Y^F).

**Production decomposition** (Wang, Wei, Yu & Zhu 2017a, NBER WP 23222, eq. 1-2)::

    v̂BŶ = v̂LŶ^D  +  v̂LŶ^F  +  v̂LA^F LŶ^D  +  v̂LA^F (BŶ − LŶ^D)
          pure        traditional  simple GVC     complex GVC
          domestic    final trade  (crosses once) (crosses more than once)

Row sums split each sector's value added (forward, by origin), column sums each sector's final
goods (backward, by the product's sector). Forward GVC participation = (simple + complex) /
value added; backward = (simple + complex) / final goods.

**Production length** (Wang, Wei, Yu & Zhu 2017b, NBER WP 23261): the average number of
production stages between primary input and final use. For value added crossing borders for
production, V_GVC = v̂LA^F BŶ and the gross output it induces X_GVC = v̂LLA^F BŶ + v̂LA^F BBŶ
(a path v A_D^k A^F A^m y has k + m + 2 stages). PLv_GVC = X_GVC 1 / V_GVC 1 (forward, by
origin), PLy_GVC = 1ᵀX_GVC / 1ᵀV_GVC (backward, by final product), and the GVC position index
PLv_GVC / PLy_GVC (> 1: relatively upstream).
"""

from __future__ import annotations

import numpy as np
import scipy.linalg as sla
from numpy.typing import NDArray

from chainatlas.kernels.gvc import block_diagonal_inverse
from chainatlas.kernels.io import LU

Array = NDArray[np.float64]

__all__ = ["PRODUCTION_PARTS", "production_decomposition", "gvc_production_length"]

#: the four parts of the production decomposition, in order
PRODUCTION_PARTS: tuple[str, ...] = ("domestic", "traditional", "gvc_simple", "gvc_complex")


def _pieces(A: Array, Y: Array, G: int, N: int) -> tuple[Array, Array, Array, Array]:
    """Ld (G, N, N), A^F, Y^D (n,), Y^F (n,) from A and Y (n, G) by destination."""
    n = G * N
    region = np.repeat(np.arange(G), N)
    own = np.zeros((n, G), dtype=bool)
    own[np.arange(n), region] = True
    AF = A.copy()
    AF[region[:, None] == region[None, :]] = 0.0
    return block_diagonal_inverse(A, G, N), AF, Y[own], np.where(own, 0.0, Y).sum(axis=1)


def _ld(Ld: Array, M: Array, N: int, *, left: bool = False) -> Array:
    """L M (or M L when `left`) for block-diagonal L given as (G, N, N) blocks; M (n,)."""
    G = Ld.shape[0]
    m = M.reshape(G, N)
    out = np.einsum("rj,rji->ri", m, Ld) if left else np.einsum("rij,rj->ri", Ld, m)
    return out.reshape(G * N)


def production_decomposition(
    A: Array, v: Array, Y: Array, G: int, N: int, *, lu: LU
) -> tuple[Array, Array]:
    """Forward (value added by origin) and backward (final goods by sector) splits, WWYZ 2017a.

    Parameters
    ----------
    A : ndarray, shape (n, n)
    v : ndarray, shape (n,)
        Value-added coefficients.
    Y : ndarray, shape (n, G)
        Final goods by destination economy.
    G, N : int
    lu : LU factors of (I − A)

    Returns
    -------
    forward : ndarray, shape (4, n)
        :data:`PRODUCTION_PARTS` of each sector's value added (sum: v ⊙ x, x = B Y 1).
    backward : ndarray, shape (4, n)
        The same parts of each sector's final goods (sum: Y 1).

    Examples
    --------
    >>> A = np.array([[0.1, 0.2], [0.3, 0.1]]); Y = np.array([[5.0, 3.0], [2.0, 6.0]])
    >>> from chainatlas.kernels.io import leontief_lu
    >>> f, b = production_decomposition(A, 1 - A.sum(0), Y, 2, 1, lu=leontief_lu(A))
    >>> bool(np.allclose(b.sum(0), Y.sum(1)))
    True
    """
    Ld, AF, YD, YF = _pieces(A, Y, G, N)
    y = YD + YF
    x = sla.lu_solve(lu, y, check_finite=False)
    LYD = _ld(Ld, YD, N)
    forward = np.stack(
        [
            v * LYD,
            v * _ld(Ld, YF, N),
            v * _ld(Ld, AF @ LYD, N),
            v * _ld(Ld, AF @ (x - LYD), N),
        ]
    )
    vL = _ld(Ld, v, N, left=True)  # vᵀL
    vLAF = vL @ AF
    vLAFL = _ld(Ld, vLAF, N, left=True)
    vLAFB = sla.lu_solve(lu, vLAF, trans=1, check_finite=False)
    backward = np.stack([vL * YD, vL * YF, vLAFL * YD, vLAFB * y - vLAFL * YD])
    return forward, backward


def gvc_production_length(
    A: Array, v: Array, Y: Array, G: int, N: int, *, lu: LU
) -> dict[str, Array]:
    """GVC production length forward and backward, and the position index (WWYZ 2017b).

    Returns
    -------
    dict of ndarray, each (n,)
        ``V_GVC`` / ``X_GVC`` (forward: row sums of v̂LA^F BŶ and of the induced output),
        ``Y_GVC`` / ``XY_GVC`` (backward: column sums), ``PLv_GVC`` = X_GVC / V_GVC,
        ``PLy_GVC`` = XY_GVC / Y_GVC (NaN where the denominator is 0) and ``position`` =
        PLv_GVC / PLy_GVC.
    """
    Ld, AF, YD, YF = _pieces(A, Y, G, N)
    y = YD + YF
    x = sla.lu_solve(lu, y, check_finite=False)  # BŶ1
    Bx = sla.lu_solve(lu, x, check_finite=False)  # BBŶ1
    LAFx = _ld(Ld, AF @ x, N)
    V_gvc = v * LAFx
    X_gvc = v * (_ld(Ld, LAFx, N) + _ld(Ld, AF @ Bx, N))
    vL = _ld(Ld, v, N, left=True)
    vLL = _ld(Ld, vL, N, left=True)
    vLAFB = sla.lu_solve(lu, vL @ AF, trans=1, check_finite=False)
    vLLAFB = sla.lu_solve(lu, vLL @ AF, trans=1, check_finite=False)
    vLAFBB = sla.lu_solve(lu, vLAFB, trans=1, check_finite=False)
    Y_gvc = vLAFB * y
    XY_gvc = (vLLAFB + vLAFBB) * y
    with np.errstate(invalid="ignore", divide="ignore"):
        plv = np.where(V_gvc > 0, X_gvc / np.where(V_gvc > 0, V_gvc, 1.0), np.nan)
        ply = np.where(Y_gvc > 0, XY_gvc / np.where(Y_gvc > 0, Y_gvc, 1.0), np.nan)
    return {
        "V_GVC": V_gvc,
        "X_GVC": X_gvc,
        "Y_GVC": Y_gvc,
        "XY_GVC": XY_gvc,
        "PLv_GVC": plv,
        "PLy_GVC": ply,
        "position": plv / ply,
    }
