//! A bounded pool for password hashing. Argon2id is meant to be expensive (about 19 MiB and
//! tens of milliseconds per hash), so unbounded concurrency lets a handful of callers exhaust
//! memory and CPU. Hashes run on a few long-lived worker threads (one per core, at most 8);
//! up to [`QUEUE`] more wait their turn; past that a request is refused at once as busy, which
//! the server answers with AWS's `Throttling` so SDKs back off and retry.
//!
//! Dedicated threads also keep memory flat: each worker's allocator reuses the one 19 MiB
//! buffer it freed for its next hash, where hashing on whatever thread asked leaves such
//! buffers behind in many threads' allocator pools (gigabytes after a flood, never returned).

use std::sync::atomic::{AtomicIsize, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};

/// Hashes that may wait for a turn before further ones are refused.
pub const QUEUE: usize = 64;

/// The queue is full.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Busy;

type Job = Box<dyn FnOnce() + Send>;

/// The pool; [`GATE`] is the one all password hashing goes through.
#[derive(Debug)]
pub struct Gate {
    /// `None` when no worker could be started: work then runs on the caller's thread.
    jobs: Option<SyncSender<Job>>,
    /// Jobs queued and not yet started (counted once queued, so a job that starts at once may
    /// take it below zero for a moment).
    waiting: Arc<AtomicIsize>,
}

/// The process-wide pool for password hashing, started on first use.
pub static GATE: std::sync::LazyLock<Gate> = std::sync::LazyLock::new(|| {
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get().clamp(1, 8));
    Gate::new(workers, QUEUE)
});

fn work_on(jobs: &Mutex<Receiver<Job>>) {
    loop {
        let job = match jobs.lock() {
            Ok(rx) => rx.recv(),
            Err(poisoned) => poisoned.into_inner().recv(),
        };
        match job {
            Ok(job) => job(),
            Err(_) => return,
        }
    }
}

impl Gate {
    /// `workers` threads, and at most `queue` jobs waiting for them.
    pub fn new(workers: usize, queue: usize) -> Self {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Job>(queue);
        let rx = Arc::new(Mutex::new(rx));
        let started = (0..workers.max(1))
            .filter(|i| {
                let rx = rx.clone();
                std::thread::Builder::new()
                    .name(format!("password-hash-{i}"))
                    .spawn(move || work_on(&rx))
                    .is_ok()
            })
            .count();
        Gate {
            jobs: (started > 0).then_some(tx),
            waiting: Arc::new(AtomicIsize::new(0)),
        }
    }

    /// How many jobs wait for a worker.
    pub fn waiting(&self) -> usize {
        usize::try_from(self.waiting.load(Ordering::SeqCst)).unwrap_or(0)
    }

    /// Runs `work` on a worker and waits for its result, or refuses at once when the queue is
    /// full.
    pub fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, Busy> {
        let Some(jobs) = &self.jobs else {
            return Ok(work());
        };
        let (done, result) = std::sync::mpsc::channel();
        let waiting = self.waiting.clone();
        let job: Job = Box::new(move || {
            waiting.fetch_sub(1, Ordering::SeqCst);
            let _ = done.send(work());
        });
        match jobs.try_send(job) {
            Ok(()) => {
                self.waiting.fetch_add(1, Ordering::SeqCst);
                result.recv().map_err(|_| Busy)
            }
            Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) => Err(Busy),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    #[test]
    fn never_runs_more_than_its_workers_and_refuses_past_its_queue() {
        let gate = Arc::new(Gate::new(2, 3));
        let running = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let started = Arc::new(AtomicUsize::new(0));
        let (release_tx, release_rx) = std::sync::mpsc::channel::<()>();
        let release_rx = Arc::new(Mutex::new(release_rx));
        let wait_for = |done: &dyn Fn() -> bool| {
            while !done() {
                std::thread::sleep(std::time::Duration::from_millis(1));
            }
        };
        let mut callers = Vec::new();
        // One caller at a time: two jobs run (and block), then three wait in the queue.
        for i in 0..5 {
            let (gate2, running, most, started2, rx) = (
                gate.clone(),
                running.clone(),
                most.clone(),
                started.clone(),
                release_rx.clone(),
            );
            callers.push(std::thread::spawn(move || {
                gate2.run(move || {
                    started2.fetch_add(1, Ordering::SeqCst);
                    let n = running.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(n, Ordering::SeqCst);
                    let _ = rx.lock().map(|r| r.recv());
                    running.fetch_sub(1, Ordering::SeqCst);
                })
            }));
            if i < 2 {
                wait_for(&|| started.load(Ordering::SeqCst) == i + 1);
            } else {
                wait_for(&|| gate.waiting() == i - 1);
            }
        }
        assert_eq!(gate.run(|| ()), Err(Busy), "a full queue refuses at once");
        for _ in 0..5 {
            release_tx.send(()).unwrap_or_default();
        }
        for c in callers {
            assert_eq!(c.join().ok(), Some(Ok(())));
        }
        assert_eq!(most.load(Ordering::SeqCst), 2);
        assert_eq!(gate.run(|| 7), Ok(7), "the pool keeps serving");
    }
}
