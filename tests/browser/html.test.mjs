// Every HTML page of the demo firm's portal, in both audiences, through the
// Nu Html Checker (vnu-jar): no errors allowed.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { test } from "node:test";
import { buildDemo, scratch } from "./harness.mjs";

const VNU = createRequire(import.meta.url).resolve("vnu-jar/build/dist/vnu.jar");

for (const audience of ["full", "wide"]) {
  test(`the Nu Html Checker finds no errors in the ${audience} build`, () => {
    const tmp = scratch();
    try {
      const out = join(tmp.dir, "site");
      buildDemo(out, ["--audience", audience]);
      const run = spawnSync("java", ["-jar", VNU, "--errors-only", "--format", "json", "--skip-non-html", out], {
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
      });
      assert.ok(run.error === undefined, `could not run java: ${run.error}`);
      const report = JSON.parse(run.stderr || run.stdout);
      const errors = report.messages
        .filter((m) => m.type === "error" || m.subType === "fatal")
        .map((m) => `${m.url.replace(`file:${out}/`, "")}:${m.lastLine}:${m.lastColumn}: ${m.message}`);
      assert.deepEqual(errors, [], `${errors.length} errors:\n${errors.slice(0, 40).join("\n")}`);
      assert.equal(run.status, 0, `vnu exited with ${run.status}: ${run.stderr}`);
    } finally {
      tmp.remove();
    }
  });
}

// The control: the same command on a broken page reports it, so the checks
// above can fail.
test("the Nu Html Checker reports a broken page", () => {
  const tmp = scratch();
  try {
    const page = join(tmp.dir, "broken.html");
    writeFileSync(page, "<!DOCTYPE html><html lang=en><title>x</title><p><div></span></html>");
    const run = spawnSync("java", ["-jar", VNU, "--errors-only", "--format", "json", page], { encoding: "utf8" });
    const report = JSON.parse(run.stderr);
    assert.ok(report.messages.some((m) => m.type === "error"), run.stderr);
    assert.notEqual(run.status, 0);
  } finally {
    tmp.remove();
  }
});
