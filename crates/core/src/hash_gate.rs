//! A bounded pool for password hashing. Argon2id is meant to be expensive (about 19 MiB and
//! tens of milliseconds per hash), so unbounded concurrency lets a handful of callers exhaust
//! memory and CPU. At most [`RUNNING`] hashes run at once; up to [`QUEUE`] more wait their turn
//! (on the caller's own blocking thread); past that a request is refused at once as busy, which
//! the server answers with AWS's `Throttling` so SDKs back off and retry.

use std::sync::{Condvar, Mutex};

/// Hashes that run at once: one per core is all the machine can do anyway.
fn running_limit() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get().clamp(1, 8))
}

/// Hashes that may wait for a turn before further ones are refused.
pub const QUEUE: usize = 64;

/// The queue is full.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Busy;

#[derive(Debug, Default)]
struct State {
    running: usize,
    waiting: usize,
}

/// The gate; [`GATE`] is the one all password hashing goes through.
#[derive(Debug)]
pub struct Gate {
    state: Mutex<State>,
    turn: Condvar,
    running: usize,
    queue: usize,
}

/// The process-wide gate for password hashing.
pub static GATE: std::sync::LazyLock<Gate> =
    std::sync::LazyLock::new(|| Gate::new(running_limit(), QUEUE));

impl Gate {
    pub fn new(running: usize, queue: usize) -> Self {
        Gate {
            state: Mutex::new(State::default()),
            turn: Condvar::new(),
            running: running.max(1),
            queue,
        }
    }

    /// Runs `work` when a slot is free, or refuses at once when the queue is full.
    pub fn run<T>(&self, work: impl FnOnce() -> T) -> Result<T, Busy> {
        {
            let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
            if s.running >= self.running {
                if s.waiting >= self.queue {
                    return Err(Busy);
                }
                s.waiting += 1;
                while s.running >= self.running {
                    s = self.turn.wait(s).unwrap_or_else(|e| e.into_inner());
                }
                s.waiting -= 1;
            }
            s.running += 1;
        }
        // Released even if `work` panics, so a slot is never lost.
        let _slot = Slot(self);
        Ok(work())
    }
}

struct Slot<'a>(&'a Gate);

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        let mut s = self.0.state.lock().unwrap_or_else(|e| e.into_inner());
        s.running -= 1;
        drop(s);
        self.0.turn.notify_one();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn never_runs_more_than_its_slots_and_refuses_past_its_queue() {
        let gate = Arc::new(Gate::new(2, 3));
        let now = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let (release_tx, release_rx) = std::sync::mpsc::channel::<()>();
        let release_rx = Arc::new(Mutex::new(release_rx));
        let workers: Vec<_> = (0..5)
            .map(|_| {
                let (gate, now, most, rx) =
                    (gate.clone(), now.clone(), most.clone(), release_rx.clone());
                std::thread::spawn(move || {
                    gate.run(|| {
                        let n = now.fetch_add(1, Ordering::SeqCst) + 1;
                        most.fetch_max(n, Ordering::SeqCst);
                        let _ = rx.lock().map(|r| r.recv());
                        now.fetch_sub(1, Ordering::SeqCst);
                    })
                })
            })
            .collect();
        // Two run, three wait: wait until the queue is full, then a sixth is refused.
        loop {
            let s = gate.state.lock().unwrap_or_else(|e| e.into_inner());
            if s.running == 2 && s.waiting == 3 {
                break;
            }
            drop(s);
            std::thread::yield_now();
        }
        assert_eq!(gate.run(|| ()), Err(Busy));
        for _ in 0..5 {
            release_tx.send(()).unwrap_or_default();
        }
        for w in workers {
            assert_eq!(w.join().ok(), Some(Ok(())));
        }
        assert_eq!(most.load(Ordering::SeqCst), 2);
        assert_eq!(gate.run(|| 7), Ok(7), "slots are returned");
    }
}
