// The deployment check of SPEC 14, as `usd1 verify` runs it: the same items, statuses and JSON
// shape ({ ok, mint, program_id, checks: [{ item, ok, status, detail }] }), from a web3.js
// connection. Exchanges, integrators and auditors run it before listing the token.
import { createHash } from "node:crypto";
import {
  AccountState,
  ExtensionType,
  TOKEN_2022_PROGRAM_ID,
  getDefaultAccountState,
  getExtensionData,
  getExtensionTypes,
  getMetadataPointerState,
  getPausableConfig,
  getPermanentDelegate,
  getTransferHook,
  unpackAccount,
  unpackMint,
  type Mint,
} from "@solana/spl-token";
import { PublicKey, type AccountInfo, type Connection } from "@solana/web3.js";
import { USD1_PROGRAM_ID, configAddress, denylistRegistryAddress, escrowAddress, extraAccountMetaListAddress } from "./pda.js";
import { offlineProgram } from "./program.js";

export type VerifyStatus = "pass" | "fail" | "info" | "skip";

export interface VerifyCheck {
  /** A stable name (`mint_authority`, `hook_account_list`, ...), the Rust check's. */
  item: string;
  /** False only for `fail`. */
  ok: boolean;
  status: VerifyStatus;
  /** What was found, in words. */
  detail: string;
}

export interface VerifyReport {
  ok: boolean;
  mint: string;
  program_id: string;
  checks: VerifyCheck[];
}

export interface VerifyOptions {
  /** The local build of the program (`target/deploy/usd1.so`): the deployed bytes must be these. */
  programSo?: Uint8Array;
  /** The announced upgrade authority: the council vault's key, or "none" for an immutable program. */
  expectUpgradeAuthority?: PublicKey | "none";
}

const LOADER_UPGRADEABLE = new PublicKey("BPFLoaderUpgradeab1e11111111111111111111111");
const LOADERS_IMMUTABLE = [new PublicKey("BPFLoader2111111111111111111111111111111111"), new PublicKey("BPFLoader1111111111111111111111111111111111")];
const NATIVE_LOADER = new PublicKey("NativeLoader1111111111111111111111111111111");
/** The upgradeable loader's ProgramData header: a u32 tag, a u64 slot and an Option<Pubkey>. */
export const PROGRAM_DATA_HEADER_LEN = 4 + 8 + 1 + 32;
/** The extensions SPEC 2 gives every USD1 mint. */
const MINT_EXTENSIONS = [
  ExtensionType.MetadataPointer,
  ExtensionType.PausableConfig,
  ExtensionType.TransferHook,
  ExtensionType.PermanentDelegate,
  ExtensionType.DefaultAccountState,
  ExtensionType.TokenMetadata,
];
/** The transfer-hook interface's Execute discriminator: sha256("spl-transfer-hook-interface:execute")[..8]. */
const EXECUTE_DISCRIMINATOR = createHash("sha256").update("spl-transfer-hook-interface:execute").digest().subarray(0, 8);

/** sha256 of a program's bytes as solana-verify hashes them (trailing zero padding left out). */
export function programHash(elf: Uint8Array): string {
  let end = elf.length;
  while (end > 0 && elf[end - 1] === 0) end--;
  return createHash("sha256").update(elf.subarray(0, end)).digest("hex");
}

/** The ExtraAccountMetaList the program writes at `initialize`: the Config and its DenylistRegistry by fixed address. */
export function expectedExtraAccountMetas(config: PublicKey): Buffer {
  const metas = [config, denylistRegistryAddress(config)].map((key) => Buffer.concat([Buffer.from([0]), key.toBuffer(), Buffer.from([0, 0])]));
  const slice = Buffer.concat([u32(metas.length), ...metas]);
  return Buffer.concat([EXECUTE_DISCRIMINATOR, u32(slice.length), slice]);
}

function u32(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32LE(value);
  return buffer;
}

function tokens(baseUnits: bigint, decimals: number): string {
  const scale = 10n ** BigInt(decimals);
  const whole = baseUnits / scale;
  const fraction = (baseUnits % scale).toString().padStart(decimals, "0").replace(/0+$/, "");
  return fraction ? `${whole}.${fraction}` : whole.toString();
}

