// The glossary maintainer page (GET /glossary) in Debian's headless Chromium, against the real
// binary. Each test starts its own server on a fresh data directory and stops it after.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { apiJson, ftl, launchBrowser, screenshotPath, startServer } from './server.mjs';

const VIEWPORT = { width: 1280, height: 800 };
const WAIT = { timeout: 20000 };

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  if (browser) await browser.close();
});

/** A server and a page for one test; both are closed when `fn` ends, whatever happens. */
async function withPage(fn) {
  const server = await startServer();
  const context = await browser.newContext({ viewport: VIEWPORT, locale: 'en-US' });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(String(e)));
  try {
    await fn({ server, page });
    assert.deepEqual(problems, [], 'the page threw');
  } finally {
    await context.close();
    await server.stop();
  }
}

/** Open the page and wait until its first search has answered. */
async function open(page, server, query = '') {
  await page.goto(server.url('/glossary' + query));
  await page.waitForSelector('body[data-ready="true"]', WAIT);
}

const termInput = (page, lang, index = 0) =>
  page.locator(`.lang-section[data-lang="${lang}"] .term-row`).nth(index).locator('.term-text');
const statusSelect = (page, lang, index = 0) =>
  page.locator(`.lang-section[data-lang="${lang}"] .term-row`).nth(index).locator('.term-status');

/** Wait until the results list answers `query` and holds a result containing `text`. */
async function waitForResult(page, query, text) {
  await page.waitForFunction(
    ([q, wanted]) => {
      const list = document.getElementById('results');
      if (list.dataset.query !== q || list.hasAttribute('aria-busy')) return false;
      return [...list.querySelectorAll('button.result')].some((b) => b.textContent.includes(wanted));
    },
    [query, text],
    WAIT,
  );
}

