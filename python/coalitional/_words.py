"""The shared terms of every human-readable output (memos, comparison tables, the report, the
plots), one table per language, so that a concept has one name everywhere.

- :data:`RULE_NAMES`: the names of the solutions, keyed by the English label an
  :class:`Allocation` carries (a label not in the table is shown as it is). In Chinese the
  least core's *point* (the rule ``least_core``, labelled "least core") is 最小核心分配 and
  the least core as a *set* is 最小核心 (:data:`TERMS` ``"least core set"``).
- :data:`TERMS`: the concepts the texts share (core, excess, status quo, ...).
- :func:`parse_lang`: the one parser of ``lang`` arguments (case-insensitive).
- :func:`zh_join` / :func:`zh_format`: Chinese text joined with a space wherever a Chinese
  character meets a Latin letter or a digit at the seam of two pieces (按 τ 值,
  Hangzhou 向 Songjiang 支付), without touching the inside of a name.
"""

from __future__ import annotations

import string
import unicodedata
from typing import Any, Dict, Tuple

from ._coalitional import InvalidGame
from ._convert import shown, tag

#: The languages of the texts.
LANGS: Tuple[str, ...] = ("en", "zh")

#: The names of the solutions per language, keyed by the English label.
RULE_NAMES: Dict[str, Dict[str, str]] = {
    "en": {},
    "zh": {
        "Shapley value": "沙普利值",
        "normalised Banzhaf value": "归一化班扎夫值",
        "Banzhaf value": "班扎夫值",
        "nucleolus": "核仁",
        "prenucleolus": "前核仁",
        "tau value": "τ 值",
        "least core": "最小核心分配",
        "proportional rule": "比例分配",
        "equal surplus division": "剩余均分",
        "Gately point": "盖特利点",
        "solidarity value": "团结值",
        "ENSC value": "不可分离成本均分（ENSC）",
        "SCRB allocation": "可分离成本剩余收益法（SCRB）",
        "per-capita nucleolus": "人均核仁",
        "Johnston index": "约翰斯顿指数",
        "Deegan-Packel index": "迪根–帕克尔指数",
        "Holler index": "霍勒指数",
        "proportional nucleolus": "比例核仁",
        "disruption nucleolus": "破坏倾向核仁",
        "kernel point": "核（kernel）中的点",
        "Aumann–Drèze value": "奥曼–德雷兹值",
        "utopia payoffs": "理想支付",
        "minimal rights": "最低权利",
        "propensity to disrupt": "破坏倾向",
        "Owen value": "欧文值",
        "marginal vector": "边际向量",
        "Shapley–Shubik index": "沙普利–舒比克指数",
        "Shapley value (sampled)": "沙普利值（抽样估计）",
        "Banzhaf value (sampled)": "班扎夫值（抽样估计）",
        "status quo": "现状",
        "target": "目标分配",
    },
}

#: The shared concepts per language.
TERMS: Dict[str, Dict[str, str]] = {
    "en": {
        "core": "core",
        "least core set": "least core",
        "excess": "excess",
        "largest excess": "largest excess (complaint)",
        "status quo": "status quo",
        "target": "target",
        "outside": "(outside)",
        "player": "player",
        "rule": "rule",
        "payoffs": "payoffs",
        "cost shares": "cost shares",
        "core vertices": "core vertices",
        "this split": "this split",
    },
    "zh": {
        "core": "核心",
        "least core set": "最小核心",
        "excess": "超额",
        "largest excess": "最大超额（不满）",
        "status quo": "现状",
        "target": "目标分配",
        "outside": "（外部）",
        "player": "成员",
        "rule": "规则",
        "payoffs": "收益",
        "cost shares": "成本分摊",
        "core vertices": "核心顶点",
        "this split": "该分配",
    },
}

#: Why a rule or a section could not be computed, in Chinese, by error code (the English
#: library message stays in the data).
FAILURE_ZH: Dict[str, str] = {
    "undefined": "对本博弈无定义",
    "solver": "求解失败",
    "too_large": "博弈规模过大",
    "interrupted": "计算被中断",
    "numerical": "数值计算失败",
}


def parse_lang(lang: Any) -> str:
    """``lang`` as one of :data:`LANGS` (any case, surrounding spaces ignored); otherwise
    ``InvalidGame`` (code ``invalid_parameter``, name ``lang``)."""
    key = lang.strip().lower() if isinstance(lang, str) else None
    if key not in LANGS:
        raise tag(
            InvalidGame(f"lang must be one of {', '.join(map(repr, LANGS))}, not {shown(lang)}"),
            "invalid_parameter",
            name="lang",
        )
    return str(key)


def rule_name(label: Any, lang: str) -> str:
    """A solution's label as written in ``lang`` (unknown labels as they are; none: "this
    split")."""
    if not label:
        return TERMS[lang]["this split"]
    return RULE_NAMES[lang].get(str(label), str(label))


def _wide(c: str) -> bool:
    return unicodedata.east_asian_width(c) in "WF" and unicodedata.category(c).startswith("L")


def _narrow(c: str) -> bool:
    return c.isascii() and c.isalnum() or unicodedata.category(c) in ("Ll", "Lu") and not _wide(c)


def zh_join(*pieces: Any) -> str:
    """The pieces joined, with a space where a Chinese character meets a Latin letter, a Greek
    letter or a digit across a seam."""
    out = ""
    for piece in map(str, pieces):
        if out and piece and ((_wide(out[-1]) and _narrow(piece[0])) or (_narrow(out[-1]) and _wide(piece[0]))):
            out += " "
        out += piece
    return out


def zh_format(template: str, **values: Any) -> str:
    """``template.format(**values)``, each value joined to the text around it by
    :func:`zh_join`."""
    pieces = []
    for literal, field, spec, conv in string.Formatter().parse(template):
        pieces.append(literal)
        if field is not None:
            pieces.append(format(values[field], spec or ""))
    return zh_join(*pieces)
