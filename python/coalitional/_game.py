"""`Game`: a dense TU game over named players (values indexed by bit mask)."""

from __future__ import annotations

import html
import math
import os
from typing import Any, Callable, Dict, FrozenSet, Iterable, Literal, Mapping, Optional, Union, cast

import numpy as np

from . import _coalitional as _core
from ._allocation import Allocation, LeastCore, Vertices, _Kind
from ._coalitional import InvalidGame
from ._convert import (
    BoundsLike,
    a_type,
    bound_entries,
    float_vector,
    json_text,
    kind_name,
    load_json,
    model_value,
    player_names,
    real_number,
    shown,
    tag,
)
from ._progress import reporting
from ._sampling import SamplingMixin
from ._network import NetworkMixin
from ._rules import RulesMixin
from ._power import PowerMixin
from ._nucleoli import NucleoliMixin
from ._closest import ClosestPoint
from ._sensitivity import Sensitivity

Names = Union[str, Iterable[str]]
JsonSource = Union[str, bytes, bytearray]


def _player_names(players: Iterable[Any], what: str = "players") -> list:
    """Names in a definite order (see :func:`._convert.player_names`)."""
    return player_names(players, what)


def _members(key: Names, what: str = "coalition") -> list:
    """The members of a coalition: one name, or any collection of names (a set is fine)."""
    if isinstance(key, str):
        return player_names([key], what)
    return player_names(key, what, ordered=False)


def _coalition_label(players: Iterable[str], mask: int) -> str:
    """A coalition's label in tables: member names joined by " + " (as in ``Game.to_pandas``)."""
    return " + ".join(p for i, p in enumerate(players) if mask >> i & 1)


