// Every calendar feed of the demo firm's portal through ical.js, the parser
// of Thunderbird and many web calendars: each one parses, names clientele,
// and every event is a whole day that ends after it starts, with a unique
// UID and, when the site's address is absolute, an absolute link.

import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import ICAL from "ical.js";
import { buildDemo, scratch } from "./harness.mjs";

/** What is wrong with one feed, as a list of messages (empty when none). */
function problems(name, text, { links }) {
  const found = [];
  let calendar;
  try {
    calendar = new ICAL.Component(ICAL.parse(text));
  } catch (e) {
    return [`${name}: does not parse: ${e.message}`];
  }
  if (calendar.name !== "vcalendar") found.push(`${name}: not a VCALENDAR`);
  if (calendar.getFirstPropertyValue("version") !== "2.0") found.push(`${name}: no VERSION:2.0`);
  const prodid = calendar.getFirstPropertyValue("prodid") ?? "";
  if (!/^-\/\/clientele\/\/clientele \d+\.\d+\.\d+\/\/EN$/.test(prodid)) found.push(`${name}: PRODID ${prodid}`);
  const uids = new Set();
  for (const vevent of calendar.getAllSubcomponents("vevent")) {
    const event = new ICAL.Event(vevent);
    const what = `${name}: ${event.uid}`;
    if (!event.uid) found.push(`${name}: an event without a UID`);
    if (uids.has(event.uid)) found.push(`${what}: UID used twice`);
    uids.add(event.uid);
    if (!event.startDate?.isDate) found.push(`${what}: not an all-day event`);
    if (!event.endDate || event.endDate.compare(event.startDate) <= 0) {
      found.push(`${what}: ends ${event.endDate} before or when it starts ${event.startDate}`);
    } else if (event.duration.toSeconds() !== 86400) {
      found.push(`${what}: lasts ${event.duration}, not one day`);
    }
    if (!vevent.getFirstPropertyValue("dtstamp")) found.push(`${what}: no DTSTAMP`);
    const url = vevent.getFirstPropertyValue("url");
    if (url !== null && !links) found.push(`${what}: a link (${url}) though the site's address is not absolute`);
    if (url !== null && links && !/^https:\/\/intranet\.example\/portal\/clients\/[^/]+\.html$/.test(url)) {
      found.push(`${what}: link ${url} is not absolute`);
    }
  }
  return found;
}

/** Every feed a build wrote, checked. */
function checkBuild(out, options) {
  const dir = join(out, "calendar");
  const files = readdirSync(dir).filter((f) => f.endsWith(".ics"));
  const found = files.flatMap((f) => problems(f, readFileSync(join(dir, f), "utf8"), options));
  const events = files
    .map((f) => readFileSync(join(dir, f), "utf8").split("BEGIN:VEVENT").length - 1)
    .reduce((a, b) => a + b, 0);
  return { files, found, events };
}

for (const [label, extra, links] of [
  ["at an absolute address", ["--base-url", "https://intranet.example/portal/"], true],
  ["at a path", ["--base-url", "/portal/"], false],
]) {
  test(`every feed of a build served ${label} parses as RFC 5545 whole-day events`, () => {
    const tmp = scratch();
    try {
      const out = join(tmp.dir, "site");
      buildDemo(out, extra);
      const { files, found, events } = checkBuild(out, { links });
      assert.deepEqual(found, []);
      // The firm's feed and one per person, the people without events too.
      const people = readdirSync(join(process.env.CLIENTELE_CONTENT, "team")).filter((f) => f.endsWith(".yaml"));
      assert.equal(files.length, people.length + 1);
      assert.ok(events > 20, `only ${events} events`);
      const empty = files.filter((f) => !readFileSync(join(out, "calendar", f), "utf8").includes("BEGIN:VEVENT"));
      assert.ok(empty.length > 0, "the demo has someone with nothing due, whose feed must still parse");
    } finally {
      tmp.remove();
    }
  });
}

// The control: the checks above report the feeds this build wrote before.
test("a zero-length all-day event, a relative link and another PRODID are reported", () => {
  const old = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:ICALENDAR-RS",
    "BEGIN:VEVENT",
    "UID:review-a@clientele",
    "DTSTAMP:20261122T000000Z",
    "DTSTART;VALUE=DATE:20261201",
    "DTEND;VALUE=DATE:20261201",
    "URL:/portal/clients/a.html",
    "END:VEVENT",
    "END:VCALENDAR",
    "",
  ].join("\r\n");
  const found = problems("old.ics", old, { links: true });
  assert.equal(found.length, 3, found.join("\n"));
  assert.match(found[0], /PRODID/);
  assert.match(found[1], /ends .* before or when it starts/);
  assert.match(found[2], /not absolute/);
  assert.match(problems("bad.ics", "BEGIN:VCALENDAR\r\nnot a line\r\n", { links: false })[0], /does not parse/);
});
