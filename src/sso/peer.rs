//! Who is on the other end of a loopback connection. The start URL is in
//! the browser's argv, which every local user can read; on Linux the kernel
//! also says which user owns the connecting socket (`/proc/net/tcp`), so the
//! listener can refuse other users' programs outright instead of relying on
//! winning the race to the one-time start URL.

#[cfg(any(target_os = "linux", test))]
use std::net::IpAddr;
use std::net::SocketAddr;

/// The uid owning the socket that connected from `peer` to `local`, when
/// the kernel says (Linux, same network namespace); `None` otherwise.
pub fn uid(local: SocketAddr, peer: SocketAddr) -> Option<u32> {
    #[cfg(target_os = "linux")]
    {
        let table = match peer.ip() {
            IpAddr::V4(_) => "/proc/net/tcp",
            IpAddr::V6(_) => "/proc/net/tcp6",
        };
        let text = std::fs::read_to_string(table).ok()?;
        find_uid(&text, local, peer)
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = (local, peer);
        None
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

/// In a `/proc/net/tcp{,6}` table, the uid of the socket whose local end is
/// `peer` and whose remote end is `local`.
#[cfg(any(target_os = "linux", test))]
pub(crate) fn find_uid(table: &str, local: SocketAddr, peer: SocketAddr) -> Option<u32> {
    table.lines().skip(1).find_map(|line| {
        let cols: Vec<&str> = line.split_whitespace().collect();
        // sl local rem st tx:rx tr:when retrnsmt uid ...
        let (from, to, uid) = (cols.get(1)?, cols.get(2)?, cols.get(7)?);
        (parse_addr(from)? == peer && parse_addr(to)? == local)
            .then(|| uid.parse().ok())
            .flatten()
    })
}

/// `0100007F:A4F1`: the address as the kernel's 32-bit words in host byte
/// order, hex; the port in hex.
#[cfg(any(target_os = "linux", test))]
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
        assert_eq!(find_uid(&table, local, peer), Some(1001));
        let other: SocketAddr = "127.0.0.1:50001".parse().unwrap();
        assert_eq!(find_uid(&table, local, other), None);

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
        assert_eq!(find_uid(&table6, lo6, peer6), Some(0));
    }

    /// Our own connection, as the kernel reports it.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_connection_of_this_process_is_ours() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let client = std::net::TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (_server, peer) = listener.accept().unwrap();
        assert_eq!(peer, client.local_addr().unwrap());
        assert_eq!(uid(listener.local_addr().unwrap(), peer), own_uid());
    }
}
