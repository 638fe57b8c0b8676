"""Settlements: from where the players stand today to a fair split, and who pays whom."""

from __future__ import annotations

import html
import importlib
import sys
from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Literal, NamedTuple, Optional, Sequence, Tuple, Union

import numpy as np

from ._allocation import Allocation, LeastCore
from ._closest import ClosestPoint
from . import _coalitional as _native
from ._coalitional import InvalidGame
from ._convert import a_type, count
from ._export import PathLike, Table, join_html, join_latex, join_markdown, markdown_escape, write_excel
from ._game import Game, _player_names

if TYPE_CHECKING:  # pragma: no cover
    from ._explain import Explanation

OUTSIDE = "(outside)"
#: The words of the settlement exports, by ``lang``.
_WORDS: Dict[str, Dict[str, str]] = {
    "en": {
        "players": "Per player", "payments": "Payments",
        "blocking": "Coalitions closest to leaving (excess > 0: would gain by leaving)",
        "players_sheet": "players", "payments_sheet": "payments", "blocking_sheet": "blocking",
        "outside": OUTSIDE, "no_payments": "no payments", "player": "player", "status_quo": "status quo",
        "net": "net transfer", "payer": "payer", "payee": "payee", "amount": "amount",
        "coalition": "coalition", "worth": "worth", "allocated": "allocated", "excess": "excess",
        "settlement": "Settlement to the {target}", "in_core": "in the core", "not_in_core": "not in the core",
        "below": "worse than alone for {names}", "gain": "{members} would gain {x} by leaving",
        "cos": "cost of stability {x}", "sep": "; ", "list": ", ", "plus": " + ", "target": "target",
    },
    "zh": {
        "players": "各成员", "payments": "支付", "blocking": "最接近退出的联盟（超额 > 0：退出即获益）",
        "players_sheet": "各成员", "payments_sheet": "支付", "blocking_sheet": "最接近退出的联盟",
        "outside": "（外部）", "no_payments": "无需支付", "player": "成员", "status_quo": "现状",
        "net": "净转移", "payer": "支付方", "payee": "收款方", "amount": "金额",
        "coalition": "联盟", "worth": "联盟值", "allocated": "已分配", "excess": "超额",
        "settlement": "向{target}的结算", "in_core": "在核心中", "not_in_core": "不在核心中",
        "below": "{names}不如单干", "gain": "{members}退出可多得 {x}",
        "cos": "稳定成本 {x}", "sep": "；", "list": "、", "plus": "＋", "target": "目标",
    },
}


def _words(lang: str) -> Dict[str, str]:
    from ._explain import check_lang

    return _WORDS[check_lang(lang)]
#: The rules a settlement can target (their names and parsing belong to Rust's ``Rule``).
RULES: Tuple[str, ...] = tuple(_native.RULES)


class Payment(NamedTuple):
    """One payment: ``payer`` gives ``amount`` to ``payee`` (either may be ``"(outside)"``)."""

    payer: str
    payee: str
    amount: float


class Blocking(NamedTuple):
    """A coalition and its excess at the target: positive means it gains by walking away."""

    members: Tuple[str, ...]
    worth: float
    allocated: float
    excess: float


def coalition_label(players: Sequence[str], members: Sequence[str]) -> str:
    """Members joined by '+', or 'all but ...' for large coalitions with few outsiders."""
    if len(members) >= 4 and 2 * (len(players) - len(members)) < len(members):
        inside = set(members)
        return "all but " + " + ".join(p for p in players if p not in inside)
    return " + ".join(members)


def _fmt(x: float, scale: Optional[float] = None, resolution: Optional[float] = None) -> str:
    """``x`` as people see it next to numbers of magnitude ``scale``, or at ``resolution`` (the
    game's tolerance) when given: Rust's one rounding rule (the same as its ``Display``), so
    that float noise never reaches a memo."""
    return str(_native.shown_numbers([float(x)], scale, resolution)[0])


