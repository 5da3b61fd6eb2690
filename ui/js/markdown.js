// The answer preview's Markdown: parsing into the document model the exports use, and a safe DOM
// built from it.
//
// `parseMarkdown` is a pure function (no DOM): Markdown text -> the same block tree as the Rust
// exports' `export::blocks` (CommonMark with GFM tables and strikethrough, as pulldown-cmark reads
// them), in that module's JSON form. So the preview shows a table or a list exactly where the
// .docx will have one; tests/markdown.rs runs the corpus in tests/fixtures/markdown through both.
// The block structure follows the CommonMark reference algorithm (containers matched line by line,
// then leaf blocks); tables follow pulldown-cmark's rules (a header row whose column count matches
// the delimiter row; a table interrupts a paragraph only when its header row starts with "|").
// Known differences with pulldown-cmark: only common named entities (&nbsp;, &eacute;...) are
// decoded (numeric ones all are).
//
// `renderMarkdown` builds the DOM from that tree. Safety is by construction: the output is DOM
// nodes made with createElement and text nodes, never markup, so raw HTML in the text (<script>,
// <img onerror>, <iframe>...) is shown as text. The only attribute taken from the text is a
// link's href, kept only for http(s) and mailto; anything else (javascript:, data:, relative...)
// renders as plain text. Images are never loaded: their alt text is shown instead. Unterminated
// constructs (a stream cut mid-answer) render as text, never throw.

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
  return renderBlocks(parseMarkdown(src));
}

/** Replaces the content of `el` with the rendered Markdown. */
export function renderInto(el, src) {
  el.replaceChildren(renderMarkdown(src));
}

// =============================================================================================
// Parsing: Markdown -> blocks

/** Containers (quotes, lists) nested deeper than this have their content flattened to paragraphs,
 *  as the Rust side does: hostile input cannot exhaust the stack. */
const MAX_DEPTH = 32;
/** Quotes and list items nested deeper than this are not opened at all: their markers stay text
 *  (the exports would still read them; only absurd input reaches this). Keeps parsing linear. */
const MAX_CONTAINERS = 100;
const CODE_INDENT = 4;

/** Markdown text -> the document's blocks (see the module comment). */
export function parseMarkdown(src) {
  const text = String(src ?? '').replace(/\u0000/g, '\ufffd');
  const lines = text.split(/\r\n|\n|\r/);
  // A final newline does not make a last, empty line.
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  const p = new BlockParser(lines);
  const doc = p.parse();
  return toBlocks(doc.children, p.refmap, 0);
}

function node(type, startLine) {
  return { type, parent: null, children: [], open: true, startLine, endLine: startLine, content: '', depth: 0 };
}

const reThematicBreak = /^(?:\*[ \t]*){3,}$|^(?:_[ \t]*){3,}$|^(?:-[ \t]*){3,}$/;
const reMaybeSpecial = /^[#`~*+_=<>0-9|-]/;
const reNonSpace = /[^ \t\f\v\r\n]/;
const reBulletListMarker = /^[*+-]/;
const reOrderedListMarker = /^(\d{1,9})([.)])/;
const reATXHeadingMarker = /^#{1,6}(?:[ \t]+|$)/;
const reCodeFence = /^`{3,}(?!.*`)|^~{3,}/;
const reClosingCodeFence = /^(?:`{3,}|~{3,})(?=[ \t]*$)/;
const reSetextHeadingLine = /^(?:=+|-+)[ \t]*$/;

const TAGNAME = '[A-Za-z][A-Za-z0-9-]*';
const ATTRIBUTENAME = '[a-zA-Z_:][a-zA-Z0-9:._-]*';
const ATTRIBUTEVALUE = '(?:[^"\'=<>`\\x00-\\x20]+|\'[^\']*\'|"[^"]*")';
const ATTRIBUTE = '(?:\\s+' + ATTRIBUTENAME + '(?:\\s*=\\s*' + ATTRIBUTEVALUE + ')?)';
const OPENTAG = '<' + TAGNAME + ATTRIBUTE + '*\\s*/?>';
const CLOSETAG = '</' + TAGNAME + '\\s*[>]';
const HTMLCOMMENT = '<!-->|<!--->|<!--[\\s\\S]*?-->';
const PROCESSINGINSTRUCTION = '[<][?][\\s\\S]*?[?][>]';
const DECLARATION = '<![A-Za-z][^>]*>';
const CDATA = '<!\\[CDATA\\[[\\s\\S]*?\\]\\]>';
const reHtmlTag = new RegExp('^(?:' + OPENTAG + '|' + CLOSETAG + '|' + HTMLCOMMENT + '|' + PROCESSINGINSTRUCTION + '|' + DECLARATION + '|' + CDATA + ')', 'i');

const BLOCK_TAGS =
  'address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|details|dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|h[123456]|head|header|hr|html|iframe|legend|li|link|main|menu|menuitem|nav|noframes|ol|optgroup|option|p|param|search|section|summary|table|tbody|td|tfoot|th|thead|title|tr|track|ul';
const reHtmlBlockOpen = [
  /./,
  /^<(?:script|pre|textarea|style)(?:\s|>|$)/i,
  /^<!--/,
  /^<[?]/,
  /^<![A-Za-z]/,
  /^<!\[CDATA\[/,
  new RegExp('^</?(?:' + BLOCK_TAGS + ')(?:\\s|/?>|$)', 'i'),
  new RegExp('^(?:' + OPENTAG + '|' + CLOSETAG + ')\\s*$', 'i'),
];
const reHtmlBlockClose = [/./, /<\/(?:script|pre|textarea|style)>/i, /-->/, /\?>/, />/, /\]\]>/];

function isSpaceOrTab(c) {
  return c === ' ' || c === '\t';
}

class BlockParser {
  constructor(lines) {
    this.lines = lines;
    this.doc = node('document', 0);
    this.tip = this.doc;
    this.oldtip = this.doc;
    this.refmap = new Map();
    this.lineNumber = 0;
    this.line = '';
    this.offset = 0;
    this.column = 0;
    this.nextNonspace = 0;
    this.nextNonspaceColumn = 0;
    this.indent = 0;
    this.indented = false;
    this.blank = false;
    this.partiallyConsumedTab = false;
    this.allClosed = true;
    this.lastMatchedContainer = this.doc;
    this.lastLineLength = 0;
    // findNextNonspace's memory: on which line, from which offset, the answer.
    this.scanLine = null;
    this.scanFrom = 0;
    this.scanAt = 0;
    this.scanCol = 0;
  }

  parse() {
    for (let i = 0; i < this.lines.length; i++) this.incorporateLine(i);
    while (this.tip) this.finalize(this.tip, this.lines.length);
    return this.doc;
  }

  // -- Position in the current line (tabs count to the next multiple of 4) ------------------

  findNextNonspace() {
    const ln = this.line;
    let i;
    let cols;
    // The same white space is asked about once per open container: remember the answer, so a
    // deeply indented line is scanned once, not once per container.
    if (this.scanLine === ln && this.offset >= this.scanFrom && this.offset <= this.scanAt) {
      i = this.scanAt;
      cols = this.scanCol;
    } else {
      i = this.offset;
      cols = this.column;
      let c;
      while ((c = ln[i]) === ' ' || c === '\t') {
        cols += c === '\t' ? 4 - (cols % 4) : 1;
        i++;
      }
      this.scanLine = ln;
      this.scanFrom = this.offset;
      this.scanAt = i;
      this.scanCol = cols;
    }
    this.blank = ln[i] === undefined;
    this.nextNonspace = i;
    this.nextNonspaceColumn = cols;
    this.indent = this.nextNonspaceColumn - this.column;
    this.indented = this.indent >= CODE_INDENT;
  }

