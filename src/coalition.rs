//! Coalitions as bit masks: bit `i` set means player `i` is a member.

use std::fmt;

use crate::error::{Error, Result};

/// A set of players, stored as a bit mask (bit `i` set = player `i` is in the coalition).
///
/// The mask is also the coalition's index in a dense game's value vector.
///
/// # Example
/// ```
/// use coalitional::Coalition;
/// let s = Coalition::from_members(&[0, 2]);
/// assert_eq!(s.mask(), 0b101);
/// assert_eq!(s.len(), 2);
/// assert!(s.contains(2) && !s.contains(1));
/// assert_eq!(s.members().collect::<Vec<_>>(), vec![0, 2]);
/// ```
///
/// With serde it reads and writes as its bit mask, a plain integer.
#[derive(
    Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(transparent)]
pub struct Coalition(u64);

impl Coalition {
    /// The empty coalition.
    pub const EMPTY: Coalition = Coalition(0);

    /// The coalition with this bit mask.
    pub const fn from_mask(mask: u64) -> Self {
        Coalition(mask)
    }

    /// The grand coalition of `n` players (`n <= 63`).
    pub const fn grand(n: usize) -> Self {
        Coalition((1u64 << n) - 1)
    }

    /// The coalition of just player `i`.
    pub const fn singleton(i: usize) -> Self {
        Coalition(1u64 << i)
    }

    /// The coalition of the given player indices (each below 64).
    pub fn from_members(members: &[usize]) -> Self {
        Coalition(members.iter().fold(0u64, |m, &i| m | (1u64 << i)))
    }

    /// The bit mask, which is also the index into a dense value vector.
    pub const fn mask(self) -> u64 {
        self.0
    }

    /// The bit mask as a vector index.
    pub const fn index(self) -> usize {
        self.0 as usize
    }

    /// Number of members.
    pub const fn len(self) -> usize {
        self.0.count_ones() as usize
    }

    /// True for the empty coalition.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// True if player `i` is a member.
    pub const fn contains(self, i: usize) -> bool {
        i < 64 && self.0 & (1u64 << i) != 0
    }

    /// This coalition with player `i` added.
    pub const fn with(self, i: usize) -> Self {
        Coalition(self.0 | (1u64 << i))
    }

    /// This coalition with player `i` removed.
    pub const fn without(self, i: usize) -> Self {
        Coalition(self.0 & !(1u64 << i))
    }

    /// Union of two coalitions.
    pub const fn union(self, other: Coalition) -> Self {
        Coalition(self.0 | other.0)
    }

    /// Intersection of two coalitions.
    pub const fn intersection(self, other: Coalition) -> Self {
        Coalition(self.0 & other.0)
    }

    /// True if every member of `self` is a member of `other`.
    pub const fn is_subset_of(self, other: Coalition) -> bool {
        self.0 & !other.0 == 0
    }

    /// The member indices in increasing order.
    pub fn members(self) -> Members {
        Members(self.0)
    }

    /// All subsets of this coalition, the empty set first and `self` last.
    ///
    /// ```
    /// use coalitional::Coalition;
    /// let subs: Vec<u64> = Coalition::from_mask(0b101).subsets().map(|s| s.mask()).collect();
    /// assert_eq!(subs, vec![0b000, 0b001, 0b100, 0b101]);
    /// ```
    pub fn subsets(self) -> Subsets {
        Subsets {
            of: self.0,
            next: Some(0),
        }
    }

    /// The coalition written with player names, e.g. `{Suzhou, Hangzhou}`.
    pub fn display_with<'a, S: AsRef<str>>(self, players: &'a [S]) -> impl fmt::Display + 'a {
        NamedCoalition {
            coalition: self,
            players,
        }
    }

    /// The coalition written with player names, as a `String`.
    pub fn names<S: AsRef<str>>(self, players: &[S]) -> String {
        self.display_with(players).to_string()
    }
}

impl fmt::Debug for Coalition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Coalition({:#b})", self.0)
    }
}

impl fmt::Display for Coalition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("{")?;
        for (k, i) in self.members().enumerate() {
            if k > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{i}")?;
        }
        f.write_str("}")
    }
}

