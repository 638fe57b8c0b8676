"""co.payment_schedule against oracles written here: the Shapley value by permutations (each
year pays its own game's value), the rule applied to the discounted games built here (the
whole horizon and every remaining game: time consistency), the profile form against the
explicit list, the errors (class, code, fields), pandas shapes, the plot, and the per-year
settlements."""

import doctest

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

import coalitional as co  # noqa: E402
import coalitional._schedule  # noqa: E402
from conftest import raises_error, shapley_by_permutations  # noqa: E402

PLAYERS = ["A", "B", "C"]


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def random_games(seed, n, years, scale=10.0, kind="value"):
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(years):
        v = rng.uniform(-scale, scale, 1 << n)
        v[0] = 0.0
        out.append(co.Game(v, [f"p{i}" for i in range(n)], kind=kind))
    return out


def discounted(games, start, delta):
    """The remaining game of year ``start`` (from 1): sum_{s >= start} delta^(s-start) g_s."""
    later = games[start - 1:]
    values = sum(delta**k * np.asarray(g.values) for k, g in enumerate(later))
    return co.Game(values, later[0].players, kind=later[0].kind)


def glove_years():
    """Year 1: only {A, B} creates 1; year 2: C is the partner both need."""
    y1 = co.Game([0, 0, 0, 1, 0, 0, 0, 1], PLAYERS)
    y2 = co.Game([0, 0, 0, 0, 0, 1, 1, 1], PLAYERS)
    return y1, y2


@pytest.mark.parametrize("n,years,rate", [(3, 4, 0.0), (4, 3, 0.08)])
def test_shapley_pays_each_years_shapley_value(n, years, rate):
    games = random_games(n * 10 + years, n, years)
    s = co.payment_schedule(games, "shapley", rate)
    assert s.payments.shape == (years, n)
    assert s.years == list(range(1, years + 1))
    for t, g in enumerate(games):
        np.testing.assert_allclose(s.payments[t], shapley_by_permutations(g.values, n), atol=1e-12)
    delta = 1 / (1 + rate)
    whole = shapley_by_permutations(discounted(games, 1, delta).values, n)
    np.testing.assert_allclose(np.asarray(s.total), whole, atol=1e-12)
    weights = delta ** np.arange(years)
    np.testing.assert_allclose(weights @ s.payments, whole, atol=1e-12)


@pytest.mark.parametrize("rule", ["nucleolus", "least_core", "proportional", "banzhaf"])
def test_time_consistency_against_the_rule_applied_afresh(rule):
    rng = np.random.default_rng(3)
    games = []
    for _ in range(3):
        # Standalone values 5..7 plus positive synergies: every rule is defined.
        synergy = rng.uniform(0, 2, 8)
        games.append(co.Game.from_function(
            PLAYERS, lambda s, w=synergy: sum(5 + PLAYERS.index(p) for p in s)
            + (len(s) - 1) * w[sum(1 << PLAYERS.index(p) for p in s)]))
    rate = 0.04
    delta = 1 / (1 + rate)
    s = co.payment_schedule(games, rule, rate)
    for t in s.years:
        fresh = np.asarray(co.settle(discounted(games, t, delta), rule).target)
        due = (delta ** np.arange(len(games) - t + 1)) @ s.payments[t - 1:]
        np.testing.assert_allclose(due, fresh, atol=1e-8)
        np.testing.assert_allclose(np.asarray(s.remaining[t - 1]), fresh, atol=1e-8)
        c = s.checks[t - 1]
        assert c.year == t and c.consistent and c.gap <= c.tolerance
    assert s.time_consistent
    np.testing.assert_allclose(s.payments.sum(axis=1), [g.values[-1] for g in games], atol=1e-8)


def test_negative_payment_and_a_split_outside_the_core():
    y1, y2 = glove_years()
    s = co.payment_schedule([y1, y2], "nucleolus")
    np.testing.assert_allclose(s.payments, [[2 / 3, 2 / 3, -1 / 3], [0, 0, 1]], atol=1e-9)
    assert s.checks[0].negative == ("C",) and s.checks[1].negative == ()
    assert "pay in: year 1: C" in repr(s)
    # Shapley on year 2 (the glove game) is outside its core {(0, 0, 1)}: {A or B, C} gains 1/6.
    sh = co.payment_schedule([y1, y2], "shapley")
    c2 = sh.checks[1]
    assert not c2.in_core
    assert "C" in c2.complaint.members and len(c2.complaint.members) == 2
    assert c2.complaint.excess == pytest.approx(1 / 6, abs=1e-12)
    assert isinstance(c2.complaint, co.Blocking) and isinstance(c2, co.YearCheck)


