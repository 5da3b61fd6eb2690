// Settings: the history (the local record of runs): keep the texts or only the audit record,
// and the retention. What the machine's policy locks is shown locked, with the reason; the shell
// refuses it anyway.

import * as api from '../../api.js';
import { h, icon, showError, clearError, toast } from '../../dom.js';
import { setText, translate } from '../../i18n.js';

const el = {};


/** The card (built once). */
export function buildHistory() {
  el.histEnabled = h('input', { type: 'checkbox', id: 'history-enabled', name: 'enabled', 'aria-describedby': 'history-enabled-help' });
  el.histDays = h('input', { type: 'text', id: 'history-retention-days', name: 'retentionDays', inputmode: 'numeric', dir: 'ltr', autocomplete: 'off', class: 'days-input', i18nPlaceholder: 'settings.history_forever', 'aria-describedby': 'history-retention-help history-retention-error' });
  el.histLock = h('p', { class: 'locked-reason', id: 'history-lock', hidden: true });
  el.histSave = h('button', { type: 'submit', class: 'btn btn-small btn-primary', id: 'save-history' }, icon('check'), h('span', { i18n: 'settings.save' }));
  el.histForm = h(
    'form',
    { id: 'history-form', novalidate: true, onsubmit: (e) => { e.preventDefault(); saveHistory(); } },
    h('label', { class: 'check' }, el.histEnabled, h('span', { i18n: 'settings.history_enabled' })),
    h('p', { class: 'help', id: 'history-enabled-help', i18n: 'settings.history_enabled_help' }),
    h(
      'div',
      { class: 'field', dataset: { field: 'retentionDays' } },
      h('label', { class: 'field-label', for: 'history-retention-days', i18n: 'settings.history_retention' }),
      h('div', { class: 'inline-row' }, el.histDays, h('span', { class: 'unit', i18n: 'settings.days' })),
      h('p', { class: 'help', id: 'history-retention-help', i18n: 'settings.history_retention_help' }),
      (el.histError = h('p', { class: 'field-error', id: 'history-retention-error', hidden: true, role: 'alert' })),
    ),
    el.histLock,
    h('div', { class: 'form-actions' }, el.histSave),
  );
  el.histForm.addEventListener('input', () => (el.histForm.dataset.dirty = '1'));
  return h(
    'section',
    { class: 'card', id: 'history-settings', 'aria-labelledby': 'history-settings-title' },
    h('h2', { class: 'card-title', id: 'history-settings-title', i18n: 'settings.history' }),
    el.histForm,
  );
}

/** Fills the card from the settings and `pol` (the policy), unless it holds changes not saved yet. */
export async function loadHistory(pol) {
  let hs;
  try {
    hs = await api.getHistorySettings();
  } catch (e) {
    showError(e);
    return;
  }
  if (el.histForm.dataset.dirty) return;
  el.histEnabled.checked = !!hs.enabled || !!pol.historyRequired;
  el.histEnabled.disabled = !!pol.historyRequired;
  const days = pol.historyRetentionDays != null ? pol.historyRetentionDays : hs.retentionDays;
  el.histDays.value = days == null ? '' : String(days);
  el.histDays.disabled = pol.historyRetentionDays != null;
  const locks = [];
  if (pol.historyRequired) locks.push('policy.history_required');
  if (pol.historyRetentionDays != null) locks.push('policy.retention');
  if (locks.length) {
    el.histLock.replaceChildren(icon('lock'), ...locks.map((k) => h('span', { i18n: k, i18nArgs: { n: pol.historyRetentionDays } })));
    translate(el.histLock);
    el.histLock.hidden = false;
  } else el.histLock.hidden = true;
  el.histSave.disabled = !!pol.historyRequired && pol.historyRetentionDays != null;
}

async function saveHistory() {
  const raw = el.histDays.value.trim();
  const msg = el.histError;
  const days = raw ? Number(raw) : null;
  if (raw && !(Number.isInteger(days) && days > 0 && days < 100000)) {
    setText(msg, 'settings.history_retention_invalid');
    msg.hidden = false;
    el.histDays.focus();
    return;
  }
  msg.hidden = true;
  try {
    await api.saveHistorySettings(el.histEnabled.checked, days);
    delete el.histForm.dataset.dirty;
    clearError();
    toast('settings.history_saved');
  } catch (e) {
    showError(e);
  }
}

/** Whether the card holds changes not saved yet. */
export function historyDirty() {
  return !!el.histForm.dataset.dirty;
}
