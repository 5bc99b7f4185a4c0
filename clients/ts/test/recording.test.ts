// A `usd1 drill run --record` recording (scripts/ts-fixtures.sh): every event's raw bytes
// decode here to what the Rust side recorded beside them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { decodeEventData, findSeqGaps } from "../src/index.js";
import { rustJson } from "./helpers.js";

const lines = readFileSync(new URL("./fixtures/recording.jsonl", import.meta.url), "utf8").trim().split("\n").map((line) => JSON.parse(line));

test("every recorded event decodes from its raw bytes to the recorded values", () => {
  const decoded = [];
  for (const line of lines) {
    for (const recorded of line.events) {
      const event = decodeEventData(Buffer.from(recorded.raw, "base64"));
      assert.ok(event, `event ${recorded.event} did not decode`);
      assert.equal(event.name, recorded.event);
      assert.equal(event.seq, BigInt(recorded.seq));
      const fields = rustJson(event.data) as Record<string, unknown>;
      for (const [name, value] of Object.entries(recorded)) {
        if (name === "event" || name === "raw") continue;
        if (name === "kind" || name === "destination") {
          // Enum payloads: the Rust JSON renames some fields (`to`, `"burn"`); the variant must match.
          const variant = typeof value === "string" ? value : Object.keys(value as object)[0];
          const actual = fields[name];
          const actualVariant = typeof actual === "string" ? actual : Object.keys(actual as object)[0];
          if (name === "kind") assert.equal(actualVariant, variant, `${recorded.event}.${name}`);
          continue;
        }
        assert.deepEqual(fields[name], value, `${recorded.event}.${name}`);
      }
      decoded.push(event);
    }
  }
  assert.ok(decoded.length >= 10, "the recording holds a whole drill's events");
  assert.ok(decoded.some((event) => event.name === "Seized"));
  assert.deepEqual(findSeqGaps(decoded), [], "a whole drill's events have no gap");
});
