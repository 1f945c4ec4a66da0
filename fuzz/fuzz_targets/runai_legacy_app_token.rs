//! Run:ai 2.19 `AppTokenResponse` (`/v1/k8s/auth/oauth/apptoken`).
#![no_main]
use libfuzzer_sys::fuzz_target;
use tokenctl::api::parse;

fuzz_target!(|data: &[u8]| {
    if let Ok(tokens) = parse::runai_legacy_app_token(data, 1_700_000_000) {
        assert!(parse::is_bearer_token(tokens.access.expose()));
        assert!(tokens.refresh.is_none(), "app tokens carry no refresh token");
    }
});
