// A small, safe Markdown renderer for the answer preview.
//
// Covers what the models write and the exports understand (CommonMark + GFM tables and
// strikethrough): headings, paragraphs, hard breaks, bold, italic, inline code, fenced and indented
// code blocks, bullet and numbered lists (nested), block quotes, rules, tables, links.
//
// Safety is by construction: the output is DOM nodes made with createElement and text nodes, never
// markup, so raw HTML in the text (<script>, <img onerror>, <iframe>...) is shown as text. The only
// attribute taken from the text is a link's href, kept only for http(s) and mailto; anything else
// (javascript:, data:, relative...) renders as plain text. Images are never loaded: their alt text is
// shown instead. Unterminated constructs (a stream cut mid-answer) render as text, never throw.

const SAFE_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

/** The href to use for a link destination, or null when it must not become a link. */
export function safeHref(dest) {
  // Browsers drop ASCII whitespace and control characters inside URLs: do the same before judging.
  const cleaned = String(dest || '').replace(/[\u0000-\u0020\u007f-\u009f]/g, '');
  if (!cleaned) return null;
  let url;
  try {
    url = new URL(cleaned);
  } catch {
    return null; // relative or malformed: nowhere safe to go
  }
  return SAFE_PROTOCOLS.has(url.protocol) ? url.href : null;
}

/** Markdown text -> DocumentFragment. */
export function renderMarkdown(src) {
  const frag = document.createDocumentFragment();
  const lines = String(src ?? '')
    .replace(/\r\n?/g, '\n')
    .replace(/\u0000/g, '\ufffd')
    .split('\n')
    .map(expandTabs);
  for (const node of blocks(lines, 0)) frag.appendChild(node);
  return frag;
}

/** Replaces the content of `el` with the rendered Markdown. */
export function renderInto(el, src) {
  el.replaceChildren(renderMarkdown(src));
}

// ---------------------------------------------------------------------------------------------
// Blocks

const MAX_DEPTH = 12; // nested quotes/lists deeper than this are flattened to text

