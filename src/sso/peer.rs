//! Who is on the other end of a loopback connection. The start URL is in
//! the browser's argv, which every local user can read; on Linux the kernel
//! also says which user owns the connecting socket (`/proc/net/tcp`), so the
//! listener can refuse other users' programs outright instead of relying on
//! winning the race to the one-time start URL.

use std::net::{IpAddr, SocketAddr};

/// Who holds the other end of a loopback connection, as the kernel says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    /// An open socket of this uid.
    User(u32),
    /// No open socket: the other end was closed (what may remain, a
    /// TIME_WAIT or orphaned socket, belongs to no one and shows uid 0).
    Closed,
    /// The kernel does not say (not Linux, or the table is unreadable).
    Unknown,
}

/// The kernel's table of TCP sockets of one address family, read once for
/// a batch of connections: a read walks all of the kernel's socket hash
/// buckets (about 10 ms however few sockets there are), so reading it per
/// connection would let a flood of them hold up the browser's behind it.
pub struct Table {
    /// `None` where the kernel does not say (not Linux, unreadable).
    text: Option<String>,
}

impl Table {
    /// The table for connections from `peer`'s family. Read after they were
    /// accepted, so it holds a row for each (the connecting sockets existed
    /// before the listener took them).
    pub fn read(peer: SocketAddr) -> Self {
        #[cfg(target_os = "linux")]
        {
            let table = match peer.ip() {
                IpAddr::V4(_) => "/proc/net/tcp",
                IpAddr::V6(_) => "/proc/net/tcp6",
            };
            Self {
                text: std::fs::read_to_string(table).ok(),
            }
        }
        #[cfg(not(target_os = "linux"))]
        {
            let _ = peer;
            Self { text: None }
        }
    }

    /// Who holds the socket that connected from `peer` to `local`.
    pub fn owner(&self, local: SocketAddr, peer: SocketAddr) -> Owner {
        match &self.text {
            Some(text) => find_owner(text, local, peer),
            None => Owner::Unknown,
        }
    }
}

/// This process's effective uid.
pub fn own_uid() -> Option<u32> {
    #[cfg(unix)]
    {
        // SAFETY: geteuid has no preconditions and cannot fail.
        Some(unsafe { libc::geteuid() })
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// In a `/proc/net/tcp{,6}` table, the owner of the socket whose local end
/// is `peer` and whose remote end is `local`. A socket with an inode is
/// open and its uid is its owner's; one without (inode 0) is what remains
/// after a close. No such socket at all: closed and gone.
pub(crate) fn find_owner(table: &str, local: SocketAddr, peer: SocketAddr) -> Owner {
    let mut found = Owner::Closed;
    for line in table.lines().skip(1) {
        let cols: Vec<&str> = line.split_whitespace().collect();
        // sl local rem st tx:rx tr:when retrnsmt uid timeout inode ...
        let (Some(from), Some(to), Some(uid), Some(inode)) =
            (cols.get(1), cols.get(2), cols.get(7), cols.get(9))
        else {
            continue;
        };
        if parse_addr(from) != Some(peer) || parse_addr(to) != Some(local) {
            continue;
        }
        match (uid.parse(), *inode) {
            (_, "0") => {}
            (Ok(uid), _) => return Owner::User(uid),
            // A row we cannot read: say nothing rather than guess.
            (Err(_), _) => found = Owner::Unknown,
        }
    }
    found
}

/// `0100007F:A4F1`: the address as the kernel's 32-bit words in host byte
/// order, hex; the port in hex.
fn parse_addr(s: &str) -> Option<SocketAddr> {
    let (addr, port) = s.split_once(':')?;
    let port = u16::from_str_radix(port, 16).ok()?;
    let mut bytes = Vec::with_capacity(16);
    for i in (0..addr.len()).step_by(8) {
        let word = u32::from_str_radix(addr.get(i..i + 8)?, 16).ok()?;
        bytes.extend_from_slice(&word.to_ne_bytes());
    }
    let ip = match bytes.len() {
        4 => IpAddr::from(<[u8; 4]>::try_from(bytes).ok()?),
        16 => IpAddr::from(<[u8; 16]>::try_from(bytes).ok()?),
        _ => return None,
    };
    Some(SocketAddr::new(ip, port))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(bytes: [u8; 4]) -> String {
        format!("{:08X}", u32::from_ne_bytes(bytes))
    }

    #[test]
    fn finds_the_connecting_socket_and_its_owner() {
        let local: SocketAddr = "127.0.0.1:43121".parse().unwrap();
        let peer: SocketAddr = "127.0.0.1:50000".parse().unwrap();
        let lo = word([127, 0, 0, 1]);
        let table = format!(
            "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n\
             0: {lo}:A871 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 1 1\n\
             1: {lo}:A871 {lo}:C350 01 00000000:00000000 00:00000000 00000000  1000        0 2 1\n\
             2: {lo}:C350 {lo}:A871 01 00000000:00000000 00:00000000 00000000  1001        0 3 1\n"
        );
        assert_eq!(find_owner(&table, local, peer), Owner::User(1001));
        let other: SocketAddr = "127.0.0.1:50001".parse().unwrap();
        assert_eq!(find_owner(&table, local, other), Owner::Closed);

        let lo6: SocketAddr = "[::1]:43121".parse().unwrap();
        let peer6: SocketAddr = "[::1]:50000".parse().unwrap();
        let one = format!(
            "{}{}{}{}",
            word([0; 4]),
            word([0; 4]),
            word([0; 4]),
            word([0, 0, 0, 1])
        );
        let table6 = format!(
            "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid\n\
             0: {one}:C350 {one}:A871 01 00000000:00000000 00:00000000 00000000     0        0 3 1\n"
        );
        assert_eq!(find_owner(&table6, lo6, peer6), Owner::User(0));
    }

    /// A socket its owner closed (TIME_WAIT, FIN_WAIT2) has no inode and
    /// shows uid 0, whoever opened it: not root's.
    #[test]
    fn a_closed_socket_belongs_to_no_one() {
        let local: SocketAddr = "127.0.0.1:43121".parse().unwrap();
        let peer: SocketAddr = "127.0.0.1:50000".parse().unwrap();
        let lo = word([127, 0, 0, 1]);
        let table = format!(
            "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n\
             0: {lo}:C350 {lo}:A871 06 00000000:00000000 03:00001770 00000000     0        0 0 3 0000000000000000\n"
        );
        assert_eq!(find_owner(&table, local, peer), Owner::Closed);
        // Reused at once for a new connection: the open one counts.
        let table = format!(
            "{table}   1: {lo}:C350 {lo}:A871 01 00000000:00000000 00:00000000 00000000  1001        0 77 1\n"
        );
        assert_eq!(find_owner(&table, local, peer), Owner::User(1001));
    }

    /// Our own connection, as the kernel reports it.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_connection_of_this_process_is_ours() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let client = std::net::TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (_server, peer) = listener.accept().unwrap();
        assert_eq!(peer, client.local_addr().unwrap());
        assert_eq!(
            Some(Table::read(peer).owner(listener.local_addr().unwrap(), peer)),
            own_uid().map(Owner::User)
        );
    }
}
