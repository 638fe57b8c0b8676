"""Rendering of the ``coalitional report`` data: the words of the report in English and
Chinese, text tables aligned by display width (so Chinese names line up), and the text,
Markdown, HTML, LaTeX and JSON renderings of one report. Everything printed from the input goes
through :func:`safe`; numbers go through Rust's one rounding rule (``_native.shown_numbers``).
The command line itself (arguments, loading, writing) is in :mod:`.cli`."""

from __future__ import annotations

import html
import json
import textwrap
import unicodedata
from typing import Any, Dict, List, Optional, Sequence, Tuple

from . import _coalitional as _native
from ._compare import _Words as _CompareWords
from ._export import Table, display_width, markdown_escape
from ._export import pad as _pad
from ._explain import coalition_words, rule_words
from ._words import TERMS, zh_format
from ._settle import OUTSIDE, coalition_label
from .plot import TEXT as _PLOT_TEXT

#: One block of a rendering, written as text, Markdown, HTML, LaTeX or Excel:
#: ("title" | "heading" | "text" | "list", str or [str]) or ("table", Table).
Block = Tuple[str, Any]

def _escapes() -> Dict[int, str]:
    table = {0x09: "\\t", 0x0A: "\\n", 0x0D: "\\r"}
    for code in [*range(0x20), 0x7F, *range(0x80, 0xA0)]:  # C0, DEL, C1 (0x1b and 0x9b start ANSI codes)
        table.setdefault(code, f"\\x{code:02x}")
    # Line and paragraph separators, and the marks and overrides that reorder a line.
    for code in [0x061C, 0x200E, 0x200F, 0x2028, 0x2029, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]:
        table[code] = f"\\u{code:04x}"
    return table


_ESCAPES = _escapes()


def safe(text: Any) -> str:
    """``text`` fit for a terminal: control characters (C0, DEL, C1, so every ANSI escape
    sequence), line separators and bidirectional overrides are written as escapes
    (``\\x1b``, ``\\n``, ``\\u202e``); everything else, e.g. Chinese names, is kept."""
    return str(text).translate(_ESCAPES)


