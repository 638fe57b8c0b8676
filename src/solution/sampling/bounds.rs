//! The statistics behind the estimates and the error bounds: running moments, the empirical
//! Bernstein and Hoeffding half-widths, and the schedule of checks of the stopping rule (see
//! the parent module docs for the formulas).

use crate::error::{Error, Result};

use super::Method;

/// How the confidence intervals are computed (see the module docs).
///
/// With serde: `"empirical_bernstein"` or `{"hoeffding": {"range": 2.0}}`.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Bound {
    /// Empirical Bernstein (Maurer and Pontil 2009), per cell and combined over the strata,
    /// with the range taken from the largest observed spread of marginal contributions.
    EmpiricalBernstein,
    /// Hoeffding's inequality for marginal contributions in an interval of this width.
    Hoeffding {
        /// Width of an interval that holds every marginal contribution of a player (each
        /// player may have its own interval).
        range: f64,
    },
}

impl Bound {
    /// Its name as the Python package reports it (`Estimate.bound`): `"empirical-bernstein"`
    /// or `"hoeffding"`.
    pub fn name(&self) -> &'static str {
        match self {
            Bound::EmpiricalBernstein => "empirical-bernstein",
            Bound::Hoeffding { .. } => "hoeffding",
        }
    }

    /// The range of a Hoeffding bound; `None` for empirical Bernstein.
    pub fn range(&self) -> Option<f64> {
        match *self {
            Bound::EmpiricalBernstein => None,
            Bound::Hoeffding { range } => Some(range),
        }
    }
}
/// Running mean, variance (B. P. Welford, 1962) and extremes.
#[derive(Clone, Copy, Debug)]
pub(super) struct Moments {
    pub(super) count: u64,
    pub(super) mean: f64,
    m2: f64,
    min: f64,
    max: f64,
}

impl Default for Moments {
    fn default() -> Self {
        Moments {
            count: 0,
            mean: 0.0,
            m2: 0.0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
        }
    }
}

impl Moments {
    pub(super) fn push(&mut self, x: f64) {
        self.count += 1;
        let d = x - self.mean;
        self.mean += d / self.count as f64;
        self.m2 += d * (x - self.mean);
        self.min = self.min.min(x);
        self.max = self.max.max(x);
    }

    /// The unbiased sample variance (0 below two samples).
    pub(super) fn variance(&self) -> f64 {
        if self.count > 1 {
            self.m2 / (self.count - 1) as f64
        } else {
            0.0
        }
    }

    /// max - min of the samples (0 without samples).
    pub(super) fn spread(&self) -> f64 {
        if self.count > 0 {
            self.max - self.min
        } else {
            0.0
        }
    }
}
pub(super) fn check_delta_value(delta: f64) -> Result<()> {
    if delta > 0.0 && delta < 1.0 {
        Ok(())
    } else {
        Err(Error::InvalidParameter {
            name: "delta",
            reason: format!("{delta}; it must lie strictly between 0 and 1"),
        })
    }
}

pub(super) fn check_positive(name: &'static str, x: f64) -> Result<()> {
    if x > 0.0 && x.is_finite() {
        Ok(())
    } else {
        Err(Error::InvalidParameter {
            name,
            reason: format!("{x}; it must be a positive number"),
        })
    }
}
/// The empirical Bernstein half-width of `sum_s w X̄_s` over the random `cells` with range
/// `b`, at confidence `1 - 1/inv_delta` (module docs): `sqrt(2 L sum_s w^2 sbar_s^2 / m_s) +
/// (L/3) w b / min_s m_s`, `sbar_s = S_s + b sqrt(2 L / (m_s - 1))`, `L = ln((K + 2) /
/// delta)`. No random cell: exact, 0. A cell with fewer than two samples, or no spread
/// seen anywhere (`b = 0`, no scale): infinite.
pub(super) fn empirical_bernstein(cells: &[&Moments], w: f64, b: f64, inv_delta: f64) -> f64 {
    if cells.is_empty() {
        return 0.0;
    }
    if cells.iter().any(|m| m.count < 2) || b <= 0.0 {
        return f64::INFINITY;
    }
    let l = ((cells.len() + 2) as f64 * inv_delta).ln();
    let var: f64 = cells
        .iter()
        .map(|m| {
            let sbar = m.variance().sqrt() + b * (2.0 * l / (m.count - 1) as f64).sqrt();
            w * w * sbar * sbar / m.count as f64
        })
        .sum();
    let fewest = cells.iter().map(|m| m.count).min().unwrap_or(1) as f64;
    (2.0 * l * var).sqrt() + l / 3.0 * w * b / fewest
}

/// Rounds needed for Hoeffding half-widths of at most `epsilon` with probability `1 - delta`
/// (marginal contributions in an interval of width `range`): `ceil(range^2 ln(2n/delta) /
/// (2 epsilon^2))` orders or Banzhaf rounds; for the stratified method, a factor `n` fewer
/// (each round gives every one of the `n` strata a sample). At least 1.
pub fn hoeffding_rounds(
    n: usize,
    method: Method,
    epsilon: f64,
    delta: f64,
    range: f64,
) -> Result<u64> {
    if n == 0 {
        return Err(Error::NoPlayers);
    }
    check_positive("epsilon", epsilon)?;
    check_delta_value(delta)?;
    check_positive("range", range)?;
    let m = range * range * (2.0 * n as f64 / delta).ln() / (2.0 * epsilon * epsilon);
    let m = if method == Method::Stratified {
        m / n as f64
    } else {
        m
    };
    // `as` saturates: an absurd request asks for u64::MAX rounds, which `max_rounds` caps.
    Ok(m.ceil().max(1.0) as u64)
}

/// Rounds after which [`sample`](super::sample) checks its stopping rule for the `k`-th time (`k >= 1`):
/// 32, then 1.5 times as many each time (`r_{k+1} = r_k + floor(r_k / 2)`: 32, 48, 72,
/// 108, ...). A fixed schedule, independent of the data, so that [`check_delta`] makes the
/// intervals valid at whatever check the rule stops. `k = 0` gives 0.
pub fn checkpoint(k: u32) -> u64 {
    if k == 0 {
        return 0;
    }
    let mut r: u64 = 32;
    for _ in 1..k {
        r = r.saturating_add(r / 2);
    }
    r
}

/// The confidence spent at the `k`-th check (`k >= 1`): `delta_k = delta / (k (k + 1))`,
/// which add up to `delta` over all checks.
pub fn check_delta(delta: f64, k: u32) -> f64 {
    let k = f64::from(k.max(1));
    delta / (k * (k + 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moments_track_mean_variance_and_spread() {
        let mut m = Moments::default();
        assert_eq!(m.spread(), 0.0);
        for x in [1e8 + 2.0, 1e8 - 1.0, 1e8 + 5.0] {
            m.push(x);
        }
        // Mean 1e8 + 2, deviations 0, -3, 3: variance 18 / 2 = 9.
        assert!((m.mean - (1e8 + 2.0)).abs() < 1e-7);
        assert!((m.variance() - 9.0).abs() < 1e-6);
        assert_eq!(m.spread(), 6.0);
    }
}