class Settlement:
    """The way from a status quo to a target allocation, with a stability report.

    - ``net_transfers``: target - status quo per player (value games: positive = receives;
      cost games: positive = pays more);
    - ``gap``: sum(target) - sum(status quo); when it is not 0 the difference is settled with
      the outside party ``"(outside)"`` (a subsidy, or a surplus left over);
    - ``transfers`` (also ``payments``): who pays whom, at most n - 1 payments when balanced;
    - ``individually_rational``, ``below_standalone``, ``in_core``, ``blocking`` (the
      coalitions with the largest excess), ``cost_of_stability``.
    """

    def __init__(self, game: Game, target: Allocation, native: Any) -> None:
        """Labels the native ``SettlementCore`` (computed by Rust) with the game's players."""
        self.game = game
        self.target = target
        self.status_quo = Allocation(native.status_quo, game.players, label="status quo", kind=game.kind)
        self.net_transfers = Allocation(native.net, game.players, label="net transfer", kind=game.kind)
        self.gap: float = native.gap
        self.transfers: List[Payment] = [Payment(p.payer, p.payee, p.amount) for p in native.payments]
        self.below_standalone: Tuple[str, ...] = tuple(native.below_standalone)
        self.in_core: bool = native.in_core
        self.blocking: List[Blocking] = [
            Blocking(tuple(b.members), b.worth, b.allocated, b.excess) for b in native.blocking
        ]
        self.cost_of_stability: float = native.cost_of_stability

    @property
    def _target_name(self) -> str:
        return self.target.label or "target"

    @property
    def payments(self) -> List[Payment]:
        """Same as ``transfers``."""
        return self.transfers

    @property
    def individually_rational(self) -> bool:
        """No player is worse off under the target than alone."""
        return not self.below_standalone

    @property
    def balanced(self) -> bool:
        """The target and the status quo have the same total (no outside money)."""
        return not any(OUTSIDE in (p.payer, p.payee) for p in self.transfers)

    def to_dict(self) -> Dict[str, Any]:
        """Plain data (JSON-ready)."""
        return {
            "kind": self.game.kind,
            "target": {"label": self.target.label, "shares": self.target.to_dict()},
            "status_quo": self.status_quo.to_dict(),
            "net_transfers": self.net_transfers.to_dict(),
            "gap": self.gap,
            "payments": [p._asdict() for p in self.transfers],
            "individually_rational": self.individually_rational,
            "below_standalone": list(self.below_standalone),
            "in_core": self.in_core,
            "blocking": [dict(b._asdict(), members=list(b.members)) for b in self.blocking],
            "cost_of_stability": self.cost_of_stability,
        }

    def to_pandas(self, table: Literal["players", "payments", "blocking"] = "players") -> Any:
        """A pandas DataFrame: ``"players"`` (status quo, target, net transfer per player),
        ``"payments"`` or ``"blocking"``."""
        pd = importlib.import_module("pandas")
        if table == "players":
            return pd.DataFrame(
                {
                    "status quo": np.asarray(self.status_quo),
                    "target": np.asarray(self.target),
                    "net transfer": np.asarray(self.net_transfers),
                },
                index=pd.Index(self.game.players, name="player"),
            )
        if table == "payments":
            return pd.DataFrame(self.transfers, columns=list(Payment._fields))
        if table == "blocking":
            rows = [(" + ".join(b.members), b.worth, b.allocated, b.excess) for b in self.blocking]
            return pd.DataFrame(rows, columns=["coalition", "worth", "allocated", "excess"])
        raise ValueError(f"unknown table {table!r}; use 'players', 'payments' or 'blocking'")

    def explain(self, lang: str = "en") -> "Explanation":
        """A short memo text (``lang="en"`` or ``"zh"``): who pays whom, which coalitions
        would do better on their own under today's split, and whether the target is stable
        (in the core, its largest complaint). An :class:`Explanation`: a ``str`` with the
        facts as attributes (``payments``, ``blocking_today``, ``in_core``,
        ``largest_complaint``)."""
        from ._explain import explain_settlement

        return explain_settlement(self, lang)

    def _n(self, x: float) -> str:
        """A number of this settlement as shown: at the game's tolerance (as the game's
        allocations are shown)."""
        return _fmt(x, None, self.game.tolerance)

    def _verdict(self, lang: str = "en") -> str:
        w = _words(lang)
        parts = [w["in_core"] if self.in_core else w["not_in_core"]]
        if not self.individually_rational:
            parts.append(w["below"].format(names=w["list"].join(self.below_standalone)))
        if self.blocking and self.blocking[0].excess > 0:
            b = self.blocking[0]
            parts.append(w["gain"].format(members=w["plus"].join(b.members), x=self._n(b.excess)))
        parts.append(w["cos"].format(x=self._n(self.cost_of_stability)))
        return w["sep"].join(parts)

    def __repr__(self) -> str:
        lines = [f"Settlement to the {self._target_name} ({self._verdict()})"]
        if self.gap and not self.balanced:
            lines.append(f"  gap {self._n(self.gap)} settled with {OUTSIDE}")
        lines += [f"  {p.payer} -> {p.payee}: {self._n(p.amount)}" for p in self.transfers] or ["  no payments"]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        e = html.escape
        rows = "".join(
            f"<tr><td>{e(p)}</td><td>{self._n(s)}</td><td>{self._n(t)}</td><td>{self._n(d)}</td></tr>"
            for p, s, t, d in zip(self.game.players, self.status_quo, self.target, self.net_transfers)
        )
        pays = "".join(
            f"<tr><td>{e(p.payer)}</td><td>{e(p.payee)}</td><td>{self._n(p.amount)}</td></tr>" for p in self.transfers
        ) or "<tr><td colspan='3'>no payments</td></tr>"
        blocks = "".join(
            f"<tr><td>{e(' + '.join(b.members))}</td><td>{self._n(b.worth)}</td><td>{self._n(b.allocated)}</td>"
            f"<td>{self._n(b.excess)}</td></tr>"
            for b in self.blocking
        )
        return (
            f"<div><p><b>Settlement to the {e(self._target_name)}</b>: {e(self._verdict())}</p>"
            "<table><thead><tr><th>player</th><th>status quo</th><th>target</th><th>net transfer</th></tr>"
            f"</thead><tbody>{rows}</tbody></table>"
            "<table><thead><tr><th>payer</th><th>payee</th><th>amount</th></tr></thead>"
            f"<tbody>{pays}</tbody></table>"
            "<table><thead><tr><th>coalition</th><th>worth</th><th>allocated</th><th>excess</th></tr></thead>"
            f"<tbody>{blocks}</tbody></table></div>"
        )

    # -- exports ------------------------------------------------------------------------------

    def _tables(self, lang: str = "en") -> List[Table]:
        """The three export tables (players, payments, blocking), numbers at the game's
        tolerance; headings, sheet names and the outside party in ``lang``."""
        w = _words(lang)
        resolution = self.game.tolerance
        target = self.target.label or w["target"]

        def party(name: str) -> str:
            return w["outside"] if name == OUTSIDE else name

        players = Table(
            w["players"],
            w["player"],
            self.game.players,
            [w["status_quo"], target, w["net"]],
            np.column_stack([np.asarray(self.status_quo), np.asarray(self.target), np.asarray(self.net_transfers)]),
            resolution=resolution,
            sheet=w["players_sheet"],
        )
        payments = Table(
            w["payments"],
            w["payer"],
            [party(p.payer) for p in self.transfers],
            [w["amount"]],
            [[p.amount] for p in self.transfers],
            text=[(w["payee"], [party(p.payee) for p in self.transfers])],
            resolution=resolution,
            sheet=w["payments_sheet"],
        )
        blocking = Table(
            w["blocking"],
            w["coalition"],
            [w["plus"].join(b.members) for b in self.blocking],
            [w["worth"], w["allocated"], w["excess"]],
            [[b.worth, b.allocated, b.excess] for b in self.blocking],
            resolution=resolution,
            sheet=w["blocking_sheet"],
        )
        return [players, payments, blocking]

    def _heading(self, lang: str = "en") -> str:
        w = _words(lang)
        title = w["settlement"].format(target=self.target.label or w["target"])
        return f"{title}{'：' if lang == 'zh' else ': '}{self._verdict(lang)}"

    def to_markdown(self, lang: str = "en") -> str:
        """The settlement in Markdown: a bold verdict line, then three pipe tables (per player,
        payments, blocking coalitions), numbers as in ``repr`` (Rust's rounding rule at the
        game's tolerance). Without payments, the payments table is the line "no payments".
        ``lang``: ``"en"`` or ``"zh"`` (headings and the outside party)."""
        tables = self._tables(lang)
        out = join_markdown(tables[:1], self._heading(lang))
        if self.transfers:
            out += "\n\n" + tables[1].markdown(title=True)
        else:
            out += f"\n\n**{markdown_escape(tables[1].title)}**\n\n{_words(lang)['no_payments']}"
        return out + "\n\n" + tables[2].markdown(title=True)

    def to_latex(self, lang: str = "en") -> str:
        """The settlement as three LaTeX ``tabular`` (per player, payments, blocking
        coalitions), the verdict as a ``%`` comment; special characters escaped. Chinese text
        (``lang="zh"``) needs XeLaTeX with ``xeCJK`` or ``ctex``."""
        return join_latex(self._tables(lang), self._heading(lang))

    def to_html(self, lang: str = "en") -> str:
        """The settlement as HTML: the verdict, then three tables (every text escaped)."""
        return join_html(self._tables(lang), self._heading(lang))

    def to_excel(self, path: PathLike, lang: str = "en") -> None:
        """Writes the settlement to an .xlsx file with the sheets ``players``, ``payments`` and
        ``blocking`` (``lang="zh"``: 各成员, 支付, 最接近退出的联盟), full float values (needs
        openpyxl: ``pip install "coalitional[excel]"``). A path not ending in .xlsx is an
        ``InvalidGame`` (code ``invalid_parameter``, name ``path``)."""
        write_excel(path, self._tables(lang), "Settlement.to_excel")


