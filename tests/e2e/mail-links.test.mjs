// A link from a status mail, followed in a browser that is signed out, with JavaScript on and
// off: the member files, the NHRC forwards to the police, then the police liaison's mail (read
// from the portal's mail folder, `$DATA_DIR/mail`) and the member's are opened in fresh
// browsers: the sign-in page (password, then the code for the liaison) lands on the case.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BASE, launch, openPage } from './browser.mjs';
import { submitLogin } from './second-factor.mjs';

const PASSWORD = 'veille-demo-2026';
const MEMBER = 'membre@femmes-kayes.test';
const MONITOR = 'analyste@cndh.test';
const POLICE = 'liaison.police@police.test';

let browser;
before(async () => {
  assert.ok(BASE, 'VEILLE_URL must point at a running portal');
  assert.ok(process.env.DATA_DIR, 'DATA_DIR must be the portal\'s data folder (its mail is written there)');
  browser = await launch();
});
after(async () => { await browser?.close(); });

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function ready(page, javaScript) {
  if (javaScript) await page.waitForSelector('body[data-hydrated="true"]', { timeout: 20000 });
}

async function signIn(email, javaScript) {
  const party = await openPage(browser, javaScript);
  await party.page.goto(`${BASE}/login`);
  await ready(party.page, javaScript);
  await party.page.fill('#email', email);
  await party.page.fill('#password', PASSWORD);
  await submitLogin(party.page, email);
  return party;
}

// The case link (a path) of the newest mail to `to` about `reference`, waiting for it.
async function caseLink(to, reference) {
  const folder = join(process.env.DATA_DIR, 'mail');
  for (let tries = 0; tries < 100; tries += 1) {
    const mails = readdirSync(folder)
      .filter((name) => name.endsWith('.eml'))
      .map((name) => join(folder, name))
      .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)
      // Quoted-printable: soft line breaks and `=` written as `=3D`.
      .map((file) => readFileSync(file, 'utf8').replace(/=\r?\n/g, '').replace(/=3D/g, '='));
    const mail = mails.find((m) => m.includes(`To: ${to}`) && m.includes(reference));
    if (mail) {
      const links = [...mail.matchAll(new RegExp(`${BASE}(/[^\\s"<>]*)`, 'g'))]
        .map((m) => m[1])
        .filter((path) => !path.startsWith('/preferences') && !path.startsWith('/unsubscribe'));
      assert.equal(new Set(links).size, 1, `one case link in the mail to ${to}: ${links}`);
      return links[0];
    }
    await sleep(200);
  }
  throw new Error(`no mail to ${to} about ${reference}`);
}

// Opens `link` in a fresh browser, signs in as `email` from where it leads, and checks that
// the user lands on that very page, which shows `title`.
async function followSignedOut(link, email, title, javaScript) {
  const { context, page, problems } = await openPage(browser, javaScript);
  await page.goto(`${BASE}${link}`);
  const login = new URL(page.url());
  assert.equal(login.pathname, '/login');
  assert.equal(login.searchParams.get('next'), link);
  await ready(page, javaScript);
  await page.locator('main', { hasText: 'Veuillez vous connecter' }).waitFor({ timeout: 20000 });
  await page.fill('#email', email);
  await page.fill('#password', PASSWORD);
  await submitLogin(page, email);
  await page.waitForURL(`${BASE}${link}`, { timeout: 20000 });
  await page.locator('h1', { hasText: title }).waitFor({ timeout: 20000 });
  assert.deepEqual(problems, []);
  await context.close();
}

for (const javaScript of [true, false]) {
  const mode = javaScript ? 'JavaScript on' : 'JavaScript off';
  test(`a mail's link leads through sign-in to its case (${mode})`, async () => {
    const member = await signIn(MEMBER, javaScript);
    const monitor = await signIn(MONITOR, javaScript);
    const title = `Lien du courriel ${javaScript ? 'A' : 'B'} ${Date.now()}`;

    // The member files, the NHRC forwards to the police.
    await member.page.goto(`${BASE}/observations/new`);
    await ready(member.page, javaScript);
    await member.page.fill('#title', title);
    await member.page.fill('#description', 'Des agents bloquent le pont de Kayes chaque nuit.');
    await member.page.selectOption('#category_id', { label: 'Extorsion et corruption' });
    await member.page.getByLabel(/— DGPN$/).check();
    await member.page.selectOption('#region_code', 'ML-1');
    await member.page.fill('#incident_date', '2026-11-02');
    await Promise.all([
      member.page.waitForURL(/\/observations\/[0-9a-f-]+\?notice=submitted/),
      member.page.getByRole('button', { name: "Déposer l'observation" }).click(),
    ]);
    const observationPath = new URL(member.page.url()).pathname;
    const reference = (await member.page.locator('.case-meta .reference').textContent()).trim();
    await monitor.page.goto(`${BASE}${observationPath}`);
    await ready(monitor.page, javaScript);
    await monitor.page.selectOption('#forward-institution', { label: 'DGPN' });
    for (const field of ['title', 'description', 'place']) {
      await monitor.page.check(`#forward-confirm-${field}`);
    }
    await monitor.page.getByRole('button', { name: 'Transmettre', exact: true }).click();
    await monitor.page.locator('.referral-card', { hasText: 'DGPN' }).waitFor({ timeout: 20000 });
    for (const party of [member, monitor]) {
      assert.deepEqual(party.problems, []);
      await party.context.close();
    }

    // The liaison's mail leads to its referral, through the password and the code.
    const referralLink = await caseLink(POLICE, reference);
    assert.match(referralLink, /^\/referrals\/[0-9a-f-]{36}$/);
    await followSignedOut(referralLink, POLICE, title, javaScript);
    // The member's leads to the observation.
    const observationLink = await caseLink(MEMBER, reference);
    assert.equal(observationLink, observationPath);
    await followSignedOut(observationLink, MEMBER, title, javaScript);
  });
}
