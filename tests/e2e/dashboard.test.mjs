// The dashboard and the public figures in the browser, with JavaScript on and off: the monitor
// filters through the form (the filter lands in the address), charts and tables are there, and
// nothing fails in the console; anyone can read the public page without an account.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, openPage } from './browser.mjs';
import { submitLogin } from './second-factor.mjs';


let browser;
// One sign-in for both modes (the login throttle counts every attempt per account).
let monitorSession;
before(async () => {
  assert.ok(BASE, 'VEILLE_URL must point at a running portal');
  browser = await launch();
  const context = await browser.newContext({ javaScriptEnabled: false, locale: 'fr-FR' });
  const page = await context.newPage();
  await page.goto(`${BASE}/login`);
  await page.fill('#email', 'analyste@cndh.test');
  await page.fill('#password', 'veille-demo-2026');
  await submitLogin(page, 'analyste@cndh.test');
  monitorSession = await context.storageState();
  await context.close();
});
after(async () => { await browser?.close(); });

const open = (javaScriptEnabled, storageState) => openPage(browser, javaScriptEnabled, storageState);

async function ready(page, javaScript) {
  if (javaScript) await page.waitForSelector('body[data-hydrated="true"]', { timeout: 20000 });
}

for (const javaScript of [true, false]) {
  const mode = javaScript ? 'JavaScript on' : 'JavaScript off';
  test(`the monitor filters the dashboard (${mode})`, async () => {
    const { context, page, problems } = await open(javaScript, monitorSession);
    await page.goto(`${BASE}/dashboard`);
    await ready(page, javaScript);
    await page.getByRole('heading', { name: 'Tableau de bord' }).waitFor();
    await page.getByRole('heading', { name: 'Performance des institutions' }).waitFor();
    assert.ok(await page.locator('figure.chart svg').count() >= 1, 'charts drawn on the server');
    if (await page.locator('details.filter-box[open]').count() === 0) await page.click('details.filter-box summary');
    await page.selectOption('#womens', '1');
    await Promise.all([
      page.waitForURL(/womens=1/),
      page.locator('form.filters button[type="submit"]').click(),
    ]);
    await ready(page, javaScript);
    await page.getByRole('heading', { name: 'Regard sur le genre' }).waitFor();
    assert.equal(await page.locator('#womens').inputValue(), '1', 'the filter stays chosen');
    assert.deepEqual(problems, []);
    await context.close();
  });

  test(`anyone reads the public figures (${mode})`, async () => {
    const { context, page, problems } = await open(javaScript);
    await page.goto(`${BASE}/transparence`);
    await ready(page, javaScript);
    await page.getByRole('heading', { name: 'Chiffres publics' }).waitFor();
    await page.getByRole('heading', { name: 'Observations déposées, par catégorie' }).waitFor();
    assert.deepEqual(problems, []);
    await context.close();
  });
}