#: Rule names accepted as a settlement target (matching ignores case, ``-`` and spaces).
_RuleName = Union[
    Literal["shapley"], Literal["nucleolus"], Literal["prenucleolus"], Literal["tau"], Literal["tau_value"],
    Literal["least_core"], Literal["banzhaf"], Literal["proportional"], Literal["equal_surplus"],
    Literal["gately"], Literal["solidarity"], Literal["ensc"], Literal["scrb"],
    Literal["per_capita_nucleolus"], Literal["proportional_nucleolus"], Literal["disruption_nucleolus"],
    Literal["kernel"],
]
Target = Union[Allocation, LeastCore, ClosestPoint, _RuleName, Dict[str, float], Iterable[float]]


def _rule_allocation(game: Game, name: str) -> Allocation:
    """The allocation of a rule given by name; the name is parsed (and refused) by Rust."""
    return game._allocation(game._core.rule(name), _native.rule_label(name))


def settle(game: Game, target: Target, status_quo: Optional[Any] = None, *, top: int = 5) -> Settlement:
    """The settlement from ``status_quo`` (what each player gets today: an Allocation, a
    sequence in player order or a {name: value} dict; default: standalone values v({i})) to
    ``target`` (an Allocation, a sequence or dict, a rule name: "shapley", "nucleolus",
    "prenucleolus", "tau", "least_core", or a result that carries an ``.allocation``: a
    LeastCore, a ClosestPoint). ``top`` (a whole number >= 0) coalitions are listed
    in ``blocking``. Numbers must be real numbers (not bools or strings); anything else is an
    ``InvalidGame`` naming ``target``, ``status_quo`` or ``top`` and the entry at fault."""
    limit = min(count(top, "top", minimum=0), sys.maxsize)  # more than 2**n - 2 lists them all
    if not isinstance(game, Game):
        raise InvalidGame(f"game must be a coalitional Game, not {a_type(game)}")
    if isinstance(target, (LeastCore, ClosestPoint)):
        target = target.allocation
    if isinstance(target, str):
        goal = _rule_allocation(game, target)
    elif isinstance(target, Allocation):
        goal = target
    else:
        goal = game._allocation(game._vector(target, "target"), "target")
    if tuple(goal.players) != tuple(game.players):
        goal = game._allocation(game._vector(goal.to_dict(), "target"), goal.label or "target")
    sq = None
    if status_quo is not None:
        given = status_quo.to_dict() if isinstance(status_quo, Allocation) else status_quo
        sq = game._vector(given, "status_quo")
    return Settlement(game, goal, game._core.settle(np.asarray(goal, dtype=np.float64), sq, limit))


