//! `usd1 localnet` run as a user runs it: a separate process on a free port, and every
//! `--url` path of the CLI pointed at it (drills with warps, ops and read commands, the
//! three-step durable-nonce flow, `index --url` with paging and resume), plus the endpoint's
//! robustness (malformed requests, oversized bodies, concurrent clients, restart).
//!
//! The same tests run against agave's own `solana-test-validator` when `USD1_CLUSTER_URL`
//! names one (`scripts/validator-e2e.sh` starts it with the `.so` deployed and runs them with
//! `--test-threads=1`): what only localnet can do there (move the clock, restart from a ledger
//! file the test edits) is checked as a clear refusal or left out, and each test says which.
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

/// The cluster `scripts/validator-e2e.sh` started (agave's `solana-test-validator`), if any.
fn external_cluster() -> Option<String> {
    std::env::var("USD1_CLUSTER_URL").ok().filter(|url| !url.is_empty())
}

/// A running `usd1 localnet`; stopped with SIGTERM (which saves its ledger file) when dropped.
/// Against an external cluster there is no process: the cluster is shared and outlives the test.
struct Localnet {
    child: Option<Child>,
    url: String,
}

impl Localnet {
    fn start(ledger: Option<&Path>) -> Localnet {
        Localnet::start_on(ledger, 0)
    }

    /// Whether this is agave's validator (no cheat codes, no restart from here).
    fn is_external(&self) -> bool {
        self.child.is_none()
    }

    /// On `port` (0: any free one), e.g. again on the port a stopped one used.
    fn start_on(ledger: Option<&Path>, port: u16) -> Localnet {
        if let Some(url) = external_cluster() {
            return Localnet { child: None, url };
        }
        let mut command = usd1();
        if let Some(ledger) = ledger {
            command.arg("--ledger").arg(ledger);
        }
        let mut child = command
            .args(["--output", "json", "localnet", "--port", &port.to_string()])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn usd1 localnet");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).expect("localnet prints its URL");
        let banner: Value = serde_json::from_str(&line).unwrap_or_else(|_| panic!("localnet banner is JSON: {line}"));
        assert_eq!(banner["program_id"], "USD1mGxdwLdy3Rb2m1A4a1iS4XW6R5T7qE9pVJ9y1aQ");
        Localnet { url: banner["url"].as_str().unwrap().to_string(), child: Some(child) }
    }

    fn address(&self) -> String {
        self.url.trim_start_matches("http://").to_string()
    }

    fn port(&self) -> u16 {
        self.address().rsplit(':').next().and_then(|port| port.parse().ok()).expect("a port in the URL")
    }

    fn post(&self, body: &[u8]) -> (u16, String) {
        post(&self.address(), body)
    }

    fn call(&self, method: &str, params: Value) -> Value {
        call(&self.address(), method, params)
    }

    /// 100 SOL to `key`, confirmed before it returns (a validator lands the airdrop a slot or
    /// two after answering; localnet at once).
    fn airdrop(&self, key: &str) {
        let response = self.call("requestAirdrop", json!([key, 100_000_000_000u64]));
        let signature = response["result"].as_str().unwrap_or_else(|| panic!("airdrop: {response}")).to_string();
        let status = self.confirmed_status(&signature);
        assert!(status["err"].is_null(), "airdrop to {key} failed: {status}");
    }

