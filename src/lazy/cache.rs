//! The model-cache file: an append-only log of checksummed lines, shared by processes.
//!
//! # Format (version 2)
//!
//! Text, one line per entry, each `<payload> <crc>\n` with `<crc>` the CRC-32 of the payload
//! ([`crc32`](super::crc32)) in 8 hex digits. The first line's payload is a JSON header naming
//! the format, its version, the game's kind and its players; every later line is a record
//! `<mask> <value>` or an acknowledgement `! <offset>` (see `record.rs`). The file is never
//! rewritten in place: records are appended, and the only other change is cutting off a torn
//! last line.
//!
//! # Guarantees
//!
//! - **Crashes.** Records are appended with one `write` per batch through `O_APPEND`, holding an
//!   exclusive advisory lock (`flock` on Unix, `LockFileEx` on Windows, through `File::lock`).
//!   A process killed at any moment (kill -9) leaves at worst a torn last line; whoever next
//!   holds the exclusive lock cuts it off (`set_len` to the end of the last whole line), so a
//!   crash loses at most the records in flight. The header goes into an empty file under the
//!   exclusive lock, so no reader sees a half-written one; a file left empty or with a torn
//!   header by a crash at creation is started again.
//! - **Durability.** Data reach the operating system at once (and survive the process). An
//!   append is followed by `fdatasync` when the last one was at least a second ago, and the
//!   cache is synced when dropped (or on [`Memo::sync`](super::Memo::sync)); in between, the
//!   operating system writes the data back on its own (Linux: within about 30 s). An
//!   operating-system crash or power loss loses at most the records since the last sync; the
//!   torn tail it may leave is repaired as above.
//! - **Corruption.** A line whose checksum fails, that does not parse, whose mask has bits
//!   beyond the players, or whose value is NaN or infinite is never loaded. It is reported once
//!   (a [`CacheReport`] naming the file, the line and the coalition the line claims), and an
//!   acknowledgement line is appended so that later loads skip it silently; the coalition is
//!   then missing and is recomputed when needed. A damaged header is refused with
//!   [`Error::Cache`], unless only its checksum digits are damaged.
//! - **Sharing.** Several processes may use one file at once: readers take the shared lock,
//!   writers the exclusive one, and every process reads the records the others appended before
//!   it evaluates (see [`Memo::next_mask`](super::Memo::next_mask)). Locks are advisory and
//!   work across machines only where the file system supports them.
//! - **Another game.** A file whose header names other players or another kind is refused with
//!   [`Error::Cache`].
//!
//! Format-1 files (no checksums, written by coalitional before 0.2) are read and upgraded (see
//! `header.rs`).

use std::collections::HashSet;
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::header::{check_header, Opened};
use super::record::{frame_ack, frame_record, parse_line, Header, Line};
use crate::coalition::Coalition;
use crate::error::{Error, Result};

/// How often, at most, an append is followed by `fdatasync`.
const SYNC_EVERY: Duration = Duration::from_secs(1);
/// Reads go in blocks of this size.
const BLOCK: u64 = 1 << 20;

/// A damaged line found in a cache file, or an upgrade of an old one: what a caller should
/// tell the user once.
#[derive(Debug, Clone, PartialEq)]
pub struct CacheReport {
    /// The cache file.
    pub path: PathBuf,
    /// The line number (1-based), if the report is about a line.
    pub line: Option<u64>,
    /// The byte offset of that line.
    pub offset: Option<u64>,
    /// The coalition the line claims to hold, written with player names, if readable.
    pub coalition: Option<String>,
    /// What happened.
    pub reason: String,
}

impl std::fmt::Display for CacheReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "model cache {}", self.path.display())?;
        if let (Some(line), Some(offset)) = (self.line, self.offset) {
            write!(f, ", line {line} (byte {offset})")?;
        }
        write!(f, ": {}", self.reason)?;
        if self.line.is_some() {
            match &self.coalition {
                Some(c) => write!(
                    f,
                    "; the line claims coalition {c}, which is not loaded and will be recomputed"
                )?,
                None => write!(
                    f,
                    "; its coalition is unreadable; whatever it held will be recomputed"
                )?,
            }
        }
        Ok(())
    }
}

