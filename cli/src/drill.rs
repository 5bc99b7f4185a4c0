//! Drill files (SPEC section 8): scenarios run on the embedded ledger (default)
//! or a cluster (`--url`). Every step is checked before any runs, so a malformed
//! file changes nothing and names the step and field at fault.
use crate::output::outln;
use crate::{
    chain::Chain,
    ops::{parse_scope, plan, Actors, OpSpec, Resolver},
    signing, GlobalArgs,
};
use anyhow::{anyhow, bail, Context};
use serde_json::{json, Map, Value};
use solana_keypair::Keypair;
use solana_pubkey::Pubkey;
use solana_signer::Signer;
use std::{
    collections::BTreeMap,
    io::Write,
    path::Path,
    process::ExitCode,
};
use usd1_client::{
    amount::{format_amount, parse_amount},
    events::{Usd1Event, EVENT_NAMES},
    pda, PauseScope,
};

/// What a step must produce.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expect {
    Ok,
    Error(String),
}

#[derive(Debug, Clone, Default)]
pub struct Assertions {
    balance: BTreeMap<String, String>,
    supply: Option<String>,
    allowance: BTreeMap<String, String>,
    paused: Option<Vec<String>>,
    denylisted: Option<Vec<String>>,
    frozen: Option<Vec<String>>,
    escrow: Option<String>,
    escrow_excess: Option<String>,
    unattributed_burned: Option<String>,
    events: BTreeMap<String, u64>,
}

#[derive(Debug, Clone)]
pub enum Action {
    Op { spec: Box<OpSpec>, signer: Option<String> },
    Warp { secs: i64 },
    Assert(Assertions),
}

