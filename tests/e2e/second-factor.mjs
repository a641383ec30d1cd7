// Liaisons, monitors and admins give a code from their authenticator app after the password.
// The demo accounts hold a published key; this module plays their phone. The portal accepts
// each time step once per account, and `node --test` runs each file in its own process: the
// steps already used are shared through a small state file under a lock.
import { createHmac } from 'node:crypto';
import { mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const DEMO_TOTP_SECRET = 'VEILLEDEMOVEILLEDEMOVEILLEDEMO23';

function base32(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const bytes = [];
  for (const c of text.replace(/=+$/, '')) {
    value = (value << 5) | alphabet.indexOf(c);
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(bytes);
}

// RFC 6238 with SHA-1, 6 digits, 30-second steps (what authenticator apps compute).
export function totp(secret, step) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', base32(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 15;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// A code for a step the portal has not accepted for `email` yet (it takes the steps just before
// and after now); waits for the next step when all three are spent.
export async function freshCode(email) {
  const state = join(tmpdir(), `veille-e2e-totp-${new URL(process.env.VEILLE_URL).port}.json`);
  const lock = `${state}.lock`;
  for (;;) {
    try {
      mkdirSync(lock);
    } catch {
      await sleep(50);
      continue;
    }
    try {
      let used = {};
      try { used = JSON.parse(readFileSync(state, 'utf8')); } catch { /* first use */ }
      const now = Math.floor(Date.now() / 30000);
      // Never the step before now: a step boundary passing before the portal checks the code
      // would put it out of the window, and the browser would stay on the code step.
      const step = [now, now + 1].find((s) => s > (used[email] ?? 0));
      if (step !== undefined) {
        used[email] = step;
        writeFileSync(state, JSON.stringify(used));
        return totp(DEMO_TOTP_SECRET, step);
      }
    } finally {
      rmdirSync(lock);
    }
    await sleep(1000);
  }
}

// Submits the filled-in sign-in form and, when the portal asks for it, the second step;
// resolves once the browser has left the sign-in pages.
export async function submitLogin(page, email) {
  await Promise.all([
    page.waitForURL((url) => url.pathname !== '/login'),
    page.click('main form button[type="submit"]'),
  ]);
  if (new URL(page.url()).pathname === '/login/code') {
    await page.fill('#code', await freshCode(email));
    await Promise.all([
      page.waitForURL((url) => url.pathname !== '/login/code'),
      page.click('main form button[type="submit"]'),
    ]);
  }
}