/// A corrupt line found while reading: offset, line number, claimed mask, reason.
type Corrupt = (u64, u64, Option<u64>, &'static str);

/// An open cache file (see the module documentation).
pub(crate) struct CacheFile {
    path: PathBuf,
    file: File,
    players: Vec<String>,
    /// Bytes of whole lines read or written.
    end: u64,
    /// Lines before `end`.
    lines: u64,
    /// The file length at the last look.
    seen: u64,
    acked: HashSet<u64>,
    reports: Vec<CacheReport>,
    /// Corrupt lines reported but not yet acknowledged in the file.
    to_ack: Vec<u64>,
    last_sync: Instant,
    unsynced: bool,
}

impl CacheFile {
    /// Opens (or creates) the cache of the game of `players` and `kind` at `path`, passing
    /// every valid record to `sink`.
    pub(crate) fn open(
        path: &Path,
        players: &[String],
        kind: &str,
        sink: &mut dyn FnMut(u64, f64),
    ) -> Result<CacheFile> {
        let header = Header::new(players, kind);
        let mut reports = Vec::new();
        for _ in 0..8 {
            let file = OpenOptions::new()
                .read(true)
                .append(true)
                .create(true)
                .open(path)
                .map_err(|e| io(path, "cannot open it for reading and appending", e))?;
            file.lock().map_err(|e| io(path, "cannot lock it", e))?;
            let checked = if same_file(&file, path) {
                check_header(&file, path, &header, &mut reports)
            } else {
                Ok(Opened::Upgraded) // replaced while we waited for the lock: open again
            };
            let (start, damaged) = match checked {
                Ok(Opened::Ready(start, damaged)) => (start, damaged),
                other => {
                    let _ = file.unlock();
                    other?;
                    continue;
                }
            };
            let mut cache = CacheFile {
                path: path.to_path_buf(),
                file,
                players: players.to_vec(),
                end: start,
                lines: 1,
                seen: start,
                acked: HashSet::new(),
                reports,
                to_ack: Vec::new(),
                last_sync: Instant::now(),
                unsynced: false,
            };
            let mut loaded = cache.append_locked(Vec::new(), 0, sink);
            if loaded.is_ok() && damaged && !cache.acked.contains(&0) {
                // Only the header's checksum digits are damaged: say so once, as for a line.
                cache.to_ack.push(0);
                cache.reports.push(CacheReport {
                    path: path.to_path_buf(),
                    line: None,
                    offset: None,
                    coalition: None,
                    reason: "the checksum of the header line is damaged; the header itself is intact and matches this game".into(),
                });
                loaded = cache.append_locked(Vec::new(), 0, sink);
            }
            let _ = cache.file.unlock();
            loaded?;
            return Ok(cache);
        }
        Err(Error::Cache {
            path: path.to_path_buf(),
            reason: "the file kept being replaced while it was opened".into(),
        })
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    pub(crate) fn reports(&self) -> &[CacheReport] {
        &self.reports
    }

    pub(crate) fn take_reports(&mut self) -> Vec<CacheReport> {
        std::mem::take(&mut self.reports)
    }

    /// Reads the records other processes appended since the last look (cheap when none).
    pub(crate) fn refresh(&mut self, sink: &mut dyn FnMut(u64, f64)) -> Result<()> {
        let len = self.len()?;
        if len == self.seen && self.seen == self.end {
            return Ok(());
        }
        self.locked(true, |c| c.read_new(sink))?;
        if !self.to_ack.is_empty() {
            self.append(&[], sink)?;
        }
        Ok(())
    }

    /// Appends `records` in one write (after reading what others appended, and cutting off a
    /// torn line left by a writer that died).
    pub(crate) fn append(
        &mut self,
        records: &[(u64, f64)],
        sink: &mut dyn FnMut(u64, f64),
    ) -> Result<()> {
        let mut buf = Vec::with_capacity(records.len() * 32);
        for &(mask, value) in records {
            frame_record(mask, value, &mut buf);
        }
        self.locked(false, |c| c.append_locked(buf, records.len() as u64, sink))?;
        if self.last_sync.elapsed() >= SYNC_EVERY {
            self.sync()?;
        }
        Ok(())
    }

    /// Runs `f` holding the shared or the exclusive lock.
    fn locked<T>(&mut self, shared: bool, f: impl FnOnce(&mut Self) -> Result<T>) -> Result<T> {
        let locking = if shared {
            self.file.lock_shared()
        } else {
            self.file.lock()
        };
        locking.map_err(|e| io(&self.path, "cannot lock it", e))?;
        let out = f(self);
        let _ = self.file.unlock();
        out
    }

    /// Flushes appended records to the disk (`fdatasync`).
    pub(crate) fn sync(&mut self) -> Result<()> {
        if self.unsynced {
            self.file
                .sync_data()
                .map_err(|e| io(&self.path, "cannot sync it", e))?;
            self.unsynced = false;
        }
        self.last_sync = Instant::now();
        Ok(())
    }

    fn len(&self) -> Result<u64> {
        Ok(self
            .file
            .metadata()
            .map_err(|e| io(&self.path, "cannot read its length", e))?
            .len())
    }

    /// The body of `append` and `open`; the exclusive lock is held.
    fn append_locked(
        &mut self,
        mut buf: Vec<u8>,
        records: u64,
        sink: &mut dyn FnMut(u64, f64),
    ) -> Result<()> {
        self.read_new(sink)?;
        if self.seen > self.end {
            // A torn line: its writer died, as nobody else can write while we hold the lock.
            self.file
                .set_len(self.end)
                .map_err(|e| io(&self.path, "cannot cut off a torn last line", e))?;
            self.seen = self.end;
        }
        let acks = self.to_ack.len() as u64;
        for offset in self.to_ack.drain(..) {
            frame_ack(offset, &mut buf);
        }
        if buf.is_empty() {
            return Ok(());
        }
        if let Err(e) = (&self.file).write_all(&buf) {
            let _ = self.file.set_len(self.end);
            return Err(io(&self.path, "cannot append to it", e));
        }
        self.end += buf.len() as u64;
        self.seen = self.end;
        self.lines += records + acks;
        self.unsynced = true;
        Ok(())
    }

    /// Reads the whole lines from `end` to the end of the file; a lock is held.
    fn read_new(&mut self, sink: &mut dyn FnMut(u64, f64)) -> Result<()> {
        let len = self.len()?;
        if len < self.end {
            return Err(cache_error(
                &self.path,
                "the file shrank below what was read: something other than coalitional truncated or replaced it",
            ));
        }
        let mut corrupt: Vec<Corrupt> = Vec::new();
        if len > self.end {
            let mut file = &self.file;
            file.seek(SeekFrom::Start(self.end))
                .map_err(|e| io(&self.path, "cannot read it", e))?;
            let mut block = vec![0u8; (len - self.end).min(BLOCK) as usize];
            let mut pending: Vec<u8> = Vec::new();
            let n = self.players.len();
            loop {
                let got = file
                    .read(&mut block)
                    .map_err(|e| io(&self.path, "cannot read it", e))?;
                if got == 0 {
                    break;
                }
                pending.extend_from_slice(&block[..got]);
                let mut start = 0;
                while let Some(k) = pending[start..].iter().position(|&b| b == b'\n') {
                    let offset = self.end;
                    self.lines += 1;
                    match parse_line(&pending[start..start + k], n) {
                        Ok(Line::Record { mask, value }) => sink(mask, value),
                        Ok(Line::Ack { offset }) => {
                            self.acked.insert(offset);
                        }
                        Err(r) => corrupt.push((offset, self.lines, r.claimed, r.reason)),
                    }
                    self.end += k as u64 + 1;
                    start += k + 1;
                }
                pending.drain(..start);
            }
            self.seen = self.end + pending.len() as u64;
        } else {
            self.seen = len;
        }
        for (offset, line, claimed, reason) in corrupt {
            if !self.acked.contains(&offset) {
                self.to_ack.push(offset);
                self.reports.push(CacheReport {
                    path: self.path.clone(),
                    line: Some(line),
                    offset: Some(offset),
                    coalition: claimed.map(|m| Coalition::from_mask(m).names(&self.players)),
                    reason: format!("a corrupt line ({reason}) was skipped"),
                });
            }
        }
        Ok(())
    }
}

impl Drop for CacheFile {
    fn drop(&mut self) {
        let _ = self.sync();
    }
}

/// Whether `path` still names the open `file` (it may have been replaced by an upgrade).
#[cfg(unix)]
fn same_file(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_file: &File, path: &Path) -> bool {
    path.exists()
}

/// Makes a new or renamed directory entry durable (Unix; elsewhere a no-op).
pub(crate) fn sync_dir(path: &Path) {
    #[cfg(unix)]
    if let Some(dir) = path.parent() {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        if let Ok(d) = File::open(dir) {
            let _ = d.sync_all();
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}

pub(crate) fn cache_error(path: &Path, reason: &str) -> Error {
    Error::Cache {
        path: path.to_path_buf(),
        reason: reason.into(),
    }
}

/// An I/O failure on the cache file at `path` while doing `action` ("cannot lock it").
pub(crate) fn io(path: &Path, action: &'static str, e: std::io::Error) -> Error {
    Error::io(action, path, e)
}
