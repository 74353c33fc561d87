// Every page, as the public and as a signed-in administrator, in both languages: axe-core finds
// no WCAG 2.1 A/AA violation, and no page asks anything of another server.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, launch, newPage, axe, signIn } from "./harness.mjs";

let server;
let browser;
before(async () => {
  server = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

const PUBLIC = [
  "/",
  "/libraries",
  "/libraries?municipality=KNL29&category=e-health",
  "/libraries/705",
  "/libraries/732",
  "/partners",
  "/events",
  "/reports",
  "/reports/district?district=KNL&year=2012",
  "/reports/matrix?district=KNL&year=2012",
  "/reports/coverage?district=KNL",
  "/reports/target-groups?district=KNL",
  "/reports/volunteers",
  "/reports/partners",
  "/login",
  "/no-such-page",
];
const SIGNED_IN = ["/import", "/account", "/admin/users", "/admin/audit", "/events/new", "/libraries/732/services/new"];

async function firstLink(page, prefix) {
  const href = await page.getAttribute(`main a[href^="${prefix}"]`, "href");
  return href;
}

for (const locale of ["bg-BG", "en-GB"]) {
  test(`public pages pass axe (${locale})`, async () => {
    const page = await newPage(browser, server, { locale });
    const paths = [...PUBLIC];
    await page.goto(server.url + "/libraries/705");
    paths.push(await firstLink(page, "/services/"));
    await page.goto(server.url + "/partners");
    paths.push(await firstLink(page, "/partners/"));
    await page.goto(server.url + "/events");
    const event = await firstLink(page, "/events/");
    paths.push(event, `${event}/report`);
    const failures = [];
    for (const p of paths) {
      await page.goto(server.url + p);
      const v = await axe(page);
      if (v.length) failures.push({ page: p, violations: v });
    }
    assert.deepEqual(failures, []);
    assert.deepEqual(page.foreign(), []);
  });
}

test("signed-in pages pass axe", async () => {
  const page = await newPage(browser, server);
  await signIn(page, server, "admin", server.adminPassword);
  const failures = [];
  for (const p of SIGNED_IN) {
    const res = await page.goto(server.url + p);
    assert.ok(res.status() < 400, `${p} answered ${res.status()}`);
    const v = await axe(page);
    if (v.length) failures.push({ page: p, violations: v });
  }
  assert.deepEqual(failures, []);
});
