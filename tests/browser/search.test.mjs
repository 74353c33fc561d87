// The search page as a visitor uses it: the box in the header of every page, a Latin spelling
// ("kiustendil") and a misspelled Bulgarian word form ("овошарите" for „овощари“) finding the
// expected records, the kind facet, the empty state; axe-core on each, a screenshot for a person.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer, launch, newPage, axe } from "./harness.mjs";

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

async function searchFromHeader(page, words) {
  await page.fill("#header-q", words);
  await Promise.all([page.waitForNavigation(), page.press("#header-q", "Enter")]);
}

const hrefs = (page) => page.$$eval(".search-hit .search-title a", (as) => as.map((a) => a.getAttribute("href")));

test("Latin „kiustendil“ from the header finds the Kyustendil regional library", async () => {
  const page = await newPage(browser, server);
  await page.goto(server.url + "/partners");
  await searchFromHeader(page, "kiustendil");
  assert.match(page.url(), /\/search\?q=kiustendil$/);
  assert.equal(await page.getAttribute("html", "lang"), "bg");
  assert.ok((await hrefs(page)).includes("/libraries/705"));
  const marks = await page.$$eval(".search-snippet mark", (ms) => ms.map((m) => m.textContent));
  assert.ok(marks.includes("Кюстендил"), marks.join(", "));
  assert.deepEqual(page.foreign(), []);
  assert.deepEqual(await axe(page), []);
  const shot = join(tmpdir(), "lipa-search-kiustendil.png");
  await page.screenshot({ path: shot });
  console.log(`screenshot: ${shot}`);

  // The kind facet filters, and its counts are those of the hits.
  await Promise.all([page.waitForNavigation(), page.click('.search-kinds a:has-text("Библиотеки")')]);
  assert.match(page.url(), /kind=library/);
  const kinds = await page.$$eval(".search-hit .search-kind", (ks) => ks.map((k) => k.textContent.trim()));
  assert.ok(kinds.length > 0 && kinds.every((k) => k === "Библиотека"), kinds.join(", "));
  assert.deepEqual(await axe(page), []);
});

test("a misspelled word form „овошарите“ finds the fruit growers' services; nonsense finds nothing", async () => {
  const page = await newPage(browser, server);
  await page.goto(server.url + "/");
  await searchFromHeader(page, "овошарите");
  const titles = await page.$$eval(".search-hit .search-title a", (as) => as.map((a) => a.textContent));
  assert.ok(titles.length >= 2, titles.join(" | "));
  assert.match(titles[0], /овощари/);
  assert.match(titles[1], /овощари/);
  assert.ok((await hrefs(page)).slice(0, 2).every((h) => h.startsWith("/services/")));
  assert.deepEqual(await axe(page), []);
  const shot = join(tmpdir(), "lipa-search-ovoshtari.png");
  await page.screenshot({ path: shot });
  console.log(`screenshot: ${shot}`);

  await searchFromHeader(page, "xyzzy plugh");
  assert.equal(await page.locator(".search-hit").count(), 0);
  assert.match(await page.textContent(".search-empty"), /„xyzzy plugh“/);
  assert.deepEqual(await axe(page), []);

  // In English, the same search.
  const en = await newPage(browser, server, { locale: "en-GB" });
  await en.goto(server.url + "/search?q=kjustendil");
  assert.equal(await en.getAttribute("html", "lang"), "en");
  assert.ok((await hrefs(en)).includes("/libraries/705"));
  assert.match(await en.textContent(".results-count"), /results?$/);
});
