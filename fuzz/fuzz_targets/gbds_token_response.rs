//! GBDS `CreateTokenResponse`, its expiry rules, and its error shape.
#![no_main]
use libfuzzer_sys::fuzz_target;
use tokenctl::api::parse;

fuzz_target!(|data: &[u8]| {
    for now in [0, 1_700_000_000, u64::MAX] {
        if let Ok(token) = parse::gbds_token(data, now) {
            assert!(parse::is_bearer_token(token.token.expose()));
            if let Some(at) = token.expiry.expires_at {
                assert!(at <= now.saturating_add(parse::FUTURE_LIMIT));
            }
        }
    }
    let _ = parse::error_body(data, &["secret"]).describe();
});
