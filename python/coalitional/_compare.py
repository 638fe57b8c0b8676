"""Rules side by side: one column per rule, with each rule's stability and the change from
the status quo.

Every number comes from Rust: each rule's allocation (``Rule::apply``, by name) and its
stability report (``settle``: in the core or not, the coalition with the largest excess, the
change from the status quo). This module lays them out as tables and words.
"""

from __future__ import annotations

import importlib
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple, Type

import numpy as np

from . import _coalitional as _native
from ._allocation import Allocation
from ._coalitional import GameError, GameTooLarge, InvalidGame, SolverError, UndefinedSolution
from ._convert import a_type, tag
from ._explain import Explanation, _and, check_lang, coalition_words, rule_words
from ._export import PathLike, Table, join_html, join_latex, join_markdown, markdown_escape, write_excel
from ._game import Game
from ._settle import Blocking
from ._words import FAILURE_ZH, TERMS, zh_join

#: The rules compared when none are given, in this order. The single-valued cost-allocation
#: rules (``"gately"``, ``"solidarity"``, ``"ensc"``, ``"scrb"``) are accepted by name but
#: not compared by default: the default table stays short enough to read, and SCRB equals the
#: Gately point wherever it is defined, so a default column of each would repeat itself.
DEFAULT_RULES: Tuple[str, ...] = (
    "shapley",
    "banzhaf",
    "nucleolus",
    "tau",
    "least_core",
    "proportional",
    "equal_surplus",
)

#: Failures that make one column of NaN instead of stopping the whole comparison.
_RULE_FAILURES: Tuple[Type[GameError], ...] = (UndefinedSolution, SolverError, GameTooLarge)

#: What a failed cell shows.
_MISSING = "n/a"


