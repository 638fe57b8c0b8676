//! How far a long computation has come: a [`Progress`] in scope hears it from the crate's long
//! loops, and any thread can read it while the computation runs.
//!
//! [`Progress::run`] makes a progress record the one that the computations started inside it
//! (on the same thread) report to, as [`Token::run`](crate::cancel::Token::run) does for
//! cancellation. The computation that starts first in the scope owns the record: it resets
//! it, sets its total and advances it; computations it starts in turn (a normalisation pass
//! inside the nucleolus, say) report nothing, so the count of the outer one stays monotone.
//! What is reported, per concept:
//!
//! - [`Game::shapley`](crate::Game::shapley), [`Game::banzhaf`](crate::Game::banzhaf)
//!   (and their `try_` twins), [`Game::try_is_convex`](crate::Game::try_is_convex) and
//!   [`Game::try_is_monotone`](crate::Game::try_is_monotone): coalitions read, out of `2^n`;
//!   the worker threads of a pass count too.
//! - [`Game::nucleolus`](crate::Game::nucleolus) and
//!   [`Game::prenucleolus`](crate::Game::prenucleolus): dimensions settled, out of
//!   `2 (n - 1)`: the rank the fixed coalitions of the sequential LPs add to `{N}` (`n - 1`
//!   in all), then the rank the Kohlberg walk adds (`n - 1` again); the stage names the LP
//!   stage and its round of constraint generation, the polish or the verification.
//! - [`Game::least_core`](crate::Game::least_core),
//!   [`Game::core_is_empty`](crate::Game::core_is_empty) and
//!   [`Game::cost_of_stability`](crate::Game::cost_of_stability): rounds of constraint
//!   generation, with no total (how many rounds an LP needs is not known in advance).
//!
//! Outside a scope nothing is recorded, and the loops pay one thread-local read per
//! computation and a branch per report; inside one, a report is a relaxed atomic add, made
//! every few hundred microseconds of work (where the loops check for cancellation).
//!
//! ```
//! use coalitional::{progress::Progress, Game};
//! let g = Game::from_fn((0..12).map(|i| i.to_string()).collect(), |s| s.len() as f64)?;
//! let progress = Progress::new();
//! let watcher = progress.clone(); // e.g. moved to a thread that draws a progress bar
//! let phi = progress.run(|| g.shapley());
//! assert_eq!((watcher.done(), watcher.total()), (1 << 12, Some(1 << 12)));
//! assert!((phi["0"] - 1.0).abs() < 1e-12);
//! # Ok::<(), coalitional::Error>(())
//! ```

use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

/// A progress record: clones share it, so one can be read from another thread while a
/// computation inside [`Progress::run`] advances it.
#[derive(Clone, Debug, Default)]
pub struct Progress {
    state: Arc<State>,
}

#[derive(Debug)]
struct State {
    done: AtomicU64,
    /// `u64::MAX`: not known.
    total: AtomicU64,
    stage: Mutex<Option<String>>,
    /// A computation owns the record (nested ones then report nothing).
    owned: AtomicBool,
}

impl Default for State {
    fn default() -> State {
        State {
            done: AtomicU64::new(0),
            total: AtomicU64::new(u64::MAX),
            stage: Mutex::new(None),
            owned: AtomicBool::new(false),
        }
    }
}

/// What a [`Progress`] holds at one moment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Snapshot {
    /// Units of work done (see the module docs for the unit of each concept).
    pub done: u64,
    /// Units of work in all, when known.
    pub total: Option<u64>,
    /// The stage the computation is in, when it has stages.
    pub stage: Option<String>,
}

impl Progress {
    /// A record with nothing done.
    pub fn new() -> Progress {
        Progress::default()
    }

    /// Runs `f` with this record in scope on the current thread: the first computation of the
    /// crate that `f` starts reports to it. Scopes nest (the innermost is used).
    pub fn run<T>(&self, f: impl FnOnce() -> T) -> T {
        struct Pop;
        impl Drop for Pop {
            fn drop(&mut self) {
                SCOPE.with(|s| s.borrow_mut().pop());
            }
        }
        SCOPE.with(|s| s.borrow_mut().push(self.state.clone()));
        let _pop = Pop;
        f()
    }

    /// Units of work done so far.
    pub fn done(&self) -> u64 {
        self.state.done.load(Ordering::Relaxed)
    }

    /// Units of work in all, when known.
    pub fn total(&self) -> Option<u64> {
        match self.state.total.load(Ordering::Relaxed) {
            u64::MAX => None,
            t => Some(t),
        }
    }

    /// The current stage, for computations that have stages (the nucleolus).
    pub fn stage(&self) -> Option<String> {
        self.state
            .stage
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Done, total and stage together.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            stage: self.stage(),
            total: self.total(),
            done: self.done(),
        }
    }
}

thread_local! {
    static SCOPE: RefCell<Vec<Arc<State>>> = const { RefCell::new(Vec::new()) };
}

