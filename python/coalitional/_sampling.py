"""Sampling estimates of the Shapley and Banzhaf values with error bounds.

The sampling itself (the stopping rule, the bounds, the checks of every parameter) is the Rust
driver's (``solution::sampling::sample_batched``, called through
``_coalitional.shapley_sample`` / ``banzhaf_sample``): a seed gives the same estimate, bit for
bit, from Rust and from Python. This module keeps what is Python's: the labelled
:class:`Estimate`, the tqdm progress bar, and the methods that hand a game's values (a dense
table, or a callable evaluating a batch of coalitions) to the driver."""

from __future__ import annotations

import html
import importlib
from typing import Any, Callable, Literal, Optional, Tuple, Union

import numpy as np

from . import _coalitional as _native
from ._allocation import Allocation, _Kind
from ._convert import count, real_number, seed_value

#: What the native driver evaluates: the 2**n values by mask, or masks -> values.
Worth = Union[np.ndarray, Callable[[np.ndarray], Any]]

_LARGEST_COUNT = 2**64 - 1


class Estimate:
    """Sampling estimates with per-player confidence intervals.

    ``values`` (an Allocation) ± ``half_widths`` holds for all players at once with probability
    at least ``1 - delta`` (``delta / n`` per player, union bound):

    - ``bound == "hoeffding"`` (a ``value_range`` was given): guaranteed by Hoeffding's
      inequality, with no assumption beyond the range.
    - ``bound == "empirical-bernstein"`` (the default): the empirical Bernstein inequality
      (Maurer and Pontil 2009), combined per stratum for ``method="stratified"``, valid at the
      stopping time (each check of the stopping rule spends ``delta / (k (k + 1))``). Its one
      assumption: the largest spread of marginal contributions seen in any player's (or
      stratum's) samples is their range. Infinite half-widths mean there was not enough to
      bound the error (fewer than two samples, or no marginal contribution varied).

    ``std_errors`` are the plain standard errors from the sample variances, for information.
    ``converged`` says whether every half-width reached ``epsilon``. ``samples`` is the number
    of rounds (orders, or rounds of coalitions), ``evaluations`` the coalitions evaluated.

    Built from the native result of the Rust driver (``result``, an ``EstimateCore``), which
    also makes the text of ``repr`` (numbers rounded by the crate's one rule, as Rust's
    ``Display`` shows them).
    """

    def __init__(self, result: _native.EstimateCore, *, kind: _Kind = "value",
                 label: str = "sampling estimate") -> None:
        self._result = result
        self.values = Allocation(result.values, tuple(result.players), label=label, kind=kind)
        self.std_errors: np.ndarray = result.std_errors
        self.half_widths: np.ndarray = result.half_widths
        self.samples: int = result.samples
        self.evaluations: int = result.evaluations
        self.converged: bool = result.converged
        self.epsilon: float = result.epsilon
        self.delta: float = result.delta
        self.bound: str = result.bound
        self.method: str = result.method
        self.seed: int = result.seed

    def intervals(self) -> np.ndarray:
        """(n, 2) array of lower and upper ends."""
        v = np.asarray(self.values)
        return np.column_stack([v - self.half_widths, v + self.half_widths])

    def to_pandas(self) -> Any:
        """A DataFrame: estimate, standard error, lower and upper end per player."""
        pd = importlib.import_module("pandas")
        lo, hi = self.intervals().T
        return pd.DataFrame(
            {"estimate": np.asarray(self.values), "std error": self.std_errors, "lower": lo, "upper": hi},
            index=pd.Index(self.values.players, name="player"),
        )

    def __repr__(self) -> str:
        return f"Estimate: {self.values.label}: {self._result}"

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{html.escape(p)}</td><td>{v}</td><td>± {h}</td></tr>"
            for p, v, h in zip(self.values.players, self._result.shown_values(), self._result.shown_half_widths())
        )
        caption = html.escape(f"{self.values.label}: {self._result.summary()}")
        return (f"<table><caption>{caption}</caption><thead><tr><th>player</th>"
                f"<th>estimate</th><th>half-width</th></tr></thead><tbody>{rows}</tbody></table>")


class _Bar:
    """The tqdm bar of ``progress=True``, driven by the driver's progress callback: rounds done
    and the target (known up front for Hoeffding, None for the empirical Bernstein rule)."""

    def __init__(self) -> None:
        try:
            self._tqdm = importlib.import_module("tqdm.auto").tqdm
        except ImportError:
            raise ImportError('progress=True needs tqdm: pip install "coalitional[progress]" (or pip install tqdm)') from None
        self._bar: Any = None

    def __call__(self, rounds: int, target: Optional[int]) -> None:
        if self._bar is None:
            self._bar = self._tqdm(total=target, unit="round")
        self._bar.update(rounds - self._bar.n)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


