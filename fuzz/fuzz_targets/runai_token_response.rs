//! Run:ai 2.23/2.19 `TokenResponse` and the error shapes.
#![no_main]
use libfuzzer_sys::fuzz_target;
use tokenctl::api::parse;

fuzz_target!(|data: &[u8]| {
    if let Ok(tokens) = parse::runai_tokens(data, 1_700_000_000) {
        assert!(parse::is_bearer_token(tokens.access.expose()));
        let _ = tokenctl::token::jwt_expiry(tokens.access.expose());
    }
    let _ = parse::error_body(data, &["secret"]).describe();
});