/// A computation's handle on the record in scope when it started: inert when there was none
/// or when an enclosing computation owns it. `Sync`, so the worker threads of a pass can
/// advance it too.
pub(crate) struct Task {
    state: Option<Arc<State>>,
}

impl Task {
    /// A handle that reports nothing (for tests and internal passes).
    #[cfg_attr(not(test), allow(dead_code))]
    pub(crate) const fn none() -> Task {
        Task { state: None }
    }

    /// Starts reporting to the innermost record in scope, if no computation owns it yet:
    /// nothing done, `total` units in all (`None`: not known), no stage.
    pub(crate) fn begin(total: Option<u64>) -> Task {
        let state = SCOPE.with(|s| s.borrow().last().cloned());
        let state = state.filter(|st| !st.owned.swap(true, Ordering::Relaxed));
        if let Some(st) = &state {
            *st.stage.lock().unwrap_or_else(PoisonError::into_inner) = None;
            st.done.store(0, Ordering::Relaxed);
            st.total.store(total.unwrap_or(u64::MAX), Ordering::Relaxed);
        }
        Task { state }
    }

    /// Whether anyone hears this task's reports.
    #[cfg_attr(not(test), allow(dead_code))]
    #[inline]
    pub(crate) fn is_active(&self) -> bool {
        self.state.is_some()
    }

    /// Counts `units` more units of work done.
    #[inline]
    pub(crate) fn add(&self, units: u64) {
        if let Some(st) = &self.state {
            st.done.fetch_add(units, Ordering::Relaxed);
        }
    }

    /// Records that `done` units are done (never moves the count back).
    #[inline]
    pub(crate) fn reach(&self, done: u64) {
        if let Some(st) = &self.state {
            st.done.fetch_max(done, Ordering::Relaxed);
        }
    }

    /// Names the current stage; `label` runs only when someone listens.
    pub(crate) fn stage(&self, label: impl FnOnce() -> String) {
        if let Some(st) = &self.state {
            *st.stage.lock().unwrap_or_else(PoisonError::into_inner) = Some(label());
        }
    }

    /// Marks the work complete: done = total, when the total is known.
    pub(crate) fn finish(&self) {
        if let Some(st) = &self.state {
            let total = st.total.load(Ordering::Relaxed);
            if total != u64::MAX {
                st.done.fetch_max(total, Ordering::Relaxed);
            }
        }
    }
}

impl Drop for Task {
    fn drop(&mut self) {
        if let Some(st) = &self.state {
            st.owned.store(false, Ordering::Relaxed);
        }
    }
}

/// Counts units on one thread and passes them to a [`Task`] in chunks (at least `every`
/// units at a time, and the rest when dropped): for hot loops, so that the shared counter is
/// touched only every so often.
pub(crate) struct Tally<'a> {
    task: &'a Task,
    pending: u64,
    every: u64,
}

impl<'a> Tally<'a> {
    pub(crate) fn new(task: &'a Task, every: u64) -> Tally<'a> {
        Tally {
            task,
            pending: 0,
            every,
        }
    }

    /// Counts `units` done.
    #[inline]
    pub(crate) fn add(&mut self, units: u64) {
        self.pending += units;
        if self.pending >= self.every {
            self.task.add(self.pending);
            self.pending = 0;
        }
    }
}

impl Drop for Tally<'_> {
    fn drop(&mut self) {
        if self.pending > 0 {
            self.task.add(self.pending);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_is_recorded_outside_a_scope() {
        let t = Task::begin(Some(10));
        assert!(!t.is_active());
        t.add(3);
        let p = Progress::new();
        assert_eq!(
            p.snapshot(),
            Snapshot {
                done: 0,
                total: None,
                stage: None
            }
        );
    }

    #[test]
    fn the_outer_task_owns_the_record() {
        let p = Progress::new();
        p.run(|| {
            let outer = Task::begin(Some(10));
            outer.stage(|| "one".into());
            outer.add(4);
            {
                let inner = Task::begin(Some(1000));
                assert!(!inner.is_active());
                inner.add(100);
            }
            assert_eq!(p.total(), Some(10));
            outer.reach(2);
            assert_eq!(p.done(), 4, "reach never moves back");
            let mut tally = Tally::new(&outer, 3);
            tally.add(2);
            assert_eq!(p.done(), 4);
            tally.add(2);
            assert_eq!(p.done(), 8);
            tally.add(1);
            drop(tally);
            assert_eq!(p.done(), 9);
            outer.finish();
        });
        assert_eq!(
            p.snapshot(),
            Snapshot {
                done: 10,
                total: Some(10),
                stage: Some("one".into())
            }
        );
        // A later computation in a new scope starts afresh.
        p.run(|| {
            let t = Task::begin(None);
            assert!(t.is_active());
            t.finish();
        });
        assert_eq!((p.done(), p.total(), p.stage()), (0, None, None));
    }
}
