// Our own C `main` instead of std's start-up on Linux (issue 20): std's
// would find the main thread's stack bounds by reading and scanning
// /proc/self/maps for its stack-overflow message, a tenth of the cached
// `token` call's instructions. What std's start-up does that matters is
// done in `tokenctl::start`: standard fds 0-2 opened on /dev/null when
// closed, SIGPIPE ignored (EPIPE errors, not death). Arguments and
// environment still come through std: glibc hands them to std before
// `main` (to its .init_array functions). musl does not, so the static musl
// build keeps std's start-up (which reads no /proc there). So do macOS and
// Windows (scripts/cross.sh).
#![cfg_attr(all(not(test), target_os = "linux", target_env = "gnu"), no_main)]

// SAFETY: `no_main` leaves out std's own `main`, so this is the one symbol
// of that name; its signature is the C `main` glibc's start-up calls.
#[cfg(all(not(test), target_os = "linux", target_env = "gnu"))]
#[unsafe(no_mangle)]
extern "C" fn main(
    _argc: std::ffi::c_int,
    _argv: *const *const std::ffi::c_char,
) -> std::ffi::c_int {
    tokenctl::start();
    std::process::exit(tokenctl::main());
}

#[cfg(any(test, not(all(target_os = "linux", target_env = "gnu"))))]
fn main() {
    tokenctl::start();
    std::process::exit(tokenctl::main());
}
