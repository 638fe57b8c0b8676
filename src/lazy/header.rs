//! The first line of a cache file: checking it (or writing it into a new file), and upgrading
//! format-1 files (coalitional before 0.2: `mask value` lines without checksums).
//!
//! A format-1 file is upgraded when opened: its valid lines are written to a format-2 file next
//! to it, which then atomically replaces it (`rename`, the directory synced). Every process
//! that waited for the lock meanwhile notices the replacement and opens the new file. Do not
//! upgrade a file that an older coalitional is still appending to: its later lines would go to
//! the replaced file.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;

use super::cache::{cache_error, io, sync_dir, CacheReport};
use super::record::{self, frame_record, parse_record, Header, Line, FORMAT, VERSION};
use crate::coalition::Coalition;
use crate::error::Result;

/// A first line longer than this is not a cache header.
const MAX_HEADER: u64 = 64 << 20;

/// What opening found.
pub(crate) enum Opened {
    /// A format-2 file for this game; records start at this offset. The flag tells that the
    /// header's checksum digits (only they) are damaged.
    Ready(u64, bool),
    /// A format-1 file, now replaced by its format-2 upgrade: open again.
    Upgraded,
}

/// Checks (or writes) the header of `file`, whose exclusive lock is held.
pub(crate) fn check_header(
    file: &File,
    path: &Path,
    header: &Header,
    reports: &mut Vec<CacheReport>,
) -> Result<Opened> {
    let mine = header.line();
    let first = first_line(file, path)?;
    let start = match first {
        // Empty, or a header torn by a crash at creation: (re)start the file.
        FirstLine::Partial(bytes) if mine.starts_with(&bytes) => {
            file.set_len(0)
                .map_err(|e| io(path, "cannot start it", e))?;
            let mut w = file;
            w.write_all(&mine)
                .and_then(|()| file.sync_all())
                .map_err(|e| io(path, "cannot write its header", e))?;
            sync_dir(path);
            return Ok(Opened::Ready(mine.len() as u64, false));
        }
        FirstLine::Partial(_) => {
            return Err(cache_error(
                path,
                "not a coalitional cache (no header line)",
            ))
        }
        FirstLine::Whole(line) => line,
    };
    let line = &start[..start.len() - 1];
    let mut damaged = false;
    let theirs: Header = match record::unframe(line) {
        Some(payload) => serde_json::from_slice(payload)
            .map_err(|_| cache_error(path, "not a coalitional cache (bad header line)"))?,
        None => match serde_json::from_slice::<Header>(line) {
            Ok(old) if old.format == FORMAT && old.version == 1 => {
                check_game(path, &old, header)?;
                upgrade_v1(file, path, header, reports)?;
                return Ok(Opened::Upgraded);
            }
            _ if line.len() > 9 && line[..line.len() - 9] == header.payload()[..] => {
                damaged = true; // reported (once) by the caller
                header.clone()
            }
            _ => {
                return Err(cache_error(
                    path,
                    "the header line is damaged or not a coalitional cache header (checksum mismatch); \
                     the records cannot be matched to a game: use another file",
                ))
            }
        },
    };
    if theirs.format != FORMAT {
        return Err(cache_error(
            path,
            "not a coalitional cache (bad header line)",
        ));
    }
    if theirs.version > VERSION {
        return Err(cache_error(
            path,
            &format!(
                "written in format version {}, newer than this coalitional reads ({VERSION}); upgrade coalitional",
                theirs.version
            ),
        ));
    }
    check_game(path, &theirs, header)?;
    Ok(Opened::Ready(start.len() as u64, damaged))
}

/// Refuses the cache of another game.
fn check_game(path: &Path, theirs: &Header, mine: &Header) -> Result<()> {
    if theirs.players != mine.players || theirs.kind != mine.kind {
        return Err(cache_error(
            path,
            &format!(
                "caches a different game (players {:?}, kind {}), not this one (players {:?}, kind {}); use another file",
                theirs.players, theirs.kind, mine.players, mine.kind
            ),
        ));
    }
    Ok(())
}

