//! [`Cooperative`]: what every game of the crate answers, however it holds its worths.
//!
//! A [`Game`] stores all `2^n` worths; a structured class ([`WeightedVoting`], [`Claims`],
//! [`Airport`], [`Assignment`]) computes the worth of a coalition from a few parameters; a
//! [`LazyGame`] runs a model and caches what it computed. All of them have players, a
//! [`Kind`] and a worth for each coalition, and code that needs no more than that (sampling
//! estimates, building the dense game, checks on single coalitions) takes any of them through
//! this trait.
//!
//! [`WeightedVoting`]: crate::WeightedVoting
//! [`Claims`]: crate::Claims
//! [`Airport`]: crate::Airport
//! [`Assignment`]: crate::Assignment

use crate::coalition::Coalition;
use crate::error::{Error, Result};
use crate::game::{Game, Kind};
use crate::lazy::{LazyGame, ModelOutput};
use crate::solution::sampling::{sample_batched, Estimate, Method, Options, Sampler};

/// A cooperative game: named players, a [`Kind`], and the worth of each coalition, given as a
/// bit mask (bit `i` set = `players()[i]` is a member; the mask is 64 bits wide, so a game of
/// more than 64 players answers for coalitions of its first 64).
///
/// Evaluating takes `&mut self` because a [`LazyGame`] records what its model computed (and
/// appends it to its cache file); the other games do not change. A mask with a bit at or beyond
/// `n` is [`Error::PlayerIndexOutOfRange`]; a lazy game's model failure is its
/// [`Error::Model`].
///
/// [`worths`](Cooperative::worths) has the shape of the batch closure that the sampling
/// driver calls, `FnMut(&[u64]) -> Result<Vec<f64>>`: `|masks| game.worths(masks)`.
///
/// # Example
/// Generic code over three kinds of game: the worth of every pair of players.
/// ```
/// use coalitional::{Airport, Cooperative, Game, Kind, WeightedVoting};
/// # fn main() -> coalitional::Result<()> {
/// fn pairs(game: &mut impl Cooperative) -> coalitional::Result<Vec<f64>> {
///     let n = game.n();
///     let masks: Vec<u64> = (0..n)
///         .flat_map(|i| (i + 1..n).map(move |j| (1u64 << i) | (1u64 << j)))
///         .collect();
///     game.worths(&masks)
/// }
/// let mut vote = WeightedVoting::new(3, vec![2, 1, 1], None)?; // [3; 2, 1, 1]
/// assert_eq!(pairs(&mut vote)?, vec![1.0, 1.0, 0.0]);
/// let mut runway = Airport::new(vec![1.0, 3.0, 6.0], None)?; // c(S) = max cost in S
/// assert_eq!(runway.kind(), Kind::Cost);
/// assert_eq!(pairs(&mut runway)?, vec![3.0, 6.0, 6.0]);
/// let mut dense = runway.dense()?; // all 2^3 costs, memory checked first
/// assert_eq!(dense.values(), &[0.0, 1.0, 3.0, 3.0, 6.0, 6.0, 6.0, 6.0]);
/// assert_eq!(pairs(&mut dense)?, vec![3.0, 6.0, 6.0]);
/// // A coalition beyond the players is an error, not a panic.
/// assert!(matches!(
///     vote.worth(0b1000),
///     Err(coalitional::Error::PlayerIndexOutOfRange { index: 3, n: 3 })
/// ));
/// # Ok(())
/// # }
/// ```
pub trait Cooperative {
    /// Player names, in index order.
    fn players(&self) -> &[String];

    /// Number of players.
    fn n(&self) -> usize {
        self.players().len()
    }

    /// Whether the worths are values (to share) or costs (to split).
    fn kind(&self) -> Kind;

    /// The worth of the coalition with bit mask `mask` (0 for the empty coalition).
    fn worth(&mut self, mask: u64) -> Result<f64>;

    /// The worths of many coalitions, in the order given. The default asks
    /// [`worth`](Cooperative::worth) for each; a game for which one batch is cheaper than many
    /// single calls ([`LazyGame`]: one plan, one cache write per batch) overrides it.
    fn worths(&mut self, masks: &[u64]) -> Result<Vec<f64>> {
        masks.iter().map(|&m| self.worth(m)).collect()
    }

