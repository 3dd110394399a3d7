//! Open files of the io library: the Rust side of a Lua file handle.
//!
//! # Ownership
//! A [`FileState`] is the payload of the file's userdata (see the io library), so the
//! handle lives exactly as long as the Lua object: `__gc` closes it, and dropping the VM
//! drops (and so closes) whatever is still open.
//!
//! # Buffering
//! Reads go through a per-file buffer (the lookahead `read("n")` needs). Writes to files
//! and pipes are not buffered at all, so nothing is lost if the process ends without
//! closing them; writes to standard output go through `vm.out` (see the io library).

use std::io::{self, Read, Seek, SeekFrom, Write};
use std::process::Child;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::runtime::number::{str_to_number, Num};

/// `EBADF`: an operation the stream was not opened for.
pub const EBADF: i32 = 9;
/// `EINVAL`.
pub const EINVAL: i32 = 22;
/// `ESPIPE`: seeking a pipe or terminal.
pub const ESPIPE: i32 = 29;

/// `L_MAXLENNUM` of liolib.c: the longest numeral `read("n")` accepts.
const MAX_NUMERAL: usize = 200;
/// Bytes requested from the OS per buffer refill.
const CHUNK: usize = 8192;

/// What a handle reads from or writes to.
pub enum Stream {
    Stdin,
    /// Writes go to `vm.out`, shared with `print`.
    Stdout,
    Stderr,
    File(std::fs::File),
    /// `io.popen(cmd, "r")`: the child's stdout is piped.
    PipeRead(Child),
    /// `io.popen(cmd, "w")`: the child's stdin is piped.
    PipeWrite(Child),
}

/// `setvbuf` modes; only standard output honours them (files are unbuffered).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum VBuf {
    No,
    Full,
    Line,
}

/// One file handle. `stream` is `None` once closed; the entry itself stays so that
/// `io.type` can still say "closed file".
pub struct FileState {
    pub stream: Option<Stream>,
    pub vbuf: VBuf,
    rbuf: Vec<u8>,
    rpos: usize,
}

impl FileState {
    pub fn new(stream: Stream) -> Self {
        let vbuf = match stream {
            Stream::Stderr => VBuf::No,
            _ => VBuf::Full,
        };
        FileState {
            stream: Some(stream),
            vbuf,
            rbuf: Vec::new(),
            rpos: 0,
        }
    }

    pub fn is_closed(&self) -> bool {
        self.stream.is_none()
    }

    /// Refills the read buffer if it is empty; false at end of file.
    fn fill(&mut self) -> io::Result<bool> {
        if self.rpos < self.rbuf.len() {
            return Ok(true);
        }
        self.rbuf.clear();
        self.rpos = 0;
        self.rbuf.resize(CHUNK, 0);
        let r = match &mut self.stream {
            Some(Stream::Stdin) => io::stdin().lock().read(&mut self.rbuf),
            Some(Stream::File(f)) => f.read(&mut self.rbuf),
            Some(Stream::PipeRead(c)) => match c.stdout.as_mut() {
                Some(out) => out.read(&mut self.rbuf),
                None => Err(io::Error::from_raw_os_error(EBADF)),
            },
            _ => Err(io::Error::from_raw_os_error(EBADF)),
        };
        match r {
            Ok(n) => {
                self.rbuf.truncate(n);
                Ok(n > 0)
            }
            Err(e) => {
                self.rbuf.clear();
                Err(e)
            }
        }
    }

    fn peek(&mut self) -> io::Result<Option<u8>> {
        Ok(if self.fill()? {
            Some(self.rbuf[self.rpos])
        } else {
            None
        })
    }

    /// Drops read-ahead bytes, moving a file's position back to where Lua thinks it is.
    fn discard_readahead(&mut self) -> io::Result<()> {
        let unread = (self.rbuf.len() - self.rpos) as i64;
        self.rbuf.clear();
        self.rpos = 0;
        if unread > 0 {
            if let Some(Stream::File(f)) = &mut self.stream {
                f.seek(SeekFrom::Current(-unread))?;
            }
        }
        Ok(())
    }

    /// A line; `keep_nl` keeps its `'\n'` (`"L"`). `None` at end of file.
    pub fn read_line(&mut self, keep_nl: bool) -> io::Result<Option<Vec<u8>>> {
        let mut line = Vec::new();
        let mut saw_nl = false;
        while self.fill()? {
            let avail = &self.rbuf[self.rpos..];
            match avail.iter().position(|&c| c == b'\n') {
                Some(i) => {
                    let end = if keep_nl { i + 1 } else { i };
                    line.extend_from_slice(&avail[..end]);
                    self.rpos += i + 1;
                    saw_nl = true;
                    break;
                }
                None => {
                    line.extend_from_slice(avail);
                    self.rpos = self.rbuf.len();
                }
            }
        }
        Ok(if saw_nl || !line.is_empty() {
            Some(line)
        } else {
            None
        })
    }

