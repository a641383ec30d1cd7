// Every page each role can reach, on a 360 × 740 phone, in French and in English (issue 15):
// axe-core's default rules find nothing, nothing sticks out past the right edge of the screen
// (a wide table may scroll sideways in a box that a keyboard can reach and a screen reader
// names), and the facts of a case keep a readable column. With JavaScript on, and the width
// check also without JavaScript on a few pages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch } from './browser.mjs';
import { PHONE, axeViolations, factWidths, fileAndForward, overflowing, signedInState } from './page-checks.mjs';

const ADMIN_SECTIONS = ['/admin/users', '/admin/organisations', '/admin/institutions', '/admin/categories',
  '/admin/holidays', '/admin/regions', '/admin/mail'];
// A case page: the first one the list at `list` links to (observations and referrals show their
// facts: `facts`).
const firstCase = (list, facts = true) => ({ list, facts, pattern: new RegExp(`^${list}/[0-9a-f-]{36}$`) });

// The visitor's anonymous tip, filed in French with JavaScript (its receipt is shown once), then
// opened again with its receipt, and read in each language. One tip only: an address may send three in ten
// minutes, and protection.test.mjs sends two.
let receipt;
const TIP_STEPS = [
  {
    name: '/signalement/recu (a tip just sent)',
    only: 'fr',
    async run(page) {
      await page.goto(`${BASE}/signalement`);
      await page.waitForSelector('body[data-hydrated="true"]', { timeout: 20000 });
      await page.fill('#body', `Contrôle abusif au péage de Kati, des agents demandent 5000 FCFA ${Date.now()}`);
      await Promise.all([page.waitForURL(`${BASE}/signalement/recu`), page.click('main form button[type="submit"]')]);
      await page.waitForSelector('body[data-hydrated="true"]', { timeout: 20000 });
      receipt = (await page.textContent('.receipt code')).trim();
    },
  },
  {
    name: '/signalement/suivi (the tip opened again)',
    async run(page) {
      assert.ok(receipt, 'a tip was sent first');
      await page.goto(`${BASE}/signalement/suivi`);
      await page.waitForSelector('body[data-hydrated="true"]', { timeout: 20000 });
      // Once opened, the tip stays open in this browser's session (until it leaves).
      if (await page.locator('#receipt').count()) {
        await page.fill('#receipt', receipt);
        await page.click('main form button[type="submit"]');
      }
      await page.locator('.quote', { hasText: 'Contrôle abusif au péage de Kati' }).waitFor({ timeout: 20000 });
      await page.waitForSelector('body[data-hydrated="true"]', { timeout: 20000 });
    },
  },
];

// From app/src/app.rs (routes) and components/header.rs (each role's links). Left out: pages
// that need a token or a step before them (/login/code, /password/set, /unsubscribe,
// a draft's /edit). The coordinator sees the member's pages, and its own members' page. The
// visitor comes first: the monitor's list of tips then holds the visitor's tip.
const ROLES = [
  {
    role: 'visitor',
    pages: ['/', '/transparence', '/signalement', '/signalement/suivi', '/login', '/password/forgot',
      { path: '/page-inexistante', status: 404 }, ...TIP_STEPS],
  },
  {
    role: 'cso_member',
    email: 'membre@femmes-kayes.test',
    pages: ['/', '/organisation', '/observations', firstCase('/observations'), '/observations/new', '/dashboard',
      '/transparence', '/preferences', '/security'],
  },
  {
    role: 'cso_coordinator',
    email: 'coordinatrice@femmes-kayes.test',
    pages: ['/organisation', '/organisation/members'],
  },
  {
    role: 'monitor',
    email: 'analyste@cndh.test',
    pages: ['/', '/monitoring', '/observations', firstCase('/observations'), '/tips', firstCase('/tips', false),
      '/dashboard', '/audit',
      '/monitoring/approvals', '/monitoring/sensitive', '/preferences', '/security'],
  },
  {
    role: 'liaison',
    email: 'liaison.police@police.test',
    pages: ['/', '/institution', '/referrals', firstCase('/referrals'), '/institution/sensitive', '/dashboard',
      '/preferences', '/security'],
  },
  {
    role: 'admin',
    email: 'admin@veille.test',
    pages: ['/', '/admin', ...ADMIN_SECTIONS, '/preferences', '/security'],
  },
];

// Checked once more without JavaScript, width only (axe needs script).
const WITHOUT_JAVASCRIPT = {
  visitor: ['/', '/signalement', '/transparence', '/login'],
  monitor: ['/observations', firstCase('/observations'), '/dashboard'],
  liaison: ['/referrals', firstCase('/referrals')],
  cso_member: ['/observations/new', firstCase('/observations')],
};

let browser;
const states = new Map(); // role → signed-in storage state
const cases = new Map(); // role and list → the address of its first case
before(async () => {
  assert.ok(BASE, 'VEILLE_URL must point at a running portal');
  browser = await launch();
  for (const { role, email } of ROLES) if (email) states.set(role, await signedInState(browser, email));
  // The demo data holds no case: one is filed and forwarded, for each case page to have one.
  await fileAndForward(browser, states.get('cso_member'), states.get('monitor'));
});
after(async () => { await browser?.close(); });