def _count(x: Any, what: str) -> int:
    """A count (``max_rounds``, ``batch``) as the driver takes it: a whole number by the rules
    of :func:`._convert.count`, with no range checked here (the Rust driver refuses what is
    below 1), held in 0..2**64 - 1: a negative count is 0, a larger one the largest (more rounds
    than that never run)."""
    value = count(x, what, minimum=None)
    return min(max(value, 0), _LARGEST_COUNT)


def _run(native: Callable[..., Any], players: Tuple[str, ...], worth: Callable[[], Worth], *, kind: _Kind,
         label: str, epsilon: float, delta: float, value_range: Optional[float], max_rounds: int,
         batch: Optional[int], seed: int, progress: bool, **method: Any) -> Estimate:
    """Converts the parameters (their values are checked by the driver), then asks for the
    game's ``worth`` and runs ``native``."""
    parameters = {
        "epsilon": real_number(epsilon, "epsilon"),
        "delta": real_number(delta, "delta"),
        "value_range": None if value_range is None else real_number(value_range, "value_range"),
        "max_rounds": _count(max_rounds, "max_rounds"),
        "batch": None if batch is None else _count(batch, "batch"),
        "seed": seed_value(seed),
    }
    bar = _Bar() if progress else None
    try:
        result = native(list(players), worth(), **method, **parameters, progress=bar)
    finally:
        if bar is not None:
            bar.close()
    return Estimate(result, kind=kind, label=label)


class SamplingMixin:
    """``shapley_sample`` and ``banzhaf_sample`` for anything with ``players``, ``kind`` and
    ``_evaluate(masks) -> values``; ``_worth()`` may give the driver the dense values instead."""

    __slots__ = ()

    @property
    def players(self) -> Tuple[str, ...]:
        raise NotImplementedError

    @property
    def kind(self) -> _Kind:
        raise NotImplementedError

    def _evaluate(self, masks: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def _worth(self) -> Worth:
        """What the driver evaluates: ``_evaluate`` (called with a uint64 array of masks per
        batch), unless a class has its values at hand as a dense float64 table (read by the
        driver without calling back into Python; the estimates are bit for bit the same)."""
        return self._evaluate

    def shapley_sample(self, epsilon: float = 0.01, delta: float = 0.05, *,
                       method: Literal["permutation", "stratified"] = "permutation",
                       value_range: Optional[float] = None, max_rounds: int = 1_000_000, batch: Optional[int] = None,
                       seed: int = 0, progress: bool = False) -> Estimate:
        """A sampling estimate of the Shapley value (Castro et al. 2009 by random orders,
        ``method="permutation"``; or stratified by coalition size, ``method="stratified"``).

        With ``value_range`` (the width of an interval holding every marginal contribution of
        a player, each player its own interval; 1 for simple games) the intervals are
        Hoeffding's and hold with probability at least ``1 - delta`` for all players at once;
        the number of samples is fixed up front.
        Without it, empirical Bernstein intervals (Maurer and Pontil 2009) from the sample
        variances, with the range taken from the largest observed spread of marginal
        contributions; sampling stops at the first check (after 32 rounds, then 1.5 times as
        many each time) where every half-width is at most ``epsilon``, or after ``max_rounds``
        rounds (at least 1) with ``converged = False``; the intervals hold at the stopping
        time. ``batch``: rounds evaluated per call of the model (default: about 4096
        coalitions per batch); the estimates do not depend on it. ``seed`` reproduces a run,
        bit for bit the same as Rust's driver; ``progress=True`` shows a tqdm bar. Invalid
        values are an ``InvalidGame`` naming the parameter; an exception of the game's model
        (a ``ModelError``, Ctrl-C's ``KeyboardInterrupt``) propagates as it is, between batches.
        """
        return _run(_native.shapley_sample, self.players, self._worth, kind=self.kind,
                    label="Shapley value (sampled)", method=method, epsilon=epsilon, delta=delta,
                    value_range=value_range, max_rounds=max_rounds, batch=batch, seed=seed, progress=progress)

    def banzhaf_sample(self, epsilon: float = 0.01, delta: float = 0.05, *, value_range: Optional[float] = None,
                       max_rounds: int = 1_000_000, batch: Optional[int] = None, seed: int = 0,
                       progress: bool = False) -> Estimate:
        """A sampling estimate of the raw Banzhaf value: the mean of v(S ∪ i) - v(S) over
        uniformly random S not containing i. Bounds and stopping as for ``shapley_sample``."""
        return _run(_native.banzhaf_sample, self.players, self._worth, kind=self.kind,
                    label="Banzhaf value (sampled)", epsilon=epsilon, delta=delta, value_range=value_range,
                    max_rounds=max_rounds, batch=batch, seed=seed, progress=progress)