function duration(secs: bigint): string {
  if (secs === 0n) return "none";
  if (secs % 86_400n === 0n) return `${secs / 86_400n} day(s)`;
  if (secs % 3_600n === 0n) return `${secs / 3_600n} hour(s)`;
  return `${secs} seconds`;
}

class Checklist {
  checks: VerifyCheck[] = [];
  add(item: string, status: VerifyStatus, detail: string) {
    this.checks.push({ item, ok: status !== "fail", status, detail });
  }
  expectKey(item: string, what: string, actual: PublicKey | null | undefined, expected: PublicKey, name: string) {
    if (actual && !actual.equals(PublicKey.default)) {
      if (actual.equals(expected)) this.add(item, "pass", `${what} is the ${name} ${actual.toBase58()}`);
      else this.add(item, "fail", `${what} is ${actual.toBase58()}, not the ${name} ${expected.toBase58()}`);
    } else this.add(item, "fail", `${what} is not set (the ${name} ${expected.toBase58()} must hold it)`);
  }
}

/** The deployment check of SPEC 14 for `mint` on `connection`'s cluster. */
export async function verifyDeployment(connection: Connection, mint: PublicKey, options: VerifyOptions = {}): Promise<VerifyReport> {
  const config = configAddress(mint);
  const [program, mintAccount, configAccount, metas, registry, escrow] = await connection.getMultipleAccountsInfo(
    [USD1_PROGRAM_ID, mint, config, extraAccountMetaListAddress(mint), denylistRegistryAddress(config), escrowAddress(config)],
    "confirmed",
  );
  let programData: AccountInfo<Buffer> | null = null;
  if (program?.owner.equals(LOADER_UPGRADEABLE) && program.data.length >= 36 && program.data.readUInt32LE(0) === 2) {
    programData = await connection.getAccountInfo(new PublicKey(program.data.subarray(4, 36)), "confirmed");
  }
  const checks = new Checklist();
  checkProgram(checks, program, programData, options);
  const decoded = checkMint(checks, mint, config, mintAccount);
  checkHookAccountList(checks, mint, config, metas);
  checkConfig(checks, mint, config, decoded, { configAccount, registry, escrow });
  return { ok: checks.checks.every((check) => check.ok), mint: mint.toBase58(), program_id: USD1_PROGRAM_ID.toBase58(), checks: checks.checks };
}

