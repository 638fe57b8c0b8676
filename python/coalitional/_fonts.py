"""Chinese (CJK) text in plots: a font that has the glyphs, found once and used only where a
plot draws CJK characters.

matplotlib's default font (DejaVu Sans) has no Chinese characters, so names such as 上海 or
苏州 would come out as empty boxes. When the text of a plot contains CJK characters,
:func:`apply` puts a CJK font *after* each text's own families (matplotlib >= 3.6 falls back
along the list glyph by glyph): Latin text keeps its font, Chinese characters come from the
CJK one. Nothing global changes: no rcParams are touched, and a plot with no CJK text is
drawn exactly as before. The one lasting effect is that the font of the ``zh`` extra, when it
is the one used, is registered with matplotlib's font manager (``fontManager.addfont``), which
only makes it available by name.

The font is, in order:

1. an installed font of a known CJK family (Noto Sans CJK, Source Han Sans, WenQuanYi,
   SimHei, Microsoft YaHei, PingFang, ...);
2. any other installed font that has the test characters (fonts under 1 MB are skipped: a font
   with the CJK ideographs is larger);
3. the font that ``pip install "coalitional[zh]"`` installs (Noto Sans CJK, from the
   ``noto-cjk-sans-otc`` package, SIL Open Font License 1.1).

With none of these, one :class:`FontWarning` per process names the extra, and matplotlib's own
"Glyph ... missing from font" warnings, which would repeat the same news once per character, are
silenced from then on (a warnings filter on that message only).
"""

from __future__ import annotations

import importlib
import os
import re
import sys
import warnings
from typing import Any, Iterable, List, Optional

#: The extra that installs a CJK font, as users type it.
EXTRA = 'pip install "coalitional[zh]"'
#: The package of the extra and the module it installs.
FONT_PACKAGE = "noto-cjk-sans-otc"
_FONT_MODULE = "noto_cjk_sans_otc"

#: Known CJK families, simplified Chinese first (a .ttc collection may register under the name
#: of its first face, e.g. "Noto Sans CJK JP", with matplotlib < 3.10; every face has the
#: ideographs, only some regional glyph forms differ).
FAMILIES = (
    "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN", "Noto Serif CJK SC",
    "Source Han Serif SC", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "SimHei", "Microsoft YaHei",
    "PingFang SC", "Heiti SC", "STHeiti", "Hiragino Sans GB", "Sarasa Gothic SC", "Droid Sans Fallback",
    "Noto Sans CJK TC", "Noto Sans CJK HK", "Noto Sans CJK JP", "Noto Sans CJK KR", "Source Han Sans",
    "Microsoft JhengHei", "PingFang TC", "Arial Unicode MS",
)
#: A font must have these to count as a CJK font when found by scanning ("China", "state").
TEST_CHARACTERS = "中国"
_MIN_SCAN_BYTES = 1 << 20

# CJK ideographs (with extension A, compatibility and the supplementary planes), CJK symbols
# and punctuation, kana, Hangul, and full-width forms.
_CJK = re.compile(
    "[\u2e80-\u2fdf\u3000-\u30ff\u3100-\u312f\u3190-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003134f]"
)


class FontWarning(UserWarning):
    """A plot has Chinese (CJK) text but no font with those characters is installed; the
    message names the extra that installs one: ``pip install "coalitional[zh]"``."""


_UNSET: Any = object()
_family: Any = _UNSET
_warned = False


def has_cjk(text: str) -> bool:
    """True when ``text`` has a CJK character (ideograph, kana, Hangul, CJK punctuation)."""
    return _CJK.search(text) is not None


def _font_manager() -> Any:
    return importlib.import_module("matplotlib.font_manager")


