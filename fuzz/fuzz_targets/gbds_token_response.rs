//! GBDS `CreateTokenResponse`, its expiry arithmetic, and its error shape.
#![no_main]
use libfuzzer_sys::fuzz_target;
use tokenctl::api::parse;

fuzz_target!(|data: &[u8]| {
    if let Ok(token) = parse::gbds_token(data) {
        assert!(!token.token.is_empty());
        for now in [0, 1_700_000_000, u64::MAX] {
            let _ = token.expires_at(now);
        }
    }
    let _ = parse::gbds_error(data);
});
