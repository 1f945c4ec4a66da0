//! Run:ai 2.23/2.19 `TokenResponse` and the `{code, message}` error shape.
#![no_main]
use libfuzzer_sys::fuzz_target;
use tokenctl::api::parse;

fuzz_target!(|data: &[u8]| {
    if let Ok(tokens) = parse::runai_tokens(data) {
        assert!(!tokens.access.is_empty(), "an empty access token is never accepted");
        let _ = tokenctl::token::jwt_expiry(tokens.access.expose());
    }
    let _ = parse::runai_error(data);
});
