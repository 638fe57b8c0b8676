"""Conversion of user input into what the native core takes, in one place.

Every function here either returns a clean value or raises a typed error (a subclass of
``GameError``) whose message names the field, index, player or coalition at fault, and whose
attributes carry them: ``code``, ``name`` (the field), ``index`` (the entry or position, when one
entry is at fault) or ``coalition``. The rules:

- **Numbers** (:func:`real_number`, :func:`model_value`, the entries of :func:`float_vector`
  and :func:`float_matrix`): ``int``, ``float``, numpy integer and floating scalars, any other
  ``numbers.Real`` (e.g. ``Fraction``), ``decimal.Decimal``, and 0-d numpy arrays of an integer
  or floating dtype. Refused: ``bool`` (``True`` is not 1 here), strings (``"3"`` is not 3),
  complex numbers (the imaginary part would be lost), ``None``, dates, anything else, and
  integers beyond the range of a float64.
- **Arrays**: one-dimensional (matrices: two-dimensional) sequences or numpy arrays of such
  numbers; boolean, complex, string, date and other non-numeric dtypes are refused, as are a
  single string, a mapping, a set, nested or ragged lists and masked arrays with masked entries.
- **Counts** (:func:`count`: ``seed``, ``top``, ``max_rounds``, ``batch``): whole numbers (an
  integral float such as ``1e6`` is accepted) within the stated range; bools are refused.
- **Names** (:func:`player_names`): a sequence of ``str`` (numpy string scalars are accepted and
  converted); ``int`` and ``bytes`` names are refused (names are strings; write ``str(i)`` for
  numbered players), as is a single string for the whole sequence, and a ``set`` where the
  order matters. Control characters are allowed (the command line escapes them when it prints).
- **JSON text** (:func:`json_text`, :func:`load_json`): ``str`` or UTF-8 ``bytes`` (one leading
  byte-order mark is skipped); invalid UTF-8, lone surrogates, ``NaN``/``Infinity`` literals,
  numbers beyond the float64 range, a key given twice in one object and nesting deeper than
  Python's recursion limit are ``FormatError``.
"""

from __future__ import annotations

import decimal
import functools
import inspect
import json
import math
import numbers
import os
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Tuple, Type, TypeVar, Union

import numpy as np

from ._coalitional import FormatError, GameError, InvalidGame

#: The largest seed the sampler takes (it is a 64-bit unsigned integer).
MAX_SEED = 2**64 - 1

_DTYPE_NAMES = {
    "b": "booleans",
    "c": "complex numbers (the imaginary part would be lost; pass .real if that is meant)",
    "U": "strings",
    "S": "byte strings",
    "M": "dates",
    "m": "time spans",
    "V": "raw records",
}


def shown(x: Any, limit: int = 60) -> str:
    """``repr(x)``, shortened to ``limit`` characters (and safe when ``repr`` itself fails)."""
    try:
        text = repr(x)
    except Exception:  # noqa: BLE001 - a broken __repr__ must not hide the real error
        text = f"<{type(x).__name__} object>"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def article(noun: str) -> str:
    """``noun`` with its indefinite article: "a str", "an int"."""
    return ("an " if noun[:1].lower() in "aeiou" else "a ") + noun


def a_type(x: Any) -> str:
    """The type of ``x`` with its article, for messages: "a str", "an int"."""
    return article(type(x).__name__)


_F = TypeVar("_F", bound=Callable[..., Any])


def tag(err: GameError, code: str, **fields: Any) -> GameError:
    """``err`` with the attributes an error raised by Rust carries: ``code`` (the variant's
    stable name, as Rust's ``Error::code``) and the fields. Returns ``err`` for ``raise``."""
    err.code = code
    for key, value in fields.items():
        setattr(err, key, value)
    return err


