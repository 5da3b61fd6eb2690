// The editor's own preview of a template's body, computed in the page at each keystroke: the
// core's rendering rules (katib-render) compiled to WebAssembly, wasm/preview.wasm, built from
// crates/render/wasm. A round trip to the shell waits for the window's next frame (some 20 ms
// under software rendering), so the preview shows this one first; the shell's answer follows
// and is the one that stays.
//
// It renders only the body, and only while the text before it is the one the shell last
// described (its context: the variables, the rendered system prompt, the fields' names); any
// other change waits for the shell. Deliberately not here: tokens, lints, the front matter.

const enc = new TextEncoder();
const dec = new TextDecoder();
let wasm = null;
let loading = null;
/** The key of the context the module holds, sent back to the shell (which then omits it). */
let heldKey = null;
/** Whether the last context the shell sent is usable (null: the front matter does not parse). */
let active = false;

/** Instantiates the module from its bytes (node's tests pass them; the page fetches them). */
export async function instantiate(bytes) {
  const { instance } = await WebAssembly.instantiate(bytes);
  wasm = instance.exports;
}

/** Loads wasm/preview.wasm once; without it (an old engine), the shell's preview alone is shown. */
export function load() {
  loading ??= fetch(new URL('../../../wasm/preview.wasm', import.meta.url))
    .then((r) => r.arrayBuffer())
    .then(instantiate)
    .catch((e) => console.warn('in-page preview unavailable:', e));
  return loading;
}

/** The key to send with the next `editor_update`. */
export const held = () => heldKey;

/** Whether the page previews the body itself (the module loaded, a context held). */
export const ready = () => active;

/** Takes the `context` of the shell's preview: `{key, json}` (json null: the one held), or null. */
export function setContext(ref) {
  active = false;
  if (!wasm || !ref) return;
  if (ref.json != null) {
    heldKey = call(wasm.set_context, ref.json) === 1 ? ref.key : null;
  }
  active = heldKey !== null && heldKey === ref.key;
}

/** The body's preview of `text` (the whole file): `{ok, user}` or `{ok: false, error}` as the
 * shell says them, or null when only the shell can say. */
export function render(text) {
  if (!wasm || !active) return null;
  const n = call(wasm.preview, text);
  if (!n) return null;
  const r = JSON.parse(dec.decode(new Uint8Array(wasm.memory.buffer, wasm.out_ptr(), n)));
  return r.stale ? null : r;
}

/** Writes `text` into a buffer of the module and calls `fn(ptr, len)` with it (which frees it).
 * A trap leaves the module unusable: it is dropped, and the shell's preview carries on. */
function call(fn, text) {
  try {
    const bytes = enc.encode(text);
    const ptr = wasm.alloc(bytes.length);
    new Uint8Array(wasm.memory.buffer, ptr, bytes.length).set(bytes);
    return fn(ptr, bytes.length);
  } catch (e) {
    console.warn('in-page preview stopped:', e);
    wasm = null;
    heldKey = null;
    active = false;
    return 0;
  }
}
