// `clientele check --format sarif` through Microsoft's SARIF Multitool, the
// validator GitHub's code-scanning documentation points to: the official
// SARIF 2.1.0 schema it bundles, its SARIF rules and its GitHub rule set
// (what code scanning requires of an upload). No error may be reported.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { copyDemo, scratch, TODAY } from "./harness.mjs";

const BIN = process.env.CLIENTELE_BIN;
const require = createRequire(import.meta.url);
const MULTITOOL = join(dirname(require.resolve("@microsoft/sarif-multitool-linux/package.json")), "Sarif.Multitool");

// What the validator may still say, and why.
const ACCEPTED = {
  // informationUri names where to learn about the tool: it is written from
  // Cargo.toml's `homepage`, which clientele sets once it has a public one.
  SARIF2005: "no informationUri",
};

/** The validator's findings on `file`: [{ id, level, message }]. */
function validate(file, dir) {
  // npm installs packages without running their scripts here, and the
  // package's only script makes its binary executable.
  chmodSync(MULTITOOL, 0o755);
  const report = join(dir, "validation.sarif");
  const run = spawnSync(
    MULTITOOL,
    ["validate", file, "--rule-kind", "Sarif;Gh", "--output", report, "--log", "ForceOverwrite"],
    { encoding: "utf8", env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: "1", DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: "1" } },
  );
  assert.equal(run.error, undefined, `could not run the SARIF Multitool: ${run.error}`);
  assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
  const log = JSON.parse(readFileSync(report, "utf8"));
  return log.runs.flatMap((r) =>
    (r.results ?? []).map((x) => ({ id: x.ruleId, level: x.level ?? "warning", message: x.message?.text ?? "" })),
  );
}

function check(content, out) {
  const run = spawnSync(BIN, ["check", ".", "--today", TODAY, "--format", "sarif"], {
    cwd: content,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", GITHUB_ACTIONS: "" },
  });
  writeFileSync(out, run.stdout);
  return run.status;
}

for (const [label, breakIt, status] of [
  ["the demo firm's warnings", () => {}, 0],
  [
    "an input problem and rule errors",
    (content) => {
      const note = join(content, "clients/widecombe-industrial/activities/2026-01-26-meeting.md");
      writeFileSync(note, readFileSync(note, "utf8").replace("type: meeting", "type: meting"));
      const client = join(content, "clients/widecombe-industrial/client.yaml");
      writeFileSync(client, readFileSync(client, "utf8").replace(/owner: \w+/, "owner: somebody-gone"));
    },
    2,
  ],
]) {
  test(`the SARIF of ${label} passes the SARIF Multitool with GitHub's rules`, () => {
    const tmp = scratch();
    try {
      const content = copyDemo(tmp.dir);
      // In a repository, so locations are relative to %SRCROOT%.
      assert.equal(spawnSync("git", ["init", "-q"], { cwd: tmp.dir }).status, 0);
      breakIt(content);
      const file = join(tmp.dir, "check.sarif");
      assert.equal(check(content, file), status);
      const log = JSON.parse(readFileSync(file, "utf8"));
      assert.ok(log.runs[0].results.length > 0);
      assert.match(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri, /^content\/clients\//);
      const found = validate(file, tmp.dir).filter((f) => !(f.id in ACCEPTED));
      assert.deepEqual(found, []);
    } finally {
      tmp.remove();
    }
  });
}

// The control: what clientele wrote before is refused.
test("a rule without fullDescription and a file URI are refused", () => {
  const tmp = scratch();
  try {
    const file = join(tmp.dir, "old.sarif");
    writeFileSync(
      file,
      JSON.stringify({
        $schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: [
          {
            tool: { driver: { name: "clientele", rules: [{ id: "task-owner", shortDescription: { text: "x" } }] } },
            results: [
              {
                ruleId: "task-owner",
                ruleIndex: 0,
                level: "error",
                message: { text: "no owner" },
                locations: [
                  {
                    physicalLocation: {
                      artifactLocation: { uri: "file:///home/someone/plans/clients/a/plan.md" },
                      region: { startLine: 3, startColumn: 1 },
                    },
                  },
                ],
              },
            ],
          },
        ],
      }),
    );
    const ids = validate(file, tmp.dir)
      .filter((f) => f.level === "error")
      .map((f) => f.id);
    assert.ok(ids.includes("GH2012"), `no fullDescription: ${ids}`);
  } finally {
    tmp.remove();
  }
});
