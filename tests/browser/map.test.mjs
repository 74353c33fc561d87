// The map of libraries with a filter applied: markers are links with accessible names, reachable
// with the keyboard, the table beside the map holds the same libraries, the facets keep to the
// map, and axe-core finds no violation in either language. Also the open-data page.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
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

const FILTERED = "/libraries/map?district=KNL&category=e-health";

for (const locale of ["bg-BG", "en-GB"]) {
  test(`the filtered map shows, names and lists the same libraries (${locale})`, async () => {
    const page = await newPage(browser, server, { locale });
    await page.goto(server.url + "/libraries?district=KNL&category=e-health");
    const listed = await page.$$eval("table.libraries tbody td.num", (tds) => tds.map((td) => td.textContent.trim()).sort());
    assert.ok(listed.length > 0);
    await page.click("[data-testid=map-link]");
    assert.equal(new URL(page.url()).pathname + new URL(page.url()).search, FILTERED);

    const markers = await page.$$eval("svg[data-testid=library-map] a.marker", (as) =>
      as.map((a) => ({ href: a.getAttribute("href"), label: a.getAttribute("aria-label"), count: Number(a.dataset.count) })),
    );
    assert.ok(markers.length > 0);
    assert.equal(markers.reduce((n, m) => n + m.count, 0), listed.length);
    for (const m of markers) assert.ok(m.label.trim().length > 3 && m.href, JSON.stringify(m));
    // Every marker is drawn inside the visible part of the map.
    const outside = await page.$$eval("svg[data-testid=library-map]", ([svg]) => {
      const box = svg.getBoundingClientRect();
      return [...svg.querySelectorAll("a.marker circle")].filter((c) => {
        const r = c.getBoundingClientRect();
        return r.width === 0 || r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1;
      }).length;
    });
    assert.equal(outside, 0);

    const rows = await page.$$eval("[data-testid=map-table] tbody tr td:first-child a", (as) =>
      as.map((a) => a.getAttribute("href").replace("/libraries/", "")).sort(),
    );
    assert.deepEqual(rows, listed);

    // The keyboard reaches a marker, and its accessible name is the label.
    const first = page.locator("svg[data-testid=library-map] a.marker").first();
    await first.focus();
    assert.equal(await page.evaluate(() => document.activeElement.getAttribute("aria-label")), markers[0].label);
    const link = page.getByRole("link", { name: markers[0].label });
    assert.ok((await link.count()) >= 1);

    // A facet of the map keeps to the map.
    const facet = await page.getAttribute("aside.facets a[data-facet]", "href");
    assert.ok(facet.startsWith("/libraries/map"), facet);

    assert.deepEqual(await axe(page), []);
    assert.deepEqual(page.foreign(), []);
  });
}

test("the map works without JavaScript, and the open-data page passes axe", async () => {
  const ctx = await browser.newContext({ javaScriptEnabled: false, locale: "bg-BG" });
  const page = await ctx.newPage();
  await page.goto(server.url + FILTERED);
  assert.ok((await page.locator("svg a.marker").count()) > 0);
  await ctx.close();

  for (const locale of ["bg-BG", "en-GB"]) {
    const p = await newPage(browser, server, { locale });
    await p.goto(server.url + "/open-data");
    assert.equal(await p.locator("[data-testid=datasets] tbody tr").count(), 3);
    assert.deepEqual(await axe(p), []);
    await p.goto(server.url + "/libraries/map");
    assert.deepEqual(await axe(p), []);
  }
});
