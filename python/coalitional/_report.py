"""The data of the benefit-sharing report (``coalitional report``), one independent section at a
time: a section that is out of reach for the game's size is skipped up front, one that fails
says why, and the rest of the report is still computed.

What decides the plan:

- **Sizes.** Sections that need all ``2**n`` values and linear programs (nucleolus, tau value,
  core, least core, cost of stability, properties, settlement) run up to ``max_dense`` players
  (``DENSE_PLAYERS`` by default: 128 MiB of values, each section well under a second); core
  vertices up to ``CORE_VERTEX_PLAYERS``; the 3**n superadditivity check up to
  ``SUPERADDITIVE_PLAYERS``.
- **Structured classes** (weighted voting, claims, airport, assignment) beyond that size still
  give what scales: a class's own method (e.g. the Shapley–Shubik index by counting, the
  Littlechild–Owen airport formula, the Talmud rule as the nucleolus of a claims game,
  Littlechild's airport nucleolus and least core, the assignment game's nucleolus and least
  core over its essential coalitions), else a
  sampling estimate (``shapley_sample`` / ``banzhaf_sample``) with its stated intervals. Each
  section records the method it used.

The rules side by side (``data["comparison"]``) come from :func:`co.compare <._compare.compare>`
with the same status quo, and the explanation (``data["explanation"]``) from ``explain(lang=...)``
on the target allocation, the settlement and the comparison; both need the dense game.

Every section's outcome is in ``data["sections"][name]``: ``status`` (``"done"``,
``"undefined"`` for a solution the game does not have, ``"skipped"``, ``"failed"``), ``method``
and ``reason``; ``data["skipped"]`` lists the sections not done, with their reasons.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Optional, Tuple, TypeVar, Union, cast

import numpy as np

from ._allocation import Allocation
from ._classes import ClaimsGame, StructuredGame, WeightedVotingGame
from ._coalitional import GameError, UndefinedSolution
from ._compare import Comparison, compare, failure_reason_zh
from ._explain import check_lang
from ._game import Game
from ._sampling import Estimate
from ._settle import Settlement, _RuleName, coalition_label, settle
from ._words import FAILURE_ZH

#: Players up to which the report runs the sections that need all 2**n values.
DENSE_PLAYERS = 24
#: Players up to which core vertices are enumerated (the library's own limit).
CORE_VERTEX_PLAYERS = 8
#: Players up to which superadditivity (3**n pairs) is checked (the library's own limit).
SUPERADDITIVE_PLAYERS = 20
#: Players up to which the samplers (64-bit coalition masks) and worths of a class work.
MASK_PLAYERS = 64
#: Rounds of the samplers at most (``--samples``), and the target precision relative to the
#: scale of the game (the largest of |v(N)| and the |v({i})|).
SAMPLE_ROUNDS = 5_000
SAMPLE_PRECISION = 1e-3

_T = TypeVar("_T")


class _Why(str):
    """A reason (English, the ``str``) with its Chinese wording, ``zh``."""

    zh: str

    def __new__(cls, en: str, zh: str) -> "_Why":
        out = super().__new__(cls, en)
        out.zh = zh
        return out


class Sections:
    """Runs the report's sections, each on its own, and records how each went. With
    ``lang="zh"`` each reason also gets ``reason_local``, its Chinese wording (the English
    ``reason`` stays)."""

    def __init__(self, lang: str = "en", game: Optional[Game] = None) -> None:
        self.info: Dict[str, Dict[str, Any]] = {}
        self.lang = lang
        self.game = game

    def skip(self, name: str, reason: str) -> None:
        self.info[name] = {"status": "skipped", "method": None, "reason": str(reason)}
        if self.lang == "zh":
            self.info[name]["reason_local"] = getattr(reason, "zh", None) or str(reason)

    def _local(self, name: str, exc: BaseException) -> None:
        if self.lang != "zh":
            return
        rule = {"tau_value": "tau"}.get(name, name)
        if self.game is not None and isinstance(exc, GameError):
            why = failure_reason_zh(self.game, rule, exc).split("：", 1)[-1]
        else:
            why = FAILURE_ZH.get(str(getattr(exc, "code", None)), "计算失败")
        self.info[name]["reason_local"] = why

    def run(self, name: str, compute: Callable[[], _T], method: Optional[str] = None,
            skip: Optional[str] = None) -> Optional[_T]:
        """``compute()``, or None when ``skip`` gives a reason not to run it, or when it raises
        a library error (``UndefinedSolution``: the game has no such solution)."""
        if skip is not None:
            self.skip(name, skip)
            return None
        try:
            value = compute()
        except UndefinedSolution as exc:
            self.info[name] = {"status": "undefined", "method": method, "reason": str(exc)}
            self._local(name, exc)
            return None
        except (GameError, MemoryError) as exc:
            self.info[name] = {"status": "failed", "method": method, "reason": f"{type(exc).__name__}: {exc}",
                               "code": getattr(exc, "code", None)}
            self._local(name, exc)
            return None
        self.info[name] = {"status": "done", "method": method, "reason": None}
        return value

    def skipped(self) -> List[Dict[str, Any]]:
        return [{"section": k, "status": v["status"], "reason": v["reason"]}
                for k, v in self.info.items() if v["status"] != "done"]


def _own(game: Game, method: str) -> bool:
    """Whether ``game``'s class answers ``method`` itself (without the dense game)."""
    return isinstance(game, StructuredGame) and getattr(type(game), method) is not getattr(Game, method)