    /// Everything up to end of file (possibly nothing).
    pub fn read_all(&mut self) -> io::Result<Vec<u8>> {
        let mut all = Vec::new();
        while self.fill()? {
            all.extend_from_slice(&self.rbuf[self.rpos..]);
            self.rpos = self.rbuf.len();
        }
        Ok(all)
    }

    /// Up to `n` bytes; `None` when none could be read.
    pub fn read_chars(&mut self, n: u64) -> io::Result<Option<Vec<u8>>> {
        let mut out = Vec::new();
        while (out.len() as u64) < n && self.fill()? {
            let avail = &self.rbuf[self.rpos..];
            let take = avail
                .len()
                .min((n - out.len() as u64).min(usize::MAX as u64) as usize);
            out.extend_from_slice(&avail[..take]);
            self.rpos += take;
        }
        Ok(if out.is_empty() { None } else { Some(out) })
    }

    /// `read(0)`: true unless at end of file.
    pub fn test_eof(&mut self) -> io::Result<bool> {
        Ok(self.peek()?.is_some())
    }

    /// `read("n")`, as liolib's `read_number`: skips white space, then takes the longest
    /// prefix that looks like a numeral (at most [`MAX_NUMERAL`] characters), leaves the
    /// first character that does not fit unread, and converts what it took like
    /// `tonumber`. `None` if that is not a number.
    pub fn read_number(&mut self) -> io::Result<Option<Num>> {
        while let Some(c) = self.peek()? {
            if !is_c_space(c) {
                break;
            }
            self.rpos += 1;
        }
        let mut rn = Numeral {
            buf: Vec::new(),
            overflow: false,
        };
        let mut count = 0;
        let mut hex = false;
        rn.accept_one_of(self, b"-+")?;
        if rn.accept_one_of(self, b"0")? {
            if rn.accept_one_of(self, b"xX")? {
                hex = true;
            } else {
                count = 1;
            }
        }
        count += rn.digits(self, hex)?;
        if rn.accept_one_of(self, b".")? {
            count += rn.digits(self, hex)?;
        }
        if count > 0 && rn.accept_one_of(self, if hex { b"pP" } else { b"eE" })? {
            rn.accept_one_of(self, b"-+")?;
            rn.digits(self, false)?;
        }
        if rn.overflow {
            return Ok(None);
        }
        Ok(str_to_number(&rn.buf))
    }

    /// Writes bytes to a file or pipe (standard output is the library's business).
    pub fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.discard_readahead()?;
        match &mut self.stream {
            Some(Stream::File(f)) => f.write_all(bytes),
            Some(Stream::PipeWrite(c)) => match c.stdin.as_mut() {
                Some(i) => i.write_all(bytes),
                None => Err(io::Error::from_raw_os_error(EBADF)),
            },
            Some(Stream::Stderr) => {
                let mut e = io::stderr().lock();
                e.write_all(bytes)?;
                e.flush()
            }
            _ => Err(io::Error::from_raw_os_error(EBADF)),
        }
    }

    /// `seek`: the new position from the start of the file. A standard stream is seeked
    /// through a duplicate of its descriptor (which shares the file offset), so it works
    /// when the stream is redirected to a file, as in C; standard output must have been
    /// flushed by the caller.
    pub fn seek(&mut self, whence: SeekFrom) -> io::Result<u64> {
        use std::os::fd::AsFd;
        let unread = (self.rbuf.len() - self.rpos) as i64;
        let dup_of = |fd: std::os::fd::BorrowedFd<'_>| -> io::Result<std::fs::File> {
            Ok(std::fs::File::from(fd.try_clone_to_owned()?))
        };
        let mut dup;
        let f = match &mut self.stream {
            Some(Stream::File(f)) => f,
            Some(Stream::Stdin) => {
                dup = dup_of(io::stdin().as_fd())?;
                &mut dup
            }
            Some(Stream::Stdout) => {
                dup = dup_of(io::stdout().as_fd())?;
                &mut dup
            }
            Some(Stream::Stderr) => {
                dup = dup_of(io::stderr().as_fd())?;
                &mut dup
            }
            _ => return Err(io::Error::from_raw_os_error(ESPIPE)),
        };
        let target = match whence {
            SeekFrom::Current(off) => SeekFrom::Current(off.wrapping_sub(unread)),
            w => w,
        };
        let pos = f.seek(target)?;
        self.rbuf.clear();
        self.rpos = 0;
        Ok(pos)
    }

    /// Closes the stream. For a pipe, waits for the command and returns its status
    /// (`Some(Ok(code))` for an exit, `Some(Err(signal))` for a kill); `None` otherwise.
    pub fn close(&mut self) -> io::Result<Option<Result<i32, i32>>> {
        self.rbuf = Vec::new();
        self.rpos = 0;
        match self.stream.take() {
            Some(Stream::PipeRead(mut c)) | Some(Stream::PipeWrite(mut c)) => {
                drop(c.stdin.take());
                drop(c.stdout.take());
                let st = c.wait()?;
                use std::os::unix::process::ExitStatusExt;
                Ok(Some(match (st.code(), st.signal()) {
                    (Some(code), _) => Ok(code),
                    (None, Some(sig)) => Err(sig),
                    (None, None) => Ok(0),
                }))
            }
            _ => Ok(None),
        }
    }
}

