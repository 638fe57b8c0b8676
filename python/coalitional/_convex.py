"""`ConvexGame`: a convex game given by a worth function, with the nucleolus, prenucleolus and
least core by submodular minimisation (no 2**n values)."""

from __future__ import annotations

import math
from typing import Any, Callable, Dict, FrozenSet, Iterable

from . import _coalitional as _native
from ._classes import StructuredGame
from ._coalitional import InvalidGame
from ._convert import a_type, model_value, player_names, tag
from ._game import Game
from ._oracles import OracleStability


class ConvexGame(OracleStability, StructuredGame):
    """A convex (supermodular) game given by ``f(frozenset_of_names) -> float``, up to 64
    players: ``v(S ∪ T) + v(S ∩ T) >= v(S) + v(T)`` (Shapley 1971), i.e. each player's
    marginal contribution grows with the coalition. Bankruptcy games, airport savings games
    and ``h(sum of weights)`` for a convex ``h`` are convex.

    ``nucleolus``, ``prenucleolus`` and ``least_core`` never list the 2**n coalitions: the
    separation engine asks for the most violated coalition, found by minimising the
    submodular ``x(S) - v(S)`` with the Fujishige–Wolfe minimum-norm-point algorithm
    (Fujishige 1980, 2005; Wolfe 1976; Chakrabarty, Jain and Kothari 2014). 40 players take
    seconds. Every worth is computed once and remembered (``evaluations`` counts them), so a
    slow model is never run twice for a coalition. ``f`` must return a finite real number; its
    exceptions propagate unchanged.

    Convexity is the caller's promise and is not checked over all coalitions: for a function
    that is not supermodular the answers carry no guarantee, but when the oracle sees a
    violation it raises ``InvalidGame`` with ``code == "not_convex"`` naming the player and
    the two coalitions; :meth:`check_convex` tests random samples before a long run. Other
    methods (Shapley value, ...) build the dense game (memory checked first).

    >>> import coalitional as co
    >>> claims = {"A": 100, "B": 200, "C": 300}
    >>> g = co.ConvexGame(claims, lambda s: max(0.0, 200 - sum(c for p, c in claims.items() if p not in s)))
    >>> [round(v, 6) for v in g.nucleolus()]  # the Talmud's estate of 200 (Aumann-Maschler 1985)
    [50.0, 75.0, 75.0]
    """

    __slots__ = ()

    def __init__(self, players: Iterable[str], f: Callable[[FrozenSet[str]], float]) -> None:
        names = player_names(players, "players")
        if not callable(f):
            raise tag(InvalidGame(f"f must be a function of a frozenset of names, not {a_type(f)}"),
                      "invalid_parameter", name="f")

        def checked(s: FrozenSet[str]) -> float:
            out = f(s)
            if type(out) is float and math.isfinite(out):  # the common case, fast
                return out
            return model_value(out, [p for p in names if p in s])

        super().__init__(_native.ConvexGameCore(names, checked))

    @property
    def evaluations(self) -> int:
        """How many coalitions' worths have been computed (each once) and remembered."""
        return int(self._structure.evaluations)

    def check_convex(self, samples: int = 1000, seed: int = 0) -> None:
        """Tests supermodularity on ``samples`` random quadruples (a coalition S of random size,
        two players i, j outside it): ``v(S+i+j) - v(S+j) >= v(S+i) - v(S)`` within 1e-12 of
        the worths' size. Raises ``InvalidGame`` (``code == "not_convex"``, with ``player``,
        ``smaller``, ``larger``, ``gain_smaller``, ``gain_larger``) at the first violation; a
        sample cannot prove convexity, only find where it fails.

        >>> import coalitional as co
        >>> co.ConvexGame(["a", "b", "c"], lambda s: len(s) ** 2).check_convex(200)
        """
        for name, value in (("samples", samples), ("seed", seed)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise tag(InvalidGame(f"{name} must be a whole number >= 0, got {value!r}"),
                          "invalid_parameter", name=name)
        self._structure.check_convex(samples, seed)

    def _oracle(self, concept: str) -> Any:
        return getattr(self._structure, concept)()

    def to_json(self) -> str:
        """The dense game as JSON (2**n values: a function has no class form)."""
        return Game.to_json(self)

    def _parameters(self) -> Dict[str, Any]:
        return {"players": list(self.players), "evaluations": self.evaluations}
