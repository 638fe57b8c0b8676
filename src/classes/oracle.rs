//! Checks shared by the separation oracles of the structured classes
//! ([`crate::solution::separation::Separation`]).

use crate::error::{Error, Result};

/// Checks the lengths of `x`, `include` and `exclude` and that `x` is finite; `Ok(false)` when
/// `include` and `exclude` share a player, so that no coalition qualifies (the oracle then
/// answers `None`, as the `Separation` contract says).
pub(crate) fn check_query(n: usize, x: &[f64], include: &[bool], exclude: &[bool]) -> Result<bool> {
    if x.len() != n {
        return Err(Error::AllocationLength { got: x.len(), n });
    }
    for (name, flags) in [("include", include), ("exclude", exclude)] {
        if flags.len() != n {
            return Err(Error::InvalidParameter {
                name,
                reason: format!("{} flags were given for {n} players", flags.len()),
            });
        }
    }
    if let Some(i) = x.iter().position(|v| !v.is_finite()) {
        return Err(Error::InvalidParameter {
            name: "x",
            reason: format!("the entry of player {i} is {}; it must be finite", x[i]),
        });
    }
    Ok(!include.iter().zip(exclude).any(|(&a, &b)| a && b))
}

/// Checks that `members` are player indices below `n`, increasing.
pub(crate) fn check_members(n: usize, members: &[usize]) -> Result<()> {
    for (k, &i) in members.iter().enumerate() {
        if i >= n {
            return Err(Error::PlayerIndexOutOfRange { index: i, n });
        }
        if k > 0 && members[k - 1] >= i {
            return Err(Error::InvalidParameter {
                name: "members",
                reason: format!(
                    "player indices must be increasing and distinct; {} is followed by {i}",
                    members[k - 1]
                ),
            });
        }
    }
    Ok(())
}
