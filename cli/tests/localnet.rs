//! `usd1 localnet` run as a user runs it: a separate process on a free port, and every
//! `--url` path of the CLI pointed at it (drills with warps, ops and read commands, the
//! three-step durable-nonce flow, `index --url` with paging and resume), plus the endpoint's
//! robustness (malformed requests, oversized bodies, concurrent clients, restart).
use serde_json::{json, Value};
use std::{
    io::{BufRead, BufReader, Read, Write},
    net::TcpStream,
    path::{Path, PathBuf},
    process::{Child, Command, Output, Stdio},
};

fn usd1() -> Command {
    Command::new(env!("CARGO_BIN_EXE_usd1"))
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A running `usd1 localnet`; stopped with SIGTERM (which saves its ledger file) when dropped.
struct Localnet {
    child: Child,
    url: String,
}

impl Localnet {
    fn start(ledger: Option<&Path>) -> Localnet {
        let mut command = usd1();
        if let Some(ledger) = ledger {
            command.arg("--ledger").arg(ledger);
        }
        let mut child = command
            .args(["--output", "json", "localnet", "--port", "0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn usd1 localnet");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).expect("localnet prints its URL");
        let banner: Value = serde_json::from_str(&line).unwrap_or_else(|_| panic!("localnet banner is JSON: {line}"));
        assert_eq!(banner["program_id"], "USD1mGxdwLdy3Rb2m1A4a1iS4XW6R5T7qE9pVJ9y1aQ");
        Localnet { url: banner["url"].as_str().unwrap().to_string(), child }
    }

    fn address(&self) -> String {
        self.url.trim_start_matches("http://").to_string()
    }

    fn post(&self, body: &[u8]) -> (u16, String) {
        post(&self.address(), body)
    }

    fn call(&self, method: &str, params: Value) -> Value {
        call(&self.address(), method, params)
    }

    fn airdrop(&self, key: &str) {
        let response = self.call("requestAirdrop", json!([key, 100_000_000_000u64]));
        assert!(response["result"].is_string(), "airdrop: {response}");
    }

    /// SIGTERM, as Ctrl-C would, and wait for the ledger file to be written.
    fn stop(mut self) {
        let pid = self.child.id() as i32;
        assert_eq!(unsafe { libc::kill(pid, libc::SIGTERM) }, 0);
        let status = self.child.wait().unwrap();
        assert!(status.success(), "localnet exited with {status}");
        std::mem::forget(self);
    }
}

impl Drop for Localnet {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// POST a raw body to `address`; the HTTP status and the body.
fn post(address: &str, body: &[u8]) -> (u16, String) {
    let mut stream = TcpStream::connect(address).unwrap();
    let head = format!("POST / HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len());
    stream.write_all(head.as_bytes()).unwrap();
    let _ = stream.write_all(body);
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    let status = response.split_whitespace().nth(1).and_then(|code| code.parse().ok()).unwrap_or(0);
    let body = response.split("\r\n\r\n").nth(1).unwrap_or_default().to_string();
    (status, body)
}

/// The JSON document in a (possibly chunked) HTTP body.
fn json_body(body: &str) -> Value {
    let start = body.find('{').unwrap_or_else(|| panic!("no JSON in {body}"));
    let end = body.rfind('}').map(|end| end + 1).unwrap_or(body.len());
    serde_json::from_str(&body[start..end]).unwrap_or_else(|_| panic!("not JSON: {body}"))
}

/// One JSON-RPC call.
fn call(address: &str, method: &str, params: Value) -> Value {
    let (_, body) = post(address, json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}).to_string().as_bytes());
    json_body(&body)
}

fn drills_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/drills")
}

#[test]
fn every_project_drill_passes_through_localnet_warps_included() {
    let localnet = Localnet::start(None);
    let mut files: Vec<PathBuf> = std::fs::read_dir(drills_dir())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "json"))
        .collect();
    files.sort();
    let mut warps = 0;
    for file in files {
        warps += std::fs::read_to_string(&file).unwrap().matches("\"warp\"").count();
        let output = usd1().args(["drill", "run", file.to_str().unwrap(), "--url", &localnet.url]).output().unwrap();
        let out = stdout(&output);
        assert!(output.status.success(), "{} over --url: {}\n{}", file.display(), out.lines().last().unwrap_or_default(), stderr(&output));
        for line in out.lines().take(out.lines().count() - 1) {
            serde_json::from_str::<Value>(line).unwrap_or_else(|_| panic!("{}: stdout line is not JSON: {line}", file.display()));
        }
    }
    assert!(warps >= 3, "the drills rehearse timelocks and expiries with warps ({warps})");
}