#[derive(Debug, Clone)]
pub struct Step {
    pub op: String,
    pub action: Action,
    pub expect: Expect,
    /// Free text for readers (the demo prints it).
    pub note: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Drill {
    pub name: String,
    pub steps: Vec<Step>,
}

fn step_error(index: usize, op: &str, message: impl std::fmt::Display) -> anyhow::Error {
    anyhow!("step {index} ({op}): {message}")
}

fn string_map(value: &Value, field: &str) -> anyhow::Result<BTreeMap<String, String>> {
    let object = value.as_object().ok_or_else(|| anyhow!("field `{field}` must be an object of name: amount"))?;
    object
        .iter()
        .map(|(name, amount)| {
            let amount = amount.as_str().ok_or_else(|| anyhow!("field `{field}.{name}` must be a decimal string"))?;
            parse_amount(amount, usd1::constants::MAX_DECIMALS).map_err(|error| anyhow!("field `{field}.{name}`: {error}"))?;
            Ok((name.clone(), amount.to_string()))
        })
        .collect()
}

fn amount_string(value: &Value, field: &str) -> anyhow::Result<String> {
    let text = value.as_str().ok_or_else(|| anyhow!("field `{field}` must be a decimal string"))?;
    parse_amount(text, usd1::constants::MAX_DECIMALS).map_err(|error| anyhow!("field `{field}`: {error}"))?;
    Ok(text.to_string())
}

fn name_list(value: &Value, field: &str) -> anyhow::Result<Vec<String>> {
    value
        .as_array()
        .ok_or_else(|| anyhow!("field `{field}` must be a list of names"))?
        .iter()
        .map(|item| item.as_str().map(str::to_string).ok_or_else(|| anyhow!("field `{field}` must hold strings")))
        .collect()
}

fn parse_assertions(args: &Map<String, Value>) -> anyhow::Result<Assertions> {
    let mut assertions = Assertions::default();
    for (field, value) in args {
        match field.as_str() {
            "balance" => assertions.balance = string_map(value, "balance")?,
            "allowance" => assertions.allowance = string_map(value, "allowance")?,
            "supply" => assertions.supply = Some(amount_string(value, "supply")?),
            "escrow" => assertions.escrow = Some(amount_string(value, "escrow")?),
            "escrow_excess" => assertions.escrow_excess = Some(amount_string(value, "escrow_excess")?),
            "unattributed_burned" => assertions.unattributed_burned = Some(amount_string(value, "unattributed_burned")?),
            "frozen" => assertions.frozen = Some(name_list(value, "frozen")?),
            "paused" => {
                let scopes = name_list(value, "paused")?;
                for scope in &scopes {
                    parse_scope(scope).map_err(|error| anyhow!("field `paused`: {error}"))?;
                }
                assertions.paused = Some(scopes);
            }
            "denylisted" => assertions.denylisted = Some(name_list(value, "denylisted")?),
            "events" => {
                let object = value.as_object().ok_or_else(|| anyhow!("field `events` must be an object of EventName: count"))?;
                for (name, count) in object {
                    if !EVENT_NAMES.contains(&name.as_str()) {
                        bail!("field `events.{name}`: no such event (expected one of {})", EVENT_NAMES.join(", "));
                    }
                    let count = count.as_u64().ok_or_else(|| anyhow!("field `events.{name}` must be a count"))?;
                    assertions.events.insert(name.clone(), count);
                }
            }
            other => bail!(
                "unknown field `{other}` (expected balance, supply, allowance, paused, denylisted, frozen, escrow, escrow_excess, unattributed_burned, events)"
            ),
        }
    }
    Ok(assertions)
}

fn parse_step(index: usize, value: &Value) -> anyhow::Result<Step> {
    let object = value.as_object().ok_or_else(|| anyhow!("step {index}: must be an object"))?;
    let op = object
        .get("op")
        .and_then(Value::as_str)
        .ok_or_else(|| anyhow!("step {index}: field `op` is missing or not a string"))?
        .to_string();
    for field in object.keys() {
        if !["op", "signer", "args", "expect", "note"].contains(&field.as_str()) {
            return Err(step_error(index, &op, format!("unknown field `{field}` (expected op, signer, args, expect, note)")));
        }
    }
    let signer = match object.get("signer") {
        None => None,
        Some(Value::String(name)) => Some(name.clone()),
        Some(_) => return Err(step_error(index, &op, "field `signer` must be a name")),
    };
    let args = object.get("args").cloned().unwrap_or_else(|| json!({}));
    let expect = match object.get("expect") {
        None => Expect::Ok,
        Some(Value::String(text)) if text == "ok" => Expect::Ok,
        Some(Value::Object(expect)) => match expect.get("error").and_then(Value::as_str) {
            Some(name) if expect.len() == 1 => Expect::Error(name.to_string()),
            _ => return Err(step_error(index, &op, "field `expect` must be \"ok\" or {\"error\": NAME}")),
        },
        Some(_) => return Err(step_error(index, &op, "field `expect` must be \"ok\" or {\"error\": NAME}")),
    };
    let note = object.get("note").and_then(Value::as_str).map(str::to_string);
    let action = match op.as_str() {
        "warp" => {
            let secs = args.get("secs").and_then(Value::as_i64).ok_or_else(|| step_error(index, &op, "field `secs` must be a number of seconds"))?;
            Action::Warp { secs }
        }
        "assert" => {
            let map = args.as_object().ok_or_else(|| step_error(index, &op, "field `args` must be an object"))?;
            Action::Assert(parse_assertions(map).map_err(|error| step_error(index, &op, error))?)
        }
        _ => {
            let spec: OpSpec = serde_json::from_value(json!({ op.clone(): args }))
                .map_err(|error| step_error(index, &op, format!("field `args`: {error}")))?;
            spec.check_syntax().map_err(|error| step_error(index, &op, error))?;
            match &spec {
                OpSpec::Transfer(args) if args.from.is_none() => {
                    return Err(step_error(index, &op, "field `from` is required (the sending holder)"));
                }
                // Signed by the holder (or `authority`) the args name; the fee payer pays.
                OpSpec::Transfer(_)
                | OpSpec::CheckSupply(_)
                | OpSpec::TokenAccount(_)
                | OpSpec::ApproveDelegate(_)
                | OpSpec::TokenBurn(_) => {}
                _ if signer.is_none() => return Err(step_error(index, &op, "field `signer` is required")),
                _ => {}
            }
            Action::Op { spec: Box::new(spec), signer }
        }
    };
    Ok(Step { op, action, expect, note })
}

/// Parse and check a whole drill file.
pub fn parse_drill(text: &str) -> anyhow::Result<Drill> {
    let value: Value = serde_json::from_str(text).context("not valid JSON")?;
    let object = value.as_object().ok_or_else(|| anyhow!("a drill is a JSON object with `name` and `steps`"))?;
    let name = object.get("name").and_then(Value::as_str).unwrap_or("unnamed drill").to_string();
    let steps = object.get("steps").and_then(Value::as_array).ok_or_else(|| anyhow!("field `steps` must be a list"))?;
    if steps.is_empty() {
        bail!("field `steps` is empty");
    }
    let steps = steps.iter().enumerate().map(|(index, step)| parse_step(index, step)).collect::<anyhow::Result<Vec<_>>>()?;
    Ok(Drill { name, steps })
}

/// Drill identities: a keypair per name, created and funded on first use. Named token
/// accounts (`token_account`) are keypairs too, never funded.
pub struct Identities {
    keypairs: BTreeMap<String, Keypair>,
    pending_funding: Vec<Pubkey>,
    /// Names resolved for the op being planned: they sign where the op needs them
    /// (a holder, a delegate, a new account).
    touched: Vec<String>,
}

impl Resolver for Identities {
    fn key(&mut self, name: &str) -> anyhow::Result<Pubkey> {
        self.touched.push(name.to_string());
        Ok(self.keypair(name).pubkey())
    }