class Comparison:
    """Several rules applied to one game, side by side.

    - ``rules``: the rules' canonical names (parsed by Rust: ``"shapley"``, ``"banzhaf"``
      (normalised), ``"nucleolus"``, ``"prenucleolus"``, ``"tau"``, ``"least_core"``,
      ``"proportional"``, ``"equal_surplus"``, ``"gately"``, ``"solidarity"``, ``"ensc"``,
      ``"scrb"``), ``labels``: {name: label};
    - ``shares``: a float64 array of shape (n, k), players × rules; a rule that is undefined
      or fails for this game is a column of NaN, and ``failures`` ({name: exception}) keeps
      the typed error (``.code`` and its fields) that says why;
    - ``allocations``: {name: Allocation} for the rules that succeeded;
    - ``in_core``: {name: bool}; ``largest_complaint``: {name: Blocking}, the coalition with
      the largest excess ``v(S) - x(S)`` (cost games ``x(S) - c(S)``) under that rule;
    - ``status_quo`` (an Allocation or None) and ``changes``: {name: Allocation}, the rule's
      shares minus the status quo (Rust's net transfers).

    ``to_pandas()``, ``to_markdown()``, ``to_latex()``, ``to_html()`` (also
    ``_repr_html_()``), ``to_excel(path)``, ``plot()`` and ``explain()`` present it. The
    exports share one set of tables (:meth:`_tables`): the shares (players × rules), the
    changes from the status quo when there is one, a summary per rule (in the core or not,
    the coalition with the largest complaint and that complaint, the total) and the rules
    that failed with the reason.
    """

    def __init__(self, game: Game, rules: Sequence[str], status_quo: Optional[np.ndarray],
                 progress: Any = False) -> None:
        self.game = game
        self.rules: Tuple[str, ...] = tuple(rules)
        self.labels: Dict[str, str] = {r: _native.rule_label(r) for r in self.rules}
        self.allocations: Dict[str, Allocation] = {}
        self.in_core: Dict[str, bool] = {}
        self.largest_complaint: Dict[str, Blocking] = {}
        self.changes: Dict[str, Allocation] = {}
        self.failures: Dict[str, GameError] = {}
        self.status_quo: Optional[Allocation] = (
            None if status_quo is None else game._allocation(status_quo, "status quo")
        )
        n, k = game.n, len(self.rules)
        self.shares = np.full((n, k), np.nan)
        for j, rule in enumerate(self.rules):
            try:
                x = game._allocation(_apply(game, rule, progress), self.labels[rule])
            except _RULE_FAILURES as err:
                self.failures[rule] = err
                continue
            self.allocations[rule] = x
            self.shares[:, j] = np.asarray(x)
            try:
                report = game._core.settle(np.asarray(x, dtype=np.float64), status_quo, 1)
            except _RULE_FAILURES as err:  # the shares stand; their diagnostics do not
                self.failures[rule] = err
                continue
            self.in_core[rule] = bool(report.in_core)
            if report.blocking:
                b = report.blocking[0]
                self.largest_complaint[rule] = Blocking(tuple(b.members), b.worth, b.allocated, b.excess)
            if self.status_quo is not None:
                self.changes[rule] = game._allocation(report.net, "change from the status quo")
        self.shares.flags.writeable = False

    # -- numbers as shown ---------------------------------------------------------------------

    def _scale(self) -> float:
        parts = [np.abs(self.shares[np.isfinite(self.shares)])]
        if self.status_quo is not None:
            parts.append(np.abs(np.asarray(self.status_quo)))
        return float(np.max(np.concatenate(parts), initial=0.0))

    def _shown(self, values: Iterable[float]) -> List[str]:
        """Values through Rust's rounding rule at the game's resolution (its tolerance); NaN as
        ``n/a``."""
        vals = [float(v) for v in values]
        finite = [v if np.isfinite(v) else 0.0 for v in vals]
        texts = _native.shown_numbers(finite, self._scale(), float(self.game.tolerance))
        return [t if np.isfinite(v) else _MISSING for v, t in zip(vals, texts)]

    # -- tables -------------------------------------------------------------------------------

    def to_pandas(self, table: str = "shares") -> Any:
        """A pandas DataFrame: ``"shares"`` (players × rules, NaN for failed rules),
        ``"summary"`` (one row per rule: total, in_core, largest complaint and its coalition,
        failure) or ``"changes"`` (players × rules: shares minus the status quo; needs a
        status quo)."""
        pd = importlib.import_module("pandas")
        index = pd.Index(self.game.players, name="player")
        columns = pd.Index(list(self.rules), name="rule")
        if table == "shares":
            return pd.DataFrame(np.array(self.shares), index=index, columns=columns)
        if table == "changes":
            if self.status_quo is None:
                raise tag(InvalidGame("this comparison has no status quo; pass status_quo= to compare"),
                          "invalid_parameter", name="table")
            data = {r: (np.asarray(self.changes[r]) if r in self.changes else np.full(self.game.n, np.nan))
                    for r in self.rules}
            return pd.DataFrame(data, index=index, columns=columns)
        if table == "summary":
            rows = []
            for j, rule in enumerate(self.rules):
                b = self.largest_complaint.get(rule)
                err = self.failures.get(rule)
                rows.append(
                    {
                        "label": self.labels[rule],
                        "total": float(np.sum(self.shares[:, j])),
                        "in_core": self.in_core.get(rule),
                        "largest_complaint": np.nan if b is None else b.excess,
                        "coalition": None if b is None else " + ".join(b.members),
                        "failure": None if err is None else str(err),
                    }
                )
            return pd.DataFrame(rows, index=columns)
        raise tag(InvalidGame(f"unknown table {table!r}; use 'shares', 'summary' or 'changes'"),
                  "invalid_parameter", name="table")

    def _tables(self, lang: str = "en") -> List[Table]:
        """The export tables, numbers at one scale (the comparison's, as in ``repr``): the
        shares, the changes from the status quo (when there is one), the summary per rule and,
        when a rule failed, the failures. A failed rule's numbers are NaN: shown as ``n/a``,
        empty cells in Excel."""
        lang = check_lang(lang)
        w = _Words(lang)
        scale = self._scale()
        heads = [rule_words(self.labels[r], lang) for r in self.rules]
        what = w.costs if self.game.kind == "cost" else w.payoffs
        tables: List[Table] = [
            _NaTable(f"{w.title} ({what})" if lang == "en" else f"{w.title}（{what}）", w.player,
                     self.game.players, heads, self.shares, scale=scale, sheet="shares")
        ]
        if self.status_quo is not None:
            changes = np.column_stack(
                [np.asarray(self.changes[r]) if r in self.changes else np.full(self.game.n, np.nan) for r in self.rules]
            )
            tables.append(
                _NaTable(w.changes, w.player, self.game.players, [w.status_quo, *heads],
                         np.column_stack([np.asarray(self.status_quo), changes]), scale=scale, sheet="changes")
            )
        yes, no = ("是", "否") if lang == "zh" else ("yes", "no")
        core: List[str] = []
        who: List[str] = []
        numbers: List[List[float]] = []
        for j, rule in enumerate(self.rules):
            b = self.largest_complaint.get(rule)
            in_core = self.in_core.get(rule)
            core.append(_MISSING if in_core is None else (yes if in_core else no))
            who.append(_MISSING if b is None else coalition_words(b.members, lang))
            numbers.append([float(np.sum(self.shares[:, j])), np.nan if b is None else b.excess])
        tables.append(
            _NaTable(w.summary, w.rule, heads, [w.total, w.complaint], numbers,
                     text=[(w.in_core, core), (w.complainer, who)], scale=scale, sheet="summary")
        )
        if self.failures:
            tables.append(
                Table(w.failures, w.rule, [rule_words(self.labels[r], lang) for r in self.failures], [],
                      np.zeros((len(self.failures), 0)), text=[(w.reason, [str(e) for e in self.failures.values()])],
                      sheet="failures")
            )
        return tables

    def to_markdown(self, lang: str = "en") -> str:
        """The comparison as Markdown: titled pipe tables for the shares (players × rules),
        the changes from the status quo when there is one, a summary per rule and, as a list,
        the failures. Numbers as in ``repr`` (Rust's rounding rule); no ``tabulate`` needed."""
        tables = self._tables(lang)
        failed = [t for t in tables if t.sheet == "failures"]
        out = join_markdown([t for t in tables if t.sheet != "failures"])
        for t in failed:  # a list reads better than a table of long reasons
            items = [f"- {markdown_escape(r)}: {markdown_escape(why)}" for r, why in zip(t.labels, t.text[0][1])]
            out += "\n\n" + "\n".join([f"**{markdown_escape(t.title)}**", "", *items])
        return out

    def to_latex(self, lang: str = "en") -> str:
        """The comparison as LaTeX ``tabular`` environments (shares, changes, summary,
        failures), each titled by a ``%`` comment; special characters escaped, numbers as in
        ``repr``. Chinese text (``lang="zh"``) needs XeLaTeX with ``xeCJK`` or ``ctex``."""
        return join_latex(self._tables(lang))

    def to_html(self, lang: str = "en") -> str:
        """The comparison as HTML: one ``<div>`` of captioned tables (every text escaped),
        numbers as in ``repr``."""
        return join_html(self._tables(lang))

    def to_excel(self, path: PathLike, lang: str = "en") -> None:
        """Writes the comparison to an .xlsx file with the sheets ``shares``, ``changes`` (with
        a status quo), ``summary`` and ``failures`` (when a rule failed): full float values,
        empty cells for failed rules (needs openpyxl: ``pip install "coalitional[excel]"``)."""
        write_excel(path, self._tables(lang), "Comparison.to_excel")

    def _repr_html_(self) -> str:
        return self.to_html()

    def __repr__(self) -> str:
        heads = [self.labels[r] for r in self.rules]
        cells = [[p, *self._shown(row)] for p, row in zip(self.game.players, self.shares)]
        table = [["player", *heads], *cells]
        widths = [max(len(r[j]) for r in table) for j in range(len(table[0]))]
        k = len(self.rules)
        lines = [f"Comparison of {k} rule{'' if k == 1 else 's'} ({'cost shares' if self.game.kind == 'cost' else 'payoffs'})"]
        for line in table:
            lines.append("  " + "  ".join(c.ljust(widths[j]) if j == 0 else c.rjust(widths[j]) for j, c in enumerate(line)))
        core = [self.labels[r] for r in self.rules if self.in_core.get(r)]
        lines.append("  in the core: " + (", ".join(core) if core else "none"))
        for rule, err in self.failures.items():
            lines.append(f"  {self.labels[rule]}: {getattr(err, 'code', None) or type(err).__name__}")
        return "\n".join(lines)

    def plot(self, ax: Any = None, lang: str = "en", title: Optional[str] = None) -> Any:
        """Grouped bars: one group per player, one bar per rule that succeeded (needs
        matplotlib, the ``plot`` extra: ``pip install coalitional[plot]``). Returns the Axes."""
        check_lang(lang)
        try:
            importlib.import_module("matplotlib")
        except ImportError:
            raise ImportError(
                "Comparison.plot needs matplotlib, the 'plot' extra: pip install coalitional[plot]"
            ) from None
        from . import plot as _plot

        shown = [self.allocations[r] for r in self.rules if r in self.allocations]
        return _plot.allocations(self.game, shown, ax=ax, lang=lang, title=title)

    def _spread(self) -> Dict[str, float]:
        """{player: largest share - smallest share} over the rules that succeeded; a
        difference within the game's tolerance is 0 (a tie, not a difference)."""
        finite = np.isfinite(self.shares).all(axis=0)
        if not finite.any():
            return {}
        cols = self.shares[:, finite]
        tol = float(self.game.tolerance)
        return {p: (0.0 if hi - lo <= tol else float(hi - lo))
                for p, hi, lo in zip(self.game.players, cols.max(axis=1), cols.min(axis=1))}

    def explain(self, lang: str = "en") -> Explanation:
        """A short memo: which rules give a stable split, which players depend most on the
        choice of rule (shares within the game's tolerance count as equal: tied rules are named
        together, and when all rules agree the memo says so), and which rules could not be
        applied."""
        lang = check_lang(lang)
        spread = self._spread()
        stable = tuple(r for r in self.rules if self.in_core.get(r))
        names = [rule_words(self.labels[r], lang) for r in stable]
        parts: List[str] = []
        tol = float(self.game.tolerance)
        top = max(spread.values(), default=0.0)
        # Every player whose spread ties the largest one (within the tolerance), in player order.
        most = [p for p, d in spread.items() if top > 0 and d >= top - tol]
        several = len([r for r in self.rules if r in self.allocations]) > 1
        k = len(self.rules)
        if lang == "zh":
            parts.append(f"本表比较了 {k} 种分配规则。")
            parts.append(("位于核心之内（没有联盟能通过退出获益）的规则：" + "、".join(names) + "。") if names
                         else "没有一种规则给出位于核心之内的分配。")
            if several and not most:
                parts.append("各规则给出的分配相同（在本博弈的精度内）。")
            elif several:
                p = most[0]
                low, high = self._extremes(p)
                lows = "、".join(rule_words(self.labels[r], lang) for r in low)
                highs = "、".join(rule_words(self.labels[r], lang) for r in high)
                who = "、".join(most)
                parts.append(zh_join("规则的选择对", who, f"影响最大：不同规则下的差距为 {self._shown([top])[0]}"
                                     f"（{lows}最少，{highs}最多）。"))
            for r, err in self.failures.items():
                parts.append(_failure_zh(self, r, err))
            text = "".join(parts)
        else:
            parts.append(f"The table compares {k} rule{'' if k == 1 else 's'}.")
            parts.append(("Rules whose split is in the core (no group gains by leaving): " + _and(names, lang) + ".")
                         if names else "No rule gives a split in the core.")
            if several and not most:
                parts.append("All the rules give the same split (within the game's tolerance).")
            elif several:
                p = most[0]
                low, high = self._extremes(p)
                lows = _and([f"the {self.labels[r]}" for r in low], lang)
                highs = _and([f"the {self.labels[r]}" for r in high], lang)
                who = _and(most, lang)
                whose = "its share ranges" if len(most) == 1 else "each one's share ranges"
                parts.append(f"The choice of rule matters most to {who}: {whose} over {self._shown([top])[0]} "
                             f"(least under {lows}, most under {highs}).")
            for r, err in self.failures.items():
                reason = getattr(err, "reason", None) or str(err)
                parts.append(f"The {self.labels[r]} cannot be applied to this game: {reason}.")
            text = " ".join(parts)
        return Explanation(text, lang=lang, subject="comparison", spread=spread, in_core_rules=stable)

    def _extremes(self, player: str) -> Tuple[List[str], List[str]]:
        """The rules giving ``player`` its smallest share and those giving its largest, ties
        (within the game's tolerance) listed together in the rules' order."""
        i = self.game.players.index(player)
        ok = [r for r in self.rules if r in self.allocations]
        values = {r: float(self.shares[i, self.rules.index(r)]) for r in ok}
        tol = float(self.game.tolerance)
        lo, hi = min(values.values()), max(values.values())
        return [r for r in ok if values[r] <= lo + tol], [r for r in ok if values[r] >= hi - tol]


