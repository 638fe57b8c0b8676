"""Type stubs for coalitional, checked by mypy.stubtest in CI.

The pure-Python classes are typed in their own modules and re-exported here; the native
module's stubs are in _coalitional.pyi.
"""

from typing import Dict

from ._allocation import Allocation as Allocation
from ._allocation import LeastCore as LeastCore
from ._allocation import Vertices as Vertices
from ._closest import ClosestPoint as ClosestPoint
from ._coalitional import FormatError as FormatError
from ._coalitional import GameError as GameError
from ._coalitional import GameTooLarge as GameTooLarge
from ._coalitional import InfeasibleConstraints as InfeasibleConstraints
from ._coalitional import InvalidGame as InvalidGame
from ._coalitional import SolverError as SolverError
from ._coalitional import ModelError as ModelError
from ._coalitional import CacheError as CacheError
from ._coalitional import CacheWarning as CacheWarning
from ._coalitional import UndefinedSolution as UndefinedSolution
from ._coalitional import UnknownPlayer as UnknownPlayer
from ._coalitional import __version__ as __version__
from ._classes import AirportGame as AirportGame
from ._classes import AssignmentGame as AssignmentGame
from ._classes import ClaimsGame as ClaimsGame
from ._classes import StructuredGame as StructuredGame
from ._classes import WeightedVotingGame as WeightedVotingGame
from ._convex import ConvexGame as ConvexGame
from ._classes import airport as airport
from ._classes import assignment as assignment
from ._classes import bankruptcy as bankruptcy
from ._classes import constrained_equal_awards as constrained_equal_awards
from ._classes import constrained_equal_losses as constrained_equal_losses
from ._classes import proportional as proportional
from ._classes import random_arrival as random_arrival
from ._classes import talmud as talmud
from ._classes import weighted_voting as weighted_voting
from ._fonts import FontWarning as FontWarning
from ._graphgames import InducedSubgraphGame as InducedSubgraphGame
from ._graphgames import LinearProductionGame as LinearProductionGame
from ._graphgames import SpanningTreeGame as SpanningTreeGame
from ._graphgames import induced_subgraph_game as induced_subgraph_game
from ._graphgames import linear_production as linear_production
from ._graphgames import spanning_tree_game as spanning_tree_game
from ._game import Game as Game
from ._interval import IntervalAllocation as IntervalAllocation
from ._interval import IntervalGame as IntervalGame
from ._interval import SampledIntervalAllocation as SampledIntervalAllocation
from ._scenario import RobustLeastCore as RobustLeastCore
from ._scenario import ScenarioGame as ScenarioGame
from ._scenario import WorstCase as WorstCase
from ._compare import Comparison as Comparison
from ._compare import compare as compare
from ._report_doc import Report as Report
from ._report_doc import report as report
from ._explain import Explanation as Explanation
from ._lazy import LazyGame as LazyGame
from . import backends as backends
from ._oracle import OracleGame as OracleGame
from ._sampling import Estimate as Estimate
from ._schedule import Schedule as Schedule
from ._schedule import YearCheck as YearCheck
from ._schedule import payment_schedule as payment_schedule
from ._sensitivity import Sensitivity as Sensitivity
from ._power import PowerIndices as PowerIndices
from ._settle import OUTSIDE as OUTSIDE
from ._settle import Blocking as Blocking
from ._settle import Payment as Payment
from ._settle import PioneerView as PioneerView
from ._settle import Settlement as Settlement
from ._settle import pioneer_view as pioneer_view
from ._settle import settle as settle

__all__ = [
    "__version__",
    "ClosestPoint",
    "InfeasibleConstraints",
    "airport",
    "AirportGame",
    "Allocation",
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

def example(name: str = "g60_corridor") -> Game: ...
def example_status_quo(name: str = "g60_corridor") -> Dict[str, float]: ...
