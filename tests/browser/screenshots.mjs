// Takes screenshots of the main pages (desktop and phone) into ../../screenshots/ for a person to
// look at: `LIPA_BIN=target/debug/lipa node tests/browser/screenshots.mjs [path ...]`.
import { mkdirSync } from "node:fs";
import { startServer, launch, signIn } from "./harness.mjs";

const out = new URL("../../screenshots/", import.meta.url).pathname;
mkdirSync(out, { recursive: true });
const paths = process.argv.slice(2).length
  ? process.argv.slice(2)
  : ["/", "/libraries", "/libraries/705", "/partners", "/events", "/reports", "/reports/district?district=KNL&year=2012", "/login"];
const server = await startServer();
const browser = await launch();
try {
  for (const [label, viewport] of [["desktop", { width: 1280, height: 900 }], ["phone", { width: 390, height: 844 }]]) {
    const ctx = await browser.newContext({ viewport, locale: "bg-BG" });
    const page = await ctx.newPage();
    if (process.env.SIGN_IN && server.adminPassword) await signIn(page, server, "admin", server.adminPassword);
    for (const p of paths) {
      await page.goto(server.url + p);
      const name = p.replace(/[^a-z0-9]+/gi, "_").replace(/^_|_$/g, "") || "home";
      await page.screenshot({ path: `${out}${label}-${name}.png`, fullPage: true });
    }
    await ctx.close();
  }
  console.log(`screenshots in ${out}`);
} finally {
  await browser.close();
  await server.stop();
}