  advanceNextNonspace() {
    this.offset = this.nextNonspace;
    this.column = this.nextNonspaceColumn;
    this.partiallyConsumedTab = false;
  }

  advanceOffset(count, columns) {
    const ln = this.line;
    let c;
    while (count > 0 && (c = ln[this.offset]) !== undefined) {
      if (c === '\t') {
        const charsToTab = 4 - (this.column % 4);
        if (columns) {
          this.partiallyConsumedTab = charsToTab > count;
          const charsToAdvance = charsToTab > count ? count : charsToTab;
          this.column += charsToAdvance;
          this.offset += this.partiallyConsumedTab ? 0 : 1;
          count -= charsToAdvance;
        } else {
          this.partiallyConsumedTab = false;
          this.column += charsToTab;
          this.offset += 1;
          count -= 1;
        }
      } else {
        this.partiallyConsumedTab = false;
        this.offset += 1;
        this.column += 1;
        count -= 1;
      }
    }
  }

  addLine() {
    if (this.partiallyConsumedTab) {
      this.offset += 1;
      const charsToTab = 4 - (this.column % 4);
      this.tip.content += ' '.repeat(charsToTab);
    }
    this.tip.content += this.line.slice(this.offset) + '\n';
  }

  addChild(type, line) {
    while (!canContain(this.tip.type, type)) this.finalize(this.tip, this.lineNumber - 1);
    const child = node(type, line);
    child.parent = this.tip;
    child.depth = this.tip.depth + (type === 'block_quote' || type === 'item' ? 1 : 0);
    this.tip.children.push(child);
    this.tip = child;
    return child;
  }

  closeUnmatchedBlocks() {
    if (!this.allClosed) {
      while (this.oldtip !== this.lastMatchedContainer) {
        const parent = this.oldtip.parent;
        this.finalize(this.oldtip, this.lineNumber - 1);
        this.oldtip = parent;
      }
      this.allClosed = true;
    }
  }

  // -- One line ------------------------------------------------------------------------------

  incorporateLine(index) {
    let container = this.doc;
    this.oldtip = this.tip;
    this.offset = 0;
    this.column = 0;
    this.blank = false;
    this.partiallyConsumedTab = false;
    this.lineNumber = index + 1;
    this.line = this.lines[index];
    this.scanLine = null;

    // Which open blocks does this line continue?
    let last;
    while ((last = container.children[container.children.length - 1]) && last.open) {
      container = last;
      this.findNextNonspace();
      const r = this.continueBlock(container);
      if (r === 2) return; // the line is done (a closing code fence)
      if (r === 1) {
        container = container.parent;
        break;
      }
    }
    this.allClosed = container === this.oldtip;
    this.lastMatchedContainer = container;

    let matchedLeaf = container.type !== 'paragraph' && acceptsLines(container.type);
    // New block starts.
    while (!matchedLeaf) {
      this.findNextNonspace();
      if (!this.indented && !reMaybeSpecial.test(this.line.slice(this.nextNonspace))) {
        this.advanceNextNonspace();
        break;
      }
      const r = this.blockStart(container);
      if (r === 0) {
        this.advanceNextNonspace();
        break;
      }
      container = this.tip;
      if (r === 2) matchedLeaf = true;
    }

    // What is left of the line is text.
    if (!this.allClosed && !this.blank && this.tip.type === 'paragraph') {
      this.addLine(); // lazy continuation
      return;
    }
    this.closeUnmatchedBlocks();
    const t = container.type;
    if (t === 'table') {
      if (this.lineNumber > container.skipLine) container.rows.push(this.line.slice(this.offset));
    } else if (acceptsLines(t)) {
      this.addLine();
      if (t === 'html_block' && container.htmlBlockType >= 1 && container.htmlBlockType <= 5 && reHtmlBlockClose[container.htmlBlockType].test(this.line.slice(this.offset))) {
        this.lastLineLength = this.line.length;
        this.finalize(container, this.lineNumber);
      }
    } else if (this.offset < this.line.length && !this.blank) {
      // A new paragraph, unless its first line is a table's header row.
      const table = this.tableHead(container, this.nextNonspace);
      if (table) {
        this.openTable(table);
      } else {
        this.addChild('paragraph', this.lineNumber);
        this.advanceNextNonspace();
        this.addLine();
      }
    }
    this.lastLineLength = this.line.length;
  }

  /** 0: the line continues the block; 1: it does not; 2: it closed it (fence). */
  continueBlock(block) {
    const ln = this.line;
    switch (block.type) {
      case 'block_quote':
        if (!this.indented && ln[this.nextNonspace] === '>') {
          this.advanceNextNonspace();
          this.advanceOffset(1, false);
          if (isSpaceOrTab(ln[this.offset])) this.advanceOffset(1, true);
          return 0;
        }
        return 1;
      case 'item':
        if (this.blank) {
          if (!block.children.length) return 1; // at most one blank line opens an item
          this.advanceNextNonspace();
          return 0;
        }
        if (this.indent >= block.listData.markerOffset + block.listData.padding) {
          this.advanceOffset(block.listData.markerOffset + block.listData.padding, true);
          return 0;
        }
        return 1;
      case 'heading':
      case 'thematic_break':
        return 1;
      case 'code_block':
        if (block.fenced) {
          const m = this.indent <= 3 && ln[this.nextNonspace] === block.fenceChar && ln.slice(this.nextNonspace).match(reClosingCodeFence);
          if (m && m[0].length >= block.fenceLength) {
            this.lastLineLength = this.offset + this.indent + m[0].length;
            this.finalize(block, this.lineNumber);
            return 2;
          }
          let i = block.fenceOffset;
          while (i > 0 && isSpaceOrTab(ln[this.offset])) {
            this.advanceOffset(1, true);
            i--;
          }
          return 0;
        }
        if (this.indent >= CODE_INDENT) {
          this.advanceOffset(CODE_INDENT, true);
          return 0;
        }
        if (this.blank) {
          this.advanceNextNonspace();
          return 0;
        }
        return 1;
      case 'html_block':
        return this.blank && (block.htmlBlockType === 6 || block.htmlBlockType === 7) ? 1 : 0;
      case 'paragraph':
        return this.blank ? 1 : 0;
      case 'table': {
        // The delimiter row; then a row per line, unless blank, without a cell, or the start
        // of another block (pulldown-cmark's rules).
        if (this.lineNumber === block.skipLine) {
          this.advanceNextNonspace();
          return 0;
        }
        if (this.blank) return 1;
        const rest = ln.slice(this.nextNonspace);
        if (/^\|?[ \t]*$/.test(rest) || interruptsTable(rest)) return 1;
        this.advanceNextNonspace();
        return 0;
      }
      default:
        return 0; // document, list
    }
  }