def test_profile_equals_the_explicit_list():
    total = co.Game.from_coalitions(PLAYERS, {
        ("A",): 1, ("B",): 2, ("C",): 3, ("A", "B"): 6, ("A", "C"): 7, ("B", "C"): 8, ("A", "B", "C"): 15})
    profile = [1.0, 3.0, 0.0, 4.0]
    s = co.payment_schedule(total, "nucleolus", 0.02, profile=profile)
    explicit = [co.Game(w / 8 * np.asarray(total.values), PLAYERS) for w in profile]
    e = co.payment_schedule(explicit, "nucleolus", 0.02)
    np.testing.assert_allclose(s.payments, e.payments, atol=1e-12)
    np.testing.assert_allclose(np.asarray(s.total), np.asarray(e.total), atol=1e-12)
    # No discount, a homogeneous rule: each year pays its weight's share of the nucleolus.
    flat = co.payment_schedule(total, "nucleolus", profile=profile)
    np.testing.assert_allclose(flat.payments, np.outer(np.array(profile) / 8, np.asarray(total.nucleolus())), atol=1e-9)


def test_budgets_of_1e8_and_covariance():
    small = random_games(11, 3, 3, scale=3.0)
    c = 4.0
    shifts = np.array([[1e8, 2e8, 3e8], [2e8, 1e8, 1.5e8], [3e8, 3e8, 1e8]])
    masks = np.arange(8)
    member = np.array([[(m >> i) & 1 for i in range(3)] for m in masks], dtype=float)
    big = [co.Game(c * np.asarray(g.values) + member @ a, g.players) for g, a in zip(small, shifts)]
    for rule in ["shapley", "prenucleolus"]:
        for rate in [0.0, 0.05]:
            s = co.payment_schedule(small, rule, rate)
            b = co.payment_schedule(big, rule, rate)
            np.testing.assert_allclose(b.payments, c * s.payments + shifts, rtol=0, atol=1e-6)
            assert b.time_consistent
            assert [k.in_core for k in b.checks] == [k.in_core for k in s.checks]
            assert max(k.tolerance for k in b.checks) < 1e-5


def test_errors_carry_code_and_fields():
    y1, y2 = glove_years()
    bad = "invalid_parameter"
    with raises_error(co.InvalidGame, bad, name="games"):
        co.payment_schedule([], "shapley")
    other = co.Game(np.asarray(y2.values), ["A", "C", "B"])
    with raises_error(co.InvalidGame, bad, name="games") as e:
        co.payment_schedule([y1, y2, other], "shapley")
    assert "year 3" in e.value.reason
    with raises_error(co.InvalidGame, bad, name="games") as e:
        co.payment_schedule([y1, co.Game(np.asarray(y2.values), PLAYERS, kind="cost")])
    assert "year 2" in e.value.reason
    with raises_error(co.InvalidGame, bad, name="games", index=1):
        co.payment_schedule([y1, "year 2"])
    with raises_error(co.InvalidGame, bad, name="games"):
        co.payment_schedule("y1")
    for rate in [-0.01, float("nan"), float("inf"), "5%"]:
        with raises_error(co.InvalidGame, bad, name="discount"):
            co.payment_schedule([y1], "shapley", rate)
    for rule in ["median", 3]:
        with raises_error(co.InvalidGame, bad, name="rule"):
            co.payment_schedule([y1], rule)
    for profile in [[], [1, -1], [1, float("nan")], [0, 0], "12"]:
        with raises_error(co.InvalidGame, bad, name="profile"):
            co.payment_schedule(y1, profile=profile)
    with raises_error(co.InvalidGame, bad, name="profile"):
        co.payment_schedule(y1)
    with raises_error(co.InvalidGame, bad, name="games"):
        co.payment_schedule([y1, y2], profile=[1, 2])
    # A rule undefined for a remaining game: the rule's error, naming the year.
    inessential = co.Game([0, 1, 1, 1], ["A", "B"])
    with raises_error(co.UndefinedSolution, "undefined", concept="the nucleolus") as e:
        co.payment_schedule([co.Game([0, 0, 0, 5], ["A", "B"]), inessential], "nucleolus")
    assert "year 2" in e.value.reason
    s = co.payment_schedule([y1, y2])
    for year in [0, 3, 1.5, True]:
        with raises_error(co.InvalidGame, bad, name="year"):
            s.settlement(year)
    with raises_error(co.InvalidGame, bad, name="status_quo", got=3, years=2):
        s.settlements([{"A": 0, "B": 0, "C": 1}] * 3)


