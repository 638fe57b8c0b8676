"""Plots for cooperative games (needs matplotlib: ``pip install coalitional[plot]``).

Every function draws on ``ax`` (a new figure when omitted) and returns the Axes:

- :func:`simplex`: the imputation triangle of a 3-player game with the core (shaded), the
  least core, the Shapley value, the nucleolus and an optional status-quo point;
- :func:`tetrahedron`: the same for 4 players, in 3-D;
- :func:`allocations`: grouped bars comparing allocations per player;
- :func:`settlement`: the payments of a settlement as arrows between players;
- :func:`excess_profile`: the coalitions with the largest excess at an allocation;
- :func:`schedule`: the payments of a multi-year agreement, year by year.

Every function takes ``lang="en"`` or ``lang="zh"`` (simplified Chinese titles, axis labels
and legends; the strings of each language are in one table, :data:`TEXT`). Chinese player
names, and ``lang="zh"``, need a font with Chinese characters: an installed one (Noto Sans
CJK, Source Han Sans, WenQuanYi, SimHei, Microsoft YaHei, PingFang, ...) is found and used as
a fallback for the plot's text only; without one, ``pip install "coalitional[zh]"`` installs
Noto Sans CJK, and until then one :class:`coalitional.FontWarning` says so (see
:mod:`._fonts`).
"""

from __future__ import annotations

import importlib
import math
from typing import TYPE_CHECKING, Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

import numpy as np

from . import _coalitional as _native
from . import _fonts
from ._allocation import Allocation
from ._coalitional import UndefinedSolution
from ._convert import tag
from ._game import Game
from ._settle import OUTSIDE, Settlement, coalition_label
from ._settle import settle as _settle
from ._words import RULE_NAMES, TERMS, parse_lang

if TYPE_CHECKING:  # pragma: no cover
    from ._schedule import Schedule

AllocationLike = Union[Allocation, Sequence[float], Mapping[str, float]]

_TRIANGLE = np.array([[0.0, 0.0], [1.0, 0.0], [0.5, math.sqrt(3) / 2]])
_TETRA = np.array(
    [[0.0, 0.0, 0.0], [1.0, 0.0, 0.0], [0.5, math.sqrt(3) / 2, 0.0], [0.5, math.sqrt(3) / 6, math.sqrt(2 / 3)]]
)
#: The words of the plots, one table per language: titles, axis labels, legends, and the
#: names of the solutions (keyed by the English label an :class:`Allocation` carries; a label
#: not in the table is shown as it is). The names of the solutions and the shared concepts
#: come from the one term table, :mod:`._words`.
TEXT: Dict[str, Dict[str, str]] = {
    "en": {
        "imputations": "imputations",
        "core": "core",
        "core empty": "core: empty",
        "least core eps": "least core (ε = {eps})",
        "status quo": "status quo",
        "all to": "all to {name}",
        "simplex title": "imputations, core and solutions",
        "core vertices": "core vertices",
        "payoff": "payoff",
        "cost share": "cost share",
        "allocations title": "allocations by player",
        "allocation k": "allocation {k}",
        "outside": OUTSIDE,
        "target": "target",
        "settlement title": "payments to reach the {label} (net transfer under each name)",
        "excess value": "excess: v(S) - x(S)",
        "excess cost": "excess: x(S) - c(S)",
        "excess title": "the {k} largest excesses",
        "year": "year",
        "schedule title": "payments per year: {label}, discount rate {rate}",
    },
    "zh": {
        "imputations": "分配集",
        "core": "核心",
        "core empty": "核心：空",
        "least core eps": TERMS["zh"]["least core set"] + "（ε = {eps}）",
        "status quo": "现状",
        "all to": "全归{name}",
        "simplex title": "分配集、核心与解",
        "core vertices": "核心顶点",
        "payoff": "收益",
        "cost share": "成本分摊",
        "allocations title": "各成员的分配",
        "allocation k": "分配 {k}",
        "outside": "（外部）",
        "target": "目标分配",
        "settlement title": "达到{label}所需的支付（名称下为净转移额）",
        "excess value": "超额：v(S) − x(S)",
        "excess cost": "超额：x(S) − c(S)",
        "excess title": "超额最大的 {k} 个联盟",
        "year": "年份",
        "schedule title": "各年支付：{label}，贴现率 {rate}",
        # the names of the solutions (the shared term table)
        **RULE_NAMES["zh"],
    },
}
for _lang, _table in TEXT.items():  # the shared concepts, as the other texts write them
    _table.update(core=TERMS[_lang]["core"], target=TERMS[_lang]["target"], **{
        "status quo": TERMS[_lang]["status quo"], "core vertices": TERMS[_lang]["core vertices"]})


