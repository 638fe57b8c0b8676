"""`ScenarioGame`: worths that depend on which of a few scenarios comes true.

The mathematics lives in Rust (``coalitional::scenario``): the expected game
``E v(S) = sum_k p_k v_k(S)`` (compensated sums), every rule per scenario (``Rule::apply``) and
the robust least core, the least core of the pessimistic game ``u(S) = max_k v_k(S)``
(costs: ``min_k c_k(S)``) with ``u(N) = E v(N)``. This module converts and labels.
"""

from __future__ import annotations

import importlib
from typing import Any, Dict, Iterable, List, NamedTuple, Optional, Sequence, Tuple

import numpy as np

from . import _coalitional as _native
from ._allocation import Allocation, _Kind
from ._coalitional import GameError, InvalidGame
from ._compare import _RULE_FAILURES, rule_names
from ._convert import a_type, float_vector, tag
from ._game import Game

#: The column of the expected game in :meth:`ScenarioGame.table`.
EXPECTED = "expected"


class WorstCase(NamedTuple):
    """Where the robust least core's largest excess occurs: a scenario (the first of those
    where it binds) and a coalition (names)."""

    scenario: str
    coalition: Tuple[str, ...]


class RobustLeastCore:
    """The robust least core of a :class:`ScenarioGame`: one allocation of the expected worth
    ``E v(N)``, agreed before the scenario is known, whose largest excess over every scenario
    and every proper coalition, ``epsilon``, is smallest.

    - ``epsilon``: ``min_x max_{k,S} (v_k(S) - x(S))`` (costs ``x(S) - c_k(S)``);
    - ``allocation`` (:class:`Allocation`): a point attaining it; ``centre``: the robust least
      core's lexicographic centre (the prenucleolus of the pessimistic game);
    - ``worst``: ``(scenario, coalition)`` where ``allocation``'s excess is largest, with
      ``worst_scenarios`` every scenario where that coalition's worth binds;
    - ``stable_in_every_scenario``: ``epsilon <= 0`` at the game's tolerance: no coalition
      gains by leaving in any scenario.
    """

    __slots__ = ("epsilon", "allocation", "centre", "worst", "worst_scenarios",
                 "stable_in_every_scenario", "tolerance", "_text")

    def __init__(self, native: Any, players: Sequence[str], kind: _Kind) -> None:
        self.epsilon = float(native.epsilon)
        self.allocation = Allocation(native.allocation, players, label="robust least core point", kind=kind)
        self.centre = Allocation(native.centre, players, label="robust least core centre", kind=kind)
        scenarios = tuple(str(s) for s in native.worst_scenarios)
        self.worst = WorstCase(scenarios[0], tuple(native.worst_members))
        self.worst_scenarios: Tuple[str, ...] = scenarios
        self.stable_in_every_scenario = bool(native.stable_in_every_scenario)
        self.tolerance = float(native.tolerance)
        self._text = str(native)

    def __repr__(self) -> str:
        return self._text


