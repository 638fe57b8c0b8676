//! The walk down the excess levels of a point, shared by the polish, the Kohlberg walk and the
//! tight system of the sensitivity.
//!
//! A level is an interval of excesses `[lo, hi)`: its top `a` is the largest excess below the
//! previous level's `lo` (`hi`), and `lo = a - tol`. Small levels come with their members;
//! a level of more than the caller's limit (a tie level of a glove or assignment game holds
//! millions of coalitions) comes as its interval only, and the callers stream over it with
//! [`Levels::raise_rank`], [`Levels::sample`], [`Levels::sum`] and [`Levels::most_negative`]:
//! one pass over the `2^n` values each, no set of coalitions stored.

use super::span::{OffSpan, Span};
use crate::coalition::Coalition;
use crate::error::Result;
use crate::solution::core::{for_each_in_band, most_violated_weighted, Filter};
use crate::solution::normal::Worths;

/// Coalitions fetched per scan when walking down the excess levels.
const LEVEL_BATCH: usize = 4096;

/// One excess level.
pub(super) struct Level {
    /// The largest excess in the level.
    pub(super) top: f64,
    /// The level is the coalitions with excess in `[lo, hi)`.
    pub(super) lo: f64,
    pub(super) hi: f64,
    /// How many coalitions it holds.
    pub(super) count: usize,
    /// Its members, when `count` is at most the limit asked for (else empty).
    pub(super) members: Vec<u64>,
    /// What the pass that counted a level gathered on the way (see [`Levels::next_with`]);
    /// `None` for a level taken from a batch.
    pub(super) survey: Option<Survey>,
}

/// What one pass over a level gathers besides its count.
pub(super) struct Survey {
    /// Its smallest masks, in order (up to the limit asked for).
    pub(super) first: Vec<u64>,
    /// Members that raise the rank of the span given, found by the pass against a span grown
    /// as it went, and whether they are all the level adds (the first pass of
    /// [`Levels::raise_rank`]; they are, unless the random test erred).
    pub(super) off: Option<(Vec<u64>, bool)>,
    /// `sum_S 1_S` over the level, when asked for.
    pub(super) sum: Option<Vec<f64>>,
}

impl Level {
    /// The level came without its members.
    pub(super) fn large(&self) -> bool {
        self.members.len() < self.count
    }
}

/// The excess levels of `x` (weighted excesses `e(S, x) / w(S)` when the walk has weights),
/// from the top; see the module docs.
pub(super) struct Levels<'a> {
    w: Worths<'a>,
    /// Reciprocal weights by mask, `None` for the plain excess.
    inv_w: Option<&'a [f64]>,
    x: &'a [f64],
    tol: f64,
    /// Every coalition with excess at or above `hi` has been yielded.
    hi: f64,
    /// The largest excesses below `hi`, largest first, from `pos` on.
    buffer: Vec<(f64, u64)>,
    pos: usize,
    /// The buffer holds every coalition below `hi`.
    complete: bool,
    /// The top of the next level, when the pass that counted a large level found it (then
    /// the next level is counted directly, without a scan for its top).
    next_top: Option<f64>,
}

impl<'a> Levels<'a> {
    pub(super) fn new(w: Worths<'a>, inv_w: Option<&'a [f64]>, x: &'a [f64], tol: f64) -> Self {
        Levels {
            w,
            inv_w,
            x,
            tol,
            hi: f64::INFINITY,
            buffer: Vec::new(),
            pos: 0,
            complete: false,
            next_top: None,
        }
    }

    fn fetch(&self, threshold: f64, limit: usize) -> Result<Vec<(f64, u64)>> {
        let filter = Filter {
            below: self.hi,
            need_max: false,
            ..Filter::all()
        };
        let (_, found) =
            most_violated_weighted(self.w, self.inv_w, self.x, false, threshold, limit, filter)?;
        Ok(found)
    }

    /// The next level, with its members if it holds at most `limit` coalitions; `None` when
    /// every coalition has been yielded. Fails only when cancelled (the scans check).
    pub(super) fn next(&mut self, limit: usize) -> Result<Option<Level>> {
        self.next_with(limit, None, false)
    }

