"""Chinese names and ``lang="zh"`` in every plot: drawn with a font that has the glyphs, no
missing-glyph warning, no global setting changed, and one FontWarning naming the extra when
no CJK font is available."""

import contextlib
import logging
import os
import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib import font_manager  # noqa: E402

import coalitional as co  # noqa: E402
import coalitional.plot as cp  # noqa: E402
from coalitional import _fonts  # noqa: E402
from conftest import raises_error  # noqa: E402

CITIES = ["上海", "苏州", "杭州"]
CITIES4 = CITIES + ["嘉兴"]
VALUES = {
    ("上海",): 0, ("苏州",): 0, ("杭州",): 0,
    ("上海", "苏州"): 90, ("上海", "杭州"): 80, ("苏州", "杭州"): 70,
    ("上海", "苏州", "杭州"): 150,
}
TODAY = {"上海": 70, "苏州": 50, "杭州": 30}
#: What matplotlib says when a glyph is missing or a family cannot be found.
MISSING = ("missing from font", "missing from current font", "Glyph", "findfont", "not found")


@pytest.fixture(autouse=True)
def fresh():
    _fonts._reset()
    yield
    plt.close("all")
    _fonts._reset()


def game3():
    return co.Game.from_coalitions(CITIES, VALUES)


def game4():
    w = dict(zip(CITIES4, [1, 2, 3, 4]))
    return co.Game.from_function(CITIES4, lambda s: float(sum(w[p] for p in s)) ** 2)


def cost_game():
    costs = dict(zip(CITIES, [1.0, 2.0, 3.0]))
    return co.Game.from_function(CITIES, lambda s: max(costs[p] for p in s), kind="cost")


def every_plot(lang):
    """(name, draw) for each plot function with Chinese player names."""
    g = game3()
    return [
        ("simplex", lambda: cp.simplex(g, status_quo=TODAY, points={"平分": [50, 50, 50]}, lang=lang)),
        ("tetrahedron", lambda: cp.tetrahedron(game4(), lang=lang)),
        ("allocations", lambda: cp.allocations(g, [g.shapley(), g.nucleolus(), g.owen([["上海"], ["苏州", "杭州"]])],
                                               lang=lang)),
        ("allocations of costs", lambda: cp.allocations(cost_game(), {"今天": [1, 2, 3], "公平": cost_game().shapley()},
                                                        lang=lang)),
        ("settlement", lambda: cp.settlement(co.settle(g, "nucleolus", TODAY), lang=lang)),
        ("settlement from outside", lambda: cp.settlement(co.settle(g, "shapley"), lang=lang)),
        ("excess profile", lambda: cp.excess_profile(g, g.shapley(), top=5, lang=lang)),
    ]


@contextlib.contextmanager
def no_missing_glyphs(caplog):
    """Every warning is an error, and so is any log record of matplotlib about a missing glyph
    or a font family it cannot find."""
    caplog.clear()
    with caplog.at_level(logging.DEBUG, logger="matplotlib"), warnings.catch_warnings():
        warnings.simplefilter("error")
        yield
    bad = [r.getMessage() for r in caplog.records
           if r.levelno >= logging.WARNING and any(m in r.getMessage() for m in MISSING)]
    assert not bad, bad


def draw(ax):
    ax.figure.canvas.draw()  # glyphs are looked up here, not when the text is made


def texts(ax):
    return [t for t in _fonts._texts(ax) if t.get_text()]


@pytest.fixture
def cjk_font():
    family = _fonts.cjk_family()
    if family is None:
        pytest.fail('no font with Chinese characters: install the test extra (it has pip install "coalitional[zh]")')
    return family


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_plot_draws_chinese_names_without_missing_glyphs(lang, cjk_font, caplog, tmp_path):
    for name, plot in every_plot(lang):
        with no_missing_glyphs(caplog):
            ax = plot()
            draw(ax)
            ax.figure.savefig(tmp_path / f"{name}.png", dpi=40)
        chinese = [t for t in texts(ax) if _fonts.has_cjk(t.get_text())]
        assert chinese, name
        for t in chinese:
            assert cjk_font in t.get_fontfamily(), (name, t.get_text(), t.get_fontfamily())
            # matplotlib resolves the list to the CJK font's file among its fallbacks.
            files = font_manager.fontManager._find_fonts_by_props(t.get_fontproperties())
            assert font_manager.findfont(font_manager.FontProperties(family=cjk_font)) in files, name
        plt.close(ax.figure)


def test_the_check_sees_a_missing_glyph(caplog):
    """The test above would fail: without the fallback, matplotlib warns about the glyphs."""
    fig = plt.figure()
    fig.text(0.5, 0.5, "上海", family="DejaVu Sans")
    with pytest.raises((AssertionError, UserWarning), match="missing|Glyph"):
        with no_missing_glyphs(caplog):
            fig.canvas.draw()


