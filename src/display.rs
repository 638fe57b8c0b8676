//! How numbers are shown to people (every `Display` of a result): rounded to what the game's
//! precision supports, so that floating-point noise never reaches the reader.
//!
//! The rule, at a scale `s` (the largest magnitude among the numbers shown together):
//! - a number within `1e-9 · s` of a whole number is that whole number (so `59.99999999999999`
//!   is `60`, and `5.55e-17` next to numbers of order 1 is `0`);
//! - otherwise it keeps 10 significant digits at the scale `s` (a tiny number next to large
//!   ones rounds to `0`), with trailing zeros stripped;
//! - `-0` is never printed; very large or very small scales use scientific notation.
//!
//! When the game is known, its tolerance is the resolution instead ([`fmt_at`], [`shown_at`]):
//! numbers keep the decimals the tolerance supports, so every view of one game agrees.

/// The largest finite magnitude in `xs` (0 when there is none): the scale to pass to
/// [`fmt_number`] for numbers shown together.
pub(crate) fn scale_of<'a>(xs: impl IntoIterator<Item = &'a f64>) -> f64 {
    xs.into_iter()
        .filter(|x| x.is_finite())
        .fold(0.0f64, |m, x| m.max(x.abs()))
}

/// `x` rounded for display next to numbers of magnitude up to `scale` (see the module docs);
/// `scale` below `|x|` (0, say) means `x` alone sets the scale.
pub(crate) fn fmt_number(x: f64, scale: f64) -> String {
    if !x.is_finite() {
        return x.to_string();
    }
    let s = if scale.is_finite() {
        scale.abs().max(x.abs())
    } else {
        x.abs()
    };
    let whole = x.round();
    let x = if (x - whole).abs() <= 1e-9 * s {
        whole
    } else {
        x
    };
    if x == 0.0 {
        return "0".into();
    }
    let exp = s.log10().floor() as i32;
    let text = if (-5..15).contains(&exp) {
        let decimals = (9 - exp).max(0) as usize;
        strip_zeros(&format!("{x:.decimals$}"))
    } else {
        // Scientific: 10 significant digits at the scale, fewer for a smaller `x`.
        let own = x.abs().log10().floor() as i32;
        let digits = (9 - (exp - own)).max(0) as usize;
        let t = format!("{x:.digits$e}");
        match t.split_once('e') {
            Some((mantissa, e)) => format!("{}e{e}", strip_zeros(mantissa)),
            None => t,
        }
    };
    if text.trim_start_matches('-').chars().all(|c| c == '0') {
        "0".into()
    } else {
        text
    }
}

/// Numbers shown together (one table, one report): each rounded at their common scale
/// ([`scale_of`]) by [`fmt_number`]. Python's reprs show numbers through this function, so that
/// Rust's `Display` and Python's `repr` follow one rule.
/// `scale`, when given, is the magnitude of other numbers shown alongside (a larger one wins).
pub(crate) fn shown_together(xs: &[f64], scale: Option<f64>) -> Vec<String> {
    let scale = scale_of(xs).max(scale.filter(|s| s.is_finite()).map_or(0.0, f64::abs));
    xs.iter().map(|&x| fmt_number(x, scale)).collect()
}

/// The most decimals [`fmt_at`] ever shows (a resolution finer than `1e-15` is noise anyway).
const MAX_DECIMALS: i32 = 15;

