"""The sampling driver from Python: one Rust driver behind Game, LazyGame and the structured
classes, reproducing the golden file of the Rust tests bit for bit, with typed results and
errors.

tests/data/sampling_golden.json was written once by the Rust driver (see its "source"); every
Python path must give the same estimates bit for bit (a dense Game, read by Rust in place; a
LazyGame calling a plain function, in batches of 1, of the file's size and of a million rounds,
and through a thread pool; the weighted voting class evaluating batches with numpy), and each
estimate must cover the exact value computed here by brute force.
"""

import json
import math
import pathlib
import pickle
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

import coalitional as co
from coalitional import _coalitional as native

GOLDEN = json.loads((pathlib.Path(__file__).resolve().parents[1] / "data" / "sampling_golden.json").read_text())
CASES = GOLDEN["cases"]


def case_id(case):
    return case["name"]


# -- independent oracles ------------------------------------------------------------------------

def table(case):
    """The 2**n values by mask of a golden case's game."""
    n = len(case["players"])
    game = case["game"]
    if "values" in game:
        return np.array(game["values"], dtype=float)
    w, quota = game["weighted_voting"]["weights"], game["weighted_voting"]["quota"]
    return np.array([float(sum(w[i] for i in range(n) if m >> i & 1) >= quota) for m in range(1 << n)])


def exact(values, n, method):
    """Shapley: sum over S not containing i of (v(S + i) - v(S)) / (n C(n-1, |S|)); raw Banzhaf:
    the plain mean of v(S + i) - v(S) over those 2^(n-1) coalitions."""
    out = np.zeros(n)
    for i in range(n):
        for s in range(1 << n):
            if not s >> i & 1:
                gain = values[s | 1 << i] - values[s]
                out[i] += gain / 2 ** (n - 1) if method == "banzhaf" else gain / (n * math.comb(n - 1, bin(s).count("1")))
    return out


# -- running a golden case --------------------------------------------------------------------

def parameters(case, **override):
    o = case["options"]
    bound = o["bound"]
    kw = {
        "epsilon": o["epsilon"], "delta": o["delta"], "max_rounds": o["max_rounds"], "batch": o["batch"],
        "seed": o["seed"], "value_range": None if bound == "empirical_bernstein" else bound["hoeffding"]["range"],
    }
    kw.update(override)
    return kw


def run(game, case, **override):
    kw = parameters(case, **override)
    if case["method"] == "banzhaf":
        return game.banzhaf_sample(**kw)
    return game.shapley_sample(method=case["method"], **kw)


def model_of(case):
    """The game's worth as a plain function of a frozenset of names (a model for LazyGame)."""
    players, values = case["players"], table(case)
    index = {p: i for i, p in enumerate(players)}
    return lambda coalition: float(values[sum(1 << index[p] for p in coalition)])


def bits(x):
    return np.asarray(x, dtype=np.float64).view(np.uint64).tolist()


def assert_golden(est, case):
    want = case["estimate"]
    for field in ("values", "std_errors", "half_widths"):
        assert bits(getattr(est, field)) == bits([float(x) for x in want[field]]), (case["name"], field)
    assert (est.samples, est.evaluations, est.converged) == (want["samples"], want["evaluations"], want["converged"])


def games(case):
    """Every way the package samples a golden game: (label, game, extra parameters)."""
    players = case["players"]
    out = [
        ("dense Game", co.Game(table(case), players), {}),
        ("LazyGame", co.LazyGame(players, model_of(case)), {}),
        ("LazyGame, batch 1", co.LazyGame(players, model_of(case)), {"batch": 1}),
        ("LazyGame, batch 10**6", co.LazyGame(players, model_of(case)), {"batch": 10**6}),
    ]
    if "weighted_voting" in case["game"]:
        vote = case["game"]["weighted_voting"]
        out.append(("weighted_voting", co.weighted_voting(vote["quota"], vote["weights"], players), {}))
    return out


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_every_path_reproduces_the_golden_estimate_bit_for_bit(case):
    for label, game, override in games(case):
        est = run(game, case, **override)
        assert_golden(est, case)
        assert est.method == case["method"] and est.seed == case["options"]["seed"], label
        if label == "weighted_voting":
            assert game._native is None  # sampled from its weights, never in dense form


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_golden_estimates_cover_the_exact_values(case):
    n = len(case["players"])
    phi = exact(table(case), n, case["method"])
    est = run(co.Game(table(case), case["players"]), case)
    assert np.all(np.abs(np.asarray(est.values) - phi) <= est.half_widths), case["name"]


