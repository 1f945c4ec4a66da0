//! Arbitrary answer bytes through the whole read path: parse (every answer
//! shape) -> TokenSet -> the stored record and back -> every renderer on
//! stdout, and the error-body reader for stderr. A panic anywhere, a control
//! character on stdout, or an unscrubbed secret in a message is a finding.
//!
//! Input: 8 bytes of "now" (Unix seconds), 8 bytes of an arbitrary i64 for
//! the time renderers, then the answer body.
#![no_main]
use libfuzzer_sys::fuzz_target;
use tokenctl::api::parse;
use tokenctl::config::KubeToken;
use tokenctl::model::ApiKind;
use tokenctl::output::{self, OutputFormat, ProfileStatus, TokenView};
use tokenctl::token::{self, Source, TokenSet};

const SECRET: &str = "S3cret\"PW";

fn printable(text: &str) -> bool {
    !text.chars().any(|c| c.is_control() && c != '\n')
}

fn render_all(tokens: &TokenSet, now: u64) {
    // The store: the record as saved, read back.
    let record = serde_json::to_string(tokens).expect("a token set serializes");
    let loaded: TokenSet = serde_json::from_str(&record).expect("a saved record loads");
    assert_eq!(&loaded, tokens);
    for (format, kube_token) in [
        (OutputFormat::Token, KubeToken::Access),
        (OutputFormat::Header, KubeToken::Access),
        (OutputFormat::Env, KubeToken::Access),
        (OutputFormat::Json, KubeToken::Access),
        (OutputFormat::ExecCredential, KubeToken::Access),
        (OutputFormat::ExecCredential, KubeToken::Id),
    ] {
        let view = TokenView {
            profile: "default",
            env_var: "TOKENCTL_TOKEN",
            show_refresh_token: true,
            exec_api_version: "client.authentication.k8s.io/v1",
            kube_token,
        };
        let rendered = output::render_tokens(format, &view, &loaded);
        if kube_token == KubeToken::Id && loaded.id_token.is_none() {
            assert!(rendered.is_err(), "no id token to give kubectl");
            continue;
        }
        let text = rendered.expect("a parsed token renders");
        assert!(printable(&text), "{format:?}: {text:?}");
        if format != OutputFormat::Json {
            assert_eq!(text.matches('\n').count(), 1, "one line: {text:?}");
        }
    }
    let status = ProfileStatus {
        profile: "default".into(),
        current: true,
        server: loaded.source.server.clone(),
        api: loaded.source.api.to_string(),
        endpoint: Some(loaded.source.api.describe().into()),
        user: token::user_name(&loaded),
        client_id: None,
        store: "file".into(),
        logged_in: true,
        lost: None,
        expires_at: loaded.expires_at.map(token::rfc3339),
        seconds_left: loaded.seconds_left(now),
        can_renew: true,
        renew_with: None,
        renew_by: None,
        problem: None,
        claims: None,
    };
    for format in [None, Some(OutputFormat::Json)] {
        let text = output::render_status(format, std::slice::from_ref(&status)).unwrap();
        assert!(printable(&text), "{text:?}");
    }
    if let Some(left) = loaded.seconds_left(now) {
        let _ = token::describe_left(left);
    }
}

fn source(api: ApiKind) -> Source {
    Source {
        api,
        grant: tokenctl::grant::GrantKind::Password,
        server: "https://example.test".into(),
        principal: None,
    }
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 16 {
        return;
    }
    let now = u64::from_le_bytes(data[..8].try_into().unwrap());
    let left = i64::from_le_bytes(data[8..16].try_into().unwrap());
    let body = &data[16..];
    // Times from anywhere render.
    assert!(token::rfc3339(now).len() == 20);
    let _ = token::describe_left(left);
    let _ = token::seconds_between(now, left as u64);

    if let Ok(t) = parse::runai_tokens(body, now) {
        render_all(&t.into_token_set(source(ApiKind::RunaiV1), now), now);
    }
    if let Ok(t) = parse::runai_legacy_app_token(body, now) {
        render_all(&t.into_token_set(source(ApiKind::Runai219), now), now);
    }
    if let Ok(t) = parse::oauth2_tokens(body, now) {
        render_all(&t.into_token_set(source(ApiKind::RunaiV2), now), now);
    }
    if let Ok(t) = parse::gbds_token(body, now) {
        render_all(&t.into_token_set(source(ApiKind::Gbds), now), now);
    }
    // Error bodies, as shown on stderr.
    let shown = parse::error_body(body, &[SECRET]).describe();
    assert!(!shown.chars().any(char::is_control), "{shown:?}");
    assert!(!shown.contains(SECRET), "{shown:?}");
});
