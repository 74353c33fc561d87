// The registry as a district coordinator sees it: the home page, the libraries list with its
// facets, and "export this view".
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { startServer, launch, newPage, axe } from "./harness.mjs";
import { readXlsx } from "./xlsx.mjs";

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

test("home page shows the network at a glance, in Bulgarian, with a map", async () => {
  const page = await newPage(browser, server);
  await page.goto(server.url + "/");
  assert.equal(await page.getAttribute("html", "lang"), "bg");
  assert.match(await page.textContent("h1"), /Мрежата на библиотеките/);
  const stats = await page.$$eval(".stats .stat-value", (els) => els.map((e) => e.textContent.trim()));
  assert.equal(stats[0], "18");
  assert.equal(stats[1], "15");
  assert.equal(await page.textContent("[data-testid=coverage-gap]"), "3");
  assert.equal(await page.locator(".map path").count(), 28);
  assert.deepEqual(page.foreign(), []);
  assert.deepEqual(await axe(page), []);
});

test("filter by municipality Кюстендил and category Е-здраве gives Жиленци and Таваличево", async () => {
  const page = await newPage(browser, server);
  await page.goto(server.url + "/libraries");
  await page.click('.facet a[data-facet=municipality]:has-text("Кюстендил")');
  await page.click('.facet a[data-facet=category]:has-text("Е-здраве")');
  assert.match(page.url(), /municipality=KNL29/);
  assert.match(page.url(), /category=e-health/);
  assert.match(await page.textContent("[data-testid=result-count]"), /^2 /);
  const names = await page.$$eval("table.libraries tbody tr", (rows) => rows.map((r) => r.textContent));
  assert.equal(names.length, 2);
  assert.ok(names.some((n) => n.includes("Жиленци")));
  assert.ok(names.some((n) => n.includes("Таваличево")));
  assert.deepEqual(await axe(page), []);

  // The same view, bookmarked, in English.
  const en = await newPage(browser, server, { locale: "en-GB" });
  await en.goto(page.url());
  assert.equal(await en.getAttribute("html", "lang"), "en");
  assert.match(await en.textContent("[data-testid=result-count]"), /^2 libraries/);

  // Export this view as XLSX and read it back.
  const dl = await newPage(browser, server, { acceptDownloads: true });
  await dl.goto(page.url());
  const [download] = await Promise.all([dl.waitForEvent("download"), dl.click("[data-testid=export-xlsx]")]);
  const file = join(server.dir, "view.xlsx");
  await download.saveAs(file);
  const rows = readXlsx(file);
  const header = rows.findIndex((r) => r[0] === "ID");
  assert.ok(header >= 0, JSON.stringify(rows.slice(0, 3)));
  const data = rows.slice(header + 1).filter((r) => r.length > 1);
  assert.deepEqual(data.map((r) => r[0]).sort(), ["708", "723"]);
  assert.ok(data.every((r) => r.includes("Е-здраве")));
  assert.ok(data.some((r) => r.some((c) => c.includes("Жиленци"))));
});
