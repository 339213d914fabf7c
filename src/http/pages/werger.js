// Werger translator plugin: a side panel with translation-memory matches, glossary terms and
// terminology checks for a <textarea>, a contenteditable element, or an editor that exposes one
// (CKEditor 5, TinyMCE, Quill). A dependency-free ES module, served by Werger at /plugin.js.
//
//   import { Werger } from 'https://werger.example/plugin.js';
//   const handle = Werger.attach(textarea, { sourceLang: 'en', targetLang: 'ar', uiLang: 'ar' });
//   handle.setSource(englishRelease);
//
// Options, keyboard shortcuts and events are described in docs/plugin.md.

/** English messages, put here by the server: used when /api/v1/messages/{lang} fails. */
const FALLBACK_MESSAGES = {"__werger_fallback__": true};

const LANGS = ['en', 'ar', 'ckb', 'kmr'];
const DRAFT_DEBOUNCE_MS = 100;
const QA_DEBOUNCE_MS = 400;
const TIMEOUT_MS = 15000;
const RETRY_DELAYS_MS = [2000, 4000, 8000, 16000, 30000];
const TRANSLATE_LIMIT = 9;
const DRAFT_LIMIT = 5;
const CACHE_SIZE = 200;
const HIGHLIGHT_NAME = 'werger-problem';
const STATUS_ORDER = ['preferred', 'admitted', 'deprecated', 'forbidden'];

const MODULE_ORIGIN = (() => {
  try {
    return new URL(import.meta.url).origin;
  } catch {
    return '';
  }
})();

const has = (object, key) => Object.prototype.hasOwnProperty.call(object, key);
const baseLang = (tag) => String(tag || '').toLowerCase().split(/[-_]/)[0];
const isRtl = (tag) => {
  const lower = String(tag || '').toLowerCase();
  return ['ar', 'ckb', 'fa', 'ur', 'he'].includes(baseLang(lower)) || lower.includes('-arab');
};
const dirOf = (tag) => (isRtl(tag) ? 'rtl' : 'ltr');
const now = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());

// ---- text: sentences, scripts, offsets ------------------------------------------------------

const TERMINATORS = new Set(['.', '!', '?', '؟', '…', '。', '۔']);
const CLOSERS = new Set(['"', "'", '”', '’', '»', ')', ']', '›']);
const ABBREVIATIONS = new Set(['mr', 'mrs', 'ms', 'dr', 'gen', 'maj', 'lt', 'col', 'brig', 'capt', 'sgt', 'st',
  'no', 'vs', 'etc', 'jr', 'sr', 'prof', 'gov', 'sen', 'rep', 'adm', 'cdr', 'cpl', 'pvt', 'e.g', 'i.e', 'u.s', 'u.k']);

/** Does the period ending at `at` (index of '.') close an abbreviation such as "Gen."? */
function isAbbreviation(text, at) {
  let start = at;
  while (start > 0 && /[\p{L}.]/u.test(text[start - 1])) start--;
  const word = text.slice(start, at).toLowerCase();
  if (!word) return false;
  if (ABBREVIATIONS.has(word)) return true;
  return /^\p{Lu}$/u.test(text.slice(start, at)); // an initial: "J. Smith"
}

/**
 * Sentences of `text` as [start, end) UTF-16 ranges without surrounding white space. A line
 * break always ends a sentence; inside a line, a run of . ! ? ؟ … (and closing quotes) followed
 * by white space does, except after an abbreviation or before a lower-case letter. `final`
 * tells whether the sentence ends with its closing punctuation.
 */
function sentenceRanges(text) {
  const out = [];
  const push = (start, end) => {
    while (start < end && /\s/u.test(text[start])) start++;
    while (end > start && /\s/u.test(text[end - 1])) end--;
    if (end <= start) return;
    let last = end - 1;
    while (last > start && CLOSERS.has(text[last])) last--;
    out.push({ start, end, final: TERMINATORS.has(text[last]) });
  };
  let start = 0;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '\n' || c === '\r' || c === '\u2029') {
      push(start, i);
      start = i + 1;
      i++;
      continue;
    }
    if (TERMINATORS.has(c)) {
      let j = i + 1;
      while (j < text.length && (TERMINATORS.has(text[j]) || CLOSERS.has(text[j]))) j++;
      const atEnd = j >= text.length;
      const spaced = atEnd || /[ \t\u00a0\u2009\u202f]/u.test(text[j]);
      if (spaced && !(c === '.' && j === i + 1 && isAbbreviation(text, i))) {
        let k = j;
        while (k < text.length && /[ \t\u00a0]/u.test(text[k])) k++;
        const next = text[k];
        if (atEnd || !next || !/\p{Ll}/u.test(next)) {
          push(start, j);
          start = j;
        }
      }
      i = j;
      continue;
    }
    i++;
  }
  push(start, text.length);
  return out;
}

/**
 * The sentence the cursor is in: the one it touches, or an unfinished one that only spaces
 * separate it from ("The Coalition |" is still that sentence; "The end. |" starts the next).
 */
function sentenceAt(text, ranges, caret) {
  for (const r of ranges) {
    if (r.start <= caret && caret <= r.end) return r;
    if (r.end < caret && !r.final && !/\n/.test(text.slice(r.end, caret))) return r;
  }
  return null;
}

/** The index of the sentence the cursor belongs to: finished sentences before it are done. */
function sentenceIndexAt(text, ranges, caret) {
  const current = sentenceAt(text, ranges, caret);
  if (current) return ranges.indexOf(current);
  let n = 0;
  for (const r of ranges) if (r.end < caret) n++;
  return n;
}

/** The sentence containing the caret (ends included), else the one just before it. */
function sentenceAround(ranges, caret) {
  let before = null;
  for (const r of ranges) {
    if (r.start <= caret && caret <= r.end) return r;
    if (r.end < caret) before = r;
  }
  return before;
}

/** UTF-16 index of the `cp`-th code point of `text`. */
function utf16Index(text, cp) {
  let index = 0;
  let count = 0;
  while (index < text.length && count < cp) {
    const code = text.charCodeAt(index);
    index += code >= 0xd800 && code <= 0xdbff && index + 1 < text.length ? 2 : 1;
    count++;
  }
  return index;
}

/** The language a draft sentence is written in, from its script and distinctive letters. */
function detectLang(text, fallback) {
  const arabic = (text.match(/\p{Script=Arabic}/gu) || []).length;
  const latin = (text.match(/\p{Script=Latin}/gu) || []).length;
  if (!arabic && !latin) return fallback;
  if (arabic >= latin) {
    // Sorani letters that Arabic does not use (ڕ ڵ ێ ۆ ە) and the Persian-style kaf and yeh.
    return /[\u0695\u06B5\u06CE\u06C6\u06D5\u06A9\u06CC]/u.test(text) ? 'ckb' : 'ar';
  }
  if (/[êîûçşÊÎÛÇŞ]/u.test(text) || /(^|\s)(û|ji|di|li|bi|ku|ya|yên|ên|ne|jî)(?=\s|$)/iu.test(text)) return 'kmr';
  return 'en';
}

/** What is left to type of `target` when `typed` is its beginning, or null. */
function completion(typed, target) {
  if (!typed.trim()) return null;
  if (target.startsWith(typed)) return target.slice(typed.length);
  const trimmed = typed.replace(/\s+$/u, '');
  if (trimmed && target.startsWith(trimmed)) return target.slice(trimmed.length).replace(/^\s+/u, '');
  return null;
}

/** Keep ranges that an edit from `before` to `after` did not touch, shifted by its length. */
function shiftRanges(before, after, ranges) {
  if (before === after) return ranges;
  let prefix = 0;
  const max = Math.min(before.length, after.length);
  while (prefix < max && before[prefix] === after[prefix]) prefix++;
  let suffix = 0;
  while (suffix < max - prefix && before[before.length - 1 - suffix] === after[after.length - 1 - suffix]) suffix++;
  const editEnd = before.length - suffix;
  const delta = after.length - before.length;
  const out = [];
  for (const r of ranges) {
    if (r.end <= prefix) out.push(r);
    else if (r.start >= editEnd) out.push({ ...r, start: r.start + delta, end: r.end + delta });
  }
  return out;
}

// ---- DOM helpers ----------------------------------------------------------------------------

function h(doc, tag, attrs = {}, ...children) {
  const el = doc.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'className') el.className = value;
    else if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of [children].flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child && typeof child === 'object' && 'nodeType' in child ? child : String(child));
  }
  return el;
}

/**
 * Text in `lang` as nodes, with the runs of the other script direction isolated in <bdi>: a
 * Latin acronym inside Arabic, an Arabic name inside English.
 */