function checkProgram(checks: Checklist, program: AccountInfo<Buffer> | null, programData: AccountInfo<Buffer> | null, options: VerifyOptions) {
  if (!program) {
    checks.add("program_account", "fail", `no account at the program id ${USD1_PROGRAM_ID.toBase58()}`);
    checks.add("program_hash", "fail", "no program to hash");
    checks.add("upgrade_authority", "fail", "no program");
    return;
  }
  let elf: Buffer | null = null;
  let authority: PublicKey | null | undefined; // undefined: not a deployed program
  if (program.owner.equals(LOADER_UPGRADEABLE)) {
    if (!programData || programData.data.length < PROGRAM_DATA_HEADER_LEN || programData.data.readUInt32LE(0) !== 3) {
      checks.add("program_account", "fail", "an upgradeable program whose ProgramData account is missing or malformed");
      checks.add("program_hash", "fail", "no program bytes");
      checks.add("upgrade_authority", "fail", "no ProgramData account");
      return;
    }
    authority = programData.data[12] === 0 ? null : new PublicKey(programData.data.subarray(13, 45));
    elf = programData.data.subarray(PROGRAM_DATA_HEADER_LEN);
  } else if (LOADERS_IMMUTABLE.some((loader) => loader.equals(program.owner))) {
    elf = program.data;
    authority = null;
  }
  if (elf && program.executable) checks.add("program_account", "pass", `an executable program owned by ${program.owner.toBase58()}`);
  else if (program.executable && program.owner.equals(NATIVE_LOADER)) {
    checks.add("program_account", "info", "a native builtin (a test ledger running the program compiled in, not a deployed .so)");
  } else checks.add("program_account", "fail", `not an executable SBF program (owner ${program.owner.toBase58()}, executable ${program.executable})`);

  if (elf && options.programSo) {
    const [deployed, built] = [programHash(elf), programHash(options.programSo)];
    if (deployed === built) checks.add("program_hash", "pass", `sha256 ${deployed}, the local build's`);
    else checks.add("program_hash", "fail", `sha256 ${deployed} deployed, ${built} built locally: the bytes differ`);
  } else if (elf) checks.add("program_hash", "skip", `sha256 ${programHash(elf)} deployed; no local build given (programSo) to compare`);
  else if (options.programSo) checks.add("program_hash", "fail", "the deployed program has no bytes to compare with the local build");
  else checks.add("program_hash", "skip", "no program bytes on this ledger and no local build given");

  const describe = (key: PublicKey | null) => (key ? key.toBase58() : "none (immutable)");
  if (authority === undefined) checks.add("upgrade_authority", "skip", "not an upgradeable or deployed program");
  else if (options.expectUpgradeAuthority !== undefined) {
    const wanted = options.expectUpgradeAuthority === "none" ? null : options.expectUpgradeAuthority;
    const same = wanted === null ? authority === null : authority !== null && authority.equals(wanted);
    checks.add("upgrade_authority", same ? "pass" : "fail", same ? `${describe(authority)}, as expected` : `${describe(authority)}, expected ${describe(wanted)}`);
  } else if (authority === null) checks.add("upgrade_authority", "pass", "none: the program is immutable");
  else checks.add("upgrade_authority", "info", `${authority.toBase58()} can replace the program: confirm it is the council's vault (expectUpgradeAuthority)`);
}

/** The mint's checks; returns the decoded mint (decimals and supply for the Config's checks). */
function checkMint(checks: Checklist, mint: PublicKey, config: PublicKey, account: AccountInfo<Buffer> | null): Mint | null {
  if (!account) {
    checks.add("mint_account", "fail", `no account at ${mint.toBase58()}`);
    return null;
  }
  if (!account.owner.equals(TOKEN_2022_PROGRAM_ID)) {
    checks.add("mint_account", "fail", `owned by ${account.owner.toBase58()}, not Token-2022`);
    return null;
  }
  let state: Mint;
  try {
    state = unpackMint(mint, account, TOKEN_2022_PROGRAM_ID);
  } catch {
    checks.add("mint_account", "fail", "not a Token-2022 mint");
    return null;
  }
  checks.add("mint_account", "pass", `a Token-2022 mint, ${state.decimals} decimals, supply ${tokens(state.supply, state.decimals)}`);
  const found = getExtensionTypes(state.tlvData);
  const missing = MINT_EXTENSIONS.filter((extension) => !found.includes(extension)).map((extension) => ExtensionType[extension]);
  const extra = found.filter((extension) => !MINT_EXTENSIONS.includes(extension)).map((extension) => ExtensionType[extension]);
  const names = found.map((extension) => ExtensionType[extension]).join(", ");
  if (!missing.length && !extra.length) checks.add("mint_extensions", "pass", names);
  else {
    const problems = [...(missing.length ? [`missing ${missing.join(", ")}`] : []), ...(extra.length ? [`not in SPEC 2: ${extra.join(", ")}`] : [])];
    checks.add("mint_extensions", "fail", `${problems.join("; ")} (found: ${names})`);
  }
  const pointer = getMetadataPointerState(state);
  const metadata = getExtensionData(ExtensionType.TokenMetadata, state.tlvData);
  const updateAuthority = metadata && metadata.length >= 32 ? new PublicKey(metadata.subarray(0, 32)) : null;
  checks.expectKey("mint_authority", "the mint authority", state.mintAuthority, config, "Config");
  checks.expectKey("freeze_authority", "the freeze authority", state.freezeAuthority, config, "Config");
  checks.expectKey("pause_authority", "the pause authority", getPausableConfig(state)?.authority, config, "Config");
  checks.expectKey("transfer_hook_authority", "the transfer-hook authority", getTransferHook(state)?.authority, config, "Config");
  checks.expectKey("metadata_pointer_authority", "the metadata-pointer authority", pointer?.authority, config, "Config");
  checks.expectKey("metadata_update_authority", "the metadata update authority", updateAuthority, config, "Config");
  checks.expectKey("permanent_delegate", "the permanent delegate", getPermanentDelegate(state)?.delegate, config, "Config");
  checks.expectKey("transfer_hook_program", "the transfer hook program", getTransferHook(state)?.programId, USD1_PROGRAM_ID, "USD1 program");
  checks.expectKey("metadata_address", "the metadata pointer", pointer?.metadataAddress, mint, "mint itself");
  const defaultState = getDefaultAccountState(state);
  if (!defaultState) checks.add("default_account_state", "fail", "no DefaultAccountState extension");
  else if (defaultState.state === AccountState.Initialized) checks.add("default_account_state", "pass", "new token accounts start initialized (not frozen)");
  else checks.add("default_account_state", "fail", "new token accounts start frozen");
  return state;
}