    fn new_account(&mut self, name: &str) -> anyhow::Result<Pubkey> {
        if self.keypairs.contains_key(name) {
            bail!("`{name}` is already a name in this drill; a new token account needs a new name");
        }
        self.keypairs.insert(name.to_string(), Keypair::new());
        self.touched.push(name.to_string());
        Ok(self.keypairs[name].pubkey())
    }
}

impl Identities {
    fn keypair(&mut self, name: &str) -> &Keypair {
        if !self.keypairs.contains_key(name) {
            let keypair = Keypair::new();
            self.pending_funding.push(keypair.pubkey());
            self.keypairs.insert(name.to_string(), keypair);
        }
        &self.keypairs[name]
    }

    async fn fund_new(&mut self, chain: &mut Chain) -> anyhow::Result<()> {
        chain.airdrop_all(&std::mem::take(&mut self.pending_funding)).await
    }
}

/// The result of one step.
pub struct StepReport {
    pub passed: bool,
    pub error: Option<String>,
    pub events: Vec<Usd1Event>,
    pub detail: Option<String>,
}

pub struct Runner {
    pub chain: Chain,
    pub identities: Identities,
    pub mint: Keypair,
    fee_payer: Pubkey,
    decimals: Option<u8>,
    event_counts: BTreeMap<String, u64>,
    record: Option<std::fs::File>,
    sent: std::collections::HashSet<solana_signature::Signature>,
    /// The priority fee every step's transaction carries (`--with-compute-unit-price`), and a
    /// limit when `--compute-unit-limit` names one.
    pub budget: signing::ComputeBudget,
}

impl Runner {
    pub async fn new(chain: Chain, record: Option<&Path>) -> anyhow::Result<Runner> {
        let record = match record {
            Some(path) => Some(std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?),
            None => None,
        };
        let mut identities = Identities { keypairs: BTreeMap::new(), pending_funding: vec![], touched: vec![] };
        let fee_payer = identities.key("fee-payer")?;
        let mut runner = Runner { chain, identities, mint: Keypair::new(), fee_payer, decimals: None, event_counts: BTreeMap::new(), record, sent: Default::default(), budget: Default::default() };
        runner.identities.fund_new(&mut runner.chain).await?;
        Ok(runner)
    }

