"""One display rule from the game's tolerance: every view of a game shows the same digits.

The game: three cities with budgets of 1e8 each and a surplus of 2 when all three cooperate
(cost game), so the nucleolus and the Shapley value charge each 1e8 - 2/3; written by hand.
"""

import itertools
import re

import pytest

import coalitional as co
from coalitional import _coalitional as native
from coalitional._export import display_width

PLAYERS = ["北京", "Shanghai", "乌鲁木齐市"]
SHARE = "99999999.3333333"


@pytest.fixture
def big():
    values = {}
    for r in range(1, 4):
        for s in itertools.combinations(PLAYERS, r):
            values[s] = 1e8 * len(s) - (2 if r == 3 else 0)
    return co.Game.from_coalitions(PLAYERS, values, kind="cost")


def test_shown_numbers_at_a_resolution():
    assert native.shown_numbers([1 / 3], resolution=1.35e-7) == ["0.3333333"]
    assert native.shown_numbers([1e8 + 1 / 3], resolution=1.35e-7) == ["100000000.3333333"]
    assert native.shown_numbers([59.99999999999999, -1e-17, -0.0], resolution=1e-9) == ["60", "0", "0"]
    # Resolution wins over scale; without it the scale rule holds.
    assert native.shown_numbers([1 / 3], 1e8, 1e-3) == ["0.333"]
    assert native.shown_numbers([1 / 3], 1e8) == ["0.3"]


def test_allocation_repr_at_the_games_tolerance(big):
    for x in (big.nucleolus(), big.shapley()):
        rows = repr(x).splitlines()[1:]
        assert [r.split()[-1] for r in rows] == [SHARE] * 3  # symmetric players: one string


def test_allocation_repr_aligns_by_display_width(big):
    rows = repr(big.shapley()).splitlines()[1:]
    columns = {display_width(r[: r.index(SHARE)]) for r in rows}
    assert len(columns) == 1, rows


def test_settlement_repr_and_markdown_agree(big):
    s = co.settle(big, "nucleolus", {"北京": 1e8 - 1, "Shanghai": 1e8 - 0.5, "乌鲁木齐市": 1e8 - 0.5})
    text = repr(s)
    assert "北京 -> Shanghai: 0.1666667" in text and "北京 -> 乌鲁木齐市: 0.1666667" in text
    md = s.to_markdown()
    assert f"| 北京 | 99999999 | {SHARE} | 0.3333333 |" in md
    assert f"| Shanghai | 99999999.5 | {SHARE} | -0.1666667 |" in md
    assert big.nucleolus().to_markdown().count(SHARE) == 3


def test_settlement_exports_in_chinese(big):
    s = co.settle(big, "nucleolus")
    md = s.to_markdown(lang="zh")
    for heading in ("各成员", "支付", "最接近退出的联盟", "（外部）"):
        assert heading in md
    assert "(outside)" not in md
    balanced = co.settle(big, "nucleolus", big.nucleolus())
    assert "no payments" in balanced.to_markdown()
    assert "无需支付" in balanced.to_markdown(lang="zh")
    assert "| payer |" not in balanced.to_markdown()


def test_settlement_excel_sheets_follow_lang(big, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    path = tmp_path / "s.xlsx"
    co.settle(big, "nucleolus").to_excel(path, lang="zh")
    assert openpyxl.load_workbook(path).sheetnames == ["各成员", "支付", "最接近退出的联盟"]


def test_minus_zero_and_noise_are_zero():
    x = co.Allocation([-0.0, 1e-17, 2.0], ["a", "b", "c"])
    assert [r.split()[-1] for r in repr(x).splitlines()[1:]] == ["0", "0", "2"]


@pytest.mark.parametrize("method", ["to_excel"])
def test_excel_needs_an_xlsx_path(big, tmp_path, method):
    for obj in (big.shapley(), co.settle(big, "nucleolus"), co.compare(big)):
        with pytest.raises(co.InvalidGame) as info:
            getattr(obj, method)(tmp_path / "out.csv")
        assert (info.value.code, info.value.name) == ("invalid_parameter", "path")


def test_plot_labels_use_the_rule(big):
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    from coalitional import plot

    s = co.settle(big, "nucleolus", {"北京": 1e8 - 1, "Shanghai": 1e8 - 0.5, "乌鲁木齐市": 1e8 - 0.5})
    ax = plot.settlement(s) if hasattr(plot, "settlement") else None
    if ax is None:
        pytest.skip("no settlement plot")
    texts = [t.get_text() for t in ax.texts]
    assert "0.1666667" in texts
    assert any(re.search(r"\+0\.3333333$", t) for t in texts)