def _escaped(data: Any) -> Any:
    """``data`` (plain JSON-like values) with every string (keys too) passed through :func:`safe`."""
    if isinstance(data, str):
        return safe(data)
    if isinstance(data, dict):
        return {safe(k) if isinstance(k, str) else k: _escaped(v) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return [_escaped(v) for v in data]
    return data


def _columns(rows: Sequence[Sequence[str]], rights: Sequence[bool]) -> List[str]:
    """Rows of cells as aligned lines (by display width), two spaces between columns."""
    widths = [max(display_width(r[j]) for r in rows) for j in range(len(rights))]
    return ["  ".join(_pad(c, w, r) for c, w, r in zip(row, widths, rights)).rstrip() for row in rows]


def _num(x: Optional[float], scale: float) -> str:
    """A number as people see it (Rust's one rounding rule at ``scale``), "-" for none."""
    return "-" if x is None else str(_native.shown_numbers([float(x)], scale)[0])


def _scale(data: Dict[str, Any]) -> float:
    """The magnitude of the game's numbers: the largest of |v(N)| and the |v({i})|."""
    xs = [data["grand_coalition_value"] or 0.0, *(data["standalone"] or [])]
    return max(abs(float(x)) for x in xs)


# -- the words of the report, one table per language ---------------------------------------
# Headings, column headers and fixed phrases. Words the plots (plot.TEXT) and the comparison
# tables (_compare._Words) already translate are taken from there; rule names from
# _explain.rule_words. Data keys (JSON) stay English.

_OWN_WORDS: Dict[str, Dict[str, str]] = {
    "en": {
        "game title": "{kind} game of {n} players", "value": "value", "cost": "cost",
        "source": "Source: {x}",
        "players line": "Players: {n}    {what} of the grand coalition v(N) = {v}",
        "surplus": "surplus from cooperation: v(N) - sum v({{i}}) = {v}",
        "saving": "saving from cooperation: sum v({{i}}) - v(N) = {v}",
        "values by player": "Values by player", "standalone": "standalone", "Banzhaf raw": "Banzhaf (raw)",
        "stability": "Stability",
        "core empty": "Core: EMPTY: some group always does better on its own",
        "core nonempty": "Core: nonempty: a stable split exists",
        "least core line": "Least core epsilon: {e}    cost of stability (least outside subsidy): {c}",
        "properties": "Properties: ", "is": ": ", "sep": ", ", "yes": "yes", "no": "no", "not checked": "not checked",
        "superadditive": "superadditive", "subadditive": "subadditive (cost)", "convex": "convex",
        "concave": "concave (cost)", "monotone": "monotone", "essential": "essential",
        "core vertices k": "Core vertices ({k})", "vertex": "vertex",
        "allocation heading": "Allocation: the {label} (no status quo given, so no payments)",
        "note": "Note: {x}",
        "settlement heading": "Settlement: to the {label} from the given status quo",
        "from to": "From the status quo to the target",
        "net value": "net transfer (+ receives)", "net cost": "net transfer (+ pays more)",
        "gap": "The target and the status quo differ in total by {g}: {what} {a}.",
        "outside adds": "the outside must add", "left over": "left over for the outside",
        "payments k": "Payments ({k}):", "pays": "{payer} pays {payee} {x}", "no payments": "Payments: none needed.",
        "verdict": "Target {core}; individually rational: {ir}; cost of stability {c}",
        "in core": "in the core", "not in core": "NOT in the core", "worse alone": "no: worse than alone for {who}",
        "blocking title": "Coalitions closest to walking away (excess = what they would {gain} by leaving)",
        "gain": "gain", "save": "save", "member coalition": "coalition", "worth": "worth", "worth cost": "worth", "allocated": "allocated", "excess": "excess",
        "notes": "How the sections were computed, and what is missing",
        "skipped": "skipped", "failed": "FAILED", "undefined": "undefined",
        "side by side": "Rules side by side", "payoffs": "payoffs", "cost shares": "cost shares",
        "excess note value": "excess = what the coalition would gain by leaving",
        "excess note cost": "excess = what the coalition would save by leaving",
        "change sign value": "+ receives", "change sign cost": "+ pays more",
        "explanation": "Explanation", "memo": "memo", "and": ", ", "open": " (", "close": ")",
    },
    "zh": {
        "game title": "{n} 个成员的{kind}博弈", "value": "收益", "cost": "成本",
        "source": "来源：{x}",
        "players line": "成员数：{n}    大联盟的{what} v(N) = {v}",
        "surplus": "合作剩余：v(N) − Σ v({{i}}) = {v}",
        "saving": "合作节约的成本：Σ v({{i}}) − v(N) = {v}",
        "values by player": "各成员的值", "standalone": "单独行动", "Banzhaf raw": "班扎夫值（未归一化）",
        "stability": "稳定性",
        "core empty": "核心：空，总有某个联盟单独行动更好",
        "core nonempty": "核心：非空，存在稳定的分配",
        "least core line": "最小核心 ε：{e}    稳定成本（最少的外部补贴）：{c}",
        "properties": "性质：", "is": "：", "sep": "，", "yes": "是", "no": "否", "not checked": "未检查",
        "superadditive": "超可加博弈", "subadditive": "次可加博弈（成本）", "convex": "凸博弈",
        "concave": "凹博弈（成本）", "monotone": "单调博弈", "essential": "本质博弈",
        "core vertices k": "{core vertices}（{k} 个）", "vertex": "顶点",
        "allocation heading": "分配：{label}（未给出现状，因此没有支付）",
        "note": "注：{x}",
        "settlement heading": "结算：从给定的现状过渡到{label}",
        "from to": "从{status quo}到{target}",
        "net value": "净转移（+ 为收到）", "net cost": "净转移（+ 为多付）",
        "gap": "现状与目标分配的总额相差 {a}，差额{what}。",
        "outside adds": "由外部补足", "left over": "归外部所有",
        "payments k": "支付（{k} 笔）：", "pays": "{payer}向{payee}支付 {x}", "no payments": "无需支付。",
        "verdict": "目标分配{core}；个体理性：{ir}；稳定成本 {c}",
        "in core": "位于核心之内", "not in core": "不在核心之内", "worse alone": "否：{who}不如单独行动",
        "blocking title": "最接近退出的联盟（超额 = 退出可{gain}的数额）",
        "gain": "多得", "save": "少付", "member coalition": "联盟", "worth": "价值", "worth cost": "成本", "allocated": "已分配", "excess": "超额",
        "notes": "各部分的计算方法，以及缺少的部分",
        "skipped": "跳过", "failed": "失败", "undefined": "无定义",
        "side by side": "各规则并列比较", "payoffs": "收益", "cost shares": "成本分摊",
        "excess note value": "超额 = 该联盟退出可多得的数额",
        "excess note cost": "超额 = 该联盟退出可少付的数额",
        "change sign value": "+ 为收到", "change sign cost": "+ 为多付",
        "explanation": "说明", "memo": "部分", "and": "、", "open": "（", "close": "）",
    },
}

#: Short English headers of the rule columns (the rules' labels are long); Chinese uses the
#: rules' Chinese names, which are short.
_RULE_HEADS = {"shapley": "Shapley", "banzhaf": "Banzhaf (norm.)", "nucleolus": "nucleolus",
               "prenucleolus": "prenucleolus", "tau": "tau value", "least_core": "least core",
               "proportional": "proportional", "equal_surplus": "equal surplus", "gately": "Gately",
               "solidarity": "solidarity", "ensc": "ENSC", "scrb": "SCRB",
               "per_capita_nucleolus": "per-capita nucl.", "proportional_nucleolus": "prop. nucl.",
               "disruption_nucleolus": "disruption nucl.", "kernel": "kernel point"}
_SECTION_LABELS = {
    "values": "coalition values", "shapley": "Shapley value", "banzhaf": "Banzhaf value",
    "banzhaf_normalized": "normalised Banzhaf value", "nucleolus": "nucleolus", "tau_value": "tau value",
    "core": "core", "least_core": "least core", "cost_of_stability": "cost of stability",
    "core_vertices": "core vertices", "properties": "properties", "settlement": "settlement",
    "power_indices": "power indices",
    "comparison": "rules side by side", "explanation": "explanation",
}
_SECTION_ZH = {"power_indices": "投票权力指数", "least_core": TERMS["zh"]["least core set"], "values": "联盟值", "cost_of_stability": "稳定成本", "properties": "性质", "settlement": "结算",
               "comparison": "各规则并列比较", "explanation": "说明"}


def _words_of(lang: str) -> Dict[str, str]:
    """The report's words in ``lang``: its own table, the plots' and the comparison's words."""
    plot, cmp = _PLOT_TEXT[lang], _CompareWords(lang)
    words = {
        "player": cmp.player, "total": cmp.total, "rule": cmp.rule, "in the core": cmp.in_core,
        "coalition": cmp.coalition, "largest complaint": cmp.complaint, "shares": cmp.title,
        "changes": cmp.changes, "stability of each rule": cmp.summary, "failures": cmp.failures,
        "status quo": plot["status quo"], "target": plot["target"], "core vertices": plot["core vertices"],
        "outside": plot["outside"],
    }
    own = {k: v.replace("{core vertices}", words["core vertices"]).replace("{status quo}", words["status quo"])
           .replace("{target}", words["target"]) for k, v in _OWN_WORDS[lang].items()}
    if lang == "en":
        own["target allocation"] = "Target allocation"
    else:
        own["target allocation"] = words["target"]
    return {**words, **own}


_WORDS = {lang: _words_of(lang) for lang in _OWN_WORDS}


def _rule_name(label: str, lang: str) -> str:
    """A rule's label (``"nucleolus"``, ``"Shapley value"``) as written in ``lang``."""
    return rule_words(label, lang)


def _rule_head(rule: str, label: str, lang: str) -> str:
    return _RULE_HEADS.get(rule, label) if lang == "en" else rule_words(label, lang)


def _section_label(name: str, lang: str) -> str:
    label = _SECTION_LABELS.get(name, name)
    if lang == "zh":
        return _SECTION_ZH.get(name) or _PLOT_TEXT["zh"].get(label) or rule_words(label, lang)
    return label


def _value_columns(lang: str) -> List[Tuple[str, str]]:
    """(data key, header) of the per-player values table."""
    if lang == "en":
        return [("standalone", "standalone"), ("shapley", "Shapley"), ("nucleolus", "nucleolus"),
                ("tau_value", "tau value"), ("banzhaf", "Banzhaf"), ("banzhaf_normalized", "Banzhaf (norm.)"),
                ("johnston", "Johnston"), ("deegan_packel", "Deegan-Packel"), ("holler", "Holler")]
    labels = {"shapley": "Shapley value", "nucleolus": "nucleolus", "tau_value": "tau value",
              "banzhaf": "Banzhaf value", "banzhaf_normalized": "normalised Banzhaf value",
              "johnston": "Johnston index", "deegan_packel": "Deegan-Packel index", "holler": "Holler index"}
    return [("standalone", _WORDS["zh"]["standalone"]), *((k, rule_words(v, "zh")) for k, v in labels.items())]


def _values_table(data: Dict[str, Any], scale: float, w: Dict[str, str], lang: str) -> Optional[Table]:
    """Players by the solution columns that were computed, with a total row."""
    players = data["players"]
    cols = [(key, head) for key, head in _value_columns(lang) if data.get(key) is not None]
    if not cols:
        return None
    heads = [head for _, head in cols]
    rows = [[float(data[key][k]) for key, _ in cols] for k in range(len(players))]
    totals = [sum(col) for col in zip(*rows)] if rows else []
    # A sampled column is followed by its interval half-widths ("±"), whose total row is the
    # widest interval, not a sum: an estimate is never shown without its error.
    for key, _ in reversed(cols):
        half = data["sections"].get(key, {}).get("half_widths")
        if half is None:
            continue
        at = [k for k, _ in cols].index(key) + 1
        heads.insert(at, heads[at - 1] + " ±")
        for row, h in zip(rows, half):
            row.insert(at, float(h))
        totals.insert(at, max(half) if half else 0.0)
    return Table(w["values by player"], w["player"], [*players, w["total"]], heads, [*rows, totals], scale=scale)


def _notes(sections: Dict[str, Dict[str, Any]], w: Dict[str, str], lang: str) -> List[str]:
    """One line per method other than the usual exact one, and one per reason for sections not
    done (the sections that share it named together)."""
    notes: List[str] = []
    missing: Dict[Tuple[str, str], List[str]] = {}
    for name, info in sections.items():
        label = _section_label(name, lang)
        if info["status"] != "done":
            missing.setdefault((info["status"], str(info.get("reason_local") or info["reason"])), []).append(label)
        elif name in _VALUE_SECTIONS and info.get("method") and info["method"] not in _USUAL_METHODS:
            notes.append(f"{label}{w['is']}{info['method']}")
    for (status, reason), labels in missing.items():
        notes.append(f"{w['sep'].join(labels)}{w['is']}{w[status]}{w['is']}{reason}")
    return notes


_VALUE_SECTIONS = ("shapley", "banzhaf", "nucleolus")
_USUAL_METHODS = ("exact, from the 2^n values", "exact (linear programs, checked by Kohlberg's criterion)")


def _blocks(data: Dict[str, Any]) -> List[Block]:
    """The report (plain data from :func:`summary`, strings already made safe) as blocks, in
    the language of ``data["lang"]``."""
    lang = data.get("lang") or "en"
    w = _WORDS[lang]
    meta, kind, players = data["metadata"], data["kind"], data["players"]
    cost = kind == "cost"
    scale = _scale(data)
    blocks: List[Block] = [("title", meta.get("name") or w["game title"].format(kind=w[kind], n=len(players)))]
    if meta.get("description"):
        blocks.append(("text", meta["description"]))
    if meta.get("source"):
        blocks.append(("text", w["source"].format(x=meta["source"])))
    grand = data["grand_coalition_value"]
    head = w["players line"].format(n=len(players), what=w[kind], v=_num(grand, scale))
    if grand is not None and data["standalone"] is not None:
        surplus = grand - sum(data["standalone"])
        head += "\n" + w["saving" if cost else "surplus"].format(v=_num(-surplus if cost else surplus, scale))
    blocks.append(("text", head))
    if data.get("comparison"):
        blocks += _comparison_blocks(data, scale, w, lang)
    else:
        table = _values_table(data, scale, w, lang)
        if table is not None:
            blocks.append(("table", table))
    notes = _notes(data["sections"], w, lang)
    st = data["stability"]
    lines = []
    if st["core_is_empty"] is not None:
        lines.append(w["core empty"] if st["core_is_empty"] else w["core nonempty"])
    if st["least_core_epsilon"] is not None or st["cost_of_stability"] is not None:
        lines.append(w["least core line"].format(e=_num(st["least_core_epsilon"], scale),
                                                 c=_num(st["cost_of_stability"], scale)))
    shown_props = {True: w["yes"], False: w["no"], None: w["not checked"]}
    names = {"superadditive": w["subadditive" if cost else "superadditive"],
             "convex": w["concave" if cost else "convex"], "monotone": w["monotone"], "essential": w["essential"]}
    lines.append(w["properties"] + w["sep"].join(f"{names[k]}{w['is']}{shown_props[v]}"
                                                  for k, v in data["properties"].items()))
    blocks.append(("heading", w["stability"]))
    blocks.append(("text", "\n".join(lines)))
    vertices = data.get("core_vertices")
    if vertices:
        blocks.append(("table", Table(w["core vertices k"].format(k=len(vertices)), w["vertex"],
                                      [str(k + 1) for k in range(len(vertices))], players, vertices, scale=scale)))
    if data.get("settlement"):
        blocks += _settlement_blocks(data["settlement"], players, scale, w, lang)
    explanation = data.get("explanation") or {}
    memos = [explanation.get(k) for k in ("allocation", "settlement", "comparison")]
    if any(memos):
        blocks.append(("heading", w["explanation"]))
        blocks += [("text", m) for m in memos if m]
    if notes:
        blocks.append(("heading", w["notes"]))
        blocks.append(("list", notes))
    return blocks


_POWER_KEYS = ("johnston", "deegan_packel", "holler")


def _comparison_blocks(data: Dict[str, Any], scale: float, w: Dict[str, str], lang: str) -> List[Block]:
    """The rules side by side: players by rules (with the standalone values first, the raw
    Banzhaf value last, a total row), each rule's stability, the changes from the status quo
    and the rules that could not be applied."""
    c, players = data["comparison"], data["players"]
    cost = data["kind"] == "cost"
    ok = [r for r in c["rules"] if c["shares"][r] is not None]
    heads = [_rule_head(r, c["labels"][r], lang) for r in ok]
    columns = [[c["shares"][r][p] for p in players] for r in ok]
    if data.get("standalone") is not None:
        heads.insert(0, w["standalone"])
        columns.insert(0, list(data["standalone"]))
    if data.get("banzhaf") is not None:
        heads.append(w["Banzhaf raw"])
        columns.append(list(data["banzhaf"]))
    # Voting power of a simple game: the indices of the values table beyond Shapley/Banzhaf.
    for key, head in _value_columns(lang):
        if key in _POWER_KEYS and data.get(key) is not None:
            heads.append(head)
            columns.append(list(data[key]))
    what = w["cost shares" if cost else "payoffs"]
    blocks: List[Block] = [("heading", w["side by side"])]
    if columns:
        rows = [list(r) for r in zip(*columns)]
        rows.append([sum(col) for col in columns])
        blocks.append(("table", Table(f"{w['shares']}{w['open']}{what}{w['close']}", w["player"],
                                      [*players, w["total"]], heads, rows, scale=scale, sheet=w["side by side"])))
    judged = [r for r in ok if c["in_core"][r] is not None and c["largest_complaint"][r] is not None]
    if judged:
        complaints = [c["largest_complaint"][r] for r in judged]
        note = w["excess note cost" if cost else "excess note value"]
        coalitions = [x["coalition"] if lang == "en" else coalition_words(x["members"], lang) for x in complaints]
        blocks.append(("table", Table(
            f"{w['stability of each rule']}{w['open']}{note}{w['close']}", w["rule"],
            [_rule_name(c["labels"][r], lang) for r in judged], [w["largest complaint"]],
            [[x["excess"]] for x in complaints], scale=scale,
            text=[(w["in the core"], [w["yes"] if c["in_core"][r] else w["no"] for r in judged]),
                  (w["coalition"], coalitions)], sheet=w["stability of each rule"])))
    if c["status_quo"] is not None:
        moved = [r for r in ok if c["changes"][r] is not None]
        sign = w["change sign cost" if cost else "change sign value"]
        rows = [[c["status_quo"][p], *(c["changes"][r][p] for r in moved)] for p in players]
        blocks.append(("table", Table(f"{w['changes']}{w['open']}{sign}{w['close']}", w["player"], players,
                                      [w["status quo"], *(_rule_head(r, c["labels"][r], lang) for r in moved)],
                                      rows, scale=scale, sheet=w["changes"])))
    if c["failures"]:
        blocks.append(("text", w["failures"] + w["is"].rstrip()))
        blocks.append(("list", [f"{_rule_name(c['labels'][r], lang)}{w['is']}{f.get('reason_local') or f['reason']}"
                                for r, f in c["failures"].items()]))
    return blocks


def _settlement_blocks(st: Dict[str, Any], players: List[str], scale: float, w: Dict[str, str],
                       lang: str) -> List[Block]:
    cost = st["kind"] == "cost"
    target = st["target"]["shares"]
    label = _rule_name(st["target"]["label"], lang)
    blocks: List[Block] = []
    if st["status_quo"] is None:
        blocks.append(("heading", w["allocation heading"].format(label=label)))
        if st.get("note"):
            blocks.append(("text", w["note"].format(x=st["note"])))
        blocks.append(("table", Table(w["target allocation"], w["player"], players, [w["target"]],
                                      [[target[p]] for p in players], scale=scale)))
    else:
        blocks.append(("heading", w["settlement heading"].format(label=label)))
        if st.get("note"):
            blocks.append(("text", w["note"].format(x=st["note"])))
        rows = [[st["status_quo"][p], target[p], st["net_transfers"][p]] for p in players]
        blocks.append(("table", Table(w["from to"], w["player"], players,
                                      [w["status quo"], w["target"], w["net cost" if cost else "net value"]],
                                      rows, scale=scale)))
        if st["gap"] and any(OUTSIDE in (q["payer"], q["payee"]) for q in st["payments"]):
            what = w["outside adds"] if (st["gap"] > 0) != cost else w["left over"]
            blocks.append(("text", w["gap"].format(g=_num(st["gap"], scale), what=what, a=_num(abs(st["gap"]), scale))))
        if st["payments"]:
            def who(name: str) -> str:
                return w["outside"] if name == OUTSIDE else name

            blocks.append(("text", w["payments k"].format(k=len(st["payments"]))))
            blocks.append(("list", [zh_format(w["pays"], payer=who(q["payer"]), payee=who(q["payee"]), x=_num(q["amount"], scale))
                                    for q in st["payments"]]))
        else:
            blocks.append(("text", w["no payments"]))
    rational = w["yes"] if st["individually_rational"] else w["worse alone"].format(who=w["and"].join(st["below_standalone"]))
    blocks.append(("text", w["verdict"].format(core=w["in core" if st["in_core"] else "not in core"], ir=rational,
                                               c=_num(st["cost_of_stability"], scale))))
    if st["blocking"]:
        rows = [[b["worth"], b["allocated"], b["excess"]] for b in st["blocking"]]
        labels = [coalition_label(players, b["members"]) if lang == "en" else coalition_words(b["members"], lang)
                  for b in st["blocking"]]
        blocks.append(("table", Table(w["blocking title"].format(gain=w["save" if cost else "gain"]),
                                      w["member coalition"], labels, [w["worth cost" if cost else "worth"], w["allocated"], w["excess"]], rows,
                                      scale=scale)))
    return blocks


_OPENING = "（《「『【〔“‘"


def _wrap(text: str, width: int = 92) -> List[str]:
    """``text`` broken into lines of at most ``width`` display columns: at spaces, and
    between wide (e.g. Chinese) characters, never before closing punctuation."""
    if display_width(text) == len(text):
        return textwrap.wrap(text, width) or [""]
    tokens: List[str] = []
    for ch in text:
        wide = unicodedata.east_asian_width(ch) in "WF"
        if tokens and wide and unicodedata.category(ch) in ("Po", "Pe", "Pf"):
            tokens[-1] += ch  # ，。）: stay with what they close
        elif tokens and tokens[-1][-1] in _OPENING:
            tokens[-1] += ch  # （ 《: stay with what they open
        elif tokens and not wide and not ch.isspace() and not tokens[-1].isspace() \
                and unicodedata.east_asian_width(tokens[-1][-1]) not in "WF":
            tokens[-1] += ch  # a word of narrow characters
        elif tokens and ch.isspace() and tokens[-1].isspace():
            tokens[-1] += ch
        else:
            tokens.append(ch)
    lines: List[str] = []
    line = ""
    for tok in tokens:
        if line and display_width(line + tok) > width:
            lines.append(line.rstrip())
            line = "" if tok.isspace() else tok
        else:
            line += tok
    if line.strip() or not lines:
        lines.append(line.rstrip())
    return lines


def render(data: Dict[str, Any]) -> str:
    """The report as text for a terminal (columns aligned by display width)."""
    lines: List[str] = []
    previous = "title"
    colon = _WORDS[data.get("lang") or "en"]["is"].rstrip()
    for kind, body in _blocks(_escaped(data)):
        if kind not in ("title", "list") and previous != "heading":
            lines.append("")
        if kind == "title":
            lines += [body, "=" * display_width(body)]
        elif kind == "heading":
            lines += [body, "-" * display_width(body)]
        elif kind == "text":
            lines += [w for para in body.split("\n") for w in _wrap(para)]
        elif kind == "list":
            lines += [f"  {item}" for item in body]
        else:
            aligned = _columns([body.header(), *body.shown()], [a == "r" for a in body._aligns()])
            rule = "-" * max(display_width(x) for x in aligned)
            lines += [body.title + colon, aligned[0], rule, *aligned[1:]]
        previous = kind
    return "\n".join(lines)


def render_markdown(data: Dict[str, Any]) -> str:
    """The report as Markdown: headings, paragraphs, lists and titled pipe tables."""
    parts: List[str] = []
    for kind, body in _blocks(_escaped(data)):
        if kind == "title":
            parts.append(f"# {markdown_escape(body)}")
        elif kind == "heading":
            parts.append(f"## {markdown_escape(body)}")
        elif kind == "text":
            parts.append("  \n".join(body.split("\n")))
        elif kind == "list":
            parts.append("\n".join(f"- {markdown_escape(item)}" for item in body))
        else:
            parts.append(body.markdown(title=True))
    return "\n\n".join(parts) + "\n"


def render_html(data: Dict[str, Any]) -> str:
    """The report as a standalone HTML page (UTF-8; every text escaped)."""
    e = html.escape
    parts: List[str] = []
    title = "coalitional report"
    for kind, body in _blocks(_escaped(data)):
        if kind == "title":
            title = body
            parts.append(f"<h1>{e(body)}</h1>")
        elif kind == "heading":
            parts.append(f"<h2>{e(body)}</h2>")
        elif kind == "text":
            parts.append("<p>" + "<br>".join(e(x) for x in body.split("\n")) + "</p>")
        elif kind == "list":
            parts.append("<ul>" + "".join(f"<li>{e(x)}</li>" for x in body) + "</ul>")
        else:
            parts.append(body.html())
    lang = "zh-Hans" if data.get("lang") == "zh" else "en"
    return (f"<!DOCTYPE html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>{e(title)}</title></head>\n<body>\n"
            + "\n".join(parts) + "\n</body></html>\n")


def render_latex(data: Dict[str, Any]) -> str:
    """The report's tables as LaTeX tabulars (text as ``%`` comments)."""
    parts: List[str] = []
    for kind, body in _blocks(_escaped(data)):
        if kind == "table":
            parts.append(body.latex())
        else:
            text = body if isinstance(body, str) else "\n".join(body)
            parts.append("\n".join("% " + line for line in text.split("\n")))
    return "\n\n".join(parts) + "\n"


def _tables(data: Dict[str, Any]) -> List[Table]:
    """The report's tables, and its explanation as a sheet of text (one row per memo)."""
    tables = [body for kind, body in _blocks(data) if kind == "table"]
    memos = [(k, m) for k, m in (data.get("explanation") or {}).items() if m]
    if memos:
        w = _WORDS[data.get("lang") or "en"]
        tables.append(Table(w["explanation"], w["memo"], [k for k, _ in memos], [], [[] for _ in memos],
                            text=[(w["explanation"], [m for _, m in memos])], sheet=w["explanation"]))
    return tables


# C1 controls, DEL, line separators and bidi marks are valid raw in JSON strings but unsafe on a
# terminal; json.dumps escapes C0 itself. (These code points occur only inside strings.)
_JSON_ESCAPES = {c: f"\\u{c:04x}" for c in _ESCAPES if c >= 0x7F}


def to_json(data: Dict[str, Any], ascii_only: bool = False) -> str:
    """The report as JSON (full floats): Chinese and other text kept as is, unless
    ``ascii_only``; characters unsafe on a terminal always escaped."""
    return json.dumps(data, indent=2, ensure_ascii=ascii_only).translate(_JSON_ESCAPES)