def _names_what(code: str, param: str = "what") -> Callable[[_F], _F]:
    """A converter whose errors carry ``code`` and ``name`` (the value of its ``param``
    argument: the parameter or field at fault), like Rust's ``Error::InvalidParameter``."""

    def decorate(f: _F) -> _F:
        signature = inspect.signature(f)

        @functools.wraps(f)
        def converter(*args: Any, **kwargs: Any) -> Any:
            try:
                return f(*args, **kwargs)
            except GameError as err:
                if getattr(err, "code", None) is None:
                    bound = signature.bind(*args, **kwargs)
                    bound.apply_defaults()
                    tag(err, code, name=bound.arguments[param])
                raise

        return converter  # type: ignore[return-value]

    return decorate


class _Refused(Exception):
    """Why a scalar is not a real number, e.g. "a bool" (internal; the caller names the field)."""


def _real(x: Any) -> float:
    """``float(x)`` for a real number (see the module rules); ``_Refused`` with the reason."""
    if isinstance(x, (bool, np.bool_)):
        raise _Refused("a bool, not a number")
    if isinstance(x, (numbers.Real, decimal.Decimal)):
        try:
            return float(x)
        except OverflowError:
            raise _Refused(f"{a_type(x)} too large for a float64") from None
        except (TypeError, ValueError) as exc:  # e.g. a signalling Decimal NaN
            raise _Refused(f"{a_type(x)} that is not convertible to a float ({exc})") from None
    if isinstance(x, np.ndarray) and x.ndim == 0 and x.dtype.kind in "iuf":
        return float(x)
    raise _Refused(f"{a_type(x)}, not a number")


@_names_what("invalid_parameter")
def real_number(x: Any, what: str, *, error: Type[InvalidGame] = InvalidGame) -> float:
    """``x`` as a float, or ``error`` naming ``what`` (e.g. ``"tol"``, ``'field "estate"'``).
    Non-finite values pass (the core decides whether they are allowed there)."""
    try:
        return _real(x)
    except _Refused as why:
        raise error(f"{what} is {shown(x)}, {why}") from None


def _coalition_text(names: Iterable[str]) -> str:
    members = sorted(names) if isinstance(names, (set, frozenset)) else list(names)
    return "{" + ", ".join(members) + "}"


def model_value(value: Any, coalition_names: Iterable[str]) -> float:
    """What a model ``f(coalition)`` returned, as a finite float.

    The rule shared by :meth:`Game.from_function` and :class:`LazyGame`: a real number (``int``,
    ``float``, numpy integer or floating, ``Fraction``, ``Decimal``, a 0-d numeric array) that is
    finite. ``bool``, ``str``, ``None``, complex numbers and everything else are ``InvalidGame``
    naming the coalition (``coalition_names`` in the order given; a set is shown sorted), as
    are NaN and infinite values."""
    if type(value) is float and math.isfinite(value):  # the common case, fast
        return value
    try:
        x = _real(value)
    except _Refused as why:
        raise tag(
            InvalidGame(
                f"f returned {shown(value)} for coalition {_coalition_text(coalition_names)}, {why}; "
                "it must return a number (int, float or numpy number)"
            ),
            "model_value",
            coalition=_coalition_text(coalition_names),
        ) from None
    if not math.isfinite(x):
        raise tag(
            InvalidGame(
                f"f returned {shown(value)} for coalition {_coalition_text(coalition_names)}; values must be finite"
            ),
            "model_value",
            coalition=_coalition_text(coalition_names),
        )
    return x


def _check_dtype(arr: np.ndarray, what: str, error: Type[InvalidGame]) -> None:
    if arr.dtype.kind in _DTYPE_NAMES:
        raise error(f"{what} must be numbers, not {_DTYPE_NAMES[arr.dtype.kind]} (dtype {arr.dtype})")
    if arr.dtype.kind not in "iufO":
        raise error(f"{what} must be numbers, not values of dtype {arr.dtype}")


_PLAIN = {float, int, np.float64, np.int64}