_WHAT_ZH = {
    "needs all 2^n coalition values": "需要全部 2^n 个联盟值",
    "core vertices are enumerated": "需要枚举核心顶点",
    "the 3^n check": "超可加性检验需要 3^n 次比较",
    "worths of single coalitions of a class": "需要由类参数计算单个联盟的值",
}


def _too_large(n: int, limit: int, what: str) -> Optional[str]:
    if n <= limit:
        return None
    return _Why(f"{what}: {n} players is beyond the report's limit of {limit}",
                f"{_WHAT_ZH.get(what, what)}：{n} 个成员超出报告的上限 {limit}")


def _dense_reason(game: Game, max_dense: int) -> Optional[str]:
    reason = _too_large(game.n, max_dense, "needs all 2^n coalition values")
    return None if reason is None else _Why(reason + " (--max-dense)", getattr(reason, "zh") + "（--max-dense）")


def _worths(game: Game) -> Tuple[float, List[float]]:
    """v(N) and the standalone values v({i}), without the dense game for a class."""
    n = game.n
    if isinstance(game, StructuredGame):
        masks = np.array([1 << i for i in range(n)] + [(1 << n) - 1], dtype=np.uint64)
        w = [float(x) for x in game._evaluate(masks)]
        return w[-1], w[:-1]
    return float(game.values[-1]), [float(game.values[1 << i]) for i in range(n)]


def _sampled(estimate: Estimate, what: str) -> Tuple[Allocation, str, Dict[str, Any]]:
    kind = "permutation orders" if what == "shapley" else "random coalitions"
    conf = f"{100 * (1 - estimate.delta):g}%"
    method = (f"sampling estimate ({kind}, {estimate.samples} rounds, seed {estimate.seed}; {conf} intervals for "
              f"all players at once, {estimate.bound} bound{'' if estimate.converged else ', not converged'})")
    extra = {"half_widths": [float(h) for h in estimate.half_widths], "delta": estimate.delta,
             "samples": estimate.samples, "seed": estimate.seed, "bound": estimate.bound,
             "converged": estimate.converged}
    return estimate.values, method, extra


def _value_plan(game: Game, which: str, dense: bool, sampling: Dict[str, Any]) -> Tuple[
        Optional[str], Optional[str], Callable[[], Any]]:
    """(skip reason, method, compute) for the Shapley or raw Banzhaf value."""
    exact = game.shapley if which == "shapley" else game.banzhaf
    if not isinstance(game, StructuredGame):
        return None, "exact, from the 2^n values", exact
    if _own(game, which):
        return None, f"exact, by the {type(game).__name__} formula (no 2^n values)", exact
    if dense:
        return None, "exact, from the 2^n values built from the class parameters", exact
    if game.n > MASK_PLAYERS:
        return _Why(f"no exact formula for this class at {game.n} players, and sampling takes at most {MASK_PLAYERS}",
                    f"此类博弈在 {game.n} 个成员时没有精确公式，而抽样最多支持 {MASK_PLAYERS} 个成员"), None, exact
    sample = game.shapley_sample if which == "shapley" else game.banzhaf_sample
    return None, "sampling", lambda: sample(**sampling)


def _is_zero_one(game: Game) -> bool:
    """Are all worths 0 or 1 (a candidate simple game; ``power_indices`` checks the rest)?"""
    values = np.asarray(game.values)
    return bool(np.all((values == 0) | (values == 1))) and float(values[-1]) == 1.0


