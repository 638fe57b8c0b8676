"""Settlements: from where the players stand today to a fair split, and who pays whom."""

from __future__ import annotations

import html
import importlib
import sys
from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Literal, NamedTuple, Optional, Sequence, Tuple, Union

import numpy as np

from ._allocation import Allocation
from . import _coalitional as _native
from ._coalitional import InvalidGame
from ._convert import a_type, count
from ._export import PathLike, Table, join_html, join_latex, join_markdown, write_excel
from ._game import Game, _player_names

if TYPE_CHECKING:  # pragma: no cover
    from ._explain import Explanation

OUTSIDE = "(outside)"
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


def _fmt(x: float, scale: Optional[float] = None) -> str:
    """``x`` as people see it next to numbers of magnitude ``scale``: Rust's one rounding rule
    (the same as its ``Display``), so that float noise never reaches a memo."""
    return str(_native.shown_numbers([float(x)], scale)[0])


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
        """A number of this settlement as shown: at the scale of the shares it moves."""
        scale = float(np.max(np.abs(np.concatenate([np.asarray(self.status_quo), np.asarray(self.target)]))))
        return _fmt(x, scale)

    def _verdict(self) -> str:
        parts = ["in the core" if self.in_core else "not in the core"]
        if not self.individually_rational:
            parts.append("worse than alone for " + ", ".join(self.below_standalone))
        if self.blocking and self.blocking[0].excess > 0:
            b = self.blocking[0]
            parts.append(f"{' + '.join(b.members)} would gain {self._n(b.excess)} by leaving")
        parts.append(f"cost of stability {self._n(self.cost_of_stability)}")
        return "; ".join(parts)

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

    def _tables(self) -> List[Table]:
        """The three export tables (players, payments, blocking), numbers at one scale."""
        scale = float(np.max(np.abs(np.concatenate([np.asarray(self.status_quo), np.asarray(self.target)]))))
        players = Table(
            "Per player",
            "player",
            self.game.players,
            ["status quo", self._target_name, "net transfer"],
            np.column_stack([np.asarray(self.status_quo), np.asarray(self.target), np.asarray(self.net_transfers)]),
            scale=scale,
            sheet="players",
        )
        payments = Table(
            "Payments",
            "payer",
            [p.payer for p in self.transfers],
            ["amount"],
            [[p.amount] for p in self.transfers],
            text=[("payee", [p.payee for p in self.transfers])],
            scale=scale,
            sheet="payments",
        )
        blocking = Table(
            "Coalitions closest to leaving (excess > 0: would gain by leaving)",
            "coalition",
            [" + ".join(b.members) for b in self.blocking],
            ["worth", "allocated", "excess"],
            [[b.worth, b.allocated, b.excess] for b in self.blocking],
            scale=scale,
            sheet="blocking",
        )
        return [players, payments, blocking]

    def _heading(self) -> str:
        return f"Settlement to the {self._target_name}: {self._verdict()}"

    def to_markdown(self) -> str:
        """The settlement in Markdown: a bold verdict line, then three pipe tables (per player,
        payments, blocking coalitions), numbers as in ``repr`` (Rust's rounding rule)."""
        return join_markdown(self._tables(), self._heading())

    def to_latex(self) -> str:
        """The settlement as three LaTeX ``tabular`` (per player, payments, blocking
        coalitions), the verdict as a ``%`` comment; special characters escaped."""
        return join_latex(self._tables(), self._heading())

    def to_html(self) -> str:
        """The settlement as HTML: the verdict, then three tables (every text escaped)."""
        return join_html(self._tables(), self._heading())

    def to_excel(self, path: PathLike) -> None:
        """Writes the settlement to an .xlsx file with the sheets ``players``, ``payments`` and
        ``blocking``, full float values (needs openpyxl: ``pip install "coalitional[excel]"``)."""
        write_excel(path, self._tables(), "Settlement.to_excel")


#: Rule names accepted as a settlement target (matching ignores case, ``-`` and spaces).
_RuleName = Union[
    Literal["shapley"], Literal["nucleolus"], Literal["prenucleolus"], Literal["tau"], Literal["tau_value"],
    Literal["least_core"], Literal["banzhaf"], Literal["proportional"], Literal["equal_surplus"],
]
Target = Union[Allocation, _RuleName, Dict[str, float], Iterable[float]]


def _rule_allocation(game: Game, name: str) -> Allocation:
    """The allocation of a rule given by name; the name is parsed (and refused) by Rust."""
    return game._allocation(game._core.rule(name), _native.rule_label(name))


def settle(game: Game, target: Target, status_quo: Optional[Any] = None, *, top: int = 5) -> Settlement:
    """The settlement from ``status_quo`` (what each player gets today: an Allocation, a
    sequence in player order or a {name: value} dict; default: standalone values v({i})) to
    ``target`` (an Allocation, a sequence or dict, or a rule name: "shapley", "nucleolus",
    "prenucleolus", "tau", "least_core"). ``top`` (a whole number >= 0) coalitions are listed
    in ``blocking``. Numbers must be real numbers (not bools or strings); anything else is an
    ``InvalidGame`` naming ``target``, ``status_quo`` or ``top`` and the entry at fault."""
    limit = min(count(top, "top", minimum=0), sys.maxsize)  # more than 2**n - 2 lists them all
    if not isinstance(game, Game):
        raise InvalidGame(f"game must be a coalitional Game, not {a_type(game)}")
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

    def __repr__(self) -> str:
        lines = ["PioneerView (joining order, marginal, Shapley, Shapley - marginal)"]
        for k, p in enumerate(self.order, 1):
            lines.append(f"  {k}. {p}: {_fmt(self.marginal[p])}, {_fmt(self.shapley[p])}, {_fmt(self.difference[p])}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{k}</td><td>{html.escape(p)}</td><td>{_fmt(self.marginal[p])}</td>"
            f"<td>{_fmt(self.shapley[p])}</td><td>{_fmt(self.difference[p])}</td></tr>"
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