function bidiNodes(doc, text, lang) {
  const rtl = isRtl(lang);
  const foreign = rtl
    ? /\p{Script=Latin}(?:[\p{Script=Latin}\p{N}\s.,'’&/+-]*[\p{Script=Latin}\p{N}])?/gu
    : /(?=\p{L})\p{Script=Arabic}(?:[\p{Script=Arabic}\p{N}\s.,،'’-]*(?=\p{L})\p{Script=Arabic})?/gu;
  const out = [];
  let last = 0;
  let m;
  foreign.lastIndex = 0;
  while ((m = foreign.exec(text))) {
    if (m.index > last) out.push(doc.createTextNode(text.slice(last, m.index)));
    out.push(h(doc, 'bdi', { dir: rtl ? 'ltr' : 'rtl', className: 'werger-isolate' }, m[0]));
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push(doc.createTextNode(text.slice(last)));
  return out;
}

/** A block of text in its own language and direction. */
function langText(doc, tag, lang, text, attrs = {}) {
  return h(doc, tag, { lang: baseLang(lang), dir: dirOf(lang), ...attrs }, bidiNodes(doc, text, lang));
}

const BLOCK = /^(ADDRESS|ARTICLE|ASIDE|BLOCKQUOTE|DD|DIV|DL|DT|FIGCAPTION|FIGURE|FOOTER|FORM|H[1-6]|HEADER|HR|LI|MAIN|NAV|OL|P|PRE|SECTION|TABLE|TBODY|THEAD|TR|TD|TH|UL)$/;

/**
 * The plain text of an element as the translator sees it (blocks and <br> as line breaks) with
 * where each node starts and ends in it, so that offsets map both ways.
 */
function textModel(root) {
  let text = '';
  const texts = [];
  const breaks = [];
  const bounds = new Map();
  const newline = () => {
    if (text && !text.endsWith('\n')) text += '\n';
  };
  const walk = (node) => {
    if (node.nodeType === 3) {
      const start = text.length;
      text += node.data.replace(/[\n\r\t]/g, ' ');
      texts.push({ node, start, end: text.length });
      bounds.set(node, [start, text.length]);
      return;
    }
    if (node.nodeType !== 1) {
      bounds.set(node, [text.length, text.length]);
      return;
    }
    if (node.nodeName === 'SCRIPT' || node.nodeName === 'STYLE' || node.nodeName === 'TEMPLATE') {
      bounds.set(node, [text.length, text.length]);
      return;
    }
    if (node.nodeName === 'BR') {
      const start = text.length;
      text += '\n';
      breaks.push({ node, start });
      bounds.set(node, [start, text.length]);
      return;
    }
    const block = node !== root && BLOCK.test(node.nodeName);
    if (block) newline();
    const start = text.length;
    for (const child of node.childNodes) walk(child);
    const end = text.length;
    if (block) newline();
    bounds.set(node, [start, end]);
  };
  walk(root);
  return { text, texts, breaks, bounds };
}

/** The offset in `model.text` of a DOM position, or null when it is outside the model. */
function modelOffset(model, node, offset) {
  if (!node) return null;
  if (node.nodeType === 3) {
    const b = model.bounds.get(node);
    return b ? b[0] + Math.min(offset, b[1] - b[0]) : null;
  }
  const kids = node.childNodes;
  if (offset < kids.length) {
    const b = model.bounds.get(kids[offset]);
    return b ? b[0] : null;
  }
  const b = model.bounds.get(node);
  return b ? b[1] : null;
}

/** The DOM position of an offset in `model.text`. */
function modelPosition(model, root, pos) {
  let candidate = null;
  for (const entry of model.texts) {
    if (pos >= entry.start && pos <= entry.end) {
      if (pos < entry.end || !candidate) candidate = entry;
      if (pos < entry.end) break;
    }
  }
  if (candidate) return [candidate.node, pos - candidate.start];
  for (const br of model.breaks) {
    if (br.start === pos) {
      const parent = br.node.parentNode;
      return [parent, Array.prototype.indexOf.call(parent.childNodes, br.node)];
    }
  }
  let before = null;
  for (const entry of model.texts) if (entry.end <= pos) before = entry;
  if (before) return [before.node, before.node.data.length];
  return [root, pos <= 0 ? 0 : root.childNodes.length];
}

// ---- editors --------------------------------------------------------------------------------

/** Find the editable element of what `attach` was given. */
function editableOf(target) {
  if (!target) throw new TypeError('Werger.attach: no element or editor given');
  if (typeof target === 'object' && target.nodeType === 1) {
    if (target.nodeName === 'TEXTAREA' || target.isContentEditable) return target;
    const inner = target.querySelector('textarea, [contenteditable=""], [contenteditable="true"], [contenteditable="plaintext-only"]');
    if (inner) return inner;
    throw new TypeError('Werger.attach: the element is neither a <textarea> nor contenteditable');
  }
  // CKEditor 5
  if (target.ui && typeof target.ui.getEditableElement === 'function') {
    const el = target.ui.getEditableElement();
    if (el) return el;
  }
  if (typeof target.getEditableElement === 'function') return target.getEditableElement();
  // TinyMCE: the body of its iframe (or the inline element)
  if (typeof target.getBody === 'function') return target.getBody();
  // Quill
  if (target.root && target.root.nodeType === 1) return target.root;
  throw new TypeError('Werger.attach: cannot find an editable element in this editor');
}

/** A <textarea>: plain offsets, native selection, underlines drawn by an overlay. */
class TextareaEditor {
  constructor(el) {
    this.el = el;
    this.doc = el.ownerDocument;
    this.win = this.doc.defaultView;
    this.overlay = null;
    this.ranges = [];
    this.resizeObserver = null;
  }

  text() {
    return this.el.value;
  }

  selection() {
    return [this.el.selectionStart, this.el.selectionEnd];
  }

  caret() {
    return this.el.selectionDirection === 'backward' ? this.el.selectionStart : this.el.selectionEnd;
  }

  remember() {}

  focus() {
    this.el.focus({ preventScroll: false });
  }

  select(from, to) {
    this.el.focus();
    this.el.setSelectionRange(from, to);
  }

  /** Replace [from, to) with `text` the way typing would (undo stack, input event). */
  replace(from, to, text) {
    this.el.focus();
    this.el.setSelectionRange(from, to);
    let done = false;
    try {
      done = text ? this.doc.execCommand('insertText', false, text) : this.doc.execCommand('delete');
    } catch {
      done = false;
    }
    if (!done) {
      this.el.setRangeText(text, from, to, 'end');
      this.el.dispatchEvent(new this.win.InputEvent('input', { bubbles: true, inputType: 'insertText', data: text }));
    }
  }

  /** Underline [start, end) ranges with marks in a transparent copy of the text on top. */
  underline(ranges) {
    this.ranges = ranges;
    if (!ranges.length && !this.overlay) return;
    if (!this.overlay) {
      this.overlay = h(this.doc, 'div', { className: 'werger-overlay', 'aria-hidden': 'true' });
      this.el.insertAdjacentElement('afterend', this.overlay);
      this.resizeObserver = new this.win.ResizeObserver(() => this.sync());
      this.resizeObserver.observe(this.el);
    }
    const value = this.el.value;
    const parts = [];
    let at = 0;
    for (const r of [...ranges].sort((a, b) => a.start - b.start)) {
      if (r.start < at || r.end > value.length) continue;
      if (r.start > at) parts.push(value.slice(at, r.start));
      parts.push(h(this.doc, 'mark', { className: 'werger-mark', dataset: { kind: r.kind } }, value.slice(r.start, r.end)));
      at = r.end;
    }
    parts.push(value.slice(at) + (value.endsWith('\n') ? ' ' : ''));
    this.overlay.replaceChildren(...parts.map((p) => (typeof p === 'string' ? this.doc.createTextNode(p) : p)));
    this.sync();
  }

  /** Put the overlay exactly on the textarea's content box, with the same text metrics. */
  sync() {
    const o = this.overlay;
    if (!o) return;
    const el = this.el;
    if (!el.isConnected || !el.getClientRects().length) {
      o.style.display = 'none';
      return;
    }
    const cs = this.win.getComputedStyle(el);
    const copy = ['direction', 'unicodeBidi', 'fontFamily', 'fontSize', 'fontWeight', 'fontStyle', 'fontVariant', 'fontStretch',
      'fontFeatureSettings', 'fontKerning', 'lineHeight', 'letterSpacing', 'wordSpacing', 'textAlign', 'textIndent',
      'textTransform', 'tabSize', 'whiteSpace', 'overflowWrap', 'wordBreak', 'hyphens', 'paddingTop', 'paddingRight',
      'paddingBottom', 'paddingLeft'];
    for (const p of copy) o.style[p] = cs[p];
    if (cs.whiteSpace === 'normal') o.style.whiteSpace = 'pre-wrap';
    o.style.display = 'block';
    const padX = parseFloat(cs.paddingLeft) + parseFloat(cs.paddingRight);
    const padY = parseFloat(cs.paddingTop) + parseFloat(cs.paddingBottom);
    o.style.width = Math.max(0, el.clientWidth - padX) + 'px';
    o.style.height = Math.max(0, el.clientHeight - padY) + 'px';
    o.style.left = '0px';
    o.style.top = '0px';
    const at0 = o.getBoundingClientRect();
    const box = el.getBoundingClientRect();
    o.style.left = box.left + el.clientLeft - at0.left + 'px';
    o.style.top = box.top + el.clientTop - at0.top + 'px';
    o.scrollTop = el.scrollTop;
    o.scrollLeft = el.scrollLeft;
  }

  marks() {
    return this.overlay ? [...this.overlay.querySelectorAll('mark')] : [];
  }

  destroy() {
    if (this.resizeObserver) this.resizeObserver.disconnect();
    if (this.overlay) this.overlay.remove();
    this.overlay = null;
  }
}

/** Highlights of all attached contenteditable editors of a window, under one name. */
function sharedHighlight(win) {
  if (!win.CSS || !win.CSS.highlights || typeof win.Highlight !== 'function') return null;
  let highlight = win.CSS.highlights.get(HIGHLIGHT_NAME);
  if (!highlight) {
    highlight = new win.Highlight();
    win.CSS.highlights.set(HIGHLIGHT_NAME, highlight);
  }
  return highlight;
}

/** A contenteditable element (also inside an editor's iframe): offsets through a text model. */
class EditableEditor {
  constructor(el) {
    this.el = el;
    this.doc = el.ownerDocument;
    this.win = this.doc.defaultView;
    this.saved = null;
    this.ranges = [];
    this.domRanges = [];
    this.layer = null;
  }

  model() {
    return textModel(this.el);
  }

  text() {
    return this.model().text;
  }

  liveRange() {
    const sel = this.doc.getSelection();
    if (!sel || !sel.rangeCount) return null;
    const r = sel.getRangeAt(0);
    return this.el.contains(r.startContainer) && this.el.contains(r.endContainer) ? r : null;
  }

  remember() {
    const r = this.liveRange();
    if (r) this.saved = r.cloneRange();
  }

  selection() {
    const model = this.model();
    const r = this.liveRange() || this.saved;
    if (!r) return [model.text.length, model.text.length];
    const from = modelOffset(model, r.startContainer, r.startOffset);
    const to = modelOffset(model, r.endContainer, r.endOffset);
    if (from === null || to === null) return [model.text.length, model.text.length];
    return [from, to];
  }

  caret() {
    const sel = this.doc.getSelection();
    if (sel && sel.rangeCount && this.el.contains(sel.focusNode)) {
      const at = modelOffset(this.model(), sel.focusNode, sel.focusOffset);
      if (at !== null) return at;
    }
    return this.selection()[1];
  }

  rangeFor(model, from, to) {
    const r = this.doc.createRange();
    const [sn, so] = modelPosition(model, this.el, from);
    const [en, eo] = modelPosition(model, this.el, to);
    r.setStart(sn, so);
    r.setEnd(en, eo);
    return r;
  }

  focus() {
    this.el.focus({ preventScroll: true });
    if (this.saved) {
      const sel = this.doc.getSelection();
      sel.removeAllRanges();
      sel.addRange(this.saved);
    }
  }

  select(from, to) {
    const r = this.rangeFor(this.model(), from, to);
    this.el.focus({ preventScroll: true });
    const sel = this.doc.getSelection();
    sel.removeAllRanges();
    sel.addRange(r);
    this.saved = r.cloneRange();
  }

  /** Replace [from, to) with `text` the way typing would, so editors see a normal input. */
  replace(from, to, text) {
    this.select(from, to);
    let done = false;
    try {
      done = text ? this.doc.execCommand('insertText', false, text) : this.doc.execCommand('delete');
    } catch {
      done = false;
    }
    if (!done) {
      const r = this.liveRange() || this.rangeFor(this.model(), from, to);
      r.deleteContents();
      const node = this.doc.createTextNode(text);
      r.insertNode(node);
      r.setStartAfter(node);
      r.collapse(true);
      const sel = this.doc.getSelection();
      sel.removeAllRanges();
      sel.addRange(r);
      this.el.dispatchEvent(new this.win.InputEvent('input', { bubbles: true, inputType: 'insertText', data: text }));
    }
    this.remember();
  }

  /** Underline ranges with the CSS Custom Highlight API, or boxes drawn over the text. */
  underline(ranges) {
    this.ranges = ranges;
    const model = this.model();
    const highlight = sharedHighlight(this.win);
    for (const r of this.domRanges) if (highlight) highlight.delete(r);
    this.domRanges = ranges
      .filter((r) => r.end <= model.text.length && r.start < r.end)
      .map((r) => this.rangeFor(model, r.start, r.end));
    if (highlight) {
      for (const r of this.domRanges) highlight.add(r);
    } else {
      this.drawBoxes();
    }
  }

  /** Without the Highlight API: absolutely positioned underlines from the ranges' rectangles. */
  drawBoxes() {
    if (!this.layer) {
      this.layer = h(this.doc, 'div', { className: 'werger-underlines', 'aria-hidden': 'true' });
      this.doc.body.append(this.layer);
    }
    const sx = this.win.scrollX;
    const sy = this.win.scrollY;
    const boxes = [];
    for (const r of this.domRanges) {
      for (const rect of r.getClientRects()) {
        boxes.push(h(this.doc, 'div', {
          className: 'werger-underline',
          style: `left:${rect.left + sx}px;top:${rect.bottom + sy - 3}px;width:${rect.width}px`,
        }));
      }
    }
    this.layer.replaceChildren(...boxes);
  }

  sync() {
    if (this.layer) this.drawBoxes();
  }

  highlighted() {
    return this.domRanges.map((r) => r.toString());
  }

  destroy() {
    const highlight = sharedHighlight(this.win);
    if (highlight) for (const r of this.domRanges) highlight.delete(r);
    this.domRanges = [];
    if (this.layer) this.layer.remove();
    this.layer = null;
  }
}

// ---- styles ---------------------------------------------------------------------------------

const PANEL_CSS = `
.werger-panel { --werger-ink: #1d1d1f; --werger-muted: #5c5f66; --werger-line: #c9ccd3; --werger-accent: #1a5fb4;
  --werger-focus: #e66100; --werger-bad: #a51d2d; --werger-good: #26622c;
  box-sizing: border-box; font: 15px/1.45 system-ui, "Noto Sans", "Noto Naskh Arabic", "Noto Sans Arabic", Tahoma, "DejaVu Sans", sans-serif;
  color: var(--werger-ink); background: #f6f7f9; border: 1px solid var(--werger-line); border-radius: 6px;
  padding-block: .6rem; padding-inline: .7rem; display: flex; flex-direction: column; gap: .55rem; overflow: auto;
  text-align: start; }
.werger-panel *, .werger-panel *::before, .werger-panel *::after { box-sizing: border-box; }
.werger-panel:lang(ar), .werger-panel:lang(ckb), .werger-panel [lang="ar"], .werger-panel [lang="ckb"] {
  font-family: system-ui, "Noto Naskh Arabic", "Noto Sans Arabic", Tahoma, "DejaVu Sans", sans-serif; }
.werger-panel.werger-fixed { position: fixed; inset-block: 0; inset-inline-end: 0; inline-size: min(26rem, 92vw);
  z-index: 2147483000; border-radius: 0; border-block: none; border-inline-end: none; box-shadow: 0 0 12px rgb(0 0 0 / .18); }
.werger-panel.werger-fixed.werger-collapsed { inset-block: auto 1rem; inline-size: auto; border-radius: 6px 0 0 6px; }
.werger-panel.werger-collapsed > :not(.werger-head) { display: none; }
.werger-panel h2, .werger-panel h3, .werger-panel h4 { margin: 0; line-height: 1.25; }
.werger-panel h2 { font-size: 1.05rem; }
.werger-panel h3 { font-size: .98rem; }
.werger-panel h4 { font-size: .9rem; color: var(--werger-muted); margin-block-start: .35rem; }
.werger-panel p { margin: 0; }
.werger-panel bdi, .werger-panel .werger-isolate { unicode-bidi: isolate; }
.werger-panel button, .werger-panel input, .werger-panel select, .werger-panel textarea { font: inherit; color: inherit; }
.werger-panel input, .werger-panel select, .werger-panel textarea { border: 1px solid #8a8f99; border-radius: 4px;
  padding-block: .2rem; padding-inline: .4rem; background: #fff; inline-size: 100%; min-inline-size: 0; }
.werger-panel button { border: 1px solid var(--werger-accent); background: var(--werger-accent); color: #fff; border-radius: 4px;
  padding-block: .25rem; padding-inline: .7rem; cursor: pointer; }
.werger-panel button.werger-secondary { background: #fff; color: var(--werger-accent); }
.werger-panel button[disabled] { opacity: .6; cursor: progress; }
.werger-panel :focus-visible { outline: 3px solid var(--werger-focus); outline-offset: 2px; }
.werger-sr { position: absolute; inline-size: 1px; block-size: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
.werger-head { display: flex; flex-wrap: wrap; align-items: center; gap: .4rem .6rem; }
.werger-head h2 { margin-inline-end: auto; }
.werger-modes { display: inline-flex; border: 1px solid var(--werger-accent); border-radius: 4px; overflow: hidden; }
.werger-modes button { border: none; border-radius: 0; background: #fff; color: var(--werger-accent); }
.werger-modes button[aria-pressed="true"] { background: var(--werger-accent); color: #fff; }
.werger-error { border: 1px solid var(--werger-bad); background: #fdf0f1; color: var(--werger-bad); border-radius: 4px;
  padding: .4rem .6rem; display: flex; flex-wrap: wrap; gap: .3rem .6rem; align-items: center; }
.werger-error[hidden] { display: none; }
.werger-error-text { font-weight: 600; flex: 1 1 12rem; }
.werger-error button { background: var(--werger-bad); border-color: var(--werger-bad); }
.werger-status { color: var(--werger-good); min-block-size: 1.2em; font-size: .9rem; }
.werger-source summary { cursor: pointer; font-weight: 600; }
.werger-source form { display: flex; flex-wrap: wrap; gap: .25rem .4rem; align-items: flex-end; margin-block: .35rem; }
.werger-source form label { flex: 1 0 100%; font-size: .88rem; color: var(--werger-muted); }
.werger-source form input, .werger-source form textarea { flex: 1 1 10rem; }
.werger-source textarea { min-block-size: 4.5rem; resize: vertical; }
.werger-segments { margin: .3rem 0 0; padding-inline-start: 1.6rem; max-block-size: 11rem; overflow: auto; font-size: .88rem;
  background: #fff; border: 1px solid var(--werger-line); border-radius: 4px; padding-block: .2rem; }
.werger-segments li { padding-inline: .2rem; border-radius: 3px; }
.werger-segments li[aria-current="true"] { background: #eaf1fb; outline: 1px solid var(--werger-accent); }
.werger-segments li.werger-confirmed::marker { color: var(--werger-good); }
.werger-active-source { background: #fff; border: 1px solid var(--werger-line); border-inline-start: 4px solid var(--werger-accent);
  border-radius: 4px; padding-block: .3rem; padding-inline: .5rem; }
.werger-list { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: .35rem; }
.werger-match { display: flex; flex-direction: column; gap: .15rem; inline-size: 100%; text-align: start;
  background: #fff !important; color: var(--werger-ink) !important; border: 1px solid var(--werger-line) !important; padding: .35rem .5rem !important; }
.werger-match:hover { border-color: var(--werger-accent) !important; }
.werger-match > span { display: block; }
.werger-match-top { display: flex !important; gap: .5rem; align-items: baseline; }
.werger-key { font-size: .75rem; color: var(--werger-muted); border: 1px solid var(--werger-line); border-radius: 3px; padding-inline: .25rem; }
.werger-score { font-weight: 700; border-radius: 999px; padding-inline: .45rem; background: #e3e7ee; }
.werger-score[data-band="exact"] { background: #cdebd2; color: var(--werger-good); }
.werger-score[data-band="high"] { background: #e0efd5; }
.werger-score[data-band="low"] { background: #f6e7cf; }
.werger-diff { font-size: .86rem; color: var(--werger-muted); }
.werger-diff ins { background: #d8f5d8; color: #124d1b; text-decoration: none; border-radius: 2px; }
.werger-diff del { background: #f8d8d8; color: #7a1420; border-radius: 2px; }
.werger-match-target { font-size: 1rem; }
.werger-match-source { font-size: .9rem; }
.werger-origin { font-size: .78rem; color: var(--werger-muted); }
.werger-empty { color: var(--werger-muted); font-size: .9rem; }
.werger-term { background: #fff; border: 1px solid var(--werger-line); border-radius: 4px; padding: .3rem .5rem;
  display: flex; flex-wrap: wrap; gap: .25rem .5rem; align-items: center; }
.werger-term-source { font-weight: 600; }
.werger-term button { padding-block: .05rem; padding-inline: .45rem; }
.werger-badge { display: inline-block; font-size: .72rem; border-radius: 999px; padding-inline: .4rem; border: 1px solid currentColor; white-space: nowrap; }
.werger-badge[data-status="preferred"] { color: var(--werger-good); }
.werger-badge[data-status="admitted"] { color: var(--werger-accent); }
.werger-badge[data-status="deprecated"] { color: #8a5a00; }
.werger-badge[data-status="forbidden"] { color: var(--werger-bad); }
.werger-avoid { text-decoration: line-through; color: var(--werger-bad); }
.werger-confirm-row { display: flex; flex-wrap: wrap; gap: .3rem .6rem; align-items: center; }
.werger-confirm-result { font-size: .88rem; color: var(--werger-good); }
.werger-confirm-result[data-kind="error"] { color: var(--werger-bad); }
.werger-problem { inline-size: 100%; text-align: start; background: #fff !important; color: var(--werger-ink) !important;
  border: 1px solid var(--werger-line) !important; border-inline-start: 4px solid var(--werger-bad) !important; display: block; }
.werger-problem[data-kind="deprecated_term"] { border-inline-start-color: #8a5a00 !important; }
.werger-problem[data-kind="missing_term"] { border-inline-start-color: var(--werger-accent) !important; }
.werger-active-source > span, .werger-draft-query > span { display: block; }
.werger-draft-query { background: #fff; border: 1px dashed var(--werger-line); border-radius: 4px; padding: .3rem .5rem; }
.werger-field { display: flex; flex-direction: column; gap: .15rem; font-size: .9rem; }
.werger-keys summary { cursor: pointer; font-size: .9rem; color: var(--werger-muted); }
.werger-keys dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem .6rem; margin: .3rem 0 0; font-size: .86rem; }
.werger-keys dd { margin: 0; }
.werger-keys kbd { font: .8rem ui-monospace, monospace; border: 1px solid var(--werger-line); border-radius: 3px; padding-inline: .25rem; background: #fff; }
.werger-overlay { position: absolute; box-sizing: content-box; margin: 0; border: 0; overflow: hidden; pointer-events: none;
  color: transparent; background: transparent; z-index: 1; }
.werger-overlay mark { color: transparent; background: rgb(192 28 40 / .10); text-decoration: underline wavy #c01c28;
  text-decoration-thickness: 1.5px; text-decoration-skip-ink: none; text-underline-offset: 2px; border-radius: 2px; }
.werger-overlay mark[data-kind="deprecated_term"] { text-decoration-color: #b07000; background: rgb(176 112 0 / .10); }
.werger-underlines { position: absolute; inset: 0 auto auto 0; pointer-events: none; }
.werger-underline { position: absolute; block-size: 0; border-block-end: 2px wavy #c01c28; }
::highlight(${HIGHLIGHT_NAME}) { text-decoration: underline wavy #c01c28; text-decoration-thickness: 1.5px;
  text-decoration-skip-ink: none; background-color: rgb(192 28 40 / .10); }
`;

function ensureStyle(doc) {
  if (!doc || doc.getElementById('werger-plugin-style')) return;
  const style = doc.createElement('style');
  style.id = 'werger-plugin-style';
  style.textContent = PANEL_CSS;
  (doc.head || doc.documentElement).append(style);
}

// ---- messages and HTTP ----------------------------------------------------------------------

const messageCache = new Map();

/** The `ui-` messages of `lang` from the server, else English from the server, else built in. */
function loadMessages(server, lang, apiKey) {
  const key = server + '|' + lang;
  if (messageCache.has(key)) return messageCache.get(key);
  const fetchOne = async (tag) => {
    const headers = { Accept: 'application/json' };
    if (apiKey) headers['X-Api-Key'] = apiKey;
    const timer = new AbortController();
    const t = setTimeout(() => timer.abort(), TIMEOUT_MS);
    try {
      const r = await fetch(`${server}/api/v1/messages/${encodeURIComponent(tag)}`, { headers, signal: timer.signal });
      if (!r.ok) throw new Error('status ' + r.status);
      const data = await r.json();
      if (!data || typeof data.messages !== 'object') throw new Error('no messages');
      return { lang: data.lang || tag, dir: data.dir || dirOf(tag), messages: { ...FALLBACK_MESSAGES, ...data.messages } };
    } finally {
      clearTimeout(t);
    }
  };
  const promise = fetchOne(lang)
    .catch(() => (lang === 'en' ? Promise.reject(new Error('no English')) : fetchOne('en')))
    .catch(() => ({ lang: 'en', dir: 'ltr', messages: { ...FALLBACK_MESSAGES }, offline: true }));
  promise.then((m) => {
    if (m.offline) messageCache.delete(key); // try the server again next time
  });
  messageCache.set(key, promise);
  return promise;
}

class RequestFailure extends Error {
  constructor(message, kind, status) {
    super(message);
    this.kind = kind; // 'network' | 'timeout' | 'server' | 'client'
    this.status = status;
  }

  get transient() {
    return this.kind !== 'client';
  }
}

function abortError() {
  try {
    return new DOMException('superseded', 'AbortError');
  } catch {
    const e = new Error('superseded');
    e.name = 'AbortError';
    return e;
  }
}

/** A request channel: a new request cancels the one in flight; late answers are dropped. */
class Channel {
  constructor(session, name) {
    this.session = session;
    this.name = name;
    this.generation = 0;
    this.controller = null;
  }

  cancel() {
    this.generation++;
    if (this.controller) this.controller.abort();
    this.controller = null;
    this.session.cancelRetry(this.name);
  }

  get busy() {
    return !!this.controller;
  }

  /** Run `task(signal)`; `apply(value)` only if no newer request started meanwhile. */
  run(task, apply, onFailure) {
    this.cancel();
    const generation = this.generation;
    const controller = new AbortController();
    this.controller = controller;
    this.session.busy(this.name, true);
    task(controller.signal).then(
      (value) => {
        if (generation !== this.generation) return;
        this.controller = null;
        this.session.busy(this.name, false);
        this.session.clearFailure(this.name);
        apply(value);
      },
      (error) => {
        if (generation !== this.generation || controller.signal.aborted) return;
        this.controller = null;
        this.session.busy(this.name, false);
        if (onFailure) onFailure(error);
        this.session.fail(this.name, error, () => this.run(task, apply, onFailure));
      },
    );
  }
}

// ---- the panel ------------------------------------------------------------------------------

let instances = 0;

class Session {
  constructor(target, options = {}) {
    this.id = ++instances;
    this.el = editableOf(target);
    this.editor = this.el.nodeName === 'TEXTAREA' ? new TextareaEditor(this.el) : new EditableEditor(this.el);
    this.doc = this.el.ownerDocument;
    const frame = this.doc.defaultView && this.doc.defaultView.frameElement;
    this.hostDoc = frame ? frame.ownerDocument : this.doc;
    this.server = String(options.server || MODULE_ORIGIN || (typeof location !== 'undefined' ? location.origin : '')).replace(/\/+$/, '');
    this.sourceLang = options.sourceLang || 'en';
    this.targetLang = options.targetLang || 'ar';
    this.apiKey = options.apiKey || '';
    this.placement = options.panel || 'fixed';
    this.manageDirection = options.manageDirection !== false;
    const wanted = baseLang(options.uiLang || this.hostDoc.documentElement.lang || (typeof navigator !== 'undefined' ? navigator.language : 'en'));
    this.uiLang = LANGS.includes(wanted) ? wanted : 'en';
    this.uiDir = dirOf(this.uiLang);
    this.messages = { ...FALLBACK_MESSAGES };
    this.mode = options.mode === 'draft' ? 'draft' : 'translate';
    this.draftLang = 'auto';

    this.source = { text: '', segments: [], state: 'empty' };
    this.segmentsVersion = 0;
    this.confirmed = new Set();
    this.units = [];
    this.activeIndex = 0;
    this.shown = null;
    this.problems = [];
    this.lastText = null;
    this.draftCache = new Map();
    this.draftShown = null;
    this.draftTimer = 0;
    this.qaTimer = 0;
    this.updateFrame = 0;
    this.failures = new Map();
    this.retryTimers = new Map();
    this.attempts = new Map();
    this.busyChannels = new Set();
    this.channels = {
      source: new Channel(this, 'source'),
      draft: new Channel(this, 'draft'),
      qa: new Channel(this, 'qa'),
      confirm: new Channel(this, 'confirm'),
    };
    this.listeners = [];
    this.detached = false;
    this.pending = { source: null, load: null };
    this.savedAttrs = { lang: this.el.getAttribute('lang'), dir: this.el.getAttribute('dir') };

    this.ready = loadMessages(this.server, this.uiLang, this.apiKey).then((m) => {
      if (this.detached) return this;
      this.messages = m.messages;
      this.uiDir = m.dir === 'rtl' ? 'rtl' : 'ltr';
      this.uiLang = m.lang || this.uiLang;
      this.build();
      this.listen();
      this.applyMode();
      if (this.pending.source !== null) this.pending.load = this.loadText(this.pending.source);
      else this.renderTranslate(true);
      return this;
    });
  }

  // -- messages --

  t(id, args = {}) {
    let text = has(this.messages, id) ? this.messages[id] : has(FALLBACK_MESSAGES, id) ? FALLBACK_MESSAGES[id] : id;
    for (const [name, value] of Object.entries(args)) text = text.split('{$' + name + '}').join(String(value));
    return text;
  }

  /** A message as nodes, with arguments that are nodes (isolated terms) put in place. */
  tn(id, args = {}) {
    let text = has(this.messages, id) ? this.messages[id] : has(FALLBACK_MESSAGES, id) ? FALLBACK_MESSAGES[id] : id;
    const nodes = [];
    const pattern = /\u2068?\{\$([A-Za-z0-9_-]+)\}\u2069?/g;
    let last = 0;
    let m;
    while ((m = pattern.exec(text))) {
      if (m.index > last) nodes.push(text.slice(last, m.index));
      const value = has(args, m[1]) ? args[m[1]] : m[0];
      nodes.push(value);
      last = m.index + m[0].length;
    }
    if (last < text.length) nodes.push(text.slice(last));
    return nodes;
  }

  h(tag, attrs, ...children) {
    return h(this.hostDoc, tag, attrs, ...children);
  }

  uid(part) {
    return `werger-${this.id}-${part}`;
  }

  langName(lang) {
    const id = 'ui-plugin-lang-' + baseLang(lang);
    return has(this.messages, id) ? this.messages[id] : lang;
  }

  // -- building --

  build() {
    ensureStyle(this.hostDoc);
    ensureStyle(this.doc);
    const t = (id, args) => this.t(id, args);
    const H = (...a) => this.h(...a);

    this.modeButtons = ['translate', 'draft'].map((mode) => H('button', {
      type: 'button',
      className: 'werger-mode',
      'aria-pressed': String(this.mode === mode),
      dataset: { mode },
      onclick: () => this.setMode(mode),
    }, t('ui-plugin-mode-' + mode)));
    this.collapseButton = this.placement === 'fixed'
      ? H('button', { type: 'button', className: 'werger-secondary werger-collapse', 'aria-expanded': 'true', onclick: () => this.toggleCollapsed() }, t('ui-plugin-hide'))
      : null;

    this.errorText = H('p', { className: 'werger-error-text' });
    this.retryButton = H('button', { type: 'button', className: 'werger-retry', onclick: () => this.retryNow() }, t('ui-plugin-retry'));
    this.errorBox = H('div', { className: 'werger-error', role: 'alert', hidden: true }, this.errorText, this.retryButton);
    this.status = H('p', { className: 'werger-status', role: 'status', 'aria-live': 'polite' });
    // Where the cursor is, for screen readers only: the heading of the active segment shows it.
    this.position = H('p', { className: 'werger-sr werger-position', 'aria-live': 'polite' });

    // Source release: paste, URL, statement id, and its segments.
    const pasteId = this.uid('paste');
    const urlId = this.uid('url');
    const statementId = this.uid('statement');
    this.pasteInput = H('textarea', { id: pasteId, rows: 3, lang: baseLang(this.sourceLang), dir: dirOf(this.sourceLang), spellcheck: 'false' });
    this.urlInput = H('input', { id: urlId, type: 'url', dir: 'ltr', autocomplete: 'url', inputmode: 'url' });
    this.statementInput = H('input', { id: statementId, dir: 'ltr', autocomplete: 'off', spellcheck: 'false' });
    const form = (label, control, button, submit) => H('form', {
      onsubmit: (e) => {
        e.preventDefault();
        submit();
      },
    }, H('label', { for: control.id }, label), control, H('button', { type: 'submit', className: 'werger-secondary' }, button));
    this.segmentList = H('ol', { className: 'werger-segments', 'aria-label': t('ui-plugin-segments-label'), hidden: true });
    this.sourceSummary = H('summary', {}, t('ui-plugin-source-heading'));
    this.sourceBox = H('details', { className: 'werger-source', open: true },
      this.sourceSummary,
      form(t('ui-plugin-source-paste'), this.pasteInput, t('ui-plugin-source-segment'), () => this.loadText(this.pasteInput.value)),
      form(t('ui-plugin-source-url'), this.urlInput, t('ui-plugin-source-load'), () => this.loadUrl(this.urlInput.value)),
      form(t('ui-plugin-source-statement'), this.statementInput, t('ui-plugin-source-load'), () => this.loadStatement(this.statementInput.value)),
      this.segmentList);

    // The active segment: source, matches, terms, confirm.
    this.activeHeading = H('h3', { id: this.uid('active-heading') });
    this.activeSource = H('p', { className: 'werger-active-source' });
    this.matchList = H('ol', { className: 'werger-list werger-matches', 'aria-labelledby': this.uid('matches-heading') });
    this.termList = H('ul', { className: 'werger-list werger-terms', 'aria-labelledby': this.uid('terms-heading') });
    this.confirmButton = H('button', { type: 'button', className: 'werger-confirm', onclick: () => this.confirm() }, t('ui-plugin-confirm'));
    this.confirmResult = H('p', { className: 'werger-confirm-result', 'aria-live': 'polite' });
    this.activeBox = H('section', { className: 'werger-active', 'aria-labelledby': this.uid('active-heading') },
      this.activeHeading, this.activeSource,
      H('h4', { id: this.uid('matches-heading') }, t('ui-plugin-matches-heading')), this.matchList,
      H('h4', { id: this.uid('terms-heading') }, t('ui-plugin-terms-heading')), this.termList,
      H('div', { className: 'werger-confirm-row' }, this.confirmButton, this.confirmResult));
    this.sourceEmpty = H('p', { className: 'werger-empty' }, t('ui-plugin-source-empty'));

    this.problemList = H('ul', { className: 'werger-list werger-problems', 'aria-labelledby': this.uid('qa-heading') });
    this.problemSummary = H('p', { className: 'werger-empty werger-qa-summary' }, t('ui-plugin-qa-waiting'));
    this.qaBox = H('section', { className: 'werger-qa', 'aria-labelledby': this.uid('qa-heading') },
      H('h3', { id: this.uid('qa-heading') }, t('ui-plugin-qa-heading')), this.problemSummary, this.problemList);

    this.translateBox = H('div', { className: 'werger-translate' }, this.sourceBox, this.sourceEmpty, this.activeBox, this.qaBox);

    // Draft mode.
    const draftLangId = this.uid('draft-lang');
    this.draftLangSelect = H('select', {
      id: draftLangId,
      onchange: () => {
        this.draftLang = this.draftLangSelect.value;
        this.draftShown = null;
        this.updateDraft(false);
      },
    }, H('option', { value: 'auto' }, t('ui-plugin-draft-lang-auto')),
    LANGS.map((lang) => H('option', { value: lang }, this.langName(lang))));
    this.draftQuery = H('p', { className: 'werger-draft-query', hidden: true });
    this.draftHint = H('p', { className: 'werger-empty' }, t('ui-plugin-draft-hint'));
    this.draftList = H('ol', { className: 'werger-list werger-draft-matches', 'aria-labelledby': this.uid('draft-heading') });
    this.draftBox = H('section', { className: 'werger-draft', 'aria-labelledby': this.uid('draft-heading'), hidden: true },
      H('div', { className: 'werger-field' }, H('label', { for: draftLangId }, t('ui-plugin-draft-lang')), this.draftLangSelect),
      H('h3', { id: this.uid('draft-heading') }, t('ui-plugin-draft-heading')),
      this.draftQuery, this.draftHint, this.draftList);

    // Keyboard shortcuts.
    const kbd = (...keys) => keys.map((k, i) => [i ? ' ' : '', H('kbd', { dir: 'ltr' }, k)]);
    const keys = [
      [kbd('Ctrl+1', '…', 'Ctrl+9'), 'ui-plugin-key-insert'],
      [kbd('Ctrl+Shift+T'), 'ui-plugin-key-term'],
      [kbd('Ctrl+Shift+1', '…', '9'), 'ui-plugin-key-term-n'],
      [kbd('Ctrl+Enter'), 'ui-plugin-key-confirm'],
      [kbd('F2'), 'ui-plugin-key-panel'],
      [kbd('Esc'), 'ui-plugin-key-back'],
    ];
    this.keysBox = H('details', { className: 'werger-keys' }, H('summary', {}, t('ui-plugin-keys-heading')),
      H('dl', {}, keys.map(([k, id]) => [H('dt', {}, k), H('dd', {}, t(id))])));

    this.panel = H('aside', {
      className: 'werger-panel' + (this.placement === 'fixed' ? ' werger-fixed' : ''),
      role: 'complementary',
      'aria-label': t('ui-plugin-panel-label'),
      lang: this.uiLang,
      dir: this.uiDir,
      id: this.uid('panel'),
      dataset: { mode: this.mode, segments: '0', active: '0', qa: 'idle' },
    },
    H('div', { className: 'werger-head' },
      H('h2', {}, t('ui-plugin-title')),
      H('div', { className: 'werger-modes', role: 'group', 'aria-label': t('ui-plugin-mode-label') }, this.modeButtons),
      this.collapseButton),
    this.errorBox, this.status, this.position, this.translateBox, this.draftBox, this.keysBox);

    const place = this.placement;
    if (place && typeof place === 'object' && place.nodeType === 1) {
      place.append(this.panel);
    } else if (place === 'after') {
      const anchor = this.doc === this.hostDoc ? this.el : this.doc.defaultView.frameElement;
      anchor.insertAdjacentElement('afterend', this.panel);
    } else {
      this.hostDoc.body.append(this.panel);
    }
  }

  listen() {
    const on = (target, type, fn, opts) => {
      target.addEventListener(type, fn, opts);
      this.listeners.push(() => target.removeEventListener(type, fn, opts));
    };
    on(this.el, 'input', () => this.onInput());
    on(this.el, 'keydown', (e) => this.onEditorKey(e));
    on(this.el, 'keyup', () => this.schedule());
    on(this.el, 'mouseup', () => this.schedule());
    on(this.el, 'focus', () => this.schedule());
    on(this.el, 'scroll', () => this.editor.sync());
    on(this.el, 'selectionchange', () => this.schedule());
    on(this.doc, 'selectionchange', () => {
      if (this.editor instanceof EditableEditor) this.editor.remember();
      this.schedule();
    });
    const win = this.hostDoc.defaultView;
    on(win, 'resize', () => this.editor.sync());
    on(win, 'online', () => this.retryNow());
    on(this.panel, 'keydown', (e) => this.onPanelKey(e));
    this.resizeWatch = new win.ResizeObserver(() => this.editor.sync());
    this.resizeWatch.observe(this.panel);
  }

  // -- public handle --

  setMode(mode) {
    const next = mode === 'draft' ? 'draft' : 'translate';
    if (next === this.mode && this.panel && this.panel.dataset.mode === next) return;
    this.mode = next;
    if (this.panel) this.applyMode();
  }

  applyMode() {
    this.panel.dataset.mode = this.mode;
    for (const b of this.modeButtons) b.setAttribute('aria-pressed', String(b.dataset.mode === this.mode));
    this.translateBox.hidden = this.mode !== 'translate';
    this.draftBox.hidden = this.mode !== 'draft';
    if (this.mode === 'translate') {
      clearTimeout(this.draftTimer);
      this.channels.draft.cancel();
      this.setEditorLang(this.targetLang);
      this.renderTranslate(true);
      this.scheduleQa();
    } else {
      this.channels.qa.cancel();
      clearTimeout(this.qaTimer);
      this.setProblems([], '');
      this.setEditorLang(null);
      this.draftShown = null;
      this.updateDraft(false);
    }
  }

  setEditorLang(lang) {
    if (!this.manageDirection) return;
    if (lang) {
      this.el.setAttribute('lang', baseLang(lang));
      this.el.setAttribute('dir', dirOf(lang));
    } else if (this.draftLang !== 'auto') {
      this.el.setAttribute('lang', this.draftLang);
      this.el.setAttribute('dir', dirOf(this.draftLang));
    } else {
      this.el.removeAttribute('lang');
      this.el.setAttribute('dir', 'auto');
    }
    this.editor.sync();
  }

  setSource(text) {
    if (!this.panel) {
      // Before the panel exists: loaded once it does; resolves when the release is segmented.
      this.pending.source = String(text || '');
      return this.ready.then(() => this.pending.load || this);
    }
    return this.loadText(String(text || ''));
  }

  detach() {
    if (this.detached) return;
    this.detached = true;
    for (const ch of Object.values(this.channels)) ch.cancel();
    for (const timer of this.retryTimers.values()) clearTimeout(timer);
    clearTimeout(this.draftTimer);
    clearTimeout(this.qaTimer);
    if (this.updateFrame) cancelAnimationFrame(this.updateFrame);
    for (const off of this.listeners) off();
    if (this.resizeWatch) this.resizeWatch.disconnect();
    this.editor.destroy();
    if (this.panel) this.panel.remove();
    if (this.manageDirection) {
      for (const [name, value] of Object.entries(this.savedAttrs)) {
        if (value === null) this.el.removeAttribute(name);
        else this.el.setAttribute(name, value);
      }
    }
  }

  // -- requests, failures, retries --

  async api(method, path, body, signal) {
    const headers = { Accept: 'application/json', 'Accept-Language': this.uiLang };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (this.apiKey) headers['X-Api-Key'] = this.apiKey;
    const timeout = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      timeout.abort();
    }, TIMEOUT_MS);
    const onAbort = () => timeout.abort();
    if (signal) signal.addEventListener('abort', onAbort, { once: true });
    let response;
    let text;
    try {
      response = await fetch(this.server + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: timeout.signal,
      });
      text = await response.text();
    } catch {
      if (signal && signal.aborted) throw abortError();
      throw new RequestFailure(this.t(timedOut ? 'ui-plugin-error-timeout' : 'ui-plugin-error-network'), timedOut ? 'timeout' : 'network', 0);
    } finally {
      clearTimeout(timer);
      if (signal) signal.removeEventListener('abort', onAbort);
    }
    let data = null;
    try {
      data = text ? JSON.parse(text) : null;
    } catch {
      data = null;
    }
    if (!response.ok) {
      const error = data && data.error;
      const message = error && typeof error.message === 'string' && error.message
        ? error.message
        : this.t('ui-plugin-error-http', { status: response.status });
      const kind = response.status >= 500 || response.status === 429 || response.status === 408 ? 'server' : 'client';
      throw new RequestFailure(message, kind, response.status);
    }
    return { status: response.status, data };
  }

  busy(name, on) {
    if (on) this.busyChannels.add(name);
    else this.busyChannels.delete(name);
    if (!this.panel) return;
    this.panel.setAttribute('aria-busy', String(this.busyChannels.size > 0));
  }

  fail(name, error, retry) {
    if (this.detached) return;
    if (!(error instanceof RequestFailure)) {
      error = new RequestFailure(this.t('ui-plugin-error-network'), 'network', 0);
    }
    this.cancelRetry(name);
    let seconds = null;
    if (error.transient) {
      const attempt = this.attempts.get(name) || 0;
      const delay = RETRY_DELAYS_MS[Math.min(attempt, RETRY_DELAYS_MS.length - 1)];
      this.attempts.set(name, attempt + 1);
      seconds = Math.round(delay / 1000);
      this.retryTimers.set(name, setTimeout(() => {
        this.retryTimers.delete(name);
        const failure = this.failures.get(name);
        if (failure && failure.retry) failure.retry();
      }, delay));
    }
    this.failures.set(name, { error, retry: error.transient ? retry : null });
    this.renderError(error, seconds);
  }

  cancelRetry(name) {
    const timer = this.retryTimers.get(name);
    if (timer) clearTimeout(timer);
    this.retryTimers.delete(name);
  }

  clearFailure(name) {
    this.attempts.delete(name);
    this.cancelRetry(name);
    if (!this.failures.delete(name)) return;
    if (this.failures.size === 0) this.hideError();
    else {
      const last = [...this.failures.values()].pop();
      this.renderError(last.error, null);
    }
  }

  renderError(error, seconds) {
    if (!this.panel) return;
    const retryable = [...this.failures.values()].some((f) => f.retry);
    this.errorText.textContent = error.message + (seconds ? ' ' + this.t('ui-plugin-error-retrying', { seconds }) : '');
    this.errorBox.dataset.kind = error.kind;
    this.retryButton.hidden = !retryable;
    this.retryButton.disabled = false;
    this.retryButton.textContent = this.t('ui-plugin-retry');
    this.errorBox.hidden = false;
  }

  hideError() {
    if (!this.panel) return;
    const hadFocus = this.errorBox.contains(this.hostDoc.activeElement);
    this.errorBox.hidden = true;
    this.errorText.textContent = '';
    if (hadFocus) (this.firstMatchButton() || this.modeButtons[0]).focus();
  }

  retryNow() {
    const retries = [];
    for (const [name, failure] of this.failures) {
      if (!failure.retry) continue;
      this.cancelRetry(name);
      retries.push(failure.retry);
    }
    if (!retries.length) return;
    this.retryButton.disabled = true;
    this.retryButton.textContent = this.t('ui-plugin-retrying');
    for (const retry of retries) retry();
  }

  announce(text) {
    if (!this.status) return;
    this.status.textContent = '';
    // A new text node, so that screen readers announce a repeated message too.
    this.status.append(this.hostDoc.createTextNode(text));
  }

  emit(type, detail) {
    if (!this.panel) return;
    const win = this.hostDoc.defaultView;
    this.panel.dispatchEvent(new win.CustomEvent('werger:' + type, { bubbles: true, detail }));
  }

  // -- the editor --

  onInput() {
    const text = this.editor.text();
    if (this.lastText !== null && this.editor.ranges.length) {
      this.editor.underline(shiftRanges(this.lastText, text, this.editor.ranges));
    }
    this.lastText = text;
    if (this.mode === 'translate') {
      this.channels.qa.cancel();
      this.scheduleQa();
    } else {
      // The sentence is changing: an answer for its older version is no longer wanted.
      clearTimeout(this.draftTimer);
      this.channels.draft.cancel();
    }
    this.schedule(true);
  }

  schedule(textChanged = false) {
    this.pendingTextChange = this.pendingTextChange || textChanged;
    if (this.updateFrame || !this.panel) return;
    const win = this.hostDoc.defaultView;
    this.updateFrame = win.requestAnimationFrame(() => {
      this.updateFrame = 0;
      const changed = this.pendingTextChange;
      this.pendingTextChange = false;
      if (this.detached) return;
      if (this.mode === 'translate') this.renderTranslate(false);
      else this.updateDraft(changed);
    });
  }

  onEditorKey(e) {
    if (e.isComposing) return;
    const digit = /^(Digit|Numpad)([1-9])$/.exec(e.code || '');
    if (e.ctrlKey && !e.altKey && !e.metaKey && digit) {
      e.preventDefault();
      const n = Number(digit[2]) - 1;
      if (e.shiftKey) this.insertTerm(n);
      else this.useMatch(n);
      return;
    }
    if (e.ctrlKey && e.shiftKey && !e.altKey && !e.metaKey && e.code === 'KeyT') {
      e.preventDefault();
      this.insertTerm(0);
      return;
    }
    if (e.ctrlKey && !e.shiftKey && !e.altKey && (e.key === 'Enter' || e.code === 'Enter' || e.code === 'NumpadEnter')) {
      if (this.mode === 'translate') {
        e.preventDefault();
        this.confirm();
      }
      return;
    }
    if (e.key === 'F2' && !e.ctrlKey && !e.altKey && !e.metaKey) {
      e.preventDefault();
      this.focusPanel();
    }
  }

  onPanelKey(e) {
    if ((e.key === 'Escape' || e.key === 'F2') && !e.ctrlKey && !e.altKey && !e.metaKey) {
      // Escape inside a form field of the panel first leaves the field's own behaviour alone.
      e.preventDefault();
      this.focusEditor();
      return;
    }
    const digit = /^(Digit|Numpad)([1-9])$/.exec(e.code || '');
    if (e.ctrlKey && !e.altKey && !e.metaKey && digit) {
      e.preventDefault();
      const n = Number(digit[2]) - 1;
      if (e.shiftKey) this.insertTerm(n);
      else this.useMatch(n);
      return;
    }
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      const list = e.target.closest && e.target.closest('.werger-list');
      if (!list) return;
      const buttons = [...list.querySelectorAll('button')];
      const at = buttons.indexOf(e.target);
      if (at < 0) return;
      const next = buttons[at + (e.key === 'ArrowDown' ? 1 : -1)];
      if (next) {
        e.preventDefault();
        next.focus();
      }
    }
  }

  firstMatchButton() {
    const list = this.mode === 'translate' ? this.matchList : this.draftList;
    return list && !list.closest('[hidden]') ? list.querySelector('button') : null;
  }

  focusPanel() {
    if (this.panel.classList.contains('werger-collapsed')) this.toggleCollapsed();
    const target = this.firstMatchButton()
      || (this.mode === 'translate' && !this.source.segments.length ? this.pasteInput : null)
      || this.modeButtons.find((b) => b.getAttribute('aria-pressed') === 'true');
    if (!this.sourceBox.open && target === this.pasteInput) this.sourceBox.open = true;
    target.focus();
  }

  focusEditor() {
    this.editor.focus();
  }

  toggleCollapsed() {
    const collapsed = this.panel.classList.toggle('werger-collapsed');
    this.collapseButton.setAttribute('aria-expanded', String(!collapsed));
    this.collapseButton.textContent = this.t(collapsed ? 'ui-plugin-show' : 'ui-plugin-hide');
  }

  // -- translate mode --

  loadText(text) {
    this.source = { text, segments: [], state: text.trim() ? 'loading' : 'empty' };
    this.confirmed = new Set();
    this.segmentsVersion++;
    this.pasteInput.value = text;
    this.shown = null;
    if (!text.trim()) {
      this.channels.source.cancel();
      this.renderSegments();
      this.renderTranslate(true);
      return Promise.resolve(this);
    }
    this.announce(this.t('ui-plugin-source-loading'));
    this.renderSegments();
    this.renderTranslate(true);
    return new Promise((resolve) => {
      const body = { source_lang: this.sourceLang, target_lang: this.targetLang, text, limit: TRANSLATE_LIMIT };
      this.channels.source.run(
        (signal) => this.api('POST', '/api/v1/suggest', body, signal),
        ({ data }) => {
          this.source = { text, segments: data.segments || [], state: 'ready' };
          this.segmentsVersion++;
          this.shown = null;
          this.renderSegments();
          this.announce(this.t('ui-plugin-source-loaded', { count: this.source.segments.length }));
          if (this.source.segments.length) this.sourceBox.open = false;
          this.renderTranslate(true);
          this.scheduleQa();
          this.emit('segmented', { count: this.source.segments.length });
          resolve(this);
        },
      );
    });
  }

  loadUrl(url) {
    url = url.trim();
    if (!url) return;
    this.channels.source.run(
      async (signal) => {
        let response;
        try {
          response = await fetch(url, { signal });
        } catch {
          if (signal.aborted) throw abortError();
          throw new RequestFailure(this.t('ui-plugin-error-network'), 'network', 0);
        }
        if (!response.ok) throw new RequestFailure(this.t('ui-plugin-source-fetch-failed', { status: response.status }), 'client', response.status);
        const body = await response.text();
        const type = response.headers.get('content-type') || '';
        if (/html|xml/i.test(type) || /^\s*</.test(body)) {
          const parsed = new DOMParser().parseFromString(body, 'text/html');
          const root = parsed.querySelector('article, main') || parsed.body;
          return root ? textModel(root).text : body;
        }
        return body;
      },
      (text) => this.loadText(text.replace(/\n{2,}/g, '\n').trim()),
    );
  }

  loadStatement(id) {
    id = id.trim();
    if (!id) return;
    this.channels.source.run(
      (signal) => this.api('GET', `/api/v1/statements/${encodeURIComponent(id)}/alignment`, undefined, signal),
      ({ data }) => {
        const lang = baseLang(this.sourceLang);
        const versions = Object.values(data || {});
        let sentences = null;
        if (data && data[lang] && Array.isArray(data[lang].sentences)) sentences = data[lang].sentences;
        else {
          const pivoted = versions.find((v) => v && baseLang(v.pivot) === lang && Array.isArray(v.source_sentences));
          if (pivoted) sentences = pivoted.source_sentences;
        }
        if (!sentences) {
          this.fail('source', new RequestFailure(this.t('ui-plugin-source-no-version', { lang: this.langName(lang) }), 'client', 0), null);
          return;
        }
        this.loadText(sentences.join('\n'));
      },
    );
  }

  renderSegments() {
    const segments = this.source.segments;
    this.panel.dataset.segments = String(segments.length);
    this.segmentList.hidden = !segments.length;
    this.segmentList.replaceChildren(...segments.map((s, i) => {
      const li = langText(this.hostDoc, 'li', this.sourceLang, s.text, { dataset: { index: i } });
      if (this.confirmed.has(i)) li.classList.add('werger-confirmed');
      return li;
    }));
    this.sourceSummary.textContent = segments.length
      ? this.t('ui-plugin-source-summary', { count: segments.length })
      : this.t('ui-plugin-source-heading');
    this.sourceEmpty.textContent = this.source.state === 'loading' ? this.t('ui-plugin-source-loading') : this.t('ui-plugin-source-empty');
    this.sourceEmpty.hidden = this.source.state === 'ready' && segments.length > 0;
  }

  /** Follow the cursor: the n-th sentence of the translation is the n-th source segment. */
  renderTranslate(force) {
    if (!this.panel || this.mode !== 'translate') return;
    const text = this.editor.text();
    if (this.lastText === null) this.lastText = text;
    const caret = this.editor.caret();
    this.units = sentenceRanges(text);
    const segments = this.source.segments;
    let index = sentenceIndexAt(text, this.units, caret);
    if (segments.length) index = Math.min(index, segments.length - 1);
    const changed = index !== this.activeIndex;
    this.activeIndex = index;
    this.panel.dataset.active = String(index);
    const key = this.segmentsVersion + ':' + index;
    if (!force && key === this.shown) return;
    this.shown = key;
    for (const li of this.segmentList.children) {
      li.setAttribute('aria-current', String(Number(li.dataset.index) === index));
    }
    const current = this.segmentList.children[index];
    if (current && changed && this.segmentList.scrollHeight > this.segmentList.clientHeight) current.scrollIntoView({ block: 'nearest' });
    const segment = segments[index];
    this.activeBox.hidden = !segment;
    if (!segment) return;
    this.activeHeading.textContent = this.t('ui-plugin-segment-heading', { number: index + 1, total: segments.length });
    this.activeSource.replaceChildren(langText(this.hostDoc, 'span', this.sourceLang, segment.text));
    this.renderMatches(this.matchList, segment.matches || [], segment.text, 'translate');
    this.renderTerms(segment.terms || []);
    this.confirmResult.textContent = this.confirmed.has(index) ? this.t('ui-plugin-segment-confirmed') : '';
    this.confirmResult.dataset.kind = 'ok';
    if (changed && !force) {
      this.position.textContent = this.t('ui-plugin-segment-heading', { number: index + 1, total: segments.length });
    }
    this.emit('rendered', { mode: 'translate', index, matches: (segment.matches || []).length, renderedAt: now() });
  }

  matchCard(match, i, mode, sourceLang, targetLang) {
    const H = (...a) => this.h(...a);
    const targetId = this.uid(`${mode}-target-${i}`);
    const band = match.score >= 100 ? 'exact' : match.score >= 85 ? 'high' : match.score >= 70 ? 'mid' : 'low';
    const diff = H('span', { className: 'werger-diff', lang: baseLang(sourceLang), dir: dirOf(sourceLang), title: this.t('ui-plugin-match-changes') });
    (match.diff || []).forEach((op, k) => {
      if (k) diff.append(' ');
      const tag = op.op === 'insert' ? 'ins' : op.op === 'delete' ? 'del' : 'span';
      diff.append(H(tag, {}, bidiNodes(this.hostDoc, op.text, sourceLang)));
    });
    const origin = match.origin || {};
    const originName = origin.external_id || origin.source || '';
    const date = this.formatDate(origin.updated || origin.created);
    const label = mode === 'translate'
      ? this.t('ui-plugin-match-insert', { number: i + 1, score: match.score })
      : this.t('ui-plugin-draft-use', { number: i + 1, score: match.score });
    const parts = [
      H('span', { className: 'werger-match-top' },
        H('span', { className: 'werger-key', dir: 'ltr', 'aria-hidden': 'true' }, i < 9 ? `Ctrl+${i + 1}` : ''),
        H('span', { className: 'werger-score', dir: 'ltr', dataset: { band } }, `${match.score}%`)),
      diff,
    ];
    if (mode === 'draft') {
      parts.push(langText(this.hostDoc, 'span', sourceLang, match.source, { className: 'werger-match-source' }));
    }
    parts.push(langText(this.hostDoc, 'span', targetLang, match.target, { className: 'werger-match-target', id: targetId }));
    parts.push(H('span', { className: 'werger-origin' },
      this.tn('ui-plugin-match-origin', { origin: H('bdi', { dir: 'ltr' }, originName), date: H('bdi', {}, date) })));
    return H('li', {}, H('button', {
      type: 'button',
      className: 'werger-match',
      'aria-label': label,
      'aria-describedby': targetId,
      dataset: { index: i, tu: match.tu_id, score: match.score },
      onclick: () => this.useMatch(i),
    }, parts));
  }

  renderMatches(list, matches, query, mode) {
    const sourceLang = mode === 'translate' ? this.sourceLang : this.draftQueryLang;
    const targetLang = mode === 'translate' ? this.targetLang : this.draftTargetLang;
    if (!matches.length) {
      list.replaceChildren(this.h('li', { className: 'werger-empty' }, this.t(mode === 'translate' ? 'ui-plugin-matches-none' : 'ui-plugin-draft-none')));
      return;
    }
    list.replaceChildren(...matches.map((m, i) => this.matchCard(m, i, mode, sourceLang, targetLang)));
  }

  /** The target terms of a glossary hit that a translator should use, best first. */
  usableTargets(term) {
    const lang = baseLang(this.targetLang);
    return (term.targets || [])
      .filter((x) => baseLang(x.lang) === lang && (x.status === 'preferred' || x.status === 'admitted'))
      .sort((a, b) => STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status));
  }

  renderTerms(terms) {
    const H = (...a) => this.h(...a);
    if (!terms.length) {
      this.termList.replaceChildren(H('li', { className: 'werger-empty' }, this.t('ui-plugin-terms-none')));
      return;
    }
    const lang = baseLang(this.targetLang);
    this.termList.replaceChildren(...terms.map((term, i) => {
      const usable = this.usableTargets(term);
      const avoid = (term.targets || []).filter((x) => baseLang(x.lang) === lang && !usable.includes(x));
      const badge = (status) => H('span', { className: 'werger-badge', dataset: { status } }, this.t('ui-plugin-status-' + status));
      return H('li', { className: 'werger-term', dataset: { index: i, concept: term.concept_id } },
        H('span', { className: 'werger-term-source' }, langText(this.hostDoc, 'bdi', this.sourceLang, term.text)),
        H('span', { 'aria-hidden': 'true' }, this.uiDir === 'rtl' ? '←' : '→'),
        usable.length
          ? usable.map((x, k) => [H('button', {
            type: 'button',
            className: 'werger-secondary werger-term-insert',
            'aria-label': this.t('ui-plugin-term-insert', { term: x.term }),
            dataset: { term: x.term },
            onclick: () => this.insertText(x.term),
          }, langText(this.hostDoc, 'bdi', this.targetLang, x.term)), k === 0 && i < 9 ? H('span', { className: 'werger-key', dir: 'ltr', 'aria-hidden': 'true' }, `Ctrl+Shift+${i + 1}`) : null, badge(x.status)])
          : H('span', { className: 'werger-empty' }, this.t('ui-plugin-term-missing-target')),
        avoid.map((x) => [H('span', { className: 'werger-avoid' }, langText(this.hostDoc, 'bdi', this.targetLang, x.term)), badge(x.status)]));
    }));
  }

  formatDate(value) {
    if (!value) return '';
    const date = new Date(value);
    if (Number.isNaN(date.getTime())) return String(value);
    const fallback = { ckb: 'ar-IQ', ar: 'ar', kmr: 'tr', en: 'en-GB' };
    try {
      const aliases = this.uiLang === 'kmr' ? ['kmr', 'ku'] : [this.uiLang];
      const supported = Intl.DateTimeFormat.supportedLocalesOf(aliases);
      if (supported.length) return new Intl.DateTimeFormat(supported, { dateStyle: 'medium' }).format(date);
      return new Intl.DateTimeFormat([fallback[this.uiLang] || 'en-GB', 'en-GB'], { year: 'numeric', month: '2-digit', day: '2-digit' }).format(date);
    } catch {
      return date.toISOString().slice(0, 10);
    }
  }

  /** Ctrl+n or a click: insert match n (translate) or reuse sentence n (draft). */
  useMatch(n) {
    if (this.mode === 'draft') {
      this.reuseDraftSentence(n);
      return;
    }
    const segment = this.source.segments[this.activeIndex];
    const match = segment && segment.matches && segment.matches[n];
    if (!match) {
      this.announce(this.t('ui-plugin-no-match', { number: n + 1 }));
      return;
    }
    const text = this.editor.text();
    const [from, to] = this.editor.selection();
    let insert = match.target;
    if (from === to) {
      const unit = sentenceAt(text, sentenceRanges(text), from);
      if (unit && unit.start < from) {
        const rest = completion(text.slice(unit.start, from), match.target);
        if (rest !== null) insert = rest;
      }
    }
    if (insert) this.editor.replace(from, to, insert);
    else this.editor.focus();
    this.announce(this.t('ui-plugin-inserted', { number: n + 1 }));
    this.emit('inserted', { mode: 'translate', index: this.activeIndex, match: n, text: insert });
  }

  insertText(text) {
    const [from, to] = this.editor.selection();
    this.editor.replace(from, to, text);
  }

  /** Ctrl+Shift+T (the first term) or Ctrl+Shift+n: the term's preferred target term. */
  insertTerm(n) {
    if (this.mode !== 'translate') return;
    const segment = this.source.segments[this.activeIndex];
    const term = segment && segment.terms && segment.terms[n];
    const target = term && this.usableTargets(term)[0];
    if (!target) {
      this.announce(this.t('ui-plugin-terms-none'));
      return;
    }
    this.insertText(target.term);
    this.announce(this.t('ui-plugin-term-insert', { term: target.term }));
  }

  confirm() {
    if (this.mode !== 'translate') return;
    const index = this.activeIndex;
    const segment = this.source.segments[index];
    if (!segment) return;
    const text = this.editor.text();
    const unit = sentenceRanges(text)[index];
    const number = index + 1;
    const show = (message, kind) => {
      this.confirmResult.textContent = message;
      this.confirmResult.dataset.kind = kind;
      this.announce(message);
    };
    if (!unit) {
      show(this.t('ui-plugin-confirm-empty', { number }), 'error');
      return;
    }
    const target = text.slice(unit.start, unit.end).trim();
    // An exact match taken as it is: the pair is in the memory already, writing it again would
    // only add a copy of that unit with fewer languages.
    if ((segment.matches || []).some((m) => m.score === 100 && m.source === segment.text && m.target === target)) {
      this.confirmed.add(index);
      const li = this.segmentList.children[index];
      if (li) li.classList.add('werger-confirmed');
      show(this.t('ui-plugin-confirm-existing', { number }), 'ok');
      this.emit('confirmed', { index, created: false, unit: null, source: segment.text, target });
      return;
    }
    const variants = { [baseLang(this.sourceLang)]: segment.text, [baseLang(this.targetLang)]: target };
    show(this.t('ui-plugin-confirm-saving', { number }), 'pending');
    this.confirmButton.disabled = true;
    this.channels.confirm.run(
      (signal) => this.api('POST', '/api/v1/units', { variants }, signal),
      ({ status, data }) => {
        this.confirmButton.disabled = false;
        this.confirmed.add(index);
        this.draftCache.clear();
        const li = this.segmentList.children[index];
        if (li) li.classList.add('werger-confirmed');
        show(this.t(status === 201 ? 'ui-plugin-confirm-created' : 'ui-plugin-confirm-existing', { number }), 'ok');
        this.emit('confirmed', { index, created: status === 201, unit: data, source: segment.text, target });
      },
      () => {
        this.confirmButton.disabled = false;
        this.confirmResult.textContent = '';
      },
    );
  }

  // -- terminology QA --

  scheduleQa() {
    clearTimeout(this.qaTimer);
    if (this.mode !== 'translate' || !this.panel) return;
    this.qaTimer = setTimeout(() => this.runQa(), QA_DEBOUNCE_MS);
  }

  runQa() {
    if (this.mode !== 'translate' || this.detached) return;
    const text = this.editor.text();
    const units = sentenceRanges(text);
    const count = Math.min(units.length, this.source.segments.length);
    if (!count) {
      this.channels.qa.cancel();
      this.setProblems([], text);
      return;
    }
    // Only the segments translated so far: the rest of the source is not missing anything yet.
    const source = this.source.segments.slice(0, count).map((s) => s.text).join('\n');
    const body = { source_lang: this.sourceLang, target_lang: this.targetLang, source, target: text };
    this.panel.dataset.qa = 'running';
    this.channels.qa.run(
      (signal) => this.api('POST', '/api/v1/qa', body, signal),
      ({ data }) => {
        if (this.editor.text() !== text) {
          this.scheduleQa();
          return;
        }
        this.setProblems((data && data.problems) || [], text);
      },
    );
  }

  setProblems(problems, text) {
    this.problems = problems;
    const ranges = [];
    for (const p of problems) {
      if (p.side !== 'target') continue;
      const start = utf16Index(text, p.start);
      const end = utf16Index(text, p.end);
      if (end > start) ranges.push({ start, end, kind: p.kind });
    }
    this.lastText = text;
    this.editor.underline(ranges);
    if (!this.panel) return;
    const H = (...a) => this.h(...a);
    this.problemSummary.textContent = !text.trim()
      ? this.t('ui-plugin-qa-waiting')
      : problems.length ? this.t('ui-plugin-qa-count', { count: problems.length }) : this.t('ui-plugin-qa-none');
    this.problemList.replaceChildren(...problems.map((p, i) => {
      const lang = p.side === 'target' ? this.targetLang : this.sourceLang;
      const term = langText(this.hostDoc, 'bdi', lang, p.text);
      const id = p.kind === 'forbidden_term' ? 'ui-plugin-qa-forbidden' : p.kind === 'deprecated_term' ? 'ui-plugin-qa-deprecated' : 'ui-plugin-qa-missing';
      const parts = [H('span', { className: 'werger-problem-text' }, this.tn(id, { term }))];
      if (p.suggestions && p.suggestions.length) {
        const list = [];
        p.suggestions.forEach((s, k) => {
          if (k) list.push(this.uiDir === 'rtl' ? '، ' : ', ');
          list.push(langText(this.hostDoc, 'bdi', this.targetLang, s));
        });
        parts.push(' — ', H('span', { className: 'werger-problem-use' }, this.tn('ui-plugin-qa-use', { terms: H('span', {}, list) })));
      }
      const selectable = p.side === 'target';
      return H('li', {}, H(selectable ? 'button' : 'p', {
        type: selectable ? 'button' : undefined,
        className: 'werger-problem',
        dataset: { kind: p.kind, side: p.side, index: i },
        onclick: selectable ? () => this.editor.select(utf16Index(text, p.start), utf16Index(text, p.end)) : undefined,
      }, parts));
    }));
    this.panel.dataset.qa = 'done';
    this.emit('qa', { problems: problems.length });
  }

  // -- draft mode --

  draftTarget(lang) {
    if (baseLang(this.targetLang) !== lang) return baseLang(this.targetLang);
    if (baseLang(this.sourceLang) !== lang) return baseLang(this.sourceLang);
    return lang === 'en' ? 'ar' : 'en';
  }

  /** The sentence under the cursor, matched as soon as the translator pauses. */
  updateDraft(textChanged) {
    if (!this.panel || this.mode !== 'draft') return;
    const text = this.editor.text();
    const caret = this.editor.caret();
    const unit = sentenceAround(sentenceRanges(text), caret);
    const sentence = unit ? text.slice(unit.start, unit.end) : '';
    if (!/\p{L}.*\p{L}/u.test(sentence)) {
      clearTimeout(this.draftTimer);
      this.channels.draft.cancel();
      this.draftShown = null;
      this.draftQuery.hidden = true;
      this.draftHint.hidden = false;
      this.draftList.replaceChildren();
      return;
    }
    const lang = this.draftLang === 'auto' ? detectLang(sentence, baseLang(this.sourceLang)) : this.draftLang;
    const target = this.draftTarget(lang);
    const key = `${lang}>${target}|${sentence}`;
    if (key === this.draftShown) return;
    clearTimeout(this.draftTimer);
    if (this.draftCache.has(key)) {
      this.channels.draft.cancel();
      const at = now();
      this.showDraft(key, sentence, lang, target, this.draftCache.get(key), at, true);
      return;
    }
    this.draftTimer = setTimeout(() => this.fireDraft(key, sentence, lang, target), DRAFT_DEBOUNCE_MS);
  }

  fireDraft(key, sentence, lang, target) {
    const firedAt = now();
    const body = { source_lang: lang, target_lang: target, text: sentence, limit: DRAFT_LIMIT };
    this.draftList.setAttribute('aria-busy', 'true');
    this.channels.draft.run(
      (signal) => this.api('POST', '/api/v1/suggest', body, signal),
      ({ data }) => {
        const matches = [];
        for (const segment of (data && data.segments) || []) matches.push(...(segment.matches || []));
        matches.sort((a, b) => b.score - a.score);
        const result = matches.slice(0, DRAFT_LIMIT);
        this.draftCache.set(key, result);
        if (this.draftCache.size > CACHE_SIZE) this.draftCache.delete(this.draftCache.keys().next().value);
        this.showDraft(key, sentence, lang, target, result, firedAt, false);
      },
      () => this.draftList.removeAttribute('aria-busy'),
    );
  }

  showDraft(key, sentence, lang, target, matches, firedAt, cached) {
    this.draftShown = key;
    this.draftQueryLang = lang;
    this.draftTargetLang = target;
    this.draftMatches = matches;
    this.draftSentence = sentence;
    this.draftHint.hidden = true;
    this.draftQuery.hidden = false;
    this.draftQuery.replaceChildren(langText(this.hostDoc, 'span', lang, sentence));
    this.draftQuery.dataset.lang = lang;
    this.renderMatches(this.draftList, matches, sentence, 'draft');
    this.draftList.removeAttribute('aria-busy');
    this.draftList.dataset.query = sentence;
    this.emit('rendered', { mode: 'draft', text: sentence, lang, target, matches: matches.length, firedAt, renderedAt: now(), cached });
  }

  /** In draft mode: replace the sentence under the cursor with the stored sentence n. */
  reuseDraftSentence(n) {
    const match = this.draftMatches && this.draftMatches[n];
    if (!match) {
      this.announce(this.t('ui-plugin-no-match', { number: n + 1 }));
      return;
    }
    const text = this.editor.text();
    const unit = sentenceAround(sentenceRanges(text), this.editor.caret());
    if (unit) this.editor.replace(unit.start, unit.end, match.source);
    else this.insertText(match.source);
    this.announce(this.t('ui-plugin-inserted', { number: n + 1 }));
  }
}

/** The plugin's entry point. */
export const Werger = Object.freeze({
  /**
   * Attach the panel to `target`: a <textarea>, a contenteditable element, or an editor that
   * exposes one. Options: server, sourceLang, targetLang, apiKey, uiLang, mode ('translate' or
   * 'draft'), panel ('fixed' (default), 'after', or an element to put the panel in),
   * manageDirection (set lang/dir on the editor, default true).
   */
  attach(target, options = {}) {
    const session = new Session(target, options);
    return {
      ready: session.ready.then(() => undefined),
      get panel() {
        return session.panel || null;
      },
      get element() {
        return session.el;
      },
      detach: () => session.detach(),
      setSource: (text) => session.setSource(text).then(() => undefined),
      setMode: (mode) => session.setMode(mode),
      get mode() {
        return session.mode;
      },
    };
  },
  version: '1',
});

if (typeof window !== 'undefined') window.Werger = Werger;

export default Werger;