def summary(game: Game, rule: Optional[str] = None, status_quo: Optional[Dict[str, float]] = None, top: int = 5,
            *, max_dense: int = DENSE_PLAYERS, seed: int = 0, samples: int = SAMPLE_ROUNDS,
            lang: str = "en") -> Dict[str, Any]:
    """The report as plain data (full floats): players, standalone values, Shapley, Banzhaf,
    nucleolus, tau value, for simple games the Johnston, Deegan-Packel and Holler indices,
    stability, properties, core vertices, the rules side by side
    (``comparison``), the settlement to ``rule`` from ``status_quo`` (none given: the target
    allocation and its stability, no payments) and its ``explanation`` in ``lang`` (``"en"`` or
    ``"zh"``; keys stay English), with ``sections`` and ``skipped`` saying how each part was
    computed or why it is missing."""
    lang = check_lang(lang)
    sec = Sections(lang, game)
    n = game.n
    dense_why = _dense_reason(game, max_dense)
    dense = dense_why is None
    worths = sec.run("values", lambda: _worths(game), "the class parameters" if isinstance(game, StructuredGame)
                     else "the 2^n values",
                     skip=_too_large(n, MASK_PLAYERS, "worths of single coalitions of a class")
                     if isinstance(game, StructuredGame) else None)
    grand, standalone = worths if worths is not None else (None, None)
    scale = max([abs(grand or 0.0), *(abs(x) for x in standalone or [])]) or 1.0
    sampling = {"epsilon": SAMPLE_PRECISION * scale, "max_rounds": samples, "seed": seed}

    def value(which: str, name: str) -> Optional[Allocation]:
        why, method, compute = _value_plan(game, which, dense, sampling)
        result = sec.run(name, compute, method, skip=why)
        if isinstance(result, Estimate):
            alloc, method, extra = _sampled(result, which)
            sec.info[name].update(method=method, **extra)
            return alloc
        return cast(Optional[Allocation], result)

    phi = value("shapley", "shapley")
    banzhaf = value("banzhaf", "banzhaf")
    normalized_why = None if dense or _own(game, "banzhaf") else _Why("normalised from exact raw values only",
                                                                       "只能由精确的原始值归一化")
    normalized = sec.run("banzhaf_normalized", lambda: game.banzhaf(normalized=True),
                         sec.info["banzhaf"]["method"], skip=normalized_why)

    nu_method = "exact (linear programs, checked by Kohlberg's criterion)"
    nu_compute: Callable[[], Allocation] = game.nucleolus
    nu_skip = dense_why
    if not dense and isinstance(game, ClaimsGame):
        nu_method, nu_compute, nu_skip = ("the Talmud rule, which is the nucleolus of a claims game "
                                          "(Aumann and Maschler 1985)"), game.talmud, None
    elif not dense and _own(game, "nucleolus"):
        nu_method = getattr(game, "_NUCLEOLUS_METHOD", "") or f"by the {type(game).__name__} method (no 2^n values)"
        nu_skip = None
    nucleolus = sec.run("nucleolus", nu_compute, nu_method, skip=nu_skip)
    tau = sec.run("tau_value", game.tau_value, "exact", skip=None if dense or _own(game, "tau_value") else dense_why)

    def stability(name: str, method: str) -> Any:
        how = "linear program with constraint generation"
        if not dense and method == "least_core" and _own(game, method):
            how = getattr(game, "_LEAST_CORE_METHOD", "") or how
        return sec.run(name, getattr(game, method), how, skip=None if dense or _own(game, method) else dense_why)

    core_is_empty = stability("core", "core_is_empty")
    least_core = stability("least_core", "least_core")
    cost_of_stability = stability("cost_of_stability", "cost_of_stability")
    vertices = sec.run("core_vertices", game.core_vertices, "exact enumeration",
                       skip=dense_why or _too_large(n, CORE_VERTEX_PLAYERS, "core vertices are enumerated"))

    # Voting power beyond Shapley-Shubik and Banzhaf, for simple games only (weighted voting
    # by exact counts without 2^n values; a dense game whose worths are all 0 or 1).
    power = None
    if isinstance(game, WeightedVotingGame) or (dense and isinstance(game, Game) and _is_zero_one(game)):
        method = ("exact counts by dynamic programming over the weights"
                  if isinstance(game, WeightedVotingGame) else "exact counts over the 2^n coalitions")
        power = sec.run("power_indices", game.power_indices, method)
    properties = _properties(game, sec, dense_why, lang)
    comparison = sec.run("comparison", lambda: compare(game, status_quo=status_quo),
                         "co.compare: each rule and its stability report", skip=dense_why)
    known: Dict[str, Optional[Allocation]] = {"shapley": phi, "nucleolus": nucleolus, "tau": tau}
    settled_to = sec.run("settlement", lambda: _settle_to(game, rule, status_quo, top, known),
                         skip=dense_why or (_Why("a settlement needs at least two players", "结算至少需要两个成员")
                                            if n < 2 else None))
    settled = None if settled_to is None else settled_to[1]
    if settled is not None:
        sec.info["settlement"]["method"] = settled["target"]["label"]
    explanation = sec.run("explanation", lambda: _explanation(game, settled_to, status_quo, comparison, lang),
                          f"explain(lang={lang!r})",
                          skip=None if settled_to is not None or comparison is not None
                          else _Why("nothing to explain: the settlement and the comparison are missing ("
                                    + str(sec.info["comparison"]["reason"]) + ")",
                                    "没有可说明的内容：结算与各规则比较均缺失（"
                                    + str(sec.info["comparison"].get("reason_local") or "") + "）"))

    def listed(a: Any) -> Optional[List[float]]:
        return None if a is None else [float(x) for x in a]

    return {
        "metadata": dict(game.metadata),
        "kind": game.kind,
        "players": list(game.players),
        "grand_coalition_value": grand,
        "standalone": standalone,
        "shapley": listed(phi),
        "banzhaf": listed(banzhaf),
        "banzhaf_normalized": listed(normalized),
        "nucleolus": listed(nucleolus),
        "tau_value": listed(tau),
        "johnston": None if power is None else listed(power["johnston"]),
        "deegan_packel": None if power is None else listed(power["deegan_packel"]),
        "holler": None if power is None else listed(power["holler"]),
        "stability": {
            "core_is_empty": core_is_empty,
            "least_core_epsilon": None if least_core is None else float(least_core.epsilon),
            "cost_of_stability": cost_of_stability,
        },
        "properties": properties,
        "core_vertices": None if vertices is None else [listed(v) for v in np.asarray(vertices)],
        "settlement": settled,
        "comparison": None if comparison is None else comparison_data(comparison, lang),
        "lang": lang,
        "explanation": explanation,
        "sections": sec.info,
        "skipped": sec.skipped(),
        "limits": {"dense_players": max_dense, "core_vertex_players": CORE_VERTEX_PLAYERS,
                   "superadditive_players": SUPERADDITIVE_PLAYERS},
    }


