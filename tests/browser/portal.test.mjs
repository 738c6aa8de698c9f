// The portal as a user sees it in Chromium, served live by `clientele serve`
// from a copy of the demo firm: navigation, search, the metrics table, a
// phone-width layout, console errors, accessibility (axe-core) and live
// reload with the error overlay.

import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { PAGES, copyDemo, launch, open, scratch, serve } from "./harness.mjs";

const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const CLIENT = "clients/widecombe-industrial.html";
const CLIENT_NAME = "Widecombe Industrial Holdings";

let tmp, content, server, browser, context;

before(async () => {
  tmp = scratch();
  content = copyDemo(tmp.dir);
  server = await serve(content);
  browser = await launch();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
});

after(async () => {
  await browser?.close();
  server?.stop();
  tmp?.remove();
});

/** Fails with every console error, failed request and uncaught exception. */
function assertClean(errors) {
  assert.deepEqual(errors, [], `the page reported errors:\n${errors.join("\n")}`);
}

test("the dashboard reaches a client in two clicks", async () => {
  const { page, errors } = await open(context);
  await page.goto(server.url);
  await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "Priority list" }).click();
  await page.waitForURL(/priority\.html$/);
  await page.getByRole("link", { name: CLIENT_NAME, exact: true }).first().click();
  await page.waitForURL(new RegExp(`${CLIENT.replace(".", "\\.")}$`));
  assert.match(await page.getByRole("heading", { level: 1 }).innerText(), new RegExp(`^${CLIENT_NAME}`));
  assertClean(errors);
  await page.close();
});

test("search finds a client by part of its name", async () => {
  const { page, errors } = await open(context);
  await page.goto(server.url);
  const box = page.getByRole("searchbox", { name: "Search clients, people and notes" });
  await box.fill("combe ind");
  await box.press("Enter");
  await page.waitForURL(/search\.html\?q=combe/);
  const hit = page.locator("#search-results").getByRole("link", { name: CLIENT_NAME, exact: true });
  await hit.waitFor({ state: "visible", timeout: 10_000 });
  // Typing refines the results without reloading.
  const input = page.locator("#search-q");
  await input.fill("caledonia");
  await page.locator("#search-results").getByRole("link", { name: "Caledonia Life Assurance" }).waitFor();
  assert.equal(await hit.count(), 0, "results follow what is typed");
  await input.fill("widecombe");
  await hit.click();
  await page.waitForURL(new RegExp(`${CLIENT.replace(".", "\\.")}$`));
  assertClean(errors);
  await page.close();
});

test("the quarterly metrics table is visible on the client page", async () => {
  const { page, errors } = await open(context);
  await page.goto(server.url + CLIENT + "#metrics");
  const table = page.locator("#metrics table").first();
  await table.waitFor({ state: "visible" });
  assert.ok(await table.isVisible(), "metrics table is visible");
  const headers = await table.locator("thead th").allInnerTexts();
  for (const quarter of ["Q1", "Q2", "Q3", "Q4"]) {
    assert.ok(headers.some((h) => h.includes(quarter)), `a ${quarter} column in ${headers.join(" | ")}`);
  }
  const rows = await table.locator("tbody tr").count();
  assert.ok(rows >= 4, `the table has its metric rows (found ${rows})`);
  const box = await table.boundingBox();
  assert.ok(box && box.width > 300 && box.height > 100, `the table has a real size: ${JSON.stringify(box)}`);
  assertClean(errors);
  await page.close();
});

/** How wide the page's content is against the window it is shown in. */
function measure() {
  return { scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth };
}

test("no page scrolls sideways at 390px wide", async () => {
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const wide = [];
  for (const path of PAGES) {
    const { page, errors } = await open(phone);
    await page.goto(server.url + path);
    const { scroll, client } = await page.evaluate(measure);
    if (scroll > client) wide.push(`${path}: ${scroll}px of content in a ${client}px window`);
    assertClean(errors);
    await page.close();
  }
  // The control: a block wider than the phone is caught by the same measure.
  const { page } = await open(phone);
  await page.goto(server.url);
  await page.evaluate(() => {
    const block = document.createElement("div");
    block.style.width = "600px";
    block.textContent = "wide";
    document.querySelector("main").append(block);
  });
  const control = await page.evaluate(measure);
  assert.ok(control.scroll > control.client, `the measure sees a 600px block: ${JSON.stringify(control)}`);
  await phone.close();
  assert.deepEqual(wide, [], wide.join("\n"));
});

test("no page logs console errors and axe finds no serious or critical violations", async () => {
  const found = [];
  for (const path of PAGES) {
    const { page, errors } = await open(context);
    await page.goto(server.url + path);
    await page.waitForLoadState("networkidle").catch(() => {});
    // The page's policy allows only the reload script's nonce: axe runs
    // under the same nonce, so the policy stays on while it is checked.
    await page.evaluate((source) => {
      const script = document.createElement("script");
      script.nonce = document.querySelector("script[nonce]").nonce;
      script.textContent = source;
      document.head.appendChild(script);
    }, AXE);
    const violations = await page.evaluate(async () => {
      const result = await window.axe.run(document, { resultTypes: ["violations"] });
      return result.violations
        .filter((v) => v.impact === "serious" || v.impact === "critical")
        .map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
    });
    found.push(...violations.map((v) => `${path}: ${v}`), ...errors);
    await page.close();
  }
  assert.deepEqual(found, [], found.join("\n"));
});

test("an edit reloads the page, a broken edit shows the overlay and the fix removes it", async () => {
  const { page, errors } = await open(context);
  await page.goto(server.url + CLIENT);
  const folder = join(content, "clients", "widecombe-industrial");
  // A tab on a page the edit does not change stays as it is.
  const other = await open(context);
  await other.page.goto(server.url + "clients/caledonia-life.html");
  await other.page.evaluate(() => {
    window.notReloaded = true;
  });

  // A new call report appears on the open page without touching the browser.
  const title = "Hedging workshop agreed with Peter Gurney";
  writeFileSync(
    join(folder, "activities", "2026-11-20-call.md"),
    `---\ndate: 2026-11-20\ntype: call\nby: lchen\ntitle: ${title}\ncontacts: [Peter Gurney]\nreported: 2026-11-20\n---\n\nPeter asked for a workshop on hedging the US expansion.\n\n## Discussion\n\nThe brokers review is done.\n\n## Outcome\n\nA workshop in January.\n\n## Next steps\n\n- Send dates for the workshop.\n`,
  );
  await page.getByText(title).first().waitFor({ state: "visible", timeout: 20_000 });
  await page.waitForTimeout(1500);
  assert.equal(await other.page.evaluate(() => window.notReloaded), true, "an unchanged page was reloaded");
  assertClean(other.errors);
  await other.page.close();

  // A broken client.yaml keeps the last good page and shows the overlay.
  const yaml = join(folder, "client.yaml");
  const good = readFileSync(yaml, "utf8");
  writeFileSync(yaml, good.replace("tier: key", "tier: [key"));
  const overlay = page.locator("#clientele-overlay");
  await overlay.waitFor({ state: "visible", timeout: 20_000 });
  const text = await overlay.innerText();
  assert.match(text, /client\.yaml/, `the overlay names the file: ${text}`);
  assert.match(await page.getByRole("heading", { level: 1 }).innerText(), new RegExp(`^${CLIENT_NAME}`), "the last good page stays");

  // Fixing it reloads the page without the overlay.
  writeFileSync(yaml, good);
  await overlay.waitFor({ state: "detached", timeout: 20_000 });
  await page.getByText(title).first().waitFor({ state: "visible" });
  assertClean(errors);
  await page.close();
});