const RE = {
  blank: /^\s*$/,
  fence: /^( {0,3})(`{3,}|~{3,})(.*)$/,
  atx: /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/,
  hr: /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/,
  quote: /^ {0,3}> ?(.*)$/,
  bullet: /^( {0,3})([-*+])(?:([ \t]+)(.*))?$/,
  ordered: /^( {0,3})(\d{1,9})([.)])(?:([ \t]+)(.*))?$/,
  setext: /^ {0,3}(=+|-+)[ \t]*$/,
  indented: /^ {4}/,
  tableSep: /^ *\|? *:?-+:? *(\| *:?-+:? *)*\|? *$/,
};

function expandTabs(line) {
  if (!line.includes('\t')) return line;
  let out = '';
  for (const ch of line) {
    if (ch === '\t') out += ' '.repeat(4 - (out.length % 4));
    else out += ch;
  }
  return out;
}

function listMarker(line) {
  let m = RE.bullet.exec(line);
  if (m && (m[3] !== undefined || m[4] === undefined)) {
    // "-" alone on a line is an empty item; "---" is a rule (checked before lists).
    const spaces = m[3] ? Math.min(m[3].length, 4) : 1;
    return { ordered: false, char: m[2], indent: m[1].length, content: m[4] ?? '', width: m[1].length + 1 + spaces };
  }
  m = RE.ordered.exec(line);
  if (m && (m[4] !== undefined || m[5] === undefined)) {
    const spaces = m[4] ? Math.min(m[4].length, 4) : 1;
    return {
      ordered: true,
      char: m[3],
      start: parseInt(m[2], 10),
      indent: m[1].length,
      content: m[5] ?? '',
      width: m[1].length + m[2].length + 1 + spaces,
    };
  }
  return null;
}

function isTableStart(lines, i) {
  return (
    i + 1 < lines.length &&
    lines[i].includes('|') &&
    RE.tableSep.test(lines[i + 1]) &&
    lines[i + 1].includes('-') &&
    splitRow(lines[i]).length === splitRow(lines[i + 1]).length
  );
}

/** Does this line start a block that interrupts a paragraph? */
function interrupts(lines, i) {
  const line = lines[i];
  if (RE.fence.test(line) || RE.atx.test(line) || RE.hr.test(line) || RE.quote.test(line)) return true;
  const li = listMarker(line);
  // As in CommonMark: only a non-empty item, and for numbers only "1.", may interrupt a paragraph.
  if (li && li.content.trim() && (!li.ordered || li.start === 1)) return true;
  return isTableStart(lines, i);
}

function blocks(lines, depth) {
  const out = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (RE.blank.test(line)) {
      i++;
      continue;
    }
    let m;

    // Fenced code: everything up to the closing fence (or the end, while streaming) is text.
    if ((m = RE.fence.exec(line)) && !(m[2][0] === '`' && m[3].includes('`'))) {
      const indent = m[1].length;
      const fence = m[2];
      const body = [];
      i++;
      while (i < lines.length) {
        const close = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(lines[i]);
        if (close && close[1][0] === fence[0] && close[1].length >= fence.length) {
          i++;
          break;
        }
        body.push(lines[i].replace(new RegExp(`^ {0,${indent}}`), ''));
        i++;
      }
      out.push(codeBlock(body.join('\n'), m[3].trim().split(/\s+/)[0]));
      continue;
    }

    if ((m = RE.atx.exec(line))) {
      const el = document.createElement('h' + m[1].length);
      el.dir = 'auto';
      inline(m[2] || '', el);
      out.push(el);
      i++;
      continue;
    }

    if (RE.hr.test(line)) {
      out.push(document.createElement('hr'));
      i++;
      continue;
    }

    if (RE.quote.test(line)) {
      const inner = [];
      while (i < lines.length && !RE.blank.test(lines[i])) {
        const q = RE.quote.exec(lines[i]);
        if (q) inner.push(q[1]);
        else if (inner.length && !interrupts(lines, i)) inner.push(lines[i]); // lazy continuation
        else break;
        i++;
      }
      const el = document.createElement('blockquote');
      el.dir = 'auto';
      if (depth < MAX_DEPTH) for (const n of blocks(inner, depth + 1)) el.appendChild(n);
      else el.textContent = inner.join('\n');
      out.push(el);
      continue;
    }

    const li = listMarker(line);
    if (li && !RE.hr.test(line)) {
      i = list(lines, i, li, depth, out);
      continue;
    }

    if (isTableStart(lines, i)) {
      i = table(lines, i, out);
      continue;
    }

    if (RE.indented.test(line)) {
      const body = [];
      while (i < lines.length && (RE.indented.test(lines[i]) || RE.blank.test(lines[i]))) {
        body.push(lines[i].slice(4));
        i++;
      }
      while (body.length && RE.blank.test(body[body.length - 1])) body.pop();
      out.push(codeBlock(body.join('\n'), ''));
      continue;
    }

    // Paragraph (or setext heading).
    const para = [line];
    i++;
    let heading = 0;
    while (i < lines.length && !RE.blank.test(lines[i])) {
      const s = RE.setext.exec(lines[i]);
      if (s) {
        heading = s[1][0] === '=' ? 1 : 2;
        i++;
        break;
      }
      if (interrupts(lines, i)) break;
      para.push(lines[i]);
      i++;
    }
    const el = document.createElement(heading ? 'h' + heading : 'p');
    el.dir = 'auto';
    inline(para.map((l) => l.replace(/^ +/, '')).join('\n').replace(/\s+$/, ''), el);
    out.push(el);
  }
  return out;
}

function codeBlock(text, lang) {
  const pre = document.createElement('pre');
  const code = document.createElement('code');
  code.textContent = text;
  if (lang && /^[\w+-]{1,32}$/.test(lang)) code.dataset.lang = lang;
  pre.appendChild(code);
  pre.dir = 'ltr';
  return pre;
}

/** Parses a list starting at line i; pushes it to out; returns the next line index. */
function list(lines, i, first, depth, out) {
  const el = document.createElement(first.ordered ? 'ol' : 'ul');
  if (first.ordered && first.start !== 1) el.start = first.start;
  const items = [];
  let loose = false;
  let marker = first;
  while (marker) {
    const body = [marker.content];
    const contentIndent = marker.width;
    i++;
    let sawBlank = false;
    let next = null;
    while (i < lines.length) {
      const line = lines[i];
      if (RE.blank.test(line)) {
        sawBlank = true;
        body.push('');
        i++;
        continue;
      }
      const indent = line.length - line.trimStart().length;
      if (indent >= contentIndent) {
        body.push(line.slice(contentIndent));
        i++;
        continue;
      }
      const m = listMarker(line);
      if (m && m.indent > marker.indent && !RE.hr.test(line)) {
        body.push(line.slice(m.indent)); // a sub-list indented less than the content: still nested
        i++;
        continue;
      }
      if (m && !RE.hr.test(line) && m.ordered === first.ordered && m.char === first.char) {
        next = m;
        break;
      }
      if (!sawBlank && !m && !interrupts(lines, i)) {
        body.push(line.trimStart()); // lazy continuation of the item's paragraph
        i++;
        continue;
      }
      break;
    }
    while (body.length && body[body.length - 1] === '') body.pop();
    if (body.includes('')) loose = true;
    if (next && sawBlank) loose = true;
    items.push(body);
    if (!next) break;
    marker = next;
  }
  for (const body of items) {
    const item = document.createElement('li');
    item.dir = 'auto';
    const children = depth < MAX_DEPTH ? blocks(body, depth + 1) : [document.createTextNode(body.join('\n'))];
    for (const c of children) {
      if (!loose && c.nodeName === 'P') {
        // Tight list: the paragraph's content goes straight into the item.
        if (item.childNodes.length) item.appendChild(document.createElement('br'));
        while (c.firstChild) item.appendChild(c.firstChild);
      } else item.appendChild(c);
    }
    el.appendChild(item);
  }
  out.push(el);
  return i;
}

function splitRow(line) {
  let s = line.trim();
  if (s.startsWith('|')) s = s.slice(1);
  if (s.endsWith('|') && !s.endsWith('\\|')) s = s.slice(0, -1);
  const cells = [];
  let cur = '';
  let code = 0;
  for (let k = 0; k < s.length; k++) {
    const c = s[k];
    if (c === '\\' && s[k + 1] === '|') {
      cur += '|';
      k++;
    } else if (c === '`') {
      code = code ? 0 : 1;
      cur += c;
    } else if (c === '|' && !code) {
      cells.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  cells.push(cur.trim());
  return cells;
}

function table(lines, i, out) {
  const head = splitRow(lines[i]);
  const aligns = splitRow(lines[i + 1]).map((c) => {
    const l = c.startsWith(':');
    const r = c.endsWith(':');
    return l && r ? 'center' : r ? 'end' : l ? 'start' : '';
  });
  i += 2;
  const wrap = document.createElement('div');
  wrap.className = 'md-table';
  const t = document.createElement('table');
  const thead = document.createElement('thead');
  const tr = document.createElement('tr');
  head.forEach((c, k) => tr.appendChild(cell('th', c, aligns[k])));
  thead.appendChild(tr);
  t.appendChild(thead);
  const tbody = document.createElement('tbody');
  while (i < lines.length && !RE.blank.test(lines[i]) && lines[i].includes('|') && !RE.fence.test(lines[i])) {
    const cells = splitRow(lines[i]);
    const row = document.createElement('tr');
    for (let k = 0; k < head.length; k++) row.appendChild(cell('td', cells[k] ?? '', aligns[k]));
    tbody.appendChild(row);
    i++;
  }
  if (tbody.childNodes.length) t.appendChild(tbody);
  wrap.appendChild(t);
  out.push(wrap);
  return i;
}

function cell(tag, text, align) {
  const c = document.createElement(tag);
  c.dir = 'auto';
  if (align) c.className = 'align-' + align;
  inline(text, c);
  return c;
}

// ---------------------------------------------------------------------------------------------
// Inlines

const ESCAPABLE = /[!-/:-@[-`{-~]/;
const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', laquo: '«', raquo: '»', hellip: '…', mdash: '—', ndash: '–', euro: '€', copy: '©', deg: '°' };
const MAX_INLINE_DEPTH = 16;
// How far a closing delimiter (emphasis, code span, link bracket) is looked for: keeps hostile
// input (thousands of unmatched "[" or "*") linear instead of quadratic.
const MAX_SCAN = 4000;

function isSpace(c) {
  return c === undefined || /\s/.test(c);
}
function isWordChar(c) {
  return c !== undefined && /[\p{L}\p{N}]/u.test(c);
}

/** Renders inline Markdown `s` into `parent` (text nodes and a few safe elements). */
function inline(s, parent, depth = 0) {
  if (depth > MAX_INLINE_DEPTH) {
    parent.appendChild(document.createTextNode(s));
    return;
  }
  let buf = '';
  const flush = () => {
    if (buf) parent.appendChild(document.createTextNode(buf));
    buf = '';
  };
  let i = 0;
  while (i < s.length) {
    const c = s[i];

    if (c === '\\') {
      if (s[i + 1] === '\n') {
        flush();
        parent.appendChild(document.createElement('br'));
        i += 2;
        continue;
      }
      if (ESCAPABLE.test(s[i + 1] || '')) {
        buf += s[i + 1];
        i += 2;
        continue;
      }
    }

    if (c === '\n') {
      if (/ {2,}$/.test(buf)) {
        buf = buf.replace(/ +$/, '');
        flush();
        parent.appendChild(document.createElement('br'));
      } else {
        buf = buf.replace(/ +$/, '') + '\n';
      }
      i++;
      continue;
    }

    if (c === '`') {
      const n = runLength(s, i, '`');
      const close = findCodeClose(s, i + n, n);
      if (close >= 0) {
        flush();
        let text = s.slice(i + n, close).replace(/\n/g, ' ');
        if (/^ .*[^ ].* $/.test(text)) text = text.slice(1, -1);
        const code = document.createElement('code');
        code.textContent = text;
        parent.appendChild(code);
        i = close + n;
        continue;
      }
      buf += s.slice(i, i + n);
      i += n;
      continue;
    }

    if (c === '!' && s[i + 1] === '[') {
      const link = parseLink(s, i + 1);
      if (link) {
        // Images are never loaded: the alt text stands in for them.
        flush();
        const span = document.createElement('span');
        span.className = 'md-image-alt';
        span.textContent = plainText(link.label);
        parent.appendChild(span);
        i = link.end;
        continue;
      }
    }

    if (c === '[') {
      const link = parseLink(s, i);
      if (link) {
        flush();
        const href = safeHref(link.dest);
        let el;
        if (href) {
          el = document.createElement('a');
          el.href = href;
          el.rel = 'noopener noreferrer';
          el.title = href;
        } else {
          el = document.createElement('span');
          el.className = 'md-link-dropped';
        }
        inline(link.label, el, depth + 1);
        parent.appendChild(el);
        i = link.end;
        continue;
      }
    }

    if (c === '<') {
      const m = /^<((?:https?|mailto):[^\s<>]*)>/i.exec(s.slice(i)) || /^<([^\s@<>()]+@[^\s@<>()]+\.[^\s@<>()]+)>/.exec(s.slice(i));
      if (m) {
        const dest = m[1].includes(':') ? m[1] : 'mailto:' + m[1];
        const href = safeHref(dest);
        if (href) {
          flush();
          const a = document.createElement('a');
          a.href = href;
          a.rel = 'noopener noreferrer';
          a.title = href;
          a.textContent = m[1];
          parent.appendChild(a);
          i += m[0].length;
          continue;
        }
      }
      // Raw HTML stays text.
    }

    if (c === '&') {
      const m = /^&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z]{2,8}));/.exec(s.slice(i));
      if (m) {
        let ch = null;
        if (m[1] || m[2]) {
          const cp = m[1] ? parseInt(m[1], 10) : parseInt(m[2], 16);
          ch = cp > 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff) ? String.fromCodePoint(cp) : '\ufffd';
        } else if (Object.prototype.hasOwnProperty.call(ENTITIES, m[3])) ch = ENTITIES[m[3]];
        if (ch !== null) {
          buf += ch;
          i += m[0].length;
          continue;
        }
      }
    }

    if (c === '*' || c === '_' || c === '~') {
      const done = emphasis(s, i, parent, flush, depth);
      if (done > i) {
        i = done;
        continue;
      }
      const n = runLength(s, i, c);
      buf += s.slice(i, i + n);
      i += n;
      continue;
    }

    buf += c;
    i++;
  }
  flush();
}

