// Shared by the browser tests: the clientele binary, a copy of the demo
// firm, `clientele serve` on a free port, and Debian's Chromium.
//
// Run through `cargo test --test browser`, which sets CLIENTELE_BIN and
// CLIENTELE_CONTENT. CHROMIUM overrides /usr/bin/chromium.

import { spawn, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

export const TODAY = "2026-11-22";
const BIN = required("CLIENTELE_BIN");
const CONTENT = required("CLIENTELE_CONTENT");

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; run these tests with cargo test --test browser`);
  return value;
}

/** A scratch folder, removed by the returned function. */
export function scratch() {
  const dir = mkdtempSync(join(tmpdir(), "clientele-browser-"));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The demo firm copied into `dir`, so tests can edit it. */
export function copyDemo(dir) {
  const content = join(dir, "content");
  cpSync(CONTENT, content, { recursive: true });
  return content;
}

/** `clientele build` of the demo firm into `out`. */
export function buildDemo(out, extra = []) {
  const run = spawnSync(BIN, ["build", CONTENT, "--today", TODAY, "--out", out, ...extra], {
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  if (run.status !== 0) throw new Error(`clientele build failed (${run.status}):\n${run.stderr}`);
}

/**
 * `clientele serve` on a free loopback port. Resolves once the server says
 * where it listens and that it watches for changes.
 */
export function serve(content) {
  const child = spawn(BIN, ["serve", content, "--port", "0", "--today", TODAY], {
    env: { ...process.env, NO_COLOR: "1" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let log = "";
  return new Promise((resolve, reject) => {
    let url = null;
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`serve did not start within 60 s:\n${log}`));
    }, 60_000);
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk) => {
      log += chunk;
      url ??= log.match(/http:\/\/127\.0\.0\.1:\d+\/\S*/)?.[0] ?? null;
      if (url && /watching .* for changes/.test(log)) {
        clearTimeout(timer);
        resolve({ url, log: () => log, stop: () => child.kill() });
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}:\n${log}`));
    });
  });
}

/** Debian's Chromium, headless, with nothing that calls out of the machine. */
export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/**
 * A new page that records console errors and uncaught exceptions, so a
 * test can assert there were none.
 */
export async function open(context) {
  const page = await context.newPage();
  const errors = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") errors.push(`${page.url()}: console: ${msg.text()}`);
  });
  page.on("pageerror", (err) => errors.push(`${page.url()}: uncaught: ${err.message}`));
  page.on("requestfailed", (req) => {
    // Leaving a page aborts its live-reload connection; that is not an error.
    if (req.failure()?.errorText !== "net::ERR_ABORTED") {
      errors.push(`${page.url()}: request failed: ${req.url()} ${req.failure()?.errorText}`);
    }
  });
  page.on("response", (res) => {
    if (res.status() >= 400) errors.push(`${page.url()}: ${res.status()} for ${res.url()}`);
  });
  return { page, errors };
}

/** One page of each kind the portal has, relative to the site root. */
export const PAGES = [
  "index.html",
  "priority.html",
  "clients.html",
  "clients/widecombe-industrial.html",
  "clients/aurora-sovereign.html",
  "people.html",
  "people/lchen.html",
  "reviews.html",
  "metrics.html",
  "strategy.html",
  "charter.html",
  "segments.html",
  "benchmarks.html",
  "validation.html",
  "search.html?q=widecombe",
];