def _failure_zh(c: "Comparison", rule: str, err: GameError) -> str:
    """Why ``rule`` failed for the comparison's game, in Chinese (the English message stays in
    ``failures``)."""
    name = rule_words(c.labels[rule], "zh")
    return zh_join(name, failure_reason_zh(c.game, rule, err)) + "（详见 failures）。"


def failure_reason_zh(game: Game, rule: Optional[str], err: Any) -> str:
    """``"不适用于本博弈：<reason>"`` or ``"无法用于本博弈：<reason>"`` for a rule (or a
    report section) that failed with ``err``, the reason in Chinese for the common codes."""
    code = str(getattr(err, "code", None))
    if code != "undefined":
        return "无法用于本博弈：" + FAILURE_ZH.get(code, "计算失败")
    what = "成本" if game.kind == "cost" else "收益"
    try:
        single = np.array([game.values[1 << i] for i in range(game.n)], dtype=np.float64)
        grand = float(game.values[-1])
    except Exception:  # noqa: BLE001 - a class too large for its values: the generic reason
        single, grand = None, 0.0
    tol = float(game.tolerance)
    reason = FAILURE_ZH["undefined"]
    if rule == "proportional" and single is not None:
        if np.all(np.abs(single) <= tol):
            reason = f"各成员单独行动的{what}均为 0，无从按比例分配"
        else:
            reason = f"各成员单独行动的{what}有正有负，无从按比例分配"
    elif rule == "banzhaf":
        reason = "原始班扎夫值之和为 0，无法归一化"
    elif rule == "nucleolus" and single is not None:
        short = single.sum() - grand if game.kind == "value" else grand - single.sum()
        if short > tol:
            reason = (f"各成员单独行动的{what}之和{'超过' if game.kind == 'value' else '低于'}大联盟的{what}，"
                      "不存在个体理性的分配")
    return "不适用于本博弈：" + reason


