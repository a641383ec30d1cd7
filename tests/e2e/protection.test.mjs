// Reporter protection in the browser, with JavaScript on and off (Tor Browser's safest setting
// runs no script): an anonymous tip gets a receipt shown once and never in an address, the
// receipt opens the tip again; signing out clears the site's data; nothing about cases is
// left in the browser's storage.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, openPage } from './browser.mjs';
import { appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { submitLogin } from './second-factor.mjs';

// Receipts seen here, for tests/leaks.py to look for in the server's log and database.
const RECEIPTS = join(tmpdir(), `veille-e2e-receipts-${new URL(BASE).port}.txt`);


let browser;
before(async () => {
  assert.ok(BASE, 'VEILLE_URL must point at a running portal');
  browser = await launch();
});
after(async () => { await browser?.close(); });

const open = (javaScriptEnabled, storageState) => openPage(browser, javaScriptEnabled, storageState);

// The coordinator's browser after signing out: it keeps the device cookie, so signing in
// again there counts against that device's allowance, not the account's (which the other
// journeys spend).
let coordinatorDevice;

async function ready(page, javaScript) {
  if (javaScript) await page.waitForSelector('body[data-hydrated="true"]', { timeout: 20000 });
}

async function storage(page) {
  return page.evaluate(() => ({ local: localStorage.length, session: sessionStorage.length }));
}

for (const javaScript of [true, false]) {
  const mode = javaScript ? 'JavaScript on' : 'JavaScript off';

  test(`an anonymous tip gets a receipt, shown once, that opens it again (${mode})`, async () => {
    const { context, page, problems, urls } = await open(javaScript);
    const marker = `Contrôle abusif au péage, ${mode}, ${Date.now()}`;
    await page.goto(`${BASE}/signalement`);
    await ready(page, javaScript);
    await page.fill('#body', marker);
    await Promise.all([
      page.waitForURL(`${BASE}/signalement/recu`),
      page.click('main form button[type="submit"]'),
    ]);
    const receipt = (await page.textContent('.receipt code')).trim();
    assert.match(receipt, /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){4}$/);
    appendFileSync(RECEIPTS, `${receipt}\n`);
    await page.reload();
    await page.locator('.alert', { hasText: 'déjà été affiché' }).waitFor({ timeout: 20000 });
    assert.equal(await page.locator('.receipt').count(), 0, 'shown only once');

    await page.goto(`${BASE}/signalement/suivi`);
    await ready(page, javaScript);
    assert.equal(await page.getAttribute('#receipt', 'autocomplete'), 'off');
    await page.fill('#receipt', receipt.toLowerCase());
    await page.click('main form button[type="submit"]');
    await page.locator('.quote', { hasText: marker }).waitFor({ timeout: 20000 });
    const compact = receipt.replaceAll('-', '');
    for (const url of urls) {
      assert.ok(!url.toUpperCase().replaceAll('-', '').includes(compact), `receipt in an address: ${url}`);
    }
    if (javaScript) assert.deepEqual(await storage(page), { local: 0, session: 0 });
    await page.click('button:has-text("Terminer et effacer la session")');
    await page.waitForURL(`${BASE}/signalement`);
    assert.deepEqual(problems, []);
    await context.close();
  });

  test(`signing out clears the site's data in the browser (${mode})`, async () => {
    const { context, page, problems } = await open(javaScript);
    await page.goto(`${BASE}/login`);
    await ready(page, javaScript);
    await page.fill('#email', 'coordinatrice@femmes-kayes.test');
    await page.fill('#password', 'veille-demo-2026');
    await submitLogin(page, 'coordinatrice@femmes-kayes.test');
    await ready(page, javaScript);
    if (javaScript) assert.deepEqual(await storage(page), { local: 0, session: 0 });
    const logout = page.waitForResponse((r) => r.url().endsWith('/api/logout'));
    await page.click('button:has-text("Se déconnecter")');
    const response = await logout;
    assert.equal((await response.allHeaders())['clear-site-data'], '"storage"');
    await page.waitForURL(`${BASE}/`);
    assert.deepEqual(problems, []);
    coordinatorDevice = await context.storageState();
    await context.close();
  });

  test(`the quick exit leaves no case page to go back to (${mode})`, async () => {
    const { context, page, problems } = await open(javaScript, coordinatorDevice);
    await page.goto(`${BASE}/login`);
    await ready(page, javaScript);
    await page.fill('#email', 'coordinatrice@femmes-kayes.test');
    await page.fill('#password', 'veille-demo-2026');
    await submitLogin(page, 'coordinatrice@femmes-kayes.test');
    await page.goto(`${BASE}/observations`);
    await ready(page, javaScript);
    await Promise.all([page.waitForURL(`${BASE}/exit`), page.click('a.quick-exit')]);
    await page.goBack();
    await page.locator('main', { hasText: 'Veuillez vous connecter' }).waitFor({ timeout: 20000 });
    // Pages asked again after the exit answer "not signed in"; nothing else may fail.
    assert.deepEqual(problems.filter((p) => !/\b401\b/.test(p)), []);
    await context.close();
  });
}
