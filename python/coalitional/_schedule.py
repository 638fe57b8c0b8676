"""Multi-year agreements: a fair split of the whole horizon, paid out year by year.

The mathematics lives in Rust (``coalitional::schedule``): for the per-year games
``g_1..g_T`` and a discount rate ``r`` (factor ``delta = 1 / (1 + r)``), the remaining game of
year ``t`` is ``R_t = sum_{s >= t} delta^(s-t) g_s`` and year ``t`` pays
``beta_t = phi(R_t) - delta phi(R_(t+1))`` (Petrosyan's imputation distribution procedure;
L. Petrosyan and G. Zaccour, J. Econ. Dyn. Control 27, 2003). The payments still due at any
year are the rule applied afresh to what is left (time consistency), and their discounted sum
is the rule applied to the whole horizon. This module converts, labels, tabulates and plots.
"""

from __future__ import annotations

import html
import importlib
from typing import Any, Iterable, List, Literal, Mapping, NamedTuple, Optional, Sequence, Tuple

import numpy as np

from . import _coalitional as _native
from ._allocation import Allocation, _Kind
from ._coalitional import InvalidGame
from ._convert import a_type, count, float_vector, real_number, tag
from ._export import Table, display_width, pad
from ._game import Game
from ._settle import Blocking, Settlement, settle


class YearCheck(NamedTuple):
    """The checks of one year of a :class:`Schedule`.

    - ``gap``: ``max_i |sum_{s >= t} delta^(s-t) beta_(s,i) - phi(R_t)_i|``, the payments still
      due (discounted to this year) against the rule applied to the remaining game, recomputed
      from the payments; ``consistent``: ``gap <= tolerance`` (the remaining game's tolerance
      plus the rounding of the numbers summed);
    - ``in_core``: whether ``phi(R_t)`` is in the core of the remaining game ``R_t``;
    - ``complaint``: the proper coalition with the largest excess there (a :class:`Blocking`;
      positive excess: it gains by leaving the agreement at this year), ``None`` for one player;
    - ``negative``: players whose payment this year is negative (value games: they pay into
      the agreement this year; cost games: they are paid this year).
    """

    year: int
    gap: float
    tolerance: float
    consistent: bool
    in_core: bool
    complaint: Optional[Blocking]
    negative: Tuple[str, ...]


def _check(c: Any) -> YearCheck:
    b = c.complaint
    complaint = None if b is None else Blocking(tuple(b.members), b.worth, b.allocated, b.excess)
    return YearCheck(c.year, c.gap, c.tolerance, c.consistent, c.in_core, complaint, tuple(c.negative))


