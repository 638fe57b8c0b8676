"""Hostile input never panics; results hold across scales; regression cases pass."""

import json
import pathlib

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import coalitional as co
from coalitional import cli
from conftest import published_vector

DATA = pathlib.Path(__file__).resolve().parents[1] / "data" / "cases.json"

floats = st.floats(allow_nan=True, allow_infinity=True, width=64)
names = st.lists(st.text(max_size=3), max_size=5)


def no_panic(call):
    """Runs ``call``; a library error (a GameError) is fine; a Rust panic, a raw TypeError,
    ValueError or OverflowError reaching the caller is not."""
    try:
        call()
    except BaseException as exc:  # noqa: BLE001 - PanicException derives from BaseException
        assert type(exc).__name__ != "PanicException", repr(exc)
        assert isinstance(exc, co.GameError), repr(exc)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values=st.lists(floats, max_size=40), players=st.one_of(st.none(), names), kind=st.sampled_from(["value", "cost", "x"]))
def test_fuzzed_games_never_panic(values, players, kind):
    def build_and_solve():
        g = co.Game(values, players, kind=kind)
        for method in ("shapley", "banzhaf", "nucleolus", "prenucleolus", "least_core", "tau_value",
                       "cost_of_stability", "core_vertices", "is_superadditive"):
            try:
                getattr(g, method)()
            except co.GameError:
                pass
        g.in_core(values[: g.n] + [0.0] * max(0, g.n - len(values)))
        co.settle(g, np.zeros(g.n), np.ones(g.n))

    no_panic(build_and_solve)


@settings(max_examples=300, deadline=None)
@given(quota=floats, weights=st.lists(floats, max_size=8), estate=floats, claims=st.lists(floats, max_size=6),
       costs=st.lists(floats, max_size=6))
def test_fuzzed_classes_never_panic(quota, weights, estate, claims, costs):
    no_panic(lambda: co.weighted_voting(quota, weights).shapley())
    no_panic(lambda: co.bankruptcy(estate, claims).talmud())
    no_panic(lambda: co.airport(costs).shapley())
    no_panic(lambda: co.assignment(np.array(weights[:4]).reshape(2, -1) if len(weights) >= 4 else weights, ["a", "b"], ["c", "d"]).core_allocation())


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=200), doc=st.dictionaries(st.sampled_from(["format", "version", "values", "players", "kind", "class", "quota", "weights", "estate", "claims", "x"]),
                                                     st.one_of(st.integers(-3, 3), st.text(max_size=5), st.lists(st.integers(-2, 5), max_size=9), floats), max_size=6))
def test_fuzzed_json_never_panics(text, doc):
    no_panic(lambda: co.Game.from_json(text))
    no_panic(lambda: co.Game.from_json(json.dumps(doc)))


@settings(max_examples=200, deadline=None)
@given(unions=st.lists(st.lists(st.sampled_from(["A", "B", "C", "D"]), max_size=4), max_size=4),
       order=st.lists(st.sampled_from(["A", "B", "C", "D"]), max_size=5), target=st.lists(floats, max_size=4))
def test_fuzzed_structures_and_targets_never_panic(unions, order, target):
    g = co.Game.from_function(["A", "B", "C"], lambda s: float(len(s)) ** 2)
    no_panic(lambda: g.owen(unions))
    no_panic(lambda: g.marginal_vector(order))
    no_panic(lambda: co.settle(g, target))
    no_panic(lambda: g.in_core(target))


@pytest.mark.parametrize("scale", [1e-6, 1.0, 1e9])
def test_results_scale_with_the_values(scale):
    # Values spanning 1e-6 .. 1e9: the solutions scale with them (tolerances are relative).
    rng = np.random.default_rng(0)
    base = rng.random(1 << 6) * np.array([bin(m).count("1") for m in range(1 << 6)]) ** 1.3
    base[0] = 0.0
    g1, gs = co.Game(base), co.Game(base * scale)
    for method in ("nucleolus", "prenucleolus", "shapley"):
        np.testing.assert_allclose(np.asarray(getattr(gs, method)()), scale * np.asarray(getattr(g1, method)()),
                                   rtol=1e-7, atol=1e-9 * scale)
    assert gs.least_core().epsilon == pytest.approx(scale * g1.least_core().epsilon, rel=1e-7, abs=1e-9 * scale)
    assert gs.core_is_empty() == g1.core_is_empty()


def test_near_ties_still_verified():
    # The majority game plus noise far below the tolerance, and well above it: the nucleolus is
    # found and verified (Kohlberg) in both cases.
    rng = np.random.default_rng(1)
    base = np.array([0, 0, 0, 1, 0, 1, 1, 1], dtype=float)
    for noise in (1e-13, 1e-6):
        v = base + noise * rng.random(8)
        v[0] = 0.0
        nu = co.Game(v).nucleolus()
        assert np.asarray(nu) == pytest.approx(published_vector("three-player majority game", "nucleolus"),
                                               abs=10 * noise + 1e-12)


def test_regression_cases_pass(capsys):
    # The published cases, each with its source; cargo test checks the same file (tests/textbook.rs).
    count = len(json.loads(DATA.read_text(encoding="utf-8"))["cases"])
    assert cli.main(["check", str(DATA)]) == 0
    out = capsys.readouterr().out
    assert f"{count} of {count} cases passed" in out


def test_check_reports_failures(tmp_path, capsys):
    doc = json.loads(DATA.read_text())
    doc["cases"][0]["expected"]["shapley"] = [1, 0, 0]
    path = tmp_path / "cases.json"
    path.write_text(json.dumps(doc))
    assert cli.main(["check", str(path)]) == 1
    out = capsys.readouterr().out
    assert "FAIL  glove game" in out and "shapley[L]" in out
    assert cli.main(["check", str(path), "--json"]) == 1
    results = json.loads(capsys.readouterr().out)
    assert results[0]["passed"] is False and results[1]["passed"] is True
    path.write_text('{"cases": 3}')
    assert cli.main(["check", str(path)]) == 2
