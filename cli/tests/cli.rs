//! The `usd1` binary, run as a user runs it: separate processes, files, exit codes.
use base64::Engine;
use serde_json::Value;
use std::{
    path::{Path, PathBuf},
    process::{Command, Output},
};

fn usd1() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_usd1"));
    command.env("RUST_LOG", "error");
    command
}

fn run(args: &[&str]) -> Output {
    usd1().args(args).output().expect("spawn usd1")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Lines of stdout that are JSON objects or arrays (text-mode lines are skipped).
fn json_lines(output: &Output) -> Vec<Value> {
    stdout(output)
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|value| value.is_object() || value.is_array())
        .collect()
}

fn drills_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/drills")
}

#[test]
fn every_project_drill_passes_and_records_its_transactions() {
    let directory = tempfile::tempdir().unwrap();
    let mut files: Vec<PathBuf> = std::fs::read_dir(drills_dir())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 15, "the project keeps at least 15 drills, found {}", files.len());
    for file in files {
        let record = directory.path().join("record.jsonl");
        let output = run(&["drill", "run", file.to_str().unwrap(), "--record", record.to_str().unwrap()]);
        let out = stdout(&output);
        let last = out.lines().last().unwrap_or_default().to_string();
        assert!(output.status.success(), "{} failed: {last}\n{out}\n{}", file.display(), stderr(&output));
        // stdout is pure: every line but the summary is one step's JSON object (program
        // logs of refused steps go to stderr).
        let lines: Vec<&str> = out.lines().collect();
        let steps: Vec<Value> = lines[..lines.len() - 1]
            .iter()
            .map(|line| serde_json::from_str::<Value>(line).unwrap_or_else(|_| panic!("{}: stdout line is not JSON: {line}", file.display())))
            .collect();
        assert!(last.ends_with(" passed, 0 failed"), "{}: {last}", file.display());
        assert_eq!(last, format!("{} passed, 0 failed", steps.len()));
        for (index, step) in steps.iter().enumerate() {
            assert_eq!(step["step"], index);
            for key in ["op", "ok", "error", "events"] {
                assert!(step.get(key).is_some(), "{}: step {index} lacks `{key}`", file.display());
            }
        }
        // The record has one line per executed transaction, and seq never skips.
        let recorded = std::fs::read_to_string(&record).unwrap();
        let mut expected_seq = 1;
        for line in recorded.lines() {
            let transaction: Value = serde_json::from_str(line).unwrap();
            assert!(transaction["signature"].is_string() && transaction["slot"].is_u64());
            for event in transaction["events"].as_array().unwrap() {
                assert_eq!(event["seq"], expected_seq, "{}: seq hole in the record", file.display());
                // The raw instruction data decodes, with the Rust decoder, to the recorded fields.
                let raw = base64::engine::general_purpose::STANDARD.decode(event["raw"].as_str().expect("raw bytes")).unwrap();
                let mut decoded = usd1_client::events::decode_event_data(&raw).expect("raw decodes").to_json();
                decoded["raw"] = event["raw"].clone();
                assert_eq!(&decoded, event, "{}: raw bytes disagree with the record", file.display());
                expected_seq += 1;
            }
        }
        assert!(expected_seq > 1, "{}: no events recorded", file.display());
    }
}

fn write_drill(directory: &Path, name: &str, drill: &str) -> PathBuf {
    let path = directory.join(name);
    std::fs::write(&path, drill).unwrap();
    path
}

const INITIALIZE: &str = r#"{"op": "initialize", "signer": "admin", "args": {"council": ["c1","c2"], "threshold": 1, "master_minter": "mm", "pauser": "p", "denylister": "d", "burner": "b", "attester": "a"}}"#;

