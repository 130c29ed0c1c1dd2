"""Bilingual display labels for common result columns (列名中英对照), used by the HTML renderer.

Only the displayed header changes; the JSON context keeps the raw column names that the API and
the CLI use, so scripts and tests read stable keys.
"""

from __future__ import annotations

import re

__all__ = ["COLUMN_LABELS", "display_label"]

COLUMN_LABELS: dict[str, str] = {
    "sector": "部门 sector",
    "name_zh": "中文名",
    "name_en": "name",
    "name": "名称 name",
    "year": "年份 year",
    "rank": "排名 rank",
    "x": "总产出 x",
    "output": "产出乘数 output multiplier",
    "value_added": "增加值乘数 value-added multiplier",
    "value_added_type_I": "增加值乘数(I型) VA multiplier, type I",
    "backward_total": "完全后向关联 backward (1ᵀL)",
    "backward_total_norm": "后向关联指数 backward index",
    "backward_direct": "直接后向关联 direct backward (1ᵀA)",
    "backward_direct_norm": "直接后向指数 direct backward index",
    "forward_total": "完全前向关联 forward (G·1)",
    "forward_total_norm": "前向关联指数 forward index",
    "forward_direct": "直接前向关联 direct forward (B·1)",
    "forward_direct_norm": "直接前向指数 direct forward index",
    "type_zh": "类型",
    "type_en": "type",
    "upstreamness": "上游度 upstreamness",
    "downstreamness": "下游度 downstreamness",
    "rank_upstream": "上游度排名 rank",
    "direct_share": "直接份额 direct share",
    "total_share": "完全份额 total share",
    "imported_inputs": "进口中间投入 imported inputs",
    "total_imported": "完全进口投入 total imported inputs",
    "total_intermediate": "完全中间投入 total intermediate inputs",
    "loss": "产出损失 output loss",
    "loss_share": "损失占比 loss share",
    "own_output": "本部门产出 own output",
    "linkage_loss": "关联损失 linkage loss",
    "service_inputs": "服务投入 service inputs",
    "va_share": "增加值中服务份额 service share of VA",
    "row_total": "行合计 row total",
    "col_total": "列合计 column total",
    "row_gap": "行差额 row gap",
    "col_gap": "列差额 column gap",
    "mean_multiplier": "平均产出乘数 mean multiplier",
    "mean_upstreamness": "平均上游度 mean upstreamness",
    "n_key": "关键部门数 key sectors",
    "output_change_nav": "产出结构变化 output change (NAV)",
    "coefficient_change": "系数变化 coefficient change",
    "multiplier_change": "乘数变化 multiplier change",
    "output_share_change": "产出份额变化 output-share change",
    "rank_change": "排名变化 rank change",
    "upstreamness_change": "上游度变化 upstreamness change",
    "community": "群落 community",
    "size": "规模 size",
    "intra_weight": "群落内权重 internal weight",
    "dependence": "对头部枢纽的依赖 hub dependence",
    "hubs": "枢纽 hubs",
    "top_hub": "头部枢纽 top hub",
    "pagerank": "PageRank",
    "out_strength": "出强度 out-strength",
    "n_customers": "下游客户数 customers",
    "company": "公司 company",
    "industry": "行业 industry",
    "suppliers": "供应商数 suppliers",
    "facilities": "设施数 facilities",
    "countries": "国家/地区数 countries",
    "hhi": "赫芬达尔指数 HHI",
    "top_country": "第一来源地 top country",
    "top_share": "第一来源地份额 top share",
    "china_share": "中国大陆份额 mainland China share",
    "entries": "进入 entries",
    "exits": "退出 exits",
    "stayers": "留存 stayers",
    "previous": "对比年份 compared with",
}

_PATTERNS = [
    (re.compile(r"^multiplier_(\d{4})$"), r"产出乘数 multiplier \1"),
    (re.compile(r"^backward_rank_(\d{4})$"), r"后向关联排名 backward rank \1"),
    (re.compile(r"^type_(\d{4})$"), r"类型 type \1"),
]


def display_label(column: str, labels: dict[str, str] | None = None) -> str:
    """The bilingual header shown for a raw column name (unknown names are shown as they are).

    `labels` (a table block's own label map) wins over the shared :data:`COLUMN_LABELS`, so a
    column name such as ``direct_share`` reads "direct import share" in the import table and
    "direct service-input share" in the servitisation table.

    Examples
    --------
    >>> display_label("backward_total_norm"), display_label("multiplier_2020"), display_label("ECI")
    ('后向关联指数 backward index', '产出乘数 multiplier 2020', 'ECI')
    """
    if labels and column in labels:
        return labels[column]
    if column in COLUMN_LABELS:
        return COLUMN_LABELS[column]
    for pattern, repl in _PATTERNS:
        if pattern.match(column):
            return pattern.sub(repl, column)
    return column