struct NamedCoalition<'a, S> {
    coalition: Coalition,
    players: &'a [S],
}

impl<S: AsRef<str>> fmt::Display for NamedCoalition<'_, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("{")?;
        for (k, i) in self.coalition.members().enumerate() {
            if k > 0 {
                f.write_str(", ")?;
            }
            match self.players.get(i) {
                Some(name) => f.write_str(name.as_ref())?,
                None => write!(f, "#{i}")?,
            }
        }
        f.write_str("}")
    }
}

/// Iterator over the members of a coalition, in increasing order.
#[derive(Clone, Debug)]
pub struct Members(u64);

impl Iterator for Members {
    type Item = usize;
    fn next(&mut self) -> Option<usize> {
        if self.0 == 0 {
            return None;
        }
        let i = self.0.trailing_zeros() as usize;
        self.0 &= self.0 - 1;
        Some(i)
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        let k = self.0.count_ones() as usize;
        (k, Some(k))
    }
}

impl ExactSizeIterator for Members {}

/// Iterator over the subsets of a coalition (Gosper-free: the `(s - of) & of` walk).
#[derive(Clone, Debug)]
pub struct Subsets {
    of: u64,
    next: Option<u64>,
}

impl Iterator for Subsets {
    type Item = Coalition;
    fn next(&mut self) -> Option<Coalition> {
        let s = self.next?;
        self.next = if s == self.of {
            None
        } else {
            Some((s.wrapping_sub(self.of)) & self.of)
        };
        Some(Coalition(s))
    }
}

/// The masks of `parts` (player indices), checked to partition the players: an
/// [`Error::InvalidParameter`] for the parameter `name` names an empty part, a player in two
/// parts or a player in none (each part called a `word`: "block", "union"); an index beyond
/// the players is an [`Error::PlayerIndexOutOfRange`].
pub(crate) fn partition_masks(
    players: &[String],
    parts: &[Vec<usize>],
    name: &'static str,
    word: &str,
) -> Result<Vec<u64>> {
    let n = players.len();
    let bad = |reason: String| Error::InvalidParameter { name, reason };
    let mut seen = 0u64;
    let mut masks = Vec::with_capacity(parts.len());
    for (k, block) in parts.iter().enumerate() {
        if block.is_empty() {
            return Err(bad(format!("{word} {k} is empty")));
        }
        let mut mask = 0u64;
        for &i in block {
            if i >= n {
                return Err(Error::PlayerIndexOutOfRange { index: i, n });
            }
            if seen >> i & 1 == 1 {
                return Err(bad(format!(
                    "player {} is in more than one {word}",
                    players[i]
                )));
            }
            seen |= 1 << i;
            mask |= 1 << i;
        }
        masks.push(mask);
    }
    if let Some(i) = (0..n).find(|&i| seen >> i & 1 == 0) {
        return Err(bad(format!(
            "player {} is in no {word}; the {word}s must partition the players",
            players[i]
        )));
    }
    Ok(masks)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subsets_count_is_two_to_the_size() {
        for mask in [0u64, 1, 0b1011, 0b1111_0000_1010] {
            let c = Coalition::from_mask(mask);
            let subs: Vec<_> = c.subsets().collect();
            assert_eq!(subs.len(), 1 << c.len());
            assert!(subs.iter().all(|s| s.is_subset_of(c)));
        }
    }

    #[test]
    fn names_and_display() {
        let players = ["A", "B", "C"];
        let c = Coalition::from_members(&[0, 2]);
        assert_eq!(c.names(&players), "{A, C}");
        assert_eq!(c.to_string(), "{0, 2}");
        assert_eq!(Coalition::EMPTY.names(&players), "{}");
    }

    #[test]
    fn set_operations() {
        let a = Coalition::from_members(&[0, 1]);
        let b = Coalition::from_members(&[1, 2]);
        assert_eq!(a.union(b), Coalition::grand(3));
        assert_eq!(a.intersection(b), Coalition::singleton(1));
        assert_eq!(a.with(2).without(0), b);
        assert!(!a.contains(64));
    }
}