@pytest.mark.parametrize("case", [CASES[0], CASES[5]], ids=case_id)
def test_a_lazy_game_on_a_thread_pool_reproduces_the_golden_file(case):
    with ThreadPoolExecutor(max_workers=2) as pool:
        lazy = co.LazyGame(case["players"], model_of(case), executor=pool, chunksize=64)
        assert_golden(run(lazy, case), case)


def test_the_golden_file_covers_methods_bounds_and_a_stop_at_max_rounds():
    assert "Rust driver" in GOLDEN["source"]
    assert {c["method"] for c in CASES} == {"permutation", "stratified", "banzhaf"}
    assert {json.dumps(c["options"]["bound"])[:12] for c in CASES} == {'"empirical_b', '{"hoeffding"'}
    assert any(not c["estimate"]["converged"] for c in CASES)


# -- the native driver: table and callable, callbacks and their errors ------------------------

CITIES = ["Songjiang", "Suzhou", "Hangzhou"]
CITY_VALUES = np.array([0, 0, 0, 90, 0, 80, 70, 150], dtype=float)
OPTIONS = {"epsilon": 10.0, "delta": 0.05, "max_rounds": 10**6, "seed": 3}


def test_the_dense_table_and_a_callback_give_the_same_estimate():
    calls = []

    def evaluate(masks):
        calls.append(masks.copy())
        assert masks.dtype == np.uint64
        return CITY_VALUES[masks.astype(np.int64)].tolist()  # any array-like of numbers

    for sample, kw in [(native.shapley_sample, {"method": "permutation"}), (native.shapley_sample,
                       {"method": "stratified"}), (native.banzhaf_sample, {})]:
        calls.clear()
        direct = sample(CITIES, CITY_VALUES, **kw, **OPTIONS)
        called = sample(CITIES, evaluate, **kw, **OPTIONS)
        assert calls, "the callable is called"
        for field in ("values", "std_errors", "half_widths"):
            assert bits(getattr(direct, field)) == bits(getattr(called, field))
        assert (direct.samples, direct.evaluations, direct.converged) == (called.samples, called.evaluations,
                                                                         called.converged)
        assert sum(len(c) for c in calls) == called.evaluations


def test_the_result_is_a_typed_frozen_object():
    est = co.Game(CITY_VALUES, CITIES).shapley_sample(epsilon=10.0, value_range=90.0, seed=1)
    result = est._result
    assert isinstance(result, native.EstimateCore)
    with pytest.raises(AttributeError):
        result.samples = 1  # type: ignore[misc]
    assert result.players == CITIES and result.value_range == 90.0 and result.max_rounds == 10**6
    # The public Estimate keeps its attributes and their types.
    assert isinstance(est.values, co.Allocation) and est.values.players == tuple(CITIES)
    for name in ("std_errors", "half_widths"):
        assert isinstance(getattr(est, name), np.ndarray) and getattr(est, name).dtype == np.float64
    assert [type(getattr(est, k)) for k in ("samples", "evaluations", "converged", "epsilon", "delta", "bound",
                                           "method", "seed")] == [int, int, bool, float, float, str, str, int]
    assert (est.bound, est.method, est.epsilon, est.delta, est.seed) == ("hoeffding", "permutation", 10.0, 0.05, 1)
    # ceil(90^2 ln(2 * 3 / 0.05) / (2 * 10^2)) = ceil(193.9) = 194 orders, known in advance.
    assert est.samples == 194 == native.hoeffding_rounds(3, "permutation", 10.0, 0.05, 90.0)
    assert est.evaluations == 3 * 194