function checkHookAccountList(checks: Checklist, mint: PublicKey, config: PublicKey, account: AccountInfo<Buffer> | null) {
  const address = extraAccountMetaListAddress(mint).toBase58();
  if (!account) checks.add("hook_account_list", "fail", `no ExtraAccountMetaList at ${address}: every transfer would fail`);
  else if (!account.owner.equals(USD1_PROGRAM_ID)) checks.add("hook_account_list", "fail", `${address} is owned by ${account.owner.toBase58()}, not the USD1 program`);
  else if (!Buffer.from(account.data).equals(expectedExtraAccountMetas(config))) {
    checks.add("hook_account_list", "fail", `${address} differs from the list the program writes (the Config ${config.toBase58()} and its DenylistRegistry)`);
  } else checks.add("hook_account_list", "pass", `the Config ${config.toBase58()} and its DenylistRegistry ${denylistRegistryAddress(config).toBase58()}`);
}

function checkConfig(
  checks: Checklist,
  mint: PublicKey,
  address: PublicKey,
  decodedMint: Mint | null,
  accounts: { configAccount: AccountInfo<Buffer> | null; registry: AccountInfo<Buffer> | null; escrow: AccountInfo<Buffer> | null },
) {
  // The Config's amounts in the mint's decimals (6, USD1's, when the mint did not decode).
  const decimals = decodedMint?.decimals ?? 6;
  const coder = offlineProgram().coder.accounts;
  const { configAccount } = accounts;
  if (!configAccount) return checks.add("config", "fail", `no USD1 Config at ${address.toBase58()}: this mint is not a USD1 deployment`);
  if (!configAccount.owner.equals(USD1_PROGRAM_ID)) return checks.add("config", "fail", `${address.toBase58()} is owned by ${configAccount.owner.toBase58()}, not the USD1 program`);
  let config: any;
  try {
    config = coder.decode("config", configAccount.data);
  } catch (error) {
    return checks.add("config", "fail", `account data is not a USD1 Config: ${error}`);
  }
  if (!config.mint.equals(mint)) return checks.add("config", "fail", `the Config at ${address.toBase58()} names the mint ${config.mint.toBase58()}`);
  checks.add("config", "pass", `the USD1 Config ${address.toBase58()}, event seq ${config.eventSeq.toString()}`);

  const registryAddress = denylistRegistryAddress(address).toBase58();
  let listed: number | null = null;
  try {
    if (accounts.registry?.owner.equals(USD1_PROGRAM_ID)) listed = coder.decode("denylistRegistry", accounts.registry.data).wallets.length;
  } catch {
    listed = null;
  }
  if (listed === null) checks.add("denylist_registry", "fail", `no USD1 DenylistRegistry at ${registryAddress}`);
  else checks.add("denylist_registry", "pass", `${registryAddress}, ${listed} wallet(s) listed`);

  const escrowAddressText = escrowAddress(address).toBase58();
  let escrow = null;
  try {
    if (accounts.escrow?.owner.equals(TOKEN_2022_PROGRAM_ID)) escrow = unpackAccount(escrowAddress(address), accounts.escrow, TOKEN_2022_PROGRAM_ID);
  } catch {
    escrow = null;
  }
  if (escrow && escrow.owner.equals(address) && escrow.mint.equals(mint) && !escrow.isFrozen) {
    checks.add("escrow", "pass", `${escrowAddressText}, owned by the Config, holding ${tokens(escrow.amount, decimals)} tokens`);
  } else if (escrow?.isFrozen) checks.add("escrow", "fail", `${escrowAddressText} is frozen`);
  else checks.add("escrow", "fail", `no Escrow token account of this mint owned by the Config at ${escrowAddressText}`);

  const roles: [string, PublicKey][] = [
    ["admin", config.admin],
    ["master_minter", config.masterMinter],
    ["pauser", config.pauser],
    ["denylister", config.denylister],
    ["burner", config.burner],
    ["attester", config.attester],
    ["onboarder", config.onboarder],
  ];
  const council: PublicKey[] = config.council;
  const problems: string[] = [];
  roles.forEach(([name, key], index) => {
    if (key.equals(PublicKey.default)) return problems.push(`${name} is vacant`);
    if (council.some((member) => member.equals(key))) problems.push(`${name} ${key.toBase58()} is also a council member`);
    for (const [other, otherKey] of roles.slice(0, index)) {
      if (otherKey.equals(key) && !(name === "onboarder" && other === "denylister")) problems.push(`${name} and ${other} share the key ${key.toBase58()}`);
    }
  });
  if (config.pendingAdmin) problems.push(`an admin handover to ${config.pendingAdmin.toBase58()} is pending`);
  const listing = roles.map(([name, key]) => `${name} ${key.toBase58()}`).join("; ");
  checks.add("roles", problems.length ? "fail" : "pass", problems.length ? `${problems.join("; ")} (${listing})` : listing);

  const threshold: number = config.councilThreshold;
  const distinct = new Set(council.map((member) => member.toBase58())).size;
  const described = `${threshold} of ${council.length}: ${council.map((member) => member.toBase58()).join(", ")}`;
  if (threshold < 2) checks.add("council", "fail", `${described}: one key alone can act for the council`);
  else if (threshold > council.length || distinct !== council.length) checks.add("council", "fail", `${described}: the threshold cannot be met by distinct members`);
  else if (threshold === council.length) checks.add("council", "fail", `${described}: every member must approve, so one lost key stalls the council`);
  else checks.add("council", "pass", described);

  const big = (value: { toString(): string }) => BigInt(value.toString());
  checks.add("timelock", "info", `approved proposals wait ${duration(big(config.timelockSecs))}; proposals expire after ${duration(big(config.proposalTtlSecs))}`);
  const cap = config.supplyCap ? `supply cap ${tokens(big(config.supplyCap), decimals)} tokens` : "no supply cap";
  const gate = config.reserveGate ? `reserve gate on (attestations older than ${duration(big(config.attestationMaxAgeSecs))} refused)` : "reserve gate off";
  const onboarding = config.onboardingRequired ? "onboarding required" : "onboarding not required";
  checks.add("limits", "info", `${cap}; ${gate}; ${onboarding}; ${config.activeMinters} active minter(s)`);
  const paused = (["mint", "redeem", "transfers"] as const).filter((scope) => config[`${scope}Paused`]);
  checks.add("pause_flags", paused.length ? "fail" : "pass", paused.length ? `paused: ${paused.join(", ")}` : "nothing paused");

  if (decodedMint) {
    const supply = decodedMint.supply;
    const [minted, burned] = [big(config.totalMinted), big(config.totalBurned)];
    const counted = `minted ${tokens(minted, decimals)} - burned ${tokens(burned, decimals)} tokens`;
    if (minted >= burned && supply <= minted - burned) {
      const outside = minted - burned - supply;
      const note = outside > 0n ? `; ${tokens(outside, decimals)} burned by holders outside the program` : "";
      checks.add("supply", "pass", `supply ${tokens(supply, decimals)} tokens, ${counted}${note}`);
    } else checks.add("supply", "fail", `supply ${tokens(supply, decimals)} tokens exceeds ${counted}`);
  }
}
