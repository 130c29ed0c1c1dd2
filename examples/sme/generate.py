"""Regenerate the SYNTHETIC SME examples in this folder (not real firms: ids SYN…).

    ./run python examples/sme/generate.py

Every western province (西部: 内蒙古, 广西, 重庆, 四川, 贵州, 云南, 西藏, 陕西, 甘肃, 青海, 宁夏,
新疆) gets at least 5 firms, so the regional report of the west shows a bar for each.
"""

from __future__ import annotations

from pathlib import Path

from chainatlas.sme import load_framework, synthetic_answers

HERE = Path(__file__).resolve().parent
META = ["province", "industry", "size"]


def main() -> None:
    miit = load_framework("miit-2024")
    t0 = synthetic_answers(miit, 120, seed=7, min_west=5)
    t1 = synthetic_answers(miit, 120, seed=8, min_west=5)
    t1[META] = t0[META]  # the same firms a year later
    t1["wave"] = "T1"
    t0.to_csv(HERE / "miit2024_synthetic_T0.csv", index=False)
    t1.to_csv(HERE / "miit2024_synthetic_T1.csv", index=False)
    t0.head(30).to_excel(HERE / "miit2024_synthetic_T0.xlsx", index=False)
    eu = synthetic_answers(load_framework("eu-dma"), 120, seed=7, min_west=5)
    eu.to_csv(HERE / "eudma_synthetic.csv", index=False)


if __name__ == "__main__":
    main()
