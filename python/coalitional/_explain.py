"""Short memo texts that explain an allocation, a settlement or a comparison of rules.

Each ``explain`` returns an :class:`Explanation`: the text itself (a ``str``, ready to paste
into a memo) carrying the data it was written from (``tight_coalitions``,
``largest_marginals``, ``payments``, ...), so that a program or a test can read the facts
instead of the words. The facts come from Rust (the settlement's stability report, the
largest marginal contributions); this module only words them, in English (``lang="en"``) or
simplified Chinese (``lang="zh"``). Every number is shown through Rust's one rounding rule
(``_native.shown_numbers``), so float noise never reaches a memo.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, List, NamedTuple, Optional, Sequence, Tuple

import numpy as np

from . import _coalitional as _native
from ._coalitional import InvalidGame
from ._convert import tag
from ._words import LANGS as LANGS  # re-exported: the languages of the memos
from ._words import RULE_NAMES, parse_lang, rule_name, zh_format, zh_join

if TYPE_CHECKING:  # pragma: no cover
    from ._allocation import Allocation
    from ._game import Game
    from ._settle import Blocking, Payment, Settlement

#: How many tight coalitions a nucleolus memo names at most.
_MAX_NAMED = 6


class Marginal(NamedTuple):
    """What ``player`` adds by joining the coalition ``joins`` (cost games: the cost it adds),
    and ``weight``, the share of joining orders in which it arrives right after exactly
    ``joins`` (its weight in the Shapley value)."""

    player: str
    joins: Tuple[str, ...]
    marginal: float
    weight: float


class Explanation(str):
    """A short memo text (it *is* the ``str``) with the facts it states as attributes:

    - ``lang`` (``"en"`` or ``"zh"``), ``subject`` (``"allocation"``, ``"settlement"`` or
      ``"comparison"``), ``rule`` (the rule's name, e.g. ``"shapley"``, or ``None``);
    - ``in_core`` and ``largest_complaint`` (a :class:`Blocking`: the coalition with the
      largest excess and that excess) for an allocation or a settlement's target;
    - ``tight_coalitions``: the coalitions at the largest excess (nucleolus memos);
    - ``average_marginals`` and ``largest_marginals`` ({player: [Marginal, ...]}, largest
      first; Shapley memos);
    - ``payments`` and ``blocking_today`` (the coalitions that would gain by leaving the
      status quo; settlement memos);
    - ``spread`` ({player: largest share - smallest share across the rules}; differences
      within the game's tolerance count as 0) and ``in_core_rules`` (comparison memos);
    - ``efficient`` (whether the allocation shares out exactly v(N), within the game's
      tolerance) and ``shortfall`` (v(N) minus its total; 0 when efficient).
    """

    lang: str
    subject: str
    rule: Optional[str]
    in_core: Optional[bool]
    largest_complaint: Optional["Blocking"]
    tight_coalitions: Tuple[Tuple[str, ...], ...]
    average_marginals: Dict[str, float]
    largest_marginals: Dict[str, Tuple[Marginal, ...]]
    payments: Tuple["Payment", ...]
    blocking_today: Tuple["Blocking", ...]
    spread: Dict[str, float]
    in_core_rules: Tuple[str, ...]
    efficient: Optional[bool]
    shortfall: float

    def __new__(cls, text: str, **facts: Any) -> "Explanation":
        out = super().__new__(cls, text)
        out.lang = facts.pop("lang", "en")
        out.subject = facts.pop("subject", "allocation")
        out.rule = facts.pop("rule", None)
        out.in_core = facts.pop("in_core", None)
        out.largest_complaint = facts.pop("largest_complaint", None)
        out.tight_coalitions = tuple(facts.pop("tight_coalitions", ()))
        out.average_marginals = dict(facts.pop("average_marginals", {}))
        out.largest_marginals = dict(facts.pop("largest_marginals", {}))
        out.payments = tuple(facts.pop("payments", ()))
        out.blocking_today = tuple(facts.pop("blocking_today", ()))
        out.spread = dict(facts.pop("spread", {}))
        out.in_core_rules = tuple(facts.pop("in_core_rules", ()))
        out.efficient = facts.pop("efficient", None)
        out.shortfall = float(facts.pop("shortfall", 0.0))
        if facts:
            raise TypeError(f"unknown facts: {', '.join(sorted(facts))}")
        return out

    @property
    def text(self) -> str:
        """The memo as a plain ``str``."""
        return str.__str__(self)


def check_lang(lang: Any) -> str:
    """``lang`` as one of :data:`LANGS` (any case); otherwise ``InvalidGame`` (code
    ``invalid_parameter``, name ``lang``). The one parser: :func:`._words.parse_lang`."""
    return parse_lang(lang)


# -- words ----------------------------------------------------------------------------------

#: The names of the rules in Chinese (keyed by the English label an Allocation carries): the
#: shared table, :data:`._words.RULE_NAMES`.
RULE_ZH: Dict[str, str] = RULE_NAMES["zh"]


def rule_words(label: Optional[str], lang: str) -> str:
    """A rule's label as written in ``lang`` (unknown labels as they are)."""
    return rule_name(label, lang)


def coalition_words(members: Sequence[str], lang: str) -> str:
    """``A + B`` (en) or ``{A、B}`` (zh)."""
    if lang == "zh":
        return "{" + "、".join(members) + "}"
    return " + ".join(members)


def _and(items: Sequence[str], lang: str) -> str:
    if lang == "zh":
        return "；".join(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


class _Numbers:
    """Numbers as people see them (Rust's rounding rule): at the game's resolution (its
    tolerance) when known, else all at one scale."""

    def __init__(self, values: Any, resolution: Optional[float] = None) -> None:
        arr = np.asarray(values, dtype=np.float64).ravel()
        arr = arr[np.isfinite(arr)]
        self.scale = float(np.max(np.abs(arr))) if arr.size else 0.0
        self.resolution = resolution

    def __call__(self, x: float) -> str:
        return str(_native.shown_numbers([float(x)], self.scale, self.resolution)[0])


def _scale_of(game: "Game", *vectors: Any) -> _Numbers:
    values = [np.abs(np.asarray(v, dtype=np.float64)) for v in vectors]
    return _Numbers(np.concatenate([np.array([game.values[-1]], dtype=np.float64), *values]),
                    resolution=float(game.tolerance))


def rule_of(label: Optional[str]) -> Optional[str]:
    """The canonical name of the rule whose Allocation label is ``label`` (None if none)."""
    for name in _native.RULES:
        if _native.rule_label(name) == label:
            return str(name)
    return None


# -- allocations ----------------------------------------------------------------------------


def _stability(game: "Game", x: "Allocation", top: int) -> Any:
    return game._core.settle(np.asarray(x, dtype=np.float64), None, top)


def _blocking(b: Any) -> "Blocking":
    from ._settle import Blocking

    return Blocking(tuple(b.members), b.worth, b.allocated, b.excess)


def _complaint_sentence(b: "Blocking", game: "Game", num: _Numbers, lang: str) -> str:
    """What the coalition with the largest excess could do on its own."""
    who = coalition_words(b.members, lang)
    e = b.excess
    cost = game.kind == "cost"
    if lang == "zh":
        if num(e) == "0":
            return f"受益最少的联盟{who}恰好得到其单独行动所能得到的数额，没有人能通过退出获益。"
        if e > 0:
            verb = "少付" if cost else "多得"
            return f"联盟{who}若单独行动可{verb} {num(e)}，因此它有理由提出异议。"
        verb = "少付" if cost else "多得"
        return f"即使是最有理由不满的联盟{who}，也比单独行动{verb} {num(-e)}，没有人能通过退出获益。"
    if num(e) == "0":
        return f"The coalition with the largest complaint, {who}, gets exactly what it could get on its own: no group gains by leaving."
    if e > 0:
        gain = "save" if cost else "gain"
        return f"{who} would {gain} {num(e)} by going its own way, so it has a case to object."
    better = "pays at least" if cost else "gets at least"
    than = "less" if cost else "more"
    return (f"Even the coalition with the most reason to complain, {who}, {better} {num(-e)} {than} "
            f"than on its own: no group gains by leaving.")


def explain_allocation(x: "Allocation", game: "Game", lang: str = "en") -> Explanation:
    """The memo for an allocation of ``game`` (see :meth:`Allocation.explain`)."""
    from ._game import Game

    lang = check_lang(lang)
    if not isinstance(game, Game):
        raise tag(InvalidGame(f"game must be a coalitional Game, not {type(game).__name__}"),
                  "invalid_parameter", name="game")
    if tuple(x.players) != tuple(game.players):
        raise tag(
            InvalidGame("the allocation's players are not the game's players in order"),
            "invalid_parameter",
            name="game",
        )
    rule = rule_of(x.label)
    num = _scale_of(game, x)
    name = rule_words(x.label, lang)
    shortfall = float(game.values[-1]) - float(np.sum(np.asarray(x, dtype=np.float64)))
    efficient = abs(shortfall) <= game.tolerance or num(shortfall) == "0"
    n = game.n
    proper = (1 << n) - 2
    top = proper if n <= 12 else 4 * n
    report = _stability(game, x, top)
    blocking = [_blocking(b) for b in report.blocking]
    facts: Dict[str, Any] = {"lang": lang, "subject": "allocation", "rule": rule, "in_core": report.in_core,
                             "efficient": efficient, "shortfall": 0.0 if efficient else shortfall}
    paragraphs: List[str] = []
    if blocking:
        facts["largest_complaint"] = blocking[0]
    complaint = True  # the nucleolus memo states it in its own words
    if not efficient:
        # Not a split of v(N) (e.g. the raw Banzhaf value): say by how much it falls short or
        # exceeds; stability in the core's sense does not apply.
        paragraphs.append(_inefficient_text(x, game, num, lang, name, shortfall))
        return Explanation(("" if lang == "zh" else " ").join(paragraphs), **facts)
    if rule == "shapley":
        lists = game._core.largest_marginals(2)
        marg = {
            p: tuple(Marginal(m.player, tuple(m.joins), m.marginal, m.weight) for m in lst)
            for p, lst in zip(game.players, lists)
        }
        facts["average_marginals"] = x.to_dict()
        facts["largest_marginals"] = marg
        num = _scale_of(game, x, [m.marginal for lst in marg.values() for m in lst])
        paragraphs.append(_shapley_text(x, game, marg, num, lang))
    elif rule in ("nucleolus", "prenucleolus"):
        tight: List["Blocking"] = []
        if blocking:
            tol = game.tolerance
            tight = [b for b in blocking if b.excess >= blocking[0].excess - tol]
        facts["tight_coalitions"] = tuple(b.members for b in tight)
        paragraphs.append(_nucleolus_text(x, game, tight, num, lang, rule))
        complaint = not tight
    else:
        paragraphs.append(_plain_text(x, game, num, lang, name))
    if blocking and complaint:
        paragraphs.append(_complaint_sentence(blocking[0], game, num, lang))
    if lang == "zh":
        paragraphs.append("该分配" + ("位于核心之内：没有任何联盟能通过退出获益。" if report.in_core else "不在核心之内。"))
    else:
        paragraphs.append("The split is " + ("in the core: no coalition gains by leaving." if report.in_core else "not in the core."))
    return Explanation(("" if lang == "zh" else " ").join(paragraphs), **facts)


def _shares(x: "Allocation", num: _Numbers, lang: str) -> str:
    sep = "，" if lang == "zh" else ", "
    return sep.join(f"{p} {num(v)}" for p, v in zip(x.players, x))


def _plain_text(x: "Allocation", game: "Game", num: _Numbers, lang: str, name: str) -> str:
    total = num(game.values[-1])
    if lang == "zh":
        what = "总成本" if game.kind == "cost" else "合作总收益"
        return zh_format("按{name}，{what} {total} 的分配为：{shares}。", name=name, what=what, total=total,
                         shares=_shares(x, num, lang))
    what = "the total cost" if game.kind == "cost" else "the joint benefit"
    under = f"Under the {name}" if x.label else "Under this split"
    return f"{under}, {what} of {total} is split as follows: {_shares(x, num, lang)}."


def _inefficient_text(x: "Allocation", game: "Game", num: _Numbers, lang: str, name: str, shortfall: float) -> str:
    """An allocation whose total is not v(N): what it gives, and by how much it falls short of
    v(N) or exceeds it (so it is not a split of v(N), and not in the core)."""
    total = num(float(np.sum(np.asarray(x, dtype=np.float64))))
    grand = num(game.values[-1])
    gap = num(abs(shortfall))
    cost = game.kind == "cost"
    if lang == "zh":
        what = "总成本" if cost else "大联盟的收益"
        diff = "少" if shortfall > 0 else "多"
        return zh_format("{name}不是对 v(N) 的分配：{shares}，合计 {total}，比{what} {grand} {diff} {gap}，"
                         "因此它不在核心之内。", name=name, shares=_shares(x, num, lang), total=total, what=what,
                         grand=grand, diff=diff, gap=gap)
    what = "the total cost" if cost else "the worth of the grand coalition"
    diff = "falls short of" if shortfall > 0 else "exceeds"
    subject = f"The {name}" if x.label else "This allocation"
    return (f"{subject} does not share out v(N): it gives {_shares(x, num, lang)}, a total of {total}, which "
            f"{diff} {what}, {grand}, by {gap}. So it is not a split of v(N), and not in the core.")


def _shapley_text(x: "Allocation", game: "Game", marg: Dict[str, Tuple[Marginal, ...]], num: _Numbers, lang: str) -> str:
    cost = game.kind == "cost"
    parts: List[str] = []
    for p, v in zip(x.players, x):
        best = marg[p][0] if marg[p] else None
        if lang == "zh":
            what = "平均边际成本" if cost else "平均边际贡献"
            s = zh_join(p, f"的{what}为 {num(v)}")
            if best is not None:
                where = f"加入联盟{coalition_words(best.joins, lang)}时" if best.joins else "单独行动时"
                verb = "增加的成本最少" if cost else "贡献最大"
                s += f"，{where}{verb}（{num(best.marginal)}）"
            parts.append(s)
        else:
            s = f"{p} {num(v)}"
            if best is not None:
                where = f"joining {coalition_words(best.joins, lang)}" if best.joins else "on its own"
                verb = "adds the least cost" if cost else "adds the most"
                s += f" (it {verb}, {num(best.marginal)}, when {where})"
            parts.append(s)
    if lang == "zh":
        head = "沙普利值按各成员在所有加入顺序中的平均边际贡献分配合作收益。" if not cost else "沙普利值按各成员在所有加入顺序中的平均边际成本分摊总成本。"
        return head + "；".join(parts) + "。"
    head = ("The Shapley value gives each member its average marginal contribution over all orders "
            "in which the members could have joined: ") if not cost else (
            "The Shapley value charges each member its average marginal cost over all orders in "
            "which the members could have joined: ")
    return head + "; ".join(parts) + "."


def _nucleolus_text(x: "Allocation", game: "Game", tight: List["Blocking"], num: _Numbers, lang: str, rule: str) -> str:
    name = rule_words(x.label, lang)
    shares = _shares(x, num, lang)
    cost = game.kind == "cost"
    if not tight:
        return (f"{name}：{shares}。" if lang == "zh" else f"The {name} gives {shares}.")
    e = tight[0].excess
    named = [coalition_words(b.members, lang) for b in tight[:_MAX_NAMED]]
    more = len(tight) - len(named)
    happy = num(e) == "0" or e < 0
    if lang == "zh":
        listing = "、".join("联盟" + c for c in named) + (f"等 {len(tight)} 个联盟" if more > 0 else "")
        what = "多付的数额" if cost else "少得的数额"
        head = (f"{name}（{shares}）使最大超额（不满，即联盟与单独行动相比{what}）尽可能小，"
                "然后是次大的超额，依此类推。")
        if happy:
            better = "少付" if cost else "多得"
            where = (f"最接近不满的是{listing}：它们都恰好比单独行动{better} {num(-e)}，是所有联盟中最少的。"
                     if num(e) != "0" else f"最接近不满的是{listing}：它们恰好得到单独行动所能得到的数额。")
        else:
            where = f"最大超额为 {num(e)}，由{listing}共同承受。"
        return (head + where +
                "任何让其中一个联盟处境更好的调整，都会使另一个联盟的处境同样差或更差，所以没有人能比现在抱怨得更多。")
    listing = _and(named, lang) + (f" and {more} more" if more > 0 else "")
    what = "how much more a coalition pays than on its own" if cost else "how much less a coalition gets than on its own"
    head = (f"The {name} ({shares}) makes the largest complaint ({what}) as small as possible, "
            "then the next largest, and so on. ")
    if happy:
        better = "pays" if cost else "gets"
        than = "less" if cost else "more"
        where = (f"The coalitions closest to complaining are {listing}: each {better} exactly {num(-e)} {than} "
                 "than on its own, the least of any group. " if num(e) != "0" else
                 f"The coalitions closest to complaining are {listing}: each gets exactly what it could get on its own. ")
    else:
        where = f"The largest complaint, {num(e)}, is shared by {listing}. "
    return (head + where + "Any change that favours one of these coalitions leaves another at least as "
            "badly off, so no one can complain more than this.")


# -- settlements ----------------------------------------------------------------------------


def explain_settlement(s: "Settlement", lang: str = "en") -> Explanation:
    """The memo for a settlement (see :meth:`Settlement.explain`)."""
    from ._settle import OUTSIDE

    lang = check_lang(lang)
    game = s.game
    num = _Numbers(np.concatenate([np.asarray(s.status_quo), np.asarray(s.target)]), resolution=float(game.tolerance))
    name = rule_words(s.target.label, lang)
    today = game._core.settle(np.asarray(s.status_quo, dtype=np.float64), None, 3)
    blocking_today = [_blocking(b) for b in today.blocking if b.excess > game.tolerance]
    blocking_today = [b for b in blocking_today if num(b.excess) != "0"]
    outside = "外部" if lang == "zh" else OUTSIDE
    parts: List[str] = []
    if lang == "zh":
        if s.transfers:
            pays = "；".join(zh_format("{a}向{b}支付 {x}", a=outside if p.payer == OUTSIDE else p.payer,
                                       b=outside if p.payee == OUTSIDE else p.payee, x=num(p.amount))
                            for p in s.transfers)
            parts.append(zh_join("从现状过渡到", name, f"需要以下支付：{pays}。"))
        else:
            parts.append(zh_join("现状已经是", name, "，无需支付。"))
        if not s.balanced:
            parts.append(f"现状与目标分配的总额相差 {num(abs(s.gap))}，差额由外部补足（或归外部所有）。")
        if blocking_today:
            who = "、".join(f"{coalition_words(b.members, lang)}（{num(b.excess)}）" for b in blocking_today)
            parts.append(f"若不调整，在现状下以下联盟单独行动会更好：{who}。")
        else:
            parts.append("在现状下没有联盟能通过单独行动获益。")
        parts.append(f"目标分配{'位于' if s.in_core else '不在'}核心之内" + (
            "" if s.individually_rational else zh_join("，且使", "、".join(s.below_standalone), "不如单独行动")) + "。")
    else:
        if s.transfers:
            pays = "; ".join(f"{p.payer} pays {p.payee} {num(p.amount)}" for p in s.transfers)
            to = f"the {name}" if s.target.label else "the target"
            parts.append(f"Moving from the status quo to {to} takes these payments: {pays}.")
        else:
            to = f"the {name}" if s.target.label else "the target"
            parts.append(f"The status quo already is {to}: no payments are needed.")
        if not s.balanced:
            parts.append(f"The totals differ by {num(abs(s.gap))}, settled with {OUTSIDE}.")
        if blocking_today:
            who = _and([f"{coalition_words(b.members, lang)} (by {num(b.excess)})" for b in blocking_today], lang)
            parts.append(f"Without the settlement, these groups would do better on their own than under today's split: {who}.")
        else:
            parts.append("Under today's split no group would do better on its own.")
        parts.append("The target is " + ("in the core" if s.in_core else "not in the core") + (
            "" if s.individually_rational else f" and leaves {', '.join(s.below_standalone)} worse off than alone") + ".")
    if s.blocking:
        parts.append(_complaint_sentence(s.blocking[0], game, num, lang))
    return Explanation(
        " ".join(parts) if lang == "en" else "".join(parts),
        lang=lang,
        subject="settlement",
        rule=rule_of(s.target.label),
        in_core=s.in_core,
        largest_complaint=s.blocking[0] if s.blocking else None,
        payments=s.transfers,
        blocking_today=blocking_today,
    )
