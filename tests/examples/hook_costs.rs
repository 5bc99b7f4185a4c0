//! Compute units Token-2022 spends on a transfer through the USD1 hook, over many
//! deterministic mints and holders. Token-2022 derives the hook's seed-based extra
//! accounts on every transfer, and each derivation's bump search costs a key-dependent
//! number of units, so one sample says little: this reports the distribution.
//!
//!     cargo run -p usd1-tests --example hook_costs
//!
//! The keys come from fixed seeds, so two builds of the program (before and after a
//! change to the hook's account list) are measured on exactly the same mints, holders
//! and transfers. The first part (the distribution) uses only client calls that existed
//! in the client before issue 10 (bar `mint`'s later `valid_until` argument); the second measures how the cost grows with the
//! number of denylisted wallets, whose sorted list Token-2022 passes to the hook.
use solana_keypair::Keypair;
use solana_signer::Signer;
use usd1_client::{instructions, reference_hash, transfer, InitializeParams, ProposalKind};
use usd1_ledger::{Ledger, DEFAULT_FUNDING_LAMPORTS};

const DEPLOYMENTS: u8 = 32;
const HOPS: u8 = 8;
const ONE: u64 = 1_000_000;

fn seeded(tag: u8, deployment: u8, index: u8) -> Keypair {
    let mut secret = [0u8; 32];
    secret[..4].copy_from_slice(&[0x75, tag, deployment, index]);
    Keypair::new_from_array(secret)
}

#[tokio::main]
async fn main() {
    let mut units = Vec::new();
    for deployment in 0..DEPLOYMENTS {
        let holders: Vec<Keypair> = (0..=HOPS).map(|index| seeded(2, deployment, index)).collect();
        let Deployment { mut ledger, mint, minter, .. } = deploy(1, 3, deployment, &holders).await;
        let payer = ledger.payer().pubkey();
        for holder in &holders {
            send(ledger.send(&[transfer::create_associated_token_account(&payer, &holder.pubkey(), &mint)], &[]).await);
        }
        let first = &holders[0];
        send(ledger.send(&[instructions::mint(&minter.pubkey(), &minter.pubkey(), &mint, &first.pubkey(), 100 * ONE, reference_hash("wire"), i64::MAX)], &[&minter]).await);
        for hop in 0..usize::from(HOPS) {
            let (from, to) = (&holders[hop], &holders[hop + 1]);
            let executed = send(ledger.send(&[transfer::transfer_checked(&mint, &from.pubkey(), &to.pubkey(), ONE, 6)], &[from]).await);
            units.push(executed.units_consumed);
        }
    }
    units.sort_unstable();
    let distribution = units.clone();
    let count = units.len() as u64;
    let mean = units.iter().sum::<u64>() / count;
    println!(
        "transfer through the hook, {count} transfers over {DEPLOYMENTS} mints: mean {mean}, median {}, min {}, max {} CU",
        distribution[distribution.len() / 2],
        distribution[0],
        distribution[distribution.len() - 1]
    );
    registry_growth().await;
}

/// A deployment on a fresh ledger, every key from `seeded(key_tag, deployment, _)` and the
/// mint from `seeded(mint_tag, deployment, 0)`; its minter has an allowance of 1,000;
/// `holders` are funded.
struct Deployment {
    ledger: Ledger,
    mint: solana_pubkey::Pubkey,
    minter: Keypair,
    denylister: Keypair,
}

fn send(result: Result<usd1_ledger::Executed, usd1_ledger::Failure>) -> usd1_ledger::Executed {
    result.unwrap_or_else(|failure| panic!("{failure}"))
}

async fn deploy(key_tag: u8, mint_tag: u8, deployment: u8, holders: &[Keypair]) -> Deployment {
    let mut ledger = Ledger::start().await;
    let [admin, c0, c1, c2, master, pauser, denylister, burner, attester, minter] =
        std::array::from_fn(|index| seeded(key_tag, deployment, index as u8));
    for key in [&admin, &c0, &c1, &c2, &master, &pauser, &denylister, &burner, &attester, &minter].into_iter().chain(holders.iter()) {
        ledger.fund(&key.pubkey(), DEFAULT_FUNDING_LAMPORTS);
    }
    let mint_keypair = seeded(mint_tag, deployment, 0);
    let mint = mint_keypair.pubkey();
    let params = InitializeParams {
        decimals: 6,
        name: "USD1".into(),
        symbol: "USD1".into(),
        uri: String::new(),
        council: vec![c0.pubkey(), c1.pubkey(), c2.pubkey()],
        threshold: 2,
        master_minter: master.pubkey(),
        pauser: pauser.pubkey(),
        denylister: denylister.pubkey(),
        burner: burner.pubkey(),
        attester: attester.pubkey(),
        supply_cap: None,
        timelock_secs: 0,
        proposal_ttl_secs: 86_400,
        reserve_gate: false,
        attestation_max_age_secs: 86_400,
        onboarder: None,
        onboarding_required: false,
    };
    send(ledger.send(&[instructions::initialize(&admin.pubkey(), &mint, params)], &[&admin, &mint_keypair]).await);
    send(ledger.send(&[instructions::configure_minter(&master.pubkey(), &mint, &minter.pubkey(), None)], &[&master]).await);
    let kind = ProposalKind::SetAllowance { minter: minter.pubkey(), amount: 1_000 * ONE };
    send(ledger.send(&[instructions::propose(&c0.pubkey(), &mint, 0, kind)], &[&c0]).await);
    send(ledger.send(&[instructions::approve(&c1.pubkey(), &mint, 0)], &[&c1]).await);
    send(ledger.send(&[instructions::execute(&c2.pubkey(), &mint, 0, &c0.pubkey(), Some(&minter.pubkey()))], &[&c2]).await);
    Deployment { ledger, mint, minter, denylister }
}

/// One deployment; the same transfer measured as the denylist grows.
async fn registry_growth() {
    let [alice, bob] = std::array::from_fn(|index| seeded(4, 0, 100 + index as u8));
    let Deployment { mut ledger, mint, minter, denylister } = deploy(4, 5, 0, &[alice.insecure_clone(), bob.insecure_clone()]).await;
    let payer = ledger.payer().pubkey();
    for holder in [&alice, &bob] {
        send(ledger.send(&[transfer::create_associated_token_account(&payer, &holder.pubkey(), &mint)], &[]).await);
    }
    send(ledger.send(&[instructions::mint(&minter.pubkey(), &minter.pubkey(), &mint, &alice.pubkey(), 100 * ONE, reference_hash("wire"), i64::MAX)], &[&minter]).await);
    let mut listed = 0u32;
    let mut line = Vec::new();
    for target in [0u32, 100, 1_000, 5_000, 10_000] {
        while listed < target {
            let mut wallet = [0u8; 32];
            wallet[..4].copy_from_slice(&listed.to_le_bytes());
            wallet[4] = 0xd1;
            let wallet = solana_pubkey::Pubkey::new_from_array(wallet);
            ledger.send_unobserved(&[instructions::denylist_add(&denylister.pubkey(), &mint, &wallet, [0; 32], &[])], &[&denylister]).await.unwrap();
            listed += 1;
        }
        let executed = send(ledger.send(&[transfer::transfer_checked(&mint, &alice.pubkey(), &bob.pubkey(), 1, 6)], &[&alice]).await);
        line.push(format!("{target} wallets: {} CU", executed.units_consumed));
    }
    println!("transfer through the hook as the denylist grows: {}", line.join(", "));
}
