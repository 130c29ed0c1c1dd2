"""Pure array kernels (计算内核): numpy/scipy in, numpy out; no pandas, no I/O, no printing.

Kernels assume validated input (the labelled layer checks shapes, labels, NaN and zero output) and
raise :class:`chainatlas.errors.ChainAtlasError` subclasses only for numerical failure.
"""