class Game(SamplingMixin, NetworkMixin, RulesMixin, PowerMixin, NucleoliMixin):
    """A transferable-utility game of n named players, stored as 2**n values.

    ``values[mask]`` is the worth of the coalition whose members are the set bits of ``mask``
    (bit i set = player i is a member); ``values[0]`` must be 0. ``kind="cost"`` marks the
    numbers as costs c(S), whose solutions are cost shares.

    ``values`` is a one-dimensional sequence or array of real numbers; ``players`` a list of
    ``str`` names. Bools, strings, complex numbers, ``None``, nested lists, a single string
    for ``players``, non-string names and the like are an ``InvalidGame`` naming the argument
    and the index (the rules of :mod:`._convert`).

    >>> g = Game([0, 1, 1, 3], ["A", "B"])
    >>> g.shapley()["A"]
    1.5
    """

    __slots__ = ("_native", "_values", "metadata")

    def __init__(self, values: Any, players: Optional[Iterable[str]] = None, *, kind: _Kind = "value") -> None:
        names = None if players is None else _player_names(players)
        arr = float_vector(values, "values")
        self._native: Any = _core.GameCore(arr, names, kind_name(kind))
        self._values: Optional[np.ndarray] = None
        self.metadata: Dict[str, Optional[str]] = {"name": None, "description": None, "source": None}

    @classmethod
    def _wrap(cls, core: Any, metadata: Optional[Mapping[str, Optional[str]]] = None) -> "Game":
        game = cls.__new__(cls)
        game._native = core
        game._values = None
        game.metadata = {"name": None, "description": None, "source": None}
        if metadata:
            game.metadata.update(metadata)
        return game

    @classmethod
    def from_coalitions(
        cls, players: Iterable[str], mapping: Mapping[Any, float], *, kind: _Kind = "value"
    ) -> "Game":
        """A game from ``{tuple_of_names: value}`` covering every nonempty coalition.

        A key may be a tuple, list, set or frozenset of names, or a single name; members may
        come in any order. The empty coalition may be given with value 0. Values are real
        numbers (not bools or strings). A missing coalition is an ``InvalidGame`` error that
        names it.
        """
        names = _player_names(players)
        if not isinstance(mapping, Mapping):
            raise tag(InvalidGame(f"mapping must map coalitions to values, not {a_type(mapping)}"), "invalid_parameter",
                      name="mapping")
        entries = []
        for key, value in mapping.items():
            members = _members(key, f"coalition {shown(key)}")
            number = real_number(value, f"the value of coalition {shown(key)}")
            entries.append((members, number))
        return cls._wrap(_core.GameCore.from_coalitions(names, entries, kind_name(kind)))

    @classmethod
    def from_function(
        cls, players: Iterable[str], f: Callable[[FrozenSet[str]], float], *, kind: _Kind = "value",
        progress: bool = False,
    ) -> "Game":
        """A game from ``f(frozenset_of_names) -> float``, called once per nonempty coalition.

        v(empty) is 0 by definition; ``f`` is not called for it. Memory for the 2**n values is
        checked before any call. ``f`` must return a finite real number (``int``, ``float``,
        numpy integer or floating, ``Fraction``, ``Decimal``); a bool, a string, NaN or an
        infinite value is an ``InvalidGame`` naming the coalition (the rule of
        :func:`._convert.model_value`, shared with :class:`LazyGame`). Exceptions raised by
        ``f`` propagate unchanged.

        ``progress=True`` shows a tqdm bar over the 2**n - 1 calls, with the time left, updated
        every 0.1 s (needs tqdm: ``pip install "coalitional[progress]"``).
        """
        names = _player_names(players)
        if not callable(f):
            raise tag(InvalidGame(f"f must be a function of a frozenset of names, not {a_type(f)}"), "invalid_parameter",
                      name="f")

        def checked(s: FrozenSet[str]) -> float:
            out = f(s)
            if type(out) is float and math.isfinite(out):  # the common case, fast
                return out
            return model_value(out, [p for p in names if p in s])

        kind_str = kind_name(kind)
        if not progress:
            return cls._wrap(_core.GameCore.from_function(names, checked, kind_str))
        from ._progress import Progress

        _core.check_dense(len(names))  # before the bar: a game too large shows none
        bar = Progress((1 << len(names)) - 1, "evaluating coalitions")
        try:
            return cls._wrap(_core.GameCore.from_function(names, bar.counting(checked), kind_str))
        finally:
            bar.close()

    @classmethod
    def from_json(cls, text: JsonSource) -> "Game":
        """A game from the JSON format described in the README (metadata kept in ``.metadata``);
        a document with a ``"class"`` field gives the structured game it describes.

        ``text`` is a ``str`` or UTF-8 ``bytes``. Anything that is not a valid game (invalid
        UTF-8, malformed or too deeply nested JSON, numbers beyond float64, unknown or missing
        fields, fields of the wrong type) is a ``FormatError`` (an ``InvalidGame``) naming
        the problem; a game that breaks a rule is an ``InvalidGame``."""
        return cls._from_json(text, None)

    @classmethod
    def _from_json(cls, data: JsonSource, path: Optional[str]) -> "Game":
        """``from_json`` for text read from ``path`` (named in every message) or given directly.
        The native reader parses both forms; a class-form document is first held to the strict
        JSON rules of :func:`._convert.load_json`, whose messages name the offending number."""
        where = "game JSON" if path is None else f"game file {path}"
        text = json_text(data, where)
        if '"class"' in text:
            load_json(text, where)
        try:
            core, meta = _core.read_game(text)
        except _core.FormatError as exc:
            if path is None:
                raise
            raise tag(_core.FormatError(f"{exc} (in {where})"), "format", name=where,
                      reason=getattr(exc, "reason", str(exc))) from None
        if isinstance(core, _core.GameCore):
            return cls._wrap(core, meta)
        from ._classes import structured_from_native

        return structured_from_native(core, meta)

    @classmethod
    def load(cls, path: Union[str, "os.PathLike[str]"]) -> "Game":
        """A game from a JSON file (UTF-8; see :meth:`from_json`); ``OSError`` when the file
        cannot be read."""
        with open(path, "rb") as fh:
            data = fh.read()
        return cls._from_json(data, os.fspath(path))

    @classmethod
    def from_pandas(
        cls,
        table: Any,
        players: Optional[Iterable[str]] = None,
        *,
        kind: Optional[_Kind] = None,
        missing: Optional[Literal["error", "additive"]] = "error",
        coalition: Optional[str] = None,
        value: Optional[str] = None,
    ) -> "Game":
        """A game from a pandas DataFrame or Series: what :meth:`to_pandas` writes, or a long
        form with a coalition column (labels ``"A + B"`` or lists of names) and a value column.

        ``players`` fixes the players and their order (default: the names in the table, in
        mask order when the table has ``size`` and ``mask`` columns, else in order of
        appearance). ``coalition`` and ``value`` name the columns when they are not found by
        name. ``kind`` defaults to ``"cost"`` for a column named ``cost``, else ``"value"``.

        Every nonempty coalition needs a value: an absent one is an ``InvalidGame`` with
        ``code="missing_coalition"``, ``.coalitions`` (the absent ones as labels, the first 50)
        and ``.missing`` (how many), unless ``missing="additive"``, which values an absent
        coalition at the sum of its members' standalone values v({i}) (no synergy beyond the
        members alone; the singletons must be given). Unknown names, a coalition given twice
        with different values and cells that are not numbers are typed errors too. The rules
        in full are in :mod:`._tables`.

        >>> import pandas as pd
        >>> df = pd.DataFrame({"coalition": ["A", "B", "A + B"], "value": [1, 1, 3]})
        >>> Game.from_pandas(df).shapley()["A"]
        1.5
        """
        from ._tables import game_from_table

        names = None if players is None else _player_names(players)
        return cls._wrap(game_from_table(table, names, kind=kind, missing=missing, coalition=coalition, value=value))

    @classmethod
    def from_csv(
        cls,
        path: Union[str, "os.PathLike[str]"],
        players: Optional[Iterable[str]] = None,
        *,
        kind: Optional[_Kind] = None,
        missing: Optional[Literal["error", "additive"]] = "error",
        coalition: Optional[str] = None,
        value: Optional[str] = None,
        encoding: str = "utf-8-sig",
    ) -> "Game":
        """A game from a CSV file with a header row, in the forms of :meth:`from_pandas` (what
        :meth:`to_csv` writes reads back bit for bit). Numbers are parsed from their text;
        a cell that is not a number is an ``InvalidGame`` naming its row (needs pandas)."""
        from ._tables import game_from_table, read_csv

        names = None if players is None else _player_names(players)
        frame = read_csv(path, encoding)
        return cls._wrap(game_from_table(frame, names, kind=kind, missing=missing, coalition=coalition, value=value,
                                         from_text=True))

    @classmethod
    def from_excel(
        cls,
        path: Union[str, "os.PathLike[str]"],
        sheet: Union[int, str] = 0,
        players: Optional[Iterable[str]] = None,
        *,
        kind: Optional[_Kind] = None,
        missing: Optional[Literal["error", "additive"]] = "error",
        coalition: Optional[str] = None,
        value: Optional[str] = None,
    ) -> "Game":
        """A game from one sheet (index or name) of an .xlsx file, in the forms of
        :meth:`from_pandas`; text cells holding numbers are read as numbers. Needs openpyxl
        (``pip install "coalitional[excel]"``; an ``ImportError`` says so)."""
        from ._tables import game_from_table, read_excel

        names = None if players is None else _player_names(players)
        frame = read_excel(path, sheet)
        return cls._wrap(game_from_table(frame, names, kind=kind, missing=missing, coalition=coalition, value=value,
                                         from_text=True))

    def to_json(self) -> str:
        """The game (with its metadata) as JSON; reading it back gives the same bits."""
        return self._core.to_json(**self.metadata)

    def save(self, path: Union[str, "os.PathLike[str]"]) -> None:
        """Writes the game as JSON."""
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(self.to_json())

    @property
    def _core(self) -> Any:
        """The native dense game (structured subclasses build it on first use)."""
        return self._native

    @property
    def n(self) -> int:
        """Number of players."""
        return self._core.n

    @property
    def players(self) -> tuple:
        """Player names, in index order."""
        return tuple(self._core.players)

    @property
    def kind(self) -> _Kind:
        """``"value"`` or ``"cost"``."""
        return cast(_Kind, self._core.kind)

    @property
    def values(self) -> np.ndarray:
        """The 2**n values by bit mask, as a read-only float64 array."""
        if self._values is None:
            arr = self._core.values()
            arr.flags.writeable = False
            self._values = arr
        return self._values

    def value(self, names: Names) -> float:
        """The worth of the coalition of the named players (a single name is allowed)."""
        return self._core.value(_members(names))

    def to_pandas(self) -> Any:
        """A pandas DataFrame with one row per nonempty coalition (index: member names joined
        by " + "), columns ``size``, ``mask`` and ``value`` (``cost`` for cost games); 2**n - 1
        rows, so meant for small games."""
        import importlib

        pd = importlib.import_module("pandas")
        masks = np.arange(1, 1 << self.n)
        names = [_coalition_label(self.players, int(m)) for m in masks]
        sizes = [bin(int(m)).count("1") for m in masks]
        column = "cost" if self.kind == "cost" else "value"
        return pd.DataFrame(
            {"size": sizes, "mask": masks, column: self.values[1:]},
            index=pd.Index(names, name="coalition"),
        )

    def to_csv(self, path: Union[str, "os.PathLike[str]"], *, encoding: str = "utf-8") -> None:
        """Writes :meth:`to_pandas` as CSV (columns coalition, size, mask, value or cost), each
        number in the shortest form that reads back to the same float; :meth:`from_csv` reads
        it back bit for bit. ``encoding="utf-8-sig"`` helps Excel show non-ASCII names. The
        metadata is not written (JSON keeps it). Needs pandas."""
        from ._tables import write_csv

        write_csv(self.to_pandas(), path, encoding)

    def to_excel(self, path: Union[str, "os.PathLike[str]"], *, sheet: str = "game") -> None:
        """Writes :meth:`to_pandas` to an .xlsx file (one sheet, full floats); :meth:`from_excel`
        reads it back bit for bit. Needs openpyxl (``pip install "coalitional[excel]"``)."""
        from ._tables import write_excel

        write_excel(self.to_pandas(), path, sheet)

    def _evaluate(self, masks: np.ndarray) -> np.ndarray:
        """Values of coalitions given as bit masks (for the samplers)."""
        return self.values[np.asarray(masks, dtype=np.int64)]

    def _worth(self) -> Any:
        """For the sampling driver: the dense values, read in place by Rust (no Python call per
        batch; the same estimates, bit for bit, as through ``_evaluate``)."""
        return self.values

    def _allocation(self, values: np.ndarray, label: str) -> Allocation:
        """An allocation of this game's players, which remembers the game (for ``explain``)."""
        a = Allocation(values, self.players, label=label, kind=self.kind)
        a._game = self
        return a

    def shapley(self, *, progress: bool = False) -> Allocation:
        """The Shapley value: each player's average marginal contribution over all joining orders.

        ``progress=True`` shows a tqdm bar over the 2**n values read, with the time left (needs
        tqdm), as do the other long computations with a ``progress`` keyword: ``banzhaf``,
        ``is_convex``, ``is_monotone``, ``nucleolus`` and ``prenucleolus`` (the stage in the
        description), ``least_core``, ``core_is_empty`` and ``cost_of_stability`` (rounds of
        constraint generation, no total). The first update comes within about 0.1 s."""
        return self._allocation(
            reporting("Shapley value", "coalition", progress, lambda bar: self._core.shapley(progress=bar)),
            "Shapley value")

    def sensitivity(self, concept: str = "shapley") -> Sensitivity:
        """How much each player's share moves per unit change of each coalition's worth: the
        table ``d x_i / d v(S)`` (coalitions × players) of ``concept``, ``"shapley"``,
        ``"banzhaf"`` (raw), ``"nucleolus"`` or ``"prenucleolus"``. The Shapley and Banzhaf
        values are linear in the worths, so their table is exact and the same for every game of
        ``n`` players: Shapley ``(s-1)!(n-s)!/n!`` for members of ``S``, ``-s!(n-s-1)!/n!`` for
        the others (``s = |S|``); Banzhaf ``±2**-(n-1)``. The (pre)nucleolus is piecewise
        linear: its rows come from the linear system of the tight excess levels (exact,
        two-sided; 0 for coalitions below them), except for the coalitions of a level that a
        change splits, whose rows are the one-sided derivative for an increase, by the exact
        solver (``Sensitivity.two_sided`` is ``False`` there). The ``largest(k)`` entries show
        which model runs must be most precise. ``(2**n - 1) n`` floats: ``GameTooLarge`` when
        they do not fit; the nucleolus's errors as :meth:`nucleolus`, and
        ``UndefinedSolution`` for the nucleolus when ``v(N)`` is the sum of the standalone
        values. The normalised Banzhaf value is not offered (an ``InvalidGame`` names
        ``concept``)."""
        players = self.players
        return Sensitivity(
            self._core.sensitivity(concept), players, self.kind, lambda m: _coalition_label(players, m)
        )

    def banzhaf(self, normalized: bool = False, *, progress: bool = False) -> Allocation:
        """The raw Banzhaf value, or with ``normalized=True`` rescaled to sum to v(N).
        ``progress=True``: a tqdm bar (see :meth:`shapley`)."""
        label = "normalised Banzhaf value" if normalized else "Banzhaf value"
        values = reporting(label, "coalition", progress, lambda bar: self._core.banzhaf(normalized, progress=bar))
        return self._allocation(values, label)

    def marginal_vector(self, order: Iterable[str]) -> Allocation:
        """What each player adds when the players join in ``order`` (names, each once)."""
        return self._allocation(self._core.marginal_vector(_player_names(order, "order")), "marginal vector")

    def is_superadditive(self) -> bool:
        """v(S | T) >= v(S) + v(T) for disjoint S, T (cost games: subadditive). n <= 20."""
        return self._core.is_superadditive()

    def is_convex(self, *, progress: bool = False) -> bool:
        """Supermodular: marginal contributions grow with the coalition (cost games: concave).
        ``progress=True``: a tqdm bar (see :meth:`shapley`)."""
        return reporting("convexity", "coalition", progress, lambda bar: self._core.is_convex(progress=bar))

    def is_monotone(self, *, progress: bool = False) -> bool:
        """v(S) <= v(T) whenever S is a subset of T. ``progress=True``: a tqdm bar (see
        :meth:`shapley`)."""
        return reporting("monotonicity", "coalition", progress, lambda bar: self._core.is_monotone(progress=bar))

    def is_essential(self) -> bool:
        """v(N) > sum of v({i}) (cost games: c(N) < sum of c({i}))."""
        return self._core.is_essential()

    def least_core(self, *, bounds: Optional[BoundsLike] = None, progress: bool = False) -> LeastCore:
        """The least core: min e such that an efficient x has x(S) >= v(S) - e for every proper
        nonempty S (cost games: x(S) <= c(S) + e); ``.epsilon`` and ``.allocation``.

        ``bounds``: policy floors and caps per player, ``{"name": (floor, cap)}`` (or
        ``{"name": {"floor": f, "cap": c}}``), ``None`` for an open side, in the game's units
        (cost games: on cost shares). Then the least core of the efficient allocations within
        them; ``InfeasibleConstraints`` when no efficient allocation meets them, naming the
        bounds at fault. ``progress=True``: a tqdm bar (see :meth:`shapley`)."""
        entries = bound_entries(bounds)
        native = reporting("least core", "round", progress,
                           lambda bar: self._core.least_core(bounds=entries, progress=bar))
        return LeastCore(native.epsilon, self._allocation(native.allocation, "least core"))

    def nucleolus(self, *, bounds: Optional[BoundsLike] = None, progress: bool = False) -> Allocation:
        """The nucleolus (Schmeidler 1969): the imputation whose sorted excesses v(S) - x(S)
        are lexicographically smallest; verified by Kohlberg's criterion. ``UndefinedSolution``
        when there is no imputation (v(N) < sum of v({i})).

        ``bounds`` (as for :meth:`least_core`): the nucleolus of the imputations within the
        floors and caps (lexicographic excess minimisation over that set, verified by
        Kohlberg's criterion with the binding bounds); ``InfeasibleConstraints`` when none
        exists, naming the bounds and standalone values at fault.

        ``progress=True``: a tqdm bar over 2 (n - 1) steps of rank (what the LP stages fix,
        then what the Kohlberg check verifies), the stage in its description (see
        :meth:`shapley`)."""
        entries = bound_entries(bounds)
        label = "nucleolus" if entries is None else "nucleolus within bounds"
        return self._allocation(
            reporting("nucleolus", "rank", progress,
                      lambda bar: self._core.nucleolus(bounds=entries, progress=bar)), label)

    def prenucleolus(self, *, bounds: Optional[BoundsLike] = None, progress: bool = False) -> Allocation:
        """The prenucleolus: as the nucleolus, over all efficient allocations (within
        ``bounds`` if given, without individual rationality). ``progress=True``: a tqdm bar as
        for :meth:`nucleolus`."""
        entries = bound_entries(bounds)
        label = "prenucleolus" if entries is None else "prenucleolus within bounds"
        return self._allocation(
            reporting("prenucleolus", "rank", progress,
                      lambda bar: self._core.prenucleolus(bounds=entries, progress=bar)), label)

    def closest_core_point(
        self,
        reference: Any,
        norm: Literal["l2", "l1", "linf"] = "l2",
        bounds: Optional[BoundsLike] = None,
        *,
        progress: bool = False,
    ) -> ClosestPoint:
        """The stable split nearest to ``reference`` (today's split, a proportional rule, a
        proposal: a sequence in player order, a {name: value} dict or an Allocation):
        ``min ||x - reference|| s.t. x in the core, floor <= x <= cap``.

        ``norm``: "l2" (Euclidean; a unique answer), "l1" (total money moved) or "linf" (the
        largest change for any one member); for L1 and L∞ the L2-nearest of the optimal
        points. When the core is empty the least core (within ``bounds``) stands in for it
        (``.target == "least_core"``, ``.epsilon``). ``bounds`` as for :meth:`least_core`; when
        the core is not empty but the bounds leave no room in it, ``InfeasibleConstraints``
        lists an irreducible set of coalitions and bounds (``.constraints``) and the amount by
        which they fail (``.shortfall``); ``least_core(bounds=...)`` then gives the most stable
        split they allow. Every answer is checked against the optimality (KKT) conditions.

        >>> import coalitional as co
        >>> g = co.Game([0, 0, 0, 90, 0, 80, 70, 150], ["A", "B", "C"])
        >>> p = g.closest_core_point({"A": 100, "B": 40, "C": 10})
        >>> [float(v) for v in p.allocation]
        [80.0, 50.0, 20.0]
        """
        given = reference.to_dict() if isinstance(reference, Allocation) else reference
        r = self._vector(given, "reference")
        entries = bound_entries(bounds)
        native = reporting("closest core point", "round", progress,
                           lambda bar: self._core.closest_core_point(r, str(norm), bounds=entries, progress=bar))
        return ClosestPoint(self, native)

    def tau_value(self) -> Allocation:
        """The tau value (Tijs 1981): the efficient compromise between the utopia payoffs
        M_i = v(N) - v(N minus i) and the minimal rights m_i; ``UndefinedSolution`` when the
        game is not quasi-balanced (the message names the failing condition)."""
        return self._allocation(self._core.tau_value(), "tau value")

    def core_vertices(self) -> Vertices:
        """The vertices of the core as a float64 array of shape (k, n): one row per vertex, in
        lexicographic order, columns in the order of ``players``; k = 0 when the core is empty.
        Convex games list their distinct marginal vectors (Shapley 1971), other games use the
        double description method. At most 8 players (``UndefinedSolution`` above).

        The array is a :class:`Vertices`: a numpy array labelled with ``.players`` and
        ``.kind``, with ``.to_pandas()`` (one column per player) and ``.allocations()`` (a list
        of :class:`Allocation`)."""
        return Vertices(self._core.core_vertices(), self.players, self.kind)

    def owen(self, unions: Iterable[Iterable[str]]) -> Allocation:
        """The Owen value (Owen 1977) for a priori unions: lists of names that partition the
        players (provinces of cities, ministries of departments). Equals the Shapley value when
        every union is one player or one union holds everyone."""
        if isinstance(unions, (str, bytes)) or not hasattr(unions, "__iter__"):
            raise tag(InvalidGame(f"unions must be a list of lists of names, not {a_type(unions)}"), "invalid_parameter",
                      name="unions")
        groups = [player_names(u, f"unions[{i}]", ordered=False) for i, u in enumerate(unions)]
        return self._allocation(self._core.owen(groups), "Owen value")

    def core_is_empty(self, *, progress: bool = False) -> bool:
        """True when no efficient allocation satisfies every coalition (least-core epsilon > 0).
        ``progress=True``: a tqdm bar (see :meth:`shapley`)."""
        return reporting("core", "round", progress, lambda bar: self._core.core_is_empty(progress=bar))

    def in_core(self, x: Any, tol: Optional[float] = None) -> bool:
        """True when ``x`` (an Allocation, a sequence in player order, or a {name: value} dict
        naming every player) is efficient and satisfies every coalition within ``tol``.

        ``tol`` defaults to the game's own :attr:`tolerance` (relative to what cooperation
        adds, not to the standalone budgets), so the answer does not change when every value
        is rescaled or shifted by standalone amounts. It is widened by the rounding of ``x``
        itself (a few units in the last place of its largest entry). A ``tol`` that is not a
        number, is negative or NaN raises ``InvalidGame`` naming ``tol``; entries of ``x`` that
        are not finite are never in the core."""
        return self._core.in_core(self._vector(x, "x"), None if tol is None else real_number(tol, "tol"))

    @property
    def tolerance(self) -> float:
        """The tolerance of this game's yes/no answers (core emptiness and membership, the
        properties): ``1e-9 * spread`` plus the rounding of the inputs (``n`` units in the last
        place of the largest ``|v(S)|``)."""
        return self._core.tolerance()

    @property
    def spread(self) -> float:
        """The scale of the zero-normalised game, ``max |v(S) - sum of v({i}) over S|``
        (cost games: of the savings game): what cooperation adds or takes away. Every
        stability solver works at this scale (1 for an additive game)."""
        return self._core.spread()

    def cost_of_stability(self, *, progress: bool = False) -> float:
        """The least outside subsidy that makes a stable split exist:
        min sum(x) - v(N) s.t. x(S) >= v(S) for all S (0 when the core is nonempty).
        ``progress=True``: a tqdm bar (see :meth:`shapley`)."""
        return reporting("cost of stability", "round", progress,
                         lambda bar: self._core.cost_of_stability(progress=bar))

    def _vector(self, x: Any, what: str = "the allocation") -> np.ndarray:
        """One number per player from a sequence in player order or a {name: number} mapping
        naming every player; ``what`` names the argument in messages."""
        if isinstance(x, Mapping):
            players = set(self.players)
            missing = [p for p in self.players if p not in x]
            extra = [k for k in x if not isinstance(k, str) or k not in players]
            if missing or extra:
                raise tag(InvalidGame(f"{what} must name every player exactly: missing {missing}, unknown {extra}"),
                          "invalid_parameter", name=what, missing=missing, unknown=extra)
            arr = np.array([real_number(x[p], f"{what}[{p!r}]") for p in self.players], dtype=np.float64)
        else:
            arr = float_vector(x, what)
        if arr.shape[0] != self.n:
            raise tag(InvalidGame(f"{what} has {arr.shape[0]} entries but the game has {self.n} players"),
                      "allocation_length", name=what, got=arr.shape[0], n=self.n)
        return arr

    def savings(self) -> "Game":
        """For a cost game, the savings game v(S) = sum of c({i}) over S minus c(S)."""
        return Game._wrap(self._core.savings(), self.metadata)

    def _shown_summary(self) -> "list[str]":
        """v({i}) for each player, then v(N), through Rust's rounding rule, shown together
        (the scale is the largest of them, as in the CLI report)."""
        values = self.values
        xs = [float(values[1 << i]) for i in range(self.n)] + [float(values[-1])]
        return [str(t) for t in _core.shown_numbers(xs, None)]

    def __repr__(self) -> str:
        shown = ", ".join(self.players[:10]) + (", ..." if self.n > 10 else "")
        grand = self._shown_summary()[-1]
        return f"Game(n={self.n}, kind={self.kind!r}, players=[{shown}], v(N)={grand})"

    def _repr_html_(self) -> str:
        title = html.escape(self.metadata.get("name") or f"{self.kind} game of {self.n} players")
        *alone, grand = self._shown_summary()
        rows = "".join(
            f"<tr><td>{html.escape(p)}</td><td style='text-align:right'>{x}</td></tr>"
            for p, x in zip(self.players, alone)
        )
        return (
            f"<table><caption>{title}: v(N) = {grand}</caption>"
            f"<thead><tr><th>player</th><th>v({{i}})</th></tr></thead><tbody>{rows}</tbody></table>"
        )