/// A stand-in for a real cluster: forwards every request to `upstream` except the localnet's
/// cheat code, which it does not know (as no real cluster does).
fn cluster_without_cheat_codes(upstream: String) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap().to_string();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut length = 0;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = value.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0; length];
            if reader.read_exact(&mut body).is_err() {
                continue;
            }
            let request: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
            let answer = if request["method"] == "usd1Localnet_warp" {
                json!({"jsonrpc": "2.0", "id": request["id"], "error": {"code": -32601, "message": "Method not found"}})
            } else {
                json_body(&post(&upstream, &body).1)
            }
            .to_string();
            let head = format!("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", answer.len());
            let _ = stream.write_all(head.as_bytes()).and_then(|_| stream.write_all(answer.as_bytes()));
        }
    });
    format!("http://{address}")
}

#[test]
fn warp_on_a_cluster_without_the_cheat_code_is_a_clear_refusal() {
    let localnet = Localnet::start(None);
    assert_eq!(localnet.call("usd1Localnet_warp", json!([-5]))["error"]["code"], -32602, "the clock only moves forward");
    let cluster = cluster_without_cheat_codes(localnet.address());
    let drill = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(drill.path(), r#"{"name": "warp on a cluster", "steps": [{"op": "warp", "args": {"secs": 60}}]}"#).unwrap();
    let output = usd1().args(["drill", "run", drill.path().to_str().unwrap(), "--url", &cluster]).output().unwrap();
    assert!(!output.status.success());
    let report = stdout(&output) + &stderr(&output);
    assert!(report.contains("warp needs the embedded ledger or a `usd1 localnet` endpoint"), "{report}");
}

#[test]
fn malformed_requests_get_json_rpc_errors_and_the_server_keeps_serving() {
    let localnet = Localnet::start(None);
    let error_code = |body: &[u8]| -> i64 {
        let value = json_body(&localnet.post(body).1);
        value["error"]["code"].as_i64().unwrap_or_else(|| panic!("no error in {value}"))
    };
    assert_eq!(error_code(b"{not json"), -32700);
    assert_eq!(error_code(br#"{"jsonrpc":"2.0","id":1,"method":"getNothing"}"#), -32601);
    assert_eq!(error_code(br#"{"jsonrpc":"2.0","id":1,"method":"getBalance","params":[42]}"#), -32602);
    assert_eq!(error_code(br#"{"jsonrpc":"2.0","id":1,"method":"getBalance","params":["not-a-key"]}"#), -32602);
    assert_eq!(error_code(br#"{"jsonrpc":"2.0","id":1,"method":"sendTransaction","params":["%%%"]}"#), -32602);
    assert_eq!(error_code(br#"{"jsonrpc":"2.0","id":1,"method":"getSignaturesForAddress","params":["11111111111111111111111111111111",{"limit":5000}]}"#), -32602);
    // A transaction without signatures, an absurd account size: errors, not a dropped connection.
    let unsigned = solana_transaction::Transaction::new_unsigned(solana_message::Message::new(&[], None));
    let encoded = bs58::encode(bincode::serialize(&unsigned).unwrap()).into_string();
    assert_eq!(error_code(json!({"jsonrpc": "2.0", "id": 1, "method": "sendTransaction", "params": [encoded]}).to_string().as_bytes()), -32602);
    assert_eq!(error_code(br#"{"jsonrpc":"2.0","id":1,"method":"getMinimumBalanceForRentExemption","params":[18446744073709551615]}"#), -32602);
    // An oversized body is refused (HTTP 413 with a JSON-RPC error), not read.
    let huge = format!(r#"{{"jsonrpc":"2.0","id":1,"method":"getHealth","params":["{}"]}}"#, "x".repeat(200 * 1024));
    let (status, _) = localnet.post(huge.as_bytes());
    assert_eq!(status, 413);
    // Still serving, to many clients at once.
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let address = localnet.address();
            std::thread::spawn(move || {
                for _ in 0..20 {
                    let response = call(&address, "getLatestBlockhash", json!([]));
                    assert!(response["result"]["value"]["blockhash"].is_string(), "{response}");
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().expect("a concurrent client failed");
    }
    assert_eq!(localnet.call("getHealth", json!([]))["result"], "ok");
}

/// Keys, a mint and a deployment made through the CLI against a URL.
struct Deployment {
    directory: tempfile::TempDir,
    url: String,
}

impl Deployment {
    fn path(&self, name: &str) -> String {
        self.directory.path().join(name).to_str().unwrap().to_string()
    }

    fn key(&self, localnet: &Localnet, name: &str) -> String {
        let output = usd1().args(["keygen", "--outfile", &self.path(&format!("{name}.json"))]).output().unwrap();
        let key = stdout(&output).trim().to_string();
        localnet.airdrop(&key);
        key
    }

    fn as_(&self, signer: &str, args: &[&str]) -> Output {
        let (keypair, mint) = (self.path(&format!("{signer}.json")), self.path("mint.json"));
        usd1().args(["--url", &self.url, "--keypair", &keypair, "--mint", &mint]).args(args).output().unwrap()
    }

    fn ok(&self, signer: &str, args: &[&str]) -> Output {
        let output = self.as_(signer, args);
        assert!(output.status.success(), "usd1 {args:?} as {signer}: {}\n{}", stdout(&output), stderr(&output));
        output
    }

    fn json(&self, signer: &str, args: &[&str]) -> Value {
        let mut all = vec!["--output", "json"];
        all.extend_from_slice(args);
        let output = self.ok(signer, &all);
        serde_json::from_str(stdout(&output).trim()).unwrap_or_else(|_| panic!("{args:?}: not one JSON document: {}", stdout(&output)))
    }

    fn new(localnet: &Localnet) -> Deployment {
        let deployment = Deployment { directory: tempfile::tempdir().unwrap(), url: localnet.url.clone() };
        for name in ["admin", "c1", "c2", "c3", "mm", "p", "d", "b", "a", "minter", "ops", "alice"] {
            deployment.key(localnet, name);
        }
        let file = |name: &str| deployment.path(&format!("{name}.json"));
        let council = format!("{},{},{}", file("c1"), file("c2"), file("c3"));
        let output = usd1()
            .args(["--url", &localnet.url, "--keypair", &file("admin"), "--mint-keypair", &deployment.path("mint.json"), "initialize", "--council", &council])
            .args(["--threshold", "2", "--master-minter", &file("mm"), "--pauser", &file("p"), "--denylister", &file("d"), "--burner", &file("b")])
            .args(["--attester", &file("a")])
            .output()
            .unwrap();
        assert!(output.status.success(), "initialize: {}\n{}", stdout(&output), stderr(&output));
        deployment.ok("mm", &["configure-minter", "--minter", &file("minter")]);
        deployment.ok("c1", &["propose", "set-allowance", "--minter", &file("minter"), "--amount", "1000"]);
        deployment.ok("c2", &["approve", "--proposal", "0"]);
        deployment.ok("c3", &["execute", "--proposal", "0"]);
        deployment
    }
}

#[test]
fn ops_and_read_commands_index_with_paging_and_resume_and_a_restart_keeps_the_ledger() {
    let directory = tempfile::tempdir().unwrap();
    let ledger = directory.path().join("localnet.json");
    let localnet = Localnet::start(Some(&ledger));
    let deployment = Deployment::new(&localnet);
    let alice = deployment.path("alice.json");
    for (index, amount) in ["10", "20.5", "30"].iter().enumerate() {
        let reference = format!("wire-{index}");
        deployment.ok("minter", &["mint", "--to", &alice, "--amount", amount, "--reference", &reference]);
    }
    // A refusal over --url carries the SPEC name.
    let refused = deployment.as_("minter", &["--output", "json", "mint", "--to", &alice, "--amount", "1", "--reference", "wire-0"]);
    assert_eq!(refused.status.code(), Some(1));
    let refusal: Value = serde_json::from_str(stdout(&refused).trim()).expect("one JSON document");
    assert_eq!(refusal["error"], "DuplicateReference", "{refusal}");
    deployment.ok("p", &["pause", "--scope", "transfers"]);
    let status = deployment.json("admin", &["status"]);
    assert_eq!(status["supply"], "60.5");
    assert_eq!(status["paused"]["transfers"], true);
    let minters = deployment.json("admin", &["minters"]);
    assert_eq!(minters[0]["allowance"], "939.5");
    let events = usd1().args(["--url", &localnet.url, "--mint", &deployment.path("mint.json"), "--output", "json", "events"]).output().unwrap();
    let seqs: Vec<u64> = stdout(&events).lines().map(|line| serde_json::from_str::<Value>(line).unwrap()["seq"].as_u64().unwrap()).collect();
    assert_eq!(seqs, (1..=9).collect::<Vec<_>>(), "events read back through getSignaturesForAddress + getTransaction");

    // index --url: three signatures a page, then a resume that reads only what is new.
    let db = deployment.path("index.sqlite");
    let index = |deployment: &Deployment| deployment.json("admin", &["index", "--db", &db, "--page-size", "3", "--quiet"]);
    let first = index(&deployment);
    assert_eq!(first["events_inserted"], 9, "{first}");
    assert_eq!(first["signature_pages"], 4, "9 transactions touch the Config: pages of 3, 3, 3, then an empty one: {first}");
    assert_eq!(first["gaps"], json!([]));
    deployment.ok("p", &["unpause", "--scope", "transfers"]);
    let second = index(&deployment);
    assert_eq!((second["transactions_read"].as_u64(), second["events_inserted"].as_u64()), (Some(1), Some(1)), "resume reads only the new transaction: {second}");
    assert_eq!(second["events_in_store"], 10);
    // reconcile against the chain through localnet: supply from the mint, events from the index.
    let reserves = deployment.path("reserves.csv");
    std::fs::write(&reserves, "as_of,amount\n2026-11-30,100\n").unwrap();
    let reconciled = deployment.json("admin", &["reconcile", "--db", &db, "--reserves", &reserves]);
    assert_eq!((reconciled["ok"].as_bool(), reconciled["chain_supply_source"].as_str()), (Some(true), Some("chain")), "{reconciled}");
    // An open proposal, listed through getProgramAccounts.
    deployment.ok("c1", &["propose", "set-allowance", "--minter", &deployment.path("minter.json"), "--amount", "5"]);
    let proposals = deployment.json("admin", &["proposals"]);
    assert_eq!(proposals.as_array().map(Vec::len), Some(1), "{proposals}");

    // Ctrl-C (SIGTERM) saves the ledger; a restart serves the same state and history.
    localnet.stop();
    let localnet = Localnet::start(Some(&ledger));
    let deployment = Deployment { directory: deployment.directory, url: localnet.url.clone() };
    let status = deployment.json("admin", &["status"]);
    assert_eq!((status["supply"].as_str(), status["event_seq"].as_u64()), (Some("60.5"), Some(11)));
    let third = index(&deployment);
    assert_eq!((third["transactions_read"].as_u64(), third["events_in_store"].as_u64()), (Some(1), Some(11)), "after the restart, only the proposal is new: {third}");
}

#[test]
fn offline_signing_across_three_processes_sends_through_localnet() {
    let localnet = Localnet::start(None);
    let deployment = Deployment::new(&localnet);
    let (ops, minter, alice, nonce) = (deployment.path("ops.json"), deployment.path("minter.json"), deployment.path("alice.json"), deployment.path("nonce.json"));
    let created = deployment.json("ops", &["create-nonce-account", "--nonce-keypair", &nonce]);
    let nonce_key = created["nonce_account"].as_str().unwrap().to_string();
    let pubkey = |path: &str| stdout(&usd1().args(["keygen", "--outfile", path]).output().unwrap()).trim().to_string();
    let (minter_key, ops_key) = (pubkey(&minter), pubkey(&ops));
    let until = (std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() + 3_600 * 24 * 365).to_string();
    let mint_args = ["mint", "--to", alice.as_str(), "--amount", "5", "--reference", "wire-offline", "--valid-until", until.as_str()];
    let mint_file = deployment.path("mint.json");
    // 1. online, the minter's key absent: the nonce's blockhash and the fee payer's signature.
    let prepared = usd1()
        .args(["--url", &localnet.url, "--keypair", &minter_key, "--fee-payer", &ops, "--nonce", &nonce_key, "--nonce-authority", &ops, "--mint", &mint_file])
        .args(["--output", "json", "--sign-only"])
        .args(mint_args)
        .output()
        .unwrap();
    assert!(prepared.status.success(), "{}", stderr(&prepared));
    let prepared: Value = serde_json::from_str(stdout(&prepared).trim()).unwrap();
    let blockhash = prepared["blockhash"].as_str().unwrap().to_string();
    // 2. air-gapped: no URL at all.
    let signed = usd1()
        .args(["--keypair", &minter, "--fee-payer", &ops_key, "--nonce", &nonce_key, "--nonce-authority", &ops_key, "--blockhash", &blockhash, "--decimals", "6"])
        .args(["--mint", &mint_file, "--output", "json", "--sign-only"])
        .args(mint_args)
        .output()
        .unwrap();
    assert!(signed.status.success(), "{}", stderr(&signed));
    let signed: Value = serde_json::from_str(stdout(&signed).trim()).unwrap();
    assert_eq!(signed["message"], prepared["message"], "both machines built the identical message");
    let signature = signed["signers"][0]["signer"].as_str().unwrap().to_string();
    assert!(signature.starts_with(&minter_key), "{signed}");
    // 3. online: collect the signature and send through localnet.
    let sent = usd1()
        .args(["--url", &localnet.url, "--keypair", &minter_key, "--fee-payer", &ops, "--nonce", &nonce_key, "--nonce-authority", &ops, "--blockhash", &blockhash])
        .args(["--mint", &mint_file, "--signer", &signature, "--output", "json"])
        .args(mint_args)
        .output()
        .unwrap();
    assert!(sent.status.success(), "{}\n{}", stdout(&sent), stderr(&sent));
    let sent: Value = serde_json::from_str(stdout(&sent).trim()).unwrap();
    assert_eq!(sent["events"][0]["event"], "Minted", "{sent}");
    assert_eq!(deployment.json("admin", &["status"])["supply"], "5");
}

#[test]
fn the_ops_kit_works_through_localnet() {
    let localnet = Localnet::start(None);
    let deployment = Deployment::new(&localnet);
    let alice = deployment.path("alice.json");
    deployment.ok("minter", &["mint", "--to", &alice, "--amount", "30", "--reference", "wire-1"]);
    let alice_key = stdout(&usd1().args(["keygen", "--outfile", &alice]).output().unwrap()).trim().to_string();

    // Sanctions sync over --url: each wallet's token accounts found with getTokenAccountsByOwner, entries read back.
    let list = deployment.path("list.csv");
    let mut text = format!("wallet,reason\n{alice_key},CASE-ALICE\n");
    for index in 0..30 {
        text.push_str(&format!("{},CASE-{index}\n", solana_pubkey::Pubkey::new_unique()));
    }
    std::fs::write(&list, text).unwrap();
    let synced = deployment.json("d", &["denylist", "sync", "--list", &list]);
    assert_eq!((synced["ok"].as_bool(), synced["added"].as_array().map(Vec::len)), (Some(true), Some(31)), "{synced}");
    let again = deployment.json("d", &["denylist", "sync", "--list", &list]);
    assert_eq!((again["transactions_sent"].as_u64(), again["unchanged"].as_u64()), (Some(0), Some(31)), "{again}");
    deployment.ok("d", &["denylist-remove", "--wallet", &alice_key]);
    std::fs::write(&list, format!("wallet,reason\n{},CASE-NEW\n", solana_pubkey::Pubkey::new_unique())).unwrap();
    let kept = deployment.json("d", &["denylist", "sync", "--list", &list, "--dry-run"]);
    assert_eq!((kept["removed"].as_array().map(Vec::len), kept["listed_not_on_list"].as_array().map(Vec::len)), (Some(0), Some(30)), "{kept}");
    let replaced = deployment.json("d", &["denylist", "sync", "--list", &list, "--remove-unlisted"]);
    assert_eq!((replaced["added"].as_array().map(Vec::len), replaced["removed"].as_array().map(Vec::len)), (Some(1), Some(30)), "{replaced}");
    // An airdrop to an existing account adds lamports and keeps its data (the mint stays a mint).
    let mint_key = stdout(&usd1().args(["keygen", "--outfile", &deployment.path("mint.json")]).output().unwrap()).trim().to_string();
    localnet.airdrop(&mint_key);
    assert_eq!(deployment.json("admin", &["status"])["supply"], "30");

    // Redemptions over --url: events paged from the chain, status from each request's account.
    deployment.ok("alice", &["request-redemption", "--amount", "5", "--reference", "ticket-1"]);
    let pending = deployment.json("admin", &["redemptions", "--pending"]);
    assert_eq!((pending.as_array().map(Vec::len), pending[0]["amount"].as_str()), (Some(1), Some("5")), "{pending}");

    // The emergency kit over --url: prepared, checked and fired through localnet.
    let kit = deployment.path("kit");
    let prepared = deployment.json("ops", &["emergency-kit", "prepare", "--out", &kit, "--pauser", &deployment.path("p.json"), "--master-minter", &deployment.path("mm.json")]);
    assert_eq!(prepared["files"].as_array().map(Vec::len), Some(2), "{prepared}");
    let check = deployment.json("admin", &["emergency-kit", "check", &kit]);
    assert_eq!(check["ok"], true, "{check}");
    let fired = deployment.json("admin", &["emergency-kit", "fire", &format!("{kit}/pause-all.json")]);
    assert_eq!(fired["events"][0]["event"], "Paused", "{fired}");
    let output = deployment.as_("admin", &["--output", "json", "emergency-kit", "check", &kit]);
    assert!(!output.status.success());
    assert!(stdout(&output).contains("NonceAdvanced"), "{}", stdout(&output));

    // skipPreflight: a transaction that fails in the program is still executed, charged and
    // recorded, as a validator does; its status and meta carry the error.
    use solana_signer::Signer;
    let stranger = solana_keypair::read_keypair_file(deployment.path("a.json")).unwrap();
    let mint = solana_pubkey::Pubkey::from_str_const(&mint_key);
    let blockhash = localnet.call("getLatestBlockhash", json!([]))["result"]["value"]["blockhash"].as_str().unwrap().parse().unwrap();
    let refused = solana_transaction::Transaction::new_signed_with_payer(
        &[usd1_client::instructions::pause(&stranger.pubkey(), &mint, usd1_client::PauseScope::Mint)],
        Some(&stranger.pubkey()),
        &[&stranger],
        blockhash,
    );
    let encoded = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, bincode::serialize(&refused).unwrap());
    let preflight = localnet.call("sendTransaction", json!([encoded, {"encoding": "base64"}]));
    assert_eq!(preflight["error"]["code"], -32002, "preflight refuses it: {preflight}");
    let sent = localnet.call("sendTransaction", json!([encoded, {"encoding": "base64", "skipPreflight": true}]));
    let signature = sent["result"].as_str().unwrap_or_else(|| panic!("{sent}")).to_string();
    let status = localnet.call("getSignatureStatuses", json!([[signature]]));
    assert!(status["result"]["value"][0]["err"].is_object(), "{status}");
    let transaction = localnet.call("getTransaction", json!([signature, {"encoding": "json"}]));
    assert!(transaction["result"]["meta"]["err"].is_object() && transaction["result"]["meta"]["fee"].as_u64() > Some(0), "{transaction}");
}

/// SPEC 16: `usd1 report` over the demo's index (a record file: cluster unknown) plus a second
/// deployment on localnet, indexed from its URL and checked against its chain. The totals add
/// up across the two; a day with reserves below the total is flagged (exit 1), and with ample
/// reserves the report is clean (exit 0).
#[test]
fn report_sums_the_demo_index_and_a_localnet_deployment_and_flags_a_short_day() {
    let directory = tempfile::tempdir().unwrap();
    let path = |name: &str| directory.path().join(name).to_str().unwrap().to_string();
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("demo.json");
    let recorded = usd1().args(["drill", "run", demo.to_str().unwrap(), "--record", &path("demo.jsonl")]).output().unwrap();
    assert!(recorded.status.success(), "demo drill: {}\n{}", stdout(&recorded), stderr(&recorded));
    let first_record: Value = serde_json::from_str(std::fs::read_to_string(path("demo.jsonl")).unwrap().lines().next().unwrap()).unwrap();
    let demo_mint = first_record["events"][0]["mint"].as_str().unwrap().to_string();
    let db = path("index.sqlite");
    let indexed = usd1().args(["index", "--db", &db, "--from-file", &path("demo.jsonl"), "--quiet"]).output().unwrap();
    assert!(indexed.status.success(), "{}", stderr(&indexed));

    let localnet = Localnet::start(None);
    let deployment = Deployment::new(&localnet);
    let alice = deployment.path("alice.json");
    for (index, amount) in ["10", "20.5", "30"].iter().enumerate() {
        deployment.ok("minter", &["mint", "--to", &alice, "--amount", amount, "--reference", &format!("wire-{index}")]);
    }
    let second_mint = deployment.json("admin", &["status"])["mint"].as_str().unwrap().to_string();

    let today = chrono::Utc::now().date_naive();
    let (from, to) = ((today - chrono::Duration::days(1)).to_string(), (today + chrono::Duration::days(1)).to_string());
    let report = |reserves: &str, out: &str| {
        std::fs::write(path("reserves.csv"), format!("date,amount,source\n{from},{reserves},bank statement\n")).unwrap();
        usd1()
            .args(["--output", "json", "report", "--db", &db, "--reserves", &path("reserves.csv"), "--from", &from, "--to", &to, "--out", &path(out)])
            .args(["--deployment", &format!("demo={demo_mint}"), "--deployment", &format!("second={},{second_mint}", localnet.url)])
            .output()
            .unwrap()
    };
    // 2,100 (demo) + 60.5 (localnet) = 2,160.5 against 2,150 of reserves: short.
    let short = report("2150", "short");
    assert_eq!(short.status.code(), Some(1), "{}\n{}", stdout(&short), stderr(&short));
    let summary: Value = serde_json::from_str(stdout(&short).trim()).unwrap_or_else(|_| panic!("one JSON document: {}", stdout(&short)));
    assert_eq!(summary["total"]["supply_at_end"], "2160.5", "{summary}");
    assert_eq!(summary["deployments"][0]["supply_at_end"], "2100");
    assert_eq!(summary["deployments"][0]["index"]["status"], "not checked (no chain named)");
    assert_eq!(summary["deployments"][1]["supply_at_end"], "60.5");
    assert_eq!(summary["deployments"][1]["index"]["status"], "current", "{summary}");
    assert_eq!(summary["total"]["minted"], "2560.5");
    assert_eq!(summary["total"]["redeemed"], "400");
    assert!(summary["coverage"]["short_days"].as_array().is_some_and(|days| days.contains(&json!(today.to_string()))), "{summary}");
    assert!(summary["findings"].as_array().unwrap().iter().any(|finding| finding.as_str().unwrap().contains("reserves 2150 below total supply 2160.5")), "{summary}");
    let csv = std::fs::read_to_string(path("short/supply_eod.csv")).unwrap();
    assert!(csv.lines().any(|line| line.starts_with(&format!("{today},")) && line.contains(",TOTAL,,,2160.5,2150,") && line.ends_with(",SHORT")), "{csv}");
    for chart in ["supply_vs_reserves", "daily_flows", "redemption_ages"] {
        for extension in ["png", "svg"] {
            assert!(std::fs::metadata(path(&format!("short/{chart}.{extension}"))).is_ok_and(|metadata| metadata.len() > 1_000), "{chart}.{extension}");
        }
    }

    // Ample reserves: a clean report, exit 0 (tomorrow is listed as not yet closed).
    let clean = report("3000", "clean");
    let summary: Value = serde_json::from_str(stdout(&clean).trim()).unwrap();
    assert_eq!(clean.status.code(), Some(0), "{summary}");
    assert_eq!((summary["ok"].as_bool(), summary["total"]["supply_at_end"].as_str()), (Some(true), Some("2160.5")), "{summary}");
    assert_eq!(summary["coverage"]["worst_day"]["coverage_ratio"], "1.3885");
    assert!(summary["open_days"].as_array().unwrap().contains(&json!(to)), "{summary}");
    // The demo's denylisting and pause are listed as the period's monitoring alerts, not findings.
    let alerts: Vec<&str> = summary["alerts"].as_array().unwrap().iter().map(|alert| alert["event"].as_str().unwrap()).collect();
    assert_eq!(alerts, ["Denylisted", "Paused", "Unpaused"], "{summary}");

    // A deployment the index does not hold is refused by name, before anything is written.
    let unknown = usd1()
        .args(["report", "--db", &db, "--reserves", &path("reserves.csv"), "--from", &from, "--to", &to, "--out", &path("none")])
        .args(["--deployment", "ghost=11111111111111111111111111111111"])
        .output()
        .unwrap();
    assert_eq!(unknown.status.code(), Some(1));
    assert!(stderr(&unknown).contains("deployment ghost:") && stderr(&unknown).contains("holds no events of mint 11111111111111111111111111111111"), "{}", stderr(&unknown));
    assert!(!Path::new(&path("none")).exists());
}