async function createConcept(server, concept) {
  const r = await apiJson(server, 'POST', '/api/v1/glossary/concepts', concept, { 'X-Werger-User': 'seed' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}

const SEED = [
  {
    id: 'psf',
    subject: 'security',
    definition: 'The armed forces of the Kurdistan Region.',
    terms: [
      { lang: 'en', text: 'Peshmerga Security Forces', status: 'preferred' },
      { lang: 'ar', text: 'قوات البيشمركة', status: 'preferred' },
      { lang: 'ckb', text: 'هێزەکانی پێشمەرگە', status: 'preferred' },
      { lang: 'kmr', text: 'Hêzên Pêşmerge', status: 'preferred' },
    ],
  },
  {
    id: 'daesh',
    subject: 'security',
    note: 'Never "ISIS" in Arabic releases.',
    terms: [
      { lang: 'en', text: 'Daesh', status: 'preferred' },
      { lang: 'en', text: 'ISIS', status: 'deprecated' },
      { lang: 'ar', text: 'داعش', status: 'preferred' },
      { lang: 'ar', text: 'الدولة الإسلامية', status: 'forbidden' },
      { lang: 'ckb', text: 'داعش', status: 'preferred' },
      { lang: 'kmr', text: 'DAIŞ', status: 'preferred' },
    ],
  },
  {
    id: 'krg',
    subject: 'government',
    terms: [
      { lang: 'en', text: 'Kurdistan Regional Government', status: 'preferred' },
      { lang: 'ar', text: 'حكومة إقليم كوردستان', status: 'preferred' },
      { lang: 'ckb', text: 'حکومەتی هەرێمی کوردستان', status: 'preferred' },
      { lang: 'kmr', text: 'Hikûmeta Herêma Kurdistanê', status: 'admitted' },
    ],
  },
];

test('maintainer flow in English: create, search, edit, history, and the API agrees', async () => {
  await withPage(async ({ server, page }) => {
    await open(page, server, '?lang=en');
    assert.equal(await page.locator('h1').textContent(), await ftl('en', 'ui-glossary-title'));

    await termInput(page, 'en').fill('Peshmerga Security Forces');
    await termInput(page, 'ckb').fill('هێزەکانی پێشمەرگە');
    await termInput(page, 'ar').fill('قوات البيشمركة');
    assert.equal(await statusSelect(page, 'ar').inputValue(), 'preferred');
    await page.locator('.add-term[data-lang="ar"]').click();
    // The new row gets the focus, in the term's own direction.
    await page.keyboard.type('ميليشيات البيشمركة');
    assert.equal(await termInput(page, 'ar', 1).inputValue(), 'ميليشيات البيشمركة');
    await statusSelect(page, 'ar', 1).selectOption('forbidden');
    await page.locator('#concept-subject').fill('security');
    await page.locator('#who').fill('Test Maintainer');
    await page.locator('#save').click();

    await page.waitForFunction(() => document.getElementById('editor').dataset.conceptId !== '', null, WAIT);
    const id = await page.locator('#editor').getAttribute('data-concept-id');
    const created = (await ftl('en', 'ui-glossary-created')).replace('{ $id }', id);
    await page.waitForFunction((text) => document.getElementById('status').textContent === text, created, WAIT);
    assert.equal(await page.locator('#error').textContent(), '');

    // Start again from an empty editor, then find the concept by searching.
    await page.locator('#new-concept').click();
    assert.equal(await termInput(page, 'en').inputValue(), '');
    await page.locator('#search').fill('');
    await page.locator('#search').pressSequentially('peshmerga');
    await waitForResult(page, 'peshmerga', 'Peshmerga Security Forces');
    const result = page.locator('#results button.result', { hasText: 'Peshmerga Security Forces' });
    assert.equal(await result.count(), 1);
    // The preferred Arabic term shows, not the forbidden one, each term isolated in its direction.
    assert.equal(await result.locator('bdi[lang="ar"]').textContent(), 'قوات البيشمركة');
    assert.equal(await result.locator('bdi[lang="ar"]').getAttribute('dir'), 'rtl');
    await result.click();
    await page.waitForFunction((cid) => document.getElementById('editor').dataset.conceptId === cid, id, WAIT);
    assert.equal(await termInput(page, 'en').inputValue(), 'Peshmerga Security Forces');
    assert.equal(await statusSelect(page, 'ar', 1).inputValue(), 'forbidden');
    await page.waitForSelector('#history > li', WAIT);

    // Edit: add the Kurmanji term (the empty Kurmanji row is there to be filled) and save.
    await termInput(page, 'kmr').fill('Hêzên Pêşmerge');
    await page.locator('#save').click();
    const saved = (await ftl('en', 'ui-glossary-saved')).replace('{ $id }', id);
    await page.waitForFunction((text) => document.getElementById('status').textContent === text, saved, WAIT);

    // History: two entries, newest first, the update adding the Kurmanji term.
    await page.waitForFunction(() => document.querySelectorAll('#history > li').length === 2, null, WAIT);
    const entries = page.locator('#history > li');
    assert.equal(await entries.nth(0).getAttribute('data-action'), 'update');
    assert.equal(await entries.nth(1).getAttribute('data-action'), 'create');
    const update = await entries.nth(0).textContent();
    assert.match(update, new RegExp(await ftl('en', 'ui-glossary-action-update')));
    assert.match(update, /Test Maintainer/);
    assert.match(update, /Hêzên Pêşmerge/);
    assert.match(await entries.nth(0).locator('.change-added').textContent(), /kmr/);
    assert.equal(await entries.nth(0).locator('time').count(), 1);

    // The API has the concept with terms in all four languages.
    const { status, body } = await apiJson(server, 'GET', `/api/v1/glossary/concepts/${encodeURIComponent(id)}`);
    assert.equal(status, 200);
    assert.deepEqual([...new Set(body.terms.map((term) => term.lang))].sort(), ['ar', 'ckb', 'en', 'kmr']);
    const forbidden = body.terms.find((term) => term.text === 'ميليشيات البيشمركة');
    assert.equal(forbidden.status, 'forbidden');
    assert.equal(body.subject, 'security');
    const history = await apiJson(server, 'GET', `/api/v1/glossary/concepts/${encodeURIComponent(id)}/history`);
    assert.deepEqual(history.body.history.map((h) => [h.action, h.who]), [
      ['create', 'Test Maintainer'],
      ['update', 'Test Maintainer'],
    ]);

    // Delete, with the confirmation dialog.
    await page.locator('#delete').click();
    await page.locator('#confirm-delete button[value="delete"]').click();
    const deleted = (await ftl('en', 'ui-glossary-deleted')).replace('{ $id }', id);
    await page.waitForFunction((text) => document.getElementById('status').textContent === text, deleted, WAIT);
    assert.equal((await apiJson(server, 'GET', `/api/v1/glossary/concepts/${encodeURIComponent(id)}`)).status, 404);
  });
});

const TBX = `<?xml version="1.0" encoding="UTF-8"?>
<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">
  <tbxHeader>
    <fileDesc><sourceDesc><p>Two concepts for the browser test</p></sourceDesc></fileDesc>
  </tbxHeader>
  <text>
    <body>
      <conceptEntry id="ceasefire">
        <descrip type="subjectField">security</descrip>
        <langSec xml:lang="en">
          <termSec><term>ceasefire</term><termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termSec>
          <termSec><term>truce</term><termNote type="administrativeStatus">admittedTerm-admn-sts</termNote></termSec>
        </langSec>
        <langSec xml:lang="ar">
          <termSec><term>وقف إطلاق النار</term><termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termSec>
        </langSec>
        <langSec xml:lang="ckb">
          <termSec><term>ئاگربەست</term></termSec>
        </langSec>
        <langSec xml:lang="kmr">
          <termSec><term>agirbest</term></termSec>
        </langSec>
      </conceptEntry>
      <conceptEntry id="idp">
        <descrip type="definition">People forced to leave their homes who stay inside their country.</descrip>
        <langSec xml:lang="en">
          <termSec><term>internally displaced persons</term><termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termSec>
        </langSec>
        <langSec xml:lang="ar">
          <termSec><term>النازحون داخليًا</term></termSec>
        </langSec>
        <langSec xml:lang="ckb">
          <termSec><term>ئاوارەکانی ناوخۆ</term></termSec>
        </langSec>
      </conceptEntry>
    </body>
  </text>
</tbx>
`;

test('importing a TBX file shows the report and the imported concepts', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'werger-tbx-'));
  try {
    const file = path.join(dir, 'press-terms.tbx');
    await writeFile(file, TBX, 'utf8');
    await withPage(async ({ server, page }) => {
      await open(page, server, '?lang=en');
      assert.equal(await page.locator('#results button.result').count(), 0);
      await page.locator('#import-file').setInputFiles(file);
      await page.locator('#import-submit').click();
      await page.waitForSelector('#import-report .report-created', WAIT);
      assert.equal(await page.locator('#import-report .report-created').textContent(), '2');
      assert.equal(await page.locator('#import-report .report-read').textContent(), '2');
      assert.equal(await page.locator('#import-report .report-updated').textContent(), '0');
      const done = (await ftl('en', 'ui-glossary-import-done')).replace('{ $file }', '\u2068press-terms.tbx\u2069');
      assert.equal(await page.locator('#import-report .report-title').textContent(), done);
      await waitForResult(page, '', 'internally displaced persons');
      const results = page.locator('#results button.result');
      assert.equal(await results.count(), 2);
      const texts = await results.allTextContents();
      assert.ok(texts.some((t) => t.includes('ceasefire') && t.includes('ئاگربەست')), texts.join(' | '));
      // Importing the same file again changes nothing.
      await page.locator('#import-submit').click();
      await page.waitForFunction(() => document.querySelector('#import-report .report-unchanged')?.textContent === '2', null, WAIT);
      assert.equal(await page.locator('#import-report .report-created').textContent(), '0');
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

/** The x of the list, editor and search box, and the page's width. */
async function geometry(page) {
  const box = async (selector) => {
    const b = await page.locator(selector).boundingBox();
    assert.ok(b, `${selector} is not rendered`);
    return b;
  };
  return {
    list: await box('#list-column'),
    editor: await box('#editor-column'),
    search: await box('#search'),
    width: await page.evaluate(() => document.documentElement.clientWidth),
  };
}

test('right-to-left: the Sorani page mirrors, term inputs keep their own direction', async () => {
  await withPage(async ({ server, page }) => {
    for (const concept of SEED) await createConcept(server, concept);

    await open(page, server, '?lang=ckb');
    assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'ckb');
    const heading = await ftl('ckb', 'ui-glossary-title');
    assert.equal(await page.locator('h1').textContent(), heading);
    assert.ok(await page.locator('h1').isVisible());
    assert.equal(await page.locator('label[for="search"]').textContent(), await ftl('ckb', 'ui-glossary-search-label'));
    await waitForResult(page, '', 'Peshmerga Security Forces');

    const rtl = await geometry(page);
    // The list column starts at the right: to the right of the editor, the search box in the
    // right half of the page.
    assert.ok(rtl.list.x > rtl.editor.x + rtl.editor.width - 1, JSON.stringify(rtl));
    assert.ok(rtl.search.x + rtl.search.width / 2 > rtl.width / 2, JSON.stringify(rtl));
    // Term inputs follow their language, not the UI: English stays left-to-right in Sorani.
    assert.equal(await termInput(page, 'en').getAttribute('dir'), 'ltr');
    assert.equal(await termInput(page, 'en').getAttribute('lang'), 'en');
    assert.equal(await termInput(page, 'kmr').getAttribute('dir'), 'ltr');
    assert.equal(await termInput(page, 'ckb').getAttribute('dir'), 'rtl');
    assert.equal(await page.locator('#list-column').evaluate((e) => getComputedStyle(e).direction), 'rtl');

    await page.locator('#results button.result', { hasText: 'Peshmerga Security Forces' }).click();
    await page.waitForFunction(() => document.getElementById('editor').dataset.conceptId === 'psf', null, WAIT);
    await page.waitForSelector('#history > li', WAIT);
    assert.equal(await page.locator('#history > li .history-action').first().textContent(), await ftl('ckb', 'ui-glossary-action-create'));
    await page.screenshot({ path: await screenshotPath('glossary-ckb.png'), fullPage: true });

    await open(page, server, '?lang=en');
    assert.equal(await page.evaluate(() => document.documentElement.dir), 'ltr');
    assert.equal(await page.locator('h1').textContent(), await ftl('en', 'ui-glossary-title'));
    await waitForResult(page, '', 'Peshmerga Security Forces');
    const ltr = await geometry(page);
    assert.ok(ltr.list.x + ltr.list.width - 1 < ltr.editor.x, JSON.stringify(ltr));
    assert.ok(ltr.search.x + ltr.search.width / 2 < ltr.width / 2, JSON.stringify(ltr));
    // An Arabic (and a Sorani) term input inside the English UI is still right-to-left.
    assert.equal(await termInput(page, 'ar').getAttribute('dir'), 'rtl');
    assert.equal(await termInput(page, 'ar').getAttribute('lang'), 'ar');
    assert.equal(await termInput(page, 'ar').evaluate((e) => getComputedStyle(e).direction), 'rtl');
    assert.equal(await termInput(page, 'ckb').getAttribute('dir'), 'rtl');

    await page.locator('#results button.result', { hasText: 'Daesh' }).click();
    await page.waitForFunction(() => document.getElementById('editor').dataset.conceptId === 'daesh', null, WAIT);
    await page.waitForSelector('#history > li', WAIT);
    assert.equal(await termInput(page, 'ar', 1).inputValue(), 'الدولة الإسلامية');
    assert.equal(await termInput(page, 'ar', 1).getAttribute('dir'), 'rtl');
    await page.screenshot({ path: await screenshotPath('glossary-en.png'), fullPage: true });
  });
});

test('errors from the server are shown in the UI language, in a live region', async () => {
  await withPage(async ({ server, page }) => {
    await open(page, server, '?lang=ckb');
    const region = page.locator('#error');
    assert.equal(await region.getAttribute('aria-live'), 'assertive');
    assert.equal(await region.getAttribute('role'), 'alert');

    // A concept with no terms: what the server says to a Sorani reader.
    const empty = { subject: '', definition: '', note: '', terms: [] };
    const ckb = await apiJson(server, 'POST', '/api/v1/glossary/concepts', empty, { 'Accept-Language': 'ckb' });
    const en = await apiJson(server, 'POST', '/api/v1/glossary/concepts', empty, { 'Accept-Language': 'en' });
    assert.equal(ckb.status, en.status);
    assert.ok(ckb.status >= 400 && ckb.status < 500);
    assert.notEqual(ckb.body.error.message, en.body.error.message);
    const prefix = (await ftl('ckb', 'error-concept-invalid')).split('{')[0];
    assert.ok(ckb.body.error.message.startsWith(prefix), ckb.body.error.message);

    await page.locator('#save').click();
    await page.waitForFunction((text) => document.getElementById('error').textContent === text, ckb.body.error.message, WAIT);
    assert.equal(await page.locator('#status').textContent(), '');
    assert.ok(await region.isVisible());

    // The server gone: the search reports it in Sorani, and the page keeps working.
    await server.stop();
    await page.locator('#search').fill('x');
    const network = await ftl('ckb', 'ui-glossary-error-network');
    await page.waitForFunction((text) => document.getElementById('error').textContent === text, network, WAIT);
    await page.locator('.add-term[data-lang="en"]').click();
    assert.equal(await page.locator('.lang-section[data-lang="en"] .term-row').count(), 2);
  });
});

test('keyboard only: search, results, editor, history in Tab order', async () => {
  await withPage(async ({ server, page }) => {
    await createConcept(server, SEED[0]);
    await open(page, server, '?lang=en');
    await waitForResult(page, '', 'Peshmerga Security Forces');
    await page.locator('#search').focus();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.dataset.id), 'psf');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.getElementById('editor').dataset.conceptId === 'psf', null, WAIT);
    await page.waitForSelector('#history > li', WAIT);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'new-concept');
    // The focus is visible.
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.equal(outline, 'solid');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'concept-id');
    // Every input, select and textarea has a label.
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll('input, select, textarea')]
        .filter((e) => !e.labels || e.labels.length === 0)
        .map((e) => e.id || e.outerHTML));
    assert.deepEqual(unlabelled, []);
  });
});