const newContext = (javaScriptEnabled, storageState) =>
  browser.newContext({ javaScriptEnabled, locale: 'fr-FR', viewport: PHONE, bypassCSP: true, storageState });

/// The address of `spec` (a path, `{ path, status }` or a first case), the case found once per
/// role (each sees its own list).
async function resolve(page, spec, role) {
  if (typeof spec === 'string') return { path: spec, status: 200 };
  if (spec.path) return spec;
  const key = `${role} ${spec.list}`;
  if (!cases.has(key)) {
    await page.goto(`${BASE}${spec.list}`);
    const hrefs = await page.$$eval('main a[href]', (as) => as.map((a) => a.getAttribute('href')));
    const href = hrefs.find((h) => spec.pattern.test(h));
    assert.ok(href, `no case linked from ${spec.list} (links: ${hrefs.join(', ')})`);
    cases.set(key, href);
  }
  return { path: cases.get(key), status: 200, facts: spec.facts };
}

/// Opens `path` and checks that the role reached it (no redirect, the expected status).
async function visit(page, { path, status }, javaScript) {
  const response = await page.goto(`${BASE}${path}`);
  assert.equal(response.status(), status, `${path} answered ${response.status()}`);
  assert.equal(new URL(page.url()).pathname, path, `${path} led to ${page.url()}`);
  if (javaScript) await page.waitForSelector('body[data-hydrated="true"]', { timeout: 20000 });
}

/// Switches the language with the header's button (for an account, kept on the account).
async function speak(page, language) {
  if ((await page.getAttribute('html', 'lang')) === language) return;
  // On a phone the language button sits in the header's menu: open it first.
  const menu = page.locator('details.site-menu');
  if (!(await page.locator('form.lang-switch button').isVisible())) await menu.locator('summary').click();
  await Promise.all([
    page.waitForSelector(`html[lang="${language}"]`, { timeout: 20000 }),
    page.click('form.lang-switch button[type="submit"]'),
  ]);
}

async function checkPage(page, target, language) {
  const failures = [];
  const violations = await axeViolations(page);
  if (violations.length) failures.push(`axe:\n    ${violations.join('\n    ')}`);
  const wide = await overflowing(page);
  if (wide.length) failures.push(`wider than ${PHONE.width} px:\n    ${wide.join('\n    ')}`);
  if (target.facts) {
    const widths = await factWidths(page);
    if (widths.length === 0) failures.push('no .facts dd on the case page');
    const narrow = widths.filter((w) => w < 200);
    if (narrow.length) failures.push(`.facts dd narrower than 200 px: ${widths.join(', ')} px`);
  }
  assert.equal(await page.getAttribute('html', 'lang'), language);
  assert.ok(failures.length === 0, `${target.path} (${language}):\n  ${failures.join('\n  ')}`);
}

for (const { role, email, pages } of ROLES) {
  test(`${role}: every page at 360 px, in French and English, passes axe and fits (JavaScript on)`, async (t) => {
    const context = await newContext(true, states.get(role));
    const page = await context.newPage();
    try {
      for (const language of ['fr', 'en']) {
        await page.goto(`${BASE}/`);
        await page.waitForSelector('body[data-hydrated="true"]', { timeout: 20000 });
        await speak(page, language);
        for (const spec of pages) {
          if (spec.run) {
            if (spec.only && spec.only !== language) continue;
            await t.test(`${language} ${spec.name}`, async () => {
              await spec.run(page);
              await checkPage(page, { path: spec.name }, language);
            });
            continue;
          }
          const target = await resolve(page, spec, role);
          await t.test(`${language} ${target.path}`, async () => {
            await visit(page, target, true);
            await checkPage(page, target, language);
          });
        }
      }
    } finally {
      // The language is the account's: the other journeys expect French.
      await page.goto(`${BASE}/`);
      await speak(page, 'fr');
      await context.close();
    }
  });
}

test('without JavaScript, the same pages fit at 360 px, and at 320 px', async (t) => {
  for (const [role, pages] of Object.entries(WITHOUT_JAVASCRIPT)) {
    const context = await newContext(false, states.get(role));
    const page = await context.newPage();
    try {
      for (const spec of pages) {
        const target = await resolve(page, spec, role);
        await t.test(`${role} ${target.path}`, async () => {
          await visit(page, target, false);
          const wide = await overflowing(page);
          assert.deepEqual(wide, [], `${target.path} without JavaScript is wider than ${PHONE.width} px`);
          // The smallest phones still in use: designed at 360 px, checked at 320 px.
          await page.setViewportSize({ width: 320, height: PHONE.height });
          try {
            assert.deepEqual(await overflowing(page, 320), [], `${target.path} is wider than 320 px`);
          } finally {
            await page.setViewportSize(PHONE);
          }
        });
      }
    } finally {
      await context.close();
    }
  }
});