  /** Tries each block start; 0: none, 1: a container opened, 2: a leaf opened. */
  blockStart(container) {
    const ln = this.line;
    const rest = ln.slice(this.nextNonspace);
    let m;
    const room = container.depth < MAX_CONTAINERS;
    // Block quote.
    if (room && !this.indented && ln[this.nextNonspace] === '>') {
      this.advanceNextNonspace();
      this.advanceOffset(1, false);
      if (isSpaceOrTab(ln[this.offset])) this.advanceOffset(1, true);
      this.closeUnmatchedBlocks();
      this.addChild('block_quote', this.lineNumber);
      return 1;
    }
    // ATX heading.
    if (!this.indented && (m = rest.match(reATXHeadingMarker))) {
      this.advanceNextNonspace();
      this.advanceOffset(m[0].length, false);
      this.closeUnmatchedBlocks();
      const h = this.addChild('heading', this.lineNumber);
      h.level = m[0].trim().length;
      h.content = ln
        .slice(this.offset)
        .replace(/^[ \t]*#+[ \t]*$/, '')
        .replace(/[ \t]+#+[ \t]*$/, '');
      this.advanceOffset(ln.length - this.offset);
      return 2;
    }
    // Fenced code.
    if (!this.indented && (m = rest.match(reCodeFence))) {
      const fenceLength = m[0].length;
      this.closeUnmatchedBlocks();
      const c = this.addChild('code_block', this.lineNumber);
      c.fenced = true;
      c.fenceLength = fenceLength;
      c.fenceChar = m[0][0];
      c.fenceOffset = this.indent;
      this.advanceNextNonspace();
      this.advanceOffset(fenceLength, false);
      return 2;
    }
    // HTML block.
    if (!this.indented && ln[this.nextNonspace] === '<') {
      for (let type = 1; type <= 7; type++) {
        if (reHtmlBlockOpen[type].test(rest) && (type < 7 || (container.type !== 'paragraph' && !(!this.allClosed && !this.blank && this.tip.type === 'paragraph')))) {
          this.closeUnmatchedBlocks();
          const b = this.addChild('html_block', this.lineNumber);
          b.htmlBlockType = type;
          return 2;
        }
      }
    }
    // Setext heading underline.
    if (!this.indented && container.type === 'paragraph' && (m = rest.match(reSetextHeadingLine))) {
      this.closeUnmatchedBlocks();
      const remaining = parseReferences(container.content, this.refmap);
      if (remaining.trim()) {
        const h = node('heading', container.startLine);
        h.level = m[0][0] === '=' ? 1 : 2;
        h.content = remaining;
        h.parent = container.parent;
        const siblings = container.parent.children;
        siblings[siblings.indexOf(container)] = h;
        this.tip = h;
        this.advanceOffset(ln.length - this.offset, false);
        return 2;
      }
      container.content = remaining;
    }
    // Thematic break.
    if (!this.indented && reThematicBreak.test(rest)) {
      this.closeUnmatchedBlocks();
      this.addChild('thematic_break', this.lineNumber);
      this.advanceOffset(ln.length - this.offset, false);
      return 2;
    }
    // List item.
    if (room && (!this.indented || container.type === 'list')) {
      const data = this.parseListMarker(container);
      if (data) {
        this.closeUnmatchedBlocks();
        if (this.tip.type !== 'list' || !listsMatch(container.listData, data)) {
          const l = this.addChild('list', this.lineNumber);
          l.listData = data;
        }
        const item = this.addChild('item', this.lineNumber);
        item.listData = data;
        return 1;
      }
    }
    // Indented code.
    if (this.indented && this.tip.type !== 'paragraph' && !this.blank) {
      this.advanceOffset(CODE_INDENT, true);
      this.closeUnmatchedBlocks();
      this.addChild('code_block', this.lineNumber);
      return 2;
    }
    // A table interrupting a paragraph: only when its header row starts with "|".
    if (!this.indented && container.type === 'paragraph' && this.allClosed && rest.startsWith('|')) {
      const table = this.tableHead(container.parent, this.nextNonspace);
      if (table) {
        this.closeUnmatchedBlocks();
        this.finalize(container, this.lineNumber - 1);
        this.openTable(table);
        return 2;
      }
    }
    return 0;
  }

  parseListMarker(container) {
    const ln = this.line;
    const rest = ln.slice(this.nextNonspace);
    if (this.indent >= 4) return null;
    const data = { type: null, bulletChar: null, start: null, delimiter: null, padding: null, markerOffset: this.indent };
    let m;
    if ((m = rest.match(reBulletListMarker))) {
      data.type = 'bullet';
      data.bulletChar = m[0][0];
    } else if ((m = rest.match(reOrderedListMarker)) && (container.type !== 'paragraph' || m[1] === '1')) {
      data.type = 'ordered';
      data.start = parseInt(m[1], 10);
      data.delimiter = m[2];
    } else return null;
    const next = ln[this.nextNonspace + m[0].length];
    if (!(next === undefined || next === '\t' || next === ' ')) return null;
    // Interrupting a paragraph: not with an empty item.
    if (container.type === 'paragraph' && !reNonSpace.test(ln.slice(this.nextNonspace + m[0].length))) return null;
    this.advanceNextNonspace();
    this.advanceOffset(m[0].length, true);
    const spacesStartCol = this.column;
    const spacesStartOffset = this.offset;
    let c;
    do {
      this.advanceOffset(1, true);
      c = ln[this.offset];
    } while (this.column - spacesStartCol < 5 && isSpaceOrTab(c));
    const blankItem = ln[this.offset] === undefined;
    const spacesAfterMarker = this.column - spacesStartCol;
    if (spacesAfterMarker >= 5 || spacesAfterMarker < 1 || blankItem) {
      data.padding = m[0].length + 1;
      this.column = spacesStartCol;
      this.offset = spacesStartOffset;
      if (isSpaceOrTab(ln[this.offset])) this.advanceOffset(1, true);
    } else {
      data.padding = m[0].length + spacesAfterMarker;
    }
    return data;
  }

  // -- Tables (pulldown-cmark's rules) --------------------------------------------------------

  /** If the text at `from` of the current line is a table's header row (the next line, inside
   *  the same containers down to `container`, being a delimiter row with as many columns), the
   *  table's head; else null. */
  tableHead(container, from) {
    const head = this.line.slice(from);
    const pipes = countPipes(head);
    if (!pipes.count) return null;
    const next = this.lines[this.lineNumber];
    if (next === undefined) return null;
    const at = this.matchContainers(next, container);
    if (at < 0) return null;
    const aligns = scanTableHead(next.slice(at));
    if (!aligns) return null;
    if (aligns.length !== headerColumns(head, pipes)) return null;
    return { head, aligns };
  }

  openTable(table) {
    this.closeUnmatchedBlocks();
    const t = this.addChild('table', this.lineNumber);
    t.aligns = table.aligns;
    t.head = table.head;
    t.rows = [];
    t.skipLine = this.lineNumber + 1; // the delimiter row
    this.advanceOffset(this.line.length - this.offset, false);
  }

  /** Where the content of `line` starts once the open containers from the document down to
   *  `container` are matched (block quote markers, item indentation); -1 if one does not match.
   *  Changes nothing. */
  matchContainers(line, container) {
    const chain = [];
    for (let c = container; c && c.type !== 'document'; c = c.parent) chain.unshift(c);
    const saved = [this.line, this.offset, this.column, this.nextNonspace, this.nextNonspaceColumn, this.indent, this.indented, this.blank, this.partiallyConsumedTab];
    this.line = line;
    this.scanLine = null;
    this.offset = 0;
    this.column = 0;
    this.partiallyConsumedTab = false;
    let ok = true;
    for (const c of chain) {
      this.findNextNonspace();
      if (c.type === 'block_quote') {
        if (this.indented || line[this.nextNonspace] !== '>') {
          ok = false;
          break;
        }
        this.advanceNextNonspace();
        this.advanceOffset(1, false);
        if (isSpaceOrTab(line[this.offset])) this.advanceOffset(1, true);
      } else if (c.type === 'item') {
        if (this.blank || this.indent < c.listData.markerOffset + c.listData.padding) {
          ok = false;
          break;
        }
        this.advanceOffset(c.listData.markerOffset + c.listData.padding, true);
      }
    }
    this.findNextNonspace();
    const at = ok && this.indent < 4 ? this.nextNonspace : -1;
    [this.line, this.offset, this.column, this.nextNonspace, this.nextNonspaceColumn, this.indent, this.indented, this.blank, this.partiallyConsumedTab] = saved;
    this.scanLine = null;
    return at;
  }

  // -- Closing blocks ------------------------------------------------------------------------

  finalize(block, lineNumber) {
    const above = block.parent;
    block.open = false;
    block.endLine = lineNumber;
    switch (block.type) {
      case 'paragraph': {
        block.content = parseReferences(block.content, this.refmap);
        if (!block.content.trim()) above.children.splice(above.children.indexOf(block), 1);
        break;
      }
      case 'code_block':
        if (block.fenced) {
          const nl = block.content.indexOf('\n');
          const first = nl < 0 ? block.content : block.content.slice(0, nl);
          block.info = unescapeString(first.trim());
          block.literal = nl < 0 ? '' : block.content.slice(nl + 1);
        } else {
          const lines = block.content.split('\n');
          while (lines.length && /^[ \t]*$/.test(lines[lines.length - 1])) lines.pop();
          block.literal = lines.join('\n') + '\n';
          block.endLine = block.startLine + lines.length - 1;
        }
        break;
      case 'html_block':
        block.literal = block.content.replace(/\n$/, '');
        break;
      case 'item':
        block.endLine = block.children.length ? block.children[block.children.length - 1].endLine : block.startLine;
        break;
      case 'list': {
        block.tight = true;
        const items = block.children;
        for (let i = 0; i < items.length && block.tight; i++) {
          const item = items[i];
          if (i + 1 < items.length && item.endLine !== items[i + 1].startLine - 1) block.tight = false;
          const subs = item.children;
          for (let k = 0; k + 1 < subs.length; k++) {
            if (subs[k].endLine !== subs[k + 1].startLine - 1) block.tight = false;
          }
        }
        block.endLine = items.length ? items[items.length - 1].endLine : block.startLine;
        break;
      }
      default:
    }
    this.tip = above;
  }
}

function canContain(parent, child) {
  switch (parent) {
    case 'document':
    case 'block_quote':
    case 'item':
      return child !== 'item';
    case 'list':
      return child === 'item';
    default:
      return false;
  }
}

function acceptsLines(type) {
  return type === 'paragraph' || type === 'code_block' || type === 'html_block' || type === 'table';
}

function listsMatch(a, b) {
  return a && a.type === b.type && a.delimiter === b.delimiter && a.bulletChar === b.bulletChar;
}

/** Does this line (at its first non-space) end a table, as pulldown-cmark's paragraph
 *  interruptions without tables do (any list item counts inside a table)? */
function interruptsTable(rest) {
  if (reThematicBreak.test(rest) || reATXHeadingMarker.test(rest) || reCodeFence.test(rest) || rest.startsWith('>')) return true;
  if (/^(?:[*+-]|\d{1,9}[.)])(?:[ \t]|$)/.test(rest)) return true;
  if (rest.startsWith('<')) {
    for (let type = 1; type <= 6; type++) {
      if (type !== 4 && reHtmlBlockOpen[type].test(rest)) return true;
    }
  }
  return false;
}

/** Unescaped pipes of a header row: how many, and where the last one is. */
function countPipes(s) {
  let count = 0;
  let last = -1;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '|' && !(i > 0 && s[i - 1] === '\\')) {
      count++;
      last = i;
    }
  }
  return { count, last };
}

