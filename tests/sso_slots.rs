//! `login --browser` while another local user works against the loopback
//! callback port (issue 24): connections held open, half-sent requests,
//! and a stream of new ones from a real other uid (`nobody`), each while
//! the curl browser of tests/browser.rs completes a real login. The
//! listener serves [`MAX_CONNECTIONS`] connections at once, the oldest
//! dropped for a new one; none of this may keep the browser's out.
#![cfg(target_os = "linux")]

mod common;

use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::fixtures::{Login, browser_script};
use common::{Env, FakeServer, Output, Store};

/// The listener's slots (src/sso/listener.rs).
const MAX_CONNECTIONS: usize = 16;

/// The other user: `nobody` exists on every Debian system.
const NOBODY: (u32, u32) = (65534, 65534);

/// The other user's program (Perl, as `perl -e`, so it needs no file it
/// could read): `PORT MODE COUNT`. It connects COUNT times to
/// 127.0.0.1:PORT and says `ready N` with N connected; then `hold` keeps
/// them, sending nothing; `half` has each send a request head without its
/// end and keeps it; `churn` keeps opening new connections (each sending a
/// partial head; about 1,500 a second at most), closing the oldest beyond
/// COUNT, until it is killed, and counts them on stderr at the end. `hold`
/// and `half` then say `closed N`: how many of theirs the listener closed
/// within 8 s (the listener's read limit is 10 s).
const PEER: &str = r#"
use strict; use warnings; use IO::Socket::INET;
$| = 1;
my ($port, $mode, $count) = @ARGV;
my $head = "GET /callback?code=peer&state=peer HTTP/1.1\r\nHost: localhost:$port\r\n";
my @open;
my $opened = 0;
sub one {
    my $s = IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $port, Proto => 'tcp') or return 0;
    print $s $head if $mode ne 'hold';
    push @open, $s;
    $opened++;
    return 1;
}
for (1 .. $count) { one() or die "connect: $!\n"; }
print "ready $opened\n";
if ($mode ne 'churn') {
    # How many the listener closed (EOF or reset) within 8 s.
    use IO::Select;
    my $sel = IO::Select->new(@open);
    my $closed = 0;
    my $until = time + 8;
    while ($sel->count && time < $until) {
        for my $s ($sel->can_read(0.2)) {
            my $n = sysread($s, my $buf, 1);
            if (!$n) { $closed++; $sel->remove($s); }
        }
    }
    print "closed $closed\n";
}
$SIG{TERM} = sub { print STDERR "opened $opened\n"; exit 0 };
if ($mode eq 'churn') {
    while (1) {
        one() or select(undef, undef, undef, 0.001);
        shift(@open)->close() while @open > $count;
        # About 1,500 a second, as in the issue's battery.
        select(undef, undef, undef, 0.0006);
    }
}
sleep 1 while 1;
"#;

/// The other user's program against `port`, started and in place.
struct Peer {
    child: Child,
}

impl Peer {
    fn start(port: u16, mode: &str, count: usize) -> Self {
        let mut child = Command::new("perl")
            .args(["-e", PEER, &port.to_string(), mode, &count.to_string()])
            .env_clear()
            .env("PATH", "/usr/bin:/bin")
            .current_dir("/")
            .uid(NOBODY.0)
            .gid(NOBODY.1)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("perl (Debian package perl-base) runs as nobody");
        let mut out = BufReader::new(child.stdout.take().unwrap());
        // Killed by Drop should an assertion below fail.
        let peer = Self { child };
        let mut line = String::new();
        out.read_line(&mut line).unwrap();
        assert_eq!(
            line.trim(),
            format!("ready {count}"),
            "the other user's {count} connections are open"
        );
        if mode != "churn" {
            // Closed unread at once: another user's connections take none
            // of the slots the browser needs.
            line.clear();
            out.read_line(&mut line).unwrap();
            assert_eq!(
                line.trim(),
                format!("closed {count}"),
                "the listener closed the other user's connections"
            );
        }
        peer
    }