class PioneerView:
    """The marginal vector of one joining order next to the Shapley value: what the pioneers
    (the first to join) add and get under that order, against the average over all orders.
    ``difference`` = Shapley - marginal: positive for players the order shortchanges."""

    def __init__(self, game: Game, order: Iterable[str]) -> None:
        self.order: Tuple[str, ...] = tuple(_player_names(order, "order"))
        self._resolution: float = game.tolerance
        self.marginal = game.marginal_vector(self.order)
        self.shapley = game.shapley()
        self.difference = Allocation(
            np.asarray(self.shapley) - np.asarray(self.marginal), game.players, label="Shapley - marginal", kind=game.kind
        )

    def to_pandas(self) -> Any:
        """A DataFrame in joining order: position, marginal, Shapley, difference."""
        pd = importlib.import_module("pandas")
        return pd.DataFrame(
            {
                "joins": range(1, len(self.order) + 1),
                "marginal": [self.marginal[p] for p in self.order],
                "shapley": [self.shapley[p] for p in self.order],
                "difference": [self.difference[p] for p in self.order],
            },
            index=pd.Index(self.order, name="player"),
        )

    def _n(self, x: float) -> str:
        return _fmt(x, None, self._resolution)

    def __repr__(self) -> str:
        lines = ["PioneerView (joining order, marginal, Shapley, Shapley - marginal)"]
        for k, p in enumerate(self.order, 1):
            lines.append(f"  {k}. {p}: {self._n(self.marginal[p])}, {self._n(self.shapley[p])}, {self._n(self.difference[p])}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{k}</td><td>{html.escape(p)}</td><td>{self._n(self.marginal[p])}</td>"
            f"<td>{self._n(self.shapley[p])}</td><td>{self._n(self.difference[p])}</td></tr>"
            for k, p in enumerate(self.order, 1)
        )
        return (
            "<table><caption>Pioneers and late joiners</caption><thead><tr><th>joins</th><th>player</th>"
            "<th>marginal</th><th>Shapley</th><th>Shapley - marginal</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>"
        )


def pioneer_view(game: Game, order: Iterable[str]) -> PioneerView:
    """The marginal vector of ``order`` next to the Shapley value (see :class:`PioneerView`)."""
    return PioneerView(game, order)
