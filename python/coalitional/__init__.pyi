"""Type stubs for coalitional, checked by mypy.stubtest in CI.

The pure-Python classes are typed in their own modules and re-exported here; the native
module's stubs are in _coalitional.pyi.
"""

from ._allocation import Allocation as Allocation
from ._allocation import LeastCore as LeastCore
from ._coalitional import FormatError as FormatError
from ._coalitional import GameError as GameError
from ._coalitional import GameTooLarge as GameTooLarge
from ._coalitional import InvalidGame as InvalidGame
from ._coalitional import SolverError as SolverError
from ._coalitional import UndefinedSolution as UndefinedSolution
from ._coalitional import UnknownPlayer as UnknownPlayer
from ._coalitional import __version__ as __version__
from ._game import Game as Game

__all__ = [
    "Allocation",
    "FormatError",
    "Game",
    "GameError",
    "GameTooLarge",
    "InvalidGame",
    "LeastCore",
    "SolverError",
    "UndefinedSolution",
    "UnknownPlayer",
    "__version__",
    "example",
]

def example(name: str = "g60_corridor") -> Game: ...