def _properties(game: Game, sec: Sections, dense_why: Optional[str], lang: str = "en") -> Dict[str, Optional[bool]]:
    """Each property checked on its own; None when not checked (the reasons go to the section)."""
    out: Dict[str, Optional[bool]] = {}
    reasons: List[Tuple[str, str]] = []
    local: List[Tuple[str, str]] = []
    for name, method in [("superadditive", "is_superadditive"), ("convex", "is_convex"),
                         ("monotone", "is_monotone"), ("essential", "is_essential")]:
        limit = _too_large(game.n, SUPERADDITIVE_PLAYERS, "the 3^n check") if name == "superadditive" else None
        probe = Sections(lang, game)
        out[name] = probe.run(name, getattr(game, method), skip=dense_why or limit)
        if probe.info[name]["status"] != "done":
            reasons.append((name, probe.info[name]["reason"]))
            local.append((name, probe.info[name].get("reason_local") or probe.info[name]["reason"]))
    done = any(v is not None for v in out.values())
    sec.info["properties"] = {"status": "done" if done else "skipped", "method": None,
                              "reason": _joined(reasons)}
    if lang == "zh":
        sec.info["properties"]["reason_local"] = _joined(local)
    return out


def _joined(reasons: List[Tuple[str, str]]) -> Optional[str]:
    """The reasons of unchecked properties: one when all agree, else each named."""
    if not reasons:
        return None
    if len({r for _, r in reasons}) == 1:
        return reasons[0][1]
    return "; ".join(f"{name}: {r}" for name, r in reasons)


