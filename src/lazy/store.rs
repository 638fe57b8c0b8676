//! The worths known in memory: a hash map while few are known, one dense array of `2^n`
//! values (NaN = not known yet) once a quarter of them are, or from the start when `n <= 16`.

use std::collections::HashMap;

use crate::memory::{self, MAX_DENSE_PLAYERS};

/// Games of at most this many players use the dense array from the start (512 KiB).
const DENSE_FROM_START: usize = 16;

pub(crate) enum Map {
    Sparse(HashMap<u64, f64>),
    Dense(Vec<f64>),
}

/// Known worths, the empty coalition's 0 included.
pub(crate) struct Store {
    n: usize,
    map: Map,
    known: usize,
    /// Known count at which the next switch to the dense array is tried.
    next_check: usize,
}

impl Store {
    pub(crate) fn new(n: usize) -> Store {
        let map = if n <= DENSE_FROM_START {
            let mut v = vec![f64::NAN; 1 << n];
            v[0] = 0.0;
            Map::Dense(v)
        } else {
            Map::Sparse(HashMap::from([(0, 0.0)]))
        };
        let next_check = if n <= MAX_DENSE_PLAYERS {
            (1usize << n) / 4
        } else {
            usize::MAX
        };
        Store {
            n,
            map,
            known: 1,
            next_check,
        }
    }

    pub(crate) fn get(&self, mask: u64) -> Option<f64> {
        match &self.map {
            Map::Dense(v) => Some(v[mask as usize]).filter(|x| !x.is_nan()),
            Map::Sparse(m) => m.get(&mask).copied(),
        }
    }

    /// Stores `value` unless the coalition is known already; true if it was new.
    pub(crate) fn insert(&mut self, mask: u64, value: f64) -> bool {
        let fresh = match &mut self.map {
            Map::Dense(v) => {
                let slot = &mut v[mask as usize];
                let fresh = slot.is_nan();
                if fresh {
                    *slot = value;
                }
                fresh
            }
            Map::Sparse(m) => match m.entry(mask) {
                std::collections::hash_map::Entry::Occupied(_) => false,
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(value);
                    true
                }
            },
        };
        if fresh {
            self.known += 1;
            if self.known >= self.next_check && !self.is_dense() {
                if memory::check_dense(self.n, 1).is_ok() {
                    self.densify();
                } else {
                    self.next_check = self.next_check.saturating_mul(2);
                }
            }
        }
        fresh
    }

    /// Known coalitions, the empty one included.
    pub(crate) fn known(&self) -> usize {
        self.known
    }

    pub(crate) fn is_dense(&self) -> bool {
        matches!(self.map, Map::Dense(_))
    }

    /// Switches to the dense array (the caller has checked the memory).
    pub(crate) fn densify(&mut self) {
        if let Map::Sparse(m) = &mut self.map {
            let mut v = vec![f64::NAN; 1 << self.n];
            for (&mask, &value) in m.iter() {
                v[mask as usize] = value;
            }
            self.map = Map::Dense(v);
        }
    }

    /// The dense array, if the store is dense.
    pub(crate) fn dense(&self) -> Option<&[f64]> {
        match &self.map {
            Map::Dense(v) => Some(v),
            Map::Sparse(_) => None,
        }
    }

    /// The known masks, the empty one excluded, in increasing order.
    pub(crate) fn masks(&self) -> Vec<u64> {
        let mut out: Vec<u64> = match &self.map {
            Map::Dense(v) => (1..v.len() as u64)
                .filter(|&m| !v[m as usize].is_nan())
                .collect(),
            Map::Sparse(m) => m.keys().copied().filter(|&k| k != 0).collect(),
        };
        out.sort_unstable();
        out
    }
}
