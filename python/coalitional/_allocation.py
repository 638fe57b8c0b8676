"""`Allocation`: a read-only, labelled float64 vector in player order."""

from __future__ import annotations

import html
import importlib
import math
import numbers
from typing import TYPE_CHECKING, Any, Callable, Dict, Iterator, List, Optional, Sequence, Tuple, Union, overload

from typing import Literal

import numpy as np

from . import _coalitional as _native
from ._coalitional import InvalidGame, UnknownPlayer
from ._convert import float_vector, player_names, tag

if TYPE_CHECKING:  # pragma: no cover
    from ._explain import Explanation
from ._export import PathLike, Table, display_width, pad, write_excel

#: The kind of a game or allocation: payoffs (``"value"``) or cost shares (``"cost"``).
# Written as a Union of single Literals so that mypy.stubtest sees a Union at run time too.
_Kind = Union[Literal["value"], Literal["cost"]]


class Allocation:
    """What each player receives (value game) or pays (cost game), in player order.

    Behaves like a read-only float64 vector: ``np.asarray(a)``, ``len(a)``, iteration,
    ``a[i]``; and like a mapping by name: ``a["Suzhou"]``, ``a.to_dict()``.

    Built from a one-dimensional sequence of real numbers and as many player names; bools,
    strings, complex numbers or a length mismatch are an ``InvalidGame``.

    Arithmetic keeps the labels: ``x + y``, ``x - y``, ``x * y`` and ``x / y`` of two
    allocations of the same players in the same order are computed player by player (other
    players, or the same players in another order, are an ``InvalidGame`` naming them; so is
    mixing a ``"value"`` and a ``"cost"`` allocation, since payoffs and cost shares do not
    add up to anything meaningful: convert one with the game's ``savings()`` first). A real
    scalar works on either side (``2 * x``, ``x / x.total()``), as does ``-x``. Results are
    allocations of the same players and kind, without a ``label`` (they are no longer the
    output of a solution concept). With a plain numpy array the result is a plain array, as
    numpy would give.

    ``x[["A", "B"]]`` selects players by name (an Allocation of those players, in that
    order). ``x == y`` is True when the players, kind and values are exactly the same (the
    label is ignored); :meth:`isclose` compares values with a tolerance, and
    ``np.allclose(x, y)`` still works on the arrays. An Allocation is immutable, so it is
    hashable, by the same things that ``==`` compares.
    """

    __slots__ = ("_values", "_players", "_label", "_kind", "_game")
    # Makes numpy scalars and arrays hand binary operators to us (``np.float64(2) * x`` is an
    # Allocation); ufuncs such as ``np.sqrt(x)`` still see a plain array through __array__.
    __array_priority__ = 1000

    def __init__(
        self,
        values: Any,
        players: Sequence[str],
        *,
        label: Optional[str] = None,
        kind: _Kind = "value",
    ) -> None:
        arr = np.array(float_vector(values, "the allocation's values"), dtype=np.float64)
        players = tuple(player_names(players))
        if arr.shape[0] != len(players):
            raise tag(
                InvalidGame(
                    f"an allocation needs one value per player: {arr.shape[0]} values for "
                    f"{len(players)} players"
                ),
                "allocation_length",
                got=arr.shape[0],
                n=len(players),
            )
        arr.flags.writeable = False
        self._values = arr
        self._players = players
        self._label = label
        self._kind = kind
        self._game: Any = None

    @property
    def players(self) -> Tuple[str, ...]:
        """Player names, in order."""
        return self._players

    @property
    def label(self) -> Optional[str]:
        """The solution concept that produced it, e.g. ``"Shapley value"``."""
        return self._label

    @classmethod
    def _derived(cls, values: np.ndarray, players: Tuple[str, ...], kind: _Kind, label: Optional[str] = None) -> "Allocation":
        """An allocation from already checked parts (no validation, values made read-only)."""
        out = cls.__new__(cls)
        arr = np.array(values, dtype=np.float64)
        arr.flags.writeable = False
        out._values = arr
        out._players = players
        out._label = label
        out._kind = kind
        out._game = None
        return out

    @property
    def kind(self) -> _Kind:
        """``"value"`` (payoffs) or ``"cost"`` (cost shares)."""
        return self._kind

    @property
    def values(self) -> np.ndarray:
        """The numbers as a read-only float64 array."""
        return self._values

    def total(self) -> float:
        """Sum over all players."""
        return float(self._values.sum())

    def __array__(self, dtype: Any = None, copy: Optional[bool] = None) -> np.ndarray:
        if copy:
            return np.array(self._values, dtype=dtype, copy=True)
        if dtype is None:
            return self._values
        return self._values.astype(dtype)

    def __len__(self) -> int:
        return len(self._players)

    def __iter__(self) -> Iterator[float]:
        return (float(x) for x in self._values)

    def _index(self, name: str) -> int:
        try:
            return self._players.index(name)
        except ValueError:
            raise tag(
                UnknownPlayer(f"{name!r} is not a player of this allocation (players: {', '.join(self._players)})"),
                "unknown_player",
                name=name,
                players=", ".join(self._players),
            ) from None

    @overload
    def __getitem__(self, key: Union[int, str]) -> float: ...

    @overload
    def __getitem__(self, key: Union[List[str], Tuple[str, ...]]) -> "Allocation": ...

    def __getitem__(self, key: Union[int, str, List[str], Tuple[str, ...]]) -> Union[float, "Allocation"]:
        """``a[i]`` (position) or ``a["name"]``: a float; ``a[["A", "B"]]``: an Allocation of
        those players in that order (same kind and label). An unknown name is an
        ``UnknownPlayer``, a name given twice an ``InvalidGame``."""
        if isinstance(key, str):
            return float(self._values[self._index(key)])
        if isinstance(key, (int, np.integer)) and not isinstance(key, (bool, np.bool_)):
            return float(self._values[key])
        if isinstance(key, (list, tuple)) and all(isinstance(k, str) for k in key):
            names = tuple(key)
            index = [self._index(k) for k in names]
            if len(set(names)) != len(names):
                twice = sorted({k for k in names if names.count(k) > 1})
                raise InvalidGame(f"the selected players name {', '.join(map(repr, twice))} more than once")
            return Allocation._derived(self._values[index], names, self._kind, self._label)
        raise TypeError(
            "index an Allocation by position (int), player name (str) or a list of names, "
            f"not {type(key).__name__}"
        )

    # -- comparison ---------------------------------------------------------------------------

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Allocation):
            return NotImplemented
        return (
            self._players == other._players
            and self._kind == other._kind
            and bool(np.array_equal(self._values, other._values))
        )

    def __ne__(self, other: object) -> bool:
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    def __hash__(self) -> int:
        # Immutable, so hashable by what == compares (-0.0 and 0.0 hash alike as floats).
        return hash((self._players, self._kind, tuple(self._values.tolist())))

    def isclose(self, other: "Allocation", rel_tol: float = 1e-9, abs_tol: float = 0.0) -> bool:
        """True when ``other`` has the same players (same order) and kind and every value is
        close to this one in the sense of :func:`math.isclose`:
        ``|a - b| <= max(rel_tol * max(|a|, |b|), abs_tol)``. Different players or kinds give
        False; a negative or NaN tolerance is an ``InvalidGame``."""
        if not isinstance(other, Allocation):
            raise TypeError(f"isclose compares two Allocations, not an Allocation and {type(other).__name__}")
        for name, tol in (("rel_tol", rel_tol), ("abs_tol", abs_tol)):
            if isinstance(tol, bool) or not isinstance(tol, numbers.Real) or not float(tol) >= 0.0:
                raise tag(InvalidGame(f"{name} must be a number >= 0, not {tol!r}"), "invalid_parameter", name=name)
        if self._players != other._players or self._kind != other._kind:
            return False
        return all(
            math.isclose(float(a), float(b), rel_tol=float(rel_tol), abs_tol=float(abs_tol))
            for a, b in zip(self._values, other._values)
        )

    # -- arithmetic ---------------------------------------------------------------------------

    def _check_same(self, other: "Allocation", op: str) -> None:
        if self._players != other._players:
            if set(self._players) == set(other._players):
                raise tag(
                    InvalidGame(
                        f"cannot {op} allocations whose players are in a different order: "
                        f"({', '.join(self._players)}) and ({', '.join(other._players)}); "
                        f"reorder one with x[list(y.players)]"
                    ),
                    "different_order",
                    left=self._players,
                    right=other._players,
                )
            only_left = [p for p in self._players if p not in other._players]
            only_right = [p for p in other._players if p not in self._players]
            raise tag(
                InvalidGame(
                    f"cannot {op} allocations of different players: only in the left one: "
                    f"{only_left or 'none'}; only in the right one: {only_right or 'none'}"
                ),
                "different_players",
                only_left=only_left,
                only_right=only_right,
            )
        if self._kind != other._kind:
            raise tag(
                InvalidGame(
                    f"cannot {op} a {self._kind!r} allocation and a {other._kind!r} allocation "
                    "(payoffs and cost shares are different things; use the game's savings() to "
                    "turn cost shares into payoffs)"
                ),
                "different_kinds",
                left=self._kind,
                right=other._kind,
            )

    def _binary(self, other: Any, fn: Callable[[Any, Any], Any], op: str, reflected: bool = False) -> Any:
        if isinstance(other, Allocation):
            self._check_same(other, op)
            a: Any = self._values
            b: Any = other._values
        elif isinstance(other, np.ndarray):
            # No labels to check against: a plain array in, a plain array out (as before).
            return fn(other, self._values) if reflected else fn(self._values, other)
        elif isinstance(other, numbers.Real) and not isinstance(other, (bool, np.bool_)):
            a = self._values
            b = float(other)
        else:
            return NotImplemented
        with np.errstate(divide="ignore", invalid="ignore"):
            values = fn(b, a) if reflected else fn(a, b)
        return Allocation._derived(values, self._players, self._kind)

    def __add__(self, other: Any) -> "Allocation":
        return self._binary(other, np.add, "add")

    def __radd__(self, other: Any) -> "Allocation":
        return self._binary(other, np.add, "add", reflected=True)

    def __sub__(self, other: Any) -> "Allocation":
        return self._binary(other, np.subtract, "subtract")

    def __rsub__(self, other: Any) -> "Allocation":
        return self._binary(other, np.subtract, "subtract", reflected=True)

    def __mul__(self, other: Any) -> "Allocation":
        return self._binary(other, np.multiply, "multiply")

    def __rmul__(self, other: Any) -> "Allocation":
        return self._binary(other, np.multiply, "multiply", reflected=True)

    def __truediv__(self, other: Any) -> "Allocation":
        """Division by zero follows IEEE (inf or nan), as numpy does."""
        return self._binary(other, np.true_divide, "divide")

    def __rtruediv__(self, other: Any) -> "Allocation":
        return self._binary(other, np.true_divide, "divide", reflected=True)

    def __neg__(self) -> "Allocation":
        return Allocation._derived(-self._values, self._players, self._kind)

    def __pos__(self) -> "Allocation":
        return Allocation._derived(self._values, self._players, self._kind)

    def __abs__(self) -> "Allocation":
        return Allocation._derived(np.abs(self._values), self._players, self._kind)

    def to_dict(self) -> Dict[str, float]:
        """``{player: value}`` in player order."""
        return {p: float(x) for p, x in zip(self._players, self._values)}

    def __reduce__(self) -> Any:
        # Pickles the numbers and labels only: the game it came from stays behind (pass it to
        # ``explain(game=...)`` after unpickling).
        return (Allocation._derived, (self._values.copy(), self._players, self._kind, self._label))

    def explain(self, lang: str = "en", game: Any = None) -> "Explanation":
        """A short memo text on this allocation (``lang="en"`` or ``"zh"``), returned as an
        :class:`Explanation` (a ``str`` carrying the facts it states). Shapley values are
        explained by each player's average marginal contribution and the coalitions where it
        adds most; the (pre)nucleolus by its tight coalitions (the largest excess) and why no
        one can complain more; every allocation by whether it is in the core and the
        coalition with the largest complaint.

        The game is the one whose method computed the allocation (``g.shapley()``,
        ``g.nucleolus()``, ...), or ``game`` when given; an allocation built by hand or by
        arithmetic needs ``game=`` (else ``InvalidGame``, code ``invalid_parameter``, name
        ``game``). An unknown ``lang`` is an ``InvalidGame`` naming ``lang``."""
        from ._explain import check_lang, explain_allocation

        check_lang(lang)
        source = self._game if game is None else game
        if source is None:
            raise tag(
                InvalidGame(
                    "this allocation does not know its game (it was built by hand or by arithmetic); "
                    "pass it: x.explain(game=g)"
                ),
                "invalid_parameter",
                name="game",
            )
        return explain_allocation(self, source, lang)

    def to_pandas(self) -> Any:
        """A ``pandas.Series`` indexed by player name (needs pandas)."""
        pd = importlib.import_module("pandas")
        return pd.Series(self._values.copy(), index=pd.Index(self._players, name="player"), name=self._label or "allocation")

    def _title(self) -> str:
        what = "cost shares" if self._kind == "cost" else "payoffs"
        return f"Allocation: {self._label} ({what})" if self._label else f"Allocation ({what})"

    def __repr__(self) -> str:
        width = max((display_width(p) for p in self._players), default=0)
        rows = [f"  {pad(p, width)}  {x}" for p, x in zip(self._players, self._shown())]
        return "\n".join([self._title(), *rows])

    def _resolution(self) -> Optional[float]:
        """The tolerance of the game it came from (the precision its numbers are shown at),
        or None for an allocation that does not know its game."""
        if self._game is None:
            return None
        try:
            return float(self._game.tolerance)
        except (AttributeError, TypeError, ValueError):
            return None

    def _shown(self, scale: Optional[float] = None) -> List[str]:
        """The values as people see them: Rust's one rounding rule (also its ``Display``), at
        the game's tolerance when the allocation knows its game, else at their common scale."""
        return _native.shown_numbers(self._values.tolist(), scale, self._resolution())

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{html.escape(p)}</td><td style='text-align:right'>{x}</td></tr>"
            for p, x in zip(self._players, self._shown())
        )
        return (
            f"<table><caption>{html.escape(self._title())}</caption>"
            f"<thead><tr><th>player</th><th>{'cost share' if self._kind == 'cost' else 'payoff'}</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>"
        )

    # -- exports ------------------------------------------------------------------------------

    def _table(self, lang: str = "en") -> Table:
        """The allocation as an export table: one row per player, one column of numbers (at
        the game's tolerance when the allocation knows its game); words in ``lang``."""
        from ._explain import check_lang

        zh = check_lang(lang) == "zh"
        if zh:
            what = "成本分摊" if self._kind == "cost" else "收益"
            title = f"分配：{self._label}（{what}）" if self._label else f"分配（{what}）"
            header, sheet = "成员", self._label or "分配"
        else:
            what = "cost share" if self._kind == "cost" else "payoff"
            title, header, sheet = self._title(), "player", self._label or "allocation"
        return Table(title, header, self._players, [self._label or what], self._values.reshape(-1, 1),
                     resolution=self._resolution(), sheet=sheet)

    def to_markdown(self, lang: str = "en") -> str:
        """A Markdown pipe table: a header line, a separator line and one line per player,
        numbers as in ``repr`` (Rust's rounding rule); ``lang``: ``"en"`` or ``"zh"``."""
        return self._table(lang).markdown()

    def to_latex(self, lang: str = "en") -> str:
        """A LaTeX ``tabular`` (special characters in names escaped), numbers as in ``repr``."""
        return self._table(lang).latex()

    def to_html(self, lang: str = "en") -> str:
        """An HTML ``<table>`` (names escaped), numbers as in ``repr``."""
        return self._table(lang).html()

    def to_excel(self, path: PathLike, lang: str = "en") -> None:
        """Writes the allocation to an .xlsx file: one sheet, player names and the full float
        values (needs openpyxl: ``pip install "coalitional[excel]"``). A path not ending in
        .xlsx is an ``InvalidGame`` (code ``invalid_parameter``, name ``path``)."""
        write_excel(path, [self._table(lang)], "Allocation.to_excel")