def settlement(
    game: Game,
    rule: Optional[str],
    status_quo: Optional[Dict[str, float]],
    top: int = 5,
    known: Optional[Dict[str, Optional[Allocation]]] = None,
) -> Dict[str, Any]:
    """The settlement part of the report: to ``rule`` (default: the nucleolus, or the Shapley
    value when the nucleolus is undefined or could not be computed) from ``status_quo``.
    Without a status quo there is nothing to pay: the part shows the target allocation and its
    stability, with ``status_quo``, ``net_transfers`` and ``gap`` None and no payments.
    ``known`` holds rule allocations already computed, which are not computed again."""
    return _settle_to(game, rule, status_quo, top, known)[1]


def _settle_to(
    game: Game,
    rule: Optional[str],
    status_quo: Optional[Dict[str, float]],
    top: int = 5,
    known: Optional[Dict[str, Optional[Allocation]]] = None,
) -> Tuple[Settlement, Dict[str, Any]]:
    """:func:`settlement`, with the :class:`Settlement` it was written from."""

    def target(name: str) -> Union[Allocation, _RuleName]:
        found = (known or {}).get(name)
        return cast(_RuleName, name) if found is None else found

    note = None
    chosen = rule or "nucleolus"
    try:
        s = settle(game, target(chosen), status_quo, top=top)
    except GameError as exc:
        if rule is not None:
            raise
        what = "undefined" if isinstance(exc, UndefinedSolution) else "not available"
        note = f"the nucleolus is {what} ({exc}); settling to the Shapley value instead"
        chosen = "shapley"
        s = settle(game, target(chosen), status_quo, top=top)
    data = s.to_dict()
    data["rule"] = chosen
    data["note"] = note
    if status_quo is None:
        data.update(status_quo_source=None, status_quo=None, net_transfers=None, gap=None, payments=[])
    else:
        data["status_quo_source"] = "given"
    return s, data


def _explanation(game: Game, settled: Optional[Tuple[Settlement, Dict[str, Any]]],
                 status_quo: Optional[Dict[str, float]], comparison: Optional[Comparison],
                 lang: str) -> Dict[str, Any]:
    """The memos of the report in ``lang``: why the target allocation is what it is, how to
    reach it from the status quo (with one), and what the comparison of rules shows."""
    out: Dict[str, Any] = {"allocation": None, "settlement": None, "comparison": None}
    if settled is not None:
        s = settled[0]
        out["allocation"] = str(s.target.explain(lang, game=game))
        if status_quo is not None:
            out["settlement"] = str(s.explain(lang))
    if comparison is not None:
        out["comparison"] = str(comparison.explain(lang))
    return out


def comparison_data(c: Comparison, lang: str = "en") -> Dict[str, Any]:
    """A :class:`Comparison` as plain data (full floats; ``None`` where a rule failed):
    ``rules``, ``labels``, ``shares`` ({rule: {player: share}}), ``in_core``,
    ``largest_complaint`` ({rule: members, coalition, worth, allocated, excess}),
    ``status_quo`` and ``changes`` ({rule: {player: share - status quo}}; ``None`` without a
    status quo) and ``failures`` ({rule: code, error, reason}; with ``lang="zh"`` also
    ``reason_local``, the reason in Chinese)."""
    players = list(c.game.players)

    def by_player(values: Any) -> Dict[str, float]:
        return {p: float(v) for p, v in zip(players, values)}

    complaints: Dict[str, Any] = {}
    for r in c.rules:
        b = c.largest_complaint.get(r)
        complaints[r] = None if b is None else {
            "members": list(b.members), "coalition": coalition_label(players, b.members),
            "worth": float(b.worth), "allocated": float(b.allocated), "excess": float(b.excess)}
    return {
        "rules": list(c.rules),
        "labels": dict(c.labels),
        "shares": {r: by_player(c.allocations[r]) if r in c.allocations else None for r in c.rules},
        "in_core": {r: c.in_core.get(r) for r in c.rules},
        "largest_complaint": complaints,
        "status_quo": None if c.status_quo is None else by_player(c.status_quo),
        "changes": None if c.status_quo is None else {
            r: by_player(c.changes[r]) if r in c.changes else None for r in c.rules},
        "failures": {r: {"code": getattr(e, "code", None), "error": type(e).__name__,
                         "reason": getattr(e, "reason", None) or str(e),
                         **({"reason_local": failure_reason_zh(c.game, r, e).split("：", 1)[-1]}
                            if lang == "zh" else {})} for r, e in c.failures.items()},
    }
