//! `tokenctl token`: print the stored access token.

use anyhow::Result;

use super::Ctx;
use crate::cli::TokenArgs;
use crate::error::Error;
use crate::output::OutputFormat;

pub fn run(ctx: &Ctx, _args: TokenArgs) -> Result<()> {
    let profile = ctx.profile()?;
    let store = ctx.open_store(profile)?;
    let tokens = store.load(&ctx.key(profile))?.ok_or_else(|| {
        Error::credentials(format!(
            "not logged in with profile `{}`: run `{} login`",
            ctx.profile_name(),
            ctx.cmd_prefix()
        ))
    })?;
    ctx.emit(&tokens, Some(OutputFormat::Token))
}