test('GET /api/v1/messages/{lang} serves the ui- messages with their direction', async () => {
  const server = await startServer();
  try {
    const ckb = await apiJson(server, 'GET', '/api/v1/messages/ckb');
    assert.equal(ckb.status, 200);
    assert.equal(ckb.body.lang, 'ckb');
    assert.equal(ckb.body.dir, 'rtl');
    assert.equal(ckb.body.messages['ui-glossary-title'], await ftl('ckb', 'ui-glossary-title'));
    assert.ok(Object.keys(ckb.body.messages).every((id) => id.startsWith('ui-')));
    const kmr = await apiJson(server, 'GET', '/api/v1/messages/kmr');
    assert.equal(kmr.body.dir, 'ltr');
    assert.deepEqual(Object.keys(kmr.body.messages).sort(), Object.keys(ckb.body.messages).sort());
    assert.equal(kmr.body.messages['ui-glossary-editor-heading-edit'], 'Têgeha {$id}');
    const bad = await apiJson(server, 'GET', '/api/v1/messages/xx', undefined, { 'Accept-Language': 'ar' });
    assert.ok(bad.status >= 400 && bad.status < 500, String(bad.status));
    assert.equal(typeof bad.body.error.code, 'string');
    assert.match(bad.body.error.message, /xx/);
    const page = await fetch(server.url('/glossary'), { headers: { 'Accept-Language': 'ar-IQ,en;q=0.5' } });
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /<html lang="ar" dir="rtl">/);
  } finally {
    await server.stop();
  }
});