class ScenarioGame:
    """Games on the same players, one per scenario, with probabilities.

    ``games``: :class:`Game` objects with the same players in the same order and the same
    kind; ``probabilities``: one per game, each ``>= 0``, summing to 1 (within rounding);
    ``names``: scenario names (default ``"scenario 1"``, ``"scenario 2"``, ...). Otherwise
    :class:`InvalidGame` (code ``invalid_parameter``) names ``games``, ``probabilities`` or
    ``names`` and the scenario at fault.

    >>> import coalitional as co
    >>> dry = co.Game([0, 1, 1, 4], ["A", "B"])
    >>> wet = co.Game([0, 1, 3, 8], ["A", "B"])
    >>> sg = co.ScenarioGame([dry, wet], [0.25, 0.75], names=["dry", "wet"])
    >>> float(sg.expected().value(["A", "B"]))
    7.0
    >>> r = sg.robust_least_core()
    >>> round(r.epsilon, 9), r.stable_in_every_scenario
    (-1.5, True)
    """

    __slots__ = ("_native",)

    def __init__(self, games: Iterable[Game], probabilities: Any, names: Optional[Iterable[str]] = None) -> None:
        if isinstance(games, (str, bytes, Game)) or not hasattr(games, "__iter__"):
            raise tag(InvalidGame(f"games must be a list of Game objects, not {a_type(games)}"),
                      "invalid_parameter", name="games")
        cores = []
        for k, g in enumerate(games):
            if not isinstance(g, Game):
                raise tag(InvalidGame(f"games[{k}] must be a coalitional Game, not {a_type(g)}"),
                          "invalid_parameter", name="games")
            cores.append(g._core)
        p = float_vector(probabilities, "probabilities").tolist()
        labels: Optional[List[str]] = None
        if names is not None:
            if isinstance(names, (str, bytes)):
                raise tag(InvalidGame("names must be a list of scenario names, not a single string"),
                          "invalid_parameter", name="names")
            labels = []
            for k, name in enumerate(names):
                if not isinstance(name, str):
                    raise tag(InvalidGame(f"names[{k}] must be a string, not {a_type(name)}"),
                              "invalid_parameter", name="names")
                if name == EXPECTED:
                    raise tag(InvalidGame(f"names[{k}] is {EXPECTED!r}, the name of the expected game's "
                                          "column in table(); choose another name"),
                              "invalid_parameter", name="names")
                labels.append(name)
        self._native: Any = _native.ScenarioGameCore(cores, p, labels)

    @property
    def games(self) -> Tuple[Game, ...]:
        """The scenarios' games, in order."""
        return tuple(Game._wrap(c) for c in self._native.games())

    @property
    def probabilities(self) -> np.ndarray:
        """The scenarios' probabilities (float64, read-only)."""
        p = np.asarray(self._native.probabilities, dtype=np.float64)
        p.flags.writeable = False
        return p

    @property
    def names(self) -> Tuple[str, ...]:
        """The scenarios' names, in order."""
        return tuple(self._native.names)

    @property
    def players(self) -> Tuple[str, ...]:
        return self.games[0].players

    @property
    def n(self) -> int:
        return len(self.players)

    @property
    def kind(self) -> _Kind:
        return self.games[0].kind

    def expected(self) -> Game:
        """The expected game ``E v(S) = sum_k p_k v_k(S)`` (compensated sums)."""
        return Game._wrap(self._native.expected())

    def pessimistic_game(self) -> Game:
        """``max_k v_k(S)`` (costs ``min_k c_k(S)``) on proper coalitions and ``E v(N)`` on the
        grand coalition: the game whose least core is the robust least core."""
        return Game._wrap(self._native.pessimistic_game())

    def table(self, rules: Optional[Iterable[str]] = None) -> Any:
        """Every rule in every scenario and in the expected game: a pandas DataFrame indexed by
        (rule, player), with one column per scenario (its name) and ``"expected"`` (the rule
        applied to :meth:`expected`). ``rules``: names as for :func:`coalitional.compare`
        (default: the same rules). A rule that is undefined in a scenario, or whose solver
        fails, gives NaN there; the typed error is kept in ``df.attrs["failures"]``, a dict
        ``{(rule, scenario): exception}``."""
        pd = importlib.import_module("pandas")
        names = rule_names(rules)
        players = self.players
        columns = [*self.names, EXPECTED]
        expected = self.expected()
        data = np.full((len(names) * len(players), len(columns)), np.nan)
        failures: Dict[Tuple[str, str], GameError] = {}
        for r, rule in enumerate(names):
            rows = slice(r * len(players), (r + 1) * len(players))
            for k, item in enumerate(self._native.per_scenario(rule)):
                if isinstance(item, BaseException):
                    if not isinstance(item, _RULE_FAILURES):
                        raise item
                    failures[(rule, columns[k])] = item
                else:
                    data[rows, k] = np.asarray(item)
            try:
                data[rows, -1] = np.asarray(expected._core.rule(rule))
            except _RULE_FAILURES as err:
                failures[(rule, EXPECTED)] = err
        index = pd.MultiIndex.from_product([names, list(players)], names=["rule", "player"])
        df = pd.DataFrame(data, index=index, columns=pd.Index(columns, name="scenario"))
        df.attrs["failures"] = failures
        return df

    def robust_least_core(self) -> RobustLeastCore:
        """The robust least core: the allocation of ``E v(N)`` minimising the largest excess
        over every scenario and proper coalition (the least core of
        :meth:`pessimistic_game`), with its centre, where the worst excess occurs, and whether
        it is stable in every scenario. Needs two or more players."""
        return RobustLeastCore(self._native.robust_least_core(), self.players, self.kind)

    def __repr__(self) -> str:
        return str(self._native)
