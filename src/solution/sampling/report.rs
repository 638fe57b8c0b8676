//! How an [`Estimate`] is shown to people: `Display` (players numbered `0..n-1`) and
//! [`Labelled`] (with the players' names and, optionally, the method and options of the run),
//! with the crate's rounding rule (`src/display.rs`).

use std::fmt;

use super::driver::Options;
use super::sampler::{Estimate, Method};
use crate::display::{fmt_number, scale_of};
use crate::error::{Error, Result};
use crate::game::default_players;

/// An [`Estimate`] with its players' names and, with [`Labelled::with_run`], the method and
/// options that produced it: what `Display` shows. Made by [`Estimate::labelled`].
///
/// A summary line (the method, the bound, the confidence and `epsilon` of the run when given;
/// then the samples, the evaluations and whether it converged), then one line per player,
/// `name  value ± half-width`: names in a column, numbers aligned on the right, all rounded at
/// one scale (the largest finite value or half-width) by the crate's rule (10 significant
/// digits at that scale, whole numbers snapped, noise shown as `0`; an infinite half-width is
/// `inf`). `Debug` on the [`Estimate`] shows the exact numbers.
///
/// ```
/// use coalitional::solution::sampling::{Bound, Estimate, Method, Options};
/// let est = Estimate {
///     values: vec![54.99999999999999, 45.125],
///     std_errors: vec![0.2, 0.3],
///     half_widths: vec![0.75, 1.5],
///     samples: 300,
///     evaluations: 600,
///     converged: true,
/// };
/// let players = ["Songjiang".to_string(), "Suzhou".to_string()];
/// let opts = Options { epsilon: 2.0, bound: Bound::Hoeffding { range: 90.0 }, ..Options::default() };
/// let shown = est.labelled(&players)?.with_run(Method::Permutation, &opts).to_string();
/// assert_eq!(
///     shown,
///     "permutation sampling, hoeffding bound (value range 90), 95% simultaneous intervals, \
///      epsilon 2: 300 samples, 600 evaluations, converged\n\
///      Songjiang      55 ± 0.75\n\
///      Suzhou     45.125 ±  1.5"
/// );
/// # Ok::<(), coalitional::Error>(())
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Labelled<'a> {
    estimate: &'a Estimate,
    players: &'a [String],
    run: Option<(Method, &'a Options)>,
}

impl Estimate {
    /// The estimate with the players' names, for display (see [`Labelled`]); an
    /// [`Error::InvalidParameter`] for `players` unless there is one name per value.
    pub fn labelled<'a>(&'a self, players: &'a [String]) -> Result<Labelled<'a>> {
        if players.len() != self.values.len() {
            return Err(Error::InvalidParameter {
                name: "players",
                reason: format!(
                    "{} names for an estimate of {} players",
                    players.len(),
                    self.values.len()
                ),
            });
        }
        Ok(Labelled {
            estimate: self,
            players,
            run: None,
        })
    }
}

impl<'a> Labelled<'a> {
    /// Also shows how the estimate was obtained: the method, the bound (with its range for
    /// Hoeffding), the confidence `1 - delta` and the target `epsilon` of `options`.
    pub fn with_run(self, method: Method, options: &'a Options) -> Labelled<'a> {
        Labelled {
            run: Some((method, options)),
            ..self
        }
    }

    /// The summary line: the run (when given), then the samples, the evaluations and whether
    /// the stopping rule was met.
    pub(crate) fn summary(&self) -> String {
        let est = self.estimate;
        let mut line = String::new();
        if let Some((method, options)) = self.run {
            let bound = match options.bound.range() {
                Some(range) => format!(
                    "{} bound (value range {})",
                    options.bound.name(),
                    fmt_number(range, 0.0)
                ),
                None => format!("{} bound", options.bound.name()),
            };
            line += &format!(
                "{method} sampling, {bound}, {}% simultaneous intervals, epsilon {}: ",
                fmt_number(100.0 * (1.0 - options.delta), 0.0),
                fmt_number(options.epsilon, 0.0)
            );
        }
        let state = if est.converged {
            "converged"
        } else {
            "NOT converged"
        };
        line += &format!(
            "{}, {}, {state}",
            count(est.samples, "sample"),
            count(est.evaluations, "evaluation")
        );
        line
    }
}

/// `"1 sample"`, `"2 samples"`.
fn count(k: u64, noun: &str) -> String {
    if k == 1 {
        format!("1 {noun}")
    } else {
        format!("{k} {noun}s")
    }
}

/// The values and half-widths as shown: rounded at one scale, the largest finite magnitude
/// among them.
pub(crate) fn shown_numbers(est: &Estimate) -> (Vec<String>, Vec<String>) {
    let scale = scale_of(est.values.iter().chain(&est.half_widths));
    let show = |xs: &[f64]| xs.iter().map(|&x| fmt_number(x, scale)).collect();
    (show(&est.values), show(&est.half_widths))
}

impl fmt::Display for Labelled<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.summary())?;
        let (values, halves) = shown_numbers(self.estimate);
        let width = |xs: &[String]| xs.iter().map(|x| x.chars().count()).max().unwrap_or(0);
        let (name_w, value_w, half_w) = (
            self.players
                .iter()
                .map(|p| p.chars().count())
                .max()
                .unwrap_or(0),
            width(&values),
            width(&halves),
        );
        for ((p, v), h) in self.players.iter().zip(&values).zip(&halves) {
            write!(f, "\n{p:<name_w$}  {v:>value_w$} ± {h:>half_w$}")?;
        }
        Ok(())
    }
}

/// The summary line and one line per player, numbered `0..n-1` (see [`Labelled`] for the
/// layout and the rounding; [`Estimate::labelled`] shows names and the run).
///
/// ```
/// use coalitional::Estimate;
/// let est = Estimate {
///     values: vec![0.25, 1.0 / 3.0],
///     std_errors: vec![0.01, f64::INFINITY],
///     half_widths: vec![0.05, f64::INFINITY],
///     samples: 1,
///     evaluations: 2,
///     converged: false,
/// };
/// assert_eq!(
///     est.to_string(),
///     "1 sample, 2 evaluations, NOT converged\n0          0.25 ± 0.05\n1  0.3333333333 ±  inf"
/// );
/// ```
impl fmt::Display for Estimate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let players = default_players(self.values.len());
        Labelled {
            estimate: self,
            players: &players,
            run: None,
        }
        .fmt(f)
    }
}