class LeastCore:
    """The least core: the least ``epsilon`` such that an efficient allocation gives every
    proper coalition at least ``v(S) - epsilon`` (cost games: pays at most ``c(S) + epsilon``),
    and one such ``allocation``. The core is nonempty iff ``epsilon <= 0``.
    """

    __slots__ = ("epsilon", "allocation")

    def __init__(self, epsilon: float, allocation: Allocation) -> None:
        self.epsilon = float(epsilon)
        self.allocation = allocation

    def __repr__(self) -> str:
        return f"LeastCore(epsilon={self._epsilon()})\n{self.allocation!r}"

    def _epsilon(self) -> str:
        """epsilon as people see it, at the scale of the allocation it comes with."""
        scale = float(np.max(np.abs(np.asarray(self.allocation)), initial=0.0))
        return str(_native.shown_numbers([self.epsilon], scale, self.allocation._resolution())[0])

    def _repr_html_(self) -> str:
        return f"<p>least core: &epsilon; = {self._epsilon()}</p>" + self.allocation._repr_html_()

    def to_pandas(self) -> Any:
        """The allocation as a pandas Series, named with the least core's epsilon."""
        series = self.allocation.to_pandas()
        series.name = f"least core (epsilon = {self._epsilon()})"
        return series


class Vertices(np.ndarray):  # type: ignore[type-arg]
    """The vertices of a core (or any set of allocations) as a float64 array of shape (k, n),
    one row per vertex, columns in player order, labelled with ``.players`` and ``.kind``.

    It is a numpy array (``.shape``, indexing, iteration and numpy functions work as on the
    plain array it used to be), with ``.to_pandas()`` (a DataFrame with one column per
    player) and ``.allocations()`` (one :class:`Allocation` per vertex). Selecting rows
    (``v[0]``, ``v[1:]``, iteration) keeps the labels; anything that changes the columns or
    computes new numbers (``v[:, 0]``, ``v * 2``, ``v.mean(axis=0)``) gives a plain array.
    """

    players: Tuple[str, ...]
    kind: _Kind

    def __new__(cls, values: Any, players: Sequence[str], kind: _Kind = "value") -> "Vertices":
        arr = np.array(values, dtype=np.float64)
        names = tuple(players)
        if arr.ndim != 2 or arr.shape[1] != len(names):
            raise tag(
                InvalidGame(f"vertices need shape (k, {len(names)}) for {len(names)} players, got {arr.shape}"),
                "invalid_parameter",
                name="values",
                shape=arr.shape,
            )
        out = arr.view(cls)
        out.players = names
        out.kind = kind
        return out

    def __array_finalize__(self, obj: Any) -> None:
        self.players = getattr(obj, "players", ())
        self.kind = getattr(obj, "kind", "value")

    def __array_wrap__(self, array: Any, context: Any = None, return_scalar: bool = False) -> Any:
        # Results of ufuncs and reductions are new numbers: plain arrays (or scalars).
        plain = np.asarray(array).view(np.ndarray)
        return plain[()] if return_scalar else plain

    def __getitem__(self, key: Any) -> Any:
        out = super().__getitem__(key)
        if isinstance(out, Vertices) and not self._keeps_columns(key):
            return out.view(np.ndarray)
        return out

    def _keeps_columns(self, key: Any) -> bool:
        if self.ndim != 2:
            return False
        if not isinstance(key, tuple):
            return key is not None and key is not Ellipsis
        if len(key) == 1:
            return key[0] is not None and key[0] is not Ellipsis
        return len(key) == 2 and isinstance(key[1], slice) and key[1] == slice(None)

    def __reduce__(self) -> Any:
        parts: Tuple[Any, ...] = tuple(super().__reduce__())
        return parts[0], parts[1], (parts[2], self.players, self.kind)

    def __setstate__(self, state: Any) -> None:
        base, players, kind = state
        super().__setstate__(base)
        self.players = tuple(players)
        self.kind = kind

    def allocations(self) -> List[Allocation]:
        """One :class:`Allocation` per vertex (row), in order, labelled ``"core vertex"``."""
        if self.ndim != 2:
            raise InvalidGame(f"allocations() needs the (k, n) table of vertices, not shape {self.shape}")
        table = np.asarray(self)
        return [Allocation._derived(row, self.players, self.kind, "core vertex") for row in table]

    def to_pandas(self) -> Any:
        """A ``pandas.DataFrame``: one row per vertex (index ``vertex`` 0..k-1), one column per
        player (needs pandas)."""
        pd = importlib.import_module("pandas")
        table = np.array(self, dtype=np.float64).reshape(-1, len(self.players))
        return pd.DataFrame(
            table,
            index=pd.RangeIndex(len(table), name="vertex"),
            columns=pd.Index(self.players, name="player"),
        )

    def __repr__(self) -> str:
        body = np.array2string(np.asarray(self), separator=", ", prefix="Vertices(")
        return f"Vertices({body}, players={list(self.players)!r}, kind={self.kind!r})"
