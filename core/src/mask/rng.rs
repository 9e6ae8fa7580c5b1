//! The random number generator behind the function table's generators and
//! `noise`.
//!
//! One [`StdRng`] per thread, seeded from the operating system on first use.
//! `StdRng` is a cryptographically strong generator: `noise` is a privacy
//! mechanism, and noise an attacker could predict could be subtracted again.
//! The generator is reseeded when the process id changes, so a process that
//! forks after using it (PostgreSQL's postmaster forks every backend) never
//! hands the same stream to two children.

use std::cell::RefCell;

use rand::rngs::StdRng;
use rand::SeedableRng;

struct PerThread {
    pid: u32,
    rng: StdRng,
}

thread_local! {
    static RNG: RefCell<Option<PerThread>> = const { RefCell::new(None) };
}

/// Runs `f` with this thread's generator.
pub fn with_rng<T>(f: impl FnOnce(&mut StdRng) -> T) -> T {
    RNG.with(|cell| {
        let mut slot = cell.borrow_mut();
        let pid = std::process::id();
        let state = match &mut *slot {
            Some(s) if s.pid == pid => s,
            _ => slot.insert(PerThread {
                pid,
                rng: StdRng::from_os_rng(),
            }),
        };
        f(&mut state.rng)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    #[test]
    fn thread_rng_produces_varied_values() {
        let a: u64 = with_rng(|r| r.random());
        let b: u64 = with_rng(|r| r.random());
        assert_ne!(a, b);
    }

    #[test]
    fn each_thread_gets_its_own_stream() {
        let here: u128 = with_rng(|r| r.random());
        let there: u128 = std::thread::spawn(|| with_rng(|r| r.random()))
            .join()
            .unwrap();
        assert_ne!(here, there);
    }
}