/// The numeral `read_number` is collecting.
struct Numeral {
    buf: Vec<u8>,
    overflow: bool,
}

impl Numeral {
    /// Takes the next character if it is one of `set`; false if not (or if the numeral is
    /// already too long, which makes the whole read fail).
    fn accept_one_of(&mut self, f: &mut FileState, set: &[u8]) -> io::Result<bool> {
        match f.peek()? {
            Some(c) if set.contains(&c) => Ok(self.take(f, c)),
            _ => Ok(false),
        }
    }

    fn take(&mut self, f: &mut FileState, c: u8) -> bool {
        if self.buf.len() >= MAX_NUMERAL {
            self.overflow = true;
            return false;
        }
        self.buf.push(c);
        f.rpos += 1;
        true
    }

    fn digits(&mut self, f: &mut FileState, hex: bool) -> io::Result<usize> {
        let mut n = 0;
        while let Some(c) = f.peek()? {
            let ok = if hex {
                c.is_ascii_hexdigit()
            } else {
                c.is_ascii_digit()
            };
            if !ok || !self.take(f, c) {
                break;
            }
            n += 1;
        }
        Ok(n)
    }
}

/// C's `isspace` in the C locale.
fn is_c_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// `strerror` text of an I/O error (Rust's message without its " (os error N)" suffix)
/// and its errno (0 if it has none).
pub fn describe(e: &io::Error) -> (String, i64) {
    let mut msg = e.to_string();
    if let Some(code) = e.raw_os_error() {
        let suffix = format!(" (os error {code})");
        if let Some(stripped) = msg.strip_suffix(&suffix) {
            msg = stripped.to_string();
        }
        return (msg, i64::from(code));
    }
    (msg, 0)
}

/// A number no other call in this process returns (for unique temporary file names).
pub fn unique_id() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file_with(content: &[u8]) -> FileState {
        let path = std::env::temp_dir().join(format!(
            "apogee_iofile_test_{}_{}",
            std::process::id(),
            unique_id()
        ));
        std::fs::write(&path, content).unwrap();
        let f = std::fs::File::open(&path).unwrap();
        std::fs::remove_file(&path).unwrap();
        FileState::new(Stream::File(f))
    }

    #[test]
    fn numbers_like_read_number() {
        let mut f = file_with(b"  0x1Fp1 -12 3.5e2 .5 1e abc");
        assert!(matches!(f.read_number().unwrap(), Some(Num::Float(x)) if x == 62.0));
        assert!(matches!(f.read_number().unwrap(), Some(Num::Int(-12))));
        assert!(matches!(f.read_number().unwrap(), Some(Num::Float(x)) if x == 350.0));
        assert!(matches!(f.read_number().unwrap(), Some(Num::Float(x)) if x == 0.5));
        assert!(f.read_number().unwrap().is_none()); // "1e" is taken, then fails
        assert!(f.read_number().unwrap().is_none());
        assert_eq!(f.read_chars(3).unwrap().unwrap(), b"abc");
    }

    #[test]
    fn lines_and_eof() {
        let mut f = file_with(b"a\n\nb");
        assert_eq!(f.read_line(false).unwrap().unwrap(), b"a");
        assert_eq!(f.read_line(true).unwrap().unwrap(), b"\n");
        assert!(f.test_eof().unwrap());
        assert_eq!(f.read_line(true).unwrap().unwrap(), b"b");
        assert!(f.read_line(true).unwrap().is_none());
        assert!(!f.test_eof().unwrap());
        assert_eq!(f.read_all().unwrap(), b"");
    }
}