def _words(lang: str) -> Dict[str, str]:
    """The table of ``lang``; ``InvalidGame`` (code ``invalid_parameter``, name ``lang``)
    for a language without one."""
    return TEXT[parse_lang(lang)]


def _name(words: Mapping[str, str], label: str) -> str:
    """A solution's label in the table's language (unknown labels as they are)."""
    return words.get(label, label)


_COLORS = {"core": "#4c9be8", "least core": "#f0a030", "shapley": "#d62728", "nucleolus": "#2ca02c", "status quo": "#7f3fbf"}


def _plt() -> Any:
    try:
        return importlib.import_module("matplotlib.pyplot")
    except ImportError:  # pragma: no cover - exercised only without matplotlib
        raise ImportError("coalitional.plot needs matplotlib: pip install coalitional[plot]") from None


def _axes(ax: Any, projection: Optional[str] = None) -> Any:
    if ax is not None:
        return ax
    plt = _plt()
    fig = plt.figure(figsize=(6.4, 5.6) if projection else (6.4, 4.8))
    return fig.add_subplot(111, projection=projection) if projection else fig.add_subplot(111)


def _vector(game: Game, x: AllocationLike) -> np.ndarray:
    if isinstance(x, Allocation):
        return game._vector(x.to_dict())
    return game._vector(x)


def _barycentric(game: Game, points: np.ndarray) -> np.ndarray:
    """Coordinates of allocations in the imputation simplex: (x_i - v_i) / (v(N) - sum v_j)."""
    single = np.array([game.values[1 << i] for i in range(game.n)])
    spare = game.values[-1] - single.sum()
    if abs(spare) <= game.tolerance:
        reason = "v(N) equals the sum of the standalone values, so the imputation set is a single point"
        raise tag(UndefinedSolution(f"the imputation simplex is undefined for this game: {reason}"), "undefined",
                  concept="the imputation simplex", reason=reason)
    return (np.atleast_2d(points) - single) / spare


def _least_core_vertices(game: Game) -> Tuple[float, np.ndarray]:
    """The least core's epsilon and vertices: the core of v(S) - epsilon (cost: c(S) + epsilon)
    on the proper coalitions."""
    eps = game.least_core().epsilon
    if abs(eps) <= game.tolerance:
        eps = 0.0  # within the game's tolerance: the least core is the core
    shifted = np.array(game.values, dtype=float)
    sign = 1.0 if game.kind == "value" else -1.0
    shifted[1:-1] -= sign * eps
    relaxed = Game(shifted, game.players, kind=game.kind)
    return eps, relaxed.core_vertices()


def _ordered_polygon(points: np.ndarray) -> np.ndarray:
    centre = points.mean(axis=0)
    angles = np.arctan2(points[:, 1] - centre[1], points[:, 0] - centre[0])
    return points[np.argsort(angles)]


def _region_2d(ax: Any, corners: np.ndarray, label: str, color: str, alpha: float) -> None:
    if len(corners) == 0:
        # Nothing to draw; keep the verdict in the legend.
        ax.plot([], [], color="none", label=label)
        return
    if len(corners) >= 3:
        poly = _ordered_polygon(corners)
        patch = _plt().Polygon(poly, closed=True, facecolor=color, edgecolor=color, alpha=alpha, label=label)
        ax.add_patch(patch)
    elif len(corners) == 2:
        ax.plot(corners[:, 0], corners[:, 1], color=color, linewidth=4, alpha=0.8, label=label)
    else:
        ax.scatter(corners[:, 0], corners[:, 1], s=160, facecolors="none", edgecolors=color, linewidths=2, label=label)