def test_payments_are_read_only_and_tables_have_their_shape():
    y1, y2 = glove_years()
    s = co.payment_schedule([y1, y2, y1], "shapley", 0.1)
    with pytest.raises(ValueError):
        s.payments[0, 0] = 1.0
    df = s.to_pandas()
    assert df.shape == (3, 3) and list(df.columns) == PLAYERS and df.index.name == "year"
    assert list(df.index) == [1, 2, 3]
    np.testing.assert_array_equal(df.to_numpy(), s.payments)
    assert s.to_pandas("remaining").shape == (3, 3)
    checks = s.to_pandas("checks")
    assert len(checks) == 3 and {"gap", "consistent", "in core", "complaint", "negative"} <= set(checks.columns)
    assert list(checks["in core"]) == [c.in_core for c in s.checks]
    with pytest.raises(ValueError):
        s.to_pandas("years")
    assert s.rule == "shapley" and s.label == "Shapley value" and s.discount == 0.1
    assert s.players == tuple(PLAYERS) and s.kind == "value"
    assert [a.players for a in s.remaining] == [tuple(PLAYERS)] * 3
    text = repr(s)
    assert text.startswith("Schedule: Shapley value over 3 years, discount rate 0.1")
    assert "present value" in text and "e-1" not in text
    assert "<table>" in s._repr_html_()


def test_plot_draws_a_bar_per_year_and_player(tmp_path):
    y1, y2 = glove_years()
    s = co.payment_schedule([y1, y2], "nucleolus")
    ax = s.plot()
    bars = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert len(bars) == 6
    assert min(b.get_height() for b in bars) == pytest.approx(-1 / 3)  # C pays in, below zero
    assert [t.get_text() for t in ax.get_xticklabels()] == ["1", "2"]
    ax.figure.savefig(tmp_path / "schedule.png", dpi=50)
    assert (tmp_path / "schedule.png").stat().st_size > 1000
    zh = s.plot(lang="zh")
    assert "核仁" in zh.get_title()


def test_settlements_per_year_balance():
    games = random_games(5, 3, 3)
    s = co.payment_schedule(games, "shapley", 0.05)
    # A status quo per year with that year's total: each year's settlement balances.
    per_year = [{p: g.values[-1] / 3 for p in g.players} for g in games]
    settled = s.settlements(per_year)
    assert len(settled) == 3
    for t, (st, g) in enumerate(zip(settled, games), 1):
        assert isinstance(st, co.Settlement) and st.balanced
        np.testing.assert_allclose(np.asarray(st.target), s.payments[t - 1])
        np.testing.assert_allclose(np.asarray(st.net_transfers).sum(), 0, atol=1e-12)
        assert st.game is g
    one = s.settlement(2, per_year)
    np.testing.assert_allclose(np.asarray(one.net_transfers), np.asarray(settled[1].net_transfers))
    # One status quo for every year; and the default (standalone values).
    same = s.settlements([1.0, 2.0, 3.0])
    assert [list(x.status_quo) for x in same] == [[1.0, 2.0, 3.0]] * 3
    default = s.settlement(1)
    np.testing.assert_allclose(np.asarray(default.status_quo), [games[0].values[1 << i] for i in range(3)])
    grid = np.vstack([np.asarray(x.target) for x in settled])
    assert [list(x.status_quo) for x in s.settlements(grid)] == grid.tolist()


def test_docstring_examples():
    result = doctest.testmod(coalitional._schedule, raise_on_error=False)
    assert result.failed == 0 and result.attempted > 0


def test_permutation_oracle_is_the_average_of_marginal_vectors():
    # The oracle itself on the glove game of year 2: (1/6, 1/6, 2/3).
    _, y2 = glove_years()
    np.testing.assert_allclose(shapley_by_permutations(y2.values, 3), [1 / 6, 1 / 6, 2 / 3])
