// Runs the window's Markdown renderer (ui/js/markdown.js) in node on every NAME.md of a folder
// and prints one JSON object: {NAME: {tree, dom}}. `tree` is parseMarkdown's block tree, for
// tests/markdown.rs to compare with the Rust parser's; `dom` is what renderMarkdown built, seen
// through a recording stand-in for `document`: every element name, every property set on an
// element (so an innerHTML or an onclick would show), the links' hrefs and the text.
//
// Usage: node tests/tools/markdown-tree.mjs tests/fixtures/markdown

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

class FakeNode {
  constructor(name) {
    this.nodeName = name;
    this.childNodes = [];
  }
  appendChild(c) {
    if (c.nodeName === '#fragment') this.childNodes.push(...c.childNodes.splice(0));
    else this.childNodes.push(c);
    return c;
  }
  get textContent() {
    return this.nodeName === '#text' ? this.data : this.childNodes.map((c) => c.textContent).join('');
  }
}

/** An element that records every property the renderer sets on it. */
function element(tag) {
  const el = new FakeNode(tag.toLowerCase());
  el.props = {};
  el.dataset = new Proxy({}, { set: (t, k, v) => ((el.props['data-' + String(k)] = String(v)), (t[k] = v), true) });
  return new Proxy(el, {
    set(target, key, value) {
      if (key === 'textContent') {
        target.childNodes = [text(value)];
        return true;
      }
      target.props[String(key)] = String(value);
      return true;
    },
  });
}

function text(data) {
  const t = new FakeNode('#text');
  t.data = String(data);
  return t;
}

globalThis.document = {
  createElement: element,
  createTextNode: text,
  createDocumentFragment: () => new FakeNode('#fragment'),
};

const { parseMarkdown, renderMarkdown } = await import(new URL('../../ui/js/markdown.js', import.meta.url));

function describe(frag) {
  const tags = new Set();
  const props = new Set();
  const hrefs = [];
  const walk = (n) => {
    if (n.nodeName !== '#text' && n.nodeName !== '#fragment') {
      tags.add(n.nodeName);
      for (const [k, v] of Object.entries(n.props)) {
        props.add(k);
        if (k === 'href') hrefs.push(v);
      }
    }
    n.childNodes.forEach(walk);
  };
  walk(frag);
  return { tags: [...tags].sort(), props: [...props].sort(), hrefs, text: frag.textContent };
}

const dir = process.argv[2];
const out = {};
for (const f of readdirSync(dir).filter((f) => f.endsWith('.md')).sort()) {
  const md = readFileSync(join(dir, f), 'utf8');
  out[f.slice(0, -3)] = { tree: parseMarkdown(md), dom: describe(renderMarkdown(md)) };
}
process.stdout.write(JSON.stringify(out));
