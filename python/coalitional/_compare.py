"""Rules side by side: one column per rule, with each rule's stability and the change from
the status quo.

Every number comes from Rust: each rule's allocation (``Rule::apply``, by name) and its
stability report (``settle``: in the core or not, the coalition with the largest excess, the
change from the status quo). This module lays them out as tables and words.
"""

from __future__ import annotations

import html
import importlib
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple, Type

import numpy as np

from . import _coalitional as _native
from ._allocation import Allocation
from ._coalitional import GameError, GameTooLarge, InvalidGame, SolverError, UndefinedSolution
from ._convert import a_type, tag
from ._explain import Explanation, _and, check_lang, coalition_words, rule_words
from ._game import Game
from ._settle import Blocking

#: The rules compared when none are given, in this order.
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
      ``"proportional"``, ``"equal_surplus"``), ``labels``: {name: label};
    - ``shares``: a float64 array of shape (n, k), players × rules; a rule that is undefined
      or fails for this game is a column of NaN, and ``failures`` ({name: exception}) keeps
      the typed error (``.code`` and its fields) that says why;
    - ``allocations``: {name: Allocation} for the rules that succeeded;
    - ``in_core``: {name: bool}; ``largest_complaint``: {name: Blocking}, the coalition with
      the largest excess ``v(S) - x(S)`` (cost games ``x(S) - c(S)``) under that rule;
    - ``status_quo`` (an Allocation or None) and ``changes``: {name: Allocation}, the rule's
      shares minus the status quo (Rust's net transfers).

    ``to_pandas()``, ``to_markdown()``, ``_repr_html_()``, ``plot()`` and ``explain()``
    present it.
    """

    def __init__(self, game: Game, rules: Sequence[str], status_quo: Optional[np.ndarray]) -> None:
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
                x = game._allocation(game._core.rule(rule), self.labels[rule])
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
        """Values through Rust's rounding rule at the comparison's scale; NaN as ``n/a``."""
        vals = [float(v) for v in values]
        finite = [v if np.isfinite(v) else 0.0 for v in vals]
        texts = _native.shown_numbers(finite, self._scale())
        return [t if np.isfinite(v) else _MISSING for v, t in zip(vals, texts)]

    def _summary_rows(self, lang: str = "en") -> List[Tuple[str, str, str, str, str]]:
        """Per rule: label, total, in the core, largest complaint, its coalition."""
        yes, no = ("是", "否") if lang == "zh" else ("yes", "no")
        rows = []
        for rule in self.rules:
            total = float(np.sum(self.shares[:, self.rules.index(rule)]))
            b = self.largest_complaint.get(rule)
            core = self.in_core.get(rule)
            rows.append(
                (
                    rule_words(self.labels[rule], lang),
                    self._shown([total])[0],
                    _MISSING if core is None else (yes if core else no),
                    _MISSING if b is None else self._shown([b.excess])[0],
                    _MISSING if b is None else coalition_words(b.members, lang),
                )
            )
        return rows

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

    def to_markdown(self, lang: str = "en") -> str:
        """The comparison as Markdown: the shares (players × rules), the changes from the
        status quo when there is one, a summary per rule and the failures. Written here, so
        no ``tabulate`` is needed."""
        lang = check_lang(lang)
        w = _Words(lang)
        heads = [rule_words(self.labels[r], lang) for r in self.rules]
        out = [f"**{w.title}**", ""]
        out += _md_table([w.player, *heads], [[p, *self._shown(row)] for p, row in zip(self.game.players, self.shares)])
        if self.status_quo is not None:
            changes = np.column_stack(
                [np.asarray(self.changes[r]) if r in self.changes else np.full(self.game.n, np.nan) for r in self.rules]
            )
            out += ["", f"**{w.changes}**", ""]
            out += _md_table([w.player, w.status_quo, *heads],
                             [[p, self._shown([s])[0], *self._shown(row)]
                              for p, s, row in zip(self.game.players, self.status_quo, changes)])
        out += ["", f"**{w.summary}**", ""]
        out += _md_table([w.rule, w.total, w.in_core, w.complaint, w.coalition],
                         [list(r) for r in self._summary_rows(lang)], left=(0, 2, 4))
        if self.failures:
            out += ["", f"**{w.failures}**", ""]
            out += [f"- {rule_words(self.labels[r], lang)}: {_escape_md(str(e))}" for r, e in self.failures.items()]
        return "\n".join(out)

    def _repr_html_(self) -> str:
        e = html.escape
        w = _Words("en")
        heads = "".join(f"<th>{e(self.labels[r])}</th>" for r in self.rules)
        rows = "".join(
            f"<tr><td>{e(p)}</td>" + "".join(f"<td style='text-align:right'>{v}</td>" for v in self._shown(row)) + "</tr>"
            for p, row in zip(self.game.players, self.shares)
        )
        summary = "".join(
            "<tr>" + "".join(f"<td>{e(c)}</td>" for c in r) + "</tr>" for r in self._summary_rows()
        )
        failed = "".join(f"<li>{e(self.labels[r])}: {e(str(x))}</li>" for r, x in self.failures.items())
        what = "cost shares" if self.game.kind == "cost" else "payoffs"
        return (
            f"<div><table><caption>{e(w.title)} ({what})</caption>"
            f"<thead><tr><th>player</th>{heads}</tr></thead><tbody>{rows}</tbody></table>"
            f"<table><caption>{e(w.summary)}</caption><thead><tr><th>rule</th><th>total</th><th>in the core</th>"
            f"<th>largest complaint</th><th>coalition</th></tr></thead><tbody>{summary}</tbody></table>"
            + (f"<p>{e(w.failures)}:</p><ul>{failed}</ul>" if failed else "")
            + "</div>"
        )

    def __repr__(self) -> str:
        heads = [self.labels[r] for r in self.rules]
        cells = [[p, *self._shown(row)] for p, row in zip(self.game.players, self.shares)]
        table = [["player", *heads], *cells]
        widths = [max(len(r[j]) for r in table) for j in range(len(table[0]))]
        lines = [f"Comparison of {len(self.rules)} rules ({'cost shares' if self.game.kind == 'cost' else 'payoffs'})"]
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

    def explain(self, lang: str = "en") -> Explanation:
        """A short memo: which rules give a stable split, which players depend most on the
        choice of rule, and which rules could not be applied."""
        lang = check_lang(lang)
        finite = np.isfinite(self.shares).all(axis=0)
        spread: Dict[str, float] = {}
        if finite.any():
            cols = self.shares[:, finite]
            spread = {p: float(hi - lo) for p, hi, lo in zip(self.game.players, cols.max(axis=1), cols.min(axis=1))}
        stable = tuple(r for r in self.rules if self.in_core.get(r))
        names = [rule_words(self.labels[r], lang) for r in stable]
        parts: List[str] = []
        ordered = sorted(spread.items(), key=lambda kv: -kv[1])
        if lang == "zh":
            parts.append(f"本表比较了 {len(self.rules)} 种分配规则。")
            parts.append(("位于核心之内（没有联盟能通过退出获益）的规则：" + "、".join(names) + "。") if names
                         else "没有一种规则给出位于核心之内的分配。")
            if ordered and len([r for r in self.rules if r in self.allocations]) > 1:
                p, d = ordered[0]
                low, high = self._extremes(p)
                parts.append(f"规则的选择对{p}影响最大：不同规则下的差距为 {self._shown([d])[0]}"
                             f"（{rule_words(self.labels[low], lang)}最少，{rule_words(self.labels[high], lang)}最多）。")
            why = {"undefined": "对本博弈无定义", "solver": "求解失败", "too_large": "博弈规模过大"}
            for r, err in self.failures.items():
                reason = why.get(str(getattr(err, "code", None)), "计算失败")
                parts.append(f"{rule_words(self.labels[r], lang)}无法用于本博弈：{reason}（详见 failures）。")
            text = "".join(parts)
        else:
            parts.append(f"The table compares {len(self.rules)} rules.")
            parts.append(("Rules whose split is in the core (no group gains by leaving): " + _and(names, lang) + ".")
                         if names else "No rule gives a split in the core.")
            if ordered and len([r for r in self.rules if r in self.allocations]) > 1:
                p, d = ordered[0]
                low, high = self._extremes(p)
                parts.append(f"The choice of rule matters most to {p}: its share ranges over {self._shown([d])[0]} "
                             f"(least under the {self.labels[low]}, most under the {self.labels[high]}).")
            for r, err in self.failures.items():
                reason = getattr(err, "reason", None) or str(err)
                parts.append(f"The {self.labels[r]} cannot be applied to this game: {reason}.")
            text = " ".join(parts)
        return Explanation(text, lang=lang, subject="comparison", spread=spread, in_core_rules=stable)

    def _extremes(self, player: str) -> Tuple[str, str]:
        i = self.game.players.index(player)
        ok = [r for r in self.rules if r in self.allocations]
        values = [self.shares[i, self.rules.index(r)] for r in ok]
        return ok[int(np.argmin(values))], ok[int(np.argmax(values))]


class _Words:
    def __init__(self, lang: str) -> None:
        zh = lang == "zh"
        self.title = "各规则的分配比较" if zh else "Shares under each rule"
        self.changes = "相对现状的变化" if zh else "Change from the status quo"
        self.summary = "各规则的稳定性" if zh else "Stability of each rule"
        self.failures = "无法应用的规则" if zh else "Rules that could not be applied"
        self.player = "成员" if zh else "player"
        self.status_quo = "现状" if zh else "status quo"
        self.rule = "规则" if zh else "rule"
        self.total = "合计" if zh else "total"
        self.in_core = "在核心内" if zh else "in the core"
        self.complaint = "最大不满" if zh else "largest complaint"
        self.coalition = "联盟" if zh else "coalition"


def _escape_md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _md_table(header: Sequence[str], rows: Sequence[Sequence[str]], left: Tuple[int, ...] = (0,)) -> List[str]:
    """A pipe table: text columns (``left``) aligned left, numbers right."""
    line = lambda cells: "| " + " | ".join(_escape_md(str(c)) for c in cells) + " |"  # noqa: E731
    rule = "|" + "|".join(":---" if j in left else "---:" for j in range(len(header))) + "|"
    return [line(header), rule, *(line(r) for r in rows)]


def compare(game: Game, rules: Optional[Iterable[str]] = None, status_quo: Any = None) -> Comparison:
    """The rules ``rules`` (names; default :data:`DEFAULT_RULES`: Shapley, normalised Banzhaf,
    nucleolus, tau, least core, proportional, equal surplus) applied to ``game`` side by side,
    with each rule's stability and, given ``status_quo`` (an Allocation, a sequence in player
    order or a {name: value} dict), the change from it. Names are parsed by Rust (any case,
    ``-`` or space for ``_``); an unknown name is an ``InvalidGame`` (code
    ``invalid_parameter``, name ``rule``). A rule that is undefined for the game, or whose
    solver fails, becomes a column of NaN with its error in ``failures``."""
    if not isinstance(game, Game):
        raise tag(InvalidGame(f"game must be a coalitional Game, not {a_type(game)}"), "invalid_parameter", name="game")
    if rules is None:
        names: List[str] = list(DEFAULT_RULES)
    else:
        if isinstance(rules, str):
            rules = [rules]
        names = []
        for r in rules:
            if not isinstance(r, str):
                raise tag(InvalidGame(f"rules must be names of rules, not {a_type(r)}"), "invalid_parameter", name="rules")
            canonical = _canonical(r)
            if canonical not in names:
                names.append(canonical)
        if not names:
            raise tag(InvalidGame("rules is empty; name at least one rule"), "invalid_parameter", name="rules")
    sq = None
    if status_quo is not None:
        given = status_quo.to_dict() if isinstance(status_quo, Allocation) else status_quo
        sq = game._vector(given, "status_quo")
    return Comparison(game, names, sq)


def _canonical(name: str) -> str:
    """The canonical name of a rule (Rust parses it; its label identifies it)."""
    label = _native.rule_label(name)
    for r in _native.RULES:
        if _native.rule_label(r) == label:
            return str(r)
    raise tag(InvalidGame(f"{name!r} is not a rule"), "invalid_parameter", name="rule")  # pragma: no cover
