//! `usd1 demo`: the lifecycle on a fresh embedded ledger, narrated.
//!
//! The demo is a drill (`demo.json`, in the drill format of SPEC section 8) run by
//! the drill runner, printed for a reader: what each step means, what happened,
//! and the event it emitted.
use crate::output::outln;
use crate::{chain::Chain, drill};
use std::process::ExitCode;
use usd1_client::{amount::format_amount, PROGRAM_ID};
use usd1_ledger::ProgramBuild;

const DEMO: &str = include_str!("../demo.json");

pub async fn run(program_build: &ProgramBuild) -> anyhow::Result<ExitCode> {
    let drill = drill::parse_drill(DEMO)?;
    let mut runner = drill::Runner::new(Chain::embedded(None, program_build).await?, None).await?;
    outln!("{} on an embedded ledger (program {PROGRAM_ID}, mint {})\n", drill.name, runner.mint_key());
    let mut failures = 0;
    for (index, step) in drill.steps.iter().enumerate() {
        let report = runner.run_step(step).await?;
        outln!("{:>2}. {}", index + 1, step.note.as_deref().unwrap_or(&step.op));
        match (&report.error, report.passed) {
            (None, true) => outln!("    ok: {}", step.op),
            (Some(error), true) => outln!("    refused as expected: {error}"),
            (error, false) => {
                failures += 1;
                outln!("    UNEXPECTED: {:?} {}", error, report.detail.unwrap_or_default());
            }
        }
        for event in &report.events {
            outln!("    event #{} {} {}", event.seq(), event.name(), event.to_json());
        }
    }
    let mint = runner.mint_key();
    let config = runner.chain.config(&mint).await?;
    let supply = runner.chain.mint_info(&mint).await?.supply;
    let decimals = config.decimals;
    outln!(
        "\nsupply {} USD1 = minted {} - burned {}; {} events, each with its seq",
        format_amount(supply, decimals),
        format_amount(config.total_minted, decimals),
        format_amount(config.total_burned, decimals),
        config.event_seq
    );
    Ok(if failures == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}