/** pulldown-cmark's column count of a header row: the pipes, less a leading one, plus one
 *  unless the last pipe ends the line. */
function headerColumns(s, pipes) {
  let n = pipes.count;
  if (s.trimStart().startsWith('|')) n -= 1;
  return /^[ \t]*$/.test(s.slice(pipes.last + 1)) ? n : n + 1;
}

/** The alignments of a delimiter row (`|:--|--:|`), or null if it is not one. */
function scanTableHead(s) {
  let i = 0;
  let spaces = 0;
  while (s[i] === ' ' || s[i] === '\t') {
    spaces += s[i] === '\t' ? 4 - (spaces % 4) : 1;
    i++;
  }
  if (spaces > 3 || i === s.length) return null;
  const cols = [];
  let active = 'none';
  let startCol = true;
  let foundPipe = false;
  let foundHyphen = false;
  let hyphenInCol = false;
  if (s[i] === '|') {
    i++;
    foundPipe = true;
  }
  for (; i < s.length; i++) {
    const c = s[i];
    if (c === ' ') continue;
    if (c === ':') {
      if (startCol && active === 'none') active = 'left';
      else if (!startCol && active === 'left') active = 'center';
      else if (!startCol && active === 'none') active = 'right';
      startCol = false;
    } else if (c === '-') {
      startCol = false;
      foundHyphen = true;
      hyphenInCol = true;
    } else if (c === '|') {
      startCol = true;
      foundPipe = true;
      cols.push(active);
      active = 'none';
      if (!hyphenInCol) return null;
      hyphenInCol = false;
    } else return null;
  }
  if (!startCol) cols.push(active);
  if (!foundPipe || !foundHyphen) return null;
  return cols;
}

/** A table row's cells, as pulldown-cmark splits them: at every unescaped pipe (also inside
 *  code spans), `\|` standing for a pipe in the cell's text. */
function splitRow(line) {
  const cells = [];
  let s = trimAscii(line);
  if (s.startsWith('|')) s = s.slice(1);
  let cur = '';
  let k = 0;
  for (; k < s.length; k++) {
    const c = s[k];
    if (c === '\\' && s[k + 1] === '|') {
      cur += '|';
      k++;
    } else if (c === '\\' && s[k + 1] === '\\' && s[k + 2] === '|') {
      cur += '|';
      k += 2;
    } else if (c === '|') {
      cells.push(cur);
      cur = '';
    } else cur += c;
  }
  if (trimAscii(cur) || !cells.length) cells.push(cur);
  return cells.map(trimAscii);
}

// -- Link reference definitions (`[label]: destination "title"`) at the start of paragraphs ----

function normalizeLabel(s) {
  return s.slice(1, -1).trim().replace(/[ \t\r\n]+/g, ' ').toLowerCase().toUpperCase();
}

/** Removes the link reference definitions that open `content`, recording them; returns the rest. */
function parseReferences(content, refmap) {
  let rest = content;
  for (;;) {
    if (rest[0] !== '[') return rest;
    const ip = new InlineParser(rest, refmap);
    const len = ip.parseReference();
    if (!len) return rest;
    rest = rest.slice(len);
  }
}

// -- Blocks -> the model ------------------------------------------------------------------------

