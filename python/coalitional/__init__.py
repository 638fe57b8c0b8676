"""coalitional: cooperative (transferable-utility) games for fair benefit sharing.

>>> import coalitional as co
>>> co.Game([0, 1, 1, 3], ["A", "B"]).shapley().to_dict()
{'A': 1.5, 'B': 1.5}
"""

import json
from importlib import resources as _resources
from typing import Dict

from ._allocation import Allocation, LeastCore, Vertices
from ._coalitional import (
    FormatError,
    GameError,
    GameTooLarge,
    InfeasibleConstraints,
    InvalidGame,
    SolverError,
    ModelError,
    CacheError,
    CacheWarning,
    UndefinedSolution,
    UnknownPlayer,
    __version__,
)
from ._convex import ConvexGame
from ._classes import (
    AirportGame,
    AssignmentGame,
    ClaimsGame,
    StructuredGame,
    WeightedVotingGame,
    airport,
    assignment,
    bankruptcy,
    constrained_equal_awards,
    constrained_equal_losses,
    proportional,
    random_arrival,
    talmud,
    weighted_voting,
)
from ._fonts import FontWarning
from ._graphgames import (
    InducedSubgraphGame,
    LinearProductionGame,
    SpanningTreeGame,
    induced_subgraph_game,
    linear_production,
    spanning_tree_game,
)
from ._closest import ClosestPoint
from ._game import Game
from ._interval import IntervalAllocation, IntervalGame, SampledIntervalAllocation
from ._scenario import RobustLeastCore, ScenarioGame, WorstCase
from ._compare import Comparison, compare
from ._report_doc import Report, report
from ._explain import Explanation
from ._lazy import LazyGame
from . import backends
from ._oracle import OracleGame
from ._sampling import Estimate
from ._schedule import Schedule, YearCheck, payment_schedule
from ._sensitivity import Sensitivity
from ._power import PowerIndices
from ._settle import OUTSIDE, Blocking, Payment, PioneerView, Settlement, pioneer_view, settle


def example(name: str = "g60_corridor") -> Game:
    """A bundled example game; ``"g60_corridor"`` is the nine-city G60 corridor (illustrative)."""
    files = {"g60_corridor": "g60_corridor.json"}
    if name not in files:
        raise ValueError(f"unknown example {name!r}; available: {', '.join(sorted(files))}")
    text = _resources.files(__name__).joinpath("data", files[name]).read_text(encoding="utf-8")
    return Game.from_json(text)


def example_status_quo(name: str = "g60_corridor") -> Dict[str, float]:
    """The bundled status quo of an example (what each player gets today, illustrative)."""
    files = {"g60_corridor": "g60_status_quo.json"}
    if name not in files:
        raise ValueError(f"unknown example {name!r}; available: {', '.join(sorted(files))}")
    text = _resources.files(__name__).joinpath("data", files[name]).read_text(encoding="utf-8")
    return {str(k): float(v) for k, v in json.loads(text)["status_quo"].items()}


__all__ = [
    "__version__",
    "airport",
    "AirportGame",
    "Allocation",
    "ClosestPoint",
    "InfeasibleConstraints",
    "assignment",
    "AssignmentGame",
    "bankruptcy",
    "Blocking",
    "ClaimsGame",
    "ConvexGame",
    "compare",
    "report",
    "Report",
    "Comparison",
    "constrained_equal_awards",
    "constrained_equal_losses",
    "Estimate",
    "example",
    "example_status_quo",
    "Explanation",
    "FontWarning",
    "FormatError",
    "Game",
    "GameError",
    "GameTooLarge",
    "InvalidGame",
    "IntervalAllocation",
    "IntervalGame",
    "RobustLeastCore",
    "SampledIntervalAllocation",
    "ScenarioGame",
    "WorstCase",
    "LazyGame",
    "OracleGame",
    "LeastCore",
    "OUTSIDE",
    "Payment",
    "payment_schedule",
    "pioneer_view",
    "PioneerView",
    "proportional",
    "random_arrival",
    "settle",
    "Schedule",
    "Sensitivity",
    "PowerIndices",
    "Settlement",
    "SolverError",
    "ModelError",
    "CacheError",
    "CacheWarning",
    "StructuredGame",
    "talmud",
    "UndefinedSolution",
    "UnknownPlayer",
    "Vertices",
    "weighted_voting",
    "WeightedVotingGame",
    "YearCheck",
    "InducedSubgraphGame",
    "LinearProductionGame",
    "SpanningTreeGame",
    "induced_subgraph_game",
    "linear_production",
    "spanning_tree_game",
]