    /// The dense game: all `2^n` worths, with the memory for them checked before it is
    /// allocated ([`crate::memory::check_dense`]). The default evaluates every nonempty
    /// coalition once; games with a faster recursion over the masks override it.
    fn dense(&mut self) -> Result<Game> {
        let players = self.players().to_vec();
        let kind = self.kind();
        Game::try_from_fn(players, kind, |s| self.worth(s.mask()))
    }

    /// A sampling estimate of the Shapley value ([`Method::Permutation`] or
    /// [`Method::Stratified`]) or of the Banzhaf value ([`Method::Banzhaf`]), with the
    /// intervals and stopping rule of `options` (see [`crate::solution::sampling`]). The
    /// driver asks for the coalitions a batch at a time through
    /// [`worths`](Cooperative::worths), so a seed gives the same estimate for every kind of
    /// game with the same worths (and from Python).
    ///
    /// # Example
    /// The UN Security Council's 15 members by sampling, without its 2^15 worths: every
    /// permanent member gets far more than a rotating one.
    /// ```
    /// use coalitional::solution::sampling::{Bound, Method, Options};
    /// use coalitional::{Cooperative, WeightedVoting};
    /// # fn main() -> coalitional::Result<()> {
    /// let mut council = WeightedVoting::new(39, [vec![7; 5], vec![1; 10]].concat(), None)?;
    /// let opts = Options { epsilon: 0.02, bound: Bound::Hoeffding { range: 1.0 }, ..Options::default() };
    /// let est = council.sample(Method::Permutation, &opts)?;
    /// assert!(est.converged && est.values[0] > 10.0 * est.values[14]);
    /// # Ok(())
    /// # }
    /// ```
    fn sample(&mut self, method: Method, options: &Options) -> Result<Estimate>
    where
        Self: Sized,
    {
        let mut sampler = Sampler::new(self.n(), method, options.seed)?;
        sample_batched(
            &mut sampler,
            |masks| self.worths(masks),
            options,
            |_| Ok(()),
        )
    }
}

/// `Ok` if `mask` names only players `0..n`, else [`Error::PlayerIndexOutOfRange`] for its
/// highest bit.
pub fn check_mask(n: usize, mask: u64) -> Result<()> {
    if n < 64 && mask >> n != 0 {
        return Err(Error::PlayerIndexOutOfRange {
            index: 63 - mask.leading_zeros() as usize,
            n,
        });
    }
    Ok(())
}

/// A mutable borrow of a game is a game, so generic code can take `G: Cooperative` by value
/// and still be handed `&mut game`.
impl<G: Cooperative + ?Sized> Cooperative for &mut G {
    fn players(&self) -> &[String] {
        (**self).players()
    }
    fn n(&self) -> usize {
        (**self).n()
    }
    fn kind(&self) -> Kind {
        (**self).kind()
    }
    fn worth(&mut self, mask: u64) -> Result<f64> {
        (**self).worth(mask)
    }
    fn worths(&mut self, masks: &[u64]) -> Result<Vec<f64>> {
        (**self).worths(masks)
    }
    fn dense(&mut self) -> Result<Game> {
        (**self).dense()
    }
}

impl Cooperative for Game {
    fn players(&self) -> &[String] {
        Game::players(self)
    }
    fn kind(&self) -> Kind {
        Game::kind(self)
    }
    fn worth(&mut self, mask: u64) -> Result<f64> {
        check_mask(Game::n(self), mask)?;
        Ok(self.value(Coalition::from_mask(mask)))
    }
    /// A copy of the game.
    fn dense(&mut self) -> Result<Game> {
        Ok(self.clone())
    }
}

