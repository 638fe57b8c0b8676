"""Single-valued rules and transforms of a game (the Rust ``solution::rules`` and
``solution::transforms``): ``Game.gately_point``, ``solidarity``, ``ensc``, ``scrb``,
``propensity_to_disrupt``, ``utopia_payoffs``, ``minimal_rights``, ``dual``,
``zero_normalized`` and ``aumann_dreze``. Labels and conversion only; the mathematics, its
sources and its tolerances are in Rust."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable, Tuple

import numpy as np

from . import _coalitional as _native
from ._allocation import Allocation, _Kind
from ._coalitional import InvalidGame
from ._convert import a_type, player_names, tag

if TYPE_CHECKING:  # pragma: no cover
    from ._game import Game


class RulesMixin:
    """The rules and transforms of this module, for :class:`Game` (which supplies
    ``players``, ``kind``, ``_core``, ``_allocation`` and ``_vector``)."""

    __slots__ = ()

    @property
    def players(self) -> Tuple[str, ...]:
        raise NotImplementedError

    @property
    def kind(self) -> _Kind:
        raise NotImplementedError

    @property
    def _core(self) -> Any:
        raise NotImplementedError

    def _allocation(self, values: np.ndarray, label: str) -> Allocation:
        raise NotImplementedError

    def _vector(self, x: Any, what: str = "the allocation") -> np.ndarray:
        raise NotImplementedError

    def gately_point(self) -> Allocation:
        """The Gately point (Gately 1974): the efficient split at which every player's
        propensity to disrupt is the same,
        ``x_i = v({i}) + s (M_i - v({i})) / sum_j (M_j - v({j}))`` with the separable
        contributions ``M_i = v(N) - v(N minus i)`` and the surplus ``s = v(N) - sum_j v({j})``
        (cost games: on the savings). ``UndefinedSolution`` when ``sum_j (M_j - v({j}))`` is 0
        (Staudacher and Anwander 2019). Equals :meth:`scrb` wherever that is defined.

        >>> import coalitional as co
        >>> g = co.Game([0, 0, 0, 1170, 0, 770, 210, 1530])   # Gately's three regions
        >>> [round(float(x), 2) for x in g.gately_point()]
        [827.7, 476.56, 225.74]
        """
        return self._allocation(self._core.rule("gately"), "Gately point")

    def solidarity(self) -> Allocation:
        """The solidarity value (Nowak and Radzik 1994): the Shapley formula with a player's
        marginal contribution replaced by the average marginal contribution of the coalition's
        members, ``A(S) = (1/|S|) sum_{k in S} (v(S) - v(S minus k))``:
        ``psi_i = sum_{S ∋ i} (n-s)!(s-1)!/n! A(S)``. Efficient, symmetric, additive; a null
        player gets a share (solidarity), a player with ``A(S) = 0`` for all its coalitions gets
        0. One O(n 2**n) pass, interruptible.

        >>> import coalitional as co
        >>> g = co.Game([0, 0, 0, 1, 0, 1, 0, 1], ["L", "R1", "R2"])   # glove game
        >>> [round(float(x), 4) for x in g.solidarity()]
        [0.4444, 0.2778, 0.2778]
        """
        return self._allocation(self._core.rule("solidarity"), "solidarity value")

    def ensc(self) -> Allocation:
        """Equal division of the non-separable cost (Young, Okada and Hashimoto 1982; Driessen
        and Funaki 1991): ``x_i = SC_i + (c(N) - sum_j SC_j) / n`` with separable costs
        ``SC_i = c(N) - c(N minus i)``; for value games the same form with separable
        contributions ``M_i = v(N) - v(N minus i)``. It is the equal surplus division (CIS
        value) of the :meth:`dual` game."""
        return self._allocation(self._core.rule("ensc"), "ENSC value")

    def scrb(self) -> Allocation:
        """Separable costs remaining benefits (James and Lee 1971; Young, Okada and Hashimoto
        1982): ``x_i = SC_i + (c(N) - sum_j SC_j) r_i / sum_j r_j`` with remaining benefits
        ``r_i = c({i}) - SC_i`` (the standalone cost as the alternative cost). A value game
        ``v`` is read as the cost game ``-v``. ``UndefinedSolution`` when some ``r_i < 0`` (the
        message names the player) or all are 0. Where defined it equals :meth:`gately_point`.

        >>> import coalitional as co
        >>> c = co.Game([0, 100, 140, 200, 90, 170, 210, 250], ["nav", "flood", "power"], kind="cost")
        >>> [float(x) for x in c.scrb()]
        [70.0, 110.0, 70.0]
        """
        return self._allocation(self._core.rule("scrb"), "SCRB allocation")

    def propensity_to_disrupt(self, x: Any) -> Allocation:
        """Each player's propensity to disrupt ``x`` (Gately 1974):
        ``d_i = (x(N minus i) - v(N minus i)) / (x_i - v({i}))``, what the others lose if
        ``i`` leaves per unit that ``i`` loses (the same formula for cost games). ``x``: an
        Allocation, a sequence in player order or a {name: value} dict.

        Returned as an Allocation labelled ``"propensity to disrupt"`` (ratios, not money).
        When ``x_i = v({i})`` within the game's tolerance the entry is ``inf`` if the others
        would lose by ``i`` leaving, ``-inf`` if they would gain, ``nan`` if neither; entries
        of ``x`` that are not finite are an ``InvalidGame`` (code ``invalid_parameter``,
        name ``x``)."""
        given = x.to_dict() if isinstance(x, Allocation) else x
        d = _native.propensity_to_disrupt(self._core, [float(v) for v in self._vector(given, "x")])
        return Allocation._derived(np.asarray(d, dtype=np.float64), tuple(self.players), self.kind,
                                   "propensity to disrupt")

    def utopia_payoffs(self) -> Allocation:
        """The utopia payoffs ``M_i = v(N) - v(N minus i)`` (Tijs 1981; cost games: the
        separable costs ``c(N) - c(N minus i)``)."""
        return self._allocation(_native.utopia_payoffs(self._core), "utopia payoffs")

    def minimal_rights(self) -> Allocation:
        """The minimal rights (Tijs 1981): ``m_i = max over S ∋ i of v(S) - sum_{j in S, j != i}
        M_j``, what ``i`` can secure by paying each partner its utopia payoff (cost games:
        ``min over S ∋ i of c(S) - sum_{j in S, j != i} SC_j``)."""
        return self._allocation(_native.minimal_rights(self._core), "minimal rights")

    def dual(self) -> "Game":
        """The dual game ``v*(S) = v(N) - v(N minus S)``, same players and kind; ``g.dual().dual()``
        is ``g`` (to the rounding of ``v(N) - (v(N) - v(S))``)."""
        from ._game import Game

        return Game._wrap(_native.dual(self._core))

    def zero_normalized(self) -> "Game":
        """The zero-normalised game ``v(S) - sum_{i in S} v({i})`` (cost games
        ``c(S) - sum c({i})``, still a cost game), formed exactly (double-double subtraction):
        budgets of 1e9 with a surplus of 3 give exactly 3."""
        from ._game import Game

        return Game._wrap(_native.zero_normalized(self._core))

    def aumann_dreze(self, blocks: Iterable[Iterable[str]]) -> Allocation:
        """The Aumann–Drèze value (Aumann and Drèze 1974) for a coalition structure: ``blocks``
        are lists of names that partition the players; each block shares its own worth by the
        Shapley value of its subgame (nothing is shared between blocks, unlike :meth:`owen`).
        Blocks that are not a partition are an ``InvalidGame`` (code ``invalid_parameter``,
        name ``blocks``)."""
        if isinstance(blocks, (str, bytes)) or not hasattr(blocks, "__iter__"):
            raise tag(InvalidGame(f"blocks must be a list of lists of names, not {a_type(blocks)}"),
                      "invalid_parameter", name="blocks")
        groups = [player_names(b, f"blocks[{i}]", ordered=False) for i, b in enumerate(blocks)]
        return self._allocation(_native.aumann_dreze(self._core, groups), "Aumann–Drèze value")
