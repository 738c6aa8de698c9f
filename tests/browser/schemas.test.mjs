// The JSON Schemas in schemas/ through ajv in strict mode, the validator
// most editors and CI tools build on: each compiles with no unknown
// keyword or format, every file of the demo firm passes its schema, and
// the bounds the README states are enforced.

import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import YAML from "yaml";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../..");
const CONTENT = process.env.CLIENTELE_CONTENT ?? join(ROOT, "content");

function strictAjv() {
  // strict: unknown keywords, unknown formats, ignored keywords and
  // ambiguous types are errors, not warnings.
  const ajv = new Ajv({ strict: true, strictTypes: true, strictTuples: true, allErrors: true, allowUnionTypes: true });
  addFormats(ajv);
  return ajv;
}

function schema(name) {
  return JSON.parse(readFileSync(join(ROOT, "schemas", `${name}.schema.json`), "utf8"));
}

/** A Markdown file's front matter, as clientele reads it. */
function frontMatter(path) {
  const text = readFileSync(path, "utf8");
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n/.exec(text);
  assert.ok(match, `${path} has front matter`);
  return YAML.parse(match[1]);
}

const yaml = (path) => YAML.parse(readFileSync(path, "utf8"));
const listing = (dir, ext) => {
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith(ext))
      .map((f) => join(dir, f));
  } catch {
    return [];
  }
};

test("every schema compiles in ajv's strict mode", () => {
  const names = readdirSync(join(ROOT, "schemas")).filter((f) => f.endsWith(".schema.json"));
  assert.equal(names.length, 9);
  const ids = new Set();
  for (const file of names) {
    const s = schema(file.replace(".schema.json", ""));
    assert.match(s.$id ?? "", /^urn:clientele:schema:[a-z-]+$/, file);
    ids.add(s.$id);
    strictAjv().compile(s);
  }
  assert.equal(ids.size, names.length, "one $id each");
});

test("every file of the demo firm passes its schema", () => {
  const files = [
    ["firm", join(CONTENT, "firm.yaml"), yaml],
    ["charter", join(CONTENT, "charter.yaml"), yaml],
    ["strategy", join(CONTENT, "strategy.yaml"), yaml],
    ...listing(join(CONTENT, "team"), ".yaml").map((f) => ["person", f, yaml]),
    ...listing(join(ROOT, "examples/imports"), ".yaml").map((f) => ["import-map", f, yaml]),
  ];
  for (const id of readdirSync(join(CONTENT, "clients"))) {
    const dir = join(CONTENT, "clients", id);
    files.push(["client", join(dir, "client.yaml"), yaml]);
    for (const plan of listing(dir, "plan.md")) files.push(["plan", plan, frontMatter]);
    for (const note of listing(join(dir, "activities"), ".md")) files.push(["activity", note, frontMatter]);
    for (const review of listing(join(dir, "reviews"), ".md")) files.push(["review", review, frontMatter]);
  }
  const validators = {};
  const failures = [];
  for (const [kind, path, read] of files) {
    validators[kind] ??= strictAjv().compile(schema(kind));
    const validate = validators[kind];
    // Dates are compared as text, as YAML 1.2's core schema reads them.
    const data = JSON.parse(JSON.stringify(read(path)));
    if (!validate(data)) failures.push(`${path}: ${JSON.stringify(validate.errors)}`);
  }
  assert.ok(files.length > 200, `${files.length} files`);
  assert.deepEqual(failures, []);
});

test("the bounds the README states are in the schemas", () => {
  const firm = strictAjv().compile(schema("firm"));
  const base = { name: "Kestrel" };
  assert.ok(firm({ ...base, fiscal_year_start_month: 4 }));
  for (const month of [0, 13, 1.5]) {
    assert.equal(firm({ ...base, fiscal_year_start_month: month }), false, `month ${month}`);
  }
  const client = strictAjv().compile(schema("client"));
  assert.ok(client({ name: "Acme", wallet_size: 0 }));
  assert.ok(client({ name: "Acme", wallet_size: 2500000 }));
  assert.equal(client({ name: "Acme", wallet_size: -5 }), false);
  const charter = strictAjv().compile(schema("charter"));
  const tier = (target) => ({
    tiers: [{ id: "key", name: "Key", review_cadence: "quarterly", service: [{ what: "Visit", who: "owner", measure: "A visit", target }] }],
  });
  assert.ok(charter(tier({ count: ["meeting"], per: "quarter", at_least: 1, by: "owner" })), JSON.stringify(charter.errors));
  assert.equal(charter(tier({ count: ["meeting"], at_least: 0 })), false, "at_least: 0 asks for nothing");
});

// The control: a schema as schemars writes it, with its `uint32` format,
// is refused in strict mode.
test("a non-standard format is refused", () => {
  assert.throws(
    () => strictAjv().compile({ type: "object", properties: { n: { type: "integer", format: "uint32" } } }),
    /unknown format "uint32"/,
  );
});