enum FirstLine {
    /// The first line, newline included.
    Whole(Vec<u8>),
    /// The whole file, which has no newline (empty, or torn).
    Partial(Vec<u8>),
}

fn first_line(file: &File, path: &Path) -> Result<FirstLine> {
    let mut r = file;
    r.seek(SeekFrom::Start(0))
        .map_err(|e| io(path, "cannot read it", e))?;
    let mut out = Vec::new();
    let mut block = [0u8; 4096];
    loop {
        let got = r
            .read(&mut block)
            .map_err(|e| io(path, "cannot read it", e))?;
        if got == 0 {
            return Ok(FirstLine::Partial(out));
        }
        if let Some(k) = block[..got].iter().position(|&b| b == b'\n') {
            out.extend_from_slice(&block[..=k]);
            return Ok(FirstLine::Whole(out));
        }
        out.extend_from_slice(&block[..got]);
        if out.len() as u64 > MAX_HEADER {
            return Err(cache_error(
                path,
                "not a coalitional cache (no header line)",
            ));
        }
    }
}

/// Writes the valid records of the format-1 file `file` (whose exclusive lock is held) to a
/// format-2 file next to it and renames that over `path`.
///
/// A torn last line is dropped silently, as format 1 did; every other line that does not hold
/// a finite value of a coalition of the game is dropped and reported. Format 1 has no
/// checksums, so a changed digit in it cannot be detected.
pub(crate) fn upgrade_v1(
    file: &File,
    path: &Path,
    header: &Header,
    reports: &mut Vec<CacheReport>,
) -> Result<()> {
    let mut text = Vec::new();
    let mut r = file;
    r.seek(SeekFrom::Start(0))
        .and_then(|_| r.read_to_end(&mut text))
        .map_err(|e| io(path, "cannot read it", e))?;
    let n = header.players.len();
    let mut out = header.line();
    let mut kept = 0usize;
    let mut offset = 0u64;
    let whole = text.iter().rposition(|&b| b == b'\n').map_or(0, |k| k + 1);
    for (k, line) in text[..whole].split(|&b| b == b'\n').enumerate() {
        let at = offset;
        offset += line.len() as u64 + 1;
        if k == 0 || line.is_empty() || at >= whole as u64 {
            continue;
        }
        let parsed = std::str::from_utf8(line)
            .ok()
            .and_then(|t| t.split_once(' '))
            .ok_or("not a 'mask value' line")
            .and_then(|(m, v)| parse_record(m, v, n));
        match parsed {
            Ok(Line::Record { mask, value }) => {
                frame_record(mask, value, &mut out);
                kept += 1;
            }
            Ok(Line::Ack { .. }) => {}
            Err(reason) => {
                let claimed = std::str::from_utf8(line)
                    .ok()
                    .and_then(|t| t.split(' ').next()?.parse::<u64>().ok())
                    .filter(|m| n >= 64 || m >> n == 0);
                reports.push(CacheReport {
                    path: path.to_path_buf(),
                    line: Some(k as u64 + 1),
                    offset: Some(at),
                    coalition: claimed.map(|m| Coalition::from_mask(m).names(&header.players)),
                    reason: format!("a format-1 line ({reason}) was dropped in the upgrade"),
                });
            }
        }
    }
    let name = path
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.upgrade-{}.tmp", std::process::id()));
    let written = File::create(&tmp)
        .and_then(|mut f| f.write_all(&out).and_then(|()| f.sync_all()))
        .and_then(|()| std::fs::rename(&tmp, path));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(io(path, "cannot upgrade it from format 1", e));
    }
    sync_dir(path);
    reports.push(CacheReport {
        path: path.to_path_buf(),
        line: None,
        offset: None,
        coalition: None,
        reason: format!(
            "upgraded from format 1 (no checksums) to format 2 (checksummed lines); {kept} values kept"
        ),
    });
    Ok(())
}
