// The observation loop in the browser, with JavaScript on and off: a CSO member files, the NHRC
// forwards, the police liaison acknowledges and responds, the member accepts. Each run files its
// own observation, found again by its unique title.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, openPage } from './browser.mjs';
import { submitLogin } from './second-factor.mjs';

const PASSWORD = 'veille-demo-2026';

let browser;
before(async () => {
  assert.ok(BASE, 'VEILLE_URL must point at a running portal');
  browser = await launch();
});
after(async () => { await browser?.close(); });

async function signIn(email, javaScriptEnabled) {
  const { context, page, problems } = await openPage(browser, javaScriptEnabled);
  await page.goto(`${BASE}/login`);
  if (javaScriptEnabled) await page.waitForSelector('body[data-hydrated="true"]', { timeout: 20000 });
  await page.fill('#email', email);
  await page.fill('#password', PASSWORD);
  await submitLogin(page, email);
  return { context, page, problems };
}

async function ready(page, javaScript) {
  if (javaScript) await page.waitForSelector('body[data-hydrated="true"]', { timeout: 20000 });
}

/// Clicks the button of the action form labelled `label`, filling its note first if given.
async function act(page, label, note) {
  const form = page.locator('form.act-form', { has: page.getByRole('button', { name: label, exact: true }) });
  if (note) await form.locator('textarea').fill(note);
  await form.getByRole('button', { name: label, exact: true }).click();
}

for (const javaScript of [true, false]) {
  const mode = javaScript ? 'JavaScript on' : 'JavaScript off';
  test(`file, forward, respond, accept (${mode})`, async () => {
    const title = `Racket au poste ${javaScript ? 'A' : 'B'} ${Date.now()}`;

    // The member files.
    const member = await signIn('membre@femmes-kayes.test', javaScript);
    await member.page.goto(`${BASE}/observations/new`);
    await ready(member.page, javaScript);
    await member.page.fill('#title', title);
    await member.page.fill('#description', 'Des agents exigent de l\'argent à chaque passage du marché de Kayes.');
    await member.page.selectOption('#category_id', { label: 'Extorsion et corruption' });
    await member.page.getByLabel(/^DGPN/).check();
    await member.page.selectOption('#region_code', 'ML-1');
    await member.page.fill('#incident_date', '2026-11-02');
    await Promise.all([
      member.page.waitForURL(/\/observations\/[0-9a-f-]+\?notice=submitted/),
      member.page.getByRole('button', { name: "Déposer l'observation" }).click(),
    ]);
    await member.page.getByText('Observation déposée. La CNDH va l\'examiner.').waitFor();
    const observationUrl = member.page.url().split('?')[0];
    const reference = await member.page.locator('.case-meta .reference').textContent();
    assert.match(reference, /^OBS-\d{4}-\d{6}$/);

    // The NHRC forwards it to the police, as filed.
    const monitor = await signIn('analyste@cndh.test', javaScript);
    await monitor.page.goto(observationUrl);
    await ready(monitor.page, javaScript);
    await monitor.page.selectOption('#forward-institution', { label: 'DGPN' });
    await monitor.page.getByRole('button', { name: 'Transmettre', exact: true }).click();
    await monitor.page.locator('.referral-card', { hasText: 'DGPN' }).waitFor({ timeout: 20000 });

    // The police liaison finds it in the inbox, acknowledges and responds.
    const police = await signIn('liaison.police@police.test', javaScript);
    await police.page.goto(`${BASE}/referrals`);
    await ready(police.page, javaScript);
    await Promise.all([police.page.waitForURL(/\/referrals\/[0-9a-f-]+$/), police.page.getByRole('link', { name: title }).click()]);
    await ready(police.page, javaScript);
    await act(police.page, 'Accuser réception');
    await police.page.locator('.case-meta .status', { hasText: 'Réception accusée' }).waitFor({ timeout: 20000 });
    await act(police.page, 'Répondre officiellement', 'Les agents en cause ont été suspendus.');
    await police.page.locator('.case-meta .status', { hasText: 'Réponse donnée' }).waitFor({ timeout: 20000 });
    const liaisonText = await police.page.textContent('main');
    assert.ok(!liaisonText.includes('Association des femmes juristes'), 'the filing organisation stays hidden');

    // The member sees the response and accepts it.
    await member.page.goto(observationUrl);
    await ready(member.page, javaScript);
    await member.page.getByText('Les agents en cause ont été suspendus.').waitFor();
    await act(member.page, 'Accepter la réponse');
    await member.page.locator('.referral-card .status', { hasText: 'Réponse acceptée' }).waitFor({ timeout: 20000 });

    for (const party of [member, monitor, police]) {
      assert.deepEqual(party.problems, []);
      await party.context.close();
    }
  });
}
