"""Every plot function: it draws the right elements and renders to an image file."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.collections import PathCollection  # noqa: E402
from matplotlib.patches import FancyArrowPatch, Polygon  # noqa: E402

import coalitional as co  # noqa: E402
import coalitional.plot as cp  # noqa: E402
from conftest import CITIES, MAPPING, raises_error  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def _render(ax, tmp_path, name):
    path = tmp_path / f"{name}.png"
    ax.figure.savefig(path, dpi=50)
    assert path.stat().st_size > 1000


def test_simplex_with_core_least_core_and_points(tmp_path):
    g = co.Game.from_coalitions(CITIES, MAPPING)
    ax = cp.simplex(g, status_quo={"Songjiang": 70, "Suzhou": 50, "Hangzhou": 30}, points={"equal split": [50, 50, 50]})
    polygons = [p for p in ax.patches if isinstance(p, Polygon)]
    assert len(polygons) == 1  # the core triangle; the least core (epsilon -20) is one point
    core_xy = polygons[0].get_xy()
    assert len(np.unique(np.round(core_xy, 9), axis=0)) == 3
    markers = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert len(markers) == 5  # least-core point, Shapley, nucleolus, status quo, equal split
    labels = ax.get_legend_handles_labels()[1]
    assert "least core (ε = -20)" in labels and "status quo" in labels
    _render(ax, tmp_path, "simplex")


def test_simplex_of_an_empty_core_and_bad_sizes(tmp_path):
    majority = co.Game([0, 0, 0, 1, 0, 1, 1, 1], ["A", "B", "C"])
    ax = cp.simplex(majority)
    assert "core: empty" in ax.get_legend_handles_labels()[1]
    assert not [p for p in ax.patches if isinstance(p, Polygon)]
    _render(ax, tmp_path, "majority")
    with raises_error(co.UndefinedSolution, "undefined", concept="the simplex plot"):  # 2 players, not 3
        cp.simplex(co.Game([0, 1, 1, 3]))
    with raises_error(co.UndefinedSolution, "undefined", concept="the imputation simplex"):  # a single point
        cp.simplex(co.Game.from_function(["a", "b", "c"], lambda s: float(len(s))))


def test_tetrahedron(tmp_path):
    w = {"a": 1, "b": 2, "c": 3, "d": 4}
    g = co.Game.from_function(list(w), lambda s: float(sum(w[p] for p in s)) ** 2)
    ax = cp.tetrahedron(g)
    assert len(ax.lines) == 6  # the tetrahedron's edges
    assert len(ax.collections) >= 4  # core faces, core vertices, Shapley, nucleolus
    _render(ax, tmp_path, "tetra")
    with raises_error(co.UndefinedSolution, "undefined", concept="the tetrahedron plot"):  # 3 players, not 4
        cp.tetrahedron(co.Game.from_coalitions(CITIES, MAPPING))


def test_allocation_bars(tmp_path):
    g = co.Game.from_coalitions(CITIES, MAPPING)
    ax = cp.allocations(g, [g.shapley(), g.nucleolus(), g.owen([["Songjiang"], ["Suzhou", "Hangzhou"]])])
    assert len(ax.containers) == 3 and all(len(c) == 3 for c in ax.containers)
    heights = [bar.get_height() for bar in ax.containers[0]]
    assert heights == pytest.approx([55, 50, 45])
    assert ax.get_legend_handles_labels()[1] == ["Shapley value", "nucleolus", "Owen value"]
    ax2 = cp.allocations(g, {"today": [70, 50, 30], "fair": g.shapley()})
    assert len(ax2.containers) == 2
    _render(ax, tmp_path, "bars")


def test_settlement_flows(tmp_path):
    s = co.settle(co.example(), "nucleolus", co.example_status_quo())
    ax = cp.settlement(s)
    arrows = [p for p in ax.patches if isinstance(p, FancyArrowPatch)]
    assert len(arrows) == len(s.transfers) == 8
    _render(ax, tmp_path, "flows")
    # From standalone values everything comes from the outside party, drawn in the middle.
    g = co.Game.from_coalitions(CITIES, MAPPING)
    outside = cp.settlement(co.settle(g, "shapley"))
    assert len([p for p in outside.patches if isinstance(p, FancyArrowPatch)]) == 3
    assert any(t.get_text() == co.OUTSIDE for t in outside.texts)


def test_excess_profile(tmp_path):
    g = co.Game([0, 0, 0, 1, 0, 1, 1, 1], ["A", "B", "C"])
    ax = cp.excess_profile(g, g.shapley(), top=4)
    widths = sorted(bar.get_width() for bar in ax.patches)
    assert widths == pytest.approx([-1 / 3, 1 / 3, 1 / 3, 1 / 3])  # the pairs gain 1/3 by leaving
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert "A + B" in labels
    _render(ax, tmp_path, "excess")