def _marker_points(
    game: Game, shapley: bool, nucleolus: bool, status_quo: Optional[AllocationLike],
    points: Optional[Mapping[str, AllocationLike]], words: Mapping[str, str],
) -> List[Tuple[str, np.ndarray, str, str]]:
    marks: List[Tuple[str, np.ndarray, str, str]] = []
    if shapley:
        marks.append((_name(words, "Shapley value"), np.asarray(game.shapley()), _COLORS["shapley"], "o"))
    if nucleolus:
        try:
            marks.append((_name(words, "nucleolus"), np.asarray(game.nucleolus()), _COLORS["nucleolus"], "s"))
        except UndefinedSolution:
            pass
    if status_quo is not None:
        marks.append((words["status quo"], _vector(game, status_quo), _COLORS["status quo"], "D"))
    for k, (label, x) in enumerate((points or {}).items()):
        marks.append((label, _vector(game, x), f"C{(k + 4) % 10}", "^"))
    return marks


def simplex(
    game: Game,
    *,
    shapley: bool = True,
    nucleolus: bool = True,
    least_core: bool = True,
    status_quo: Optional[AllocationLike] = None,
    points: Optional[Mapping[str, AllocationLike]] = None,
    title: Optional[str] = None,
    ax: Any = None,
    lang: str = "en",
) -> Any:
    """The imputation triangle of a 3-player game: corner *i* gives player *i* the whole
    surplus v(N) - sum v({j}) on top of its standalone value. Shades the core, outlines the
    least core (with its epsilon), and marks the Shapley value, the nucleolus, an optional
    status quo and any extra ``points`` ({label: allocation}). ``lang``: ``"en"`` or ``"zh"``.
    Returns the Axes."""
    words = _words(lang)
    if game.n != 3:
        raise tag(
            UndefinedSolution(f"the simplex plot is for 3 players (the game has {game.n}); use tetrahedron() for 4"),
            "undefined", concept="the simplex plot", reason=f"it is for 3 players (the game has {game.n})")
    ax = _axes(ax)
    corners = _TRIANGLE
    ax.plot(*np.vstack([corners, corners[:1]]).T, color="0.3", linewidth=1, label=words["imputations"])
    to_xy = lambda pts: _barycentric(game, pts) @ corners  # noqa: E731
    core = game.core_vertices()
    _region_2d(ax, to_xy(core) if len(core) else core, words["core"] if len(core) else words["core empty"],
               _COLORS["core"], 0.35)
    if least_core:
        eps, lc = _least_core_vertices(game)
        _region_2d(ax, to_xy(lc), words["least core eps"].format(eps=_num(game, eps)), _COLORS["least core"], 0.25)
    for label, x, color, marker in _marker_points(game, shapley, nucleolus, status_quo, points, words):
        xy = to_xy(x)[0]
        ax.scatter([xy[0]], [xy[1]], color=color, marker=marker, s=60, zorder=5, label=label)
    offsets = [(-0.04, -0.05), (0.04, -0.05), (0.0, 0.04)]
    aligns = ["right", "left", "center"]
    for (cx, cy), (dx, dy), name, al in zip(corners, offsets, game.players, aligns):
        ax.annotate(words["all to"].format(name=name), (cx + dx, cy + dy), ha=al, va="center", fontsize=9)
    ax.set_aspect("equal")
    ax.set_xlim(-0.25, 1.25)
    ax.set_ylim(-0.15, 1.0)
    ax.axis("off")
    ax.legend(loc="upper left", fontsize=8, frameon=False)
    ax.set_title(title or (game.metadata.get("name") or words["simplex title"]))
    _fonts.apply(ax, game.players)
    return ax


def _num(game: Game, x: float, sign: bool = False) -> str:
    """``x`` as every other view of ``game`` shows it (Rust's rule at the game's tolerance);
    ``sign``: a leading ``+`` on positive numbers."""
    text = str(_native.shown_numbers([float(x)], None, game.tolerance)[0])
    return "+" + text if sign and not text.startswith("-") and text != "0" else text


def _hull_faces(points: np.ndarray) -> List[np.ndarray]:
    """Triangular faces of the convex hull of a few 3-D points (brute force, for <= 40 points)."""
    k = len(points)
    scale = max(1.0, float(np.abs(points).max()))
    faces = []
    for a in range(k):
        for b in range(a + 1, k):
            for c in range(b + 1, k):
                normal = np.cross(points[b] - points[a], points[c] - points[a])
                if np.linalg.norm(normal) < 1e-12 * scale:
                    continue
                side = (points - points[a]) @ normal
                if np.all(side <= 1e-9 * scale) or np.all(side >= -1e-9 * scale):
                    faces.append(points[[a, b, c]])
    return faces


