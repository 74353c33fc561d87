// Accounts and administration in a real browser, without JavaScript help: the first admin signs
// in with the one-time password, creates a librarian (a form with errors first), the librarian
// signs in with the password shown once and changes it, creates and revokes an API token; the
// admin reads the audit log and a record's history. axe-core checks every page on the way,
// including the pages that show form errors, in both languages.
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

async function submit(page, selector) {
  await Promise.all([page.waitForNavigation(), page.click(selector)]);
}

async function noViolations(page, failures) {
  const v = await axe(page);
  if (v.length) failures.push({ page: page.url(), violations: v });
}

test("an admin creates a librarian, who changes the password and manages tokens", async () => {
  const failures = [];
  const admin = await newPage(browser, server, { locale: "bg-BG" });
  await signIn(admin, server, "admin", server.adminPassword);

  await admin.goto(server.url + "/admin");
  await noViolations(admin, failures);
  await admin.click("a[href='/admin/users']");
  await admin.waitForURL("**/admin/users");
  await noViolations(admin, failures);
  await admin.goto(server.url + "/admin/users/new");
  await noViolations(admin, failures);

  // A bad login and a library that does not exist: the summary links to both fields.
  await admin.fill("#login", "Мария");
  await admin.fill("#display_name", "Мария Петрова");
  await admin.check("#role-librarian");
  await admin.fill("#library", "9999");
  await submit(admin, "form[action='/admin/users'] button[type=submit]");
  const links = await admin.$$eval(".error-summary a", (as) => as.map((a) => a.getAttribute("href")));
  assert.deepEqual(links, ["#login", "#library"]);
  await noViolations(admin, failures);

  await admin.fill("#login", "maria");
  await admin.fill("#library", "705");
  await submit(admin, "form[action='/admin/users'] button[type=submit]");
  const oneTime = await admin.inputValue("#password");
  assert.match(oneTime, /^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
  await noViolations(admin, failures);

  const librarian = await newPage(browser, server, { locale: "en-GB" });
  await signIn(librarian, server, "maria", oneTime, { keepOneTime: true });
  // A one-time password opens the account page only, which asks for a password of her own.
  await librarian.goto(server.url + "/libraries");
  assert.ok(librarian.url().endsWith("/account"), librarian.url());
  assert.match(await librarian.textContent("main [role=alert]"), /one-time password/);
  assert.match(await librarian.textContent("dl.summary"), /Librarian/);
  await noViolations(librarian, failures);

  // A mismatch first, then the change.
  await librarian.fill("#current_password", oneTime);
  await librarian.fill("#new_password", "a long and private phrase");
  await librarian.fill("#confirm_password", "a long and private phrasE");
  await submit(librarian, "form[action='/account/password'] button[type=submit]");
  assert.equal(await librarian.getAttribute(".error-summary a", "href"), "#confirm_password");
  await noViolations(librarian, failures);
  await librarian.fill("#current_password", oneTime);
  await librarian.fill("#new_password", "a long and private phrase");
  await librarian.fill("#confirm_password", "a long and private phrase");
  await submit(librarian, "form[action='/account/password'] button[type=submit]");
  assert.ok(librarian.url().endsWith("/account?done=password"));
  assert.ok(await librarian.isVisible(".notice"));

  await librarian.fill("#token_name", "monthly report");
  await submit(librarian, "form[action='/account/tokens'] button[type=submit]");
  const token = await librarian.inputValue("#token");
  assert.match(token, /^lipa_/);
  await noViolations(librarian, failures);
  const api = await fetch(server.url + "/account", { headers: { authorization: `Bearer ${token}` } });
  assert.equal(api.status, 200);
  await librarian.goto(server.url + "/account");
  await submit(librarian, "form[action$='/revoke'] button[type=submit]");
  const revoked = await fetch(server.url + "/account", { headers: { authorization: `Bearer ${token}` } });
  assert.equal(revoked.status, 401);
  await noViolations(librarian, failures);

  // The librarian may not administer.
  const forbidden = await librarian.goto(server.url + "/admin/users");
  assert.equal(forbidden.status(), 403);

  // The admin sees all of it in the audit log, and a record's history.
  await admin.goto(server.url + "/admin/audit?entity=user");
  assert.ok((await admin.$$("li.audit-entry")).length >= 3);
  await noViolations(admin, failures);
  await admin.goto(server.url + "/admin/audit?from=6.6.2012");
  assert.equal(await admin.getAttribute(".error-summary a", "href"), "#from");
  await noViolations(admin, failures);
  await admin.goto(server.url + "/history/library/705");
  assert.ok((await admin.$$("li.audit-entry")).length >= 1);
  await noViolations(admin, failures);
  assert.equal((await admin.$$("main a[href^='/history/']")).length, 0, "a history does not link to itself");
  await admin.goto(server.url + "/admin/users");
  await admin.click("table.users a:text-is('maria')");
  await admin.waitForURL(/\/admin\/users\/\d+$/);
  await noViolations(admin, failures);

  assert.deepEqual(failures, []);
  assert.deepEqual([...admin.foreign(), ...librarian.foreign()], []);
});
