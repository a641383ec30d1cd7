// The main pages as the server sends them (not as the browser rebuilt them) are valid HTML for
// the Nu HTML checker (vnu.jar, Java), for a visitor and for a signed-in monitor (issue 15).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BASE, launch } from './browser.mjs';
import { fileAndForward, signedInState } from './page-checks.mjs';

const require = createRequire(import.meta.url);
const VNU = join(require.resolve('vnu-jar/package.json'), '..', 'build', 'dist', 'vnu.jar');

// What Leptos itself writes into every page, which the portal cannot change: a message, and a
// piece of the checker's extract that must be in the error too (so that the same message about
// something else still fails). `<leptos-island>` needs no entry: a custom element is valid.
const ALLOWED = [
  // `<!>`: the empty comment Leptos (tachys) writes between two neighbouring pieces of text and
  // in place of a view that renders nothing, so that hydration finds each text node again. The
  // HTML parser reads it as an empty comment, after a parse error ("abrupt closing of empty
  // comment"); it is written whatever the page, and whether or not the page holds an island.
  { message: 'Bogus comment.', extract: '<!>' },
  // Leptos's serialised resources, written after the whole document in SsrMode::Async (its
  // hydration context appends them once the app, `</html>` included, is rendered). A browser
  // puts them in <body>, as the parser does after this error; they are empty outside islands.
  { message: 'Stray start tag “script”.', extract: '</html><script nonce=' },
  // What the checker says after the error above (it stops at the end of the document).
  { message: 'Cannot recover after last error. Any further errors will be ignored.', extract: '</html><script nonce=' },
];

const PUBLIC_PAGES = ['/', '/login', '/signalement', '/transparence'];

let browser;
before(async () => {
  assert.ok(BASE, 'VEILLE_URL must point at a running portal');
  browser = await launch();
});
after(async () => { await browser?.close(); });

/// The served HTML of each page, fetched with the cookies of `storageState`.
async function served(paths, storageState) {
  const context = await browser.newContext({ locale: 'fr-FR', storageState });
  try {
    const pages = [];
    for (const path of paths) {
      const response = await context.request.get(`${BASE}${path}`, { maxRedirects: 0 });
      assert.equal(response.status(), 200, `${path} answered ${response.status()}`);
      pages.push({ path, html: await response.text() });
    }
    return pages;
  } finally {
    await context.close();
  }
}

/// Runs the checker once over all `pages`: the errors of each page, allowed ones left out.
function check(pages) {
  const dir = mkdtempSync(join(tmpdir(), 'veille-vnu-'));
  try {
    const files = pages.map(({ html }, i) => {
      const file = join(dir, `page-${i}.html`);
      writeFileSync(file, html);
      return file;
    });
    const run = spawnSync('java', ['-jar', VNU, '--format', 'json', '--stdout', ...files],
      { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    assert.ok(run.stdout, `vnu.jar printed nothing: ${run.error ?? run.stderr}`);
    const { messages } = JSON.parse(run.stdout);
    const errors = new Map(pages.map(({ path }) => [path, []]));
    for (const m of messages) {
      if (m.type !== 'error' && m.type !== 'non-document-error') continue;
      if (ALLOWED.some((a) => m.message === a.message && (m.extract ?? '').includes(a.extract))) continue;
      const i = files.findIndex((f) => m.url && m.url.endsWith(f.slice(f.lastIndexOf('/'))));
      const where = m.lastLine ? ` (line ${m.lastLine}): ${(m.extract ?? '').replace(/\s+/g, ' ').trim()}` : '';
      errors.get(pages[i]?.path ?? pages[0].path).push(`${m.message}${where}`);
    }
    return errors;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function assertValid(errors) {
  const report = [...errors].filter(([, list]) => list.length)
    .map(([path, list]) => `${path}:\n    ${list.join('\n    ')}`);
  assert.ok(report.length === 0, `Nu HTML checker errors:\n  ${report.join('\n  ')}`);
}

test('the public pages are valid HTML as served', async () => {
  assertValid(check(await served(PUBLIC_PAGES)));
});

test("a signed-in monitor's pages are valid HTML as served", async () => {
  const monitor = await signedInState(browser, 'analyste@cndh.test');
  // The demo data holds no case: the member files one, which the monitor forwards.
  const member = await signedInState(browser, 'membre@femmes-kayes.test');
  const observation = await fileAndForward(browser, member, monitor);
  assertValid(check(await served(['/observations', observation, '/dashboard'], monitor)));
});
