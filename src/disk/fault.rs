//! Failure injection, for tests only: count the steps a run takes on the disk, and make the Nth
//! fail with an I/O error, end the run there as a kill would (a panic that no rollback sees,
//! caught by [`run`], after which every further step fails: a dead process takes no steps), or
//! let a Ctrl-C come there (what the signal handler's flag does, for this thread alone).
//! The count is per thread, so tests running side by side do not disturb each other.

use std::cell::RefCell;
use std::io;
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// The step fails with an I/O error, as on a full disk.
    Error,
    /// The run ends just before the step, as under SIGKILL.
    Kill,
    /// Ctrl-C comes just before the step: the run sees it where it next looks.
    Interrupt,
}

/// The panic payload that stands for a kill.
struct Killed;

#[derive(Default)]
struct State {
    armed: Option<(usize, Fault)>,
    taken: Vec<String>,
    fired: bool,
    dead: bool,
    interrupted: bool,
    kept: bool,
}

thread_local! {
    static STATE: RefCell<State> = RefCell::default();
}

/// What happened to the steps of a run.
pub struct Steps {
    /// Each step taken (or tried), as "what path".
    pub taken: Vec<String>,
    /// Whether the armed fault was reached.
    pub fired: bool,
}

/// Inject `fault` at step `at` (counted from 0) of what this thread runs next.
pub fn arm(at: usize, fault: Fault) {
    STATE.with_borrow_mut(|s| {
        *s = State {
            armed: Some((at, fault)),
            ..State::default()
        }
    });
}

/// Count steps without a fault.
pub fn count() {
    STATE.with_borrow_mut(|s| *s = State::default());
}

/// Stop injecting, and say what the steps were.
pub fn disarm() -> Steps {
    STATE.with_borrow_mut(|s| {
        let state = std::mem::take(s);
        Steps {
            taken: state.taken,
            fired: state.fired,
        }
    })
}

pub(super) fn step(what: &'static str, path: &Path) -> io::Result<()> {
    let fault = STATE.with_borrow_mut(|s| {
        if s.dead {
            return Some(Fault::Error);
        }
        let n = s.taken.len();
        s.taken.push(format!("{what} {}", path.display()));
        match s.armed {
            Some((at, fault)) if at == n => {
                s.fired = true;
                s.dead = fault == Fault::Kill;
                s.interrupted = fault == Fault::Interrupt;
                Some(fault)
            }
            _ => None,
        }
    });
    match fault {
        None | Some(Fault::Interrupt) => Ok(()),
        Some(Fault::Error) => Err(io::Error::other(format!("injected failure: {what}"))),
        Some(Fault::Kill) => std::panic::panic_any(Killed),
    }
}

/// Whether an injected Ctrl-C came while the run could still take everything back.
pub fn interrupted() -> bool {
    STATE.with_borrow(|s| s.interrupted && !s.kept)
}

/// The run reached its point of no return: a Ctrl-C from now on no longer stops it.
pub fn kept() {
    STATE.with_borrow_mut(|s| s.kept = true);
}

/// Run `f` as a process that may be killed: `None` when an armed kill ended it.
pub fn run<T>(f: impl FnOnce() -> T) -> Option<T> {
    quiet_kills();
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(value) => Some(value),
        Err(payload) if payload.is::<Killed>() => None,
        Err(payload) => std::panic::resume_unwind(payload),
    }
}

/// A kill is expected: it prints nothing, while every other panic still does.
fn quiet_kills() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !info.payload().is::<Killed>() {
                default(info);
            }
        }));
    });
}
