//! Per-user flood control: past `max` questions within `window`, one polite notice, then
//! silence until `mute` has passed.
//!
//! Keyed by an opaque user number; knows nothing of Telegram types, messages or replies.
//! The clock is a parameter, so the rules are tested without waiting.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// What to do with one more question from a user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Answer it.
    Allow,
    /// Over the limit: send the notice once, do not answer.
    Notice,
    /// Still muted after the notice: say nothing.
    Silent,
}

#[derive(Debug, Default)]
struct UserState {
    recent: VecDeque<Instant>,
    muted_until: Option<Instant>,
}

/// Above this many tracked users, idle ones are forgotten.
const PRUNE_ABOVE: usize = 10_000;

#[derive(Debug)]
pub struct FloodGate {
    max: usize,
    window: Duration,
    mute: Duration,
    users: Mutex<HashMap<u64, UserState>>,
}

impl FloodGate {
    /// `max` = 0 turns flood control off.
    pub fn new(max: usize, window: Duration, mute: Duration) -> FloodGate {
        FloodGate {
            max,
            window,
            mute,
            users: Mutex::new(HashMap::new()),
        }
    }

    pub fn check(&self, user: u64, now: Instant) -> Verdict {
        if self.max == 0 {
            return Verdict::Allow;
        }
        // A poisoned lock only means another handler panicked mid-update; the map is
        // still usable.
        let mut users = self
            .users
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if users.len() > PRUNE_ABOVE {
            let horizon = self.window.max(self.mute);
            users.retain(|_, state| {
                state
                    .recent
                    .back()
                    .is_some_and(|last| now.saturating_duration_since(*last) < horizon)
                    || state.muted_until.is_some_and(|until| until > now)
            });
        }
        let state = users.entry(user).or_default();
        if let Some(until) = state.muted_until {
            if now < until {
                return Verdict::Silent;
            }
            state.muted_until = None;
            state.recent.clear();
        }
        while state
            .recent
            .front()
            .is_some_and(|first| now.saturating_duration_since(*first) >= self.window)
        {
            state.recent.pop_front();
        }
        if state.recent.len() >= self.max {
            state.muted_until = Some(now + self.mute);
            return Verdict::Notice;
        }
        state.recent.push_back(now);
        Verdict::Allow
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gate() -> FloodGate {
        FloodGate::new(3, Duration::from_secs(10), Duration::from_secs(60))
    }

    #[test]
    fn questions_within_the_rate_are_answered() {
        let gate = gate();
        let start = Instant::now();
        for second in 0..20 {
            let now = start + Duration::from_secs(second * 4);
            assert_eq!(gate.check(1, now), Verdict::Allow, "at {second}");
        }
    }

    #[test]
    fn past_the_rate_one_notice_then_silence_then_answers_again() {
        let gate = gate();
        let start = Instant::now();
        let at = |seconds: u64| start + Duration::from_secs(seconds);
        // Notice at 3 s, muted until 63 s.
        let verdicts: Vec<Verdict> = [0, 1, 2, 3, 4, 30, 62, 63, 64]
            .into_iter()
            .map(|second| gate.check(1, at(second)))
            .collect();
        use Verdict::*;
        assert_eq!(
            verdicts,
            vec![
                Allow, Allow, Allow, Notice, Silent, Silent, Silent, Allow, Allow
            ]
        );
    }

    #[test]
    fn users_are_counted_apart() {
        let gate = gate();
        let now = Instant::now();
        for _ in 0..3 {
            assert_eq!(gate.check(1, now), Verdict::Allow);
        }
        assert_eq!(gate.check(2, now), Verdict::Allow);
        assert_eq!(gate.check(1, now), Verdict::Notice);
    }

    #[test]
    fn a_zero_limit_turns_flood_control_off() {
        let gate = FloodGate::new(0, Duration::from_secs(1), Duration::from_secs(1));
        let now = Instant::now();
        assert!((0..100).all(|_| gate.check(1, now) == Verdict::Allow));
    }
}