    pub fn mint_key(&self) -> Pubkey {
        self.mint.pubkey()
    }

    pub fn identity(&mut self, name: &str) -> Pubkey {
        self.identities.keypair(name).pubkey()
    }

    /// The mint's decimals: fixed at `initialize` (6 before it, for amounts that will fail anyway).
    fn decimals(&self) -> u8 {
        self.decimals.unwrap_or(6)
    }

    pub async fn run_step(&mut self, step: &Step) -> anyhow::Result<StepReport> {
        match &step.action {
            Action::Warp { secs } => {
                let outcome = self.chain.warp(*secs).await;
                Ok(self.judge(&step.expect, outcome.err().map(|error| ("Warp".to_string(), error.to_string())), vec![]))
            }
            Action::Assert(assertions) => {
                let mismatches = self.check(assertions).await?;
                let failure = (!mismatches.is_empty()).then(|| ("AssertionFailed".to_string(), mismatches.join("; ")));
                Ok(self.judge(&step.expect, failure, vec![]))
            }
            Action::Op { spec, signer } => self.run_op(spec, signer.as_deref(), &step.expect).await,
        }
    }

    fn judge(&self, expect: &Expect, failure: Option<(String, String)>, events: Vec<Usd1Event>) -> StepReport {
        let error = failure.as_ref().map(|(name, _)| name.clone());
        let passed = match (expect, &error) {
            (Expect::Ok, None) => true,
            (Expect::Error(expected), Some(actual)) => expected == actual,
            _ => false,
        };
        StepReport { passed, error, events, detail: failure.map(|(_, detail)| detail) }
    }

    async fn run_op(&mut self, spec: &OpSpec, signer_name: Option<&str>, expect: &Expect) -> anyhow::Result<StepReport> {
        let decimals = match spec {
            OpSpec::Initialize(args) => args.decimals,
            _ => self.decimals(),
        };
        self.identities.touched.clear();
        let op = match spec.resolve(&mut self.identities, decimals) {
            Ok(op) => op,
            // Found only now that the mint's decimals are known (e.g. `1.0000001` for 6 decimals).
            Err(error) => return Ok(self.judge(expect, Some(("InvalidArgs".into(), format!("{error:#}"))), vec![])),
        };
        let signer_name = match (spec, signer_name) {
            (OpSpec::Transfer(args), None) => args.authority.clone().or_else(|| args.from.clone()).unwrap_or_default(),
            (OpSpec::ApproveDelegate(args), None) => args.owner.clone(),
            (OpSpec::TokenBurn(args), None) => args.holder.clone(),
            (_, Some(name)) => name.to_string(),
            (_, None) => "fee-payer".to_string(),
        };
        let signer = self.identities.keypair(&signer_name).insecure_clone();
        let named: Vec<Keypair> = std::mem::take(&mut self.identities.touched)
            .iter()
            .map(|name| self.identities.keypair(name).insecure_clone())
            .collect();
        self.identities.fund_new(&mut self.chain).await?;
        let mint = self.mint_key();
        let actors = Actors { signer: signer.pubkey(), payer: self.fee_payer };
        let instructions = plan(&op, &actors, &mint, decimals, Some(&mut self.chain)).await?;
        let payer = self.identities.keypair("fee-payer").insecure_clone();
        let mut blockhash = self.chain.latest_blockhash().await?;
        let mut transaction;
        let mint_keypair = self.mint.insecure_clone();
        let mut signing_keys = vec![&payer, &signer, &mint_keypair];
        signing_keys.extend(named.iter());
        // As the CLI's ops do: the published limit, or a fitted one when a key's address search runs long.
        let mut budget = self.budget;
        if budget.unit_limit.is_none() {
            budget.unit_limit = self.chain.fitted_compute_limit(&instructions, &self.fee_payer, &signing_keys).await;
        }
        loop {
            let message = signing::build_message(&instructions, &self.fee_payer, None, blockhash, budget);
            transaction = signing::sign(message, &signing_keys, &[])?;
            // A repeated step (a deliberate retry) under the same blockhash would be the
            // very same transaction; a fresh blockhash makes it a new attempt.
            if self.sent.insert(transaction.signatures[0]) {
                break;
            }
            blockhash = self.chain.refresh_blockhash().await?;
        }
        match self.chain.send(transaction).await {
            Ok(sent) => {
                if let OpSpec::Initialize(args) = spec {
                    self.decimals = Some(args.decimals);
                }
                for event in &sent.events {
                    *self.event_counts.entry(event.name().to_string()).or_default() += 1;
                }
                if let Some(file) = self.record.as_mut() {
                    writeln!(file, "{}", sent.record()).context("writing the record file")?;
                }
                Ok(self.judge(expect, None, sent.events))
            }
            Err(failure) => Ok(self.judge(expect, Some((failure.name().to_string(), failure.to_string())), vec![])),
        }
    }