def _from_items(items: List[Any], what: str, error: Type[InvalidGame]) -> np.ndarray:
    """A float64 vector from a list, checking every entry (the error names its index)."""
    if set(map(type, items)) <= _PLAIN:
        try:
            return np.array(items, dtype=np.float64)
        except OverflowError:
            pass  # an int beyond float64: found and named below
    out = np.empty(len(items), dtype=np.float64)
    for i, v in enumerate(items):
        if isinstance(v, (list, tuple)) or (isinstance(v, np.ndarray) and v.ndim > 0):
            raise tag(error(f"{what} must be one-dimensional (a flat sequence of numbers); {what}[{i}] is {shown(v)}"),
                      "invalid_parameter", name=what, index=i)
        try:
            out[i] = _real(v)
        except _Refused as why:
            raise tag(error(f"{what} must be numbers; {what}[{i}] is {shown(v)}, {why}"), "invalid_parameter", name=what,
                      index=i) from None
    return out


@_names_what("invalid_parameter")
def float_vector(x: Any, what: str, *, error: Type[InvalidGame] = InvalidGame) -> np.ndarray:
    """``x`` (a sequence or 1-D array of real numbers) as a new-or-shared float64 array.

    ``what`` names the field in messages (``"values"``, ``"weights"``, ``"status_quo"``...).
    Non-finite entries pass: the core names the coalition or player where they are refused."""
    if isinstance(x, (str, bytes, bytearray)):
        raise error(f"{what} must be a sequence of numbers, not {a_type(x)} ({shown(x)})")
    if isinstance(x, (dict, set, frozenset)) or (not hasattr(x, "__array__") and not hasattr(x, "__iter__")):
        kind = "an unordered set" if isinstance(x, (set, frozenset)) else a_type(x)
        raise error(f"{what} must be a sequence of numbers, not {kind} ({shown(x)})")
    if np.ma.is_masked(x):
        raise error(f"{what} has masked (missing) entries, at {np.flatnonzero(np.ma.getmaskarray(x)).tolist()[:5]}")
    if isinstance(x, np.ndarray) or hasattr(x, "__array__"):
        try:
            arr = np.asarray(x)
        except (TypeError, ValueError) as exc:
            raise error(f"{what} must be a sequence of numbers: {exc}") from None
        if arr.ndim != 1:
            shape = "a single number" if arr.ndim == 0 else f"an array of shape {arr.shape}"
            raise error(f"{what} must be one-dimensional, got {shape}")
        _check_dtype(arr, what, error)
        if arr.dtype.kind == "O":
            return _from_items(list(arr), what, error)
        with np.errstate(over="ignore"):  # float128 beyond float64: inf, refused by the core
            return arr.astype(np.float64, copy=False)
    return _from_items(list(x), what, error)


@_names_what("invalid_parameter")
def float_matrix(x: Any, what: str, *, error: Type[InvalidGame] = InvalidGame) -> np.ndarray:
    """``x`` (a list of equally long rows, or a 2-D array) as a C-contiguous float64 matrix.
    An empty sequence gives shape (0,): the caller reshapes it to its row and column counts."""
    if isinstance(x, np.ndarray) or hasattr(x, "__array__"):
        try:
            arr = np.asarray(x)
        except (TypeError, ValueError) as exc:
            raise error(f"{what} must be a matrix of numbers: {exc}") from None
        if arr.size == 0 and arr.ndim != 2:
            return np.zeros(0, dtype=np.float64)
        if arr.ndim != 2:
            raise error(f"{what} must be a two-dimensional matrix (rows x cols), got shape {arr.shape}")
        _check_dtype(arr, what, error)
        if arr.dtype.kind == "O":
            return float_matrix(arr.tolist(), what, error=error)
        return np.ascontiguousarray(arr, dtype=np.float64)
    if isinstance(x, (str, bytes, bytearray, dict, set, frozenset)) or not hasattr(x, "__iter__"):
        raise error(f"{what} must be a matrix (a list of rows of numbers), not {a_type(x)} ({shown(x)})")
    rows = [float_vector(r, f"{what}[{i}]", error=error) for i, r in enumerate(x)]
    if not rows:
        return np.zeros(0, dtype=np.float64)
    for i, r in enumerate(rows):
        if len(r) != len(rows[0]):
            raise tag(error(f"{what} is ragged: row 0 has {len(rows[0])} entries, row {i} has {len(r)}"),
                      "invalid_parameter", name=what, index=i)
    return np.ascontiguousarray(np.vstack(rows))


