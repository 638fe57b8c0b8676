"""Scale and shift covariance (issue 12): an oracle written from the mathematics.

A game v and g2 = c v + a (c > 0, a(S) = sum of a_i over S, an additive game) are strategically
equivalent. Every solution concept is covariant under that map: the Shapley, raw Banzhaf, Owen
and tau values, marginal vectors, nucleolus and prenucleolus map by x -> c x + a; the least
core's epsilon and the cost of stability scale by c and ignore a; yes/no answers (core
emptiness, core membership of the mapped point, "undefined") do not change.

Expected values come from outside the solvers: exact rational brute force (fractions.Fraction)
in this file, the exact certificates of tests/data/scale_cases.json (shared with tests/scale.rs,
which checks the same numbers), or, for the LP concepts, the library's answer on the small
unshifted base game (integers in about [-100, 100]): covariance is the claim under test.

Tolerances are relative to the spread of the base game, max |v(S) - sum of v({i}) over S|, never
to the largest input, plus the rounding of the inputs themselves: c v + a is stored as floats,
and no solver can be more exact than the numbers it is given (64 n eps max |g2|). Combinations
in which that rounding exceeds 1e-3 c spread are skipped: there the game as a vector of floats
no longer holds its own surplus.
"""

import itertools
import json
import math
import random
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import coalitional as co

DATA = json.loads((Path(__file__).resolve().parents[1] / "data" / "scale_cases.json").read_text())
EPS = 2.0**-52
SCALES = [1e-6, 1e-3, 0.5, 1.0, 3.0, 1e3, 1e6, 1e9]
MAGNITUDES = [0, 10**3, 10**6, 10**9]
FAMILIES = ["random", "simple", "convex", "bankruptcy", "airport", "cost"]
# Deterministic examples (CI sees the same games each run) and no example database on disk.
PROPERTY = settings(max_examples=40, deadline=None, derandomize=True, database=None)


# ------------------------------------------------------------------------------------------
# Exact numbers and brute-force references.


def q(x):
    """A JSON number or string ('p/q', integer or decimal) as an exact Fraction."""
    return Fraction(x) if isinstance(x, str) else Fraction(int(x))


def floats(xs):
    return [float(q(x)) for x in xs]


def members(mask, n):
    return [i for i in range(n) if mask >> i & 1]


def players_of(values):
    return len(values).bit_length() - 1


def spread(values):
    """max |v(S) - sum of v({i}) over S|, at least 1: the scale of what cooperation adds."""
    n = players_of(values)
    return max([1.0] + [abs(values[m] - sum(values[1 << i] for i in members(m, n))) for m in range(len(values))])


def input_rounding(values):
    """The rounding of a game's own numbers: 64 n eps max |v|."""
    return 64 * players_of(values) * EPS * max(abs(float(x)) for x in values)


def shapley_exact(v):
    n = players_of(v)
    f = math.factorial
    return [
        sum(
            Fraction(f(len(members(s, n))) * f(n - len(members(s, n)) - 1), f(n)) * (v[s | 1 << i] - v[s])
            for s in range(len(v))
            if not s >> i & 1
        )
        for i in range(n)
    ]


def banzhaf_exact(v):
    n = players_of(v)
    return [
        sum(Fraction(v[s | 1 << i] - v[s]) for s in range(len(v)) if not s >> i & 1) / 2 ** (n - 1) for i in range(n)
    ]


def marginal_exact(v, order):
    m = [Fraction(0)] * len(order)
    joined = 0
    for i in order:
        m[i] = Fraction(v[joined | 1 << i] - v[joined])
        joined |= 1 << i
    return m


def owen_exact(v, unions):
    """Average marginal vector over the orders in which every union arrives in one block."""
    n = players_of(v)
    union_of = {i: k for k, u in enumerate(unions) for i in u}
    total = [Fraction(0)] * n
    count = 0
    for order in itertools.permutations(range(n)):
        blocks = [union_of[i] for i in order]
        runs = [k for j, k in enumerate(blocks) if j == 0 or blocks[j - 1] != k]
        if len(runs) == len(unions):
            total = [t + m for t, m in zip(total, marginal_exact(v, order))]
            count += 1
    return [t / count for t in total]