    /// A name in an assertion: a named token account (`token_account`) is itself; any other
    /// name stands for its associated token account.
    async fn token_account_of(&mut self, name: &str) -> anyhow::Result<Pubkey> {
        let key = self.identity(name);
        if self.chain.token_account(&key).await?.is_some() {
            return Ok(key);
        }
        Ok(pda::associated_token_address(&key, &self.mint_key()))
    }

    async fn check(&mut self, assertions: &Assertions) -> anyhow::Result<Vec<String>> {
        let mint = self.mint_key();
        let decimals = self.decimals();
        let mut mismatches = Vec::new();
        let mut compare = |what: String, expected: &str, actual: u64| {
            match parse_amount(expected, decimals) {
                Ok(expected_units) if expected_units == actual => {}
                Ok(_) => mismatches.push(format!("{what}: expected {expected}, got {}", format_amount(actual, decimals))),
                Err(error) => mismatches.push(format!("{what}: {error}")),
            }
        };
        let mut actual_balances = Vec::new();
        for (name, expected) in &assertions.balance {
            let account = self.token_account_of(name).await?;
            let balance = self.chain.token_account(&account).await?.map(|info| info.amount).unwrap_or(0);
            actual_balances.push((format!("balance of {name}"), expected.clone(), balance));
        }
        let mut actual_allowances = Vec::new();
        for (name, expected) in &assertions.allowance {
            let minter = self.identity(name);
            let address = pda::minter_address(&pda::config_address(&mint), &minter);
            let allowance = match self.chain.account(&address).await? {
                Some(account) => usd1_client::accounts::decode_minter(&account.data)?.allowance,
                None => 0,
            };
            actual_allowances.push((format!("allowance of {name}"), expected.clone(), allowance));
        }
        let supply = match &assertions.supply {
            Some(expected) => Some((expected.clone(), self.chain.mint_info(&mint).await?.supply)),
            None => None,
        };
        let escrow = match &assertions.escrow {
            Some(expected) => Some((expected.clone(), self.chain.escrow_balance(&mint).await?)),
            None => None,
        };
        let mut accounting = Vec::new();
        if assertions.escrow_excess.is_some() || assertions.unattributed_burned.is_some() {
            let config = self.chain.config(&mint).await?;
            let supply = self.chain.mint_info(&mint).await?.supply;
            let escrow_balance = self.chain.escrow_balance(&mint).await?;
            if let Some(expected) = &assertions.escrow_excess {
                accounting.push(("escrow_excess".to_string(), expected.clone(), escrow_balance.saturating_sub(config.escrowed)));
            }
            if let Some(expected) = &assertions.unattributed_burned {
                let net = config.total_minted.saturating_sub(config.total_burned);
                accounting.push(("unattributed_burned".to_string(), expected.clone(), net.saturating_sub(supply)));
            }
        }
        let mut frozen_mismatches = Vec::new();
        for name in assertions.frozen.iter().flatten() {
            let account = self.token_account_of(name).await?;
            match self.chain.token_account(&account).await? {
                Some(info) if info.frozen => {}
                Some(_) => frozen_mismatches.push(format!("{name}'s token account {account} is not frozen")),
                None => frozen_mismatches.push(format!("{name} has no token account at {account}")),
            }
        }
        for (what, expected, actual) in actual_balances.into_iter().chain(actual_allowances).chain(accounting) {
            compare(what, &expected, actual);
        }
        if let Some((expected, actual)) = supply {
            compare("supply".into(), &expected, actual);
        }
        if let Some((expected, actual)) = escrow {
            compare("escrow".into(), &expected, actual);
        }
        mismatches.extend(frozen_mismatches);
        if let Some(scopes) = &assertions.paused {
            let config = self.chain.config(&mint).await?;
            let mut expected = [false; 3];
            for scope in scopes {
                match parse_scope(scope)? {
                    PauseScope::Mint => expected[0] = true,
                    PauseScope::Redeem => expected[1] = true,
                    PauseScope::Transfers => expected[2] = true,
                    PauseScope::All => expected = [true; 3],
                }
            }
            let actual = [config.mint_paused, config.redeem_paused, config.transfers_paused];
            if expected != actual {
                mismatches.push(format!("paused (mint, redeem, transfers): expected {expected:?}, got {actual:?}"));
            }
        }
        if let Some(names) = &assertions.denylisted {
            for name in names {
                let wallet = self.identity(name);
                let address = pda::denylist_address(&pda::config_address(&mint), &wallet);
                let listed = self.chain.account(&address).await?.map(|account| !account.data.is_empty()).unwrap_or(false);
                if !listed {
                    mismatches.push(format!("{name} is not denylisted"));
                }
            }
        }
        for (name, expected) in &assertions.events {
            let actual = self.event_counts.get(name).copied().unwrap_or(0);
            if actual != *expected {
                mismatches.push(format!("events {name}: expected {expected}, got {actual}"));
            }
        }
        Ok(mismatches)
    }
}

/// `usd1 drill run FILE`: exit 0 only if every step met its expectation.
pub async fn run_file(global: &GlobalArgs, path: &Path, record: Option<&Path>) -> anyhow::Result<ExitCode> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let drill = parse_drill(&text).with_context(|| format!("drill {}", path.display()))?;
    let chain = match (&global.url, &global.ledger) {
        (Some(url), _) => Chain::connect(url, global.commitment.config()).await?,
        (None, ledger) => {
            let ledger_file = ledger.as_deref().map(|path| crate::context::ledger_file(global, path));
            Chain::embedded(ledger_file, &crate::context::announce_program_build(global)?).await?
        }
    };
    let mut runner = Runner::new(chain, record).await?;
    runner.budget = signing::ComputeBudget::of(global);
    let (mut passed, mut failed) = (0usize, 0usize);
    for (index, step) in drill.steps.iter().enumerate() {
        let report = runner.run_step(step).await.with_context(|| format!("step {index} ({})", step.op))?;
        if report.passed {
            passed += 1;
        } else {
            failed += 1;
        }
        let expected = match &step.expect {
            Expect::Ok => Value::String("ok".into()),
            Expect::Error(name) => json!({"error": name}),
        };
        let line = json!({
            "step": index,
            "op": step.op,
            "ok": report.passed,
            "error": report.error,
            "expected": expected,
            "detail": report.detail,
            "events": report.events.iter().map(Usd1Event::to_json).collect::<Vec<_>>(),
        });
        outln!("{line}");
    }
    runner.chain.save().await?;
    outln!("{passed} passed, {failed} failed");
    Ok(if failed == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}
