// What the page checks share (pages.test.mjs, html.test.mjs, bench-pages.mjs): signing a demo
// account in once for a storage state, a case to show (the demo data holds none), and the checks
// run inside a page at phone width: axe-core with its default rules, and what sticks out past
// the right edge of the screen.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { BASE } from './browser.mjs';
import { submitLogin } from './second-factor.mjs';

export const PASSWORD = 'veille-demo-2026';
export const PHONE = { width: 360, height: 740 };

// Resolved like playwright-core: from tests/e2e/node_modules, the link to .tools/node_modules.
const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/// Signs `email` in without JavaScript (quicker: nothing to hydrate) and gives the cookies, for
/// `browser.newContext({ storageState })`. One sign-in per account and file: the portal counts
/// failed attempts per account, and each authenticator step is accepted once.
export async function signedInState(browser, email) {
  const context = await browser.newContext({ javaScriptEnabled: false, locale: 'fr-FR' });
  try {
    const page = await context.newPage();
    await page.goto(`${BASE}/login`);
    await page.fill('#email', email);
    await page.fill('#password', PASSWORD);
    await submitLogin(page, email);
    return await context.storageState();
  } finally {
    await context.close();
  }
}

/// Files an observation as the member of `memberState` (with a long address in it, as people
/// paste them) and forwards it to the police as the monitor of `monitorState`, without
/// JavaScript. The demo data holds no case: each file that shows one makes its own. Gives the
/// observation's path.
export async function fileAndForward(browser, memberState, monitorState) {
  const member = await browser.newContext({ javaScriptEnabled: false, locale: 'fr-FR', storageState: memberState });
  const page = await member.newPage();
  await page.goto(`${BASE}/observations/new`);
  await page.fill('#title', `Racket au poste de contrôle du marché central de Kayes ${Date.now()}`);
  await page.fill('#description', 'Des agents exigent de l\'argent à chaque passage du marché. Voir '
    + 'https://exemple.ml/rapports/2026/11/kayes-marche-central-controle-routier-extorsion-temoignages.');
  await page.selectOption('#category_id', { label: 'Extorsion et corruption' });
  await page.getByLabel(/— DGPN$/).check();
  await page.selectOption('#region_code', 'ML-1');
  await page.fill('#incident_date', '2026-11-02');
  await Promise.all([
    page.waitForURL(/\/observations\/[0-9a-f-]+\?notice=submitted/),
    page.getByRole('button', { name: "Déposer l'observation" }).click(),
  ]);
  const observation = new URL(page.url()).pathname;
  await member.close();

  const monitor = await browser.newContext({ javaScriptEnabled: false, locale: 'fr-FR', storageState: monitorState });
  const monitorPage = await monitor.newPage();
  await monitorPage.goto(`${BASE}${observation}`);
  await monitorPage.selectOption('#forward-institution', { label: 'DGPN' });
  for (const field of ['title', 'description', 'place']) await monitorPage.check(`#forward-confirm-${field}`);
  await monitorPage.getByRole('button', { name: 'Transmettre', exact: true }).click();
  await monitorPage.locator('.referral-card', { hasText: 'DGPN' }).waitFor({ timeout: 20000 });
  await monitor.close();
  return observation;
}

/// axe-core's default rules on the page as it stands: the violations, one line each, with the
/// selectors of the elements at fault. The pages forbid inline and injected scripts (CSP): the
/// context must be made with `bypassCSP: true`.
export async function axeViolations(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.evaluate(AXE_SOURCE);
  }
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document);
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(' ')),
    }));
  });
  return violations.map((v) => `${v.id} (${v.impact}: ${v.help}): ${v.targets.slice(0, 8).join(' | ')}`
    + (v.targets.length > 8 ? ` … and ${v.targets.length - 8} more` : ''));
}

/// What sticks out past the right edge of a `width`-wide screen: elements, and text that runs
/// out of its element (a long word). Allowed only inside a box that scrolls sideways which a
/// keyboard can reach (tabindex) and a screen reader names (aria-label or aria-labelledby).
/// Gives one line per offender: the outermost ones and the innermost ones of each nest (the
/// cause is usually one of the two), and the page's own width if it scrolls sideways.
export async function overflowing(page, width = PHONE.width) {
  return page.evaluate((vw) => {
    const limit = vw + 1;
    const describe = (el) => {
      let name = el.tagName.toLowerCase();
      if (el.id) name += `#${el.id}`;
      const cls = typeof el.className === 'string' ? el.className.trim() : '';
      if (cls) name += `.${cls.split(/\s+/).join('.')}`;
      return name;
    };
    const path = (el) => {
      const parts = [];
      for (let e = el; e && e !== document.body && parts.length < 4; e = e.parentElement) parts.unshift(describe(e));
      return parts.join(' > ');
    };
    // The nearest ancestor that scrolls (or clips) sideways, if any.
    const sidewaysBox = (el) => {
      for (let a = el.parentElement; a && a !== document.documentElement; a = a.parentElement) {
        const ox = getComputedStyle(a).overflowX;
        if (ox !== 'visible') return { box: a, overflowX: ox };
      }
      return null;
    };
    const acceptableScroller = (box) => {
      const named = ['aria-label', 'aria-labelledby'].some((n) => (box.getAttribute(n) || '').trim() !== '');
      return box.hasAttribute('tabindex') && named;
    };
    const offenders = new Map();
    const consider = (el, right, what) => {
      if (right <= limit) return;
      const outer = sidewaysBox(el);
      if (outer && (outer.overflowX === 'auto' || outer.overflowX === 'scroll')) {
        if (acceptableScroller(outer.box)) return;
        what += `, in a sideways scroller (${describe(outer.box)}) without tabindex and aria-label`;
      } else if (outer) {
        what += `, clipped by ${describe(outer.box)} (overflow-x: ${outer.overflowX})`;
      }
      if (!offenders.has(el)) offenders.set(el, `${path(el)}: ${what}`);
    };
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden') continue;
      consider(el, r.right, `${Math.round(r.width)} px wide, right edge at ${Math.round(r.right)} px`);
    }
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.textContent.trim() || !node.parentElement) continue;
      range.selectNodeContents(node);
      const r = range.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      const text = node.textContent.trim().slice(0, 40);
      consider(node.parentElement, r.right, `text "${text}" runs to ${Math.round(r.right)} px`);
    }
    const counts = new Map(); // line → how many elements it stands for (a table's cells)
    for (const [el, line] of offenders) {
      let outermost = true;
      for (let a = el.parentElement; a; a = a.parentElement) if (offenders.has(a)) { outermost = false; break; }
      const innermost = ![...el.querySelectorAll('*')].some((d) => offenders.has(d));
      if (outermost || innermost) counts.set(line, (counts.get(line) ?? 0) + 1);
    }
    const lines = [...counts].map(([line, n]) => (n > 1 ? `${line} (× ${n})` : line));
    const pageWidth = document.documentElement.scrollWidth;
    if (pageWidth > limit) lines.unshift(`the page scrolls sideways: ${pageWidth} px wide`);
    if (lines.length > 25) return [...lines.slice(0, 25), `… and ${lines.length - 25} more`];
    return lines;
  }, width);
}

/// The widths of the values of a case's facts (`.facts dd`), in px.
export async function factWidths(page) {
  return page.$$eval('.facts dd', (dds) => dds.map((dd) => Math.round(dd.getBoundingClientRect().width)));
}
