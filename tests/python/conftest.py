import contextlib
import itertools
import json
import math
import pathlib

import numpy as np
import pytest


def weighted_voting_values(quota, weights):
    n = len(weights)
    return np.array(
        [1.0 if sum(w for i, w in enumerate(weights) if m >> i & 1) >= quota else 0.0 for m in range(1 << n)]
    )


def shapley_by_permutations(values, n):
    """Average of all n! marginal vectors: an independent brute force."""
    phi = np.zeros(n)
    for order in itertools.permutations(range(n)):
        mask = 0
        for i in order:
            phi[i] += values[mask | 1 << i] - values[mask]
            mask |= 1 << i
    return phi / math.factorial(n)


@pytest.fixture
def glove():
    import coalitional as co

    return co.Game.from_function(["L", "R1", "R2"], lambda s: 1.0 if "L" in s and ({"R1", "R2"} & s) else 0.0)


CITIES = ["Songjiang", "Suzhou", "Hangzhou"]
MAPPING = {
    ("Songjiang",): 0, ("Suzhou",): 0, ("Hangzhou",): 0,
    ("Songjiang", "Suzhou"): 90, ("Songjiang", "Hangzhou"): 80, ("Suzhou", "Hangzhou"): 70,
    ("Songjiang", "Suzhou", "Hangzhou"): 150,
}

#: The published cases (tests/data/cases.json): each published number is written there once,
#: checked as a whole by ``coalitional check`` (test_reliability.py) and by cargo test.
CASES_FILE = pathlib.Path(__file__).resolve().parents[1] / "data" / "cases.json"
CASES = {case["name"]: case for case in json.loads(CASES_FILE.read_text(encoding="utf-8"))["cases"]}


def published(name, key):
    """The expected ``key`` of the case ``name`` as ``(player index, value)`` pairs, in the
    order of the case's players (a case may name only some of them)."""
    case = CASES[name]
    want = case["expected"][key]
    players = case["game"]["players"]
    pairs = want.items() if isinstance(want, dict) else zip(players, want)
    return [(players.index(p), float(w)) for p, w in pairs]


def published_vector(name, key):
    """The expected ``key`` of the case ``name`` for every player, in order."""
    pairs = published(name, key)
    assert [i for i, _ in pairs] == list(range(len(pairs))), (name, key)
    return np.array([w for _, w in pairs])



_MISSING = object()


def assert_fields(err, code, **fields):
    """``err`` carries ``code`` (the Rust ``Error::code``, or the tag of an error raised by the
    Python layer) and every attribute in ``fields`` with that value (the field, index, player
    or coalition at fault). Errors are checked by their data, never by their message."""
    assert getattr(err, "code", None) == code, (code, getattr(err, "code", None), type(err).__name__, str(err))
    for name, want in fields.items():
        got = getattr(err, name, _MISSING)
        same = got == want or (isinstance(got, float) and isinstance(want, float) and math.isnan(got) and math.isnan(want))
        assert same, (name, want, got, {k: v for k, v in vars(err).items() if k != "failures"})
    return err


@contextlib.contextmanager
def raises_error(exc, code, **fields):
    """``pytest.raises(exc)`` that also checks the error's ``code`` and attributes (see
    :func:`assert_fields`)."""
    with pytest.raises(exc) as info:
        yield info
    assert_fields(info.value, code, **fields)
