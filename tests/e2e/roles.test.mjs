// Browser journeys in headless Chromium (Debian's package), against the release build that the
// run command serves: every role signs in and lands on its French page, once with JavaScript
// and once without; with JavaScript the page must also hydrate without errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, openPage } from './browser.mjs';
import { submitLogin } from './second-factor.mjs';

const PASSWORD = 'veille-demo-2026';
const ACCOUNTS = [
  ['admin', 'admin@veille.test', '/admin', 'Administration de la plateforme'],
  ['monitor', 'analyste@cndh.test', '/monitoring', 'Suivi de la CNDH'],
  ['liaison', 'liaison.police@police.test', '/institution', "Espace de l'institution"],
  ['cso_coordinator', 'coordinatrice@femmes-kayes.test', '/organisation', "Espace de l'organisation"],
  ['cso_member', 'membre@femmes-kayes.test', '/organisation', "Espace de l'organisation"],
];

let browser;
before(async () => {
  assert.ok(BASE, 'VEILLE_URL must point at a running portal');
  browser = await launch();
});
after(async () => { await browser?.close(); });

const open = (javaScriptEnabled) => openPage(browser, javaScriptEnabled);

async function hydrated(page) {
  await page.waitForSelector('body[data-hydrated="true"]', { timeout: 20000 });
}

for (const javaScript of [true, false]) {
  const mode = javaScript ? 'JavaScript on' : 'JavaScript off';
  for (const [role, email, landing, heading] of ACCOUNTS) {
    test(`${role} signs in and lands on the French page (${mode})`, async () => {
      const { context, page, problems } = await open(javaScript);
      await page.goto(`${BASE}/login`);
      if (javaScript) await hydrated(page);
      assert.equal(await page.getAttribute('html', 'lang'), 'fr');
      await page.fill('#email', email);
      await page.fill('#password', PASSWORD);
      await submitLogin(page, email);
      await page.waitForURL(`${BASE}${landing}`);
      await page.locator('h1', { hasText: heading }).waitFor({ timeout: 20000 });
      // The tab names the page, in the page's language.
      assert.equal(await page.title(), `${heading} · Veille`);
      assert.ok(await page.locator('a.quick-exit').isVisible(), 'quick exit visible');
      if (javaScript) {
        // Loaded afresh, the landing page itself must hydrate.
        await page.reload();
        await page.locator('h1', { hasText: heading }).waitFor({ timeout: 20000 });
        await hydrated(page);
        assert.equal(await page.title(), `${heading} · Veille`, 'the title stays once hydrated');
      } else {
        assert.equal(await page.getAttribute('body', 'data-hydrated'), null, 'no script ran');
      }
      assert.deepEqual(problems, []);
      await context.close();
    });
  }

  test(`quick exit leaves for a blank page that names nothing (${mode})`, async () => {
    const { context, page, problems } = await open(javaScript);
    await page.goto(`${BASE}/login`);
    if (javaScript) await hydrated(page);
    await Promise.all([page.waitForURL(`${BASE}/exit`), page.click('a.quick-exit')]);
    assert.equal(await page.title(), 'Nouvel onglet');
    assert.equal((await page.textContent('body')).trim(), '');
    assert.deepEqual(problems, []);
    await context.close();
  });

  test(`a wrong password is explained next to the form, in French (${mode})`, async () => {
    const { context, page, problems } = await open(javaScript);
    await page.goto(`${BASE}/login`);
    if (javaScript) await hydrated(page);
    await page.fill('#email', 'admin@veille.test');
    await page.fill('#password', 'pas le bon mot de passe');
    await page.click('main form button[type="submit"]');
    await page.locator('[role="alert"]', { hasText: 'Adresse e-mail ou mot de passe incorrect.' }).waitFor({ timeout: 20000 });
    assert.equal(new URL(page.url()).pathname, '/login');
    // A wrong password shows as a 401 answer to the hydrated page's request; nothing else may fail.
    const unexpected = problems.filter((p) => !p.includes('401') || !/login|status of 401/.test(p));
    assert.deepEqual(unexpected, []);
    await context.close();
  });
}
