"""Batched input–output kernels (批量计算): many focus weightings in one pass.

:func:`extraction_losses_many` is :func:`chainatlas.kernels.io.extraction_losses_single` for K
weight vectors at once (one matrix product instead of K), used by the scorecard to rank every
economy's foreign suppliers in one go.
"""

from __future__ import annotations

import numpy as np

__all__ = ["extraction_losses_many"]


def extraction_losses_many(L: np.ndarray, f: np.ndarray, W: np.ndarray) -> np.ndarray:
    """Weighted output lost when each sector j alone is extracted, for K weightings.

    Same rank-one Schur-complement update as ``extraction_losses_single`` (M&B §12.2.1):
    loss_kj = (wₖᵀL)_j f_j + w_kj (x_j − L_jj f_j) + ((wₖᵀL)_j − w_kj L_jj)(x_j − L_jj f_j)/L_jj
    with x = L f.

    Parameters
    ----------
    L : ndarray, shape (n, n)
        Leontief inverse (or Gᵀ for the supply-driven model, with f = primary inputs).
    f : ndarray, shape (n,)
    W : ndarray, shape (n, K)
        Weight vectors on output (columns).

    Returns
    -------
    ndarray, shape (K, n)

    Examples
    --------
    >>> from chainatlas.kernels.io import extraction_losses_single, leontief_inverse
    >>> A = np.array([[0.15, 0.25], [0.2, 0.05]]); L = leontief_inverse(A)
    >>> f = np.array([350.0, 1700.0]); W = np.array([[1.0, 0.0], [1.0, 1.0]])
    >>> got = extraction_losses_many(L, f, W)
    >>> bool(np.allclose(got[0], extraction_losses_single(L, f, W[:, 0])))
    True
    """
    x = L @ f
    d = np.diag(L)
    WL = W.T @ L  # (K, n)
    r = x - d * f  # (n,)
    Wt = W.T
    return WL * f[None, :] + Wt * r[None, :] + (WL - Wt * d[None, :]) * (r / d)[None, :]