def test_zh_titles_labels_and_legends_are_chinese(cjk_font, caplog):
    g = game3()
    with no_missing_glyphs(caplog):
        ax = cp.simplex(g, status_quo=TODAY, lang="zh")
        draw(ax)
    assert ax.get_title() == "分配集、核心与解"
    labels = ax.get_legend_handles_labels()[1]
    assert {"分配集", "核心", "沙普利值", "核仁", "现状"} <= set(labels)
    assert any(label.startswith("最小核心（ε = ") for label in labels)
    assert "全归上海" in [t.get_text() for t in ax.texts]

    ax = cp.allocations(g, [g.shapley(), g.nucleolus()], lang="zh")
    assert (ax.get_title(), ax.get_ylabel()) == ("各成员的分配", "收益")
    assert ax.get_legend_handles_labels()[1] == ["沙普利值", "核仁"]
    assert cp.allocations(cost_game(), [cost_game().shapley()], lang="zh").get_ylabel() == "成本分摊"

    ax = cp.excess_profile(g, g.shapley(), top=3, lang="zh")
    assert ax.get_xlabel().startswith("超额") and ax.get_title() == "超额最大的 3 个联盟"
    ax = cp.settlement(co.settle(g, "nucleolus", TODAY), lang="zh")
    assert "核仁" in ax.get_title() and "支付" in ax.get_title()
    assert "（外部）" in [t.get_text() for t in cp.settlement(co.settle(g, "shapley"), lang="zh").texts]
    ax = cp.tetrahedron(game4(), lang="zh")
    assert ax.get_title() == "分配集、核心与解" and "核心顶点" in ax.get_legend_handles_labels()[1]
    # Every string of the English table has a Chinese one.
    assert set(cp.TEXT["en"]) <= set(cp.TEXT["zh"])
    assert all(_fonts.has_cjk(cp.TEXT["zh"][k]) for k in cp.TEXT["en"])
    # A title given by the caller is kept as it is.
    assert cp.simplex(g, title="G60", lang="zh").get_title() == "G60"


def test_english_labels_stay_english():
    g = co.Game.from_coalitions(["A", "B", "C"], {k: v for k, v in zip(
        [("A",), ("B",), ("C",), ("A", "B"), ("A", "C"), ("B", "C"), ("A", "B", "C")], VALUES.values())})
    ax = cp.allocations(g, [g.shapley()])
    assert (ax.get_title(), ax.get_ylabel()) == ("allocations by player", "payoff")
    assert cp.simplex(g).get_title() == "imputations, core and solutions"


@pytest.mark.parametrize("lang", ["fr", "zh-cn", "", None, 1])
def test_unknown_language(lang):
    g = game3()
    calls = [
        lambda: cp.simplex(g, lang=lang),
        lambda: cp.tetrahedron(game4(), lang=lang),
        lambda: cp.allocations(g, [g.shapley()], lang=lang),
        lambda: cp.settlement(co.settle(g, "shapley"), lang=lang),
        lambda: cp.excess_profile(g, g.shapley(), lang=lang),
    ]
    for call in calls:
        with raises_error(co.InvalidGame, "invalid_parameter", name="lang"):
            call()


def test_latin_plots_change_nothing(monkeypatch):
    """No CJK text: no font is looked for, no text gets a fallback, no rcParams change."""

    def fail():
        raise AssertionError("looked for a CJK font for a plot without CJK text")

    monkeypatch.setattr(_fonts, "cjk_family", fail)
    g = co.Game.from_coalitions(["A", "B", "C"], {k: v for k, v in zip(
        [("A",), ("B",), ("C",), ("A", "B"), ("A", "C"), ("B", "C"), ("A", "B", "C")], VALUES.values())})
    before = dict(matplotlib.rcParams)
    ax = cp.simplex(g)
    draw(ax)
    assert all(list(t.get_fontfamily()) == list(matplotlib.rcParams["font.family"]) for t in texts(ax))
    assert dict(matplotlib.rcParams) == before


def test_chinese_plots_leave_rcparams_alone(cjk_font):
    before = dict(matplotlib.rcParams)
    for _, plot in every_plot("zh"):
        draw(plot())
    assert dict(matplotlib.rcParams) == before
    # A text drawn afterwards, outside coalitional, has the user's fonts only.
    assert cjk_font not in plt.figure().text(0, 0, "x").get_fontfamily()


def test_one_warning_naming_the_extra_without_a_cjk_font(monkeypatch):
    monkeypatch.setattr(_fonts, "_installed", lambda: None)
    monkeypatch.setattr(_fonts, "_bundled", lambda: None)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for _, plot in every_plot("zh"):
            draw(plot())
    ours = [w for w in caught if issubclass(w.category, co.FontWarning)]
    assert len(ours) == 1, [str(w.message) for w in ours]
    # One warning in all: matplotlib's per-character "Glyph ... missing" ones are silenced.
    assert len(caught) == 1, sorted({str(w.message)[:60] for w in caught})
    message = str(ours[0].message)
    assert 'pip install "coalitional[zh]"' in message
    assert ours[0].filename == __file__  # points at the caller's line
    assert issubclass(co.FontWarning, UserWarning)


def test_the_zh_extra_font_is_used_when_none_is_installed(monkeypatch, caplog):
    monkeypatch.setattr(_fonts, "_installed", lambda: None)
    module = pytest.importorskip(_fonts._FONT_MODULE)
    family = _fonts.cjk_family()
    assert family is not None
    path = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
    assert os.path.samefile(path, str(module.FONT_PATH))
    with no_missing_glyphs(caplog):
        draw(cp.allocations(game3(), [game3().shapley()], lang="zh"))


def test_an_installed_font_is_found_by_its_characters(monkeypatch):
    """A CJK font with a family name not in the list is found by scanning character maps."""
    module = pytest.importorskip(_fonts._FONT_MODULE)
    font_manager.fontManager.addfont(str(module.FONT_PATH))
    monkeypatch.setattr(_fonts, "FAMILIES", ())
    found = _fonts._installed()
    assert found is not None and "CJK" in found
    monkeypatch.setattr(_fonts, "TEST_CHARACTERS", "\U0010fffd")  # a character no font has
    assert _fonts._installed() is None


def test_has_cjk():
    assert _fonts.has_cjk("上海") and _fonts.has_cjk("A + 苏州") and _fonts.has_cjk("（外部）")
    assert not _fonts.has_cjk("Songjiang + Suzhou") and not _fonts.has_cjk("least core (ε = -20)")