def tau_exact(v, sign):
    """Tau value (Tijs 1981) on w = sign v, exactly; None when not quasi-balanced. Also the
    smallest absolute slack of the quasi-balance conditions (0 when one holds with equality)."""
    n = players_of(v)
    full = len(v) - 1
    w = [sign * Fraction(x) for x in v]
    utopia = [w[full] - w[full & ~(1 << i)] for i in range(n)]
    minimal = [
        max(w[s] - sum(utopia[j] for j in members(s, n) if j != i) for s in range(1, len(v)) if s >> i & 1)
        for i in range(n)
    ]
    slacks = [utopia[i] - minimal[i] for i in range(n)] + [w[full] - sum(minimal), sum(utopia) - w[full]]
    least = min(abs(s) for s in slacks)
    if any(s < 0 for s in slacks):
        return None, least
    if sum(utopia) == sum(minimal):
        tau = utopia
    else:
        lam = (w[full] - sum(minimal)) / (sum(utopia) - sum(minimal))
        tau = [minimal[i] + lam * (utopia[i] - minimal[i]) for i in range(n)]
    return [sign * t for t in tau], least


def max_excess(v, sign, x):
    """Largest sign (v(S) - x(S)) over the proper nonempty coalitions."""
    n = players_of(v)
    return max(sign * (v[m] - sum(x[i] for i in members(m, n))) for m in range(1, len(v) - 1))


def least_core_certificate(v, cert):
    """Checks an exact least-core certificate (see tests/data/scale_cases.json): the point is
    efficient with largest excess epsilon, and the weights are balanced with dual value
    epsilon. Returns (epsilon, point, coalitions carrying weight)."""
    n = players_of(v)
    full = len(v) - 1
    eps = q(cert["epsilon"])
    x = [q(p) for p in cert["point"]]
    assert sum(x) == v[full]
    assert max_excess(v, 1, x) == eps
    cover = q(cert["cover"])
    weights = {int(m): q(w) for m, w in cert["weights"].items()}
    assert all(0 < m < full and w > 0 for m, w in weights.items())
    assert sum(weights.values()) == 1
    assert all(sum(w for m, w in weights.items() if m >> i & 1) == cover for i in range(n))
    assert sum(w * v[m] for m, w in weights.items()) - cover * v[full] == eps
    return eps, x, list(weights)


def rank(masks, n):
    rows = [[Fraction(m >> i & 1) for i in range(n)] for m in masks]
    r = 0
    for col in range(n):
        pivot = next((k for k in range(r, len(rows)) if rows[k][col] != 0), None)
        if pivot is None:
            continue
        rows[r], rows[pivot] = rows[pivot], rows[r]
        for k in range(len(rows)):
            if k != r and rows[k][col] != 0:
                f = rows[k][col] / rows[r][col]
                rows[k] = [a - f * b for a, b in zip(rows[k], rows[r])]
        r += 1
    return r


def names(n):
    return [f"p{i}" for i in range(n)]


def game(values, kind="value"):
    return co.Game(np.asarray(values, dtype=np.float64), names(players_of(values)), kind=kind)


# ------------------------------------------------------------------------------------------
# Random base games in families, and their images c v + a.


def swap01(m):
    return (m & ~3) | (m & 1) << 1 | (m >> 1 & 1)