def tetrahedron(
    game: Game,
    *,
    shapley: bool = True,
    nucleolus: bool = True,
    status_quo: Optional[AllocationLike] = None,
    points: Optional[Mapping[str, AllocationLike]] = None,
    title: Optional[str] = None,
    ax: Any = None,
    lang: str = "en",
) -> Any:
    """The imputation tetrahedron of a 4-player game in 3-D, with the core as a shaded polytope
    (its vertices from :meth:`Game.core_vertices`) and the solution points. ``lang``: ``"en"``
    or ``"zh"``. Returns the Axes."""
    words = _words(lang)
    if game.n != 4:
        raise tag(UndefinedSolution(f"the tetrahedron plot is for 4 players (the game has {game.n})"), "undefined",
                  concept="the tetrahedron plot", reason=f"it is for 4 players (the game has {game.n})")
    ax = _axes(ax, projection="3d")
    corners = _TETRA
    for i in range(4):
        for j in range(i + 1, 4):
            ax.plot(*corners[[i, j]].T, color="0.4", linewidth=0.8)
    to_xyz = lambda pts: _barycentric(game, pts) @ corners  # noqa: E731
    core = game.core_vertices()
    if len(core):
        xyz = to_xyz(core)
        faces = _hull_faces(xyz) if len(xyz) >= 4 else []
        if faces:
            art3d = importlib.import_module("mpl_toolkits.mplot3d.art3d")
            ax.add_collection3d(
                art3d.Poly3DCollection(faces, facecolor=_COLORS["core"], edgecolor="none", alpha=0.12)
            )
        ax.scatter(*xyz.T, color=_COLORS["core"], s=12, label=words["core vertices"])
    for label, x, color, marker in _marker_points(game, shapley, nucleolus, status_quo, points, words):
        ax.scatter(*to_xyz(x)[0], color=color, marker=marker, s=70, label=label, depthshade=False, zorder=10)
    for (cx, cy, cz), name in zip(corners, game.players):
        ax.text(cx, cy, cz, " " + words["all to"].format(name=name), fontsize=8)
    ax.set_axis_off()
    ax.legend(loc="upper left", fontsize=8, frameon=False)
    ax.set_title(title or (game.metadata.get("name") or words["simplex title"]))
    _fonts.apply(ax, game.players)
    return ax


def allocations(
    game: Game,
    allocations: Union[Mapping[str, AllocationLike], Sequence[Allocation]],
    *,
    title: Optional[str] = None,
    ax: Any = None,
    lang: str = "en",
) -> Any:
    """Grouped bars: one group per player, one bar per allocation. ``allocations`` is a
    {label: allocation} mapping or a list of labelled Allocations (with ``lang="zh"`` the
    library's own labels, such as "Shapley value", are translated). Returns the Axes."""
    words = _words(lang)
    if isinstance(allocations, Mapping):
        items = [(str(k), _vector(game, v)) for k, v in allocations.items()]
    else:
        items = [(_name(words, a.label) if a.label else words["allocation k"].format(k=k + 1), _vector(game, a))
                 for k, a in enumerate(allocations)]
    if not items:
        raise ValueError("no allocations to plot")
    ax = _axes(ax)
    n, m = game.n, len(items)
    width = 0.8 / m
    x = np.arange(n)
    for k, (label, values) in enumerate(items):
        ax.bar(x + (k - (m - 1) / 2) * width, values, width, label=label)
    ax.set_xticks(x)
    ax.set_xticklabels(game.players, rotation=30 if n > 5 else 0, ha="right" if n > 5 else "center")
    ax.axhline(0, color="0.3", linewidth=0.8)
    ax.set_ylabel(words["cost share"] if game.kind == "cost" else words["payoff"])
    ax.legend(fontsize=8, frameon=False)
    ax.set_title(title or words["allocations title"])
    _fonts.apply(ax, game.players)
    return ax