/// `x` rounded to what `resolution` supports (the game's tolerance: differences below it are
/// not meaningful):
/// - a number within `resolution` of a whole number is that whole number (`59.99999999999999`
///   is `60`; `-1e-17` is `0`);
/// - otherwise it keeps `max(0, ceil(-log10(resolution)))` decimals (at most 15, and never more
///   than the 17 significant digits an `f64` holds), trailing zeros stripped;
/// - `-0` is never printed; magnitudes from `1e15` up or below `1e-5` use scientific notation
///   with the same absolute precision.
///
/// A `resolution` that is not a positive finite number falls back to [`fmt_number`] at `x`'s
/// own scale.
#[cfg_attr(not(feature = "python"), allow(dead_code))]
pub(crate) fn fmt_at(x: f64, resolution: f64) -> String {
    if !x.is_finite() {
        return x.to_string();
    }
    if !(resolution.is_finite() && resolution > 0.0) {
        return fmt_number(x, 0.0);
    }
    let whole = x.round();
    let x = if (x - whole).abs() <= resolution {
        whole
    } else {
        x
    };
    if x == 0.0 {
        return "0".into();
    }
    let decimals = ((-resolution.log10()).ceil() as i32).clamp(0, MAX_DECIMALS);
    let own = x.abs().log10().floor() as i32;
    let text = if (-5..15).contains(&own) {
        // Never more than 17 significant digits.
        let decimals = decimals.min((16 - own).max(0)) as usize;
        strip_zeros(&format!("{x:.decimals$}"))
    } else {
        // Scientific with the same absolute precision: digits after the mantissa's point.
        let digits = (own + decimals).clamp(0, 16) as usize;
        let t = format!("{x:.digits$e}");
        match t.split_once('e') {
            Some((mantissa, e)) => format!("{}e{e}", strip_zeros(mantissa)),
            None => t,
        }
    };
    if text
        .trim_start_matches('-')
        .chars()
        .all(|c| c == '0' || c == '.')
    {
        "0".into()
    } else {
        text
    }
}

/// Numbers shown together at a `resolution` (the game's tolerance), each by [`fmt_at`];
/// numbers within `resolution` of one another (symmetric players whose shares differ by
/// floating-point noise) are first made equal, so that they print identically.
#[cfg_attr(not(feature = "python"), allow(dead_code))]
pub(crate) fn shown_at(xs: &[f64], resolution: f64) -> Vec<String> {
    if !(resolution.is_finite() && resolution > 0.0) {
        return shown_together(xs, None);
    }
    let mut order: Vec<usize> = (0..xs.len()).filter(|&i| xs[i].is_finite()).collect();
    order.sort_by(|&a, &b| xs[a].total_cmp(&xs[b]));
    let mut shown: Vec<f64> = xs.to_vec();
    // Each run of numbers within `resolution` of the run's first takes that first's value.
    let mut start: Option<f64> = None;
    for &i in &order {
        match start {
            Some(s) if xs[i] - s <= resolution => shown[i] = s,
            _ => start = Some(xs[i]),
        }
    }
    shown.iter().map(|&x| fmt_at(x, resolution)).collect()
}