def base_game(family, n, seed, symmetric=False):
    """Integer values; with ``symmetric``, players 0 and 1 are interchangeable."""
    r = random.Random(seed)
    size = 1 << n

    def param(lo, hi):
        p = [r.randint(lo, hi) for _ in range(n)]
        if symmetric:
            p[1] = p[0]
        return p

    def table(lo, hi):
        t = [r.randint(lo, hi) for _ in range(size)]
        return [t[min(m, swap01(m))] if symmetric else t[m] for m in range(size)]

    def total(p, m):
        return sum(p[i] for i in members(m, n))

    kind = "value"
    if family == "random":
        v = table(-100, 100)
    elif family == "simple":
        w = param(1, 5)
        quota = r.randint(sum(w) // 2 + 1, sum(w))
        v = [int(total(w, m) >= quota) for m in range(size)]
    elif family == "convex":
        single = param(-20, 20)
        dividend = [max(0, d) for d in table(-10, 10)]
        v = [
            total(single, m) + sum(dividend[t] for t in range(size) if t & m == t and bin(t).count("1") >= 2)
            for m in range(size)
        ]
    elif family == "bankruptcy":
        claims = param(1, 100)
        estate = r.randint(1, sum(claims))
        v = [max(0, estate - total(claims, (size - 1) & ~m)) for m in range(size)]
    elif family == "airport":
        k = param(1, 100)
        v = [max([k[i] for i in members(m, n)], default=0) for m in range(size)]
        kind = "cost"
    else:
        standalone = param(20, 100)
        savings = table(-20, 60)
        v = [total(standalone, m) - (savings[m] if bin(m).count("1") >= 2 else 0) for m in range(size)]
        kind = "cost"
    v[0] = 0
    return v, kind


class Setup:
    """A base game v (integers) and g2 = c v + a."""

    def __init__(self, family, n, seed, c, magnitude, a_seed, symmetric=False):
        self.v, self.kind = base_game(family, n, seed, symmetric)
        self.n, self.c = n, c
        self.sign = 1 if self.kind == "value" else -1
        r = random.Random(a_seed)
        self.rng = r
        self.a = [float(r.randint(-magnitude, magnitude)) for _ in range(n)]
        if symmetric:
            self.a[1] = self.a[0]
        # c v(S) + a(S), the additive part summed in player order (exact: integers < 2^53).
        values2 = [0.0] + [c * self.v[m] + sum((self.a[i] for i in members(m, n)), 0.0) for m in range(1, 1 << n)]
        self.values2 = values2
        self.g = game([float(x) for x in self.v], self.kind)
        self.g2 = game(values2, self.kind)
        self.spread = spread(self.v)
        self.rounding = input_rounding(values2)
        # Relative to what cooperation adds, plus the rounding of the inputs themselves:
        # c v + a cannot be represented more exactly than that.
        self.tol = 1e-7 * c * self.spread + self.rounding

    def holds_surplus(self):
        return self.rounding <= 1e-3 * self.c * self.spread

    def fine(self):
        """Rounding negligible against any tolerance relative to the normalised game."""
        return self.rounding <= 1e-12 * self.c * self.spread

    def sign_survives(self, base_margin):
        """Whether the sign of a base-game quantity is robust to the rounding of g2."""
        if abs(base_margin) <= 1e-9 * self.spread:
            return self.fine()
        return self.c * abs(float(base_margin)) > 16 * self.n * self.rounding

    def map(self, x):
        return [self.c * float(xi) + ai for xi, ai in zip(x, self.a)]

    def unmap(self, y):
        return [(yi - ai) / self.c for yi, ai in zip(y, self.a)]

    def __repr__(self):
        return f"Setup(kind={self.kind}, n={self.n}, c={self.c:g}, a={self.a}, v={self.v})"


def assert_close(what, got, want, tol, setup):
    got, want = np.asarray(got, dtype=np.float64), np.asarray(want, dtype=np.float64)
    off = float(np.max(np.abs(got - want))) if got.size else 0.0
    assert off <= tol, f"{what}: got {got.tolist()}, want {want.tolist()}, off by {off:.3e} > {tol:.3e} ({setup})"


def outcome(f):
    try:
        return np.asarray(f(), dtype=np.float64), None
    except co.GameError as e:
        return None, e


def assert_covariant(what, s, base, shifted, parity):
    (x, e), (x2, e2) = base, shifted
    if e is None and e2 is None:
        assert_close(what, x2, s.map(x), s.tol, s)
    elif e is not None and e2 is not None:
        assert type(e) is type(e2), f"{what}: {e!r} vs {e2!r} ({s})"
    elif parity:
        pytest.fail(f"{what}: base {e!r}, shifted {e2!r} ({s})")


@st.composite
def setups(draw, max_n=6, symmetric=False):
    family = draw(st.sampled_from(FAMILIES))
    n = draw(st.integers(2, max_n))
    seed = draw(st.integers(0, 2**32))
    c = draw(st.sampled_from(SCALES))
    magnitude = draw(st.sampled_from(MAGNITUDES))
    a_seed = draw(st.integers(0, 2**32))
    return Setup(family, n, seed, c, magnitude, a_seed, symmetric)


# ------------------------------------------------------------------------------------------
# Reproductions (tests/data/scale_cases.json; tests/scale.rs checks the same numbers).

ALLOCATION_CASES = [
    pytest.param(case, concept, id=f"{case['name']}-{concept}")
    for case in DATA["allocations"]
    for concept in case["expect"]
]


@pytest.mark.parametrize("case,concept", ALLOCATION_CASES)
def test_reproduced_allocation(case, concept):
    values = floats(case["values"])
    g = game(values, case["kind"])
    got = np.asarray(getattr(g, concept)(), dtype=np.float64)
    want = np.asarray(floats(case["expect"][concept]))
    if case.get("bit_exact"):
        assert got.tolist() == want.tolist(), f"{got.tolist()} is not bit for bit {want.tolist()}"
    # Relative to the spread, plus the spacing of the floats at the answer.
    tol = 1e-9 * spread(values) + 4 * math.ulp(float(np.max(np.abs(want))))
    assert_close(f"{case['name']} {concept}", got, want, tol, case["name"])
    if case.get("equal_surplus_shares"):
        shares = got - np.asarray([values[1 << i] for i in range(g.n)])
        tol = 1e-9 * spread(values) + 4 * math.ulp(float(np.max(np.abs(got))))
        assert float(np.ptp(shares)) <= tol, f"surplus shares {shares.tolist()} are not equal"


def test_two_player_answers_are_bit_identical_to_rust():
    """The Python binding adds nothing: the exact answers that tests/scale.rs checks bit for bit
    (two_player_answers_are_exact_to_the_bit) come out of Python with the same bits."""
    case = next(c for c in DATA["allocations"] if c["name"] == "two_players_1e7")
    g = co.Game(floats(case["values"]))
    for concept, want in case["expect"].items():
        got = np.asarray(getattr(g, concept)(), dtype=np.float64)
        assert got.view(np.uint64).tolist() == np.asarray(floats(want)).view(np.uint64).tolist(), (concept, got)


def test_cost_game_nucleolus_in_core_agrees_with_core_emptiness():
    case = next(c for c in DATA["allocations"] if c.get("core_point") == "nucleolus")
    v = [q(x) for x in case["values"]]
    x = [q(p) for p in case["expect"]["nucleolus"]]
    n = len(x)
    full = len(v) - 1
    # The expected nucleolus is in the core, in exact arithmetic: the core is nonempty.
    assert sum(x) == v[full]
    assert all(sum(x[i] for i in members(m, n)) <= v[m] for m in range(1, full))
    g = game(floats(case["values"]), "cost")
    assert not g.core_is_empty()
    nu = g.nucleolus()
    assert g.in_core(nu) == (not g.core_is_empty())
    assert g.in_core(nu, tol=g.tolerance)


def test_least_core_of_a_large_cost_game():
    """Standalone costs of about 1e8, savings of at most 72: epsilon = 1/4 (certified exactly)."""
    case = DATA["least_core_cost5"]
    k = [q(x) for x in case["standalone"]]
    s = [q(x) for x in case["savings"]]
    n = len(k)
    eps, _, _ = least_core_certificate(s, case)
    assert eps == Fraction(1, 4)
    costs = [float(sum(k[i] for i in members(m, n)) - s[m]) for m in range(len(s))]
    g = game(costs, "cost")
    lc = g.least_core()
    tol = 1e-6 * spread([float(x) for x in s])
    assert abs(lc.epsilon - 0.25) <= tol, lc.epsilon
    assert g.core_is_empty()
    assert not g.in_core(lc.allocation)
    assert abs(max_excess(costs, -1, np.asarray(lc.allocation)) - 0.25) <= tol


def test_settlement_between_large_vectors_on_a_small_game():
    case = DATA["settle_small_game"]
    g = game(floats(case["values"]))
    target, today = floats(case["target"]), floats(case["status_quo"])
    assert sum(q(x) for x in case["target"]) == sum(q(x) for x in case["status_quo"])
    s = co.settle(g, target, today)
    assert all(co.OUTSIDE not in (p.payer, p.payee) for p in s.transfers), s.transfers
    assert len(s.transfers) <= g.n - 1, s.transfers
    size = max(abs(x) for x in target + today)
    for i, p in enumerate(g.players):
        received = sum(t.amount for t in s.transfers if t.payee == p) - sum(t.amount for t in s.transfers if t.payer == p)
        assert abs(received - (target[i] - today[i])) <= 64 * g.n * EPS * size, (p, received)


def test_huge_standalone_value_moves_only_its_owner():
    case = DATA["grid_bump"]
    exact = [q(x) for x in case["values"]]
    v = [float(x) for x in exact]
    n = players_of(v)
    bump, who = float(case["bump"]), case["player"]
    bumped = [x + bump if m >> who & 1 else x for m, x in enumerate(v)]
    assert all(bumped[m] - bump == v[m] for m in range(len(v)) if m >> who & 1)  # exact in f64
    eps, point, carried = least_core_certificate(exact, case["least_core"])
    assert rank(carried + [len(v) - 1], n) == n  # the least core of v is that one point
    g, g2 = game(v), game(bumped)
    tau, _ = tau_exact(exact, 1)
    base = {
        "shapley": shapley_exact(exact),
        "banzhaf": banzhaf_exact(exact),
        "tau_value": tau,
        "least_core": point,
        # The nucleoli of the base game: the library on the small unshifted game.
        "nucleolus": list(g.nucleolus()),
        "prenucleolus": list(g.prenucleolus()),
    }
    failures = []
    for concept, x in base.items():
        try:
            got = g2.least_core().allocation if concept == "least_core" else getattr(g2, concept)()
        except co.GameError as e:
            failures.append(f"{concept}: {e!r}")
            continue
        want = [float(Fraction(xi) + (Fraction(bump) if i == who else 0)) for i, xi in enumerate(x)]
        for i in range(n):
            tol = 1e-9 * spread(v) + (math.ulp(bump) if i == who else 0.0)
            if abs(got[i] - want[i]) > tol:
                failures.append(f"{concept}: player {i} gets {got[i]!r} instead of {want[i]!r}")
    if abs(g2.least_core().epsilon - float(eps)) > 1e-9 * spread(v):
        failures.append(f"least-core epsilon {g2.least_core().epsilon} instead of {float(eps)}")
    assert not failures, "\n".join(failures)


# ------------------------------------------------------------------------------------------
# Covariance properties.


@PROPERTY
@given(setups())
def test_linear_values_are_covariant(s):
    assume(s.holds_surplus())
    phi = shapley_exact(s.v)
    assert_close("Shapley (base)", s.g.shapley(), [float(x) for x in phi], 1e-9 * s.spread, s)
    assert_close("Shapley", s.g2.shapley(), s.map(phi), s.tol, s)
    beta = banzhaf_exact(s.v)
    assert_close("raw Banzhaf", s.g2.banzhaf(), s.map(beta), s.tol, s)
    order = list(range(s.n))
    s.rng.shuffle(order)
    got = s.g2.marginal_vector([f"p{i}" for i in order])
    assert_close(f"marginal vector {order}", got, s.map(marginal_exact(s.v, order)), s.tol, s)
    labels = [s.rng.randrange(s.n) for _ in range(s.n)]
    unions = [[i for i in range(s.n) if labels[i] == k] for k in sorted(set(labels))]
    owen = owen_exact(s.v, unions)
    got = s.g2.owen([[f"p{i}" for i in u] for u in unions])
    assert_close(f"Owen {unions}", got, s.map(owen), s.tol, s)


@PROPERTY
@given(setups())
def test_tau_value_is_covariant(s):
    assume(s.holds_surplus())
    tau, slack = tau_exact(s.v, s.sign)
    base = outcome(s.g.tau_value)
    if tau is None:
        assert isinstance(base[1], co.UndefinedSolution), base
    else:
        assert_close("tau (base)", base[0], [float(t) for t in tau], 1e-9 * s.spread, s)
    assert_covariant("tau value", s, base, outcome(s.g2.tau_value), s.sign_survives(slack))


@PROPERTY
@given(setups())
def test_nucleoli_are_covariant(s):
    assume(s.holds_surplus())
    full = len(s.v) - 1
    surplus = s.sign * (s.v[full] - sum(s.v[1 << i] for i in range(s.n)))
    nu = outcome(s.g.nucleolus)
    if surplus < 0:
        assert isinstance(nu[1], co.UndefinedSolution), nu
    assert_covariant("nucleolus", s, nu, outcome(s.g2.nucleolus), s.sign_survives(surplus))
    assert_covariant("prenucleolus", s, outcome(s.g.prenucleolus), outcome(s.g2.prenucleolus), True)


@PROPERTY
@given(setups())
def test_least_core_and_cost_of_stability_are_covariant(s):
    assume(s.holds_surplus())
    lc, lc2 = s.g.least_core(), s.g2.least_core()
    assert_close("least-core epsilon", [lc2.epsilon], [s.c * lc.epsilon], s.tol, s)
    back = s.unmap(np.asarray(lc2.allocation))
    assert_close("least-core allocation: efficiency", [sum(back)], [s.v[-1]], s.tol / s.c, s)
    worst = max_excess(s.v, s.sign, back)
    assert worst <= lc.epsilon + s.tol / s.c, f"mapped-back least-core allocation has excess {worst} > {lc.epsilon} ({s})"
    assert_close("cost of stability", [s.g2.cost_of_stability()], [s.c * s.g.cost_of_stability()], s.tol, s)


@PROPERTY
@given(setups())
def test_core_membership_and_emptiness_are_covariant(s):
    assume(s.holds_surplus())
    eps = s.g.least_core().epsilon
    if s.sign_survives(eps):
        assert s.g2.core_is_empty() == s.g.core_is_empty(), f"base epsilon {eps} ({s})"
    points = [[float(x) for x in shapley_exact(s.v)], list(s.g.least_core().allocation)]
    nu = outcome(s.g.nucleolus)
    if nu[1] is None:
        points.append(list(nu[0]))
    t = 1e-7 * s.spread
    for x in points:
        e = max_excess(s.v, s.sign, x)
        image, tol2 = s.map(x), s.c * t + s.rounding
        if e <= 1e-9 * s.spread:
            assert s.g2.in_core(image, tol=tol2), f"{x} is in the core of v, not its image ({s})"
        elif e > 2 * t + 4 * s.rounding / s.c:
            assert not s.g2.in_core(image, tol=tol2), f"{x} (excess {e}) is outside, its image inside ({s})"


@settings(max_examples=30, deadline=None, derandomize=True, database=None)
@given(setups(max_n=4))
def test_core_vertices_are_covariant(s):
    assume(s.holds_surplus())
    assume(s.sign_survives(s.g.least_core().epsilon))
    base = [s.map(x) for x in s.g.core_vertices()]
    got = [list(x) for x in s.g2.core_vertices()]
    assert (len(base) == 0) == (len(got) == 0), (base, got, s)

    def one_way(p, r):
        return max((min(max(abs(a - b) for a, b in zip(x, y)) for y in r) for x in p), default=0.0)

    d = max(one_way(base, got), one_way(got, base))
    assert d <= 4 * s.tol, f"core vertices {got} vs mapped {base}: distance {d} ({s})"


# ------------------------------------------------------------------------------------------
# Consistency at the game's own tolerance, and symmetric players.


def check_consistent(g, where):
    empty = g.core_is_empty()
    lc = g.least_core()
    assert (lc.epsilon <= g.tolerance) == (not empty), (lc.epsilon, g.tolerance, empty, where)
    # in_core without tol uses the game's own tolerance.
    assert g.in_core(lc.allocation) == (not empty), (list(lc.allocation), empty, where)
    cos = g.cost_of_stability()
    assert (cos == 0.0) == (not empty), (cos, empty, where)
    if not empty:
        nu = g.nucleolus()
        assert g.in_core(nu), (list(nu), g.tolerance, where)


@PROPERTY
@given(setups())
def test_yes_no_answers_agree_at_the_default_tolerance(s):
    check_consistent(s.g, f"base {s.v}")
    check_consistent(s.g2, s)


def unequal_shares(g):
    """The symmetric solutions that give players 0 and 1 (interchangeable in g) shares more
    than 8 ulps apart."""
    v = g.values
    assert all(v[m] == v[swap01(m)] for m in range(len(v))), "test setup: not symmetric"
    problems = []
    for concept in ("shapley", "nucleolus", "prenucleolus", "tau_value"):
        x, err = outcome(getattr(g, concept))
        if err is None and abs(x[0] - x[1]) > 8 * math.ulp(max(abs(x[0]), 1.0)):
            problems.append(f"{concept}: symmetric players get {x[0]!r} and {x[1]!r}")
    return problems


@PROPERTY
@given(setups(symmetric=True))
def test_symmetric_players_get_equal_shares(s):
    for g in (s.g, s.g2):
        problems = unequal_shares(g)
        assert not problems, (problems, s)


@pytest.mark.parametrize(
    "case", [pytest.param(c, id=f"game{k}") for k, c in enumerate(DATA["symmetric_regressions"]["games"])]
)
def test_symmetric_players_regressions(case):
    """Games on which the property above once failed, as given and shifted by (1e6, 1e6, 2e6, ...)."""
    v = floats(case["values"])
    n = players_of(v)
    shifted = [x + sum((1e6 * max(i, 1) for i in members(m, n)), 0.0) for m, x in enumerate(v)]
    problems = [f"{label}: {p}" for label, w in (("as given", v), ("shifted", shifted)) for p in unequal_shares(game(w))]
    assert not problems, problems
