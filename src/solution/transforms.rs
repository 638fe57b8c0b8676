//! Games made from a game: the dual game, the zero-normalised game, and the Aumann–Drèze
//! value, which is the Shapley value of each block's subgame.
//!
//! - **Dual game** `v*(S) = v(N) - v(N \ S)`: what `S` adds when it joins the others last
//!   (for a cost game, the marginal-cost game). `v** = v`; the Shapley value of `v*` is that
//!   of `v`, the core of `v*` is the anticore of `v`, and ENSC is the centre of the
//!   imputation set of the dual (Driessen and Funaki 1991; see B. Peleg and P. Sudhölter,
//!   *Introduction to the Theory of Cooperative Games*, 2nd ed., 2007, §2.3 for the dual).
//! - **Zero-normalised game** `v0(S) = v(S) - sum_{i in S} v({i})` (von Neumann and Morgenstern
//!   1944): strategically equivalent to `v`, with every standalone value 0; for a cost game
//!   `c0(S) = c(S) - sum_{i in S} c({i})`, still a cost game (the negative of the savings
//!   game). Formed by the same double-double subtraction that every solver of the crate runs on
//!   (`solution::normal`): the exact difference rounded once.
//! - **Aumann–Drèze value** (R. J. Aumann and J. H. Drèze, "Cooperative games with coalition
//!   structures", *IJGT* 3, 1974, 217–237): when the players are split into blocks that
//!   each act on their own (a coalition structure), each block `B` shares `v(B)` by the
//!   Shapley value of its subgame `v|B`; unlike the Owen value ([`Game::owen`]), nothing
//!   is shared between blocks. Cost: `sum_B 2^|B|` values.

use crate::coalition::Coalition;
use crate::error::Result;
use crate::game::Game;
use crate::memory;
use crate::solution::Allocation;

impl Game {
    /// The dual game `v*(S) = v(N) - v(N \ S)`, of the same kind and players (module docs).
    ///
    /// Fails with [`Error::TooLarge`](crate::Error::TooLarge) when the `2^n` new values do not fit in memory, and with
    /// [`Error::NonFinite`](crate::Error::NonFinite) when a difference exceeds the largest float. Cost: O(2^n).
    ///
    /// # Example
    /// ```
    /// use coalitional::Game;
    /// let g = Game::from_values(vec![0.0, 1.0, 2.0, 6.0]).unwrap();
    /// assert_eq!(g.dual().unwrap().values(), &[0.0, 4.0, 5.0, 6.0]);
    /// assert_eq!(g.dual().unwrap().dual().unwrap(), g);
    /// ```
    pub fn dual(&self) -> Result<Game> {
        memory::check_dense(self.n(), 1)?;
        let all = self.values().len() - 1;
        let vn = self.grand_value();
        let mut values = memory::try_filled(self.values().len(), 0.0f64, self.n())?;
        let mut meter = crate::cancel::Meter::new(1 << 18);
        for (s, out) in values.iter_mut().enumerate().skip(1) {
            meter.tick(1)?;
            *out = vn - self.values()[all ^ s];
        }
        Game::with_kind(self.players().to_vec(), values, self.kind())
    }

    /// The zero-normalised game `v(S) - sum_{i in S} v({i})`, of the same kind and players
    /// (module docs). Strategically equivalent to the game: every covariant concept of it is
    /// that of the game minus the standalone values.
    ///
    /// Fails with [`Error::TooLarge`](crate::Error::TooLarge) when the `2^n` new values do not fit in memory. Cost:
    /// O(2^n).
    ///
    /// # Example
    /// Budgets of `10^9` and a surplus of 3: the surplus is exact.
    /// ```
    /// use coalitional::Game;
    /// let g = Game::from_values(vec![0.0, 1e9, 2e9, 3e9 + 3.0]).unwrap();
    /// assert_eq!(g.zero_normalized().unwrap().values(), &[0.0, 0.0, 0.0, 3.0]);
    /// ```
    pub fn zero_normalized(&self) -> Result<Game> {
        let nm = self.normal()?;
        // w = sign factor v - b (a value game); v0 = sign w / factor (exact: a power of two).
        let (sign, factor) = (nm.shift.sign, nm.shift.factor);
        let mut values = nm.w().write_out()?;
        if sign < 0.0 || factor != 1.0 {
            values.iter_mut().for_each(|w| *w = sign * *w / factor);
        }
        Game::with_kind(self.players().to_vec(), values, self.kind())
    }

    /// The subgame `v|T` on the members of `mask`, in player order.
    fn subgame(&self, mask: u64) -> Result<Game> {
        let members: Vec<usize> = Coalition::from_mask(mask).members().collect();
        let players = members.iter().map(|&i| self.players()[i].clone()).collect();
        let values = (0..1usize << members.len())
            .map(|sub| {
                let full = Coalition::from_mask(sub as u64)
                    .members()
                    .fold(0u64, |m, k| m | 1 << members[k]);
                self.values()[full as usize]
            })
            .collect();
        Game::with_kind(players, values, self.kind())
    }

    /// The Aumann–Drèze value (Aumann and Drèze 1974) for the coalition structure `blocks`
    /// (lists of player indices that partition the players): each block's members get the
    /// Shapley value of the block's subgame, `phi_i(v|B)` for `i` in `B`. See the [module
    /// docs](crate::solution::transforms).
    ///
    /// Fails with [`Error::InvalidParameter`](crate::Error::InvalidParameter) (`name = "blocks"`) when the blocks are not a
    /// partition (a block empty, a player in two blocks or in none) and
    /// [`Error::PlayerIndexOutOfRange`](crate::Error::PlayerIndexOutOfRange) for an unknown index. Cost: `sum_B 2^|B|`.
    ///
    /// # Example
    /// Glove game (A a left glove, B and C right ones) with blocks `{A, B}` and `{C}`: A and B
    /// split their pair, C is alone with nothing.
    /// ```
    /// use coalitional::Game;
    /// let g = Game::from_fn(vec!["A".into(), "B".into(), "C".into()], |s| {
    ///     if s.contains(0) && (s.contains(1) || s.contains(2)) { 1.0 } else { 0.0 }
    /// }).unwrap();
    /// let x = g.aumann_dreze(&[vec![0, 1], vec![2]]).unwrap();
    /// assert_eq!(x.values(), &[0.5, 0.5, 0.0]);
    /// ```
    pub fn aumann_dreze(&self, blocks: &[Vec<usize>]) -> Result<Allocation> {
        let masks = crate::coalition::partition_masks(self.players(), blocks, "blocks", "block")?;
        let mut x = vec![0.0f64; self.n()];
        for &mask in &masks {
            crate::cancel::check()?;
            let phi = self.subgame(mask)?.try_shapley()?;
            for (k, i) in Coalition::from_mask(mask).members().enumerate() {
                x[i] = phi[k];
            }
        }
        Ok(Allocation::from_parts(self.players(), x, self.kind()))
    }

    /// [`Game::aumann_dreze`] with blocks given by player names.
    pub fn aumann_dreze_by_name<S: AsRef<str>>(&self, blocks: &[Vec<S>]) -> Result<Allocation> {
        let idx = blocks
            .iter()
            .map(|b| {
                b.iter()
                    .map(|name| self.player_index(name.as_ref()))
                    .collect::<Result<Vec<usize>>>()
            })
            .collect::<Result<Vec<_>>>()?;
        self.aumann_dreze(&idx)
    }
}