function runLength(s, i, ch) {
  let n = 0;
  while (s[i + n] === ch) n++;
  return n;
}

function findCodeClose(s, from, n) {
  let j = from;
  const end = Math.min(s.length, from + MAX_SCAN);
  while (j < end) {
    const k = s.indexOf('`', j);
    if (k < 0 || k >= end) return -1;
    const len = runLength(s, k, '`');
    if (len === n) return k;
    j = k + len;
  }
  return -1;
}

/**
 * Tries an emphasis span at i. Returns the index after it (having rendered it into parent), or i
 * when the delimiters do not open one.
 */
function emphasis(s, i, parent, flush, depth) {
  const ch = s[i];
  const run = runLength(s, i, ch);
  const before = s[i - 1];
  if (ch === '~') {
    if (run !== 2 || isSpace(s[i + 2])) return i;
    const close = findClose(s, i + 2, ch, 2);
    if (close < 0) return i;
    flush();
    const del = document.createElement('del');
    inline(s.slice(i + 2, close), del, depth + 1);
    parent.appendChild(del);
    return close + 2;
  }
  // Left-flanking: not followed by a space; "_" also not inside a word (snake_case stays text).
  if (isSpace(s[i + run])) return i;
  if (ch === '_' && isWordChar(before)) return i;
  for (let n = Math.min(run, 3); n >= 1; n--) {
    const close = findClose(s, i + run, ch, n);
    if (close < 0) continue;
    flush();
    if (run > n) parent.appendChild(document.createTextNode(ch.repeat(run - n)));
    const content = s.slice(i + run, close);
    let outer;
    let inner;
    if (n === 3) {
      outer = document.createElement('strong');
      inner = document.createElement('em');
      outer.appendChild(inner);
    } else {
      outer = inner = document.createElement(n === 2 ? 'strong' : 'em');
    }
    inline(content, inner, depth + 1);
    parent.appendChild(outer);
    return close + n;
  }
  return i;
}

