//! The random draws Envoy makes per request, reproducible from a seed,
//! and `--count`'s tally of them.

use serde_json::{Map, Value};

use super::result::{Destination, FaultCounts, Simulation};

/// SplitMix64: small, fast, and the same sequence for the same seed on
/// every platform.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// Envoy's weighted cluster choice: a random number modulo the total
/// weight, then the first cluster whose cumulative weight exceeds it.
/// `cumulative` holds the running sums of the weights, in route order.
pub fn weighted_choice(cumulative: &[u64], random: u64) -> Option<usize> {
    let total = *cumulative.last()?;
    if total == 0 {
        return None;
    }
    let selected = random % total;
    Some(cumulative.partition_point(|&end| end <= selected))
}

/// Envoy's fractional percentage check: `random % denominator < numerator`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fraction {
    pub numerator: u64,
    pub denominator: u64,
}

impl Fraction {
    /// A `Percent` (double 0..100), as Istio hands it to Envoy: per million.
    pub fn from_percentage(value: f64) -> Self {
        Fraction {
            numerator: (value * 10_000.0) as u64,
            denominator: 1_000_000,
        }
    }

    /// A legacy integer percent, per hundred.
    pub fn from_percent(value: i64) -> Self {
        Fraction {
            numerator: value.max(0) as u64,
            denominator: 100,
        }
    }

    pub fn hit(self, random: u64) -> bool {
        random % self.denominator < self.numerator
    }

    pub fn share(self) -> f64 {
        (self.numerator as f64 / self.denominator as f64).min(1.0)
    }
}

/// `host/subset`, or `host`.
fn count_key(d: &Destination) -> String {
    match &d.subset {
        Some(s) => format!("{}/{s}", d.host),
        None => d.host.clone(),
    }
}

/// Draws `count` requests: the fault filter's delay and abort draws, then
/// (for requests not aborted) Envoy's weighted cluster choice.
pub fn draw_counts(sim: &mut Simulation, count: u64, seed: u64) {
    let mut cumulative = Vec::with_capacity(sim.destinations.len());
    let mut running = 0u64;
    for d in &sim.destinations {
        running += u64::from(d.weight);
        cumulative.push(running);
    }
    let fault = sim.fault.as_ref();
    let delay = fault
        .and_then(|f| f.delay.as_ref())
        .map(|d| Fraction::from_percentage(d.percentage))
        .filter(|f| f.numerator > 0);
    let abort = fault
        .and_then(|f| f.abort.as_ref())
        .map(|a| Fraction::from_percentage(a.percentage))
        .filter(|f| f.numerator > 0);
    let mut hits = vec![0u64; sim.destinations.len()];
    let (mut delayed, mut aborted) = (0u64, 0u64);
    let mut rng = SplitMix64::new(seed);
    let single = sim.destinations.len() == 1;
    for _ in 0..count {
        if let Some(f) = delay
            && f.hit(rng.next_u64())
        {
            delayed += 1;
        }
        if let Some(f) = abort
            && f.hit(rng.next_u64())
        {
            aborted += 1;
            continue;
        }
        if single {
            hits[0] += 1;
        } else if let Some(i) = weighted_choice(&cumulative, rng.next_u64()) {
            hits[i] += 1;
        }
    }
    let reach = 1.0 - abort.map_or(0.0, Fraction::share);
    let mut counts = Map::new();
    let mut expected = Map::new();
    for (d, n) in sim.destinations.iter().zip(&hits) {
        let key = count_key(d);
        let before = counts.get(&key).and_then(Value::as_u64).unwrap_or(0);
        counts.insert(key.clone(), Value::from(before + n));
        let e = expected.get(&key).and_then(Value::as_f64).unwrap_or(0.0);
        expected.insert(key, Value::from(e + count as f64 * d.share * reach));
    }
    sim.counts = Some(counts);
    sim.expected = Some(expected);
    if fault.is_some() {
        sim.fault_counts = Some(FaultCounts { delayed, aborted });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_sequence() {
        let a: Vec<u64> = {
            let mut r = SplitMix64::new(7);
            (0..4).map(|_| r.next_u64()).collect()
        };
        let mut r = SplitMix64::new(7);
        assert_eq!(a, (0..4).map(|_| r.next_u64()).collect::<Vec<_>>());
        assert_ne!(SplitMix64::new(8).next_u64(), a[0]);
    }

    #[test]
    fn weighted_choice_walks_the_clusters_in_order() {
        let cumulative = [10, 30, 100];
        assert_eq!(weighted_choice(&cumulative, 0), Some(0));
        assert_eq!(weighted_choice(&cumulative, 9), Some(0));
        assert_eq!(weighted_choice(&cumulative, 10), Some(1));
        assert_eq!(weighted_choice(&cumulative, 29), Some(1));
        assert_eq!(weighted_choice(&cumulative, 30), Some(2));
        assert_eq!(weighted_choice(&cumulative, 199), Some(2));
        assert_eq!(weighted_choice(&[], 3), None);
    }

    #[test]
    fn fractions_are_per_million_or_per_hundred() {
        let half = Fraction::from_percentage(50.0);
        assert!(half.hit(499_999) && !half.hit(500_000));
        assert_eq!(Fraction::from_percent(10).share(), 0.1);
        assert!(!Fraction::from_percentage(0.0).hit(0));
    }
}