/// The model is run for the coalitions not known yet (see [`LazyGame::evaluate`]); `dense`
/// is [`LazyGame::to_game`].
impl<F, R> Cooperative for LazyGame<F>
where
    F: FnMut(Coalition) -> R,
    R: ModelOutput,
{
    fn players(&self) -> &[String] {
        self.memo().players()
    }
    fn kind(&self) -> Kind {
        self.memo().kind()
    }
    fn worth(&mut self, mask: u64) -> Result<f64> {
        Ok(Cooperative::worths(self, &[mask])?[0])
    }
    fn worths(&mut self, masks: &[u64]) -> Result<Vec<f64>> {
        let n = self.memo().n();
        for &m in masks {
            check_mask(n, m)?;
        }
        self.evaluate(masks)
    }
    fn dense(&mut self) -> Result<Game> {
        self.to_game()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("p{i}")).collect()
    }

    /// A user-defined game: the square of the coalition's size.
    struct Square(Vec<String>);

    impl Cooperative for Square {
        fn players(&self) -> &[String] {
            &self.0
        }
        fn kind(&self) -> Kind {
            Kind::Value
        }
        fn worth(&mut self, mask: u64) -> Result<f64> {
            check_mask(self.0.len(), mask)?;
            Ok(f64::from(mask.count_ones()).powi(2))
        }
    }

    #[test]
    fn defaults_build_batches_and_the_dense_game() {
        let mut g = Square(names(3));
        assert_eq!(g.n(), 3);
        assert_eq!(g.worths(&[0, 0b101, 0b111]).unwrap(), vec![0.0, 4.0, 9.0]);
        let dense = g.dense().unwrap();
        assert_eq!(dense.values(), &[0.0, 1.0, 1.0, 4.0, 1.0, 4.0, 4.0, 9.0]);
        assert_eq!(
            g.worths(&[1, 8]),
            Err(Error::PlayerIndexOutOfRange { index: 3, n: 3 })
        );
    }

    #[test]
    fn games_and_borrows_answer_alike() {
        let mut g = Game::from_fn(names(2), |s| s.len() as f64 * 10.0).unwrap();
        assert_eq!(g.worth(0b11).unwrap(), 20.0);
        assert_eq!(
            g.worth(0b100),
            Err(Error::PlayerIndexOutOfRange { index: 2, n: 2 })
        );
        fn total<G: Cooperative>(mut game: G) -> f64 {
            game.worths(&[1, 2, 3]).unwrap().iter().sum()
        }
        assert_eq!(total(&mut g), 40.0);
        assert_eq!(g.dense().unwrap(), g);
    }

    #[test]
    fn lazy_games_evaluate_once_and_refuse_bad_masks() {
        let mut calls = 0;
        let mut lazy = LazyGame::new(
            names(3),
            Kind::Cost,
            |s: Coalition| {
                calls += 1;
                s.len() as f64
            },
            None,
        )
        .unwrap();
        assert_eq!(Cooperative::kind(&lazy), Kind::Cost);
        assert_eq!(lazy.worths(&[3, 3, 7]).unwrap(), vec![2.0, 2.0, 3.0]);
        assert_eq!(lazy.worth(3).unwrap(), 2.0);
        assert_eq!(
            lazy.worth(1 << 5),
            Err(Error::PlayerIndexOutOfRange { index: 5, n: 3 })
        );
        let dense = Cooperative::dense(&mut lazy).unwrap();
        assert_eq!(dense.kind(), Kind::Cost);
        assert_eq!(dense.grand_value(), 3.0);
        drop(lazy);
        assert_eq!(calls, 7); // every coalition once
    }

    #[test]
    fn worths_is_a_batch_closure_for_the_sampling_driver() {
        /// The shape of the driver's evaluator: a batch of masks in, their worths out.
        fn drive<E>(mut evaluate: impl FnMut(&[u64]) -> std::result::Result<Vec<f64>, E>) -> f64 {
            let batches: [&[u64]; 2] = [&[1, 2], &[3]];
            batches
                .iter()
                .map(|b| evaluate(b).ok().unwrap_or_default().iter().sum::<f64>())
                .sum()
        }
        let mut g = Square(names(2));
        assert_eq!(drive(|masks: &[u64]| g.worths(masks)), 1.0 + 1.0 + 4.0);
    }

    #[test]
    fn masks_of_wide_games_are_not_checked_beyond_64_players() {
        assert!(check_mask(64, u64::MAX).is_ok());
        assert!(check_mask(63, u64::MAX).is_err());
        assert!(check_mask(1, 1).is_ok());
    }
}
