//! Cancelling long computations: Ctrl-C in Python, or a [`Token`] cancelled from another thread
//! in Rust.
//!
//! The long loops of the solution concepts call [`check`] every few hundred microseconds of
//! work: the LP stages and the rounds of constraint generation, the simplex iterations, the
//! streaming passes over the `2^n` values (Shapley, Banzhaf, tau, the excess scans of the
//! core, the nucleolus and the settlement), the Kohlberg walk and the polish of the nucleolus,
//! the property checks, the core-vertex enumeration, the Owen value and the sampling driver.
//! Once cancellation has been requested, `check` returns [`Error::Interrupted`] and the
//! computation unwinds through its `Result`s: these functions stop within a fraction of a
//! second with `Err(Error::Interrupted)`. (Single passes that build a game, such as
//! [`Game::from_fn`](crate::Game::from_fn), do not check.)
//!
//! # Scopes, not a global switch
//!
//! Cancellation belongs to a scope: [`Token::run`] makes a token the one that [`check`] looks
//! at, on the current thread, while a closure runs. Outside every scope nothing is ever
//! cancelled and `check` costs one thread-local read, so a Rust program that never creates a
//! [`Token`] behaves exactly as if this module did not exist. Scopes nest: inside a nested
//! `run`, cancelling the inner or any outer token stops the computation. A token stays
//! cancelled until [`Token::reset`], so a cancelled token stops every later run at its first
//! check; a computation that returns no error (because it finished before it next checked)
//! returns its complete, correct result.
//!
//! ```
//! use coalitional::{cancel::Token, Error, Game};
//! let g = Game::from_fn((0..12).map(|i| i.to_string()).collect(), |s| (s.len() as f64).powi(2))?;
//! let token = Token::new();
//! let stopper = token.clone(); // e.g. moved to a thread that watches a deadline or a button
//! stopper.cancel();
//! assert_eq!(token.run(|| g.nucleolus()), Err(Error::Interrupted));
//! token.reset();
//! assert!(token.run(|| g.nucleolus()).is_ok());
//! # Ok::<(), coalitional::Error>(())
//! ```
//!
//! # Worker threads
//!
//! The passes over large games run on several threads (`solution::kernel::over_blocks`). A
//! worker thread inherits the cancellation flags of the thread that started the pass (shared
//! `Arc<AtomicBool>`s, read with relaxed loads every 2^18 values) and nothing else: it never
//! runs a poll (below) and never touches Python. The starting thread works on its own share of
//! the pass and then waits for the workers in short sleeps, checking (and so polling) in
//! between; whatever sets a flag, a worker sees it at its next check and stops.
//!
//! # Polls: how Ctrl-C reaches a Rust loop
//!
//! Python runs its signal handlers (the one for SIGINT raises `KeyboardInterrupt`) only when
//! the main thread checks for signals while attached to the interpreter, which a Rust loop
//! running without the GIL never does. The Python binding therefore wraps each long call in a
//! scope with a *poll* (crate-private): a closure that attaches to the interpreter briefly and
//! calls `PyErr_CheckSignals`. [`check`] runs the innermost poll of its thread at most once per
//! [`POLL_INTERVAL`] (measured with [`std::time::Instant`], so the rate does not depend on how
//! often the loops check); when the poll reports a pending exception, the scope's flag is set
//! (the workers see it) and the binding re-raises that very exception (the real
//! `KeyboardInterrupt`, or whatever a user's signal handler raised) in place of
//! [`Error::Interrupted`]. Calls shorter than the interval never attach at all. A poll may run
//! Python code (signal handlers), which may call back into this crate: the poll is taken out of
//! its scope while it runs, so nested scopes work and nothing is borrowed twice.
//!
//! # Functions without `Result`
//!
//! [`Game::shapley`](crate::Game::shapley), [`Game::banzhaf`](crate::Game::banzhaf),
//! [`Game::is_convex`](crate::Game::is_convex) and [`Game::is_monotone`](crate::Game::is_monotone)
//! have no way to report cancellation, so they do not observe it: they always run to the end
//! and return the exact answer, even inside a cancelled scope. Their fallible twins
//! [`Game::try_shapley`](crate::Game::try_shapley), [`Game::try_banzhaf`](crate::Game::try_banzhaf),
//! [`Game::try_is_convex`](crate::Game::try_is_convex) and
//! [`Game::try_is_monotone`](crate::Game::try_is_monotone) do, and are what the Python binding
//! calls.

use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::error::{Error, Result};

/// How often [`check`] runs a thread's poll (the Python binding's signal check), at most.
pub const POLL_INTERVAL: Duration = Duration::from_millis(50);

