// The observations export as the monitor downloads it: by clicking its link on the dashboard,
// in a browser that asks for a compressed answer (which once made the server send nothing),
// compared with the same export fetched by node without compression, with the same session.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { get } from 'node:http';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { BASE } from './browser.mjs';

// A GET with exactly these headers (no encoding asked unless given): status, headers, raw bytes.
function fetchRaw(path, headers) {
  return new Promise((resolve, reject) => {
    get(`${BASE}${path}`, { headers }, (response) => {
      const chunks = [];
      response.on('data', (c) => chunks.push(c));
      response.on('end', () => resolve({ status: response.statusCode, headers: response.headers, body: Buffer.concat(chunks) }));
      response.on('error', reject);
    }).on('error', reject);
  });
}

function decode(encoding, bytes) {
  if (!encoding || encoding === 'identity') return bytes;
  if (encoding === 'br') return brotliDecompressSync(bytes);
  if (encoding === 'gzip') return gunzipSync(bytes);
  if (encoding === 'deflate') return inflateSync(bytes);
  throw new Error(`unexpected encoding ${encoding}`);
}

// `monitor`: { context, page } of a signed-in monitor, the portal holding submitted observations.
export async function exportArrivesWhole({ context, page }, javaScript) {
  await page.goto(`${BASE}/dashboard`);
  if (javaScript) await page.waitForSelector('body[data-hydrated="true"]', { timeout: 20000 });
  const link = page.locator('a[href^="/exports/observations?format=csv"]');
  await link.waitFor();
  const href = await link.getAttribute('href');
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  assert.equal(await download.failure(), null, 'the download completed');
  assert.equal(download.suggestedFilename(), 'veille-observations.csv');
  const file = await readFile(await download.path());

  // The same export without compression, with the same session, straight from node.
  const cookie = (await context.cookies(BASE)).map((c) => `${c.name}=${c.value}`).join('; ');
  const plain = await fetchRaw(href, { cookie, 'accept-encoding': 'identity' });
  assert.equal(plain.status, 200);
  assert.equal(plain.headers['content-encoding'], undefined);
  const rows = plain.body.toString('utf8').trimEnd().split('\r\n');
  assert.ok(rows[0].startsWith('\ufeffreference;submitted_on;'), rows[0]);
  assert.ok(rows.length > 1, 'observations to export');
  assert.deepEqual(file.toString('utf8').trimEnd().split('\r\n'), rows, 'the same rows as the uncompressed download');
  assert.ok(file.equals(plain.body), 'the same bytes');

  // What a browser asks for is answered compressed, and whole once decompressed.
  const compressed = await fetchRaw(href, { cookie, 'accept-encoding': 'gzip, deflate, br' });
  assert.equal(compressed.status, 200);
  const encoding = compressed.headers['content-encoding'];
  assert.ok(['br', 'gzip'].includes(encoding), `compressed (${encoding})`);
  assert.ok(decode(encoding, compressed.body).equals(plain.body), 'whole once decompressed');
}
