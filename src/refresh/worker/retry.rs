//! When a key that failed is tried again: a growing, jittered delay, capped so that a node
//! that is back is used within seconds.

use std::time::Duration;

/// The longest wait before a failed key is tried again, whatever its TTL.
const MAX_RETRY_DELAY: Duration = Duration::from_secs(30);

/// When a key that failed `failures` times in a row is tried again: the growing delay, not
/// before the nodes rest `allowed`, but never later than the key's `ttl` nor 30 s, so that a
/// node that is back is used within seconds.
pub(super) fn next_try(failures: u32, allowed: Duration, ttl: Duration) -> Duration {
    let cap = ttl.min(MAX_RETRY_DELAY).max(Duration::from_secs(1));
    retry_delay(failures).max(allowed).min(cap)
}

/// 2 s, 4 s, 8 s … up to 5 minutes, each with full jitter above half.
fn retry_delay(failures: u32) -> Duration {
    let base = Duration::from_secs(2)
        .saturating_mul(2_u32.saturating_pow(failures.saturating_sub(1).min(10)));
    let capped = base.min(Duration::from_secs(300));
    capped.mul_f64(0.5 + 0.5 * rand::random::<f64>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_delays_grow_and_stay_capped() {
        assert!(retry_delay(1) <= Duration::from_secs(2));
        assert!(retry_delay(3) >= Duration::from_secs(4));
        assert!(retry_delay(30) <= Duration::from_secs(300));
    }

    #[test]
    fn the_next_try_is_never_later_than_the_ttl_nor_30_seconds() {
        let secs = Duration::from_secs;
        for failures in 1..40 {
            // Nodes resting 99 s, as they do after a few cool-downs: the TTL wins.
            assert!(next_try(failures, secs(99), secs(5)) <= secs(5));
            assert!(next_try(failures, secs(99), secs(300)) <= secs(30));
            assert!(next_try(failures, Duration::ZERO, secs(3600)) <= secs(30));
            assert!(next_try(failures, Duration::ZERO, Duration::ZERO) >= secs(1));
        }
        assert!(
            next_try(1, secs(4), secs(60)) >= secs(4),
            "not before a node is back, within the cap"
        );
        assert!(
            next_try(1, Duration::ZERO, secs(60)) <= secs(2),
            "and grows from 2 s"
        );
    }
}