/// A cancellation token: cancel it from any thread, and every computation running inside
/// [`Token::run`] with it stops at its next check with [`Error::Interrupted`].
///
/// Clones share one flag (an `Arc<AtomicBool>`), so a clone can be moved to the thread that
/// decides to cancel.
#[derive(Clone, Debug, Default)]
pub struct Token {
    flag: Arc<AtomicBool>,
}

impl Token {
    /// A token that is not cancelled.
    pub fn new() -> Token {
        Token::default()
    }

    /// Requests cancellation: computations running inside [`Token::run`] with this token (or
    /// a clone) return [`Error::Interrupted`] at their next check, and so does every later run
    /// until [`Token::reset`].
    pub fn cancel(&self) {
        self.flag.store(true, Ordering::Relaxed);
    }

    /// Whether cancellation has been requested (and not reset since).
    pub fn is_cancelled(&self) -> bool {
        self.flag.load(Ordering::Relaxed)
    }

    /// Withdraws a cancellation request, so that the token can be used again.
    pub fn reset(&self) {
        self.flag.store(false, Ordering::Relaxed);
    }

    /// Runs `f` on the current thread with this token in scope: inside `f`, [`check`] (and so
    /// every long computation of the crate) fails with [`Error::Interrupted`] once the token
    /// is cancelled. Scopes nest (an enclosing token cancels too). Returns what `f` returns.
    pub fn run<T>(&self, f: impl FnOnce() -> T) -> T {
        let _restore = Restore::current();
        SCOPE.with(|s| s.borrow_mut().flags.push(self.flag.clone()));
        f()
    }
}

/// Fails with [`Error::Interrupted`] when a token in scope on this thread has been cancelled
/// (see [`Token::run`]); runs this thread's poll first when one is installed and
/// [`POLL_INTERVAL`] has passed since it last ran. Outside every scope it always succeeds.
///
/// Cheap (a thread-local read, an atomic load per enclosing scope, and a clock read when a
/// poll is installed), but meant to be called every few thousand elements of a hot loop, not
/// for every element. Long-running closures handed to the crate (e.g. the worth function of
/// [`Game::try_from_fn`](crate::Game::try_from_fn)) may call it too.
pub fn check() -> Result<()> {
    let due = SCOPE.with(|s| {
        let s = s.borrow();
        if s.flags.iter().any(|f| f.load(Ordering::Relaxed)) {
            return Err(Error::Interrupted);
        }
        Ok(match s.polls.last() {
            Some(p) if p.hook.is_some() => Instant::now() >= p.next,
            _ => false,
        })
    })?;
    if due {
        run_poll()
    } else {
        Ok(())
    }
}

/// A poll: returns true when the computation must stop (the binding keeps the reason).
type Hook = Box<dyn FnMut() -> bool>;

struct Poll {
    /// `None` while it runs (it may call back into the crate, see the module docs).
    hook: Option<Hook>,
    /// The flag of its scope, set when the poll says stop.
    flag: Arc<AtomicBool>,
    /// When it may run next.
    next: Instant,
}

/// The cancellation state of one thread.
struct Scope {
    /// The flags of the enclosing scopes, innermost last.
    flags: Vec<Arc<AtomicBool>>,
    /// The polls of the enclosing scopes, innermost last; only the innermost runs.
    polls: Vec<Poll>,
}

thread_local! {
    static SCOPE: RefCell<Scope> = const {
        RefCell::new(Scope {
            flags: Vec::new(),
            polls: Vec::new(),
        })
    };
}

/// Runs the innermost poll now (it is taken out of the scope while it runs).
fn run_poll() -> Result<()> {
    let Some((depth, mut hook)) = SCOPE.with(|s| {
        let mut s = s.borrow_mut();
        let depth = s.polls.len().checked_sub(1)?;
        s.polls[depth].hook.take().map(|h| (depth, h))
    }) else {
        return Ok(());
    };
    let stop = hook();
    SCOPE.with(|s| {
        let mut s = s.borrow_mut();
        // The scopes opened by the poll itself are closed again, so `depth` is still ours.
        if let Some(p) = s.polls.get_mut(depth) {
            p.hook = Some(hook);
            p.next = Instant::now() + POLL_INTERVAL;
            if stop {
                p.flag.store(true, Ordering::Relaxed);
            }
        }
    });
    if stop {
        Err(Error::Interrupted)
    } else {
        Ok(())
    }
}

/// Runs `f` in a new scope whose flag is set when `poll` (run by [`check`] on this thread at
/// most every [`POLL_INTERVAL`], first after one interval) returns true. For the Python
/// binding: the poll checks for signals and keeps the exception.
#[cfg_attr(not(feature = "python"), allow(dead_code))]
pub(crate) fn with_poll<T>(poll: Hook, f: impl FnOnce() -> T) -> T {
    let _restore = Restore::current();
    let flag = Arc::new(AtomicBool::new(false));
    SCOPE.with(|s| {
        let mut s = s.borrow_mut();
        s.flags.push(flag.clone());
        s.polls.push(Poll {
            hook: Some(poll),
            flag,
            next: Instant::now() + POLL_INTERVAL,
        });
    });
    f()
}

