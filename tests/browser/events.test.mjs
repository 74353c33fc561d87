// A district coordinator runs the next meeting: creates the event, adds an agenda item and three
// participants, forms two working groups, fills a group's card, publishes, and finds the group's
// service in the generated report.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { startServer, launch, newPage, axe, signIn, LIPA_BIN } from "./harness.mjs";

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

const submit = async (page, selector = "main form[novalidate] button[type=submit].button") => {
  await Promise.all([page.waitForNavigation(), page.click(selector)]);
};

test("a coordinator creates an event, forms groups and publishes a report with the group's service", async () => {
  const add = spawnSync(
    LIPA_BIN,
    ["--db", join(server.dir, "lipa.db"), "--lang", "en", "user", "add", "coord", "--name", "Координатор Кюстендил", "--coordinator", "KNL", "--password-stdin"],
    { input: "a long coordinator password\n", encoding: "utf8" },
  );
  assert.equal(add.status, 0, add.stderr);
  const page = await newPage(browser, server);
  await signIn(page, server, "coord", "a long coordinator password");

  await page.goto(server.url + "/events/new");
  await page.fill("#title", "Библиотеката и училището");
  await page.fill("#starts", "2026-12-10");
  await page.fill("#ends", "2026-12-10");
  const settlement = page.locator("#settlement");
  if (await settlement.count()) await settlement.selectOption({ label: /Кюстендил/ }).catch(() => {});
  await page.fill("#venue", "Регионална библиотека, заседателна зала");
  await submit(page, 'main form[method=post] button[type=submit].button');
  const eventUrl = page.url().split("?")[0];
  const id = eventUrl.match(/\/events\/(\d+)$/)[1];

  await page.goto(`${server.url}/events/${id}/agenda`);
  await page.fill("#speaker", "София Пейчева");
  await page.fill("#organisation", "РБ „Емануил Попдимитров“");
  await page.fill("#topic", "Партньорството с училищата");
  await submit(page);
  assert.match(await page.textContent("main"), /Партньорството с училищата/);

  for (const [name, org] of [["Иван Петров", "ОУ „Христо Ботев“"], ["Мария Иванова", "НЧ „Братство“"], ["Петя Димитрова", "Община Кюстендил"]]) {
    await page.goto(`${server.url}/events/${id}/participants`);
    await page.fill("#name", name);
    await page.fill("#organisation", org);
    await submit(page);
  }
  assert.match(await page.textContent("main"), /Петя Димитрова/);

  for (const [group, card] of [["Група 1", "Четене за ученици"], ["Група 2", "Е-услуги за родители"]]) {
    await page.goto(`${server.url}/events/${id}/groups`);
    await page.fill("#name", group);
    await page.fill("#card_name", card);
    await submit(page);
  }
  await page.goto(`${server.url}/events/${id}/groups/1`);
  assert.deepEqual(await axe(page), []);
  await page.selectOption("#category", "e-education");
  await page.fill("#card_name", "Четене за ученици в библиотеката");
  await page.fill("#target_groups", "Ученици от 1 до 4 клас");
  await submit(page, "main form button[type=submit].button");

  await page.goto(eventUrl);
  await submit(page, "form[action$='/publish'] button[type=submit]");
  const anon = await newPage(browser, server);
  await anon.goto(`${server.url}/events/${id}/report`);
  const report = await anon.textContent("main");
  assert.match(report, /Четене за ученици в библиотеката/);
  assert.match(report, /Ученици от 1 до 4 клас/);
  assert.match(report, /Партньорството с училищата/);
  assert.deepEqual(await axe(anon), []);
  assert.deepEqual(anon.foreign(), []);
});