@_names_what("invalid_parameter")
def count(x: Any, what: str, *, minimum: Optional[int] = 0, maximum: Optional[int] = None) -> int:
    """``x`` as a whole number in ``[minimum, maximum]`` (``None``: no bound on that side), or
    ``InvalidGame`` naming ``what``. Integral floats (``1e6``) are accepted; bools, strings and
    fractions are not."""
    if isinstance(x, (bool, np.bool_)):
        raise InvalidGame(f"{what} must be a whole number, not {x!r} (a bool)")
    if isinstance(x, (int, np.integer)):
        value = int(x)
    elif isinstance(x, (float, np.floating)) and math.isfinite(x) and float(x).is_integer():
        value = int(x)
    else:
        raise InvalidGame(f"{what} must be a whole number, not {shown(x)} ({a_type(x)})")
    if minimum is not None and value < minimum:
        raise InvalidGame(f"{what} must be at least {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise InvalidGame(f"{what} must be at most {maximum}, got {value}")
    return value


def seed_value(seed: Any) -> int:
    """A sampler seed: a whole number in 0..2**64 - 1."""
    return count(seed, "seed", minimum=0, maximum=MAX_SEED)


def kind_name(kind: Any) -> str:
    """The game kind as a str (the core checks it is ``"value"`` or ``"cost"``)."""
    if not isinstance(kind, str):
        raise tag(InvalidGame(f'kind must be "value" or "cost", not {shown(kind)} ({a_type(kind)})'), "unknown_kind",
                  kind=kind)
    return str(kind)


@_names_what("invalid_parameter")
def player_names(
    players: Any, what: str = "players", *, ordered: bool = True, error: Type[InvalidGame] = InvalidGame
) -> List[str]:
    """Names as a list of plain ``str``: a sequence of strings (one string alone is refused,
    as are non-string names, names that are not valid Unicode, and, when ``ordered``, sets)."""
    if isinstance(players, (bytes, bytearray)):
        raise error(f"{what} must be a sequence of names (str), not {a_type(players)} ({shown(players)})")
    if isinstance(players, str):
        raise error(
            f"{what} must be a sequence of names, not one str ({shown(players)}); "
            f"write [{shown(players)}] for a single name"
        )
    if ordered and isinstance(players, (set, frozenset)):
        raise error(f"{what} must be in a definite order (a list or tuple), not a set ({shown(players)})")
    try:
        names = list(players)
    except TypeError:
        raise error(f"{what} must be a sequence of names, not {a_type(players)} ({shown(players)})") from None
    out = []
    for i, p in enumerate(names):
        if not isinstance(p, str):
            raise tag(error(f"player names must be strings; got {shown(p)} ({type(p).__name__}) at position {i} of {what}"),
                      "invalid_parameter", name=what, index=i)
        bad = _lone_surrogate(p)
        if bad is not None:
            raise tag(
                error(
                    f"player name {shown(p)} at position {i} of {what} is not valid Unicode "
                    f"(a lone surrogate at character {bad})"
                ),
                "invalid_parameter",
                name=what,
                index=i,
            )
        out.append(str(p))
    return out


def _lone_surrogate(text: str) -> Optional[int]:
    """The position of the first lone surrogate in ``text`` (not valid Unicode, so not writable
    as UTF-8), or None."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        return int(exc.start)
    return None


@_names_what("format", "where")
def json_text(data: Union[str, bytes, bytearray], where: str) -> str:
    """JSON source as valid Unicode text: ``bytes`` are decoded as UTF-8 (``FormatError`` with
    the offset of the first invalid byte); a ``str`` with lone surrogates is refused."""
    if isinstance(data, (bytes, bytearray, memoryview)):
        raw = bytes(data)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise FormatError(f"{where} is not UTF-8 text: byte {exc.start} (0x{raw[exc.start]:02x}) is invalid") from None
        return text[1:] if text.startswith("\ufeff") else text
    if not isinstance(data, str):
        raise FormatError(f"{where} must be JSON text (str or UTF-8 bytes), not {a_type(data)}")
    bad = _lone_surrogate(data)
    if bad is not None:
        raise FormatError(f"{where} is not valid Unicode: a lone surrogate at character {bad}")
    return data[1:] if data.startswith("\ufeff") else data


def _no_constant(name: str) -> Any:
    raise FormatError(f"{name} is not a JSON number (numbers must be finite)")


def _finite_float(text: str) -> float:
    x = float(text)
    if not math.isfinite(x):
        raise FormatError(f"the number {text[:40]} is out of the range of a float64")
    return x


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > 310:  # beyond 1.8e308 (and Python's int-parsing limit)
        raise FormatError(f"the number {text[:20]}... ({len(text)} digits) is out of the range of a float64")
    return int(text)


def _unique_keys(pairs: List[Any]) -> Dict[str, Any]:
    doc: Dict[str, Any] = {}
    for key, value in pairs:
        if key in doc:
            raise FormatError(f"the field {json.dumps(key)} appears twice in one object")
        doc[key] = value
    return doc


@_names_what("format", "where")
def load_json(data: Union[str, bytes, bytearray], where: str) -> Any:
    """Parses JSON strictly (see the module rules); every failure is a ``FormatError`` that
    names ``where`` (a file name, or e.g. ``"game JSON"``)."""
    text = json_text(data, where)
    try:
        return json.loads(text, parse_float=_finite_float, parse_int=_bounded_int, parse_constant=_no_constant,
                          object_pairs_hook=_unique_keys)
    except FormatError as exc:
        raise FormatError(f"invalid JSON in {where}: {exc}") from None
    except json.JSONDecodeError as exc:
        raise FormatError(f"invalid JSON in {where}: {exc}") from None
    except RecursionError:
        raise FormatError(f"invalid JSON in {where}: nested too deeply") from None
    except ValueError as exc:  # e.g. Python's limit on integer digits
        raise FormatError(f"invalid JSON in {where}: {exc}") from None


def read_json_file(path: Union[str, "os.PathLike[str]"], what: str) -> Any:
    """A JSON document from a file (``OSError`` when it cannot be read)."""
    with open(path, "rb") as fh:
        raw = fh.read()
    return load_json(raw, f"{what} {os.fspath(path)}")



#: Policy bounds as users write them: ``{player: (floor, cap)}`` or ``{player: {"floor": x,
#: "cap": y}}``, ``None`` (or a missing key) for an open side.
BoundsLike = Mapping[str, Any]


def bound_entries(bounds: Any) -> Optional[List[Tuple[str, Optional[float], Optional[float]]]]:
    """``bounds`` as ``(name, floor, cap)`` entries for Rust (which resolves the names and
    checks the numbers: unknown names, NaN, a floor above a cap); ``None`` passes through.
    Anything else than the documented forms is an ``InvalidGame`` naming ``bounds``."""
    if bounds is None:
        return None
    if not isinstance(bounds, Mapping):
        raise tag(InvalidGame(f"bounds must be a mapping {{player: (floor, cap)}}, not {a_type(bounds)}"),
                  "invalid_parameter", name="bounds")
    entries: List[Tuple[str, Optional[float], Optional[float]]] = []
    for name, spec in bounds.items():
        if not isinstance(name, str):
            raise tag(InvalidGame(f"bounds must be keyed by player name, not {a_type(name)}"),
                      "invalid_parameter", name="bounds")
        if isinstance(spec, Mapping):
            unknown = [k for k in spec if k not in ("floor", "cap")]
            if unknown:
                raise tag(InvalidGame(f"bounds[{name!r}] has keys {unknown}; use 'floor' and 'cap'"),
                          "invalid_parameter", name="bounds")
            lo, hi = spec.get("floor"), spec.get("cap")
        elif isinstance(spec, (tuple, list)) and len(spec) == 2:
            lo, hi = spec
        else:
            raise tag(InvalidGame(f"bounds[{name!r}] is {shown(spec)}; give (floor, cap) with None for an open side"),
                      "invalid_parameter", name="bounds")
        side = lambda x, what: None if x is None else real_number(x, f"bounds[{name!r}] {what}")  # noqa: E731
        entries.append((name, side(lo, "floor"), side(hi, "cap")))
    return entries