def _installed() -> Optional[str]:
    """The first known CJK family that matplotlib knows, else any font with the test
    characters (found by reading the character maps of fonts of 1 MB and more), else None."""
    fm = _font_manager()
    entries = list(fm.fontManager.ttflist)
    names = {f.name for f in entries}
    for family in FAMILIES:
        if family in names:
            return family
    ft2font = importlib.import_module("matplotlib.ft2font")
    seen = set()
    for entry in entries:
        path = entry.fname
        if path in seen:
            continue
        seen.add(path)
        try:
            if os.path.getsize(path) < _MIN_SCAN_BYTES:
                continue
            charmap = ft2font.FT2Font(path).get_charmap()
        except Exception:  # noqa: BLE001 - an unreadable font is simply not a candidate
            continue
        if all(ord(c) in charmap for c in TEST_CHARACTERS):
            return str(entry.name)
    return None


def _bundled() -> Optional[str]:
    """The family of the font of the ``zh`` extra, registered with matplotlib; None when the
    package is not installed."""
    try:
        module = importlib.import_module(_FONT_MODULE)
    except ImportError:
        return None
    path = getattr(module, "FONT_PATH", None)
    if path is None:  # another layout: the first font file beside the module
        folder = os.path.dirname(getattr(module, "__file__", "") or "")
        files = sorted(f for f in os.listdir(folder) if f.lower().endswith((".ttc", ".otf", ".ttf"))) if folder else []
        if not files:
            return None
        path = os.path.join(folder, files[0])
    path = os.fspath(str(path))
    fm = _font_manager()
    if not any(f.fname == path for f in fm.fontManager.ttflist):
        fm.fontManager.addfont(path)
    names = [str(f.name) for f in fm.fontManager.ttflist if f.fname == path]
    if not names:
        return None
    return next((n for n in names if n.endswith(" SC") and "Mono" not in n), names[0])


def cjk_family() -> Optional[str]:
    """The family name of a CJK font for matplotlib (found once per process), or None."""
    global _family
    if _family is _UNSET:
        _family = _installed() or _bundled()
    return _family  # type: ignore[no-any-return]


def _reset() -> None:
    """Forgets the font found and the warning given (for tests)."""
    global _family, _warned
    _family, _warned = _UNSET, False


def family_for(texts: Iterable[str]) -> Optional[str]:
    """The CJK family to fall back on when some of ``texts`` has CJK characters; None when none
    has, or (after one :class:`FontWarning` per process) when no CJK font is available."""
    global _warned
    sample = next((t for t in texts if has_cjk(t)), None)
    if sample is None:
        return None
    family = cjk_family()
    if family is None and not _warned:
        _warned = True
        warnings.warn(
            f"no installed font has Chinese characters, so text such as {sample!r} will show as empty "
            f"boxes; install one with: {EXTRA} (or a system font such as Noto Sans CJK)",
            FontWarning,
            stacklevel=_caller_level(),
        )
        # The one warning said it; matplotlib would repeat it for every character drawn.
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .* missing from font", category=UserWarning)
    return family


def _caller_level() -> int:
    """The stack level of the first frame outside this package, so that the warning points at
    the user's line (whether a plot function or ``Comparison.plot`` was called)."""
    frame = sys._getframe(1)
    level = 1
    package = os.path.dirname(os.path.abspath(__file__))
    while frame is not None and os.path.dirname(os.path.abspath(frame.f_code.co_filename)) == package:
        frame = frame.f_back  # type: ignore[assignment]
        level += 1
    return level


def _texts(ax: Any) -> List[Any]:
    text_type = importlib.import_module("matplotlib.text").Text
    found = list(ax.findobj(text_type))
    for axis in (getattr(ax, name, None) for name in ("xaxis", "yaxis", "zaxis")):
        if axis is not None:
            found.extend(axis.get_ticklabels(which="both"))
    return found


def apply(ax: Any, extra: Iterable[str] = ()) -> Optional[str]:
    """Lets every text of ``ax`` (title, labels, tick labels, legend, annotations) fall back on
    a CJK font when any of them, or any of ``extra`` (text not yet drawn, such as tick labels
    set by a formatter), has CJK characters. Returns the family used, or None."""
    texts = _texts(ax)
    family = family_for([t.get_text() for t in texts] + list(extra))
    if family is None:
        return None
    for t in texts:
        own = list(t.get_fontfamily())
        if family not in own:
            t.set_fontfamily(own + [family])
    return family
