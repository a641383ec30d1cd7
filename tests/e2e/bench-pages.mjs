// The browser half of scripts/bench-pages.sh (a measure, not a test):
//   node bench-pages.mjs cookie EMAIL   prints the Cookie header of a signed-in session
//   node bench-pages.mjs slow3g PATH [EMAIL]  loads PATH cold over a slow 3G line (signed in as
//                                       EMAIL if given) and prints when it was painted, usable
//                                       and interactive, and the bytes sent
import { launch, BASE } from './browser.mjs';
import { PHONE, signedInState } from './page-checks.mjs';

// Slow 3G as DevTools has it: 400 ms round trip, 400 kbit/s each way (50 000 bytes/s).
const SLOW_3G = { offline: false, latency: 400, downloadThroughput: 50000, uploadThroughput: 50000 };

async function cookie(email) {
  const browser = await launch();
  try {
    const { cookies } = await signedInState(browser, email);
    console.log(cookies.map((c) => `${c.name}=${c.value}`).join('; '));
  } finally {
    await browser.close();
  }
}

async function slow3g(path, email) {
  const browser = await launch();
  try {
    const storageState = email ? await signedInState(browser, email) : undefined;
    // A new context has an empty cache: a first visit.
    const context = await browser.newContext({ locale: 'fr-FR', viewport: PHONE, isMobile: true, hasTouch: true, storageState });
    // The moment the page marks itself hydrated, seen from inside (no polling delay).
    await context.addInitScript(() => {
      new MutationObserver((_, observer) => {
        if (document.body?.dataset.hydrated === 'true') {
          window.__veilleHydratedAt = performance.now();
          observer.disconnect();
        }
      }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-hydrated'], childList: true });
    });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.clearBrowserCache');
    await cdp.send('Network.emulateNetworkConditions', SLOW_3G);
    let bytes = 0;
    let requests = 0;
    cdp.on('Network.loadingFinished', (e) => { bytes += e.encodedDataLength; requests += 1; });
    const started = Date.now();
    await page.goto(`${BASE}${path}`, { waitUntil: 'load', timeout: 120000 });
    await page.waitForFunction(() => window.__veilleHydratedAt !== undefined, null, { timeout: 120000 });
    await page.waitForLoadState('networkidle', { timeout: 120000 });
    const timings = await page.evaluate(() => {
      const [nav] = performance.getEntriesByType('navigation');
      const fcp = performance.getEntriesByName('first-contentful-paint')[0];
      return {
        fcp: fcp?.startTime,
        domContentLoaded: nav.domContentLoadedEventEnd,
        load: nav.loadEventEnd,
        hydrated: window.__veilleHydratedAt,
      };
    });
    const ms = (v) => (v === undefined ? 'n/a' : `${Math.round(v)} ms`);
    console.log(`slow 3G (400 ms, 400 kbit/s), cold cache, ${path} at ${PHONE.width} px:`);
    console.log(`  first contentful paint   ${ms(timings.fcp)}`);
    console.log(`  usable (DOMContentLoaded) ${ms(timings.domContentLoaded)}`);
    console.log(`  interactive (hydrated)   ${ms(timings.hydrated)}`);
    console.log(`  load event               ${ms(timings.load)}`);
    console.log(`  transferred              ${bytes} bytes in ${requests} responses (${Math.round((Date.now() - started) / 100) / 10} s in all)`);
    await context.close();
  } finally {
    await browser.close();
  }
}

const [command, arg, email] = process.argv.slice(2);
if (command === 'cookie') await cookie(arg);
else if (command === 'slow3g') await slow3g(arg, email);
else {
  console.error('usage: node bench-pages.mjs cookie EMAIL | slow3g PATH [EMAIL]');
  process.exit(2);
}