class _Words:
    def __init__(self, lang: str) -> None:
        zh = lang == "zh"
        self.title = "各规则的分配比较" if zh else "Shares under each rule"
        self.changes = "相对现状的变化" if zh else "Change from the status quo"
        self.summary = "各规则的稳定性" if zh else "Stability of each rule"
        self.failures = "无法应用的规则" if zh else "Rules that could not be applied"
        self.player = TERMS[lang]["player"]
        self.status_quo = TERMS[lang]["status quo"]
        self.rule = TERMS[lang]["rule"]
        self.total = "合计" if zh else "total"
        self.in_core = "在核心内" if zh else "in the core"
        self.complaint = TERMS["zh"]["largest excess"] if zh else "largest complaint"
        self.coalition = "联盟" if zh else "coalition"
        self.complainer = "超额最大的联盟" if zh else "coalition with the largest complaint"
        self.reason = "原因" if zh else "reason"
        self.payoffs = TERMS[lang]["payoffs"]
        self.costs = TERMS[lang]["cost shares"]


class _NaTable(Table):
    """A :class:`Table` whose NaN numbers (a rule that failed) are shown as ``n/a``."""

    __slots__ = ()

    def shown(self) -> List[List[str]]:
        rows = super().shown()
        first = 1 + len(self.text)
        for row, numbers in zip(rows, self.numbers):
            for j, x in enumerate(numbers):
                if np.isnan(x):
                    row[first + j] = _MISSING
        return rows


