// "Ce qui quitte cet ordinateur" / «ما يغادر هذا الحاسوب»: what a run sends and where. The route
// and data class, how personal data is protected, the messages exactly as they leave (placeholders
// visible and marked), and the table of replacements (placeholder, kind, the value it stands for,
// where it was found), which stays on this computer. The template screen shows it before a run
// (from `renderPrompt().outgoing`), the History for a past run (from its record).
//
// Everything here is text from the user, files or the model: built with textContent, never markup.

import { h, icon } from '../dom.js';
import { t, has, translate, iso } from '../i18n.js';

/** A placeholder as the pseudonymiser writes it: [NOM_1], [DATE_NAISSANCE_2]. */
const PLACEHOLDER = /\[[A-Z][A-Z_]*_\d+\]/g;

/** `text` with each placeholder in a <mark class="ph">. */
export function withPlaceholders(text) {
  const frag = document.createDocumentFragment();
  const s = String(text || '');
  let last = 0;
  for (const m of s.matchAll(PLACEHOLDER)) {
    if (m.index > last) frag.append(s.slice(last, m.index));
    frag.append(h('mark', { class: 'ph', text: m[0] }));
    last = m.index + m[0].length;
  }
  if (last < s.length) frag.append(s.slice(last));
  return frag;
}

/** "NOM", "nom", "date_naissance" -> the translated kind ("Nom", "Date de naissance"). */
export function kindLabel(kind) {
  const k = String(kind || '').toLowerCase().replace(/[^a-z_]/g, '');
  return has('kind.' + k) ? t('kind.' + k) : String(kind || '');
}

/**
 * A past run's record as the panel shows it: `summary` and `texts` from the history.
 * (The history keeps the placeholder, the value and its kind; not where it was found.)
 */
export function fromRecord(run) {
  const s = run.summary;
  const texts = run.texts || {};
  const route = s.profile === 'practice' ? 'practice' : s.profile === 'fixed' ? 'fixed' : 'endpoint';
  const ov = s.pseudonymisation_override;
  const masked = (texts.replacements || []).map((r) => ({ placeholder: r.placeholder, kind: r.kind, original: r.original, origins: null, count: null }));
  let mode = 'not_needed';
  if (ov && /unmasked/.test(ov.what)) mode = 'unmasked';
  else if (ov) mode = 'off_for_profile';
  else if (masked.length || Object.keys(s.masked || {}).length) mode = 'pseudonymised';
  else if (route === 'endpoint' && s.data_class !== 'local') mode = 'pseudonymised';
  return {
    route,
    profile: route === 'endpoint' ? s.profile : null,
    dataClass: route === 'endpoint' ? s.data_class : null,
    protection: { mode, confirmed_by: ov ? ov.confirmed_by : undefined },
    messages: texts.messages || [],
    masked,
  };
}

/** The one-line summary of where the text goes and how it is protected. */
function routeLine(o) {
  const parts = [];
  let cls = 'ok';
  if (o.route === 'practice') parts.push(h('span', { i18n: 'outgoing.route_practice' }));
  else if (o.route === 'fixed') parts.push(h('span', { i18n: 'outgoing.route_fixed' }));
  else {
    parts.push(h('span', { i18n: 'outgoing.route_endpoint', i18nArgs: { profile: iso(o.profile || '—') } }));
    const mode = (o.protection && o.protection.mode) || 'not_needed';
    if (mode === 'pseudonymised') parts.push(' ', h('span', { i18n: 'outgoing.protected', i18nArgs: { n: (o.masked || []).length } }));
    else if (mode === 'not_needed') parts.push(' ', h('span', { i18n: 'outgoing.local_as_is' }));
    else if (mode === 'off_for_profile') {
      parts.push(' ', h('span', { i18n: 'outgoing.off_for_profile' }));
      cls = 'warn';
    } else if (mode === 'unmasked') {
      parts.push(' ', h('span', { i18n: 'outgoing.unmasked', i18nArgs: { name: iso(o.protection.confirmed_by || '—') } }));
      cls = 'danger';
    }
  }
  const chips = h('span', { class: 'outgoing-chips' });
  if (o.dataClass) chips.append(h('span', { class: 'chip class-' + o.dataClass, dataset: { dataClass: o.dataClass }, i18n: 'dataclass.' + o.dataClass }));
  return h('div', { class: 'outgoing-route ' + cls, id: 'outgoing-route', role: 'status' }, icon(cls === 'ok' ? 'shield' : 'alert'), h('p', {}, ...parts), chips);
}

/**
 * The panel's content for `o` = `{route, profile, dataClass, protection: {mode, confirmed_by},
 * messages: [{role, content}], masked: [{placeholder, kind, original, origins, count}]}`.
 * `opts.ids`: give the system and user messages the ids #prompt-system / #prompt-user;
 * `opts.origin(name)`: the label of a field an original was found in.
 */
export function outgoingView(o, opts = {}) {
  const origin = opts.origin || ((x) => x);
  const box = h('div', { class: 'outgoing' }, routeLine(o));
  const sent = o.route === 'endpoint';
  // The replacements first: what the user checks before sending is which of their data stays here.
  const masked = o.masked || [];
  if (masked.length) {
    const withOrigins = masked.some((m) => m.origins);
    const head = h('tr', {}, h('th', { scope: 'col', i18n: 'outgoing.col_placeholder' }), h('th', { scope: 'col', i18n: 'outgoing.col_kind' }), h('th', { scope: 'col', i18n: 'outgoing.col_value' }), withOrigins ? h('th', { scope: 'col', i18n: 'outgoing.col_where' }) : null);
    const rows = masked.map((m) =>
      h(
        'tr',
        {},
        h('td', {}, h('code', { class: 'ph', dir: 'ltr', text: m.placeholder })),
        h('td', { text: kindLabel(m.kind) }),
        h('td', { class: 'masked-value', dir: 'auto', text: m.original }),
        withOrigins ? h('td', { class: 'masked-where', dir: 'auto', text: (m.origins || []).map(origin).join(', ') + (m.count > 1 ? ` (×${m.count})` : '') }) : null,
      ),
    );
    box.append(
      h('h3', { class: 'prompt-h', i18n: 'outgoing.replacements' }),
      h('p', { class: 'help', i18n: 'outgoing.replacements_help' }),
      h('div', { class: 'table-scroll' }, h('table', { class: 'outgoing-table', id: opts.ids ? 'masked-table' : null }, h('thead', {}, head), h('tbody', {}, rows))),
    );
  } else if (sent && o.protection && o.protection.mode === 'pseudonymised') {
    box.append(h('p', { class: 'help', i18n: 'outgoing.nothing_found' }));
  }
  box.append(h('h3', { class: 'prompt-h', i18n: sent ? 'outgoing.messages' : 'outgoing.messages_local' }));
  for (const m of o.messages || []) {
    const role = m.role === 'system' ? 'system' : 'user';
    box.append(
      h('h4', { class: 'msg-role', i18n: 'prompt.' + role }),
      h('pre', { class: 'prompt-text', dir: 'auto', id: opts.ids ? 'prompt-' + role : null }, withPlaceholders(m.content)),
    );
  }
  translate(box);
  return box;
}
