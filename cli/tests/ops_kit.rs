//! The ops kit (SPEC 12) run as operators run it: separate processes on a `--ledger` file.
use serde_json::Value;
use solana_pubkey::Pubkey;
use std::process::{Command, Output};

fn usd1() -> Command {
    Command::new(env!("CARGO_BIN_EXE_usd1"))
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A deployment on a ledger file, with a minter holding an allowance of 1,000.
struct Deployment {
    directory: tempfile::TempDir,
}

impl Deployment {
    fn path(&self, name: &str) -> String {
        self.directory.path().join(name).to_str().unwrap().to_string()
    }

    fn run(&self, signer: &str, args: &[&str]) -> Output {
        let (ledger, keypair, mint) = (self.path("usd1.ledger"), self.path(&format!("{signer}.json")), self.path("mint.json"));
        usd1().args(["--ledger", &ledger, "--keypair", &keypair, "--mint", &mint]).args(args).output().unwrap()
    }

    fn ok(&self, signer: &str, args: &[&str]) -> Output {
        let output = self.run(signer, args);
        assert!(output.status.success(), "usd1 {args:?} as {signer}: {}\n{}", stdout(&output), String::from_utf8_lossy(&output.stderr));
        output
    }

    /// `--output json ARGS`: the one JSON document printed, and whether the command succeeded.
    fn json(&self, signer: &str, args: &[&str]) -> (bool, Value) {
        let mut all = vec!["--output", "json"];
        all.extend_from_slice(args);
        let output = self.run(signer, &all);
        let value = serde_json::from_str(stdout(&output).trim()).unwrap_or_else(|_| panic!("{args:?}: not one JSON document: {}", stdout(&output)));
        (output.status.success(), value)
    }

    fn events(&self) -> Vec<Value> {
        let output = self.ok("admin", &["--output", "json", "events"]);
        stdout(&output).lines().map(|line| serde_json::from_str(line).unwrap()).collect()
    }

    fn new() -> Deployment {
        let deployment = Deployment { directory: tempfile::tempdir().unwrap() };
        for name in ["admin", "c1", "c2", "c3", "mm", "p", "d", "b", "a", "minter"] {
            let output = usd1().args(["keygen", "--outfile", &deployment.path(&format!("{name}.json"))]).output().unwrap();
            assert!(output.status.success());
        }
        let file = |name: &str| deployment.path(&format!("{name}.json"));
        let council = format!("{},{},{}", file("c1"), file("c2"), file("c3"));
        let output = usd1()
            .args(["--ledger", &deployment.path("usd1.ledger"), "--keypair", &file("admin"), "--mint-keypair", &deployment.path("mint.json"), "initialize"])
            .args(["--council", &council, "--threshold", "2", "--master-minter", &file("mm"), "--pauser", &file("p"), "--denylister", &file("d")])
            .args(["--burner", &file("b"), "--attester", &file("a")])
            .output()
            .unwrap();
        assert!(output.status.success(), "initialize: {}", String::from_utf8_lossy(&output.stderr));
        deployment.ok("mm", &["configure-minter", "--minter", &file("minter")]);
        deployment.ok("c1", &["propose", "set-allowance", "--minter", &file("minter"), "--amount", "1000"]);
        deployment.ok("c2", &["approve", "--proposal", "0"]);
        deployment.ok("c3", &["execute", "--proposal", "0"]);
        deployment
    }

    fn write_list(&self, name: &str, wallets: &[Pubkey]) -> String {
        let path = self.path(name);
        let mut text = String::from("wallet,reason\n");
        for (index, wallet) in wallets.iter().enumerate() {
            text.push_str(&format!("{wallet},OFAC-SDN-{index}\n"));
        }
        std::fs::write(&path, text).unwrap();
        path
    }
}

fn strings(value: &Value) -> Vec<String> {
    let mut list: Vec<String> = value.as_array().unwrap().iter().map(|item| item.as_str().unwrap().to_string()).collect();
    list.sort();
    list
}

fn sorted(wallets: &[Pubkey]) -> Vec<String> {
    let mut list: Vec<String> = wallets.iter().map(Pubkey::to_string).collect();
    list.sort();
    list
}

#[test]
fn a_sanctions_list_sync_applies_the_exact_diff_resumes_and_is_idempotent() {
    let deployment = Deployment::new();
    let wallets: Vec<Pubkey> = (0..1_250).map(|_| Pubkey::new_unique()).collect();
    // Two wallets hold USD1: listing freezes their accounts, delisting thaws them.
    for (wallet, reference) in [(wallets[0], "wire-a"), (wallets[300], "wire-b")] {
        deployment.ok("minter", &["mint", "--to", &wallet.to_string(), "--amount", "5", "--reference", reference]);
    }

    // A bad list is reported row by row and nothing is sent.
    let bad = deployment.path("bad.csv");
    std::fs::write(&bad, format!("wallet,reason\n{},OFAC-1\nnot-a-wallet,OFAC-2\n{},\n", wallets[0], wallets[1])).unwrap();
    let events_before = deployment.events().len();
    let (ok, report) = deployment.json("d", &["denylist", "sync", "--list", &bad]);
    assert!(!ok);
    assert_eq!(report["bad_rows"].as_array().unwrap().len(), 2, "{report}");
    assert!(report["bad_rows"][0].as_str().unwrap().starts_with("line 3:"), "{report}");
    assert!(report["bad_rows"][1].as_str().unwrap().starts_with("line 4:"), "{report}");
    assert_eq!(deployment.events().len(), events_before, "nothing was sent");

    // 500 listed on chain.
    let first = deployment.write_list("first.csv", &wallets[..500]);
    let (ok, report) = deployment.json("d", &["denylist", "sync", "--list", &first]);
    assert!(ok, "{report}");
    assert_eq!(report["added"].as_array().unwrap().len(), 500);

    // The 1,000-wallet update: 250 stay, 250 go, 750 come. A dry run changes nothing.
    let second = deployment.write_list("second.csv", &wallets[250..]);
    // Without --remove-unlisted, entries the list does not name stay and are reported (issue 21:
    // hand-made entries such as court freezes are not the list's to lift).
    let (ok, kept) = deployment.json("d", &["denylist", "sync", "--list", &second, "--dry-run"]);
    assert!(ok, "{kept}");
    assert_eq!(strings(&kept["removed"]), Vec::<String>::new());
    assert_eq!(strings(&kept["listed_not_on_list"]), sorted(&wallets[..250]));
    let (ok, dry) = deployment.json("d", &["denylist", "sync", "--list", &second, "--dry-run", "--remove-unlisted"]);
    assert!(ok, "{dry}");
    assert_eq!((dry["unchanged"].as_u64(), dry["transactions_sent"].as_u64()), (Some(250), Some(0)));
    assert_eq!(strings(&dry["added"]), sorted(&wallets[500..]));
    assert_eq!(strings(&dry["removed"]), sorted(&wallets[..250]));

    // Interrupted after 40 transactions (a crash or a change window): the rest is deferred...
    // Removing 250 wallets is more than a sync removes unasked (100): refused, nothing sent.
    let (ok, refused) = deployment.json("d", &["denylist", "sync", "--list", &second, "--remove-unlisted"]);
    assert!(!ok);
    assert_eq!((refused["error"].as_str(), refused["removals"].as_u64(), refused["transactions_sent"].as_u64()), (Some("TooManyRemovals"), Some(250), Some(0)), "{refused}");
    // An empty list would unlist everyone: refused, nothing sent.
    let empty = deployment.path("empty.csv");
    std::fs::write(&empty, "wallet,reason
").unwrap();
    let (ok, refused) = deployment.json("d", &["denylist", "sync", "--list", &empty, "--max-removals", "100000", "--remove-unlisted"]);
    assert!(!ok);
    assert_eq!(refused["error"], "EmptyList", "{refused}");
    let (ok, partial) = deployment.json("d", &["denylist", "sync", "--list", &second, "--max-removals", "250", "--max-transactions", "40", "--remove-unlisted"]);
    assert!(!ok, "an interrupted sync does not report success");
    assert_eq!(partial["transactions_sent"], 40);
    let (done_added, done_removed) = (partial["added"].as_array().unwrap().len(), partial["removed"].as_array().unwrap().len());
    assert!(!partial["deferred"].as_array().unwrap().is_empty());
    // ...and running it again applies exactly what is left.
    let (ok, rest) = deployment.json("d", &["denylist", "sync", "--list", &second, "--max-removals", "250", "--remove-unlisted"]);
    assert!(ok, "{rest}");
    assert_eq!(done_added + rest["added"].as_array().unwrap().len(), 750);
    assert_eq!(done_removed + rest["removed"].as_array().unwrap().len(), 250);
    assert_eq!(rest["on_chain_before"].as_u64(), Some((500 + done_added - done_removed) as u64));
    // A finished sync sends nothing.
    let (ok, again) = deployment.json("d", &["denylist", "sync", "--list", &second]);
    assert!(ok, "{again}");
    assert_eq!((again["transactions_sent"].as_u64(), again["unchanged"].as_u64(), again["on_chain_before"].as_u64()), (Some(0), Some(1_000), Some(1_000)));

    // Each wallet was listed or delisted once, and the funded ones were frozen and thawed.
    let events = deployment.events();
    let count = |name: &str| events.iter().filter(|event| event["event"] == name).count();
    assert_eq!((count("Denylisted"), count("Undenylisted")), (1_250, 250));
    let of = |name: &str, wallet: &Pubkey| events.iter().find(|event| event["event"] == name && event["wallet"] == wallet.to_string()).cloned().unwrap();
    assert_eq!(of("Denylisted", &wallets[0])["frozen_accounts"].as_array().unwrap().len(), 1);
    assert_eq!(of("Undenylisted", &wallets[0])["thawed_accounts"].as_array().unwrap().len(), 1);
    assert_eq!(of("Denylisted", &wallets[300])["frozen_accounts"].as_array().unwrap().len(), 1);
}

#[test]
fn only_the_denylister_syncs() {
    let deployment = Deployment::new();
    let list = deployment.write_list("list.csv", &[Pubkey::new_unique()]);
    let output = deployment.run("p", &["denylist", "sync", "--list", &list]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("is not this mint's denylister"));
}

#[test]
fn overdue_redemptions_are_listed_alerted_and_reported_as_a_liability() {
    let directory = tempfile::tempdir().unwrap();
    let path = |name: &str| directory.path().join(name).to_str().unwrap().to_string();
    let drill = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/drills/redemption_deadline.json");
    let output = usd1().args(["drill", "run", drill.to_str().unwrap(), "--record", &path("record.jsonl")]).output().unwrap();
    assert!(output.status.success(), "{}", stdout(&output));
    let output = usd1().args(["index", "--db", &path("index.sqlite"), "--from-file", &path("record.jsonl"), "--quiet"]).output().unwrap();
    assert!(output.status.success());
    let json = |args: &[&str]| -> (bool, Value) {
        let output = usd1().args(["--output", "json"]).args(args).output().unwrap();
        (output.status.success(), serde_json::from_str(stdout(&output).trim()).unwrap_or_else(|_| panic!("{args:?}: {}", stdout(&output))))
    };
    let db = path("index.sqlite");
    let (_, all) = json(&["redemptions", "--db", &db]);
    let statuses: Vec<&str> = all.as_array().unwrap().iter().map(|row| row["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["completed", "pending"]);
    let (_, pending) = json(&["redemptions", "--db", &db, "--pending"]);
    assert_eq!((pending[0]["amount"].as_str(), pending.as_array().unwrap().len()), (Some("50"), 1));
    // Five days later, two business days have passed whatever the weekday; ten days have not.
    let (_, overdue) = json(&["redemptions", "--db", &db, "--overdue", "2bd"]);
    assert_eq!(overdue.as_array().unwrap().len(), 1, "{overdue}");
    assert!(overdue[0]["overdue_by_secs"].as_i64().unwrap() > 0);
    let (_, not_yet) = json(&["redemptions", "--db", &db, "--overdue", "10d"]);
    assert_eq!(not_yet, serde_json::json!([]));
    let output = usd1().args(["redemptions", "--db", &db, "--overdue", "2w"]).output().unwrap();
    assert!(!output.status.success() && String::from_utf8_lossy(&output.stderr).contains("not a duration unit"));

    // The monitor rule alerts once, on the forgotten ticket.
    let rules = path("rules.toml");
    std::fs::write(&rules, "[[rules]]\nkind = \"redemption_overdue\"\nbusiness_days = 2\n").unwrap();
    let output = usd1().args(["monitor", "--db", &db, "--rules", &rules]).output().unwrap();
    let alerts: Vec<Value> = stdout(&output).lines().map(|line| serde_json::from_str(line).unwrap()).collect();
    assert_eq!(alerts.len(), 1, "{alerts:?}");
    assert_eq!((alerts[0]["rule"].as_str(), alerts[0]["seq"].as_u64()), (Some("redemption_overdue"), Some(8)));
    // The person on call reads the amount in tokens and the request's date.
    let detail = alerts[0]["detail"].as_str().unwrap();
    assert!(detail.contains("(50 USD1) requested 20") && detail.contains(" past its deadline"), "{detail}");
    std::fs::write(&rules, "[[rules]]\nkind = \"redemption_overdue\"\nbusiness_days = 2\nlimit_secs = 60\n").unwrap();
    let output = usd1().args(["monitor", "--db", &db, "--rules", &rules]).output().unwrap();
    assert!(!output.status.success() && String::from_utf8_lossy(&output.stderr).contains("exactly one of limit_secs, business_days"));

    // Reconciliation carries the pending redemption as a liability line.
    std::fs::write(path("reserves.csv"), "as_of,amount\n2026-11-30,1000\n").unwrap();
    let (ok, reconciled) = json(&["reconcile", "--db", &db, "--reserves", &path("reserves.csv")]);
    assert!(ok);
    assert_eq!(reconciled["pending_redemptions"], serde_json::json!({"count": 1, "amount": "50", "amount_base_units": 50_000_000}));
}

#[test]
fn redemptions_are_read_from_the_chain_with_their_current_status() {
    let deployment = Deployment::new();
    let alice = deployment.path("alice.json");
    let _ = usd1().args(["keygen", "--outfile", &alice]).output().unwrap();
    deployment.ok("minter", &["mint", "--to", &alice, "--amount", "20", "--reference", "wire-1"]);
    for ticket in ["t1", "t2"] {
        deployment.ok("alice", &["request-redemption", "--amount", "5", "--reference", ticket]);
    }
    deployment.ok("b", &["reject-redemption", "--holder", &alice, "--reference", "t1", "--reason", "KYC"]);
    let (ok, list) = deployment.json("admin", &["redemptions"]);
    assert!(ok, "{list}");
    let statuses: Vec<&str> = list.as_array().unwrap().iter().map(|row| row["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["rejected", "pending"]);
    let (_, pending) = deployment.json("admin", &["redemptions", "--pending"]);
    assert_eq!(pending.as_array().unwrap().len(), 1);
    assert!(pending[0]["age_secs"].as_i64().unwrap() >= 0);
}

fn keygen(path: &str) -> String {
    let output = usd1().args(["keygen", "--outfile", path]).output().unwrap();
    stdout(&output).trim().to_string()
}

#[test]
fn an_emergency_kit_is_checked_fired_and_refuses_clearly_once_stale() {
    let deployment = Deployment::new();
    let (m2, ops, new_master) = (deployment.path("m2.json"), deployment.path("ops.json"), deployment.path("new-mm.json"));
    keygen(&m2);
    keygen(&ops);
    let new_master_key = keygen(&new_master);
    deployment.ok("mm", &["configure-minter", "--minter", &m2]);
    let kit = deployment.path("kit");
    let (ok, prepared) = deployment.json("ops", &["emergency-kit", "prepare", "--out", &kit, "--pauser", &deployment.path("p.json"), "--master-minter", &deployment.path("mm.json")]);
    assert!(ok, "{prepared}");
    assert_eq!(prepared["files"].as_array().unwrap().len(), 3, "pause all and one removal per minter: {prepared}");
    let manifest: Value = serde_json::from_str(&std::fs::read_to_string(format!("{kit}/manifest.json")).unwrap()).unwrap();
    // Whoever reads a kit file can fire it: owner-only, like a keypair file.
    use std::os::unix::fs::PermissionsExt;
    for file in ["manifest.json", "pause-all.json"] {
        assert_eq!(std::fs::metadata(format!("{kit}/{file}")).unwrap().permissions().mode() & 0o777, 0o600, "{file}");
    }
    let files: Vec<String> = manifest["files"].as_array().unwrap().iter().map(|name| name.as_str().unwrap().to_string()).collect();
    let entry: Value = serde_json::from_str(&std::fs::read_to_string(format!("{kit}/pause-all.json")).unwrap()).unwrap();
    assert!(entry["nonce_account"].is_string() && entry["absent"] == serde_json::json!([]));
    let reasons = |check: &Value| -> Vec<(String, String)> {
        check["results"].as_array().unwrap().iter().map(|result| (result["file"].as_str().unwrap().to_string(), result["reason"].as_str().unwrap().to_string())).collect()
    };
    let (ok, check) = deployment.json("admin", &["emergency-kit", "check", &kit]);
    assert!(ok, "{check}");
    assert!(reasons(&check).iter().all(|(_, reason)| reason == "ok"), "{check}");

    // The second minter is removed by hand, then the master minter key is rotated.
    let m2_key = keygen(&m2);
    deployment.ok("mm", &["remove-minter", "--minter", &m2]);
    let (ok, check) = deployment.json("admin", &["emergency-kit", "check", &kit]);
    assert!(!ok);
    let gone = reasons(&check).into_iter().find(|(file, _)| file.contains(&m2_key)).unwrap();
    assert_eq!(gone.1, "MinterNotActive", "the minter is already gone: {check}");
    deployment.ok("admin", &["set-role", "--role", "master_minter", "--key", &new_master_key]);
    let (ok, check) = deployment.json("admin", &["emergency-kit", "check", &kit]);
    assert!(!ok);
    let minter_key = keygen(&deployment.path("minter.json"));
    for (file, reason) in reasons(&check) {
        let expected = if file == "pause-all.json" { "ok" } else { "Unauthorized" };
        assert_eq!(reason, expected, "{file}: {check}");
        assert!(file == "pause-all.json" || file.contains(&m2_key) || file.contains(&minter_key), "{file}");
    }
    assert!(files.iter().any(|file| file.contains(&m2_key)));

    // A swapped file (a removal dressed up as the pause) is caught from its signed message.
    let mut tampered: Value = serde_json::from_str(&std::fs::read_to_string(format!("{kit}/pause-all.json")).unwrap()).unwrap();
    let removal_entry: Value = serde_json::from_str(&std::fs::read_to_string(format!("{kit}/remove-minter-{minter_key}.json")).unwrap()).unwrap();
    tampered["transaction"] = removal_entry["transaction"].clone();
    let tampered_file = deployment.path("tampered.json");
    std::fs::write(&tampered_file, tampered.to_string()).unwrap();
    let output = deployment.run("admin", &["emergency-kit", "fire", &tampered_file]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("describes itself as `pause --scope all`"), "{}", String::from_utf8_lossy(&output.stderr));
    // Fire the pause: it runs; its nonce is spent, so the file is stale afterwards.
    let (ok, fired) = deployment.json("admin", &["emergency-kit", "fire", &format!("{kit}/pause-all.json")]);
    assert!(ok, "{fired}");
    assert_eq!(fired["events"][0]["event"], "Paused");
    assert_eq!(fired["events"][0]["scope"], "all");
    let (_, check) = deployment.json("admin", &["emergency-kit", "check", &kit]);
    assert!(reasons(&check).contains(&("pause-all.json".to_string(), "NonceAdvanced".to_string())), "{check}");
    // Fired again: the refusal says the file was used, not a blockhash error.
    let (ok, again) = deployment.json("admin", &["emergency-kit", "fire", &format!("{kit}/pause-all.json")]);
    assert!(!ok);
    let hint = again["hint"].as_str().unwrap();
    assert!(hint.contains("already landed") && hint.contains("prepare a new kit"), "{again}");
    // A removal signed by the rotated-out key is a clear refusal, not a silent failure.
    let removal = format!("{kit}/remove-minter-{minter_key}.json");
    let (ok, refused) = deployment.json("admin", &["emergency-kit", "fire", &removal]);
    assert!(!ok);
    assert_eq!(refused["error"], "Unauthorized", "{refused}");
    assert!(refused["hint"].as_str().unwrap().contains("role"));
}

#[test]
fn a_kit_whose_role_key_lives_elsewhere_is_signed_with_the_sign_only_flow() {
    let deployment = Deployment::new();
    let ops = deployment.path("ops.json");
    let ops_key = keygen(&ops);
    let pauser_key = keygen(&deployment.path("p.json"));
    let kit = deployment.path("kit");
    // The pauser's key is not on this machine: only its public key is given.
    let (ok, prepared) = deployment.json("ops", &["emergency-kit", "prepare", "--out", &kit, "--pauser", &pauser_key, "--master-minter", &deployment.path("mm.json")]);
    assert!(ok, "{prepared}");
    assert_eq!(prepared["awaiting_signatures_from"], serde_json::json!([pauser_key]));
    let file = format!("{kit}/pause-all.json");
    let entry: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let output = deployment.run("admin", &["emergency-kit", "fire", &file]);
    assert!(!output.status.success() && String::from_utf8_lossy(&output.stderr).contains("still lacks the signature"));
    // The pauser's machine: no chain, the same op under the file's nonce.
    let (nonce, nonce_value) = (entry["nonce_account"].as_str().unwrap(), entry["nonce_value"].as_str().unwrap());
    // The kit was signed with a priority fee (by default); the same message carries the same one.
    let price = entry["compute_unit_price"].as_u64().unwrap().to_string();
    assert_eq!(price, "1000000", "kits carry a priority fee by default");
    let limit = entry["compute_unit_limit"].as_u64().unwrap().to_string();
    let mint = keygen(&deployment.path("mint.json"));
    let signed = usd1()
        .args(["--keypair", &deployment.path("p.json"), "--fee-payer", &ops_key, "--nonce", nonce, "--nonce-authority", &ops_key, "--blockhash", nonce_value])
        .args(["--with-compute-unit-price", &price, "--compute-unit-limit", &limit])
        .args(["--decimals", "6", "--mint", &mint, "--output", "json", "--sign-only", "pause", "--scope", "all"])
        .output()
        .unwrap();
    assert!(signed.status.success(), "{}", String::from_utf8_lossy(&signed.stderr));
    let signed: Value = serde_json::from_str(stdout(&signed).trim()).unwrap();
    // The sign-only report names the budget it signed, for the next machine to pass.
    assert_eq!((signed["compute_unit_limit"].to_string(), signed["compute_unit_price"].to_string()), (limit.clone(), price.clone()));
    let signature = signed["signers"][0]["signer"].as_str().unwrap().to_string();
    let (ok, fired) = deployment.json("admin", &["--signer", &signature, "emergency-kit", "fire", &file]);
    assert!(ok, "{fired}");
    assert_eq!(fired["events"][0]["event"], "Paused");
}

#[test]
fn a_wallet_with_a_hundred_token_accounts_is_denylisted_and_all_of_them_frozen_by_one_command() {
    // Issue 21: anyone can open token accounts for any owner (no signature, a little rent);
    // 17 of them used to make `denylist-add` refuse with TooManyAccounts, and the wallet never
    // entered the registry. Now the entry is written with 16 (funded first) and the rest frozen.
    let deployment = Deployment::new();
    let sanctioned = keygen(&deployment.path("sanctioned.json"));
    deployment.ok("minter", &["mint", "--to", &sanctioned, "--amount", "5", "--reference", "wire-1"]);
    for index in 0..99 {
        let account = deployment.path(&format!("account-{index}.json"));
        keygen(&account);
        deployment.ok("admin", &["token-account", "--owner", &sanctioned, "--name", &account]);
    }
    let (ok, listed) = deployment.json("d", &["denylist-add", "--wallet", &sanctioned, "--reason", "OFAC-SDN-1"]);
    assert!(ok, "{listed}");
    let first = listed["events"][0]["frozen_accounts"].as_array().unwrap().len();
    assert_eq!(first, 16, "{listed}");
    let follow_up: usize = listed["follow_up"].as_array().unwrap().iter().map(|sent| sent["accounts"].as_array().unwrap().len()).sum();
    assert_eq!(first + follow_up, 100, "{listed}");
    let events = deployment.events();
    let frozen = events.iter().filter(|event| event["event"] == "AccountFrozen").count();
    assert_eq!(frozen, 84, "every remaining account frozen by a follow-up `freeze`");
    // Re-running is safe: already listed, nothing left to freeze.
    let (ok, again) = deployment.json("d", &["denylist-add", "--wallet", &sanctioned, "--reason", "OFAC-SDN-1"]);
    assert!(!ok);
    assert_eq!(again["error"], "Denylisted", "{again}");
}

#[test]
fn a_kit_missing_a_minter_added_since_is_not_ready() {
    let deployment = Deployment::new();
    let kit = deployment.path("kit");
    let (ok, prepared) = deployment.json("admin", &["emergency-kit", "prepare", "--out", &kit, "--pauser", &deployment.path("p.json"), "--master-minter", &deployment.path("mm.json")]);
    assert!(ok, "{prepared}");
    let newcomer = deployment.path("m3.json");
    let newcomer_key = keygen(&newcomer);
    deployment.ok("mm", &["configure-minter", "--minter", &newcomer]);
    let (ok, check) = deployment.json("admin", &["emergency-kit", "check", &kit]);
    assert!(!ok, "{check}");
    let missing: Vec<&Value> = check["results"].as_array().unwrap().iter().filter(|result| result["reason"] == "MISSING").collect();
    assert_eq!(missing.len(), 1, "{check}");
    assert!(missing[0]["file"].as_str().unwrap().contains(&newcomer_key), "{check}");
    let text = deployment.run("admin", &["emergency-kit", "check", &kit]);
    assert!(stdout(&text).contains("MISSING"), "{}", stdout(&text));
}