#[test]
fn a_drill_with_an_unmet_expectation_fails() {
    let directory = tempfile::tempdir().unwrap();
    let drill = format!(
        r#"{{"name": "wrong expectation", "steps": [{INITIALIZE},
            {{"op": "pause", "signer": "admin", "args": {{"scope": "all"}}}},
            {{"op": "pause", "signer": "p", "args": {{"scope": "all"}}, "expect": {{"error": "Unauthorized"}}}},
            {{"op": "assert", "args": {{"supply": "1"}}}}]}}"#
    );
    let path = write_drill(directory.path(), "failing.json", &drill);
    let output = run(&["drill", "run", path.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let steps = json_lines(&output);
    assert_eq!(steps.len(), 4);
    assert_eq!((steps[0]["ok"].as_bool(), steps[1]["ok"].as_bool(), steps[2]["ok"].as_bool(), steps[3]["ok"].as_bool()), (Some(true), Some(false), Some(false), Some(false)));
    assert_eq!(steps[1]["error"], "Unauthorized");
    assert_eq!(steps[2]["error"], Value::Null, "the pauser's pause succeeded, which the step did not expect");
    assert_eq!(steps[3]["error"], "AssertionFailed");
    assert!(steps[3]["detail"].as_str().unwrap().contains("supply: expected 1, got 0"));
    assert_eq!(stdout(&output).lines().last().unwrap(), "1 passed, 3 failed");
}

#[test]
fn a_malformed_drill_fails_before_any_step_naming_step_and_field() {
    let directory = tempfile::tempdir().unwrap();
    let cases = [
        (r#"{"op": "mint", "signer": "m", "args": {"to": "alice", "reference": "w"}}"#, "step 1 (mint)", "amount"),
        (r#"{"op": "mint", "signer": "m", "args": {"to": "alice", "amount": "-5", "reference": "w"}}"#, "step 1 (mint)", "negative"),
        (r#"{"op": "mint", "signer": "m", "args": {"to": "alice", "amount": "12abc", "reference": "w"}}"#, "step 1 (mint)", "not a decimal"),
        (r#"{"op": "set_role", "signer": "admin", "args": {"role": "bogus", "key": "k"}}"#, "step 1 (set_role)", "unknown role"),
        (r#"{"op": "pause", "signer": "p", "args": {"scope": "everything"}}"#, "step 1 (pause)", "unknown scope"),
        (r#"{"op": "mint_more", "signer": "m", "args": {}}"#, "step 1 (mint_more)", "unknown variant"),
        (r#"{"op": "pause", "args": {"scope": "all"}}"#, "step 1 (pause)", "signer"),
        (r#"{"op": "pause", "signer": "p", "args": {"scope": "all"}, "expect": "maybe"}"#, "step 1 (pause)", "expect"),
        (r#"{"op": "pause", "signer": "p", "args": {"scope": "all", "why": "x"}}"#, "step 1 (pause)", "unknown field `why`"),
        (r#"{"op": "assert", "args": {"events": {"Mintted": 1}}}"#, "step 1 (assert)", "no such event"),
        (r#"{"op": "transfer", "args": {"to": "bob", "amount": "1"}}"#, "step 1 (transfer)", "from"),
    ];
    for (bad_step, step_name, field) in cases {
        let drill = format!(r#"{{"name": "malformed", "steps": [{INITIALIZE}, {bad_step}]}}"#);
        let path = write_drill(directory.path(), "malformed.json", &drill);
        let output = run(&["drill", "run", path.to_str().unwrap()]);
        assert!(!output.status.success(), "{bad_step} was accepted");
        let error = stderr(&output);
        assert!(error.contains(step_name) && error.contains(field), "for {bad_step}: {error}");
        assert!(json_lines(&output).is_empty(), "no step may run: {}", stdout(&output));
    }
    let output = run(&["drill", "run", write_drill(directory.path(), "garbage.json", "{not json").to_str().unwrap()]);
    assert!(!output.status.success() && stderr(&output).contains("not valid JSON"));
}

#[test]
fn an_amount_finer_than_the_mint_fails_that_step_only() {
    let directory = tempfile::tempdir().unwrap();
    let drill = format!(
        r#"{{"name": "decimals", "steps": [{INITIALIZE},
            {{"op": "configure_minter", "signer": "mm", "args": {{"minter": "m1"}}}},
            {{"op": "mint", "signer": "m1", "args": {{"to": "alice", "amount": "1.0000001", "reference": "w"}}, "expect": {{"error": "InvalidArgs"}}}}]}}"#
    );
    let output = run(&["drill", "run", write_drill(directory.path(), "decimals.json", &drill).to_str().unwrap()]);
    assert!(output.status.success(), "{}", stdout(&output));
    let steps = json_lines(&output);
    assert!(steps[2]["detail"].as_str().unwrap().contains("has 7 decimals; this mint has 6"));
}

#[test]
fn help_lists_every_spec_op() {
    let output = run(&["--help"]);
    assert!(output.status.success());
    let help = stdout(&output);
    let ops = [
        "initialize", "transfer-admin", "accept-admin", "set-role", "update-config", "update-metadata", "pause", "unpause",
        "configure-minter", "remove-minter", "decrease-allowance", "propose", "approve", "execute", "cancel", "mint", "burn",
        "request-redemption", "complete-redemption", "reject-redemption", "denylist-add", "denylist-remove", "freeze", "thaw",
        "attest-reserves", "check-supply", "transfer", "status", "minters", "proposals", "events", "drill", "demo", "send-signed",
    ];
    for op in ops {
        assert!(help.lines().any(|line| line.trim_start().starts_with(&format!("{op} "))), "`usd1 --help` lacks {op}");
    }
}

/// A deployment on a persistent embedded ledger, driven through the CLI with keypair files.
struct Deployment {
    directory: tempfile::TempDir,
}

impl Deployment {
    fn path(&self, name: &str) -> String {
        self.directory.path().join(name).to_str().unwrap().to_string()
    }

    fn ledger(&self) -> String {
        self.path("usd1.ledger")
    }

    fn key(&self, name: &str) -> String {
        let output = run(&["keygen", "--outfile", &self.path(&format!("{name}.json"))]);
        assert!(output.status.success());
        stdout(&output).trim().to_string()
    }

    /// `usd1 --ledger L -k NAME.json --mint mint.json ARGS`.
    fn as_(&self, signer: &str, args: &[&str]) -> Output {
        let (ledger, keypair, mint) = (self.ledger(), self.path(&format!("{signer}.json")), self.path("mint.json"));
        let mut all = vec!["--ledger", &ledger, "--keypair", &keypair, "--mint", &mint];
        all.extend_from_slice(args);
        run(&all)
    }

    fn ok(&self, signer: &str, args: &[&str]) -> Output {
        let output = self.as_(signer, args);
        assert!(output.status.success(), "usd1 {args:?} as {signer}: {}\n{}", stdout(&output), stderr(&output));
        output
    }

    fn status(&self) -> Value {
        let output = self.ok("admin", &["--output", "json", "status"]);
        json_lines(&output).pop().expect("status JSON")
    }

    fn new() -> Deployment {
        let deployment = Deployment { directory: tempfile::tempdir().unwrap() };
        for name in ["admin", "c1", "c2", "c3", "mm", "p", "d", "b", "a", "minter", "ops", "alice"] {
            deployment.key(name);
        }
        let file = |name: &str| deployment.path(&format!("{name}.json"));
        let council = format!("{},{},{}", file("c1"), file("c2"), file("c3"));
        let (ledger, admin, mint) = (deployment.ledger(), file("admin"), deployment.path("mint.json"));
        let output = run(&[
            "--ledger", &ledger, "--keypair", &admin, "--mint-keypair", &mint, "initialize", "--council", &council, "--threshold", "2",
            "--master-minter", &file("mm"), "--pauser", &file("p"), "--denylister", &file("d"), "--burner", &file("b"), "--attester", &file("a"),
        ]);
        assert!(output.status.success(), "initialize: {}\n{}", stdout(&output), stderr(&output));
        deployment.ok("mm", &["configure-minter", "--minter", &file("minter")]);
        deployment.ok("c1", &["propose", "set-allowance", "--minter", &file("minter"), "--amount", "1000"]);
        deployment.ok("c2", &["approve", "--proposal", "0"]);
        deployment.ok("c3", &["execute", "--proposal", "0"]);
        deployment
    }
}

#[test]
fn json_output_has_a_stable_shape() {
    let deployment = Deployment::new();
    let status = deployment.status();
    for key in ["mint", "admin", "roles", "council", "paused", "supply", "total_minted", "total_burned", "escrowed", "attestation", "event_seq"] {
        assert!(status.get(key).is_some(), "status lacks `{key}`: {status}");
    }
    assert_eq!(status["paused"], serde_json::json!({"mint": false, "redeem": false, "transfers": false}));
    assert_eq!(status["council"]["threshold"], 2);
    assert_eq!(status["supply"], "0");
    assert_eq!(status["event_seq"], 5, "initialize, configure, propose, approve, execute");

    let output = deployment.ok("p", &["--output", "json", "pause", "--scope", "mint"]);
    let sent = json_lines(&output).pop().unwrap();
    assert_eq!(sent["ok"], true);
    assert_eq!(sent["events"][0]["event"], "Paused");
    assert_eq!(sent["events"][0]["scope"], "mint");
    assert_eq!(sent["events"][0]["seq"], 6);

    let output = deployment.as_("admin", &["--output", "json", "pause", "--scope", "all"]);
    assert_eq!(output.status.code(), Some(1));
    // The program's log lines of the refusal go to stderr: stdout is exactly one JSON document.
    let refused: Value = serde_json::from_str(stdout(&output).trim()).expect("a refused --output json op prints one JSON document");
    // (natively the program prints them; from the .so they come from the transaction's logs)
    assert!(stderr(&output).contains("AnchorError"), "the program's logs go to stderr: {}", stderr(&output));
    assert_eq!((refused["ok"].as_bool(), refused["error"].as_str()), (Some(false), Some("Unauthorized")));
    assert!(refused["hint"].as_str().unwrap().contains("role"));

    let minters = json_lines(&deployment.ok("admin", &["--output", "json", "minters"])).pop().unwrap();
    assert_eq!(minters[0]["allowance"], "1000");
    let events = json_lines(&deployment.ok("admin", &["--output", "json", "events"]));
    assert_eq!(events.iter().map(|event| event["seq"].as_u64().unwrap()).collect::<Vec<_>>(), (1..=6).collect::<Vec<_>>());
}

#[test]
fn argument_errors_name_what_is_wrong() {
    let deployment = Deployment::new();
    let alice = deployment.path("alice.json");
    // clap: a missing flag.
    let output = deployment.as_("minter", &["mint", "--amount", "1"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("--to"), "{}", stderr(&output));
    // Amounts are checked against the mint's decimals before anything is sent.
    for (amount, message) in [("1.0000001", "has 7 decimals; this mint has 6"), ("-3", "negative"), ("ten", "not a decimal number"), ("99999999999999999999", "too large")] {
        let amount_flag = format!("--amount={amount}");
        let output = deployment.as_("minter", &["mint", "--to", &alice, &amount_flag, "--reference", "w"]);
        assert_eq!(output.status.code(), Some(1), "{amount}");
        assert!(stderr(&output).contains(message), "{amount}: {}", stderr(&output));
    }
    let output = deployment.as_("minter", &["mint", "--to", "nobody-in-particular", "--amount", "1", "--reference", "w"]);
    assert!(stderr(&output).contains("neither a public key nor a keypair file"));
    let output = deployment.as_("p", &["pause", "--scope", "everything"]);
    assert!(stderr(&output).contains("unknown scope"));
    let output = run(&["--program-id", "11111111111111111111111111111111", "status"]);
    assert!(stderr(&output).contains("targets program"));
    assert_eq!(deployment.status()["event_seq"], 5, "nothing was sent");
}

#[test]
fn a_simulation_says_it_was_not_sent_and_changes_nothing() {
    let deployment = Deployment::new();
    let alice = deployment.path("alice.json");
    let output = deployment.ok("minter", &["--simulate", "mint", "--to", &alice, "--amount", "25", "--reference", "WIRE-SIM"]);
    let text = stdout(&output);
    assert!(text.starts_with("SIMULATED (not sent)\n"), "{text}");
    assert!(text.contains("Minted"), "the simulation shows the events it would emit: {text}");
    let output = deployment.ok("minter", &["--simulate", "--output", "json", "mint", "--to", &alice, "--amount", "25", "--reference", "WIRE-SIM"]);
    let simulated = json_lines(&output).pop().unwrap();
    assert_eq!(simulated["outcome"], "simulated", "{simulated}");
    let status = deployment.status();
    assert_eq!((status["supply"].as_str(), status["event_seq"].as_u64()), (Some("0"), Some(5)), "nothing was sent: {status}");
    // The reference is still free: the real mint goes through.
    deployment.ok("minter", &["mint", "--to", &alice, "--amount", "25", "--reference", "WIRE-SIM"]);
    assert_eq!(deployment.status()["supply"], "25");
}

#[test]
fn balance_reads_token_units_and_warp_moves_the_ledgers_clock_for_good() {
    let deployment = Deployment::new();
    let alice = deployment.path("alice.json");
    deployment.ok("minter", &["mint", "--to", &alice, "--amount", "25.5", "--reference", "WIRE-B"]);
    let balance = json_lines(&deployment.ok("admin", &["--output", "json", "balance", "--owner", &alice])).pop().unwrap();
    assert_eq!((balance["usd1"].as_str(), balance["usd1_base_units"].as_u64()), (Some("25.5"), Some(25_500_000)), "{balance}");
    assert_eq!(balance["token_accounts"].as_array().map(Vec::len), Some(1), "{balance}");
    let text = stdout(&deployment.ok("admin", &["balance", "--owner", &alice]));
    assert!(text.contains(" SOL, 25.5 USD1 in 1 token account(s)"), "{text}");
    // Without --mint: SOL only (the signer's wallet by default).
    let ledger = deployment.ledger();
    let sol_only = json_lines(&run(&["--ledger", &ledger, "--keypair", &alice, "--output", "json", "balance"])).pop().unwrap();
    assert!(sol_only.get("usd1").is_none() && sol_only["sol_base_units"].as_u64().is_some(), "{sol_only}");

    let first = json_lines(&deployment.ok("admin", &["--output", "json", "warp", "3600"])).pop().unwrap();
    let second = json_lines(&deployment.ok("admin", &["--output", "json", "warp", "60"])).pop().unwrap();
    let iso = |value: &Value| value.as_str().filter(|text| text.len() == 20 && text.ends_with('Z') && text.as_bytes()[10] == b'T').map(str::to_string);
    assert!(iso(&first["clock"]).is_some() && iso(&first["clock_before"]).is_some(), "ISO 8601 UTC times: {first}");
    assert_eq!(second["clock_before"], first["clock"], "the ledger file keeps the moved clock: {first} {second}");
    assert_eq!(second["unix_timestamp"].as_i64().unwrap() - first["unix_timestamp"].as_i64().unwrap(), 60);
}

#[test]
fn a_retried_mint_is_safe() {
    let deployment = Deployment::new();
    let alice = deployment.path("alice.json");
    let mint = |amount: &str| deployment.as_("minter", &["mint", "--to", &alice, "--amount", amount, "--reference", "WIRE-1"]);
    assert!(mint("25").status.success());
    // The operator does not know whether the first attempt landed and runs it again.
    let retry = mint("25");
    assert!(retry.status.success(), "{}", stdout(&retry));
    assert!(stdout(&retry).contains("already minted"));
    // The same reference with another amount is a real conflict.
    let conflict = mint("30");
    assert_eq!(conflict.status.code(), Some(1));
    assert!(stdout(&conflict).contains("DuplicateReference"));
    assert_eq!(deployment.status()["supply"], "25");
}

#[test]
fn offline_signing_across_three_processes_with_a_durable_nonce() {
    let deployment = Deployment::new();
    let file = |name: &str| deployment.path(&format!("{name}.json"));
    let pubkey = |name: &str| {
        let output = run(&["keygen", "--outfile", &file(name)]);
        stdout(&output).trim().to_string()
    };
    let (minter, ops, alice) = (pubkey("minter"), pubkey("ops"), pubkey("alice"));
    let nonce_output = deployment.ok("ops", &["--output", "json", "create-nonce-account", "--nonce-keypair", &file("nonce")]);
    let nonce = json_lines(&nonce_output).pop().unwrap()["nonce_account"].as_str().unwrap().to_string();
    let mint_address = {
        let output = run(&["keygen", "--outfile", &deployment.path("mint.json")]);
        stdout(&output).trim().to_string()
    };
    let ledger = deployment.ledger();
    let (ops_file, minter_file) = (file("ops"), file("minter"));
    // Every machine signs the same message, so the mint's expiry is one absolute time
    // (`--valid-until`), not "an hour from my clock".
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    let valid_until = (now + 3600).to_string();
    let mint_args = ["mint", "--to", alice.as_str(), "--amount", "7.5", "--reference", "WIRE-OFFLINE-1", "--valid-until", valid_until.as_str()];

    // 1. The operations workstation (online, holds the fee payer / nonce authority key only)
    //    prepares the mint under the nonce and signs what it can.
    let mut first = vec!["--ledger", &ledger, "--keypair", &minter, "--fee-payer", &ops_file, "--nonce", &nonce, "--nonce-authority", &ops_file, "--mint", &mint_address, "--output", "json", "--sign-only"];
    first.extend_from_slice(&mint_args);
    let output = run(&first);
    assert!(output.status.success(), "{}", stderr(&output));
    let prepared = json_lines(&output).pop().unwrap();
    let blockhash = prepared["blockhash"].as_str().unwrap().to_string();
    assert_eq!(prepared["absent"], serde_json::json!([minter]));
    let ops_signature = prepared["signers"][0]["signer"].as_str().unwrap().to_string();
    assert!(ops_signature.starts_with(&ops));

    // 2. The air-gapped machine holding the minter key: no ledger, no network.
    let mut second = vec!["--keypair", &minter_file, "--fee-payer", &ops, "--nonce", &nonce, "--nonce-authority", &ops, "--blockhash", &blockhash, "--decimals", "6", "--mint", &mint_address, "--output", "json", "--sign-only"];
    second.extend_from_slice(&mint_args);
    let output = run(&second);
    assert!(output.status.success(), "{}", stderr(&output));
    let signed = json_lines(&output).pop().unwrap();
    assert_eq!(signed["message"], prepared["message"], "both machines built the identical message");
    let minter_signature = signed["signers"][0]["signer"].as_str().unwrap().to_string();
    assert!(minter_signature.starts_with(&minter));

    // A forged signature is refused before anything is sent.
    let forged = format!("{minter}={}", ops_signature.split('=').nth(1).unwrap());
    let mut bad = vec!["--ledger", &ledger, "--keypair", &minter, "--fee-payer", &ops_file, "--nonce", &nonce, "--nonce-authority", &ops_file, "--blockhash", &blockhash, "--mint", &mint_address, "--signer", &forged];
    bad.extend_from_slice(&mint_args);
    let output = run(&bad);
    assert!(!output.status.success() && stderr(&output).contains("does not match this message"), "{}", stderr(&output));

    // 3. Back online, a third process adds the collected signature and sends.
    let mut third = vec!["--ledger", &ledger, "--keypair", &minter, "--fee-payer", &ops_file, "--nonce", &nonce, "--nonce-authority", &ops_file, "--blockhash", &blockhash, "--mint", &mint_address, "--signer", &minter_signature, "--output", "json"];
    third.extend_from_slice(&mint_args);
    let output = run(&third);
    assert!(output.status.success(), "{}\n{}", stdout(&output), stderr(&output));
    let sent = json_lines(&output).pop().unwrap();
    assert_eq!(sent["events"][0]["event"], "Minted");
    assert_eq!(sent["events"][0]["amount"], 7_500_000);
    assert_eq!(deployment.status()["supply"], "7.5");

    // Replaying the same signed transaction mints nothing: it is reported as already
    // minted (the receipt is this very mint), and supply does not move.
    let output = run(&third);
    let replay = json_lines(&output).pop().unwrap();
    assert_eq!(replay["outcome"], "already_minted", "{replay}");
    assert_eq!(deployment.status()["supply"], "7.5");
}

#[test]
fn send_signed_submits_a_transaction_completed_elsewhere() {
    let deployment = Deployment::new();
    let file = |name: &str| deployment.path(&format!("{name}.json"));
    deployment.ok("ops", &["create-nonce-account", "--nonce-keypair", &file("nonce")]);
    let nonce = stdout(&run(&["keygen", "--outfile", &file("nonce")])).trim().to_string();
    let ops_file = file("ops");
    let pauser_only = deployment.ok("p", &["--output", "json", "--nonce", &nonce, "--nonce-authority", &ops_file, "--fee-payer", &ops_file, "--sign-only", "pause", "--scope", "redeem"]);
    let report = json_lines(&pauser_only).pop().unwrap();
    assert_eq!(report["absent"], serde_json::json!([]));
    let transaction = report["transaction"].as_str().unwrap().to_string();
    let output = run(&["--ledger", &deployment.ledger(), "--output", "json", "send-signed", "--transaction", &transaction]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(json_lines(&output).pop().unwrap()["events"][0]["event"], "Paused");
    assert_eq!(deployment.status()["paused"]["redeem"], true);
    let output = run(&["--ledger", &deployment.ledger(), "send-signed", "--transaction", "bm90IGEgdHJhbnNhY3Rpb24="]);
    assert!(!output.status.success() && stderr(&output).contains("not a serialized transaction"));
}

#[test]
fn a_recorded_drill_indexes_reconciles_and_reports_a_removed_event_as_a_gap() {
    let directory = tempfile::tempdir().unwrap();
    let path = |name: &str| directory.path().join(name).to_str().unwrap().to_string();
    let (ledger, record, db) = (path("usd1.ledger"), path("record.jsonl"), path("index.sqlite"));
    let drill = drills_dir().join("redemption_completed.json");
    let output = run(&["--ledger", &ledger, "drill", "run", drill.to_str().unwrap(), "--record", &record]);
    assert!(output.status.success(), "{}", stdout(&output));
    let first: Value = serde_json::from_str(std::fs::read_to_string(&record).unwrap().lines().next().unwrap()).unwrap();
    let mint = first["events"][0]["mint"].as_str().unwrap().to_string();

    let output = run(&["--output", "json", "index", "--db", &db, "--from-file", &record]);
    assert!(output.status.success(), "{}", stderr(&output));
    let summary = json_lines(&output).pop().unwrap();
    assert_eq!(summary["events_inserted"], 9, "initialize, configure, propose, approve, execute, mint, request, complete, check");
    assert_eq!(summary["gaps"], serde_json::json!([]));
    let again = json_lines(&run(&["--output", "json", "index", "--db", &db, "--from-file", &record])).pop().unwrap();
    assert_eq!(again["events_inserted"], 0, "indexing again changes nothing");
    // Straight from the chain (here the persisted embedded ledger): the same events.
    let from_chain = json_lines(&run(&["--ledger", &ledger, "--mint", &mint, "--output", "json", "index", "--db", &path("chain.sqlite")])).pop().unwrap();
    assert_eq!(from_chain["events_inserted"], 9);

    // The drill leaves 180 USD1 in circulation. A matching reserve ledger passes, against the chain itself.
    std::fs::write(path("reserves.csv"), "as_of,amount\n2026-11-20,100\n2026-11-21,180\n").unwrap();
    let output = run(&["--ledger", &ledger, "--mint", &mint, "--output", "json", "reconcile", "--db", &db, "--reserves", &path("reserves.csv")]);
    let result = json_lines(&output).pop().unwrap();
    assert!(output.status.success(), "{result}");
    assert_eq!((result["chain_supply"].as_str(), result["chain_supply_source"].as_str(), result["ok"].as_bool()), (Some("180"), Some("chain"), Some(true)));
    // The chain moves on by one event before the index does: reconcile says the index is
    // behind, not that supply exceeds what the events minted, and reconciles nothing.
    let payer = path("payer.json");
    assert!(run(&["keygen", "--outfile", &payer]).status.success());
    assert!(run(&["--ledger", &ledger, "--mint", &mint, "--keypair", &payer, "check-supply"]).status.success());
    let output = run(&["--ledger", &ledger, "--mint", &mint, "reconcile", "--db", &db, "--reserves", &path("reserves.csv")]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).contains("index is behind by 1 events (index at seq 9, chain at seq 10): run usd1 index"), "{}", stdout(&output));
    assert!(!stdout(&output).contains("FAIL"), "{}", stdout(&output));
    let output = run(&["--ledger", &ledger, "--mint", &mint, "--output", "json", "reconcile", "--db", &db, "--reserves", &path("reserves.csv")]);
    let behind = json_lines(&output).pop().unwrap();
    assert_eq!((behind["status"].as_str(), behind["events_behind"].as_u64(), behind["ok"].as_bool()), (Some("index_behind"), Some(1), Some(false)), "{behind}");
    // A short ledger fails; offline, the last event's supply stands in for the chain.
    std::fs::write(path("short.csv"), "as_of,amount\n2026-11-21,179.99\n").unwrap();
    let output = run(&["reconcile", "--db", &db, "--reserves", &path("short.csv")]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).contains("FAIL: supply exceeds reserves"), "{}", stdout(&output));
    // A bad CSV row names its line.
    std::fs::write(path("bad.csv"), "as_of,amount\n2026-11-21,12\nyesterday,5\n").unwrap();
    let output = run(&["reconcile", "--db", &db, "--reserves", &path("bad.csv")]);
    assert!(!output.status.success() && stderr(&output).contains("line 3"), "{}", stderr(&output));

    // A record with one transaction removed: the hole is named and the exit status says so.
    let lines: Vec<String> = std::fs::read_to_string(&record).unwrap().lines().map(str::to_string).collect();
    let removed: Value = serde_json::from_str(&lines[3]).unwrap();
    let missing_seq = removed["events"][0]["seq"].as_u64().unwrap();
    let holed: String = lines.iter().enumerate().filter(|(index, _)| *index != 3).map(|(_, line)| format!("{line}\n")).collect();
    std::fs::write(path("holed.jsonl"), holed).unwrap();
    let output = run(&["index", "--db", &path("holed.sqlite"), "--from-file", &path("holed.jsonl")]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains(&format!("missing event seq {missing_seq}")), "{}", stderr(&output));

    // Monitoring: the drill has no pause, so that rule is quiet; it has mints above 100.
    std::fs::write(path("quiet.toml"), "[[rules]]\nkind = \"pause_change\"\n").unwrap();
    assert!(run(&["monitor", "--db", &db, "--rules", &path("quiet.toml")]).status.success());
    std::fs::write(path("loud.toml"), "[[rules]]\nkind = \"single_mint_above\"\namount = \"100\"\n").unwrap();
    let output = run(&["monitor", "--db", &db, "--rules", &path("loud.toml")]);
    assert_eq!(output.status.code(), Some(1));
    let alerts = json_lines(&output);
    assert_eq!(alerts.len(), 1, "one 300 USD1 mint");
    assert_eq!(alerts[0]["rule"], "single_mint_above");
}

/// The `.so` CI built, when this run is the SBF one (`USD1_PROGRAM_SO`).
fn program_so_under_test() -> Option<String> {
    std::env::var("USD1_PROGRAM_SO").ok().filter(|path| !path.is_empty())
}

#[test]
fn demo_runs_the_lifecycle_and_says_which_program_build_ran() {
    let output = run(&["demo"]);
    assert!(output.status.success(), "{}\n{}", stdout(&output), stderr(&output));
    assert!(!stdout(&output).contains("UNEXPECTED"), "{}", stdout(&output));
    let announced = stderr(&output);
    match program_so_under_test() {
        Some(path) => assert!(announced.contains(&format!("usd1: program SBF {path} (sha256 ")), "{announced}"),
        // Run from cli/ (cargo's working directory for this test), where no target/deploy/usd1.so is.
        None => assert!(announced.contains("usd1: program native"), "{announced}"),
    }
}

#[test]
fn sbf_program_so_flag_names_a_missing_file_and_refuses_a_non_elf() {
    let directory = tempfile::tempdir().unwrap();
    let drill = drills_dir().join("pause_scopes.json");
    let missing = directory.path().join("usd1.so");
    let output = usd1().env_remove("USD1_PROGRAM_SO").args(["--program-so", missing.to_str().unwrap(), "drill", "run", drill.to_str().unwrap()]).output().unwrap();
    assert!(!output.status.success());
    assert!(stderr(&output).contains("no such file (build it with scripts/build-sbf.sh)"), "{}", stderr(&output));
    std::fs::write(&missing, b"not an elf").unwrap();
    let output = usd1().env_remove("USD1_PROGRAM_SO").args(["--program-so", missing.to_str().unwrap(), "drill", "run", drill.to_str().unwrap()]).output().unwrap();
    assert!(!output.status.success());
    assert!(stderr(&output).contains("is not an ELF shared object"), "{}", stderr(&output));
    // The environment names a .so that is not there: refused by name, not run natively.
    let output = usd1().env("USD1_PROGRAM_SO", directory.path().join("gone.so")).args(["drill", "run", drill.to_str().unwrap()]).output().unwrap();
    assert!(!output.status.success() && stderr(&output).contains("gone.so, which does not exist"), "{}", stderr(&output));
}

#[test]
fn sbf_drill_runs_on_the_named_so_with_a_priority_fee() {
    let drill = drills_dir().join("lawful_order_seizure.json");
    let mut command = usd1();
    if let Some(path) = program_so_under_test() {
        command.args(["--program-so", &path]);
    }
    let output = command.args(["--with-compute-unit-price", "5000", "drill", "run", drill.to_str().unwrap()]).output().unwrap();
    assert!(output.status.success(), "{}\n{}", stdout(&output), stderr(&output));
    match program_so_under_test() {
        Some(_) => assert!(stderr(&output).contains("usd1: program SBF") && stderr(&output).contains("[--program-so]"), "{}", stderr(&output)),
        None => assert!(stderr(&output).contains("usd1: program native"), "{}", stderr(&output)),
    }
}

#[test]
fn every_transaction_carries_the_published_compute_limit_and_the_priority_fee_asked_for() {
    let deployment = Deployment::new();
    let file = |name: &str| deployment.path(&format!("{name}.json"));
    deployment.ok("ops", &["create-nonce-account", "--nonce-keypair", &file("nonce")]);
    let nonce = stdout(&run(&["keygen", "--outfile", &file("nonce")])).trim().to_string();
    let ops_file = file("ops");
    for (price, expected_instructions) in [(None, 3), (Some("7000"), 4)] {
        let mut args = vec!["--output", "json", "--nonce", &nonce, "--nonce-authority", &ops_file, "--fee-payer", &ops_file, "--sign-only"];
        if let Some(price) = price {
            args.extend(["--with-compute-unit-price", price]);
        }
        args.extend(["pause", "--scope", "all"]);
        let report = json_lines(&deployment.ok("p", &args)).pop().unwrap();
        let bytes = base64::engine::general_purpose::STANDARD.decode(report["transaction"].as_str().unwrap()).unwrap();
        let transaction: solana_transaction::Transaction = bincode::deserialize(&bytes).unwrap();
        let message = &transaction.message;
        let program = |index: usize| message.account_keys[usize::from(message.instructions[index].program_id_index)];
        // Nonce advance first, the pause, then the limit (and the fee): error indexes stay the op's.
        assert_eq!(message.instructions.len(), expected_instructions);
        assert_eq!(program(0), solana_sdk_ids::system_program::ID);
        assert_eq!(program(1), usd1_client::PROGRAM_ID);
        let pause = solana_instruction::Instruction {
            program_id: usd1_client::PROGRAM_ID,
            accounts: vec![],
            data: message.instructions[1].data.clone(),
        };
        let limit = usd1_client::compute_budget::with_margin(usd1_client::compute_budget::measured_cost(&pause).expect("pause is in the table").base);
        let expected_limit = limit + 3 * usd1_client::compute_budget::BUILTIN_INSTRUCTION_UNITS;
        // Compute-budget instruction data: tag 2 and the limit (u32), tag 3 and the price (u64).
        let mut limit_data = vec![2u8];
        limit_data.extend_from_slice(&expected_limit.to_le_bytes());
        assert_eq!(message.instructions[2].data, limit_data);
        assert_eq!(program(2), solana_sdk_ids::compute_budget::ID);
        if price.is_some() {
            let mut price_data = vec![3u8];
            price_data.extend_from_slice(&7000u64.to_le_bytes());
            assert_eq!(message.instructions[3].data, price_data);
        }
    }
}

#[test]
fn a_limit_too_small_changes_nothing_and_says_which_flag_raises_it() {
    let deployment = Deployment::new();
    // pause{all} calls Token-2022 (Pausable), metered natively too: 1,000 units cannot cover it.
    let output = deployment.as_("p", &["--compute-unit-limit", "1000", "--output", "json", "pause", "--scope", "all"]);
    assert!(!output.status.success());
    let report = json_lines(&output).pop().unwrap();
    assert_eq!(report["error"], "ComputationalBudgetExceeded", "{report}");
    assert!(report["hint"].as_str().unwrap().contains("--compute-unit-limit"), "{report}");
    assert_eq!(deployment.status()["paused"]["mint"], false, "nothing was applied");
    let output = deployment.as_("p", &["--compute-unit-limit", "0", "pause", "--scope", "all"]);
    assert!(!output.status.success() && stderr(&output).contains("--compute-unit-limit"), "{}", stderr(&output));
    // The published limit does it.
    deployment.ok("p", &["pause", "--scope", "all"]);
    assert_eq!(deployment.status()["paused"]["mint"], true);
}

/// One `usd1 mint` of 1 token under `reference`: Ok(()) when it landed, Err(stderr) when the
/// ledger refused it (busy); anything else fails the test.
fn mint_one(deployment: &Deployment, reference: &str) -> Result<(), String> {
    let alice = deployment.path("alice.json");
    let output = deployment.as_("minter", &["mint", "--to", &alice, "--amount", "1", "--reference", reference]);
    if output.status.success() {
        return Ok(());
    }
    let error = stderr(&output);
    assert!(error.contains("ledger in use by PID"), "mint {reference} failed for another reason than a busy ledger: {}\n{error}", stdout(&output));
    Err(error)
}

#[test]
fn eight_writers_on_one_ledger_file_lose_nothing_and_duplicate_nothing() {
    let deployment = Deployment::new();
    let before = deployment.status();
    // 8 processes at a time, 50 mints each, every one under its own wire reference.
    let outcomes: Vec<(String, Result<(), String>)> = std::thread::scope(|scope| {
        let writers: Vec<_> = (0..8)
            .map(|writer| {
                let deployment = &deployment;
                scope.spawn(move || (0..50).map(|index| format!("WIRE-{writer}-{index}")).map(|reference| (reference.clone(), mint_one(deployment, &reference))).collect::<Vec<_>>())
            })
            .collect();
        writers.into_iter().flat_map(|writer| writer.join().unwrap()).collect()
    });
    let landed = outcomes.iter().filter(|(_, outcome)| outcome.is_ok()).count();
    let status = deployment.status();
    assert_eq!(status["supply"], landed.to_string(), "supply rose by exactly the mints that reported success ({landed} of 400)");
    let seq_before = before["event_seq"].as_u64().unwrap();
    assert_eq!(status["event_seq"].as_u64().unwrap(), seq_before + landed as u64, "one Minted event per success, none lost");
    let events = deployment.ok("admin", &["--output", "json", "events", "--from-seq", &(seq_before + 1).to_string()]);
    let minted: Vec<Value> = json_lines(&events).into_iter().filter(|event| event["event"] == "Minted").collect();
    assert_eq!(minted.len(), landed, "a receipt for every mint that reported success");
    // Re-running references (the operator does not trust what happened) mints nothing again:
    // one per writer.
    for writer in 0..8 {
        let reference = format!("WIRE-{writer}-0");
        let alice = deployment.path("alice.json");
        let output = deployment.as_("minter", &["mint", "--to", &alice, "--amount", "1", "--reference", &reference]);
        let landed_first = outcomes.iter().any(|(done, outcome)| *done == reference && outcome.is_ok());
        assert!(output.status.success(), "{}\n{}", stdout(&output), stderr(&output));
        assert_eq!(stdout(&output).contains("already minted"), landed_first, "{reference}: {}", stdout(&output));
    }
    let refused = 400 - landed;
    let retried_refused = outcomes.iter().take(8).filter(|(_, outcome)| outcome.is_err()).count();
    let after = deployment.status();
    assert_eq!(after["supply"], (landed + (0..8).filter(|writer| !outcomes.iter().any(|(done, outcome)| *done == format!("WIRE-{writer}-0") && outcome.is_ok())).count()).to_string());
    eprintln!("{landed} landed, {refused} refused as busy ({retried_refused} of the first eight)");
}

/// Hold `ledger`'s writer lock from this test process, as holder `serving` says.
fn hold_ledger_lock(ledger: &str, serving: bool) -> std::fs::File {
    use std::io::Write;
    let mut lock = std::fs::OpenOptions::new().read(true).write(true).create(true).truncate(true).open(format!("{ledger}.lock")).unwrap();
    lock.lock().unwrap();
    let holder = serde_json::json!({"pid": std::process::id(), "command": "usd1 localnet --ledger held", "serving": serving, "since": "2026-12-06T00:00:00Z"});
    lock.write_all(holder.to_string().as_bytes()).unwrap();
    lock
}

#[test]
fn a_busy_ledger_says_who_holds_it_and_a_mistyped_path_creates_nothing() {
    let deployment = Deployment::new();
    let ledger = deployment.ledger();
    let pid = std::process::id().to_string();
    // Another writer: waited for (here 1 s), then refused naming its PID; nothing changed.
    let lock = hold_ledger_lock(&ledger, false);
    let started = std::time::Instant::now();
    let busy = usd1()
        .env("USD1_LEDGER_WAIT_SECS", "1")
        .args(["--ledger", &ledger, "--keypair", &deployment.path("minter.json"), "--mint", &deployment.path("mint.json")])
        .args(["mint", "--to", &deployment.path("alice.json"), "--amount", "1", "--reference", "BUSY-1"])
        .output()
        .unwrap();
    assert_eq!(busy.status.code(), Some(1));
    assert!(stderr(&busy).contains(&format!("ledger in use by PID {pid}")) && stderr(&busy).contains("waited 1 s"), "{}", stderr(&busy));
    // Another name for the same file (a symlink) takes the same lock.
    let alias = deployment.path("alias.ledger");
    std::os::unix::fs::symlink(&ledger, &alias).unwrap();
    let aliased = usd1().env("USD1_LEDGER_WAIT_SECS", "1").args(["--ledger", &alias, "--mint", &deployment.path("mint.json"), "status"]).output().unwrap();
    assert!(stderr(&aliased).contains(&format!("ledger in use by PID {pid}")), "{}", stderr(&aliased));
    drop(lock);
    assert!(started.elapsed() >= std::time::Duration::from_secs(1));
    // A server (usd1 localnet) keeps the file until stopped: refused at once, pointing at --url.
    let lock = hold_ledger_lock(&ledger, true);
    let started = std::time::Instant::now();
    let served = usd1().env("USD1_LEDGER_WAIT_SECS", "30").args(["--ledger", &ledger, "--mint", &deployment.path("mint.json"), "status"]).output().unwrap();
    assert_eq!(served.status.code(), Some(1));
    assert!(stderr(&served).contains(&format!("ledger in use by PID {pid}")) && stderr(&served).contains("--url"), "{}", stderr(&served));
    assert!(started.elapsed() < std::time::Duration::from_secs(10), "no wait for a server");
    drop(lock);
    assert_eq!(deployment.status()["supply"], "0", "the refused commands changed nothing");

    // A mistyped path: refused, naming it, and no file (not even a lock file) appears.
    let typo = deployment.path("usd1.ledgr");
    let output = run(&["--ledger", &typo, "--mint", &deployment.path("mint.json"), "status"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains(&format!("no ledger at {typo}")), "{}", stderr(&output));
    assert!(!Path::new(&typo).exists() && !Path::new(&format!("{typo}.lock")).exists());
}

#[test]
fn an_older_json_state_file_is_migrated_and_any_other_file_refused() {
    let directory = tempfile::tempdir().unwrap();
    let path = |name: &str| directory.path().join(name).to_str().unwrap().to_string();
    let wallet = path("wallet.json");
    let key = stdout(&run(&["keygen", "--outfile", &wallet])).trim().to_string();
    // The JSON state file of earlier releases, holding one funded wallet.
    let ledger = path("old.ledger");
    let state = serde_json::json!({
        "unix_timestamp": 1_700_000_000, "slot": 5, "tick_counter": 0, "transactions": [], "rpc_history": [],
        "accounts": {key.clone(): {"lamports": 5_000_000_000u64, "owner": "11111111111111111111111111111111", "executable": false, "data": ""}},
    });
    std::fs::write(&ledger, state.to_string()).unwrap();
    let output = run(&["--ledger", &ledger, "--keypair", &wallet, "--output", "json", "airdrop", "--sol", "1"]);
    assert!(output.status.success(), "{}\n{}", stdout(&output), stderr(&output));
    assert!(stderr(&output).contains("migrated ledger"), "{}", stderr(&output));
    assert_eq!(json_lines(&output)[0]["balance_sol"], "6", "the migrated wallet's 5 SOL plus the airdrop");
    assert!(std::fs::read(&ledger).unwrap().starts_with(b"SQLite format 3\0"));
    assert_eq!(std::fs::read_to_string(format!("{ledger}.json-before-sqlite")).unwrap(), state.to_string(), "the original is kept as it was");
    // Kept: a later command reads the same balance, without migrating again.
    let output = run(&["--ledger", &ledger, "--keypair", &wallet, "--output", "json", "airdrop", "--sol", "0"]);
    assert_eq!(json_lines(&output)[0]["balance_sol"], "6");
    assert!(!stderr(&output).contains("migrated"));

    // Anything else at the path is refused and left alone.
    let other = path("notes.txt");
    std::fs::write(&other, "quarterly notes").unwrap();
    let output = run(&["--ledger", &other, "--keypair", &wallet, "airdrop", "--sol", "1"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("is not a usd1 ledger"), "{}", stderr(&output));
    assert_eq!(std::fs::read_to_string(&other).unwrap(), "quarterly notes");
}

#[test]
fn people_read_token_units_and_dates_and_json_keeps_base_units_beside_them() {
    let deployment = Deployment::new();
    deployment.ok("c1", &["propose", "set-allowance", "--minter", &deployment.path("minter.json"), "--amount", "1000000"]);
    let text = stdout(&deployment.ok("admin", &["proposals"]));
    let row = text.lines().find(|line| line.contains("set_allowance")).unwrap_or_else(|| panic!("{text}"));
    assert!(row.contains("1,000,000 USD1") && row.contains("1 of 2") && row.contains("needs approvals"), "{text}");
    let date = regex_like_iso(row);
    assert!(date, "an ISO 8601 UTC date in: {row}");
    assert!(!text.contains("1000000000000"), "no base units for people: {text}");
    let json = json_lines(&deployment.ok("admin", &["--output", "json", "proposals"])).pop().unwrap();
    let open = json.as_array().unwrap().iter().find(|proposal| proposal["state"] == "needs approvals").unwrap().clone();
    assert_eq!(open["kind"]["set_allowance"]["amount"], "1000000", "{open}");
    assert_eq!(open["kind"]["set_allowance"]["amount_base_units"], 1_000_000_000_000u64, "{open}");
    assert!(open["created_at_unix"].is_i64() && open["created_at"].as_str().is_some_and(|time| time.ends_with('Z')), "{open}");

    let minters = stdout(&deployment.ok("admin", &["minters"]));
    assert!(minters.contains("1,000 USD1"), "{minters}");
    let status = stdout(&deployment.ok("admin", &["status"]));
    assert!(status.contains("supply") && status.contains("0 USD1") && status.contains("days ("), "{status}");

    // A reference already used by another mint: the error says which mint holds it.
    let alice = deployment.path("alice.json");
    deployment.ok("minter", &["mint", "--to", &alice, "--amount", "25", "--reference", "WIRE-9"]);
    let conflict = deployment.as_("minter", &["mint", "--to", &alice, "--amount", "30", "--reference", "WIRE-9"]);
    assert_eq!(conflict.status.code(), Some(1));
    assert!(stdout(&conflict).contains("reference `WIRE-9` was already used: 25 USD1 to "), "{}", stdout(&conflict));
    let conflict = deployment.as_("minter", &["--output", "json", "mint", "--to", &alice, "--amount", "30", "--reference", "WIRE-9"]);
    let refused = json_lines(&conflict).pop().unwrap();
    assert_eq!((refused["error"].as_str(), refused["existing_receipt"]["amount"].as_str()), (Some("DuplicateReference"), Some("25")), "{refused}");
    // The event lines a person reads after a send: tokens, not base units.
    let sent = stdout(&deployment.ok("minter", &["mint", "--to", &alice, "--amount", "500", "--reference", "WIRE-10"]));
    assert!(sent.contains("Minted amount=500 USD1") && sent.contains("remaining_allowance=475 USD1"), "{sent}");
}

/// Whether `text` holds an ISO 8601 UTC time such as `2026-12-06T05:13:50Z`.
fn regex_like_iso(text: &str) -> bool {
    text.split_whitespace().any(|word| {
        let bytes = word.as_bytes();
        word.len() == 20 && word.ends_with('Z') && bytes[10] == b'T' && bytes[4] == b'-' && bytes[13] == b':' && bytes[..4].iter().all(u8::is_ascii_digit)
    })
}

#[test]
fn first_contact_errors_name_what_is_wrong() {
    // A mistyped moniker: an argument error (exit 2) listing what is accepted.
    let output = run(&["-u", "devnt", "status"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("unknown cluster `devnt`: give localhost, devnet, testnet or mainnet-beta"), "{}", stderr(&output));
    // Nothing listening: said once, plainly, before any account is read.
    let output = run(&["-u", "http://127.0.0.1:1", "--mint", "11111111111111111111111111111111", "status"]);
    assert_eq!(output.status.code(), Some(1));
    let error = stderr(&output);
    assert!(error.contains("cannot reach the cluster at http://127.0.0.1:1: nothing answers there") && !error.contains("AccountNotFound"), "{error}");
    assert_eq!(error.matches("cannot reach").count(), 1, "{error}");
    // A Solana CLI config that exists but cannot be read is named, not silently replaced.
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join(".config/solana/cli/config.yml");
    std::fs::create_dir_all(config.parent().unwrap()).unwrap();
    std::fs::write(&config, "json_rpc_url: [not, a, url]\n").unwrap();
    let output = usd1().env("HOME", home.path()).args(["--mint", "11111111111111111111111111111111", "status"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains(&format!("the Solana CLI config {} cannot be read", config.display())), "{}", stderr(&output));

    // Under --output json every failure is one JSON document on stdout, in one shape.
    let output = run(&["--output", "json", "-u", "devnt", "status"]);
    assert_eq!(output.status.code(), Some(2));
    let usage: Value = serde_json::from_str(stdout(&output).trim()).unwrap_or_else(|_| panic!("{}", stdout(&output)));
    assert_eq!((usage["ok"].as_bool(), usage["error"].as_str()), (Some(false), Some("UsageError")), "{usage}");
    assert!(usage["hint"].as_str().unwrap().contains("unknown cluster `devnt`"), "{usage}");
    let output = run(&["--output", "json", "-u", "http://127.0.0.1:1", "--mint", "11111111111111111111111111111111", "status"]);
    assert_eq!(output.status.code(), Some(1));
    let refused: Value = serde_json::from_str(stdout(&output).trim()).unwrap_or_else(|_| panic!("{}", stdout(&output)));
    assert_eq!((refused["ok"].as_bool(), refused["error"].as_str()), (Some(false), Some("ClusterUnreachable")), "{refused}");
    assert!(refused["hint"].as_str().unwrap().starts_with("cannot reach the cluster at http://127.0.0.1:1"), "{refused}");
}

#[test]
fn a_default_mint_comes_from_usd1_mint_or_the_config_file_and_mint_flag_wins() {
    let deployment = Deployment::new();
    let home = tempfile::tempdir().unwrap();
    let ledger = deployment.ledger();
    let in_home = |args: &[&str]| usd1().env("HOME", home.path()).env_remove("USD1_MINT").args(args).output().unwrap();
    // None yet: the error says the three ways to give one.
    let output = in_home(&["--ledger", &ledger, "status"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("no mint given: pass --mint") && stderr(&output).contains("usd1 config set --mint"), "{}", stderr(&output));
    // Kept beside the Solana CLI config; only the key is kept, not the keypair file's path.
    let output = in_home(&["--output", "json", "config", "set", "--mint", &deployment.path("mint.json")]);
    assert!(output.status.success(), "{}", stderr(&output));
    let mint = stdout(&run(&["--ledger", &ledger, "--mint", &deployment.path("mint.json"), "--output", "json", "status"]));
    let mint: Value = serde_json::from_str(mint.trim()).unwrap();
    let file = home.path().join(".config/solana/cli/usd1.toml");
    assert!(std::fs::read_to_string(&file).unwrap().contains(mint["mint"].as_str().unwrap()));
    let status = json_lines(&in_home(&["--ledger", &ledger, "--output", "json", "status"])).pop().unwrap();
    assert_eq!(status["mint"], mint["mint"]);
    let shown = json_lines(&in_home(&["--output", "json", "config", "get"])).pop().unwrap();
    assert_eq!((shown["mint"].clone(), shown["source"].as_str()), (mint["mint"].clone(), Some(file.to_str().unwrap())));
    // USD1_MINT wins over the file, --mint over both.
    let other = "11111111111111111111111111111111";
    let output = usd1().env("HOME", home.path()).env("USD1_MINT", other).args(["--ledger", &ledger, "status"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1), "the System Program is no USD1 mint");
    let output = usd1().env("HOME", home.path()).env("USD1_MINT", other).args(["--ledger", &ledger, "--mint", &deployment.path("mint.json"), "status"]).output().unwrap();
    assert!(output.status.success(), "{}", stderr(&output));

    // `usd1 accounts` with the default mint: the deployment's addresses and each signer's SOL.
    let listed = json_lines(&in_home(&["--ledger", &ledger, "--output", "json", "accounts"])).pop().unwrap();
    let row = |what: &str| listed.as_array().unwrap().iter().find(|row| row["what"] == what).cloned().unwrap_or_else(|| panic!("{what}: {listed}"));
    assert_eq!((row("config")["exists"].as_bool(), row("mint")["address"].clone()), (Some(true), mint["mint"].clone()));
    assert_eq!(row("admin")["address"], status["admin"]);
    // The pauser never paid a fee on this ledger: it has no SOL yet, which the table shows.
    assert_eq!((row("pauser")["exists"].as_bool(), row("pauser")["sol"].as_str()), (Some(false), Some("0")));
    assert!(row("council[2]")["sol_base_units"].as_u64().unwrap() > 0);
}

#[test]
fn refusals_carry_the_facts_the_chain_has() {
    let deployment = Deployment::new();
    // Unauthorized names the role that signs and who holds it.
    let pauser_key = deployment.status()["roles"]["pauser"].as_str().unwrap().to_string();
    let refused = deployment.as_("admin", &["pause", "--scope", "mint"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(stdout(&refused).contains(&format!("this is signed by the pauser, held by {pauser_key}")), "{}", stdout(&refused));
    let refused = deployment.as_("alice", &["mint", "--to", &deployment.path("alice.json"), "--amount", "1", "--reference", "W-1"]);
    assert!(stdout(&refused).contains("the signer is no active minter of this mint"), "{}", stdout(&refused));

    // A transfer to a denylisted wallet: said as such, not "thaw it" (thawing is refused while listed).
    let bob = stdout(&run(&["keygen", "--outfile", &deployment.path("bob.json")])).trim().to_string();
    deployment.ok("minter", &["mint", "--to", &deployment.path("alice.json"), "--amount", "10", "--reference", "W-2"]);
    deployment.ok("minter", &["mint", "--to", &deployment.path("bob.json"), "--amount", "1", "--reference", "W-3"]);
    deployment.ok("d", &["denylist-add", "--wallet", &bob, "--reason", "case 7"]);
    let refused = deployment.as_("alice", &["transfer", "--to", &bob, "--amount", "1"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(stdout(&refused).contains(&format!("the recipient {bob} is denylisted")) && !stdout(&refused).contains("must `thaw`"), "{}", stdout(&refused));
}

#[test]
fn signer_sources_as_the_solana_cli_reads_them() {
    use std::io::Write;
    let deployment = Deployment::new();
    let args = |signer: &str, reference: &str| {
        let (ledger, mint, alice) = (deployment.ledger(), deployment.path("mint.json"), deployment.path("alice.json"));
        vec!["--ledger".to_string(), ledger, "--keypair".into(), signer.into(), "--mint".into(), mint, "mint".into(), "--to".into(), alice, "--amount".into(), "1".into(), "--reference".into(), reference.into()]
    };
    // `-` (and `stdin://`): the keypair file's JSON on standard input, read once however many
    // roles of the command name it (signer and nonce authority here).
    let keypair = std::fs::read(deployment.path("minter.json")).unwrap();
    for (source, reference) in [("-", "STDIN-1"), ("stdin://", "STDIN-2")] {
        let mut child = usd1().args(args(source, reference)).stdin(std::process::Stdio::piped()).stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped()).spawn().unwrap();
        child.stdin.take().unwrap().write_all(&keypair).unwrap();
        let output = child.wait_with_output().unwrap();
        assert!(output.status.success() && stdout(&output).contains("Minted amount=1 USD1"), "{source}: {}\n{}", stdout(&output), stderr(&output));
    }
    // `prompt://` types a seed phrase on the terminal: without one, said so (no hang).
    let mut command = usd1();
    // SAFETY: setsid in the child before exec: no controlling terminal, as under a scheduler.
    unsafe {
        std::os::unix::process::CommandExt::pre_exec(&mut command, || {
            libc::setsid();
            Ok(())
        });
    }
    let output = command.args(args("prompt://", "PROMPT-1")).stdin(std::process::Stdio::null()).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("cannot read keypair prompt://: no terminal to type the seed phrase on"), "{}", stderr(&output));
    // A hardware wallet: refused with the route that works (sign where the device is).
    let output = run(&args("usb://ledger", "USB-1").iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("cannot sign with usb://ledger here") && stderr(&output).contains("--signer PUBKEY=SIGNATURE"), "{}", stderr(&output));
    assert_eq!(deployment.status()["supply"], "2", "only the two stdin mints landed");
}