/// `"1.2300"` → `"1.23"`, `"60.000"` → `"60"`; a string without a point is left alone.
fn strip_zeros(t: &str) -> String {
    if t.contains('.') {
        t.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        t.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn own(x: f64) -> String {
        fmt_number(x, 0.0)
    }

    #[test]
    fn numbers_shown_together_share_a_scale() {
        assert_eq!(
            shown_together(&[100.0, 5.55e-17, -0.0, 33.333333333333336], None),
            ["100", "0", "0", "33.3333333"]
        );
        // Next to numbers of 1e8, noise of 1e-8 is 0.
        assert_eq!(shown_together(&[2.5e-8, 7.0], Some(1e8)), ["0", "7"]);
        assert!(shown_together(&[], None).is_empty());
    }

    #[test]
    fn whole_numbers_snap() {
        assert_eq!(own(59.99999999999999), "60");
        assert_eq!(own(60.00000000000001), "60");
        assert_eq!(own(150.0), "150");
        assert_eq!(own(-15.0), "-15");
        assert_eq!(own(0.0), "0");
        assert_eq!(own(-0.0), "0");
    }

    #[test]
    fn ten_significant_digits() {
        assert_eq!(own(1e8 + 1.0 / 3.0), "100000000.3");
        assert_eq!(own(1.0 / 3.0), "0.3333333333");
        assert_eq!(own(-2.5), "-2.5");
        assert_eq!(own(123.456), "123.456");
    }

    #[test]
    fn noise_is_zero_at_the_scale() {
        assert_eq!(fmt_number(-1e-17, 1.0), "0");
        assert_eq!(fmt_number(5.55e-17, 1.0), "0");
        assert_eq!(fmt_number(5.55e-17, 150.0), "0");
        assert_eq!(fmt_number(-3e-8, 1e6), "0");
        // At its own scale a small number is shown.
        assert_eq!(own(5.55e-17), "5.55e-17");
        // Next to large numbers, only the digits the scale supports.
        assert_eq!(fmt_number(0.123456789, 1e8), "0.1");
    }

    #[test]
    fn extreme_scales() {
        assert_eq!(own(1e300), "1e300");
        assert_eq!(own(-2.5e20), "-2.5e20");
        assert_eq!(own(1.5e-7), "1.5e-7");
        assert_eq!(fmt_number(1e290, 1e300), "1e290");
        assert_eq!(own(f64::INFINITY), "inf");
        assert_eq!(own(f64::NAN), "NaN");
    }

    #[test]
    fn resolution_sets_the_decimals() {
        assert_eq!(fmt_at(1.0 / 3.0, 1.35e-7), "0.3333333");
        assert_eq!(fmt_at(1e8 + 1.0 / 3.0, 1.35e-7), "100000000.3333333");
        assert_eq!(fmt_at(1e8 - 2.0 / 3.0, 1.35e-7), "99999999.3333333");
        assert_eq!(fmt_at(59.99999999999999, 1e-9), "60");
        assert_eq!(fmt_at(59.99999999999999, 1.35e-7), "60");
        assert_eq!(fmt_at(-1e-17, 1e-9), "0");
        assert_eq!(fmt_at(-0.0, 1e-9), "0");
        assert_eq!(fmt_at(-4e-8, 1e-7), "0");
        assert_eq!(fmt_at(-2.5, 1e-9), "-2.5");
        assert_eq!(fmt_at(150.0, 1e-9), "150");
        // A coarse resolution keeps no decimals.
        assert_eq!(fmt_at(1234.4, 0.5), "1234");
        assert_eq!(fmt_at(1234.6, 2.0), "1235");
        // Rounds to -0 at the resolution: shown as 0.
        assert_eq!(fmt_at(-0.3, 0.4), "0");
    }

    #[test]
    fn resolution_extremes() {
        assert_eq!(fmt_at(2.5e20, 1e6), "2.5e20");
        assert_eq!(fmt_at(1.5e-7, 1e-20), "1.5e-7");
        assert_eq!(fmt_at(1.0 / 3.0, 1e-30), "0.333333333333333");
        assert_eq!(fmt_at(f64::INFINITY, 1e-9), "inf");
        assert_eq!(fmt_at(f64::NAN, 1e-9), "NaN");
        // No usable resolution: the scale rule.
        assert_eq!(fmt_at(1.0 / 3.0, 0.0), "0.3333333333");
        assert_eq!(fmt_at(1.0 / 3.0, f64::NAN), "0.3333333333");
    }

    #[test]
    fn symmetric_numbers_print_identically() {
        let a = 0.333_333_35;
        let b = a - 1e-12;
        let shown = shown_at(&[a, b, 7.0, -0.0], 1e-9);
        assert_eq!(shown[0], shown[1]);
        assert_eq!(shown[2], "7");
        assert_eq!(shown[3], "0");
        assert!(shown_at(&[], 1e-9).is_empty());
    }

    #[test]
    fn scale_is_the_largest_finite_magnitude() {
        assert_eq!(scale_of(&[1.0, -7.0, f64::NAN, 3.0]), 7.0);
        assert_eq!(scale_of(&[]), 0.0);
    }
}
