//! The template editor's preview of a template's body, computed in the page: katib-render's
//! [`BodyContext::preview`] compiled to WebAssembly (`ui/wasm/preview.wasm`, built by `build.sh`),
//! so a keystroke in the body updates the preview without a round trip to the shell. The shell
//! still answers each change (tokens, lints, the authoritative preview); the page shows this one
//! first. See ui/js/views/editor/preview.js for the page's side.
//!
//! The interface is plain memory and JSON, no bindings generator: the page asks [`alloc`] for a
//! buffer, writes UTF-8 into it, and calls [`set_context`] (the JSON of a [`BodyContext`], which
//! the shell sends) or [`preview`] (the file's text); [`preview`] leaves its JSON answer at
//! [`out_ptr`]. Natively it is a plain library, so the same functions are tested with cargo test.

use std::cell::RefCell;

use katib_render::{BodyContext, BodyPreview};
use serde_json::json;

thread_local! {
    static CONTEXT: RefCell<Option<BodyContext>> = const { RefCell::new(None) };
    static OUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// The context from the shell's JSON.
pub fn context_from_json(json: &str) -> Result<BodyContext, String> {
    serde_json::from_str(json).map_err(|e| format!("body context: {e}"))
}

/// The preview of `text` as JSON: `{"stale": true}` (only the shell can say),
/// `{"ok": true, "user": ...}`, or `{"ok": false, "error": {"line", "message", "code"}}` as the
/// shell's preview says it.
pub fn preview_json(ctx: &BodyContext, text: &str) -> String {
    match ctx.preview(text) {
        BodyPreview::Stale => json!({"stale": true}),
        BodyPreview::Rendered(user) => json!({"ok": true, "user": user}),
        BodyPreview::Failed(e) => json!({"ok": false, "error": {"line": e.line, "message": e.message, "code": e.code()}}),
    }
    .to_string()
}

/// A buffer of `len` bytes for the page to write into; passed back to [`set_context`] or
/// [`preview`], which free it.
#[no_mangle]
pub extern "C" fn alloc(len: usize) -> *mut u8 {
    let mut buf = Vec::<u8>::with_capacity(len.max(1));
    let ptr = buf.as_mut_ptr();
    std::mem::forget(buf);
    ptr
}

/// Takes back the buffer [`alloc`] gave, holding `len` bytes written by the page.
///
/// # Safety
/// `ptr` comes from `alloc(len)` and is not used again.
unsafe fn take(ptr: *mut u8, len: usize) -> Vec<u8> {
    Vec::from_raw_parts(ptr, len, len.max(1))
}

/// Sets the context from its JSON (in a buffer from [`alloc`]); 1 when it is read, 0 when not
/// (the page then keeps to the shell's previews).
///
/// # Safety
/// `ptr` comes from `alloc(len)`, with `len` bytes written.
#[no_mangle]
pub unsafe extern "C" fn set_context(ptr: *mut u8, len: usize) -> u32 {
    let bytes = take(ptr, len);
    let ctx = std::str::from_utf8(&bytes).ok().and_then(|s| context_from_json(s).ok());
    let ok = ctx.is_some();
    CONTEXT.with(|c| *c.borrow_mut() = ctx);
    u32::from(ok)
}

/// The preview of the file's text (in a buffer from [`alloc`]); the length of its JSON, which
/// is at [`out_ptr`] until the next call. 0 when no context is set.
///
/// # Safety
/// `ptr` comes from `alloc(len)`, with `len` bytes written.
#[no_mangle]
pub unsafe extern "C" fn preview(ptr: *mut u8, len: usize) -> usize {
    let bytes = take(ptr, len);
    let answer = CONTEXT.with(|c| c.borrow().as_ref().map(|ctx| preview_json(ctx, &String::from_utf8_lossy(&bytes))));
    let Some(answer) = answer else { return 0 };
    OUT.with(|o| {
        let mut o = o.borrow_mut();
        *o = answer.into_bytes();
        o.len()
    })
}

/// Where the last [`preview`] left its answer.
#[no_mangle]
pub extern "C" fn out_ptr() -> *const u8 {
    OUT.with(|o| o.borrow().as_ptr())
}
