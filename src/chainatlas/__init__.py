"""chainatlas — industrial-chain atlas for policy analysts (产业图谱分析).

Layers: :mod:`chainatlas.kernels` (pure numpy), labelled analysis modules (:mod:`chainatlas.io`,
...), loaders (:mod:`chainatlas.datasets`), and presentation (:mod:`chainatlas.report`, the CLI).
"""

from chainatlas.errors import ChainAtlasError

__version__ = "0.1.0"

__all__ = ["ChainAtlasError", "__version__"]
