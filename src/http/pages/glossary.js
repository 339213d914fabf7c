// The glossary maintainer page. Plain JavaScript, no build step: the server renders the shell in
// the UI language and embeds the `ui-` messages as JSON; this script talks to /api/v1/glossary.
'use strict';
(() => {
  const MESSAGES = JSON.parse(document.getElementById('ui-messages').textContent);
  const UI = document.documentElement.lang || 'en';
  const LANGS = ['en', 'ar', 'ckb', 'kmr'];
  const RTL = new Set(['ar', 'ckb']);
  const STATUSES = ['preferred', 'admitted', 'deprecated', 'forbidden'];
  const PAGE = 50;
  const TIMEOUT_MS = 30000;
  const IMPORT_TIMEOUT_MS = 600000;

  const $ = (id) => document.getElementById(id);
  const dirOf = (lang) => (RTL.has(lang) ? 'rtl' : 'ltr');

  /** A message with its `{$name}` placeholders filled in. */
  function t(id, args = {}) {
    let text = Object.prototype.hasOwnProperty.call(MESSAGES, id) ? MESSAGES[id] : id;
    for (const [name, value] of Object.entries(args)) {
      text = text.split('{$' + name + '}').join(String(value));
    }
    return text;
  }

  /** Create an element: attributes (properties for `on…`, `className`, booleans), children. */
  function h(tag, attrs = {}, ...children) {
    const el = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs)) {
      if (value === undefined || value === null || value === false) continue;
      if (key === 'className') el.className = value;
      else if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
      else if (key === 'dataset') Object.assign(el.dataset, value);
      else el.setAttribute(key, value === true ? '' : String(value));
    }
    for (const child of children.flat(Infinity)) {
      if (child === undefined || child === null || child === false) continue;
      el.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return el;
  }

  /** Text in a given language, isolated from the surrounding direction. */
  const bdi = (lang, text) => h('bdi', { lang, dir: dirOf(lang) }, text);
  const statusBadge = (status) =>
    h('span', { className: 'badge badge-' + status }, t('ui-glossary-status-' + status));

  // ---- notices -----------------------------------------------------------------------------

  const statusBox = $('status');
  const errorBox = $('error');
  function announce(text) {
    errorBox.textContent = '';
    statusBox.textContent = text;
  }
  function showError(text) {
    statusBox.textContent = '';
    errorBox.textContent = text;
  }
  function clearNotices() {
    statusBox.textContent = '';
    errorBox.textContent = '';
  }

  // ---- HTTP --------------------------------------------------------------------------------

  class ApiFailure extends Error {
    constructor(message, code, status) {
      super(message);
      this.code = code;
      this.status = status;
    }
  }

  /** The signal of `controller` (if any) combined with a time limit. */
  function signalFor(controller, ms) {
    const timeout = AbortSignal.timeout(ms);
    return controller ? AbortSignal.any([controller.signal, timeout]) : timeout;
  }

  /**
   * Call the API; resolves to the parsed JSON body (null for 204), rejects with an ApiFailure
   * whose message is localized (the server's, in the UI language, or one of ours).
   */
  async function api(method, path, { json, body, headers = {}, controller, timeout = TIMEOUT_MS } = {}) {
    const all = { Accept: 'application/json', 'Accept-Language': UI, ...headers };
    const key = apiKeyInput.value.trim();
    if (key) all['X-Api-Key'] = key;
    if (json !== undefined) {
      all['Content-Type'] = 'application/json';
      body = JSON.stringify(json);
    }
    let response;
    let text;
    try {
      response = await fetch(path, { method, headers: all, body, signal: signalFor(controller, timeout) });
      text = await response.text();
    } catch (e) {
      if (controller && controller.signal.aborted) throw e; // superseded: the caller ignores it
      const timedOut = e && e.name === 'TimeoutError';
      throw new ApiFailure(t(timedOut ? 'ui-glossary-error-timeout' : 'ui-glossary-error-network'), timedOut ? 'timeout' : 'network', 0);
    }
    let data = null;
    if (text) {
      try {
        data = JSON.parse(text);
      } catch {
        data = null;
      }
    }
    if (!response.ok) {
      const error = data && data.error;
      const message = error && typeof error.message === 'string' && error.message
        ? error.message
        : t('ui-glossary-error-http', { status: response.status });
      throw new ApiFailure(message, error && error.code, response.status);
    }
    return data;
  }

  const isAbort = (e) => e && e.name === 'AbortError';

  /** Headers for a write: the maintainer's name, percent-encoded (headers carry ASCII only;
   *  the server decodes it, so شیلان is recorded as written). */
  function writeHeaders() {
    const who = whoInput.value.trim();
    if (!who) return {};
    return { 'X-Werger-User': encodeURIComponent(who) };
  }

  // ---- search and results ------------------------------------------------------------------

  const searchInput = $('search');
  const resultsList = $('results');
  const resultCount = $('result-count');
  let searchController = null;
  let searchTimer = 0;
  let currentId = null;

  /** The term to show for a language: the first by status (preferred first). */
  function shownTerm(concept, lang) {
    const terms = concept.terms.filter((term) => term.lang === lang);
    terms.sort((a, b) => STATUSES.indexOf(a.status) - STATUSES.indexOf(b.status));
    return terms[0];
  }

  function resultItem(concept) {
    const lines = [];
    for (const lang of LANGS) {
      const term = shownTerm(concept, lang);
      if (!term) continue;
      lines.push(h('span', { className: 'result-term' },
        h('abbr', { className: 'lang-code', title: t('ui-glossary-lang-' + lang) }, lang),
        bdi(lang, term.text),
        statusBadge(term.status)));
    }
    const button = h('button', {
      type: 'button',
      className: 'result',
      dataset: { id: concept.id },
      'aria-current': concept.id === currentId ? 'true' : 'false',
      onclick: () => openConcept(concept.id),
    }, h('span', { className: 'concept-id' }, h('bdi', {}, concept.id)), lines);
    return h('li', {}, button);
  }

  function markCurrent() {
    for (const button of resultsList.querySelectorAll('button.result')) {
      button.setAttribute('aria-current', button.dataset.id === currentId ? 'true' : 'false');
    }
  }

  function scheduleSearch() {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(runSearch, 200);
  }

  async function runSearch() {
    clearTimeout(searchTimer);
    if (searchController) searchController.abort();
    const controller = new AbortController();
    searchController = controller;
    const q = searchInput.value.trim();
    resultsList.setAttribute('aria-busy', 'true');
    try {
      const params = new URLSearchParams({ q, limit: String(PAGE) });
      const data = await api('GET', '/api/v1/glossary/concepts?' + params, { controller });
      if (controller !== searchController) return;
      resultsList.replaceChildren(...data.concepts.map(resultItem));
      const parts = [data.total === 0 ? t('ui-glossary-results-empty') : t('ui-glossary-results-count', { total: data.total })];
      if (data.total > data.concepts.length) parts.push(t('ui-glossary-results-partial', { shown: data.concepts.length }));
      resultCount.textContent = parts.join(' ');
      resultsList.dataset.query = q;
    } catch (e) {
      if (isAbort(e) || controller !== searchController) return;
      showError(e.message);
    } finally {
      if (controller === searchController) resultsList.removeAttribute('aria-busy');
    }
  }

  // ---- editor ------------------------------------------------------------------------------

  const editor = $('editor');
  const editorHeading = $('editor-heading');
  const idInput = $('concept-id');
  const subjectInput = $('concept-subject');
  const definitionInput = $('concept-definition');
  const noteInput = $('concept-note');
  const whoInput = $('who');
  const apiKeyInput = $('api-key');
  const saveButton = $('save');
  const deleteButton = $('delete');
  let rowCounter = 0;

  function section(lang) {
    return editor.querySelector(`.lang-section[data-lang="${lang}"] .term-rows`);
  }

  function renumber(lang) {
    section(lang).querySelectorAll('.term-row').forEach((row, i) => {
      row.querySelector('.row-label').textContent = t('ui-glossary-term-row', { number: i + 1 });
    });
  }

  /** One editable term: text (in the term's own language and direction), status, part of
   *  speech, case sensitivity, note, remove. */
  function termRow(lang, term = {}) {
    const n = ++rowCounter;
    const id = (part) => `term-${n}-${part}`;
    const statusSelect = h('select', { id: id('status'), className: 'term-status' },
      STATUSES.map((s) => h('option', { value: s }, t('ui-glossary-status-' + s))));
    statusSelect.value = term.status || 'preferred';
    const labelId = id('label');
    const row = h('div', { className: 'term-row', role: 'group', 'aria-labelledby': labelId, dataset: { lang } },
      h('span', { id: labelId, className: 'row-label sr-only' }),
      h('div', { className: 'field f-text' },
        h('label', { for: id('text') }, t('ui-glossary-term-text')),
        h('input', { id: id('text'), className: 'term-text', lang, dir: dirOf(lang), autocomplete: 'off', maxlength: 300, value: term.text || '' })),
      h('div', { className: 'field f-status' },
        h('label', { for: id('status') }, t('ui-glossary-term-status')), statusSelect),
      h('div', { className: 'field f-pos' },
        h('label', { for: id('pos') }, t('ui-glossary-term-pos')),
        h('input', { id: id('pos'), className: 'term-pos', dir: 'auto', autocomplete: 'off', value: term.pos || '' })),
      h('button', {
        type: 'button',
        className: 'remove-term danger',
        'aria-describedby': labelId,
        onclick: () => removeRow(row, lang),
      }, t('ui-glossary-term-remove')),
      h('div', { className: 'field f-note' },
        h('label', { for: id('note') }, t('ui-glossary-term-note')),
        h('input', { id: id('note'), className: 'term-note', dir: 'auto', autocomplete: 'off', value: term.note || '' })),
      h('div', { className: 'field f-case' },
        h('input', { id: id('case'), className: 'term-case', type: 'checkbox', checked: !!term.case_sensitive }),
        h('label', { for: id('case') }, t('ui-glossary-term-case'))));
    return row;
  }

  function removeRow(row, lang) {
    const next = row.nextElementSibling || row.previousElementSibling;
    row.remove();
    renumber(lang);
    const focusTarget = next ? next.querySelector('.term-text') : editor.querySelector(`.add-term[data-lang="${lang}"]`);
    focusTarget.focus();
  }

  function addRow(lang, term, focus) {
    const row = termRow(lang, term);
    section(lang).append(row);
    renumber(lang);
    if (focus) row.querySelector('.term-text').focus();
    return row;
  }

  function fillEditor(concept) {
    currentId = concept ? concept.id : null;
    idInput.value = concept ? concept.id : '';
    idInput.readOnly = !!concept;
    subjectInput.value = (concept && concept.subject) || '';
    definitionInput.value = (concept && concept.definition) || '';
    noteInput.value = (concept && concept.note) || '';
    for (const lang of LANGS) {
      section(lang).replaceChildren();
      const terms = concept ? concept.terms.filter((term) => term.lang === lang) : [];
      if (terms.length) terms.forEach((term) => addRow(lang, term, false));
      else addRow(lang, {}, false);
    }
    editorHeading.replaceChildren(concept
      ? t('ui-glossary-editor-heading-edit', { id: '\u2068' + concept.id + '\u2069' })
      : t('ui-glossary-editor-heading-new'));
    deleteButton.hidden = !concept;
    editor.dataset.conceptId = currentId || '';
    markCurrent();
  }

  /** The concept as the API takes it; rows left empty are not terms. */
  function collect() {
    const concept = {
      subject: subjectInput.value,
      definition: definitionInput.value,
      note: noteInput.value,
      terms: [],
    };
    if (!currentId && idInput.value.trim()) concept.id = idInput.value.trim();
    for (const row of editor.querySelectorAll('.term-row')) {
      const text = row.querySelector('.term-text').value;
      if (!text.trim()) continue;
      const term = {
        lang: row.dataset.lang,
        text,
        status: row.querySelector('.term-status').value,
        case_sensitive: row.querySelector('.term-case').checked,
      };
      const pos = row.querySelector('.term-pos').value.trim();
      const note = row.querySelector('.term-note').value.trim();
      if (pos) term.pos = pos;
      if (note) term.note = note;
      concept.terms.push(term);
    }
    return concept;
  }

  async function openConcept(id) {
    clearNotices();
    try {
      const concept = await api('GET', '/api/v1/glossary/concepts/' + encodeURIComponent(id));
      fillEditor(concept);
      await loadHistory(concept.id);
    } catch (e) {
      showError(e.message);
    }
  }

  async function save(event) {
    event.preventDefault();
    clearNotices();
    saveButton.disabled = true;
    editor.setAttribute('aria-busy', 'true');
    try {
      const headers = writeHeaders();
      const body = collect();
      const creating = !currentId;
      const concept = creating
        ? await api('POST', '/api/v1/glossary/concepts', { json: body, headers })
        : await api('PUT', '/api/v1/glossary/concepts/' + encodeURIComponent(currentId), { json: body, headers });
      fillEditor(concept);
      announce(t(creating ? 'ui-glossary-created' : 'ui-glossary-saved', { id: concept.id }));
      await Promise.all([runSearch(), loadHistory(concept.id)]);
    } catch (e) {
      showError(e.message);
    } finally {
      saveButton.disabled = false;
      editor.removeAttribute('aria-busy');
    }
  }

  const confirmDialog = $('confirm-delete');
  function askDelete() {
    if (!currentId) return;
    $('confirm-delete-text').textContent = t('ui-glossary-delete-confirm', { id: '\u2068' + currentId + '\u2069' });
    confirmDialog.returnValue = '';
    confirmDialog.showModal();
  }

  async function reallyDelete() {
    const id = currentId;
    clearNotices();
    deleteButton.disabled = true;
    try {
      await api('DELETE', '/api/v1/glossary/concepts/' + encodeURIComponent(id), { headers: writeHeaders() });
      fillEditor(null);
      announce(t('ui-glossary-deleted', { id }));
      await Promise.all([runSearch(), loadHistory(id)]);
      $('new-concept').focus();
    } catch (e) {
      showError(e.message);
    } finally {
      deleteButton.disabled = false;
    }
  }

  // ---- history -----------------------------------------------------------------------------

  const historyList = $('history');
  const historyEmpty = $('history-empty');
  let historyFor = null;

  // Dates in the UI language when the browser has its data; else numbers only (day, month,
  // year, 24-hour time) in the conventions of the region where the language is written, which
  // reads correctly without month names the browser cannot give.
  const dateFormat = (() => {
    const style = { dateStyle: 'medium', timeStyle: 'short' };
    const numeric = { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
    const fallback = { ckb: 'ar-IQ', ar: 'ar', kmr: 'tr', en: 'en-GB' };
    try {
      const aliases = UI === 'kmr' ? ['kmr', 'ku'] : [UI];
      const supported = Intl.DateTimeFormat.supportedLocalesOf(aliases);
      if (supported.length) return new Intl.DateTimeFormat(supported, style);
      return new Intl.DateTimeFormat([fallback[UI] || 'en-GB', 'en-GB'], numeric);
    } catch {
      return new Intl.DateTimeFormat('en-GB', numeric);
    }
  })();

  const termLabel = (term) => h('span', { className: 'history-term' },
    h('abbr', { className: 'lang-code', title: t('ui-glossary-lang-' + term.lang) }, term.lang), ' ',
    bdi(term.lang, term.text));

  /** What one change did: terms added, removed, statuses changed, other fields changed. */
  function changes(before, after) {
    const key = (term) => term.lang + '\u0000' + term.text;
    const old = new Map(((before && before.terms) || []).map((term) => [key(term), term]));
    const now = new Map(((after && after.terms) || []).map((term) => [key(term), term]));
    const items = [];
    for (const [k, term] of now) {
      if (!old.has(k)) {
        items.push(h('li', { className: 'change-added' }, t('ui-glossary-change-added'), ': ', termLabel(term), ' ', statusBadge(term.status)));
      }
    }
    for (const [k, term] of old) {
      if (!now.has(k)) items.push(h('li', { className: 'change-removed' }, t('ui-glossary-change-removed'), ': ', termLabel(term)));
    }
    const fields = [];
    for (const [k, term] of now) {
      const was = old.get(k);
      if (!was) continue;
      if (was.status !== term.status) {
        items.push(h('li', { className: 'change-status' }, t('ui-glossary-change-status'), ': ', termLabel(term), ' ',
          statusBadge(was.status), ' → ', statusBadge(term.status)));
      }
      if ((was.pos || '') !== (term.pos || '') && !fields.includes('ui-glossary-term-pos')) fields.push('ui-glossary-term-pos');
      if ((was.note || '') !== (term.note || '') && !fields.includes('ui-glossary-term-note')) fields.push('ui-glossary-term-note');
      if (!!was.case_sensitive !== !!term.case_sensitive && !fields.includes('ui-glossary-term-case')) fields.push('ui-glossary-term-case');
    }
    if (before && after) {
      for (const field of ['subject', 'definition', 'note']) {
        if ((before[field] || '') !== (after[field] || '')) fields.unshift('ui-glossary-field-' + field);
      }
    }
    if (fields.length) {
      items.push(h('li', { className: 'change-fields' }, t('ui-glossary-change-fields'), ': ', fields.map(t).join(UI === 'ar' || UI === 'ckb' ? '، ' : ', ')));
    }
    if (!items.length) items.push(h('li', { className: 'change-none' }, t('ui-glossary-change-none')));
    return items;
  }

  function historyEntry(entry) {
    const when = new Date(entry.at_ms);
    return h('li', { className: 'history-entry', dataset: { action: entry.action, seq: entry.seq } },
      h('div', { className: 'history-head' },
        h('span', { className: 'history-action' }, t('ui-glossary-action-' + entry.action)),
        h('span', { className: 'history-who' }, t('ui-glossary-history-by'), ' ', h('bdi', {}, entry.who)),
        h('time', { datetime: when.toISOString() }, dateFormat.format(when))),
      h('ul', { className: 'history-changes' }, changes(entry.before, entry.after)));
  }

  async function loadHistory(id) {
    historyFor = id;
    historyList.setAttribute('aria-busy', 'true');
    try {
      const data = await api('GET', '/api/v1/glossary/concepts/' + encodeURIComponent(id) + '/history');
      if (historyFor !== id) return;
      const entries = [...data.history].sort((a, b) => b.seq - a.seq);
      historyList.replaceChildren(...entries.map(historyEntry));
      historyEmpty.hidden = true;
    } catch (e) {
      if (historyFor === id) {
        historyList.replaceChildren();
        historyEmpty.hidden = false;
      }
      if (e.status !== 404) showError(e.message);
    } finally {
      if (historyFor === id) historyList.removeAttribute('aria-busy');
    }
  }

  function clearHistory() {
    historyFor = null;
    historyList.replaceChildren();
    historyEmpty.hidden = false;
  }

  // ---- import ------------------------------------------------------------------------------

  const importForm = $('import-form');
  const importFile = $('import-file');
  const importFormat = $('import-format');
  const importButton = $('import-submit');
  const importReport = $('import-report');

  function formatFor(name) {
    if (importFormat.value !== 'auto') return importFormat.value;
    return /\.(csv|tsv|txt)$/i.test(name) ? 'csv' : 'tbx';
  }

  function reportView(report) {
    const rows = [
      ['ui-glossary-report-read', report.concepts_read],
      ['ui-glossary-report-created', report.created],
      ['ui-glossary-report-updated', report.updated],
      ['ui-glossary-report-unchanged', report.unchanged],
      ['ui-glossary-report-without-terms', report.without_terms],
    ];
    const dl = h('dl', {}, rows.map(([id, value]) => [
      h('dt', {}, t(id)),
      h('dd', { className: id.replace('ui-glossary-report-', 'report-') }, String(value)),
    ]));
    const parts = [h('p', { className: 'report-title' }, t('ui-glossary-import-done', { file: '\u2068' + report.file + '\u2069' })), dl];
    if (report.skipped_terms && report.skipped_terms.length) {
      parts.push(h('p', {}, t('ui-glossary-report-skipped')), h('ul', { className: 'report-skipped' },
        report.skipped_terms.map((s) => h('li', {}, h('bdi', { dir: 'ltr' }, s.tag), ' — ', h('bdi', { lang: 'en', dir: 'ltr' }, s.reason), ' × ' + s.count))));
    }
    if (report.notes && report.notes.length) {
      parts.push(h('p', {}, t('ui-glossary-report-notes')), h('ul', { className: 'report-notes' },
        report.notes.map((n) => h('li', {}, h('bdi', { lang: 'en', dir: 'ltr' }, n.note), ' × ' + n.count))));
    }
    return parts;
  }

  async function runImport(event) {
    event.preventDefault();
    clearNotices();
    const file = importFile.files && importFile.files[0];
    if (!file) {
      showError(t('ui-glossary-import-no-file'));
      importFile.focus();
      return;
    }
    importButton.disabled = true;
    importReport.replaceChildren(h('p', {}, t('ui-glossary-import-running', { file: '\u2068' + file.name + '\u2069' })));
    try {
      const headers = { ...writeHeaders(), 'Content-Type': 'application/octet-stream' };
      const path = `/api/v1/glossary/import/${formatFor(file.name)}?name=${encodeURIComponent(file.name)}`;
      const report = await api('POST', path, { body: file, headers, timeout: IMPORT_TIMEOUT_MS });
      importReport.replaceChildren(...reportView(report));
      await runSearch();
      if (currentId) await openConcept(currentId);
    } catch (e) {
      importReport.replaceChildren();
      showError(e.message);
    } finally {
      importButton.disabled = false;
    }
  }

  // ---- wiring ------------------------------------------------------------------------------

  // A server started with API keys asks for one; it is kept for this browser tab only.
  const API_KEY = 'werger.apiKey';
  try {
    apiKeyInput.value = sessionStorage.getItem(API_KEY) || '';
  } catch {
    // Storage unavailable: the key is typed again after a reload.
  }
  apiKeyInput.addEventListener('change', () => {
    try {
      sessionStorage.setItem(API_KEY, apiKeyInput.value.trim());
    } catch {
      // See above.
    }
  });

  const WHO_KEY = 'werger.glossary.who';
  try {
    whoInput.value = localStorage.getItem(WHO_KEY) || '';
  } catch {
    // Storage can be unavailable (private mode, file://): the name is just not remembered.
  }
  whoInput.addEventListener('change', () => {
    try {
      localStorage.setItem(WHO_KEY, whoInput.value.trim());
    } catch {
      // See above.
    }
  });

  $('search-form').addEventListener('submit', (event) => {
    event.preventDefault();
    runSearch();
  });
  searchInput.addEventListener('input', scheduleSearch);
  editor.addEventListener('submit', save);
  for (const button of editor.querySelectorAll('.add-term')) {
    button.addEventListener('click', () => addRow(button.dataset.lang, {}, true));
  }
  $('new-concept').addEventListener('click', () => {
    clearNotices();
    fillEditor(null);
    clearHistory();
    idInput.focus();
  });
  deleteButton.addEventListener('click', askDelete);
  confirmDialog.addEventListener('close', () => {
    if (confirmDialog.returnValue === 'delete') reallyDelete();
    else deleteButton.focus();
  });
  importForm.addEventListener('submit', runImport);

  fillEditor(null);
  runSearch().finally(() => {
    document.body.dataset.ready = 'true';
  });
})();
