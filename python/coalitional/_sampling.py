"""Sampling estimates of the Shapley and Banzhaf values with error bounds: the Python side
of ``coalitional``'s Rust sampler (which proposes coalitions; anything can evaluate them)."""

from __future__ import annotations

import html
import importlib
import math
from typing import Any, Callable, Literal, Optional, Sequence, Tuple

import numpy as np

from . import _coalitional as _native
from ._allocation import Allocation, _Kind
from ._convert import MAX_BATCH_COALITIONS, count, real_number, seed_value


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
    ``converged`` says whether every half-width reached ``epsilon``.
    """

    def __init__(self, values: Allocation, std_errors: np.ndarray, half_widths: np.ndarray, samples: int,
                 evaluations: int, converged: bool, *, epsilon: float, delta: float, bound: str, method: str,
                 seed: int) -> None:
        self.values = values
        self.std_errors = np.asarray(std_errors, dtype=float)
        self.half_widths = np.asarray(half_widths, dtype=float)
        self.samples = int(samples)
        self.evaluations = int(evaluations)
        self.converged = bool(converged)
        self.epsilon, self.delta, self.bound, self.method, self.seed = epsilon, delta, bound, method, seed

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

    def _summary(self) -> str:
        state = "converged" if self.converged else "NOT converged"
        return (f"{self.values.label}: {self.method} sampling, {self.samples} samples, {self.evaluations} "
                f"evaluations, {self.bound} bound, {100 * (1 - self.delta):.4g}% simultaneous intervals, "
                f"epsilon {self.epsilon:g} ({state})")

    def __repr__(self) -> str:
        rows = [f"  {p}: {v:.6g} ± {h:.3g}" for p, v, h in zip(self.values.players, self.values, self.half_widths)]
        return "\n".join([f"Estimate: {self._summary()}", *rows])

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{html.escape(p)}</td><td>{v:.6g}</td><td>± {h:.3g}</td></tr>"
            for p, v, h in zip(self.values.players, self.values, self.half_widths)
        )
        return (f"<table><caption>{html.escape(self._summary())}</caption><thead><tr><th>player</th>"
                f"<th>estimate</th><th>half-width</th></tr></thead><tbody>{rows}</tbody></table>")


def _progress(enabled: bool, total: Optional[int]) -> Any:
    if not enabled:
        return None
    try:
        tqdm = importlib.import_module("tqdm.auto").tqdm
    except ImportError:
        raise ImportError("progress=True needs tqdm: pip install tqdm") from None
    return tqdm(total=total, unit="round")


def run_sampler(players: Sequence[str], kind: _Kind, evaluate: Callable[[np.ndarray], np.ndarray], *, method: str,
                epsilon: float, delta: float, value_range: Optional[float], max_rounds: int, batch: Optional[int],
                seed: int, progress: bool, label: str) -> Estimate:
    """Drives the Rust sampler: propose coalitions, evaluate them with ``evaluate`` (masks ->
    values), feed them back, until the stopping rule holds. The same loop as Rust's
    ``solution::sampling::sample`` (same checks, same ``delta_k``, so the same seed gives the
    same estimate): Hoeffding draws ``hoeffding_rounds`` rounds (at most ``max_rounds``);
    empirical Bernstein checks after ``checkpoint(k)`` rounds with ``check_delta(delta, k)``
    and stops at the first check where every half-width is at most ``epsilon``, or at
    ``max_rounds``. A KeyboardInterrupt (Ctrl-C) propagates between batches: the sampler never
    sees a partial batch."""
    epsilon = real_number(epsilon, "epsilon")
    delta = real_number(delta, "delta")
    if not (epsilon > 0 and math.isfinite(epsilon)):
        raise _native.InvalidGame(f"invalid epsilon: {epsilon}; it must be a positive number")
    if not 0 < delta < 1:
        raise _native.InvalidGame(f"invalid delta: {delta}; it must lie strictly between 0 and 1")
    if value_range is not None:
        value_range = real_number(value_range, "value_range")
        if not (value_range > 0 and math.isfinite(value_range)):
            raise _native.InvalidGame(f"invalid value_range: {value_range}; it must be a positive number")
    max_rounds = count(max_rounds, "max_rounds", minimum=1)  # at least one round to estimate anything
    batch = None if batch is None else count(batch, "batch", minimum=1)
    n = len(players)
    sampler = _native.SamplerCore(n, method, seed_value(seed))
    bound = "empirical-bernstein" if value_range is None else "hoeffding"
    target = None
    if value_range is not None:
        target = min(max_rounds, _native.hoeffding_rounds(n, method, epsilon, delta, float(value_range)))
    # How the rounds are split into batches changes no draw; a batch holds at most 2**24 coalitions.
    per_round = sampler.coalitions_per_round()
    per_batch = min(batch if batch is not None else max(1, 4096 // per_round), max(1, MAX_BATCH_COALITIONS // per_round))
    bar = _progress(progress, target)
    rounds = 0

    def advance(upto: int) -> None:
        nonlocal rounds
        while rounds < upto:
            now = min(per_batch, upto - rounds)
            masks = sampler.propose(now)
            values = np.asarray(evaluate(masks), dtype=np.float64)
            sampler.feed(values)
            rounds += now
            if bar is not None:
                bar.update(now)

    try:
        if value_range is not None and target is not None:
            advance(target)
            vals, se, half, samples, evaluations = sampler.estimate(delta, float(value_range))
        else:
            k = 1
            while True:
                advance(min(_native.SamplerCore.checkpoint(k), max_rounds))
                vals, se, half, samples, evaluations = sampler.estimate(_native.SamplerCore.check_delta(delta, k))
                if bool(np.all(half <= epsilon)) or rounds >= max_rounds:
                    break
                k += 1
    finally:
        if bar is not None:
            bar.close()
    allocation = Allocation(vals, tuple(players), label=label, kind=kind)
    converged = bool(np.all(half <= epsilon))
    return Estimate(allocation, se, half, samples, evaluations, converged, epsilon=epsilon, delta=delta,
                    bound=bound, method=method, seed=seed)


class SamplingMixin:
    """``shapley_sample`` and ``banzhaf_sample`` for anything with ``players``, ``kind`` and
    ``_evaluate(masks) -> values``."""

    __slots__ = ()

    @property
    def players(self) -> Tuple[str, ...]:
        raise NotImplementedError

    @property
    def kind(self) -> _Kind:
        raise NotImplementedError

    def _evaluate(self, masks: np.ndarray) -> np.ndarray:
        raise NotImplementedError

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
        time. ``seed`` reproduces a run; ``progress=True`` shows a tqdm bar.
        """
        if method not in ("permutation", "stratified"):
            raise _native.InvalidGame(f"invalid method: {method!r}; use 'permutation' or 'stratified'")
        return run_sampler(self.players, self.kind, self._evaluate, method=method, epsilon=epsilon, delta=delta,
                           value_range=value_range, max_rounds=max_rounds, batch=batch, seed=seed,
                           progress=progress, label="Shapley value (sampled)")

    def banzhaf_sample(self, epsilon: float = 0.01, delta: float = 0.05, *, value_range: Optional[float] = None,
                       max_rounds: int = 1_000_000, batch: Optional[int] = None, seed: int = 0,
                       progress: bool = False) -> Estimate:
        """A sampling estimate of the raw Banzhaf value: the mean of v(S ∪ i) - v(S) over
        uniformly random S not containing i. Bounds and stopping as for ``shapley_sample``."""
        return run_sampler(self.players, self.kind, self._evaluate, method="banzhaf", epsilon=epsilon, delta=delta,
                           value_range=value_range, max_rounds=max_rounds, batch=batch, seed=seed,
                           progress=progress, label="Banzhaf value (sampled)")
