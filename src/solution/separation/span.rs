//! The span `L` of the fixed coalitions' indicator vectors (with `1_N`), for any number of
//! players, and the partition of the players into the *atoms* of the fixed coalitions.
//!
//! Two players are in the same atom when every fixed coalition holds both or neither. Every
//! vector of `L` is a combination of fixed indicators, so it is constant on each atom: a
//! coalition that splits an atom is outside `L` without any arithmetic, and when
//! `dim L` equals the number of atoms, `L` is exactly the set of unions of atoms.

/// Residual norm below which an indicator vector counts as inside the span.
const SPAN_TOL: f64 = 1e-8;

/// An orthonormal basis (Gram–Schmidt with one reorthogonalisation) of the span of the
/// indicator vectors added so far, in the order added; a prefix of the basis is the span at an
/// earlier stage.
pub(super) struct Span {
    n: usize,
    basis: Vec<Vec<f64>>,
}

impl Span {
    pub(super) fn new(n: usize) -> Self {
        Span {
            n,
            basis: Vec::new(),
        }
    }

    /// `1_S` minus its projection on the first `rank` basis vectors.
    fn residual(&self, members: &[usize], rank: usize) -> Vec<f64> {
        let mut r = vec![0.0; self.n];
        for &i in members {
            r[i] = 1.0;
        }
        for _ in 0..2 {
            for q in &self.basis[..rank] {
                let d: f64 = q.iter().zip(&r).map(|(a, b)| a * b).sum();
                if d != 0.0 {
                    r.iter_mut().zip(q).for_each(|(ri, qi)| *ri -= d * qi);
                }
            }
        }
        r
    }

    /// Is `1_S` in the span of the first `rank` basis vectors?
    pub(super) fn contains_within(&self, members: &[usize], rank: usize) -> bool {
        norm(&self.residual(members, rank)) < SPAN_TOL
    }

    /// Adds `1_S`; false (and nothing added) when it is already in the span.
    pub(super) fn add(&mut self, members: &[usize]) -> bool {
        let mut r = self.residual(members, self.basis.len());
        let nr = norm(&r);
        if nr < SPAN_TOL {
            return false;
        }
        r.iter_mut().for_each(|v| *v /= nr);
        self.basis.push(r);
        true
    }

    pub(super) fn rank(&self) -> usize {
        self.basis.len()
    }
}

fn norm(v: &[f64]) -> f64 {
    v.iter().map(|a| a * a).sum::<f64>().sqrt()
}

/// The atoms of a family of coalitions: the classes of players that no coalition of the family
/// separates.
#[derive(Clone)]
pub(super) struct Atoms {
    /// The atom of each player.
    label: Vec<usize>,
    /// The members of each atom, increasing.
    members: Vec<Vec<usize>>,
}

impl Atoms {
    /// One atom holding every player.
    pub(super) fn new(n: usize) -> Self {
        Atoms {
            label: vec![0; n],
            members: vec![(0..n).collect()],
        }
    }

    /// Splits every atom that `S` cuts into its part inside and its part outside `S`.
    pub(super) fn refine(&mut self, s: &[usize]) {
        let mut inside = vec![false; self.label.len()];
        for &i in s {
            inside[i] = true;
        }
        let atoms = std::mem::take(&mut self.members);
        for group in atoms {
            let (a, b): (Vec<usize>, Vec<usize>) = group.iter().partition(|&&i| inside[i]);
            for part in [a, b] {
                if !part.is_empty() {
                    let id = self.members.len();
                    for &i in &part {
                        self.label[i] = id;
                    }
                    self.members.push(part);
                }
            }
        }
    }

    pub(super) fn count(&self) -> usize {
        self.members.len()
    }

    pub(super) fn members(&self, atom: usize) -> &[usize] {
        &self.members[atom]
    }

    /// The atom of player `i`.
    #[cfg(test)]
    pub(super) fn of(&self, i: usize) -> usize {
        self.label[i]
    }

    /// Does `S` hold part of some atom but not all of it?
    pub(super) fn splits(&self, s: &[usize]) -> bool {
        // S is a union of atoms iff the atoms it touches hold |S| players between them.
        let mut touched: Vec<usize> = s.iter().map(|&i| self.label[i]).collect();
        touched.sort_unstable();
        touched.dedup();
        touched
            .iter()
            .map(|&a| self.members[a].len())
            .sum::<usize>()
            != s.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn span_and_atoms() {
        let mut span = Span::new(4);
        assert!(span.add(&[0, 1, 2, 3]));
        assert!(span.add(&[0, 1]));
        assert!(!span.add(&[2, 3]));
        assert!(span.contains_within(&[], 2));
        assert!(span.contains_within(&[2, 3], 2));
        assert!(!span.contains_within(&[2, 3], 1));
        assert!(!span.contains_within(&[1, 2], 2));
        let mut atoms = Atoms::new(4);
        atoms.refine(&[0, 1]);
        atoms.refine(&[1, 2]);
        assert_eq!(atoms.count(), 4);
        assert!(atoms.of(0) != atoms.of(1));
        let mut coarse = Atoms::new(4);
        coarse.refine(&[0, 1]);
        assert_eq!(coarse.count(), 2);
        assert!(coarse.splits(&[0]) && !coarse.splits(&[2, 3]) && !coarse.splits(&[]));
        assert_eq!(coarse.members(coarse.of(3)), &[2, 3]);
    }
}