function toBlocks(nodes, refmap, depth) {
  const out = [];
  for (const n of nodes) {
    switch (n.type) {
      case 'paragraph': {
        out.push(paragraph(parseInlines(trimAscii(n.content), refmap)));
        break;
      }
      case 'heading':
        out.push({ type: 'heading', level: n.level, runs: parseInlines(trimAscii(n.content), refmap) });
        break;
      case 'block_quote':
        if (depth >= MAX_DEPTH) out.push(...flatten(n.children, refmap));
        else out.push({ type: 'quote', blocks: toBlocks(n.children, refmap, depth + 1) });
        break;
      case 'list': {
        if (depth >= MAX_DEPTH) {
          out.push(...flatten(n.children, refmap));
          break;
        }
        const list = { type: 'list' };
        if (n.listData.type === 'ordered') list.start = n.listData.start;
        list.tight = true; // keeps the keys in the Rust order
        list.items = n.children.map((item) => toBlocks(item.children, refmap, depth + 1));
        // Tightness only concerns paragraphs: a list without any counts as tight (as in Rust).
        list.tight = n.tight || !list.items.some((item) => item.some((b) => b.type === 'paragraph'));
        out.push(list);
        break;
      }
      case 'code_block': {
        const code = { type: 'code' };
        const lang = n.fenced ? (n.info || '').split(/\s+/)[0] : '';
        if (lang) code.lang = lang;
        code.text = n.literal.replace(/\n$/, '');
        out.push(code);
        break;
      }
      case 'html_block': {
        const html = n.literal.replace(/\n+$/, '');
        if (isPageBreakComment(html)) out.push({ type: 'page_break' });
        else if (html.trim()) out.push({ type: 'paragraph', runs: [{ text: html }] });
        break;
      }
      case 'thematic_break':
        out.push({ type: 'rule' });
        break;
      case 'table':
        out.push(tableBlock(n, refmap));
        break;
      default:
    }
  }
  return out;
}

/** Content too deeply nested: its leaf blocks as paragraphs, in order (Rust's `flattened`);
 *  walked with a stack, not recursively, whatever the depth. */
function flatten(nodes, refmap) {
  const out = [];
  const stack = [...nodes].reverse();
  while (stack.length) {
    const n = stack.pop();
    if (n.type === 'paragraph' || n.type === 'heading') {
      const runs = parseInlines(trimAscii(n.content), refmap);
      if (runs.length) out.push({ type: 'paragraph', runs });
    } else if (n.type === 'code_block' || n.type === 'html_block') {
      const t = n.literal.replace(/\n+$/, '');
      if (t) out.push({ type: 'paragraph', runs: [{ text: t }] });
    } else if (n.type === 'table') {
      for (const row of [n.head, ...n.rows]) {
        for (const cell of splitRow(row)) {
          const runs = parseInlines(cell, refmap);
          if (runs.length) out.push({ type: 'paragraph', runs });
        }
      }
    } else {
      for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
    }
  }
  return out;
}

function tableBlock(n, refmap) {
  const cols = n.aligns.length;
  const row = (line) => {
    const cells = splitRow(line).slice(0, cols).map((c) => parseInlines(c, refmap));
    while (cells.length < cols) cells.push([]);
    return cells;
  };
  return { type: 'table', aligns: n.aligns.slice(), header: row(n.head), rows: n.rows.map(row) };
}

/** Without the spaces, tabs and line ends around it (not other white space: a no-break space
 *  is text). */
function trimAscii(s) {
  return s.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
}

function paragraph(runs) {
  if (runs.length === 1) {
    const r = runs[0];
    if (Object.keys(r).length === 1 && ['\\pagebreak', '\\newpage'].includes(r.text.trim())) return { type: 'page_break' };
  }
  return { type: 'paragraph', runs };
}

function isPageBreakComment(html) {
  const m = /^<!--([\s\S]*)-->$/.exec(html.trim());
  return !!m && ['pagebreak', 'page-break', 'newpage'].includes(m[1].trim().toLowerCase());
}

// =============================================================================================
// Inlines: text -> runs