def rule_names(rules: Optional[Iterable[str]]) -> List[str]:
    """Canonical rule names (default :data:`DEFAULT_RULES`), each once; what :func:`compare`
    and ``ScenarioGame.table`` read."""
    if rules is None:
        return list(DEFAULT_RULES)
    if isinstance(rules, str):
        rules = [rules]
    names: List[str] = []
    for r in rules:
        if not isinstance(r, str):
            raise tag(InvalidGame(f"rules must be names of rules, not {a_type(r)}"), "invalid_parameter", name="rules")
        canonical = _canonical(r)
        if canonical not in names:
            names.append(canonical)
    if not names:
        raise tag(InvalidGame("rules is empty; name at least one rule"), "invalid_parameter", name="rules")
    return names


def compare(game: Game, rules: Optional[Iterable[str]] = None, status_quo: Any = None, *,
            progress: Any = False) -> Comparison:
    """The rules ``rules`` (names; default :data:`DEFAULT_RULES`: Shapley, normalised Banzhaf,
    nucleolus, tau, least core, proportional, equal surplus) applied to ``game`` side by side,
    with each rule's stability and, given ``status_quo`` (an Allocation, a sequence in player
    order or a {name: value} dict), the change from it. Names are parsed by Rust (any case,
    ``-`` or space for ``_``); an unknown name is an ``InvalidGame`` (code
    ``invalid_parameter``, name ``rule``). A rule that is undefined for the game, or whose
    solver fails, becomes a column of NaN with its error in ``failures``. Rules may also be
    named by their labels (``"Shapley value"``, any case). ``progress`` is passed to the
    nucleolus, prenucleolus and least-core computations (as in :meth:`Game.nucleolus`)."""
    if not isinstance(game, Game):
        raise tag(InvalidGame(f"game must be a coalitional Game, not {a_type(game)}"), "invalid_parameter", name="game")
    names = rule_names(rules)
    sq = None
    if status_quo is not None:
        given = status_quo.to_dict() if isinstance(status_quo, Allocation) else status_quo
        sq = game._vector(given, "status_quo")
    return Comparison(game, names, sq, progress)


def _apply(game: Game, rule: str, progress: Any) -> Any:
    """The rule's allocation (Rust's ``Rule::apply``); the linear-programming rules through the
    Game methods, which report progress. The least core's point is its centre, the
    prenucleolus (see ``Rule::LeastCore``)."""
    if progress is not False and progress is not None:
        method = {"nucleolus": "nucleolus", "prenucleolus": "prenucleolus", "least_core": "prenucleolus"}.get(rule)
        if method is not None and game.n >= 2:
            return np.asarray(getattr(game, method)(progress=progress), dtype=np.float64)
    return game._core.rule(rule)


def _canonical(name: str) -> str:
    """The canonical name of a rule: its name as Rust parses it, or its label (any case;
    labels from Rust's ``rule_label``, for each of ``_native.RULES``)."""
    labels = {str(_native.rule_label(r)).lower(): str(r) for r in _native.RULES}
    if name.strip().lower() in labels:
        return labels[name.strip().lower()]
    label = _native.rule_label(name)
    for r in _native.RULES:
        if _native.rule_label(r) == label:
            return str(r)
    raise tag(InvalidGame(f"{name!r} is not a rule"), "invalid_parameter", name="rule")  # pragma: no cover
