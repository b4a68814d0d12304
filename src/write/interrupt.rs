//! Ctrl-C, decided by where the run is. Before anything is written there is nothing to take
//! back, so the terminal is restored and the run ends at once; while a project is written the
//! writer only sees a flag, takes back what it did and ends with exit 130; after the point of no
//! return the run finishes and says so.

use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};

use crate::error::{Error, Exit, Result};

const PREPARING: u8 = 0;
const WRITING: u8 = 1;
const KEPT: u8 = 2;

static PHASE: AtomicU8 = AtomicU8::new(PREPARING);
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Install the handler; done once, at the start of the program.
pub fn install() {
    // A second call fails harmlessly: the handler is already there.
    let _ = ctrlc::set_handler(|| {
        if PHASE.load(Ordering::SeqCst) == PREPARING {
            // A prompt may have hidden the cursor; nothing is on disk yet but the lock.
            if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
                let _ = console::Term::stderr().show_cursor();
            }
            super::lock::remove_held();
            eprintln!("\ncancelled; nothing was written");
            std::process::exit(i32::from(Exit::Interrupted.code()));
        }
        INTERRUPTED.store(true, Ordering::SeqCst);
    });
}

/// From here on Ctrl-C is a request the writer honours at its next step.
pub fn writing() {
    PHASE.store(WRITING, Ordering::SeqCst);
}

/// The project is in place: a Ctrl-C from now on only means the run ends after it finishes.
pub fn kept() {
    PHASE.store(KEPT, Ordering::SeqCst);
    #[cfg(test)]
    crate::disk::fault::kept();
}

/// `Err(Interrupted)` once Ctrl-C came while writing.
pub fn check() -> Result<()> {
    let signalled = INTERRUPTED.load(Ordering::SeqCst) && PHASE.load(Ordering::SeqCst) == WRITING;
    #[cfg(test)]
    let signalled = signalled || crate::disk::fault::interrupted();
    if signalled {
        Err(Error::Interrupted)
    } else {
        Ok(())
    }
}

/// Whether Ctrl-C came after the point of no return, so the run can say it finished anyway.
pub fn came_late() -> bool {
    INTERRUPTED.load(Ordering::SeqCst) && PHASE.load(Ordering::SeqCst) == KEPT
}
