//! Shared by the CLI tests that run `lipa serve` as a process: the binary, a free port, a server
//! that is killed when the test lets go of it, a bare HTTP/1.1 client (no TLS, one request per
//! connection: enough to see a status), and a seeded random source whose seed a failing run
//! prints.

#![allow(
    dead_code,
    reason = "each test binary that includes this module uses a part of it"
)]

use lipa_core::sample::SplitMix64;
use std::ffi::OsStr;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

pub const LIPA: &str = env!("CARGO_BIN_EXE_lipa");

/// `lipa --db DB --lang en ARGS…`, run to its end.
pub fn lipa<P: AsRef<OsStr> + ?Sized>(db: &P, args: &[&str]) -> Output {
    command(db, args).output().expect("run lipa")
}

/// `lipa --db DB --lang en ARGS…`, to be run, with none of the settings of this environment.
pub fn command<P: AsRef<OsStr> + ?Sized>(db: &P, args: &[&str]) -> Command {
    let mut c = Command::new(LIPA);
    c.arg("--db")
        .arg(db.as_ref())
        .args(["--lang", "en"])
        .args(args)
        .env_remove("LIPA_LANG")
        .env_remove("LIPA_SEARCH_DIR")
        .env_remove("LIPA_BACKUP_EVERY")
        .env_remove("LIPA_BACKUP_DIR")
        .env("LIPA_LOG", "warn");
    c
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A port nobody listens on now (the OS picks it; a server started right after gets it).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// A `lipa serve` process, SIGKILLed when dropped (if still running).
pub struct Server {
    pub child: Child,
    pub port: u16,
    pub log: std::path::PathBuf,
}

impl Server {
    /// Starts `lipa serve --addr 127.0.0.1:PORT EXTRA…` on `db`, in `cwd`, its standard error
    /// going to `log`. Does not wait for it.
    pub fn start(db: &str, extra: &[&str], cwd: &Path, log: &Path) -> Server {
        let port = free_port();
        let addr = format!("127.0.0.1:{port}");
        let mut args = vec!["serve", "--addr", &addr];
        args.extend_from_slice(extra);
        let err = std::fs::File::create(log).expect("server log");
        let child = command(db, &args)
            .current_dir(cwd)
            .stdout(Stdio::null())
            .stderr(err)
            .spawn()
            .expect("start lipa serve");
        Server {
            child,
            port,
            log: log.to_owned(),
        }
    }

    /// Waits until `GET /` answers 200; panics with the server's log after `limit`.
    pub fn wait_ready(&mut self, limit: Duration) {
        let start = Instant::now();
        loop {
            if let Ok((200, _)) = http(self.port, "GET", "/", &[], None) {
                return;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("lipa serve exited with {status}:\n{}", self.log_text());
            }
            if start.elapsed() > limit {
                panic!(
                    "lipa serve did not answer within {limit:?}:\n{}",
                    self.log_text()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// SIGKILL, and wait for the process to be gone.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// One request on a fresh connection; the status and the body (as sent: chunked bodies keep
/// their chunk lines).
pub fn http(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    json: Option<&str>,
) -> std::io::Result<(u16, String)> {
    let mut s = TcpStream::connect(("127.0.0.1", port))?;
    s.set_read_timeout(Some(Duration::from_secs(20)))?;
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\nAccept: */*\r\n"
    );
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    match json {
        Some(body) => req.push_str(&format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )),
        None => req.push_str("\r\n"),
    }
    s.write_all(req.as_bytes())?;
    let mut answer = Vec::new();
    s.read_to_end(&mut answer)?;
    let text = String::from_utf8_lossy(&answer).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("no status line in {text:?}")))?;
    let body = text
        .split_once("\r\n\r\n")
        .map_or(String::new(), |(_, b)| b.to_owned());
    Ok((status, body))
}

/// A seeded sequence (`lipa_core::sample::SplitMix64`): the same numbers for the same seed.
pub struct Rng(SplitMix64);

impl Rng {
    /// Seeded from `LIPA_TEST_SEED` when set (to replay a failure), else from the clock; the
    /// seed is printed so that a failing run can be replayed.
    pub fn from_env(what: &str) -> Rng {
        let seed = std::env::var("LIPA_TEST_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(1, |d| d.as_nanos() as u64)
            });
        eprintln!("{what}: seed {seed} (LIPA_TEST_SEED={seed} replays it)");
        Rng(SplitMix64(seed))
    }

    pub fn next(&mut self) -> u64 {
        self.0.next_u64()
    }

    /// A number in `lo..hi`.
    pub fn between(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo).max(1)
    }
}
