//! What the window's commands share, held so that no command can wedge the others.
//!
//! The loaded [`Workbench`] sits behind an `RwLock<Arc<_>>`: a command takes a snapshot (the lock
//! is held only to clone the `Arc`) and works on it with no lock held, so file reads, Word
//! writing, the keychain and the network never run under a lock. A settings change builds a new
//! workbench and swaps it in; changes are serialized by their own mutex, which readers never
//! wait on. A panic while a lock was held (poisoning) is recovered from: the data behind the lock
//! is replaced whole or not at all, so it is never half-updated.
//!
//! At start the workbench is read on its own thread while the window comes up (reading and
//! checking the templates takes as long as a sixth of the window's start): the first command
//! that needs it waits for that thread.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError, RwLock};
use std::thread::JoinHandle;

use katib_core::providers::CancellationToken;
use katib_core::run::Workbench;

/// Cheap to clone (one `Arc`): a command hands a copy to the blocking pool.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

pub(crate) struct Shared {
    wb: OnceLock<RwLock<Arc<Workbench>>>,
    /// The thread reading the workbench at start, until the first command takes its result.
    loading: Mutex<Option<JoinHandle<Workbench>>>,
    /// Held while a change is written and swapped in.
    changing: Mutex<()>,
    /// The running generation's cancel token.
    cancel: Mutex<Option<CancellationToken>>,
    /// The running mail-merge's (or its draft's) cancel token; one merge at a time.
    merge_cancel: Mutex<Option<CancellationToken>>,
    /// The mail-merge samples' saved answers were added to the workbench (practice mode replays
    /// them); done once, when the merge screen first asks.
    merge_samples: AtomicBool,
}

fn recover<T>(r: Result<T, PoisonError<T>>) -> T {
    r.unwrap_or_else(PoisonError::into_inner)
}

impl AppState {
    pub fn new(wb: Workbench) -> AppState {
        let state = AppState::with(None);
        let _ = state.0.wb.set(RwLock::new(Arc::new(wb)));
        state
    }

    /// The workbench that `loading` returns (a thread that reads it, and ends the process with
    /// the error's message and exit code when it cannot).
    pub fn loading(loading: JoinHandle<Workbench>) -> AppState {
        AppState::with(Some(loading))
    }

    fn with(loading: Option<JoinHandle<Workbench>>) -> AppState {
        AppState(Arc::new(Shared {
            wb: OnceLock::new(),
            loading: Mutex::new(loading),
            changing: Mutex::new(()),
            cancel: Mutex::new(None),
            merge_cancel: Mutex::new(None),
            merge_samples: AtomicBool::new(false),
        }))
    }

    /// The lock over the workbench (the tests poison it on purpose).
    pub(crate) fn slot(&self) -> &RwLock<Arc<Workbench>> {
        self.0.wb.get_or_init(|| {
            // Taken once: `get_or_init` runs this for one caller and the others wait for it.
            let loaded = recover(self.0.loading.lock()).take().map(JoinHandle::join);
            match loaded {
                Some(Ok(wb)) => RwLock::new(Arc::new(wb)),
                // The loading thread ends the process on an error; a panic there is a bug.
                _ => {
                    eprintln!("katib: error: the workbench could not be loaded (the thread reading it stopped); start Katib again");
                    crate::exit_now(1);
                }
            }
        })
    }

    /// The current workbench (a cheap snapshot).
    pub fn wb(&self) -> Arc<Workbench> {
        recover(self.slot().read()).clone()
    }

    /// Applies `f` to a copy of the workbench (it may write files), then swaps the copy in. On
    /// error nothing changes.
    pub fn change<T, E>(&self, f: impl FnOnce(&mut Workbench) -> Result<T, E>) -> Result<T, E> {
        let _one_at_a_time: MutexGuard<()> = recover(self.0.changing.lock());
        let mut next = (*self.wb()).clone();
        let out = f(&mut next)?;
        *recover(self.slot().write()) = Arc::new(next);
        Ok(out)
    }

    /// Registers the running generation's token (replacing a stale one).
    pub fn set_cancel(&self, token: Option<CancellationToken>) {
        *recover(self.0.cancel.lock()) = token;
    }

    /// Cancels the running generation, if any.
    pub fn cancel(&self) {
        if let Some(t) = recover(self.0.cancel.lock()).take() {
            t.cancel();
        }
    }

    /// Registers the running merge's token; false (and nothing changed) when one is running.
    pub fn start_merge(&self, token: CancellationToken) -> bool {
        let mut slot = recover(self.0.merge_cancel.lock());
        if slot.as_ref().is_some_and(|t| !t.is_cancelled()) {
            return false;
        }
        *slot = Some(token);
        true
    }

    /// The merge is over (done, failed or stopped).
    pub fn end_merge(&self) {
        *recover(self.0.merge_cancel.lock()) = None;
    }

    /// Stops the running merge (or its draft), if any.
    pub fn stop_merge(&self) {
        if let Some(t) = recover(self.0.merge_cancel.lock()).take() {
            t.cancel();
        }
    }

    /// Whether the merge samples' answers still have to be added (true once, to the first caller).
    pub fn take_merge_samples_todo(&self) -> bool {
        !self.0.merge_samples.swap(true, Ordering::SeqCst)
    }

    /// Adding them failed: the next caller tries again.
    pub fn merge_samples_failed(&self) {
        self.0.merge_samples.store(false, Ordering::SeqCst);
    }
}