class Schedule:
    """The payments of a multi-year agreement, year by year (see :func:`payment_schedule`).

    ``payments`` is the read-only ``T × n`` array (row ``t - 1`` is year ``t``, columns in
    player order); ``total`` the rule on the whole horizon (the discounted total game, in
    year-1 money: the discounted sum of the payments); ``remaining[t - 1]`` the rule on the
    remaining game of year ``t`` (in year-``t`` money); ``checks`` one :class:`YearCheck` per
    year. ``settlement(year, status_quo)`` turns a year's payments into transfers from a
    status quo (:func:`coalitional.settle`).
    """

    __slots__ = ("_core", "_games", "_payments", "_checks")

    def __init__(self, core: Any, games: Sequence[Game]) -> None:
        self._core = core
        self._games = list(games)
        payments = np.asarray(core.payments, dtype=np.float64)
        payments.flags.writeable = False
        self._payments = payments
        self._checks = [_check(c) for c in core.checks]

    @property
    def players(self) -> Tuple[str, ...]:
        """Player names, in column order."""
        return self._games[0].players

    @property
    def kind(self) -> _Kind:
        """``"value"`` (payments are payoffs) or ``"cost"`` (cost shares)."""
        return self._games[0].kind

    @property
    def years(self) -> List[int]:
        """The years, ``[1, ..., T]``."""
        return list(range(1, len(self._games) + 1))

    @property
    def games(self) -> List[Game]:
        """The game of each year (for a profile: each year's share of the total game)."""
        return list(self._games)

    @property
    def rule(self) -> str:
        """The rule's canonical name (``"shapley"``, ``"nucleolus"``, ...)."""
        return str(self._core.rule)

    @property
    def label(self) -> str:
        """The rule's label (``"Shapley value"``, ...)."""
        return str(self._core.label)

    @property
    def discount(self) -> float:
        """The discount rate ``r`` (the factor is ``1 / (1 + r)``)."""
        return float(self._core.discount)

    @property
    def payments(self) -> np.ndarray:
        """The ``T × n`` payments (read-only): value games, what each player receives each year
        (negative: pays in); cost games, each player's share of the year's cost."""
        return self._payments

    @property
    def total(self) -> Allocation:
        """The rule on the whole horizon: the discounted total game, in year-1 money."""
        return Allocation(self._core.total, self.players, label=f"{self.label}, whole horizon", kind=self.kind)

    @property
    def remaining(self) -> List[Allocation]:
        """The rule on the remaining game of each year, in that year's money."""
        return [
            Allocation(row, self.players, label=f"{self.label}, years {t} to {len(self._games)}", kind=self.kind)
            for t, row in enumerate(np.asarray(self._core.remaining), 1)
        ]

    @property
    def checks(self) -> List[YearCheck]:
        """One :class:`YearCheck` per year."""
        return list(self._checks)

    @property
    def time_consistent(self) -> bool:
        """Every year's gap is within its tolerance."""
        return all(c.consistent for c in self._checks)

    def _year(self, year: Any) -> int:
        try:
            return count(year, "year", minimum=1, maximum=len(self._games))
        except InvalidGame as err:
            raise tag(err, "invalid_parameter", name="year") from None

    def payments_in(self, year: int) -> Allocation:
        """The payments of ``year`` (from 1) as an :class:`Allocation` of that year's game."""
        t = self._year(year)
        return self._games[t - 1]._allocation(self._payments[t - 1].copy(), f"payments of year {t} ({self.label})")

    # -- settlements ---------------------------------------------------------------------------

    def _status_quos(self, status_quo: Any) -> List[Any]:
        """One status quo per year: ``None``; one status quo (an Allocation, a {name: value}
        mapping or a sequence of numbers in player order) used every year; or a list (or
        ``T × n`` array) of one status quo per year."""
        T = len(self._games)
        if status_quo is None or isinstance(status_quo, (Allocation, Mapping)):
            return [status_quo] * T
        if isinstance(status_quo, np.ndarray):
            if status_quo.ndim == 2:
                per_year: Any = list(status_quo)
            else:
                return [status_quo] * T
        elif isinstance(status_quo, (list, tuple)) and status_quo and all(
            isinstance(x, (Allocation, Mapping, list, tuple, np.ndarray)) for x in status_quo
        ):
            per_year = list(status_quo)
        else:
            return [status_quo] * T
        if len(per_year) != T:
            raise tag(
                InvalidGame(f"status_quo gives {len(per_year)} status quos for {T} years; give one, or one per year"),
                "invalid_parameter", name="status_quo", got=len(per_year), years=T,
            )
        return per_year

    def settlement(self, year: int, status_quo: Any = None) -> Settlement:
        """The settlement of ``year``'s payments from a status quo (default: the standalone
        values of that year's game), by :func:`coalitional.settle` on that year's game.
        ``status_quo`` is one status quo, or one per year (a list of length ``T``)."""
        t = self._year(year)
        return settle(self._games[t - 1], self.payments_in(t), self._status_quos(status_quo)[t - 1])

    def settlements(self, status_quo: Any = None) -> List[Settlement]:
        """:meth:`settlement` for every year: one status quo used every year, or one per year."""
        per_year = self._status_quos(status_quo)
        return [settle(g, self.payments_in(t), sq) for t, (g, sq) in enumerate(zip(self._games, per_year), 1)]

    # -- tables and plots ----------------------------------------------------------------------

    def to_pandas(self, table: Literal["payments", "remaining", "checks"] = "payments") -> Any:
        """A pandas DataFrame indexed by year: ``"payments"`` (one column per player),
        ``"remaining"`` (the rule on each remaining game) or ``"checks"`` (gap, tolerance,
        consistent, in core, the largest complaint and its excess, negative payments)."""
        pd = importlib.import_module("pandas")
        index = pd.Index(self.years, name="year")
        if table == "payments":
            return pd.DataFrame(self._payments.copy(), index=index, columns=list(self.players))
        if table == "remaining":
            return pd.DataFrame(np.asarray(self._core.remaining), index=index, columns=list(self.players))
        if table == "checks":
            rows = [
                {
                    "gap": c.gap,
                    "tolerance": c.tolerance,
                    "consistent": c.consistent,
                    "in core": c.in_core,
                    "complaint": None if c.complaint is None else " + ".join(c.complaint.members),
                    "complaint excess": None if c.complaint is None else c.complaint.excess,
                    "negative": ", ".join(c.negative),
                }
                for c in self._checks
            ]
            return pd.DataFrame(rows, index=index)
        raise ValueError(f"unknown table {table!r}; use 'payments', 'remaining' or 'checks'")

    def plot(self, ax: Any = None, lang: str = "en", *, title: Optional[str] = None) -> Any:
        """Grouped bars: one group per year, one bar per player (negative payments below zero).
        Needs matplotlib. ``lang``: ``"en"`` or ``"zh"``. Returns the Axes."""
        from .plot import schedule

        return schedule(self, ax=ax, lang=lang, title=title)

    def _resolution(self) -> float:
        """The precision the numbers are shown at: the coarsest year's tolerance."""
        return max(c.tolerance for c in self._checks)

    def _grid(self) -> Tuple[List[str], List[str], np.ndarray]:
        """Row labels, column headers and numbers of the table shown: the years, then the
        present value (the whole horizon); the players, then the total."""
        totals = self._payments.sum(axis=1, keepdims=True)
        total = np.asarray(self._core.total)
        numbers = np.vstack([np.hstack([self._payments, totals]), np.append(total, total.sum())])
        labels = [f"year {t}" for t in self.years] + ["present value"]
        return labels, [*self.players, "total"], numbers

    def _summary(self) -> str:
        inconsistent = [c.year for c in self._checks if not c.consistent]
        outside = [c.year for c in self._checks if not c.in_core]
        negative = [f"year {c.year}: {', '.join(c.negative)}" for c in self._checks if c.negative]
        parts = [
            "time-consistent" if not inconsistent else f"NOT time-consistent in years {inconsistent}",
            "remaining split in the core every year" if not outside
            else f"remaining split outside the core in years {', '.join(map(str, outside))}",
        ]
        if negative:
            who = "pay in" if self.kind == "value" else "are paid"
            parts.append(f"{who}: " + "; ".join(negative))
        return "; ".join(parts)

    def _title(self) -> str:
        what = "cost shares" if self.kind == "cost" else "payoffs"
        rate = _native.shown_numbers([self.discount])[0]
        return f"Schedule: {self.label} over {len(self._games)} years, discount rate {rate} ({what} per year)"

    def __repr__(self) -> str:
        labels, headers, numbers = self._grid()
        shown = _native.shown_numbers(numbers.ravel().tolist(), None, self._resolution())
        k = len(headers)
        cells = [shown[i * k : (i + 1) * k] for i in range(len(labels))]
        widths = [max([display_width(h), *(display_width(row[j]) for row in cells)]) for j, h in enumerate(headers)]
        lead = max(display_width(x) for x in labels)

        def line(first: str, row: Sequence[str]) -> str:
            return "  " + pad(first, lead) + "  " + "  ".join(pad(c, w, right=True) for c, w in zip(row, widths))

        lines = [self._title(), line("", headers), *(line(lab, row) for lab, row in zip(labels, cells))]
        return "\n".join([*lines, "  " + self._summary()])

    def __str__(self) -> str:
        return repr(self)

    def _repr_html_(self) -> str:
        labels, headers, numbers = self._grid()
        table = Table(self._title(), "", labels, headers, numbers, resolution=self._resolution())
        return f"<div>{table.html()}<p>{html.escape(self._summary())}</p></div>"


