//! A bound on the source bytes the reference pass holds in flight at once:
//! a file's parse, its copy, the resolver's maps and its hits grow with its
//! size, so two of a repository's largest test files resolved side by side
//! set the run's peak memory. A file waits until the files in flight leave
//! room for it; one alone is always admitted, so every file is read.

use std::sync::{Condvar, Mutex};

/// Files in flight, by their summed size in bytes.
pub(crate) struct Gate {
    limit: u64,
    in_flight: Mutex<u64>,
    freed: Condvar,
}

/// A file's place in the gate; leaving it (drop) makes room for others.
pub(crate) struct Pass<'g> {
    gate: &'g Gate,
    size: u64,
}

/// Whether a file of `size` bytes may start while `in_flight` bytes are held.
fn admits(in_flight: u64, size: u64, limit: u64) -> bool {
    in_flight == 0 || in_flight.saturating_add(size) <= limit
}

impl Gate {
    /// A gate holding at most `limit` bytes in flight (or one larger file alone).
    pub(crate) fn new(limit: u64) -> Gate {
        Gate {
            limit,
            in_flight: Mutex::new(0),
            freed: Condvar::new(),
        }
    }

    /// Wait until a file of `size` bytes fits, then hold its place. Must not
    /// be called by a thread that already holds a place (it could wait on
    /// itself); the reference pass takes one place per job.
    pub(crate) fn enter(&self, size: u64) -> Pass<'_> {
        // A poisoned lock means a panicking job; the count is still right.
        let mut held = self.in_flight.lock().unwrap_or_else(|e| e.into_inner());
        while !admits(*held, size, self.limit) {
            held = self.freed.wait(held).unwrap_or_else(|e| e.into_inner());
        }
        *held += size;
        Pass { gate: self, size }
    }
}

impl Drop for Pass<'_> {
    fn drop(&mut self) {
        let mut held = self
            .gate
            .in_flight
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        *held -= self.size;
        self.gate.freed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_waits_for_room_unless_alone() {
        assert!(admits(0, 10, 4), "a file larger than the limit runs alone");
        assert!(admits(3, 1, 4));
        assert!(!admits(3, 2, 4));
        assert!(!admits(5, 0, 4), "over the limit, nothing joins");
    }

    #[test]
    fn leaving_makes_room() {
        let gate = Gate::new(4);
        let a = gate.enter(3);
        assert_eq!(*gate.in_flight.lock().unwrap(), 3);
        drop(a);
        let b = gate.enter(4);
        assert_eq!(*gate.in_flight.lock().unwrap(), 4);
        drop(b);
        assert_eq!(*gate.in_flight.lock().unwrap(), 0);
    }
}
