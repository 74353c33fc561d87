// Shared set-up of the browser tests: a lipa server on a free loopback port with a fresh database
// and the demo data, and Debian's headless Chromium driven by playwright-core. Nothing here
// reaches beyond 127.0.0.1; the server and the browser stop when the test file ends.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
export const LIPA_BIN = process.env.LIPA_BIN || new URL("../../target/debug/lipa", import.meta.url).pathname;

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

/** Starts `lipa serve --demo` on a fresh database; resolves when it answers. */
export async function startServer() {
  const dir = mkdtempSync(join(tmpdir(), "lipa-browser-"));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(LIPA_BIN, ["--db", join(dir, "lipa.db"), "serve", "--demo", "--addr", `127.0.0.1:${port}`], {
    env: { ...process.env, LIPA_LANG: "en", LIPA_LOG: "warn" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`lipa exited early:\n${output}`);
    try {
      const res = await fetch(url + "/");
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`lipa did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 150));
  }
  const m = output.match(/one-time password: (\S+)/);
  return {
    url,
    dir,
    adminPassword: m ? m[1] : null,
    output: () => output,
    async stop() {
      child.kill("SIGTERM");
      await new Promise((r) => (child.exitCode !== null ? r() : child.once("exit", r)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Debian's Chromium, headless, with no background traffic. */
export async function launch() {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-quic", "--no-first-run", "--disable-sync"],
  });
}

/**
 * A page that records every request; `foreign()` lists the ones that left the server.
 * `bypassCSP` lets axe-core be injected; the app's own CSP is tested in Rust.
 */
export async function newPage(browser, server, { locale = "bg-BG", acceptDownloads = false } = {}) {
  const context = await browser.newContext({ locale, bypassCSP: true, acceptDownloads, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const requests = [];
  page.on("request", (r) => requests.push(r.url()));
  page.foreign = () => requests.filter((u) => !u.startsWith(server.url) && !u.startsWith("data:") && u !== "about:blank");
  return page;
}

const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

/** Runs axe-core on the page; returns the violations (WCAG 2.1 A and AA rules). */
export async function axe(page) {
  await page.evaluate(AXE);
  const result = await page.evaluate(async () =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] } }),
  );
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
  }));
}

/**
 * Signs in through the form. A one-time password (the first admin's, or one made on the users
 * page) lands on the account page, which asks for a password of one's own: unless
 * `keepOneTime`, this chooses one there and remembers it for the next sign-in of that login.
 */
export async function signIn(page, server, login, password, { keepOneTime = false } = {}) {
  server.chosen ??= {};
  const current = server.chosen[login] ?? password;
  await page.goto(server.url + "/login");
  await page.fill("#login", login);
  await page.fill("#password", current);
  await Promise.all([page.waitForNavigation(), page.click("main button[type=submit]")]);
  const mustChange = new URL(page.url()).pathname === "/account" && (await page.$("main [role=alert]")) !== null;
  if (mustChange && !keepOneTime) {
    const own = `${login}: a long password of my own`;
    await page.fill("#current_password", current);
    await page.fill("#new_password", own);
    await page.fill("#confirm_password", own);
    await Promise.all([page.waitForNavigation(), page.click("form[action='/account/password'] button[type=submit]")]);
    if (!page.url().endsWith("/account?done=password")) throw new Error(`password change failed at ${page.url()}`);
    server.chosen[login] = own;
  }
}