/// The flags in scope on the current thread, for the worker threads of a pass (see the
/// module docs): they are checked there, but no poll runs.
pub(crate) struct Inherited(Vec<Arc<AtomicBool>>);

impl Inherited {
    /// The flags in scope on this thread now.
    pub(crate) fn current() -> Inherited {
        Inherited(SCOPE.with(|s| s.borrow().flags.clone()))
    }

    /// Runs `f` with these flags in scope (on a worker thread).
    pub(crate) fn enter<T>(&self, f: impl FnOnce() -> T) -> T {
        let _restore = Restore::current();
        SCOPE.with(|s| s.borrow_mut().flags.extend(self.0.iter().cloned()));
        f()
    }
}

/// Calls [`check`] once per `every` units of work: a counter rather than a clock, for loops
/// whose steps vary in cost (simplex pivots, subsets of varying size).
pub(crate) struct Meter {
    left: usize,
    every: usize,
}

impl Meter {
    /// A meter that checks after every `every` units (and at the first tick).
    pub(crate) fn new(every: usize) -> Meter {
        Meter { left: 0, every }
    }

    /// Counts `work` units; checks when the budget is spent.
    #[inline]
    pub(crate) fn tick(&mut self, work: usize) -> Result<()> {
        if work >= self.left {
            self.left = self.every;
            check()
        } else {
            self.left -= work;
            Ok(())
        }
    }
}

/// Closes the scopes opened after it was made (also when unwinding from a panic).
struct Restore {
    flags: usize,
    polls: usize,
}

impl Restore {
    fn current() -> Restore {
        SCOPE.with(|s| {
            let s = s.borrow();
            Restore {
                flags: s.flags.len(),
                polls: s.polls.len(),
            }
        })
    }
}

impl Drop for Restore {
    fn drop(&mut self) {
        SCOPE.with(|s| {
            let mut s = s.borrow_mut();
            s.flags.truncate(self.flags);
            s.polls.truncate(self.polls);
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;
    use std::rc::Rc;

    #[test]
    fn nothing_is_cancelled_outside_a_scope() {
        assert_eq!(check(), Ok(()));
        let t = Token::new();
        t.cancel();
        assert_eq!(check(), Ok(()));
        assert_eq!(t.run(check), Err(Error::Interrupted));
        assert_eq!(check(), Ok(()), "the scope is closed again");
    }

    #[test]
    fn scopes_nest() {
        let (outer, inner) = (Token::new(), Token::new());
        let got = outer.run(|| {
            inner.run(|| {
                assert_eq!(check(), Ok(()));
                outer.cancel();
                check()
            })
        });
        assert_eq!(got, Err(Error::Interrupted));
        assert!(outer.is_cancelled() && !inner.is_cancelled());
        outer.reset();
        assert_eq!(outer.run(check), Ok(()));
    }

    #[test]
    fn workers_inherit_flags() {
        let t = Token::new();
        let inherited = t.run(Inherited::current);
        t.cancel();
        let on_worker = std::thread::scope(|s| s.spawn(|| inherited.enter(check)).join());
        assert_eq!(on_worker.unwrap(), Err(Error::Interrupted));
    }

    #[test]
    fn polls_run_at_most_once_per_interval_and_set_the_flag() {
        let calls = Rc::new(Cell::new(0));
        let seen = calls.clone();
        let start = Instant::now();
        let stopped = with_poll(
            Box::new(move || {
                seen.set(seen.get() + 1);
                seen.get() >= 2
            }),
            || loop {
                if check().is_err() {
                    // Once stopped, the flag answers without polling again.
                    assert_eq!(check(), Err(Error::Interrupted));
                    break Instant::now();
                }
            },
        );
        assert_eq!(calls.get(), 2);
        assert!(stopped - start >= 2 * POLL_INTERVAL);
        assert_eq!(check(), Ok(()));
    }

    #[test]
    fn a_poll_may_open_scopes_of_its_own() {
        let stop = with_poll(
            Box::new(|| with_poll(Box::new(|| false), || check().is_ok())),
            || loop {
                if check().is_err() {
                    break true;
                }
            },
        );
        assert!(stop);
    }

    #[test]
    fn meters_check_once_per_budget() {
        let t = Token::new();
        t.cancel();
        t.run(|| {
            let mut m = Meter::new(10);
            assert!(m.tick(1).is_err(), "the first tick checks");
            assert!(m.tick(4).is_ok() && m.tick(5).is_ok());
            assert!(m.tick(1).is_err());
        });
    }
}