    /// [`Levels::next`]; a level that needs a pass of its own to be counted also comes with
    /// that pass's [`Survey`]: its `limit` smallest masks, the first pass of
    /// [`Levels::raise_rank`] against `span` (if given), and `sum_S 1_S` (if `with_sum`).
    pub(super) fn next_with(
        &mut self,
        limit: usize,
        span: Option<&Span>,
        with_sum: bool,
    ) -> Result<Option<Level>> {
        if self.pos == self.buffer.len() {
            if self.complete {
                return Ok(None);
            }
            if let Some(top) = self.next_top.take() {
                // Below a large level: its pass found this level's top.
                if top == f64::NEG_INFINITY {
                    return Ok(None);
                }
                let (hi, lo) = (self.hi, top - self.tol);
                let level = self.counted(top, lo, hi, limit, span, with_sum)?;
                self.hi = lo;
                return Ok(Some(level));
            }
            self.buffer = self.fetch(f64::NEG_INFINITY, LEVEL_BATCH)?;
            self.complete = self.buffer.len() < LEVEL_BATCH;
            self.pos = 0;
            if self.buffer.is_empty() {
                return Ok(None);
            }
        }
        let (top, hi) = (self.buffer[self.pos].0, self.hi);
        let lo = top - self.tol;
        let end = self.buffer[self.pos..]
            .iter()
            .position(|&(e, _)| e < lo)
            .map_or(self.buffer.len(), |k| self.pos + k);
        let level = if end == self.buffer.len() && !self.complete {
            // The level may go on past the batch: count it (and gather the rest of the
            // survey), with its members if it is small enough.
            self.buffer.clear();
            self.pos = 0;
            self.complete = false;
            self.counted(top, lo, hi, limit, span, with_sum)?
        } else {
            let members: Vec<u64> = self.buffer[self.pos..end].iter().map(|&(_, m)| m).collect();
            self.pos = end;
            let count = members.len();
            let members = if count <= limit { members } else { Vec::new() };
            Level {
                top,
                lo,
                hi,
                count,
                members,
                survey: None,
            }
        };
        self.hi = lo;
        Ok(Some(level))
    }

    /// The level `[lo, hi)` (top `top`) counted and surveyed by one pass, with its members if
    /// it holds at most `limit`; when it holds more, the pass's top below `lo` (if known) is
    /// kept for the next level.
    fn counted(
        &mut self,
        top: f64,
        lo: f64,
        hi: f64,
        limit: usize,
        span: Option<&Span>,
        with_sum: bool,
    ) -> Result<Level> {
        let (count, survey, below) = self.survey(lo, hi, limit, span, with_sum)?;
        let members = if count <= limit {
            survey.first.clone()
        } else {
            Vec::new()
        };
        self.next_top = if count > limit { below } else { None };
        Ok(Level {
            top,
            lo,
            hi,
            count,
            members,
            survey: Some(survey),
        })
    }

    /// A pass over the coalitions of `[lo, hi)`.
    fn pass<T: Send>(
        &self,
        (lo, hi): (f64, f64),
        init: impl Fn() -> T + Sync,
        visit: impl Fn(&mut T, u64, f64) + Sync,
        merge: impl Fn(T, T) -> T,
    ) -> Result<T> {
        Ok(for_each_in_band(self.w, self.inv_w, self.x, (lo, hi), init, visit, merge)?.0)
    }

    /// One pass over `[lo, hi)`: its count, [`Survey`] and the largest excess below `lo` (when
    /// known, see [`for_each_in_band`]).
    fn survey(
        &self,
        lo: f64,
        hi: f64,
        keep: usize,
        span: Option<&Span>,
        with_sum: bool,
    ) -> Result<(usize, Survey, Option<f64>)> {
        let n = self.x.len();
        // Rank-raising members against a span that grows during the pass (one per thread,
        // the random test redrawn at each addition): every member is then in the final span,
        // so one pass finds all the level adds.
        struct Growing {
            span: Span,
            test: OffSpan,
            added: Vec<u64>,
        }
        type State = (usize, Vec<u64>, Option<Growing>, Vec<f64>);
        let ((count, mut first, grown, sum), below) = for_each_in_band(
            self.w,
            self.inv_w,
            self.x,
            (lo, hi),
            || -> State {
                let grown = span.map(|s| Growing {
                    span: s.clone(),
                    test: OffSpan::of(s),
                    added: Vec::new(),
                });
                (
                    0,
                    Vec::new(),
                    grown,
                    vec![0.0; if with_sum { n } else { 0 }],
                )
            },
            |(c, first, grown, sum): &mut State, m, _| {
                *c += 1;
                if first.len() < keep {
                    first.push(m);
                }
                if let Some(g) = grown {
                    if !g.test.in_span(m) && g.span.add(m) {
                        g.added.push(m);
                        g.test = OffSpan::of(&g.span);
                    }
                }
                if with_sum {
                    for i in Coalition::from_mask(m).members() {
                        sum[i] += 1.0;
                    }
                }
            },
            |(c, mut f, a, mut s): State, (d, g, b, t): State| {
                f.extend(g);
                s.iter_mut().zip(t).for_each(|(x, y)| *x += y);
                // The second range's additions that the first range's span lacks.
                let grown = match (a, b) {
                    (Some(mut a), Some(b)) => {
                        for m in b.added {
                            if a.span.add(m) {
                                a.added.push(m);
                            }
                        }
                        Some(a)
                    }
                    (a, b) => a.or(b),
                };
                (c + d, f, grown, s)
            },
        )?;
        first.sort_unstable();
        first.truncate(keep);
        Ok((
            count,
            Survey {
                first,
                off: grown.map(|g| (g.added, true)),
                sum: with_sum.then_some(sum),
            },
            below,
        ))
    }

