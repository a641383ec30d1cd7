// Islands (issue 15): a page without an island loads no browser bundle at all; a page with one
// loads it once, under a hashed name the browser may keep for a year, compressed at build time;
// the file picker island names a file the server would refuse before anything is sent; the
// quick exit, plain script, replaces the page in the history.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, openPage } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser.close(); });

const bundle = (url) => /\/pkg\/veille\.[0-9a-f]{16}\.(wasm|js)$/.test(new URL(url).pathname);
const done = (page) => page.waitForSelector('body[data-hydrated="true"]', { timeout: 20000 });

test('a page without an island loads no wasm and no bundle script', async () => {
  const { context, page, problems, urls } = await openPage(browser, true);
  for (const path of ['/', '/login', '/transparence']) {
    await page.goto(`${BASE}${path}`);
    await done(page);
    assert.equal(await page.locator('leptos-island').count(), 0, `${path} holds no island`);
  }
  assert.deepEqual(urls.filter(bundle), [], 'no bundle requested');
  assert.deepEqual(urls.filter((u) => u.endsWith('.wasm')), []);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the tip form loads the bundle once, hashed, precompressed and kept for a year', async () => {
  const { context, page, problems, urls } = await openPage(browser, true);
  const responses = [];
  page.on('response', (r) => { if (bundle(r.url())) responses.push(r); });
  await page.goto(`${BASE}/signalement`);
  await done(page);
  const wasm = urls.filter((u) => u.endsWith('.wasm'));
  assert.equal(wasm.length, 1, `one wasm: ${wasm}`);
  assert.equal(responses.length, 2, 'the script glue and the wasm');
  for (const response of responses) {
    const headers = await response.allHeaders();
    assert.equal(headers['cache-control'], 'public, max-age=31536000, immutable', response.url());
    assert.equal(headers['content-encoding'], 'br', response.url());
  }
  assert.deepEqual(problems, []);
  await context.close();
});

test('the file picker names a file over 20 MB before sending, and forgets it once replaced', async () => {
  const { context, page, problems } = await openPage(browser, true);
  await page.goto(`${BASE}/signalement`);
  await done(page);
  const input = page.locator('#evidence');
  await input.setInputFiles({ name: 'enregistrement.m4a', mimeType: 'audio/mp4', buffer: Buffer.alloc(21 * 1024 * 1024) });
  const alert = page.locator('leptos-island [role="alert"]');
  await alert.waitFor({ timeout: 10000 });
  assert.match(await alert.textContent(), /Plus de 20 Mo.*enregistrement\.m4a/);
  assert.equal(await input.evaluate((el) => el.validity.valid), false, 'the form will not send it');
  await input.setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: Buffer.alloc(1024) });
  await alert.waitFor({ state: 'detached', timeout: 10000 });
  assert.equal(await input.evaluate((el) => el.validity.valid), true);
  assert.deepEqual(problems, []);
  await context.close();
});

test('without JavaScript the file picker is a plain input that still sends files', async () => {
  const { context, page, problems } = await openPage(browser, false);
  await page.goto(`${BASE}/signalement`);
  const input = page.locator('#evidence');
  assert.equal(await input.getAttribute('type'), 'file');
  assert.equal(await input.getAttribute('name'), 'evidence');
  assert.equal(await input.getAttribute('multiple'), '');
  assert.deepEqual(problems, []);
  await context.close();
});

test('with JavaScript the quick exit leaves no way Back to the page it left', async () => {
  const { context, page, problems } = await openPage(browser, true);
  await page.goto(`${BASE}/login`);
  await done(page);
  await Promise.all([page.waitForURL(`${BASE}/exit`), page.click('a.quick-exit')]);
  await page.goBack();
  assert.notEqual(new URL(page.url()).pathname, '/login', 'Back does not return to the page');
  assert.deepEqual(problems, []);
  await context.close();
});