def test_estimates_pickle_bit_for_bit():
    case = CASES[-1]  # not converged: some half-widths may be large; all must come back exactly
    est = run(co.Game(table(case), case["players"]), case)
    back = pickle.loads(pickle.dumps(est))
    for field in ("values", "std_errors", "half_widths"):
        assert bits(getattr(back, field)) == bits(getattr(est, field))
    assert repr(back) == repr(est) and back.values.players == est.values.players
    one_round = PAIR.shapley_sample(max_rounds=1)  # infinite half-widths survive too
    assert np.isinf(pickle.loads(pickle.dumps(one_round)).half_widths).any()
    text = est._result.to_json()
    doc = json.loads(text)
    doc["estimate"]["values"].pop()
    with pytest.raises(co.FormatError):
        native.EstimateCore.from_json(json.dumps(doc))
    with pytest.raises(co.FormatError):
        native.EstimateCore.from_json("{}")


class Sentinel(Exception):
    pass


def test_exceptions_of_the_callables_propagate_as_the_same_object():
    raised = Sentinel("from the model")

    def failing(masks):
        raise raised

    with pytest.raises(Sentinel) as info:
        native.shapley_sample(CITIES, failing, method="permutation", **OPTIONS)
    assert info.value is raised
    stop = KeyboardInterrupt()
    seen = []

    def progress(rounds, target):
        seen.append((rounds, target))
        if rounds >= 64:
            raise stop

    with pytest.raises(KeyboardInterrupt) as info:
        native.banzhaf_sample(CITIES, CITY_VALUES, **{**OPTIONS, "epsilon": 1e-6}, batch=32, progress=progress)
    # Batches of 32 rounds up to the checks at 32, 48 and 72 rounds; stopped after the third.
    assert info.value is stop and seen == [(0, None), (32, None), (48, None), (72, None)]


def test_a_failing_model_raises_its_model_error_from_the_driver():
    def model(coalition):
        if coalition == frozenset({"Suzhou", "Hangzhou"}):
            raise ValueError("model crashed")
        return float(len(coalition))

    lazy = co.LazyGame(CITIES, model)
    with pytest.raises(co.ModelError) as info:
        lazy.shapley_sample(epsilon=1.0, seed=0)
    assert [c for c, _ in info.value.failures] == [frozenset({"Suzhou", "Hangzhou"})]
    assert isinstance(info.value.__cause__, ValueError)


@pytest.mark.parametrize("bad", [lambda m: np.zeros(len(m) - 1), lambda m: np.zeros(len(m) + 1),
                                 lambda m: np.full(len(m), np.nan)])
def test_a_callable_must_return_one_finite_value_per_coalition(bad):
    with pytest.raises(co.InvalidGame):
        native.shapley_sample(CITIES, bad, method="permutation", **OPTIONS)


def test_progress_reports_the_target_when_known():
    seen = []
    est = co.Game(CITY_VALUES, CITIES).banzhaf_sample(epsilon=10.0, value_range=90.0, batch=50, seed=2)
    native.banzhaf_sample(CITIES, CITY_VALUES, epsilon=10.0, delta=0.05, value_range=90.0, max_rounds=10**6,
                          batch=50, seed=2, progress=lambda r, t: seen.append((r, t)))
    assert seen == [(0, 194), (50, 194), (100, 194), (150, 194), (194, 194)] and est.samples == 194
    pytest.importorskip("tqdm")
    again = co.Game(CITY_VALUES, CITIES).banzhaf_sample(epsilon=10.0, value_range=90.0, batch=50, seed=2,
                                                         progress=True)
    assert bits(again.values) == bits(est.values)


def test_the_default_batch_holds_about_4096_coalitions():
    voters = [f"v{i}" for i in range(10)]
    sizes = []

    def evaluate(masks):
        sizes.append(len(masks))
        return np.zeros(len(masks))

    native.shapley_sample(voters, evaluate, method="permutation", epsilon=1e-9, delta=0.05, value_range=1.0,
                          max_rounds=1000, seed=0)
    assert sizes == [4090, 4090, 10 * (1000 - 2 * 409)]


