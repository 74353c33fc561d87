// A librarian's main job: the service card of a library with no service yet (732 in the seed),
// written step by step, left half-done, taken up again, published — and the network's coverage
// gap shrinks by one.
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

const gap = async (page) => {
  await page.goto(server.url + "/");
  return Number(await page.textContent("[data-testid=coverage-gap]"));
};

test("create a service card for library 732 step by step, leave, come back, publish", async () => {
  assert.ok(server.adminPassword, "the first start printed the admin's one-time password");
  const page = await newPage(browser, server);
  const before = await gap(page);
  assert.equal(before, 3);
  await signIn(page, server, "admin", server.adminPassword);

  await page.goto(server.url + "/libraries/732");
  await Promise.all([page.waitForNavigation(), page.click('a[href="/libraries/732/services/new"]')]);
  assert.deepEqual(await axe(page), []);
  await page.check('input[name=category][value="e-culture"]');
  await page.fill("#f-year", "2012");
  await Promise.all([page.waitForNavigation(), page.click("button[type=submit].button")]);
  const editUrl = page.url();
  const id = editUrl.match(/\/services\/(\d+)\/edit\/1/)[1];

  // Step 1: the name; an empty name is refused with an error summary linking to the field.
  await page.fill("#f-name", "");
  await Promise.all([page.waitForNavigation(), page.click('button[value="continue"]')]);
  assert.ok(await page.locator(".error-summary a[href='#f-name']").count(), "error summary links to the field");
  assert.deepEqual(await axe(page), []);
  await page.fill("#f-name", "Лятна читалня с аудиокниги");
  await Promise.all([page.waitForNavigation(), page.click('button[value="continue"]')]);
  assert.match(page.url(), new RegExp(`/services/${id}/edit/2`));
  await page.fill("#f-goal", "Децата в Бобошево да слушат и четат през лятото.");
  await Promise.all([page.waitForNavigation(), page.click('button[value="continue"]')]);
  assert.match(page.url(), new RegExp(`/services/${id}/edit/3`));
  await page.fill("#f-target_groups-0", "Деца и родители");
  // Save as a draft and leave.
  await Promise.all([page.waitForNavigation(), page.click('button[value="leave"]')]);

  // The draft is not public yet, and the gap has not moved.
  const anon = await newPage(browser, server);
  const res = await anon.goto(server.url + `/services/${id}`);
  assert.equal(res.status(), 404);
  assert.equal(await gap(anon), 3);

  // Come back: everything entered is there.
  await page.goto(server.url + `/services/${id}/edit/3`);
  assert.equal(await page.inputValue("#f-target_groups-0"), "Деца и родители");
  await page.goto(server.url + `/services/${id}/edit/1`);
  assert.equal(await page.inputValue("#f-name"), "Лятна читалня с аудиокниги");

  // Walk on to the end and publish.
  await page.goto(server.url + `/services/${id}/edit/3`);
  for (let step = 3; step <= 8; step++) {
    await Promise.all([page.waitForNavigation(), page.click('button[value="continue"]')]);
  }
  assert.match(page.url(), new RegExp(`/services/${id}/review`));
  assert.deepEqual(await axe(page), []);
  await Promise.all([page.waitForNavigation(), page.click("button[type=submit].button")]);

  assert.equal(await gap(anon), before - 1);
  await anon.goto(server.url + `/services/${id}`);
  assert.match(await anon.textContent("main"), /Лятна читалня с аудиокниги/);
  assert.deepEqual(await axe(anon), []);
  assert.deepEqual(page.foreign(), []);
});