def settlement(s: Settlement, *, title: Optional[str] = None, ax: Any = None, lang: str = "en") -> Any:
    """The payments of a settlement as arrows from payer to payee between players placed on a
    circle (the outside party, if any, in the middle); arrow width grows with the amount, and
    each arrow is labelled. ``lang``: ``"en"`` or ``"zh"``. Returns the Axes."""
    words = _words(lang)
    plt = _plt()
    patches = importlib.import_module("matplotlib.patches")
    ax = _axes(ax)
    names = list(s.game.players)
    n = len(names)
    pos: Dict[str, np.ndarray] = {
        p: np.array([math.cos(math.pi / 2 - 2 * math.pi * k / n), math.sin(math.pi / 2 - 2 * math.pi * k / n)])
        for k, p in enumerate(names)
    }
    pos[OUTSIDE] = np.zeros(2)
    net = dict(zip(names, np.asarray(s.net_transfers)))
    for p in names:
        xy = pos[p]
        ax.scatter(*xy, s=300, color="#dddddd", edgecolors="0.3", zorder=3)
        ax.annotate(f"{p}\n{_num(s.game, net[p], sign=True)}", xy * 1.18, ha="center", va="center", fontsize=8)
    if not s.balanced:
        ax.scatter(0, 0, s=300, color="#ffe9b3", edgecolors="0.3", zorder=3)
        ax.annotate(words["outside"], (0, -0.12), ha="center", va="center", fontsize=8)
    biggest = max((p.amount for p in s.transfers), default=1.0)
    for pay in s.transfers:
        a, b = pos[pay.payer], pos[pay.payee]
        arrow = patches.FancyArrowPatch(
            a, b, arrowstyle="-|>", mutation_scale=14, shrinkA=12, shrinkB=12,
            linewidth=0.8 + 4 * pay.amount / biggest, color="#c0392b", alpha=0.8, zorder=2,
        )
        ax.add_patch(arrow)
        mid = (a + b) / 2
        ax.annotate(_num(s.game, pay.amount), mid, fontsize=7, ha="center", va="center",
                    bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.8))
    ax.set_xlim(-1.5, 1.5)
    ax.set_ylim(-1.45, 1.45)
    ax.set_aspect("equal")
    ax.axis("off")
    label = _name(words, s.target.label) if s.target.label else words["target"]
    ax.set_title(title or words["settlement title"].format(label=label))
    plt.setp(ax.title, fontsize=10)
    _fonts.apply(ax, names)
    return ax


def excess_profile(game: Game, x: AllocationLike, *, top: int = 15, title: Optional[str] = None, ax: Any = None,
                   lang: str = "en") -> Any:
    """Horizontal bars of the ``top`` proper coalitions with the largest excess at ``x``
    (v(S) - x(S), cost games x(S) - c(S)): positive bars are groups that would gain by leaving.
    ``lang``: ``"en"`` or ``"zh"``. Returns the Axes."""
    words = _words(lang)
    target = Allocation(_vector(game, x), game.players, label="x", kind=game.kind)
    report = _settle(game, target, top=top)
    rows = report.blocking[::-1]
    ax = _axes(ax)
    labels = [coalition_label(game.players, b.members) for b in rows]
    values = [b.excess for b in rows]
    colors = ["#c0392b" if v > 0 else "#4c9be8" for v in values]
    ax.barh(range(len(rows)), values, color=colors)
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels(labels, fontsize=7)
    ax.axvline(0, color="0.3", linewidth=0.8)
    ax.set_xlabel(words["excess cost"] if game.kind == "cost" else words["excess value"])
    ax.set_title(title or words["excess title"].format(k=len(rows)))
    _fonts.apply(ax, labels)
    return ax


def schedule(s: "Schedule", *, title: Optional[str] = None, ax: Any = None, lang: str = "en") -> Any:
    """The payments of a multi-year agreement (:func:`coalitional.payment_schedule`) as grouped
    bars: one group per year, one bar per player; negative payments (value games: the player
    pays in that year) go below the zero line. ``lang``: ``"en"`` or ``"zh"``. Returns the
    Axes."""
    words = _words(lang)
    payments = np.asarray(s.payments)
    years, n = payments.shape
    ax = _axes(ax)
    width = 0.8 / n
    x = np.arange(years)
    for i, player in enumerate(s.players):
        ax.bar(x + (i - (n - 1) / 2) * width, payments[:, i], width, label=player)
    ax.set_xticks(x)
    ax.set_xticklabels([str(t) for t in s.years])
    ax.set_xlabel(words["year"])
    ax.axhline(0, color="0.3", linewidth=0.8)
    ax.set_ylabel(words["cost share"] if s.kind == "cost" else words["payoff"])
    ax.legend(fontsize=8, frameon=False)
    rate = str(_native.shown_numbers([s.discount])[0])
    ax.set_title(title or words["schedule title"].format(label=_name(words, s.label), rate=rate))
    _fonts.apply(ax, s.players)
    return ax