# -- parameters: converted in Python, checked in Rust ----------------------------------------

PAIR = co.Game([0.0, 1.0, 1.0, 3.0], ["A", "B"])


@pytest.mark.parametrize("kwargs", [
    {"epsilon": 0.0}, {"epsilon": -1.0}, {"epsilon": math.inf}, {"epsilon": math.nan},
    {"delta": 0.0}, {"delta": 1.0}, {"delta": math.nan}, {"value_range": 0.0}, {"value_range": -2.0},
    {"value_range": math.inf}, {"max_rounds": 0}, {"max_rounds": -3}, {"batch": 0}, {"batch": -(2**70)},
    {"method": "magic"}, {"method": "banzhaf"}, {"method": None}, {"method": "Permutation"},
])
def test_invalid_parameters_are_invalid_game(kwargs):
    (given,) = kwargs
    # The Rust options name the Hoeffding range "range"; everything else by its Python name.
    name = "range" if given == "value_range" else given
    calls = [lambda: PAIR.shapley_sample(**kwargs)]
    if given != "method":
        calls += [lambda: PAIR.banzhaf_sample(**kwargs),
                  lambda: co.LazyGame(["A", "B"], lambda s: float(len(s))).banzhaf_sample(**kwargs)]
    for call in calls:
        with pytest.raises(co.InvalidGame) as info:
            call()
        if getattr(info.value, "code", None) is not None:  # errors raised by Rust carry their fields
            assert (info.value.code, info.value.name) == ("invalid_parameter", name)


def test_huge_counts_are_the_largest():
    # More rounds than 2**64 - 1 never run; a batch beyond the 2**24-coalition cap is split.
    a = PAIR.shapley_sample(epsilon=0.5, max_rounds=10**40, batch=10**40, seed=5)
    b = PAIR.shapley_sample(epsilon=0.5, seed=5)
    assert a.converged and bits(a.values) == bits(b.values)


# -- what people see ---------------------------------------------------------------------------

def test_repr_is_the_rust_display_with_the_label():
    # Two players, stratified: both strata are exact, so the estimate is the Shapley value with
    # zero width at the first check (32 rounds of 8 coalitions).
    est = co.Game([0, 3, 5, 10], ["A", "Bee"]).shapley_sample(method="stratified")
    assert repr(est) == (
        "Estimate: Shapley value (sampled): stratified sampling, empirical-bernstein bound, 95% simultaneous "
        "intervals, epsilon 0.01: 32 samples, 256 evaluations, converged\n"
        "A    4 ± 0\n"
        "Bee  6 ± 0"
    )


def test_repr_and_html_round_numbers_at_the_estimate_scale():
    case = CASES[1]  # cities, Banzhaf, Hoeffding: numbers in the tens
    est = run(co.Game(table(case), case["players"]), case)
    lines = repr(est).splitlines()
    assert lines[0].startswith("Estimate: Banzhaf value (sampled): banzhaf sampling, hoeffding bound")
    assert "NOT converged" not in lines[0] and lines[0].endswith("converged")
    html = est._repr_html_()
    for line, player, value, half in zip(lines[1:], case["players"], np.asarray(est.values), est.half_widths):
        name, numbers = line.split("  ", 1)
        shown_value, shown_half = (x.strip() for x in numbers.split(" ± "))
        assert name.strip() == player
        # 10 significant digits at the largest magnitude shown (tens): 8 decimals at most.
        assert len(shown_value.split(".")[1]) <= 8 and abs(float(shown_value) - value) <= 0.5e-8
        assert abs(float(shown_half) - half) <= 0.5e-8
        assert f"<td>{shown_value}</td><td>± {shown_half}</td>" in html
    capped = CASES[-1]
    est = run(co.weighted_voting(**capped["game"]["weighted_voting"], players=capped["players"]), capped)
    assert not est.converged and "NOT converged" in repr(est)
