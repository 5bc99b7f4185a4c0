//! `usd1 demo`: the lifecycle on the embedded ledger, step by step, each with its event.
use anyhow::{bail, Context};
use solana_instruction::Instruction;
use solana_keypair::Keypair;
use solana_pubkey::Pubkey;
use solana_signer::Signer;
use usd1_client::{
    amount::format_amount, instructions, transfer, InitializeParams, PauseScope, Role, UpdateConfigParams,
};
use usd1_ledger::{Ledger, DEFAULT_FUNDING_LAMPORTS};

struct Demo {
    ledger: Ledger,
    mint: Pubkey,
    step: usize,
}

impl Demo {
    async fn ok(&mut self, what: &str, instruction: Instruction, signers: &[&Keypair]) -> anyhow::Result<()> {
        self.step += 1;
        let executed = self
            .ledger
            .send(&[instruction], signers)
            .await
            .map_err(|failure| anyhow::anyhow!("step {} ({what}) failed: {failure}", self.step))?;
        println!("{:>2}. {what}", self.step);
        for event in &executed.events {
            println!("      event #{} {}: {:?}", event.seq(), event.name(), event);
        }
        Ok(())
    }

    async fn refused(&mut self, what: &str, instruction: Instruction, signers: &[&Keypair], expected: &str) -> anyhow::Result<()> {
        self.step += 1;
        match self.ledger.send(&[instruction], signers).await {
            Ok(_) => bail!("step {} ({what}) should have been refused with {expected}", self.step),
            Err(failure) if failure.name() == expected => {
                println!("{:>2}. {what}\n      refused: {expected}", self.step);
                Ok(())
            }
            Err(failure) => bail!("step {} ({what}) refused with {} instead of {expected}", self.step, failure.name()),
        }
    }
}

pub async fn run() -> anyhow::Result<()> {
    let mut ledger = Ledger::start().await;
    let named = |name: &str| (name.to_string(), Keypair::new());
    let [admin, council_1, council_2, council_3, master_minter, pauser, denylister, burner, attester, alice, bob] =
        ["admin", "c1", "c2", "c3", "mm", "pauser", "denylister", "burner", "attester", "alice", "bob"].map(named);
    for (_, keypair) in [&admin, &council_1, &council_2, &council_3, &master_minter, &pauser, &denylister, &burner, &attester, &alice, &bob] {
        ledger.fund(&keypair.pubkey(), DEFAULT_FUNDING_LAMPORTS);
    }
    let mint_keypair = Keypair::new();
    let mint = mint_keypair.pubkey();
    println!("USD1 lifecycle on an embedded ledger (program {}, mint {mint})\n", usd1_client::PROGRAM_ID);
    let mut demo = Demo { ledger, mint, step: 0 };

    let params = InitializeParams {
        decimals: 6,
        name: "USD1".into(),
        symbol: "USD1".into(),
        uri: "https://example.com/usd1.json".into(),
        council: vec![council_1.1.pubkey(), council_2.1.pubkey(), council_3.1.pubkey()],
        threshold: 2,
        master_minter: master_minter.1.pubkey(),
        pauser: pauser.1.pubkey(),
        denylister: denylister.1.pubkey(),
        burner: burner.1.pubkey(),
        attester: attester.1.pubkey(),
        supply_cap: None,
        timelock_secs: 0,
        proposal_ttl_secs: 7 * 24 * 3600,
        reserve_gate: false,
        attestation_max_age_secs: 24 * 3600,
    };
    let admin_key = admin.1.pubkey();
    demo.ok(
        "initialize: mint with metadata, Pausable and TransferHook; council 2-of-3; every role a separate key",
        instructions::initialize(&admin_key, &mint, params),
        &[&admin.1, &mint_keypair],
    )
    .await?;
    let info = demo.ledger.mint_info(&mint).await.context("reading the mint")?;
    println!(
        "      mint authority {:?}, freeze {:?}, pause {:?}, hook program {:?}",
        info.mint_authority, info.freeze_authority, info.pause_authority, info.transfer_hook_program
    );

    demo.ok(
        "update_config: supply cap 1,000,000 USD1, 1 hour timelock",
        instructions::update_config(
            &admin_key,
            &mint,
            UpdateConfigParams { supply_cap: Some(Some(1_000_000_000_000)), timelock_secs: Some(3600), ..Default::default() },
        ),
        &[&admin.1],
    )
    .await?;
    demo.refused(
        "the admin tries to pause (the admin holds no operational role)",
        instructions::pause(&admin_key, &mint, PauseScope::All),
        &[&admin.1],
        "Unauthorized",
    )
    .await?;
    demo.refused(
        "the admin tries to make itself pauser",
        instructions::set_role(&admin_key, &mint, Role::Pauser, &admin_key),
        &[&admin.1],
        "RoleConflict",
    )
    .await?;

    // Holders: accounts for alice and bob (tokens arrive with the issuance flow).
    for (_, holder) in [&alice, &bob] {
        let payer = demo.ledger.payer().pubkey();
        let create = transfer::create_associated_token_account(&payer, &holder.pubkey(), &mint);
        demo.ledger.send(&[create], &[]).await.map_err(|failure| anyhow::anyhow!("creating a token account: {failure}"))?;
    }

    demo.ok("pause{transfers}: Token-2022 Pausable on", instructions::pause(&pauser.1.pubkey(), &mint, PauseScope::Transfers), &[&pauser.1]).await?;
    demo.refused(
        "alice sends bob 0 USD1 while transfers are paused",
        transfer::transfer_checked(&mint, &alice.1.pubkey(), &bob.1.pubkey(), 0, 6),
        &[&alice.1],
        "Token2022:MintPaused",
    )
    .await?;
    demo.ok("unpause{transfers}", instructions::unpause(&pauser.1.pubkey(), &mint, PauseScope::Transfers), &[&pauser.1]).await?;
    demo.ok(
        "alice sends bob 0 USD1 through the transfer hook",
        transfer::transfer_checked(&mint, &alice.1.pubkey(), &bob.1.pubkey(), 0, 6),
        &[&alice.1],
    )
    .await?;
    demo.ok("pause{all}: minting, redemptions and transfers stop", instructions::pause(&pauser.1.pubkey(), &mint, PauseScope::All), &[&pauser.1]).await?;
    demo.ok("unpause{all}", instructions::unpause(&pauser.1.pubkey(), &mint, PauseScope::All), &[&pauser.1]).await?;

    let new_admin = Keypair::new();
    demo.ledger.fund(&new_admin.pubkey(), DEFAULT_FUNDING_LAMPORTS);
    demo.ok("transfer_admin: step one of the handover", instructions::transfer_admin(&admin_key, &mint, &new_admin.pubkey()), &[&admin.1]).await?;
    demo.ok("accept_admin: the new admin takes over", instructions::accept_admin(&new_admin.pubkey(), &mint), &[&new_admin]).await?;
    demo.ok("check_supply: on-chain supply against minted - burned", instructions::check_supply(&demo.mint), &[]).await?;

    let config = demo.ledger.config(&demo.mint).await.context("reading the config")?;
    let supply = demo.ledger.mint_info(&demo.mint).await.context("reading the mint")?.supply;
    println!(
        "\nsupply {} USD1, minted {}, burned {}, events {}",
        format_amount(supply, config.decimals),
        format_amount(config.total_minted, config.decimals),
        format_amount(config.total_burned, config.decimals),
        config.event_seq
    );
    Ok(())
}
