// What every journey shares: Debian's Chromium, started without anything that calls out, and a
// page that records what must not happen (script errors, console errors, requests to another
// origin, failed responses) and every address it requested.
import { chromium } from 'playwright-core';

export const BASE = process.env.VEILLE_URL;

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

export async function openPage(browser, javaScriptEnabled, storageState) {
  const context = await browser.newContext({ javaScriptEnabled, locale: 'fr-FR', storageState });
  const page = await context.newPage();
  const problems = [];
  const urls = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('request', (r) => {
    urls.push(r.url());
    if (!r.url().startsWith(BASE)) problems.push(`foreign request: ${r.url()}`);
  });
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`${r.status()} for ${r.url()}`); });
  return { context, page, problems, urls };
}
