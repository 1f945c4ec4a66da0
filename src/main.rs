// Our own C `main` instead of std's start-up on Linux (issue 20): std's
// would find the main thread's stack bounds by reading and scanning
// /proc/self/maps for its stack-overflow message, a tenth of the cached
// `token` call's instructions. What std's start-up does that matters is
// done in `tokenctl::start`: standard fds 0-2 opened on /dev/null when
// closed, SIGPIPE ignored (EPIPE errors, not death). Arguments and
// environment still come through std (glibc hands them over before `main`).
// Elsewhere (macOS, Windows: built and tested only by the release CI) std's
// own start-up runs, as it always did.
#![cfg_attr(all(not(test), target_os = "linux"), no_main)]

// SAFETY: `no_main` leaves out std's own `main`, so this is the one symbol
// of that name; its signature is the C `main` glibc's start-up calls.
#[cfg(all(not(test), target_os = "linux"))]
#[unsafe(no_mangle)]
extern "C" fn main(
    _argc: std::ffi::c_int,
    _argv: *const *const std::ffi::c_char,
) -> std::ffi::c_int {
    tokenctl::start();
    std::process::exit(tokenctl::main());
}

#[cfg(any(test, not(target_os = "linux")))]
fn main() {
    tokenctl::start();
    std::process::exit(tokenctl::main());
}
