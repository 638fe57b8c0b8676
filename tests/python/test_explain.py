"""explain(): memo texts on allocations, settlements and comparisons, checked through the
facts they carry (computed independently here) rather than their wording."""

import itertools
import math
import pickle
import re

import numpy as np
import pytest

import coalitional as co

CITIES = ["松江", "苏州", "杭州"]
VALUES = [0, 0, 0, 90, 0, 80, 70, 150]


@pytest.fixture
def corridor():
    return co.Game(VALUES, CITIES)


def excesses(values, x, n):
    return {m: values[m] - sum(x[i] for i in range(n) if m >> i & 1) for m in range(1, (1 << n) - 1)}


def members(mask, players):
    return tuple(p for i, p in enumerate(players) if mask >> i & 1)


def test_nucleolus_names_exactly_the_tight_coalitions():
    # The nucleolus of this game is (60, 50, 40): every pair has excess -20, the singletons
    # less, so the three pairs are tight.
    g = co.Game(VALUES, CITIES)
    x = g.nucleolus()
    e = x.explain()
    ex = excesses(VALUES, np.asarray(x), 3)
    top = max(ex.values())
    want = {members(m, CITIES) for m, v in ex.items() if abs(v - top) < 1e-9}
    assert set(e.tight_coalitions) == want and len(want) == 3
    assert e.rule == "nucleolus" and e.in_core is True
    assert e.largest_complaint.excess == pytest.approx(top)
    for coalition in want:
        assert " + ".join(coalition) in e


def test_nucleolus_with_one_tight_coalition():
    # An asymmetric game: the tight set found by brute force is whatever it is, and the memo
    # carries exactly that set.
    values = [0, 1, 2, 10, 0, 6, 5, 12]
    g = co.Game(values, ["a", "b", "c"])
    e = g.nucleolus().explain()
    ex = excesses(values, np.asarray(g.nucleolus()), 3)
    top = max(ex.values())
    want = {members(m, ["a", "b", "c"]) for m, v in ex.items() if abs(v - top) < 1e-9}
    assert set(e.tight_coalitions) == want


def brute_marginals(values, n, i):
    out = []
    for m in range(1 << n):
        if not m >> i & 1:
            out.append((values[m | 1 << i] - values[m], m))
    return out


def test_shapley_memo_carries_the_largest_marginal_contributions(corridor):
    x = corridor.shapley()
    e = x.explain()
    assert e.rule == "shapley"
    assert e.average_marginals == pytest.approx(x.to_dict())
    for i, p in enumerate(CITIES):
        best = max(v for v, _ in brute_marginals(VALUES, 3, i))
        got = e.largest_marginals[p]
        assert got[0].marginal == pytest.approx(best)
        mask = sum(1 << CITIES.index(q) for q in got[0].joins)
        assert VALUES[mask | 1 << i] - VALUES[mask] == pytest.approx(best)
        assert got[0].player == p
    # Songjiang adds most (90) by joining Suzhou; the memo says so.
    assert e.largest_marginals["松江"][0].joins == ("苏州",)
    assert "90" in e


def test_weights_of_the_marginals_rebuild_the_shapley_value():
    values = [0, 3, 1, 7, 2, 6, 4, 12]
    g = co.Game(values, ["a", "b", "c"])
    core = g._core.largest_marginals(4)  # every coalition of the other two players
    for i, lst in enumerate(core):
        assert len(lst) == 4
        phi = sum(m.weight * m.marginal for m in lst)
        assert phi == pytest.approx(float(g.shapley()[i]))
        weights = sorted(m.weight for m in lst)
        assert weights == pytest.approx(sorted(
            math.factorial(len(m.joins)) * math.factorial(2 - len(m.joins)) / 6 for m in lst))


def test_zh_memo_has_the_chinese_names_and_no_float_noise():
    g = co.Game([0, 0, 0, 1, 0, 1, 1, 1], CITIES)  # majority game: shares of 1/3
    for x in (g.shapley(), g.nucleolus()):
        zh = x.explain("zh")
        assert zh.lang == "zh"
        for p in CITIES:
            assert p in zh
        assert ("沙普利值" in zh) if x.label == "Shapley value" else ("核仁" in zh)
        assert not re.search(r"\d\.\d{11,}", zh), zh  # no 0.33333333333333331
        assert "0.333333333" in zh
        assert "联盟" in zh
    assert "边际贡献" in g.shapley().explain("zh")


def test_unknown_lang_is_a_typed_error(corridor):
    for call in (lambda: corridor.shapley().explain("fr"),
                 lambda: co.settle(corridor, "shapley").explain(lang="de"),
                 lambda: co.compare(corridor, rules=["shapley"]).explain(lang=None)):
        with pytest.raises(co.InvalidGame) as info:
            call()
        assert info.value.code == "invalid_parameter" and info.value.name == "lang"


