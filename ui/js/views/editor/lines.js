// Text shown one block per line, patched in place: the editor's highlight layer and its preview.
//
// Why: WebKit lays out a block's text as a whole; the 200-line highlight as one <pre> of text
// cost 8-9 ms of layout per keystroke on the test machine, as much again as the textarea itself,
// and the preview as many. One <div> per line, and only the lines whose content changed replaced
// (the unchanged lines before and after are kept, so typing Enter replaces one line, not the
// rest), brings that to a fraction of a millisecond. Each line's text keeps its '\n', so the
// container's textContent is the text as it was (copy, tests).
//
// Deliberately not here: what the pieces of a line are (the caller gives them).

import { h } from '../../dom.js';

/**
 * Makes `box`'s children the lines given: `lines[i] = {sig, build}`, `sig` a string saying
 * everything the line shows, `build()` its element. Lines whose sig did not change are kept.
 */
export function patchLines(box, lines) {
  const old = box._sigs || [];
  const kids = box.children;
  if (kids.length !== old.length) {
    box.replaceChildren(...lines.map((l) => l.build()));
    box._sigs = lines.map((l) => l.sig);
    return;
  }
  let a = 0;
  while (a < old.length && a < lines.length && old[a] === lines[a].sig) a++;
  let b = 0;
  while (b < old.length - a && b < lines.length - a && old[old.length - 1 - b] === lines[lines.length - 1 - b].sig) b++;
  // Old lines a..old.length-b are replaced by new lines a..lines.length-b.
  const fresh = lines.slice(a, lines.length - b).map((l) => l.build());
  const before = kids[old.length - b] || null;
  for (let i = old.length - b - 1; i >= a; i--) kids[i].remove();
  for (const n of fresh) box.insertBefore(n, before);
  box._sigs = lines.map((l) => l.sig);
}

/** Plain text as lines (the preview). */
export function patchText(box, text) {
  const parts = String(text).split('\n');
  patchLines(
    box,
    parts.map((p, i) => {
      const s = i < parts.length - 1 ? p + '\n' : p;
      return { sig: s, build: () => h('div', { class: 'ln', text: s || '\u200b' }) };
    }),
  );
}

/**
 * The template's text as lines, each token of it in a span of class `tok tok-KIND` (a token over
 * several lines gives a span on each). `tokens` are in order, with UTF-16 offsets.
 */
export function patchHighlight(box, text, tokens) {
  const lines = [];
  let ti = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    const last = end < 0;
    if (last) end = text.length;
    const pieces = [];
    let at = start;
    while (ti < tokens.length && tokens[ti].end16 <= start) ti++;
    for (let k = ti; k < tokens.length && tokens[k].start16 < end + 1; k++) {
      const s = Math.max(tokens[k].start16, at);
      const e = Math.min(tokens[k].end16, end);
      if (e <= s) continue;
      if (s > at) pieces.push(['', text.slice(at, s)]);
      pieces.push([tokens[k].kind, text.slice(s, e)]);
      at = e;
    }
    if (end > at) pieces.push(['', text.slice(at, end)]);
    const nl = last ? '' : '\n';
    const sig = pieces.map(([k, s]) => k + '\u0001' + s).join('\u0002') + nl;
    lines.push({
      sig,
      build: () =>
        h(
          'div',
          { class: 'ln' },
          pieces.length ? pieces.map(([k, s]) => (k ? h('span', { class: 'tok tok-' + k, text: s }) : s)) : '\u200b',
          nl,
        ),
    });
    if (last) break;
    start = end + 1;
  }
  patchLines(box, lines);
}