    /// Up to `k` members of the level `[lo, hi)`, the smallest masks first.
    pub(super) fn sample(&self, lo: f64, hi: f64, k: usize) -> Result<Vec<u64>> {
        let mut found = self.pass(
            (lo, hi),
            Vec::new,
            |v: &mut Vec<u64>, m, _| {
                if v.len() < k {
                    v.push(m)
                }
            },
            |mut a, b| {
                a.extend(b);
                a
            },
        )?;
        found.sort_unstable();
        found.truncate(k);
        Ok(found)
    }

    /// Adds to `span` members of `[lo, hi)` until the level lies in it; returns those added
    /// (in the order added). Each pass keeps up to `4 n` members the random test of
    /// [`OffSpan`] places outside the span, and [`Span::add`] confirms them; passes repeat
    /// until one is complete (fewer than `4 n` found) or adds nothing.
    ///
    /// `first` is the first pass's result when a [`Survey`] made it against this `span`.
    pub(super) fn raise_rank(
        &self,
        span: &mut Span,
        lo: f64,
        hi: f64,
        mut first: Option<(Vec<u64>, bool)>,
    ) -> Result<Vec<u64>> {
        let n = self.x.len();
        let mut added = Vec::new();
        while span.rank() < n {
            let cap = 4 * n;
            let (mut found, complete) = match first.take() {
                Some(pass) => pass,
                None => {
                    let off = OffSpan::of(span);
                    let found = self.pass(
                        (lo, hi),
                        Vec::new,
                        |v: &mut Vec<u64>, m, _| {
                            if v.len() < cap && !off.in_span(m) {
                                v.push(m)
                            }
                        },
                        |mut a, b| {
                            a.extend(b);
                            a
                        },
                    )?;
                    // Fewer than `cap` found: no thread stopped collecting, so the pass holds
                    // every member the test places outside the span, and once they are added
                    // the level lies in the span (no pass needed to confirm it).
                    let complete = found.len() < cap;
                    (found, complete)
                }
            };
            found.sort_unstable();
            let before = added.len();
            for m in found {
                if span.add(m) {
                    added.push(m);
                }
            }
            if complete || added.len() == before {
                break;
            }
        }
        Ok(added)
    }

    /// `(count, sum of 1_S)` over the level `[lo, hi)`.
    pub(super) fn sum(&self, lo: f64, hi: f64) -> Result<(usize, Vec<f64>)> {
        let n = self.x.len();
        self.pass(
            (lo, hi),
            || (0usize, vec![0.0; n]),
            |(c, s): &mut (usize, Vec<f64>), m, _| {
                *c += 1;
                for i in Coalition::from_mask(m).members() {
                    s[i] += 1.0;
                }
            },
            |(c, mut s), (d, t)| {
                for (a, b) in s.iter_mut().zip(t) {
                    *a += b;
                }
                (c + d, s)
            },
        )
    }

    /// The members `S` of `[lo, hi)` with the most negative `y(S) < -cut`, at most `k`,
    /// most negative first, and the largest `y(S)` over the level.
    pub(super) fn most_negative(
        &self,
        y: &[f64],
        lo: f64,
        hi: f64,
        cut: f64,
        k: usize,
    ) -> Result<(Vec<(f64, u64)>, f64)> {
        let y_of = |m: u64| Coalition::from_mask(m).members().map(|i| y[i]).sum::<f64>();
        let (mut found, most) = self.pass(
            (lo, hi),
            || (Vec::new(), f64::NEG_INFINITY),
            |(v, most): &mut (Vec<(f64, u64)>, f64), m, _| {
                let ys = y_of(m);
                *most = most.max(ys);
                if ys < -cut {
                    v.push((ys, m));
                    if v.len() >= 8 * k.max(1) {
                        v.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
                        v.truncate(k);
                    }
                }
            },
            |(mut a, ma), (b, mb)| {
                a.extend(b);
                (a, ma.max(mb))
            },
        )?;
        found.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        found.truncate(k);
        Ok((found, most))
    }
}