def test_allocations_without_a_game_need_one(corridor):
    x = co.Allocation([55, 50, 45], CITIES, label="Shapley value")
    with pytest.raises(co.InvalidGame) as info:
        x.explain()
    assert info.value.name == "game"
    e = x.explain(game=corridor)
    assert e.rule == "shapley"
    # Arithmetic makes a new allocation with no game; pickling leaves the game behind.
    with pytest.raises(co.InvalidGame):
        (corridor.shapley() * 1.0).explain()
    back = pickle.loads(pickle.dumps(corridor.shapley()))
    assert back == corridor.shapley() and back.label == "Shapley value"
    assert back.explain(game=corridor) == corridor.shapley().explain()


def test_other_rules_get_a_stability_memo(corridor):
    x = corridor.tau_value()
    e = x.explain()
    ex = excesses(VALUES, np.asarray(x), 3)
    assert e.largest_complaint.excess == pytest.approx(max(ex.values()))
    assert e.in_core == corridor.in_core(x)
    assert e.tight_coalitions == ()


def test_settlement_memo_lists_payments_and_blocking_coalitions(corridor):
    sq = {"松江": 100, "苏州": 30, "杭州": 20}
    s = co.settle(corridor, "nucleolus", status_quo=sq)
    e = s.explain()
    assert e.payments == tuple(s.transfers)
    for p in s.transfers:
        assert p.payer in e and p.payee in e
    # Under the status quo, {苏州, 杭州} gets 50 but could make 70 alone: it would block.
    ex = excesses(VALUES, [100, 30, 20], 3)
    want = {members(m, CITIES) for m, v in ex.items() if v > 1e-9}
    assert {b.members for b in e.blocking_today} == want
    assert ("苏州", "杭州") in want
    zh = s.explain("zh")
    assert "支付" in zh and "苏州" in zh and "{苏州、杭州}" in zh
    assert zh.payments == e.payments


def test_cost_game_memo_speaks_of_costs():
    g = co.airport([10, 20, 30], ["a", "b", "c"])
    dense = g if isinstance(g, co.Game) else co.Game(np.asarray(g.values), ["a", "b", "c"], kind="cost")
    e = dense.shapley().explain()
    assert "cost" in e
    for p, lst in e.largest_marginals.items():
        # cost games: the smallest marginal cost first
        i = ["a", "b", "c"].index(p)
        assert lst[0].marginal == pytest.approx(min(v for v, _ in brute_marginals(dense.values, 3, i)))


def test_explanation_is_a_str(corridor):
    e = corridor.shapley().explain()
    assert isinstance(e, str) and e.text == str(e)
    assert all(isinstance(k, str) for k in itertools.chain(e.largest_marginals))


def test_raw_banzhaf_memo_says_it_does_not_share_out_v_n():
    g = co.Game.from_function(["北京", "上海", "广州"], lambda S: {0: 0, 1: 1, 2: 4, 3: 10}[len(S)] + 0.5 * ("北京" in S))
    e = g.banzhaf().explain()
    assert e.efficient is False and abs(e.shortfall - 0.25) < 1e-9
    assert "no group gains" not in e
    zh = g.banzhaf().explain(lang="ZH")
    assert zh.lang == "zh" and "班扎夫值" in zh
    assert "边际向量" in g.marginal_vector(["广州", "上海", "北京"]).explain(lang="zh")
    hand = co.Allocation([3.0, 3.0, 4.5], g.players)
    assert "the this" not in hand.explain(game=g)
    assert g.shapley().explain().efficient is True


def test_chinese_spacing_and_terms():
    from coalitional import _words, plot

    assert _words.zh_join("按", "τ 值") == "按 τ 值"
    assert _words.zh_format("{a}向{b}支付 {x}", a="Hangzhou", b="Songjiang", x="2") == "Hangzhou 向 Songjiang 支付 2"
    assert _words.zh_format("{a}向{b}支付", a="北京", b="城市0").startswith("北京向城市0")  # names intact
    assert plot.TEXT["zh"]["least core"] == _words.RULE_NAMES["zh"]["least core"] == "最小核心分配"
    from coalitional._explain import RULE_ZH

    assert RULE_ZH is _words.RULE_NAMES["zh"]
    g = co.Game.from_function(["A", "B", "C"], lambda S: len(S) ** 2)
    nu = g.nucleolus().explain(lang="zh")
    assert "同样差或更差" in nu and "超额" in nu