    /// `signature`'s status once it is confirmed (polled for up to 30 s).
    fn confirmed_status(&self, signature: &str) -> Value {
        for _ in 0..300 {
            let status = self.call("getSignatureStatuses", json!([[signature]]));
            let value = &status["result"]["value"][0];
            if matches!(value["confirmationStatus"].as_str(), Some("confirmed" | "finalized")) {
                return value.clone();
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        panic!("{signature} was not confirmed in 30 s");
    }

    /// SIGTERM, as Ctrl-C would, and wait for the ledger file to be written. An external
    /// cluster keeps running (its state is the same after the "restart").
    fn stop(mut self) {
        if let Some(mut child) = self.child.take() {
            let pid = child.id() as i32;
            assert_eq!(unsafe { libc::kill(pid, libc::SIGTERM) }, 0);
            let status = child.wait().unwrap();
            assert!(status.success(), "localnet exited with {status}");
        }
    }
}

impl Drop for Localnet {
    fn drop(&mut self) {
        if let Some(child) = self.child.as_mut() {
            let _ = child.kill();
            let _ = child.wait();
        }
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
    let (mut warps, mut stopped_at_warp) = (0, 0);
    for file in files {
        let drill_warps = std::fs::read_to_string(&file).unwrap().matches("\"warp\"").count();
        warps += drill_warps;
        let output = usd1().args(["drill", "run", file.to_str().unwrap(), "--url", &localnet.url]).output().unwrap();
        let out = stdout(&output);
        let steps: Vec<Value> = out
            .lines()
            .take(out.lines().count().saturating_sub(1))
            .map(|line| serde_json::from_str::<Value>(line).unwrap_or_else(|_| panic!("{}: stdout line is not JSON: {line}", file.display())))
            .collect();
        if localnet.is_external() && drill_warps > 0 {
            // A validator's clock cannot be moved: every step before the first warp passes on
            // it, and the warp is refused by name (localnet and the embedded ledger run the rest).
            let first_warp = steps.iter().position(|step| step["op"] == "warp").unwrap_or_else(|| panic!("{}: no warp step reported: {out}", file.display()));
            assert!(steps[..first_warp].iter().all(|step| step["ok"] == true), "{} before its first warp: {out}\n{}", file.display(), stderr(&output));
            assert!(steps[first_warp]["detail"].as_str().is_some_and(|detail| detail.contains("this cluster's clock cannot be moved")), "{}: {}", file.display(), steps[first_warp]);
            stopped_at_warp += 1;
            continue;
        }
        assert!(output.status.success(), "{} over --url: {}\n{}", file.display(), out.lines().last().unwrap_or_default(), stderr(&output));
        assert!(steps.iter().all(|step| step["ok"] == true), "{}: {out}", file.display());
    }
    assert!(warps >= 3, "the drills rehearse timelocks and expiries with warps ({warps})");
    if stopped_at_warp > 0 {
        eprintln!("{stopped_at_warp} drills ran up to their first warp: this cluster's clock cannot be moved");
    }
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
    let cluster = if localnet.is_external() {
        // agave itself: the method does not exist there.
        assert_eq!(localnet.call("usd1Localnet_warp", json!([60]))["error"]["code"], -32601);
        localnet.url.clone()
    } else {
        assert_eq!(localnet.call("usd1Localnet_warp", json!([-5]))["error"]["code"], -32602, "the clock only moves forward");
        cluster_without_cheat_codes(localnet.address())
    };
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
    // Above the 10 MiB account limit: agave's bare "Invalid request", which localnet mirrors.
    assert_eq!(error_code(br#"{"jsonrpc":"2.0","id":1,"method":"getMinimumBalanceForRentExemption","params":[18446744073709551615]}"#), -32600);
    assert_eq!(error_code(br#"{"jsonrpc":"2.0","id":1,"method":"getMinimumBalanceForRentExemption","params":[10485761]}"#), -32600);
    assert_eq!(error_code(br#"{"jsonrpc":"2.0","id":1,"method":"getMinimumBalanceForRentExemption","params":[-1]}"#), -32602);
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
    let ledger = directory.path().join("localnet.ledger");
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
    if localnet.is_external() {
        eprintln!("ops and read commands: no restart of an external cluster; the state after it is checked as is");
    }
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
    let status = localnet.confirmed_status(&signature);
    assert!(status["err"].is_object(), "{status}");
    let transaction = localnet.call("getTransaction", json!([signature, {"encoding": "json", "commitment": "confirmed"}]));
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

/// `usd1 verify` as a listing exchange runs it: the JSON report and the exit code.
fn verify(url: &str, mint: &str, extra: &[&str]) -> (Option<i32>, Value) {
    let output = usd1().args(["--url", url, "--mint", mint, "--output", "json", "verify"]).args(extra).output().unwrap();
    let report: Value = serde_json::from_str(stdout(&output).trim()).unwrap_or_else(|_| panic!("verify prints one JSON document: {}\n{}", stdout(&output), stderr(&output)));
    (output.status.code(), report)
}

fn failed_items(report: &Value) -> Vec<String> {
    report["checks"].as_array().unwrap().iter().filter(|check| check["ok"] == false).map(|check| check["item"].as_str().unwrap().to_string()).collect()
}

fn item<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["checks"].as_array().unwrap().iter().find(|check| check["item"] == name).unwrap_or_else(|| panic!("no item {name} in {report}"))
}

/// A Token-2022 mint made by hand to look like a USD1 mint: every extension except `skip`,
/// every authority the would-be Config, except the mint authority left to `mint_authority`
/// unless `hand_over` gives it to the Config after the metadata is written.
fn hand_made_mint(url: &str, payer: &solana_keypair::Keypair, mint_authority: &solana_keypair::Keypair, skip: Option<spl_token_2022_interface::extension::ExtensionType>, hand_over: bool) -> String {
    use solana_signer::Signer;
    use spl_token_2022_interface::{extension::ExtensionType, instruction as token, state::Mint, ID as TOKEN_2022};
    let mint = solana_keypair::Keypair::new();
    let config = usd1_client::pda::config_address(&mint.pubkey());
    let extensions: Vec<ExtensionType> = [
        ExtensionType::MetadataPointer,
        ExtensionType::Pausable,
        ExtensionType::TransferHook,
        ExtensionType::PermanentDelegate,
        ExtensionType::DefaultAccountState,
    ]
    .into_iter()
    .filter(|extension| Some(*extension) != skip)
    .collect();
    let space = ExtensionType::try_calculate_account_len::<Mint>(&extensions).unwrap();
    let client = solana_rpc_client::rpc_client::RpcClient::new_with_commitment(url.to_string(), solana_commitment_config::CommitmentConfig::confirmed());
    // Enough for the metadata written after InitializeMint.
    let lamports = client.get_minimum_balance_for_rent_exemption(space + 1_000).unwrap();
    let mut instructions = vec![solana_system_interface::instruction::create_account(&payer.pubkey(), &mint.pubkey(), lamports, space as u64, &TOKEN_2022)];
    for extension in &extensions {
        instructions.push(match extension {
            ExtensionType::MetadataPointer => spl_token_2022_interface::extension::metadata_pointer::instruction::initialize(&TOKEN_2022, &mint.pubkey(), Some(config), Some(mint.pubkey())).unwrap(),
            ExtensionType::Pausable => spl_token_2022_interface::extension::pausable::instruction::initialize(&TOKEN_2022, &mint.pubkey(), &config).unwrap(),
            ExtensionType::TransferHook => spl_token_2022_interface::extension::transfer_hook::instruction::initialize(&TOKEN_2022, &mint.pubkey(), Some(config), Some(usd1_client::PROGRAM_ID)).unwrap(),
            ExtensionType::PermanentDelegate => token::initialize_permanent_delegate(&TOKEN_2022, &mint.pubkey(), &config).unwrap(),
            _ => spl_token_2022_interface::extension::default_account_state::instruction::initialize_default_account_state(
                &TOKEN_2022,
                &mint.pubkey(),
                &spl_token_2022_interface::state::AccountState::Initialized,
            )
            .unwrap(),
        });
    }
    instructions.push(token::initialize_mint2(&TOKEN_2022, &mint.pubkey(), &mint_authority.pubkey(), Some(&config), 6).unwrap());
    if extensions.contains(&ExtensionType::MetadataPointer) {
        instructions.push(spl_token_metadata_interface::instruction::initialize(
            &TOKEN_2022,
            &mint.pubkey(),
            &config,
            &mint.pubkey(),
            &mint_authority.pubkey(),
            "USD1".into(),
            "USD1".into(),
            "https://example.com/usd1.json".into(),
        ));
    }
    if hand_over {
        instructions.push(token::set_authority(&TOKEN_2022, &mint.pubkey(), Some(&config), token::AuthorityType::MintTokens, &mint_authority.pubkey(), &[]).unwrap());
    }
    let blockhash = client.get_latest_blockhash().unwrap();
    let transaction = solana_transaction::Transaction::new_signed_with_payer(&instructions, Some(&payer.pubkey()), &[payer, &mint, mint_authority], blockhash);
    client.send_and_confirm_transaction(&transaction).unwrap_or_else(|error| panic!("the hand-made mint: {error}"));
    mint.pubkey().to_string()
}

#[test]
fn verify_passes_a_correct_deployment_and_names_each_hostile_variant() {
    use solana_signer::Signer;
    let directory = tempfile::tempdir().unwrap();
    let ledger = directory.path().join("localnet.ledger");
    let localnet = Localnet::start(Some(&ledger));
    let deployment = Deployment::new(&localnet);
    let mint = deployment.path("mint.json");

    // A correct deployment: every item passes (or is information), exit 0; text says OK.
    let (code, report) = verify(&localnet.url, &mint, &[]);
    assert_eq!((code, report["ok"].as_bool()), (Some(0), Some(true)), "{report:#}");
    let items: Vec<&str> = report["checks"].as_array().unwrap().iter().map(|check| check["item"].as_str().unwrap()).collect();
    for expected in [
        "program_account", "program_hash", "upgrade_authority", "mint_account", "mint_extensions", "mint_authority", "freeze_authority",
        "pause_authority", "transfer_hook_authority", "metadata_pointer_authority", "metadata_update_authority", "permanent_delegate",
        "transfer_hook_program", "metadata_address", "default_account_state", "hook_account_list", "config", "denylist_registry", "escrow",
        "roles", "council", "timelock", "limits", "pause_flags", "supply",
    ] {
        assert!(items.contains(&expected), "no {expected} in {items:?}");
    }
    assert_eq!(item(&report, "council")["status"], "pass");
    assert!(item(&report, "limits")["detail"].as_str().unwrap().contains("no supply cap"), "{report:#}");
    let text = usd1().args(["--url", &localnet.url, "--mint", &mint, "verify"]).output().unwrap();
    assert!(stdout(&text).contains("PASS  mint_authority") && stdout(&text).trim_end().ends_with("OK: every item passed"), "{}", stdout(&text));

    // The program's bytes against a local build, and its upgrade authority.
    let altered = directory.path().join("altered.so");
    match std::env::var_os("USD1_PROGRAM_SO").filter(|value| !value.is_empty()) {
        // The localnet runs the .so (BPF loader 2: immutable), a validator the .so deployed
        // upgradeable under the authority the script names: the same bytes pass, one byte changed fails.
        Some(so) => {
            let so = PathBuf::from(so);
            let authority = std::env::var("USD1_CLUSTER_UPGRADE_AUTHORITY").unwrap_or_else(|_| "none".to_string());
            let (code, report) = verify(&localnet.url, &mint, &["--program-so", so.to_str().unwrap(), "--expect-upgrade-authority", &authority]);
            assert_eq!((code, failed_items(&report)), (Some(0), vec![]), "{report:#}");
            assert_eq!(item(&report, "program_hash")["status"], "pass");
            assert_eq!(item(&report, "program_account")["status"], "pass", "{report:#}");
            let mut bytes = std::fs::read(&so).unwrap();
            let middle = bytes.len() / 2;
            bytes[middle] ^= 0xff;
            std::fs::write(&altered, bytes).unwrap();
            let (code, report) = verify(&localnet.url, &mint, &["--program-so", altered.to_str().unwrap()]);
            assert_eq!((code, failed_items(&report)), (Some(1), vec!["program_hash".to_string()]), "{report:#}");
            assert!(item(&report, "program_hash")["detail"].as_str().unwrap().contains("the bytes differ"));
            let someone = solana_pubkey::Pubkey::new_unique().to_string();
            let (_, report) = verify(&localnet.url, &mint, &["--expect-upgrade-authority", &someone]);
            assert_eq!(failed_items(&report), vec!["upgrade_authority".to_string()], "the program is not under {someone}: {report:#}");
        }
        // The localnet runs the program compiled in: there are no deployed bytes to compare.
        None => {
            std::fs::write(&altered, b"\x7fELF not the program").unwrap();
            let (code, report) = verify(&localnet.url, &mint, &["--program-so", altered.to_str().unwrap()]);
            assert_eq!((code, failed_items(&report)), (Some(1), vec!["program_hash".to_string()]), "{report:#}");
            assert_eq!(item(&report, "program_account")["status"], "info");
        }
    }

    // Hostile: a mint made by hand with every extension but the mint authority left to a key.
    let payer = solana_keypair::Keypair::new();
    localnet.airdrop(&payer.pubkey().to_string());
    let insider = solana_keypair::Keypair::new();
    let kept = hand_made_mint(&localnet.url, &payer, &insider, None, false);
    let (code, report) = verify(&localnet.url, &kept, &[]);
    assert_eq!(code, Some(1));
    assert_eq!(failed_items(&report), ["mint_authority", "hook_account_list", "config"], "{report:#}");
    assert!(item(&report, "mint_authority")["detail"].as_str().unwrap().contains(&insider.pubkey().to_string()));
    assert_eq!(item(&report, "mint_extensions")["status"], "pass", "every extension is there: {report:#}");

    // Hostile: every authority handed over, but no PermanentDelegate (seizure impossible).
    let missing = hand_made_mint(&localnet.url, &payer, &insider, Some(spl_token_2022_interface::extension::ExtensionType::PermanentDelegate), true);
    let (code, report) = verify(&localnet.url, &missing, &[]);
    assert_eq!(code, Some(1));
    assert_eq!(failed_items(&report), ["mint_extensions", "permanent_delegate", "hook_account_list", "config"], "{report:#}");
    assert!(item(&report, "mint_extensions")["detail"].as_str().unwrap().contains("missing PermanentDelegate"), "{report:#}");
    assert_eq!(item(&report, "mint_authority")["status"], "pass");

    // Hostile: the real deployment with a different hook account list (one entry swapped, as
    // a tampered genesis or a look-alike cluster would serve it): made by editing localnet's
    // ledger file (its SQLite store), which a validator does not have.
    if localnet.is_external() {
        eprintln!("verify: the tampered hook account list needs localnet's ledger file; not run on this cluster");
        return;
    }
    localnet.stop();
    let mint_key = solana_keypair::read_keypair_file(&mint).unwrap().pubkey();
    let list_address = usd1_client::pda::extra_account_metas_address(&mint_key).to_string();
    let store = rusqlite::Connection::open(&ledger).unwrap();
    let mut data: Vec<u8> = store.query_row("SELECT data FROM accounts WHERE address = ?1", [&list_address], |row| row.get(0)).unwrap();
    let last = data.len() - 3;
    data[last - 31..=last].copy_from_slice(solana_pubkey::Pubkey::new_unique().as_ref());
    assert_eq!(store.execute("UPDATE accounts SET data = ?1 WHERE address = ?2", rusqlite::params![data, list_address]).unwrap(), 1);
    drop(store);
    let localnet = Localnet::start(Some(&ledger));
    let (code, report) = verify(&localnet.url, &mint, &[]);
    assert_eq!((code, failed_items(&report)), (Some(1), vec!["hook_account_list".to_string()]), "{report:#}");
}

/// `check_supply` sent `count` times straight to the endpoint (each made unique by its priority fee).
fn check_supply_transactions(url: &str, payer: &solana_keypair::Keypair, mint: &solana_pubkey::Pubkey, first: u64, count: u64) {
    use solana_signer::Signer;
    let client = solana_rpc_client::rpc_client::RpcClient::new_with_commitment(url.to_string(), solana_commitment_config::CommitmentConfig::confirmed());
    for index in first..first + count {
        let instructions = usd1_client::compute_budget::with_compute_budget(&[usd1_client::instructions::check_supply(mint)], Some(index + 1));
        let blockhash = client.get_latest_blockhash().unwrap();
        let transaction = solana_transaction::Transaction::new_signed_with_payer(&instructions, Some(&payer.pubkey()), &[payer], blockhash);
        client.send_transaction(&transaction).unwrap_or_else(|error| panic!("check_supply {index}: {error}"));
    }
}

#[test]
fn events_follow_delivers_a_thousand_transactions_in_order_across_a_restart() {
    use solana_signer::Signer;
    let directory = tempfile::tempdir().unwrap();
    let ledger = directory.path().join("localnet.ledger");
    let localnet = Localnet::start(Some(&ledger));
    let port = localnet.port();
    let deployment = Deployment::new(&localnet);
    let mint_file = deployment.path("mint.json");
    let mint = solana_keypair::read_keypair_file(&mint_file).unwrap().pubkey();
    let payer = solana_keypair::Keypair::new();
    localnet.airdrop(&payer.pubkey().to_string());
    let before = deployment.json("admin", &["status"])["event_seq"].as_u64().unwrap();

    // A follower from seq 2 (resuming after an event it kept), reading lines as they come.
    let mut follower = usd1()
        .args(["--url", &localnet.url, "--mint", &mint_file, "--output", "json", "events", "--follow", "--from-seq", "2"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (lines, received) = std::sync::mpsc::channel::<Value>();
    let stdout_pipe = follower.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout_pipe).lines() {
            let Ok(line) = line else { break };
            if lines.send(serde_json::from_str(&line).unwrap_or_else(|_| panic!("one JSON event per line: {line}"))).is_err() {
                break;
            }
        }
    });
    // The Config's event seq once it stops moving: localnet executes each send at once; a
    // validator lands them over the next slots and may drop a few sent without confirmation
    // (so the seqs to expect are the chain's, not the number sent).
    let external = localnet.is_external();
    let settled_seq = |deployment: &Deployment| loop {
        let seq = deployment.json("admin", &["status"])["event_seq"].as_u64().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(if external { 2_000 } else { 0 }));
        if deployment.json("admin", &["status"])["event_seq"].as_u64().unwrap() == seq {
            break seq;
        }
    };
    let mut seqs = Vec::new();
    let mut collect_until = |last: u64| {
        while seqs.last().copied().unwrap_or(0) < last {
            let event = received.recv_timeout(std::time::Duration::from_secs(60)).unwrap_or_else(|_| panic!("no event after seq {:?} (waiting for {last})", seqs.last()));
            seqs.push(event["seq"].as_u64().unwrap());
        }
    };
    check_supply_transactions(&localnet.url, &payer, &mint, 0, 500);
    collect_until(settled_seq(&deployment));

    // A forced reconnect: the endpoint stops (the socket drops) and comes back on the same port;
    // 250 transactions land before the follower can resubscribe, 250 after.
    localnet.stop();
    let localnet = Localnet::start_on(Some(&ledger), port);
    check_supply_transactions(&localnet.url, &payer, &mint, 500, 250);
    std::thread::sleep(std::time::Duration::from_millis(300));
    check_supply_transactions(&localnet.url, &payer, &mint, 750, 250);
    let total = settled_seq(&deployment);
    if external {
        assert!(total > before + 900, "most of the 1,000 transactions landed on the validator: seq {before} -> {total}");
    } else {
        assert_eq!(total, before + 1_000, "localnet executes every one");
    }
    collect_until(total);
    let _ = follower.kill();
    let mut log = String::new();
    follower.stderr.take().unwrap().read_to_string(&mut log).unwrap();
    assert_eq!(seqs, (2..=total).collect::<Vec<_>>(), "every event once, in order, from seq 2");
    // A validator is not restarted from here: no socket dropped there.
    assert!(localnet.is_external() || log.contains("retrying") || log.contains("reconnecting"), "the follower saw the socket drop: {log}");
    let status = deployment.json("admin", &["status"]);
    assert_eq!(status["event_seq"].as_u64(), Some(total));
}

#[test]
fn airdrop_funds_a_key_from_the_endpoint_and_an_embedded_ledger_funds_wallets_only() {
    let localnet = Localnet::start(None);
    let directory = tempfile::tempdir().unwrap();
    let key = solana_signer::Signer::pubkey(&solana_keypair::Keypair::new()).to_string();
    let output = usd1().args(["--url", &localnet.url, "--output", "json", "airdrop", "--to", &key, "--sol", "3"]).output().unwrap();
    assert!(output.status.success(), "{}\n{}", stdout(&output), stderr(&output));
    let funded: Value = serde_json::from_str(stdout(&output).trim()).unwrap();
    assert_eq!((funded["to"].as_str(), funded["balance_sol"].as_str()), (Some(key.as_str()), Some("3")), "{funded}");
    // At "confirmed", as the CLI reads (agave's default commitment, finalized, lags ~32 slots).
    assert_eq!(localnet.call("getBalance", json!([key, {"commitment": "confirmed"}]))["result"]["value"], 3_000_000_000u64);

    // On an embedded ledger: a keypair file's key, added to; a program's account is refused.
    let ledger = directory.path().join("usd1.ledger");
    let wallet = directory.path().join("wallet.json");
    assert!(usd1().args(["keygen", "--outfile", wallet.to_str().unwrap()]).output().unwrap().status.success());
    let ledger_args = ["--ledger", ledger.to_str().unwrap(), "--output", "json"];
    // Only initialize and localnet start a ledger (SPEC 15): an airdrop onto a missing file is refused.
    let missing = usd1().args(ledger_args).args(["--keypair", wallet.to_str().unwrap(), "airdrop", "--sol", "2"]).output().unwrap();
    assert_eq!(missing.status.code(), Some(1));
    assert!(stderr(&missing).contains("no ledger at") && !ledger.exists(), "{}", stderr(&missing));
    let mut starter =
        usd1().args(["--ledger", ledger.to_str().unwrap(), "--output", "json", "localnet", "--port", "0"]).stdout(Stdio::piped()).stderr(Stdio::null()).spawn().unwrap();
    BufReader::new(starter.stdout.take().unwrap()).read_line(&mut String::new()).unwrap();
    assert_eq!(unsafe { libc::kill(starter.id() as i32, libc::SIGTERM) }, 0);
    assert!(starter.wait().unwrap().success());
    for _ in 0..2 {
        let output = usd1().args(ledger_args).args(["--keypair", wallet.to_str().unwrap(), "airdrop", "--sol", "2"]).output().unwrap();
        assert!(output.status.success(), "{}\n{}", stdout(&output), stderr(&output));
    }
    let output = usd1().args(ledger_args).args(["--keypair", wallet.to_str().unwrap(), "airdrop", "--sol", "0"]).output().unwrap();
    let balance: Value = serde_json::from_str(stdout(&output).trim()).unwrap();
    assert_eq!(balance["balance_sol"], "4", "two airdrops of 2 SOL add up: {balance}");
    let refused = usd1().args(ledger_args).args(["airdrop", "--to", "TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb"]).output().unwrap();
    assert_eq!(refused.status.code(), Some(1));
    assert!(stderr(&refused).contains("funds wallets only"), "{}", stderr(&refused));
}

#[test]
fn set_upgrade_authority_refuses_what_it_cannot_hand_over_before_signing() {
    let localnet = Localnet::start(None);
    let directory = tempfile::tempdir().unwrap();
    let signer = directory.path().join("signer.json");
    let vault = solana_pubkey::Pubkey::new_unique().to_string();
    let run = |args: &[&str]| usd1().args(["--url", &localnet.url, "--keypair", signer.to_str().unwrap()]).args(args).output().unwrap();
    assert!(usd1().args(["keygen", "--outfile", signer.to_str().unwrap()]).output().unwrap().status.success());
    // It signs and sends at once: the offline and rehearsal flags are refused, not ignored.
    let simulated = run(&["--simulate", "set-upgrade-authority", "--new-upgrade-authority", "none", "--irreversible"]);
    assert_eq!(simulated.status.code(), Some(1));
    assert!(stderr(&simulated).contains("signs and sends at once; it does not take --simulate"), "{}", stderr(&simulated));
    let immutable = run(&["set-upgrade-authority", "--new-upgrade-authority", "none"]);
    assert_eq!(immutable.status.code(), Some(1));
    assert!(stderr(&immutable).contains("add --irreversible to confirm"), "{}", stderr(&immutable));
    let refused = run(&["set-upgrade-authority", "--new-upgrade-authority", &vault]);
    assert_eq!(refused.status.code(), Some(1));
    let expected = if localnet.is_external() {
        // The e2e script deployed it upgradeable and handed it to the council's vault already.
        format!("is {}, not the signer", std::env::var("USD1_CLUSTER_UPGRADE_AUTHORITY").expect("the script names the vault"))
    } else {
        // localnet runs the program compiled in, or the .so under the non-upgradeable loader.
        "is not deployed with the upgradeable loader".to_string()
    };
    assert!(stderr(&refused).contains(&expected), "{}", stderr(&refused));
}

#[test]
fn a_ledger_file_localnet_serves_refuses_a_second_writer_at_once_and_points_at_the_url() {
    if external_cluster().is_some() {
        eprintln!("localnet's ledger file: not on an external cluster");
        return;
    }
    let directory = tempfile::tempdir().unwrap();
    let ledger = directory.path().join("served.ledger");
    let localnet = Localnet::start(Some(&ledger));
    let key = solana_signer::Signer::pubkey(&solana_keypair::Keypair::new()).to_string();
    let started = std::time::Instant::now();
    let output = usd1().env("USD1_LEDGER_WAIT_SECS", "60").args(["--ledger", ledger.to_str().unwrap(), "airdrop", "--to", &key, "--sol", "1"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let error = stderr(&output);
    assert!(error.contains("ledger in use by PID") && error.contains("localnet") && error.contains("--url"), "{error}");
    assert!(started.elapsed() < std::time::Duration::from_secs(10), "a server is not waited for");
    // The endpoint takes it instead, and it is in the file once localnet stops.
    let output = usd1().args(["--url", &localnet.url, "--output", "json", "airdrop", "--to", &key, "--sol", "1"]).output().unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    localnet.stop();
    let output = usd1().args(["--ledger", ledger.to_str().unwrap(), "--output", "json", "airdrop", "--to", &key, "--sol", "0"]).output().unwrap();
    let balance: Value = serde_json::from_str(stdout(&output).trim()).unwrap_or_else(|_| panic!("{}\n{}", stdout(&output), stderr(&output)));
    assert_eq!(balance["balance_sol"], "1", "{balance}");
}

#[test]
fn an_unfunded_fee_payer_is_told_the_lamports_it_has_and_needs() {
    let localnet = Localnet::start(None);
    let directory = tempfile::tempdir().unwrap();
    let path = |name: &str| directory.path().join(name).to_str().unwrap().to_string();
    for name in ["c1", "c2", "c3", "mm", "p", "d", "b", "a"] {
        assert!(usd1().args(["keygen", "--outfile", &path(&format!("{name}.json"))]).output().unwrap().status.success());
    }
    let poor = stdout(&usd1().args(["keygen", "--outfile", &path("poor.json")]).output().unwrap()).trim().to_string();
    let council = format!("{},{},{}", path("c1.json"), path("c2.json"), path("c3.json"));
    let initialize = || {
        usd1()
            .args(["--url", &localnet.url, "--keypair", &path("poor.json"), "--mint-keypair", &path("mint.json"), "initialize", "--council", &council])
            .args(["--threshold", "2", "--master-minter", &path("mm.json"), "--pauser", &path("p.json"), "--denylister", &path("d.json")])
            .args(["--burner", &path("b.json"), "--attester", &path("a.json")])
            .output()
            .unwrap()
    };
    // No SOL at all: refused before sending, with the fee it needs (two signatures).
    let output = initialize();
    assert_eq!(output.status.code(), Some(1));
    let expected = format!("fee payer {poor} has 0 lamports (0 SOL) and this transaction's fee is 10000 lamports");
    assert!(stderr(&output).contains(&expected) && stderr(&output).contains("usd1 airdrop --to"), "{}\n{}", stdout(&output), stderr(&output));
    // Below the rent-exempt minimum an airdrop to a new account is refused, as agave's faucet
    // transfer is: its status says InsufficientFundsForRent and nothing arrives.
    let response = localnet.call("requestAirdrop", json!([poor, 20_000]));
    let status = localnet.confirmed_status(response["result"].as_str().unwrap());
    assert!(status["err"]["InsufficientFundsForRent"].is_object(), "{status}");
    assert_eq!(localnet.call("getBalance", json!([poor, {"commitment": "confirmed"}]))["result"]["value"], 0);
    // Enough for the fee and its own rent exemption, not for the rent of the accounts
    // initialize creates: the refusal says how many lamports the payer has and needs.
    let response = localnet.call("requestAirdrop", json!([poor, 1_000_000]));
    let status = localnet.confirmed_status(response["result"].as_str().unwrap());
    assert!(status["err"].is_null(), "{status}");
    let output = initialize();
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).contains("short of SOL for the rent of an account this transaction creates: the key paying it") && stdout(&output).contains(" and needs "), "{}\n{}", stdout(&output), stderr(&output));
}

#[test]
fn the_readme_first_deployment_runs_as_written_with_usd1_alone() {
    if external_cluster().is_some() {
        eprintln!("the README's first deployment: on localnet only (it airdrops from a fresh endpoint)");
        return;
    }
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md")).unwrap();
    let block = readme.split("A first deployment on it").nth(1).expect("the README's first-deployment block");
    // The indented command lines after the marker, up to the first prose line.
    let mut lines: Vec<&str> = block.lines().skip_while(|line| !line.starts_with("    ")).take_while(|line| line.starts_with("    ") || line.is_empty()).collect();
    lines.retain(|line| !line.trim().is_empty());
    assert_eq!(lines.first().map(|line| line.trim_start().starts_with("usd1 localnet &")), Some(true), "{lines:?}");
    let localnet = Localnet::start(None);
    // The script as written, after `usd1 localnet &` (started here on a free port): `usd1` is
    // the built binary and `localhost` that port; HOME is empty (no Solana CLI config) and no
    // `solana` binary is on PATH.
    let script = lines[1..].iter().map(|line| line.trim_start()).collect::<Vec<_>>().join("\n").replace("-u localhost", &format!("-u {}", localnet.url));
    let directory = tempfile::tempdir().unwrap();
    let output = Command::new("bash")
        .current_dir(directory.path())
        .env("HOME", directory.path())
        .env("PATH", "/usr/bin:/bin")
        .env_remove("USD1_MINT")
        .args(["-c", &format!("set -euo pipefail\nusd1() {{ {} \"$@\"; }}\n! command -v solana\n{script}", env!("CARGO_BIN_EXE_usd1"))])
        .output()
        .unwrap();
    assert!(output.status.success(), "{script}\n{}\n{}", stdout(&output), stderr(&output));
    let printed = stdout(&output);
    assert!(printed.contains("config ") && printed.contains("supply ") && printed.contains("0 USD1"), "{printed}");
}

#[test]
fn a_sync_that_runs_out_of_sol_stops_at_the_first_funds_error_and_a_dry_run_says_what_it_needs() {
    let localnet = Localnet::start(None);
    let deployment = Deployment::new(&localnet);
    let poor = stdout(&usd1().args(["keygen", "--outfile", &deployment.path("poor.json")]).output().unwrap()).trim().to_string();
    let fund = |lamports: u64| {
        let response = localnet.call("requestAirdrop", json!([poor, lamports]));
        let status = localnet.confirmed_status(response["result"].as_str().unwrap_or_else(|| panic!("{response}")));
        assert!(status["err"].is_null(), "{status}");
    };
    fund(10_000_000);
    // The denylister pays for the entries it creates: the poor key holds the role and pays the fees.
    deployment.ok("admin", &["set-role", "--role", "denylister", "--key", &poor]);
    let list = deployment.path("list.csv");
    let mut text = "wallet,reason\n".to_string();
    for index in 0..20 {
        text.push_str(&format!("{},CASE-{index}\n", solana_pubkey::Pubkey::new_unique()));
    }
    std::fs::write(&list, text).unwrap();
    let sync = |extra: &[&str]| {
        let mut args = vec!["--fee-payer", deployment.path("poor.json").leak() as &str, "--output", "json", "denylist", "sync", "--list", list.as_str()];
        args.extend_from_slice(extra);
        let output = deployment.as_("poor", &args);
        serde_json::from_str::<Value>(stdout(&output).trim()).unwrap_or_else(|_| panic!("{}\n{}", stdout(&output), stderr(&output)))
    };
    // The dry run: what the fee payer needs (rent of 20 entries, the registry's growth, fees) beside what it has.
    let dry = sync(&["--dry-run"]);
    let estimate = &dry["cost_estimate"]["keys"][0];
    assert_eq!((estimate["enough"].as_bool(), estimate["lamports"].as_u64(), estimate["key"].as_str()), (Some(false), Some(10_000_000), Some(poor.as_str())), "{dry}");
    assert!(estimate["lamports_needed"].as_u64().unwrap() > 20 * 1_000_000, "{dry}");
    assert_eq!(dry["transactions_sent"], 0);
    // The real run stops at the first funds error: no retry one change at a time, the rest deferred.
    let stopped = sync(&[]);
    assert_eq!(stopped["ok"], false, "{stopped}");
    assert!(stopped["stopped"].as_str().is_some_and(|reason| reason.contains("ran out of SOL") && reason.contains(&format!("the denylister {poor} has "))), "{stopped}");
    let (added, deferred) = (stopped["added"].as_array().unwrap().len(), stopped["deferred"].as_array().unwrap().len());
    assert!(added < 20 && added + deferred == 20, "{stopped}");
    assert!(stopped["transactions_sent"].as_u64().unwrap() <= 10, "one failed transaction, not a retry per change: {stopped}");
    // Funded, the same command finishes what is left.
    fund(1_000_000_000);
    let finished = sync(&[]);
    assert_eq!((finished["ok"].as_bool(), finished["added"].as_array().map(Vec::len)), (Some(true), Some(20 - added)), "{finished}");
}

#[test]
fn commitment_levels_read_and_confirm_as_asked() {
    let localnet = Localnet::start(None);
    let deployment = Deployment::new(&localnet);
    let alice = deployment.path("alice.json");
    // At finalized, a deployment made a moment ago is not there yet on a validator (finalized
    // lags confirmed by ~32 slots): the read says so; the mint below waits until every step of
    // the deployment (the minter's allowance last) is finalized, or its preflight, run at
    // finalized too, would not see the minter yet.
    let confirmed_seq = deployment.json("admin", &["status"])["event_seq"].as_u64().unwrap();
    let mut waited = 0;
    loop {
        let finalized = deployment.as_("admin", &["--output", "json", "--commitment", "finalized", "status"]);
        let seq = serde_json::from_str::<Value>(stdout(&finalized).trim()).ok().and_then(|status| status["event_seq"].as_u64());
        if seq == Some(confirmed_seq) {
            break;
        }
        if seq.is_none() {
            assert!(stderr(&finalized).contains("at commitment finalized (not initialized, or not finalized yet"), "{}", stderr(&finalized));
        }
        waited += 1;
        assert!(waited < 120, "the deployment never reached finalized");
        std::thread::sleep(std::time::Duration::from_millis(500));
    }
    if localnet.is_external() {
        eprintln!("commitment: the deployment was finalized after {waited} half-second waits");
    }
    // Finalized: the CLI waits until the mint is finalized before it reports it.
    let minted = deployment.json("minter", &["--commitment", "finalized", "mint", "--to", &alice, "--amount", "3", "--reference", "wire-finalized"]);
    assert_eq!(minted["events"][0]["event"], "Minted", "{minted}");
    // Processed: account reads at processed; history still at confirmed (a node keeps no processed history).
    let status = deployment.json("admin", &["--commitment", "processed", "status"]);
    assert_eq!(status["supply"], "3", "{status}");
    let events = deployment.as_("admin", &["--commitment", "processed", "--output", "json", "events"]);
    assert!(events.status.success() && stdout(&events).contains("\"Minted\""), "{}", stderr(&events));
    let refused = deployment.as_("admin", &["--commitment", "max", "status"]);
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
}
