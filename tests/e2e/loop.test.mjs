// The observation loop in the browser, with JavaScript on and off, in French and then in English
// (the same three people switch language in the header): a CSO member files, the NHRC forwards,
// the police liaison acknowledges and responds, the member accepts. Each round files its own
// observation, found again by its unique title. Then the monitor downloads the observations
// export by clicking its link, and it arrives whole (see export.mjs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, openPage } from './browser.mjs';
import { submitLogin } from './second-factor.mjs';
import { exportArrivesWhole } from './export.mjs';

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

const LABELS = {
  fr: {
    submit: "Déposer l'observation",
    submitted: "Observation déposée. La CNDH va l'examiner.",
    category: 'Extorsion et corruption',
    forward: 'Transmettre',
    acknowledge: 'Accuser réception',
    acknowledged: 'Réception accusée',
    respond: 'Répondre officiellement',
    responded: 'Réponse donnée',
    accept: 'Accepter la réponse',
    accepted: 'Réponse acceptée',
  },
  en: {
    submit: 'File the observation',
    submitted: 'Observation filed. The NHRC will review it.',
    category: 'Extortion and corruption',
    forward: 'Forward',
    acknowledge: 'Acknowledge receipt',
    acknowledged: 'Acknowledged',
    respond: 'Respond officially',
    responded: 'Responded',
    accept: 'Accept the response',
    accepted: 'Response accepted',
  },
};

/// Switches a signed-in party's language with the header's button (kept on the account).
async function speak(page, javaScript, language) {
  await page.goto(`${BASE}/preferences`);
  await ready(page, javaScript);
  await Promise.all([
    page.waitForSelector(`html[lang="${language}"]`, { timeout: 20000 }),
    page.getByRole('button', { name: language === 'en' ? 'English' : 'Français', exact: true }).click(),
  ]);
}

/// One round of the loop in the parties' current language.
async function round({ member, monitor, police }, javaScript, language) {
  const t = LABELS[language];
  const title = `Racket au poste ${language} ${javaScript ? 'A' : 'B'} ${Date.now()}`;

  // The member files.
  await member.page.goto(`${BASE}/observations/new`);
  await ready(member.page, javaScript);
  assert.equal(await member.page.getAttribute('html', 'lang'), language);
  await member.page.fill('#title', title);
  await member.page.fill('#description', 'Des agents exigent de l\'argent à chaque passage du marché de Kayes.');
  await member.page.selectOption('#category_id', { label: t.category });
  await member.page.getByLabel(/— DGPN$/).check();
  await member.page.selectOption('#region_code', 'ML-1');
  await member.page.fill('#incident_date', '2026-11-02');
  await Promise.all([
    member.page.waitForURL(/\/observations\/[0-9a-f-]+\?notice=submitted/),
    member.page.getByRole('button', { name: t.submit }).click(),
  ]);
  await member.page.getByText(t.submitted).waitFor();
  const observationUrl = member.page.url().split('?')[0];
  const reference = await member.page.locator('.case-meta .reference').textContent();
  assert.match(reference, /^OBS-\d{4}-\d{6}$/);

  // The NHRC forwards it to the police, as filed.
  await monitor.page.goto(observationUrl);
  await ready(monitor.page, javaScript);
  await monitor.page.selectOption('#forward-institution', { label: 'DGPN' });
  // Nothing is forwarded until each released field is marked as reviewed.
  for (const field of ['title', 'description', 'place']) {
    await monitor.page.check(`#forward-confirm-${field}`);
  }
  await monitor.page.getByRole('button', { name: t.forward, exact: true }).click();
  await monitor.page.locator('.referral-card', { hasText: 'DGPN' }).waitFor({ timeout: 20000 });

  // The police liaison finds it in the inbox, acknowledges and responds.
  await police.page.goto(`${BASE}/referrals`);
  await ready(police.page, javaScript);
  await Promise.all([police.page.waitForURL(/\/referrals\/[0-9a-f-]+$/), police.page.getByRole('link', { name: title }).click()]);
  await ready(police.page, javaScript);
  await act(police.page, t.acknowledge);
  await police.page.locator('.case-meta .status', { hasText: t.acknowledged }).waitFor({ timeout: 20000 });
  await act(police.page, t.respond, 'Les agents en cause ont été suspendus.');
  await police.page.locator('.case-meta .status', { hasText: t.responded }).waitFor({ timeout: 20000 });
  const liaisonText = await police.page.textContent('main');
  assert.ok(!liaisonText.includes('Association des femmes juristes'), 'the filing organisation stays hidden');

  // The member sees the response and accepts it.
  await member.page.goto(observationUrl);
  await ready(member.page, javaScript);
  await member.page.getByText('Les agents en cause ont été suspendus.').first().waitFor();
  await act(member.page, t.accept);
  await member.page.locator('.referral-card .status', { hasText: t.accepted }).waitFor({ timeout: 20000 });
}

for (const javaScript of [true, false]) {
  const mode = javaScript ? 'JavaScript on' : 'JavaScript off';
  test(`file, forward, respond, accept, in French then English (${mode})`, async () => {
    const parties = {
      member: await signIn('membre@femmes-kayes.test', javaScript),
      monitor: await signIn('analyste@cndh.test', javaScript),
      police: await signIn('liaison.police@police.test', javaScript),
    };
    await round(parties, javaScript, 'fr');
    try {
      for (const party of Object.values(parties)) await speak(party.page, javaScript, 'en');
      await round(parties, javaScript, 'en');
    } finally {
      // The language is the account's: the other journeys expect French.
      for (const party of Object.values(parties)) await speak(party.page, javaScript, 'fr');
    }
    // The rounds filed observations: the monitor downloads the export by its link, whole.
    await exportArrivesWhole(parties.monitor, javaScript);

    for (const party of Object.values(parties)) {
      assert.deepEqual(party.problems, []);
      await party.context.close();
    }
  });
}
