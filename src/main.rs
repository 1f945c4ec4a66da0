// Our own C `main` instead of std's start-up (issue 20): std's would find
// the main thread's stack bounds by reading and scanning /proc/self/maps
// for its stack-overflow message, a tenth of the cached `token` call's
// instructions. What std's start-up does that matters is done in
// `tokenctl::start`: standard fds 0-2 opened on /dev/null when closed,
// SIGPIPE ignored (EPIPE errors, not death). Arguments and environment
// still come through std (glibc hands them over before `main`).
#![cfg_attr(not(test), no_main)]

#[cfg(not(test))]
#[unsafe(no_mangle)]
extern "C" fn main(
    _argc: std::ffi::c_int,
    _argv: *const *const std::ffi::c_char,
) -> std::ffi::c_int {
    tokenctl::start();
    std::process::exit(tokenctl::main());
}