    /// Stops it; what it said on stderr (`opened N`).
    fn stop(mut self) -> String {
        // SAFETY: kill(2) on our own, unreaped child.
        unsafe { libc::kill(self.child.id() as libc::pid_t, libc::SIGTERM) };
        let out = std::mem::replace(&mut self.child, Command::new("true").spawn().unwrap());
        let out = out.wait_with_output().unwrap();
        String::from_utf8_lossy(&out.stderr).into_owned()
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

/// tokenctl's stderr, line by line.
fn lines_of(stderr: impl std::io::Read + Send + 'static) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

/// A browser login through `port` with the other user's program in `mode`
/// in place before the browser starts (it waits for the go file), and
/// still running until tokenctl is done.
fn login_while(mode: &str, count: usize) {
    // One at a time: each floods the machine's socket tables.
    static ONE: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _one = ONE.lock().unwrap_or_else(|e| e.into_inner());
    let env = Env::new(Store::File);
    let fake = FakeServer::start();
    Login::runai(&fake.url()).ok(&env);
    let port = free_port();
    let browser = browser_script(&env);
    let dir = browser.parent().unwrap().to_path_buf();
    let go = dir.join("go");
    let waiting = dir.join("wait.sh");
    common::executable::write_executable(
        &waiting,
        format!(
            "#!/bin/sh\nwhile [ ! -e '{go}' ]; do sleep 0.05; done\nexec '{browser}' \"$@\"\n",
            go = go.display(),
            browser = browser.display()
        ),
    );
    let mut login = env
        .std_cmd(&[
            "-vv",
            "login",
            "--browser",
            "--callback-port",
            &port.to_string(),
            "--browser-timeout",
            "60s",
        ])
        .env("BROWSER", &waiting)
        .env("TEST_BROWSER_MODE", "login")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let rx = lines_of(login.stderr.take().unwrap());
    let mut seen = String::new();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let line = rx
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .unwrap_or_else(|_| panic!("the listener never said where it is:\n{seen}"));
        seen.push_str(&line);
        seen.push('\n');
        if line.contains("/start/") {
            break;
        }
    }
    assert!(
        seen.contains(&format!("localhost:{port}/start/")),
        "listening on {port}:\n{seen}"
    );
    let peer = Peer::start(port, mode, count);
    std::fs::write(&go, "").unwrap();
    let deadline = Instant::now() + Duration::from_secs(90);
    let status = loop {
        if let Some(status) = login.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = login.kill();
            panic!("the login did not end within 90s");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let said = peer.stop();
    for line in rx.try_iter() {
        seen.push_str(&line);
        seen.push('\n');
    }
    // The browser script writes its page after tokenctl answered it.
    let page_file = dir.join("browser.page");
    let deadline = Instant::now() + Duration::from_secs(20);
    while status.success() && !page_file.exists() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    let page = std::fs::read_to_string(&page_file).unwrap_or_default();
    // How far the browser got: browser.url, .idp, .location, .page.
    let steps: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("browser."))
        .collect();
    assert_eq!(
        status.code(),
        Some(0),
        "the login failed while another user's program was at it ({mode}, {count}; {}):\n{seen}\nthe browser got as far as {steps:?}; its page: {page}",
        said.trim()
    );
    assert!(page.contains("Login complete"), "{page}");
    let token = Output::of(env.cmd().arg("token")).stdout;
    assert!(fake.is_valid_access_token(token.trim()));
    assert_eq!(fake.count("grant:exchange_token"), 1);
    if mode == "churn" {
        // It kept at it for the whole login (not stalled on a full queue).
        let opened: usize = said
            .trim()
            .strip_prefix("opened ")
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("the other user's program said {said:?}"));
        eprintln!("the other user's program opened {opened} connections during the login");
        assert!(opened > 4 * count, "only {opened} connections");
    }
}

/// More connections than the listener serves, held open and silent.
#[test]
fn held_connections_of_another_user_do_not_block_the_login() {
    login_while("hold", 4 * MAX_CONNECTIONS);
}

/// As many request heads that never end, each held open.
#[test]
fn half_sent_requests_of_another_user_do_not_block_the_login() {
    login_while("half", 4 * MAX_CONNECTIONS);
}

/// New connections as fast as another user's program can open them, each
/// with a half-sent head, for the whole login.
#[test]
fn a_stream_of_new_connections_from_another_user_does_not_block_the_login() {
    login_while("churn", 2 * MAX_CONNECTIONS);
}