/** The start of a closing run of exactly n `ch`, right-flanking, after `from`; -1 if none. */
function findClose(s, from, ch, n) {
  let j = from;
  const end = Math.min(s.length, from + MAX_SCAN);
  while (j < end) {
    const c = s[j];
    if (c === '\\') {
      j += 2;
      continue;
    }
    if (c === '`') {
      const len = runLength(s, j, '`');
      const close = findCodeClose(s, j + len, len);
      j = close >= 0 ? close + len : j + len;
      continue;
    }
    if (c === ch) {
      const len = runLength(s, j, ch);
      const prev = s[j - 1];
      const after = s[j + len];
      const rightFlanking = j > from && !isSpace(prev);
      const okUnderscore = ch !== '_' || !isWordChar(after);
      if (len === n && rightFlanking && okUnderscore) return j;
      j += len;
      continue;
    }
    j++;
  }
  return -1;
}

/** `[label](dest "title")` at i (s[i] === '['): {label, dest, end} or null. */
function parseLink(s, i) {
  let depth = 0;
  let j = i;
  const end = Math.min(s.length, i + MAX_SCAN);
  for (; j < end; j++) {
    const c = s[j];
    if (c === '\\') {
      j++;
      continue;
    }
    if (c === '`') {
      const len = runLength(s, j, '`');
      const close = findCodeClose(s, j + len, len);
      if (close >= 0) j = close + len - 1;
      else j += len - 1;
      continue;
    }
    if (c === '[') depth++;
    else if (c === ']') {
      depth--;
      if (depth === 0) break;
    }
  }
  if (j >= end || s[j + 1] !== '(') return null;
  const label = s.slice(i + 1, j);
  let k = j + 2;
  while (s[k] === ' ' || s[k] === '\n') k++;
  let dest = '';
  if (s[k] === '<') {
    const close = s.indexOf('>', k);
    if (close < 0) return null;
    dest = s.slice(k + 1, close);
    k = close + 1;
  } else {
    let parens = 0;
    const start = k;
    for (; k < s.length; k++) {
      const c = s[k];
      if (c === '\\') {
        k++;
        continue;
      }
      if (c === '(') parens++;
      else if (c === ')') {
        if (parens === 0) break;
        parens--;
      } else if (/\s/.test(c)) break;
    }
    dest = s.slice(start, k).replace(/\\([!-/:-@[-`{-~])/g, '$1');
  }
  while (s[k] === ' ' || s[k] === '\n') k++;
  if (s[k] === '"' || s[k] === "'" || s[k] === '(') {
    const closer = s[k] === '(' ? ')' : s[k];
    const close = s.indexOf(closer, k + 1);
    if (close < 0) return null;
    k = close + 1;
    while (s[k] === ' ' || s[k] === '\n') k++;
  }
  if (s[k] !== ')') return null;
  return { label, dest, end: k + 1 };
}

/** The text of some inline Markdown, without its markup (for image alt text). */
function plainText(s) {
  const span = document.createElement('span');
  inline(s, span, MAX_INLINE_DEPTH - 2);
  return span.textContent;
}