def _games(games: Any) -> List[Game]:
    if isinstance(games, (str, bytes, Mapping)) or not isinstance(games, Iterable):
        raise tag(InvalidGame(f"games must be a list of coalitional Games (one per year), not {a_type(games)}"),
                  "invalid_parameter", name="games")
    out = list(games)
    for k, g in enumerate(out):
        if not isinstance(g, Game):
            raise tag(InvalidGame(f"games[{k}] (year {k + 1}) is {a_type(g)}, not a coalitional Game"),
                      "invalid_parameter", name="games", index=k)
    return out


def payment_schedule(
    games: Any, rule: str = "shapley", discount: float = 0.0, *, profile: Optional[Iterable[float]] = None
) -> Schedule:
    """The payment schedule of a multi-year agreement.

    ``games``: a list of :class:`Game`, one per year (the same players in the same order, the
    same kind), or one Game with ``profile=[w_1, ..., w_T]``: year ``t``'s game is then
    ``w_t / sum(w)`` times it (weights finite, ``>= 0``, with a positive sum; normalised, so
    that the years share the game). ``rule``: a rule name as for :func:`settle` (``"shapley"``,
    ``"nucleolus"``, ...). ``discount``: the rate ``r >= 0``; the factor is ``1 / (1 + r)``.

    Year ``t`` pays ``phi(R_t) - phi(R_(t+1)) / (1 + r)``, with ``R_t`` the discounted game of
    the years from ``t`` on and ``phi`` the rule (Petrosyan 1977; Petrosyan and Zaccour 2003):
    the payments still due at every year are the rule applied afresh to what is left, and
    their discounted sum is the rule on the whole horizon. Linear rules (Shapley) pay each year
    its own game's value; others (the nucleolus) may ask a player to pay in some year.

    Errors: ``InvalidGame`` with ``code="invalid_parameter"`` and ``name`` ``"games"`` (empty,
    not Games, or a year whose players or kind differ from year 1's), ``"rule"``,
    ``"discount"`` (negative or not finite) or ``"profile"``; ``UndefinedSolution`` when the
    rule is undefined for a remaining game (its reason names the year).

    >>> import coalitional as co
    >>> y1 = co.Game([0, 1, 0, 3], ["A", "B"])
    >>> y2 = co.Game([0, 0, 2, 4], ["A", "B"])
    >>> s = co.payment_schedule([y1, y2], "shapley", 0.0)
    >>> s.payments.tolist()
    [[2.0, 1.0], [1.0, 3.0]]
    >>> s.total.to_dict()
    {'A': 3.0, 'B': 4.0}
    """
    if not isinstance(rule, str):
        raise tag(InvalidGame(f"rule must be a rule name such as 'shapley', not {a_type(rule)}"),
                  "invalid_parameter", name="rule")
    rate = real_number(discount, "discount")
    if profile is not None:
        if not isinstance(games, Game):
            raise tag(InvalidGame(f"with a profile, games must be one coalitional Game, not {a_type(games)}"),
                      "invalid_parameter", name="games")
        weights = float_vector(profile, "profile")
        years = [Game._wrap(core) for core in _native.profile_games(games._core, weights.tolist())]
    else:
        if isinstance(games, Game):
            raise tag(InvalidGame("one game needs profile=[w_1, ..., w_T] (its share in each year); "
                                  "or pass a list of games, one per year"), "invalid_parameter", name="profile")
        years = _games(games)
    core = _native.payment_schedule([g._core for g in years], rule, rate)
    return Schedule(core, years)