const ESCAPABLE = /^[!"#$%&'()*+,./:;<=>?@[\\\]^_`{|}~-]/;
const ENTITIES = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', laquo: '«', raquo: '»', hellip: '…', mdash: '—', ndash: '–',
  euro: '€', copy: '©', reg: '®', trade: '™', deg: '°', sect: '§', para: '¶', middot: '·', times: '×', divide: '÷', plusmn: '±',
  lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', bull: '•', shy: '\u00ad', thinsp: '\u2009', ensp: '\u2002', emsp: '\u2003',
  agrave: 'à', aacute: 'á', acirc: 'â', auml: 'ä', ccedil: 'ç', egrave: 'è', eacute: 'é', ecirc: 'ê', euml: 'ë', icirc: 'î',
  iuml: 'ï', ocirc: 'ô', ouml: 'ö', ugrave: 'ù', ucirc: 'û', uuml: 'ü', yuml: 'ÿ', oelig: 'œ', aelig: 'æ',
  Agrave: 'À', Aacute: 'Á', Acirc: 'Â', Ccedil: 'Ç', Egrave: 'È', Eacute: 'É', Ecirc: 'Ê', Euml: 'Ë', Icirc: 'Î', Iuml: 'Ï',
  Ocirc: 'Ô', Ugrave: 'Ù', Ucirc: 'Û', Uuml: 'Ü', OElig: 'Œ', AElig: 'Æ',
};
const reEntity = /^&(?:#[xX]([0-9a-fA-F]{1,6})|#([0-9]{1,7})|([a-zA-Z][a-zA-Z0-9]{1,31}));/;
const rePunctuation = /^[\p{P}\p{S}]/u;
const reWhitespaceChar = /^\s/u;
const reLinkDestinationBraces = /^(?:<(?:[^<>\n\\\x00]|\\.)*>)/;
const reSpnl = /^ *(?:\n *)?/;
const reAutolink = /^<[A-Za-z][A-Za-z0-9.+-]{1,31}:[^<>\x00-\x20]*>/;
const reEmailAutolink = /^<([a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*)>/;
const MAX_LINK_LABEL = 999;
const MAX_LINK_PARENS = 32;

function decodeEntity(m) {
  if (m[1] || m[2]) {
    const cp = m[1] ? parseInt(m[1], 16) : parseInt(m[2], 10);
    return cp > 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff) ? String.fromCodePoint(cp) : '\ufffd';
  }
  return Object.prototype.hasOwnProperty.call(ENTITIES, m[3]) ? ENTITIES[m[3]] : null;
}

/** Backslash escapes and entities resolved (link destinations, titles, info strings). */
function unescapeString(s) {
  let out = '';
  for (let i = 0; i < s.length; ) {
    if (s[i] === '\\' && ESCAPABLE.test(s.slice(i + 1, i + 2))) {
      out += s[i + 1];
      i += 2;
    } else if (s[i] === '&') {
      const m = reEntity.exec(s.slice(i));
      const ch = m && decodeEntity(m);
      if (ch !== null && m) {
        out += ch;
        i += m[0].length;
      } else {
        out += s[i++];
      }
    } else out += s[i++];
  }
  return out;
}

/** Inline Markdown -> runs (`{text, bold?, italic?, code?, strike?, link?, image?}`). */
function parseInlines(s, refmap) {
  const ip = new InlineParser(s, refmap);
  const root = new INode('root');
  ip.parseInto(root);
  const runs = [];
  flattenInline(root, runs);
  return runs;
}

/** A node of the inline tree, doubly linked as in the reference implementation (emphasis and
 *  links move runs of siblings into new parents). */
class INode {
  constructor(type, text = '') {
    this.type = type;
    this.text = text;
    this.dest = null;
    this.parent = null;
    this.prev = null;
    this.next = null;
    this.first = null;
    this.last = null;
  }

  appendChild(c) {
    c.unlink();
    c.parent = this;
    if (this.last) {
      this.last.next = c;
      c.prev = this.last;
      this.last = c;
    } else {
      this.first = this.last = c;
    }
  }

  unlink() {
    if (this.prev) this.prev.next = this.next;
    else if (this.parent) this.parent.first = this.next;
    if (this.next) this.next.prev = this.prev;
    else if (this.parent) this.parent.last = this.prev;
    this.parent = this.prev = this.next = null;
  }

  insertAfter(s) {
    s.unlink();
    s.next = this.next;
    if (s.next) s.next.prev = s;
    s.prev = this;
    this.next = s;
    s.parent = this.parent;
    if (!s.next && s.parent) s.parent.last = s;
  }
}

function text(t) {
  return new INode('text', t);
}

class InlineParser {
  constructor(subject, refmap) {
    this.subject = subject;
    this.refmap = refmap;
    this.pos = 0;
    this.delimiters = null; // top of the delimiter stack
    this.brackets = null;
  }

  peek() {
    return this.subject[this.pos];
  }

  match(re) {
    const m = re.exec(this.subject.slice(this.pos));
    if (!m) return null;
    this.pos += m.index + m[0].length;
    return m[0];
  }

  spnl() {
    this.match(reSpnl);
    return true;
  }

  parseInto(block) {
    this.delimiters = null;
    this.brackets = null;
    while (this.pos < this.subject.length) this.parseInline(block);
    this.processEmphasis(null);
  }

  parseInline(block) {
    const c = this.peek();
    let res = false;
    switch (c) {
      case '\n':
        res = this.parseNewline(block);
        break;
      case '\\':
        res = this.parseBackslash(block);
        break;
      case '`':
        res = this.parseBackticks(block);
        break;
      case '*':
      case '_':
      case '~':
        res = this.handleDelim(c, block);
        break;
      case '[':
        res = this.parseOpenBracket(block);
        break;
      case '!':
        res = this.parseBang(block);
        break;
      case ']':
        res = this.parseCloseBracket(block);
        break;
      case '<':
        res = this.parseAutolink(block) || this.parseHtmlTag(block);
        break;
      case '&':
        res = this.parseEntity(block);
        break;
      default:
        res = this.parseString(block);
    }
    if (!res) {
      this.pos += 1;
      block.appendChild(text(c));
    }
  }

  parseString(block) {
    const m = this.match(/^[^\n`[\]\\!<&*_~]+/);
    if (!m) return false;
    block.appendChild(text(m));
    return true;
  }

  parseNewline(block) {
    this.pos += 1;
    const last = block.last;
    if (last && last.type === 'text' && / $/.test(last.text)) {
      const hard = / {2}$/.test(last.text);
      last.text = last.text.replace(/ +$/, '');
      block.appendChild(new INode(hard ? 'hardbreak' : 'softbreak'));
    } else {
      block.appendChild(new INode('softbreak'));
    }
    this.match(/^[ \t]*/);
    return true;
  }

  parseBackslash(block) {
    const s = this.subject;
    this.pos += 1;
    if (s[this.pos] === '\n') {
      this.pos += 1;
      block.appendChild(new INode('hardbreak'));
      this.match(/^[ \t]*/);
    } else if (ESCAPABLE.test(s.slice(this.pos, this.pos + 1))) {
      block.appendChild(text(s[this.pos]));
      this.pos += 1;
    } else {
      block.appendChild(text('\\'));
    }
    return true;
  }

  parseBackticks(block) {
    const ticks = this.match(/^`+/);
    const after = this.pos;
    let m;
    while ((m = this.match(/`+/)) !== null) {
      if (m === ticks) {
        let contents = this.subject.slice(after, this.pos - ticks.length).replace(/\n/g, ' ');
        if (contents.length > 0 && /[^ ]/.test(contents) && contents[0] === ' ' && contents[contents.length - 1] === ' ') {
          contents = contents.slice(1, contents.length - 1);
        }
        block.appendChild(new INode('code', contents));
        return true;
      }
    }
    this.pos = after;
    block.appendChild(text(ticks));
    return true;
  }

  parseAutolink(block) {
    let m;
    let dest;
    if ((m = this.match(reEmailAutolink))) dest = 'mailto:' + m.slice(1, m.length - 1);
    else if ((m = this.match(reAutolink))) dest = m.slice(1, m.length - 1);
    else return false;
    const link = new INode('link');
    link.dest = dest;
    link.appendChild(text(m.slice(1, m.length - 1)));
    block.appendChild(link);
    return true;
  }

  parseHtmlTag(block) {
    const m = this.match(reHtmlTag);
    if (m === null) return false;
    // Raw HTML is text, never markup.
    block.appendChild(new INode('html', m));
    return true;
  }

  parseEntity(block) {
    const m = reEntity.exec(this.subject.slice(this.pos));
    if (!m) return false;
    const ch = decodeEntity(m);
    if (ch === null) return false;
    this.pos += m[0].length;
    block.appendChild(text(ch));
    return true;
  }

  // -- Emphasis and strikethrough delimiters ---------------------------------------------------

  /** The delimiter run at pos: its length and whether it can open or close (pulldown-cmark's
   *  flanking rules: "*" and "~~" may be inside a word, "_" and "~" may not). */
  scanDelims(c) {
    const s = this.subject;
    const start = this.pos;
    let n = 0;
    while (s[start + n] === c) n++;
    const before = start === 0 ? '\n' : charBefore(s, start);
    const after = start + n >= s.length ? '\n' : charAt(s, start + n);
    const afterWs = reWhitespaceChar.test(after);
    const afterPunct = rePunctuation.test(after);
    const beforeWs = reWhitespaceChar.test(before);
    const beforePunct = rePunctuation.test(before);
    const leftFlanking = !afterWs && (!afterPunct || beforeWs || beforePunct);
    const rightFlanking = !beforeWs && (!beforePunct || afterWs || afterPunct);
    if (c === '~' && n === 2) {
      return { n, canOpen: !afterWs, canClose: !beforeWs && (!beforePunct || afterWs || afterPunct || start + n >= s.length) };
    }
    if (c === '_' || c === '~') {
      return { n, canOpen: leftFlanking && (!rightFlanking || beforePunct), canClose: rightFlanking && (!leftFlanking || afterPunct) };
    }
    return { n, canOpen: leftFlanking, canClose: rightFlanking };
  }

  handleDelim(c, block) {
    const res = this.scanDelims(c);
    const start = this.pos;
    this.pos += res.n;
    const node = text(this.subject.slice(start, this.pos));
    block.appendChild(node);
    // Tildes: runs of one or two only.
    if ((res.canOpen || res.canClose) && (c !== '~' || res.n <= 2)) {
      this.delimiters = { c, n: res.n, origN: res.n, node, previous: this.delimiters, next: null, canOpen: res.canOpen, canClose: res.canClose };
      if (this.delimiters.previous) this.delimiters.previous.next = this.delimiters;
    }
    return true;
  }

  removeDelimiter(d) {
    if (d.previous) d.previous.next = d.next;
    if (d.next) d.next.previous = d.previous;
    else this.delimiters = d.previous;
  }

  /** The reference "process emphasis" procedure, above `stackBottom`. */
  processEmphasis(stackBottom) {
    const openersBottom = {};
    let closer = this.delimiters;
    while (closer !== null && closer.previous !== stackBottom) closer = closer.previous;
    while (closer !== null) {
      if (!closer.canClose) {
        closer = closer.next;
        continue;
      }
      const c = closer.c;
      // One lower bound for all tildes, whatever their length (pulldown-cmark's rule).
      const key = c === '~' ? '~' : c + (closer.canOpen ? '1' : '0') + (closer.origN % 3);
      let opener = closer.previous;
      let found = false;
      while (opener !== null && opener !== stackBottom && opener !== openersBottom[key]) {
        const oddMatch = (closer.canOpen || opener.canClose) && closer.origN % 3 !== 0 && (opener.origN + closer.origN) % 3 === 0;
        if (opener.c === c && opener.canOpen && (c === '~' ? opener.origN === closer.origN : !oddMatch)) {
          found = true;
          break;
        }
        opener = opener.previous;
      }
      const oldCloser = closer;
      if (found) {
        const use = c === '~' ? closer.n : closer.n >= 2 && opener.n >= 2 ? 2 : 1;
        const openerNode = opener.node;
        const closerNode = closer.node;
        opener.n -= use;
        closer.n -= use;
        openerNode.text = openerNode.text.slice(0, openerNode.text.length - use);
        closerNode.text = closerNode.text.slice(0, closerNode.text.length - use);
        const emph = new INode(c === '~' ? 'strike' : use === 1 ? 'emph' : 'strong');
        let tmp = openerNode.next;
        while (tmp && tmp !== closerNode) {
          const next = tmp.next;
          emph.appendChild(tmp);
          tmp = next;
        }
        openerNode.insertAfter(emph);
        // Delimiters between the two are done.
        let d = closer.previous;
        while (d !== null && d !== opener) {
          const prev = d.previous;
          this.removeDelimiter(d);
          d = prev;
        }
        if (opener.n === 0) {
          openerNode.unlink();
          this.removeDelimiter(opener);
        }
        if (closer.n === 0) {
          closerNode.unlink();
          const next = closer.next;
          this.removeDelimiter(closer);
          closer = next;
        }
      } else {
        closer = closer.next;
        openersBottom[key] = oldCloser.previous;
        if (!oldCloser.canOpen) this.removeDelimiter(oldCloser);
      }
    }
    while (this.delimiters !== null && this.delimiters !== stackBottom) this.removeDelimiter(this.delimiters);
  }

  // -- Links and images ------------------------------------------------------------------------

  parseOpenBracket(block) {
    const start = this.pos;
    this.pos += 1;
    const node = text('[');
    block.appendChild(node);
    this.addBracket(node, start, false);
    return true;
  }

  parseBang(block) {
    const start = this.pos;
    this.pos += 1;
    if (this.peek() === '[') {
      this.pos += 1;
      const node = text('![');
      block.appendChild(node);
      this.addBracket(node, start + 1, true);
    } else {
      block.appendChild(text('!'));
    }
    return true;
  }

  addBracket(node, index, image) {
    if (this.brackets !== null) this.brackets.bracketAfter = true;
    this.brackets = { node, previous: this.brackets, previousDelimiter: this.delimiters, index, image, active: true, bracketAfter: false };
  }

  parseCloseBracket(block) {
    this.pos += 1;
    const startpos = this.pos;
    const opener = this.brackets;
    if (opener === null) {
      block.appendChild(text(']'));
      return true;
    }
    if (!opener.active) {
      block.appendChild(text(']'));
      this.brackets = opener.previous;
      return true;
    }
    const isImage = opener.image;
    let dest = null;
    let matched = false;
    const savepos = this.pos;
    // Inline link: (destination "title").
    if (this.peek() === '(') {
      this.pos++;
      this.spnl();
      if ((dest = this.parseLinkDestination()) !== null) {
        this.spnl();
        if (/\s/.test(this.subject[this.pos - 1] || '')) this.parseLinkTitle();
        this.spnl();
        if (this.peek() === ')') {
          this.pos += 1;
          matched = true;
        }
      }
      if (!matched) this.pos = savepos;
    }
    if (!matched) {
      // Reference link: [text][label], [label][], [label].
      const beforeLabel = this.pos;
      const n = this.parseLinkLabel();
      let reflabel = null;
      if (n > 2) reflabel = this.subject.slice(beforeLabel, beforeLabel + n);
      else if (!opener.bracketAfter) reflabel = this.subject.slice(opener.index, startpos);
      if (n === 0) this.pos = savepos;
      if (reflabel) {
        const link = this.refmap.get(normalizeLabel(reflabel));
        if (link) {
          dest = link.destination;
          matched = true;
        }
      }
    }
    if (!matched) {
      this.brackets = opener.previous;
      this.pos = startpos;
      block.appendChild(text(']'));
      return true;
    }
    const node = new INode(isImage ? 'image' : 'link');
    node.dest = dest;
    let tmp = opener.node.next;
    while (tmp) {
      const next = tmp.next;
      node.appendChild(tmp);
      tmp = next;
    }
    block.appendChild(node);
    // Emphasis inside the link text; the opener's delimiters above it go with it.
    this.processEmphasis(opener.previousDelimiter);
    this.brackets = opener.previous;
    opener.node.unlink();
    // Links cannot contain links: earlier link openers can no longer match.
    if (!isImage) {
      for (let o = this.brackets; o !== null; o = o.previous) if (!o.image) o.active = false;
    }
    return true;
  }

  parseLinkTitle() {
    const m = this.match(/^(?:"(?:\\[\s\S]|[^"\\\x00])*"|'(?:\\[\s\S]|[^'\\\x00])*'|\((?:\\[\s\S]|[^()\\\x00])*\))/);
    return m === null ? null : unescapeString(m.slice(1, -1));
  }

  parseLinkDestination() {
    let res = this.match(reLinkDestinationBraces);
    if (res !== null) return unescapeString(res.slice(1, -1));
    if (this.peek() === '<') return null;
    const savepos = this.pos;
    let openparens = 0;
    let c;
    while ((c = this.peek()) !== undefined) {
      if (c === '\\' && ESCAPABLE.test(this.subject.slice(this.pos + 1, this.pos + 2))) {
        this.pos += 2;
      } else if (c === '(') {
        // Nesting is limited as pulldown-cmark limits it (and scanning stays linear).
        if (openparens > MAX_LINK_PARENS) return null;
        this.pos += 1;
        openparens += 1;
      } else if (c === ')') {
        if (openparens < 1) break;
        this.pos += 1;
        openparens -= 1;
      } else if (/[\x00-\x20]/.test(c)) {
        break;
      } else {
        this.pos += 1;
      }
    }
    if (this.pos === savepos && c !== ')') return null;
    if (openparens !== 0) return null;
    res = this.subject.slice(savepos, this.pos);
    return unescapeString(res);
  }

  parseLinkLabel() {
    const m = this.match(/^\[(?:[^\\[\]]|\\[\s\S]){0,1000}\]/);
    if (m === null || m.length > MAX_LINK_LABEL + 2) return 0;
    return m.length;
  }

  /** A link reference definition at the start of the subject: its length, or 0. */
  parseReference() {
    const startpos = this.pos;
    const matchChars = this.parseLinkLabel();
    if (matchChars === 0) return 0;
    const rawlabel = this.subject.slice(0, matchChars);
    if (this.peek() === ':') this.pos++;
    else {
      this.pos = startpos;
      return 0;
    }
    this.spnl();
    const dest = this.parseLinkDestination();
    if (dest === null) {
      this.pos = startpos;
      return 0;
    }
    const beforetitle = this.pos;
    this.spnl();
    let title = null;
    if (this.pos !== beforetitle) title = this.parseLinkTitle();
    if (title === null) this.pos = beforetitle;
    let atLineEnd = true;
    if (this.match(/^[ \t]*(?:\n|$)/) === null) {
      if (title === null) atLineEnd = false;
      else {
        title = null;
        this.pos = beforetitle;
        atLineEnd = this.match(/^[ \t]*(?:\n|$)/) !== null;
      }
    }
    if (!atLineEnd) {
      this.pos = startpos;
      return 0;
    }
    const label = normalizeLabel(rawlabel);
    if (!label) {
      this.pos = startpos;
      return 0;
    }
    if (!this.refmap.has(label)) this.refmap.set(label, { destination: dest, title });
    return this.pos - startpos;
  }
}

function charAt(s, i) {
  return String.fromCodePoint(s.codePointAt(i));
}

function charBefore(s, i) {
  const c = s.charCodeAt(i - 1);
  if (c >= 0xdc00 && c <= 0xdfff && i >= 2) return s.slice(i - 2, i);
  return s[i - 1];
}

/** The inline tree as runs: formatting as flags, adjacent runs of the same formatting merged.
 *  Walked with a stack: emphasis may nest thousands deep in hostile text. */
function flattenInline(root, runs) {
  const stack = [[root.first, {}]];
  while (stack.length) {
    const top = stack[stack.length - 1];
    const c = top[0];
    if (!c) {
      stack.pop();
      continue;
    }
    top[0] = c.next;
    const style = top[1];
    switch (c.type) {
      case 'text':
      case 'html':
        pushRun(runs, c.text.replace(/\n/g, ' '), style);
        break;
      case 'softbreak':
        pushRun(runs, ' ', style);
        break;
      case 'hardbreak':
        pushRun(runs, '\n', style);
        break;
      case 'code':
        pushRun(runs, c.text, { ...style, code: true });
        break;
      case 'emph':
        stack.push([c.first, { ...style, italic: true }]);
        break;
      case 'strong':
        stack.push([c.first, { ...style, bold: true }]);
        break;
      case 'strike':
        stack.push([c.first, { ...style, strike: true }]);
        break;
      case 'link':
        stack.push([c.first, { ...style, link: c.dest }]);
        break;
      case 'image':
        stack.push([c.first, { ...style, image: true }]);
        break;
      default:
    }
  }
}

const FLAGS = ['bold', 'italic', 'code', 'strike'];

function pushRun(runs, t, style) {
  if (!t) return;
  const last = runs[runs.length - 1];
  const run = { text: t };
  for (const f of FLAGS) if (style[f]) run[f] = true;
  if (style.link !== undefined) run.link = style.link;
  if (style.image) run.image = true;
  if (last && sameFormat(last, run)) last.text += t;
  else runs.push(run);
}

function sameFormat(a, b) {
  return FLAGS.every((f) => !!a[f] === !!b[f]) && a.link === b.link && !!a.image === !!b.image;
}

// =============================================================================================
// DOM: blocks -> safe elements

/** The blocks as a DocumentFragment (createElement and text nodes only). */
export function renderBlocks(blocks) {
  const frag = document.createDocumentFragment();
  for (const b of blocks) frag.appendChild(blockNode(b));
  return frag;
}

const ALIGN_CLASS = { left: 'align-start', center: 'align-center', right: 'align-end' };

function blockNode(b) {
  switch (b.type) {
    case 'heading': {
      const el = document.createElement('h' + Math.min(Math.max(b.level, 1), 6));
      el.dir = 'auto';
      appendRuns(el, b.runs);
      return el;
    }
    case 'paragraph': {
      const el = document.createElement('p');
      el.dir = 'auto';
      appendRuns(el, b.runs);
      return el;
    }
    case 'list': {
      const el = document.createElement(b.start !== undefined ? 'ol' : 'ul');
      if (b.start !== undefined && b.start !== 1) el.start = b.start;
      for (const item of b.items) {
        const li = document.createElement('li');
        li.dir = 'auto';
        for (const child of item) {
          if (b.tight && child.type === 'paragraph') {
            // Tight list: the paragraph's content goes straight into the item.
            if (li.childNodes.length) li.appendChild(document.createElement('br'));
            appendRuns(li, child.runs);
          } else li.appendChild(blockNode(child));
        }
        el.appendChild(li);
      }
      return el;
    }
    case 'table': {
      const wrap = document.createElement('div');
      wrap.className = 'md-table';
      const t = document.createElement('table');
      const row = (cells, tag) => {
        const tr = document.createElement('tr');
        cells.forEach((runs, k) => {
          const c = document.createElement(tag);
          c.dir = 'auto';
          const align = ALIGN_CLASS[b.aligns[k]];
          if (align) c.className = align;
          appendRuns(c, runs);
          tr.appendChild(c);
        });
        return tr;
      };
      const thead = document.createElement('thead');
      thead.appendChild(row(b.header, 'th'));
      t.appendChild(thead);
      if (b.rows.length) {
        const tbody = document.createElement('tbody');
        for (const r of b.rows) tbody.appendChild(row(r, 'td'));
        t.appendChild(tbody);
      }
      wrap.appendChild(t);
      return wrap;
    }
    case 'quote': {
      const el = document.createElement('blockquote');
      el.dir = 'auto';
      for (const c of b.blocks) el.appendChild(blockNode(c));
      return el;
    }
    case 'code': {
      const pre = document.createElement('pre');
      const code = document.createElement('code');
      code.textContent = b.text;
      if (b.lang && /^[\w+-]{1,32}$/.test(b.lang)) code.dataset.lang = b.lang;
      pre.appendChild(code);
      pre.dir = 'ltr';
      return pre;
    }
    case 'page_break': {
      const hr = document.createElement('hr');
      hr.className = 'md-page-break';
      return hr;
    }
    default:
      return document.createElement('hr'); // rule
  }
}

/** Runs into `parent`: links grouped into one element each, formatting as nested elements. */
function appendRuns(parent, runs) {
  for (let i = 0; i < runs.length; ) {
    const dest = runs[i].link;
    let j = i + 1;
    if (dest !== undefined) while (j < runs.length && runs[j].link === dest) j++;
    let target = parent;
    if (dest !== undefined) {
      const href = safeHref(dest);
      if (href) {
        target = document.createElement('a');
        target.href = href;
        target.rel = 'noopener noreferrer';
        target.title = href;
      } else {
        target = document.createElement('span');
        target.className = 'md-link-dropped';
      }
      parent.appendChild(target);
    }
    for (let k = i; k < j; k++) target.appendChild(runNode(runs[k]));
    i = j;
  }
}

function runNode(r) {
  let node;
  const parts = r.text.split('\n');
  if (parts.length === 1) node = document.createTextNode(r.text);
  else {
    node = document.createDocumentFragment();
    parts.forEach((p, k) => {
      if (k) node.appendChild(document.createElement('br'));
      if (p) node.appendChild(document.createTextNode(p));
    });
  }
  const wrap = (tag, cls) => {
    const el = document.createElement(tag);
    if (cls) el.className = cls;
    el.appendChild(node);
    node = el;
  };
  if (r.code) wrap('code');
  if (r.strike) wrap('del');
  if (r.italic) wrap('em');
  if (r.bold) wrap('strong');
  if (r.image) wrap('span', 'md-image-alt');
  return node;
}
