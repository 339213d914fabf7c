// Helpers for the browser tests: the real `werger` binary serving a fresh data directory on a
// random loopback port, Debian's Chromium through playwright-core, and the Fluent files.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, mkdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const SCREENSHOTS = path.join(ROOT, 'target', 'screenshots');
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** The werger binary: $WERGER_BIN, else the debug build. */
export function wergerBin() {
  const bin = process.env.WERGER_BIN || path.join(ROOT, 'target', 'debug', 'werger');
  if (!existsSync(bin)) {
    throw new Error(`werger binary not found at ${bin}: run \`cargo build\` or set WERGER_BIN`);
  }
  return bin;
}

/**
 * Start `werger --data-dir TMP serve --bind 127.0.0.1:0 [ARGS…]`, wait until it prints its
 * address and /readyz answers 200. `stop()` ends it and removes the data directory.
 * `args` are extra arguments of `serve`, e.g. `['--demo']`.
 */
export async function startServer({ args = [] } = {}) {
  const bin = wergerBin();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'werger-browser-'));
  const child = spawn(bin, ['--data-dir', dataDir, 'serve', '--bind', '127.0.0.1:0', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, RUST_LOG: process.env.RUST_LOG || 'warn' },
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const lines = createInterface({ input: child.stdout });
  const base = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('werger serve printed no address within 60 s')), 60000);
    lines.on('line', (line) => {
      const m = /^listening on (\S+)/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve(m[1].replace(/\/$/, ''));
      }
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`werger serve exited before listening (code ${code}, signal ${signal})`));
    });
  });
  // The reader keeps draining stdout so the server never blocks on a full pipe.
  const deadline = Date.now() + 120000;
  for (;;) {
    try {
      const r = await fetch(base + '/readyz');
      if (r.status === 200) break;
    } catch {
      // not accepting yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('werger serve not ready after 120 s');
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  let stopped = false;
  return {
    base,
    dataDir,
    url: (p) => base + p,
    async stop() {
      if (stopped) return;
      stopped = true;
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
      lines.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Debian's Chromium, headless. Missing Chromium is an error, never a skipped test. */
export async function launchBrowser() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium package (.ci/test does)`);
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true });
}

export async function screenshotPath(name) {
  await mkdir(SCREENSHOTS, { recursive: true });
  return path.join(SCREENSHOTS, name);
}

const ftlCache = new Map();
/** The text of message `id` in `locales/{lang}/werger.ftl`, read from the file itself. */
export async function ftl(lang, id) {
  if (!ftlCache.has(lang)) {
    ftlCache.set(lang, await readFile(path.join(ROOT, 'locales', lang, 'werger.ftl'), 'utf8'));
  }
  const line = ftlCache.get(lang).split('\n').find((l) => l.startsWith(id + ' = '));
  if (!line) throw new Error(`no message ${id} in locales/${lang}/werger.ftl`);
  return line.slice(id.length + 3).trim();
}

/** JSON from the API, with the status. */
export async function apiJson(server, method, p, body, headers = {}) {
  const init = { method, headers: { Accept: 'application/json', ...headers } };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const r = await fetch(server.url(p), init);
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : null };
}
