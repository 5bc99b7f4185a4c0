//! `usd1 config get|set`: the default mint.
use crate::{
    context::*,
    ops::Resolver, GlobalArgs,
};
use anyhow::{anyhow, Context};
use serde_json::json;
use std::process::ExitCode;

/// `usd1 config get|set`.
pub(crate) fn usd1_config(global: &GlobalArgs, command: crate::ConfigCommand) -> anyhow::Result<ExitCode> {
    let path = usd1_config_path().ok_or_else(|| anyhow!("no home directory for the Solana CLI config"))?;
    match command {
        crate::ConfigCommand::Set { mint } => {
            let key = CliResolver::default().key(&mint)?;
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
            }
            std::fs::write(&path, format!("# usd1's defaults (usd1 config set)\nmint = \"{key}\"\n")).with_context(|| format!("writing {}", path.display()))?;
            let value = json!({"mint": key.to_string(), "file": path.display().to_string()});
            print_value(global.output, &value, || format!("default mint {key} (kept in {}); --mint or USD1_MINT still take precedence", path.display()));
        }
        crate::ConfigCommand::Get => {
            let (mint, source) = match &global.mint {
                Some(mint) => (Some(mint.clone()), "--mint".to_string()),
                None => match default_mint()? {
                    Some((mint, source)) => (Some(mint), source),
                    None => (None, "none".to_string()),
                },
            };
            let value = json!({"mint": mint, "source": source, "file": path.display().to_string()});
            print_value(global.output, &value, || match &mint {
                Some(mint) => format!("mint {mint} (from {source})"),
                None => format!("no default mint: pass --mint, set USD1_MINT, or `usd1 config set --mint KEY` (kept in {})", path.display()),
            });
        }
    }
    Ok(ExitCode::SUCCESS)
}
