"""SME digital maturity (中小企业数字化水平评测): frameworks as data, scoring, guidance, regional picture.

* :mod:`~chainatlas.sme.schema` — framework YAML files (MIIT 2024, EU DMA), validated; user overrides.
* :mod:`~chainatlas.sme.answers` — answer validation by item type; CSV/XLSX batch readers.
* :mod:`~chainatlas.sme.scoring` — vectorised scoring: items, sub-dimensions, dimensions, total,
  level with reason, dimension profile.
* :mod:`~chainatlas.sme.guidance` — gap analysis, ranked bilingual next steps, wave comparison.
* :mod:`~chainatlas.sme.aggregate` — by province, NBS region, GB/T 4754 division, size; k-anonymity.
* :mod:`~chainatlas.service` — FastAPI service (``chainatlas sme serve``).

Examples
--------
>>> from chainatlas.sme import load_framework, score_assessments, synthetic_answers
>>> fw = load_framework("miit-2024")
>>> s = score_assessments(synthetic_answers(fw, 10, seed=0), fw)
>>> s.n, bool(((s.total >= 0) & (s.total <= 100)).all())
(10, True)
"""

from chainatlas.sme.aggregate import MaturitySummary, area_mask, maturity_summary
from chainatlas.sme.answers import (
    AnswerError,
    Assessment,
    DuplicateFirmError,
    encode_answers,
    read_answers,
    validate_assessment,
)
from chainatlas.sme.guidance import compare_waves, gap_priorities, next_steps
from chainatlas.sme.schema import (
    Framework,
    FrameworkError,
    UnknownFrameworkError,
    list_frameworks,
    load_framework,
)
from chainatlas.sme.scoring import MaturityScores, score_assessments
from chainatlas.sme.synthetic import synthetic_answers

__all__ = [
    "AnswerError",
    "Assessment",
    "DuplicateFirmError",
    "Framework",
    "FrameworkError",
    "MaturityScores",
    "MaturitySummary",
    "UnknownFrameworkError",
    "area_mask",
    "compare_waves",
    "encode_answers",
    "gap_priorities",
    "list_frameworks",
    "load_framework",
    "maturity_summary",
    "next_steps",
    "read_answers",
    "score_assessments",
    "synthetic_answers",
    "validate_assessment",
]
