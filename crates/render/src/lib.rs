//! How a template part (the system prompt, the body) is checked and rendered: strict minijinja
//! with a fuel limit, the names a part may use, and the tidy-up of the rendered text. The core
//! renders every prompt with it, and the editor's preview of the body runs the same code in the
//! page (crates/render/wasm, compiled to WebAssembly), so the two cannot drift apart.
//!
//! It knows nothing of files, fields or settings: the core turns those into the variables and
//! the names, and [`BodyContext`] carries them to the page.

use std::collections::{BTreeMap, HashSet};

use minijinja::{Environment, UndefinedBehavior, Value};
use serde::{Deserialize, Serialize};

/// Instruction budget for one render: plenty for any real template, and a wall for a runaway one.
const FUEL: u64 = 500_000;

/// Variables Katib provides besides the fields.
pub const PROVIDED: &[&str] = &["today", "textes"];

/// The environment every part is compiled and rendered in.
pub fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_fuel(Some(FUEL));
    env.set_keep_trailing_newline(true);
    env
}

/// A part that does not compile, uses a name it may not, or fails to render; `line` is a line
/// of the template file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PartError {
    pub line: usize,
    pub message: String,
    /// A compile or name error (the template is invalid), not a render error.
    pub syntax: bool,
}

impl PartError {
    fn of(e: &minijinja::Error, first_line: usize, syntax: bool) -> PartError {
        let line = first_line + e.line().unwrap_or(1).saturating_sub(1);
        let message = match e.detail() {
            Some(d) => format!("{}: {d}", e.kind()),
            None => e.kind().to_string(),
        };
        PartError { line, message, syntax }
    }

    /// The code the core's template error of this kind carries.
    pub fn code(&self) -> &'static str {
        if self.syntax {
            "template.invalid"
        } else {
            "template.render"
        }
    }
}

/// Checks that part `src` (starting at file line `first_line`) compiles and uses only `names`
/// (the fields and [`PROVIDED`]), and `textes.X` only for a text X in `texts`.
pub fn check_part(env: &Environment, src: &str, first_line: usize, names: &HashSet<&str>, texts: &dyn Fn(&str) -> bool) -> Result<(), PartError> {
    let t = env.template_from_str(src).map_err(|e| PartError::of(&e, first_line, true))?;
    let known = |v: &str| names.contains(v) || PROVIDED.contains(&v) || v == "loop" || env.globals().any(|(k, _)| k == v);
    // One call (each parses the source again): `a.b` names variable `a` and its part `b`.
    let nested = t.undeclared_variables(true);
    let mut unknown: Vec<&str> = nested.iter().map(|v| v.split('.').next().unwrap_or(v)).filter(|v| !known(v)).collect::<HashSet<&str>>().into_iter().collect();
    unknown.sort();
    // minijinja does not say where a name is used: point at the first line naming it.
    let line_naming = |name: &str| src.lines().position(|l| l.contains(name)).map(|i| first_line + i).unwrap_or(first_line);
    if let Some(v) = unknown.first() {
        return Err(PartError { line: line_naming(v), message: format!("undefined variable '{v}': declare it as a field or remove it"), syntax: true });
    }
    let mut nested: Vec<&String> = nested.iter().collect();
    nested.sort();
    for name in nested {
        if let Some(text) = name.strip_prefix("textes.") {
            if !texts(text) {
                return Err(PartError {
                    line: line_naming(name),
                    message: format!("'{name}': declare it under [texts] (texts.{text} = {{ fr = \"...\", ar = \"...\" }})"),
                    syntax: true,
                });
            }
        }
    }
    Ok(())
}

/// Renders part `src` with `ctx`, tidied.
pub fn render_part(env: &Environment, src: &str, first_line: usize, ctx: &Value) -> Result<String, PartError> {
    let t = env.template_from_str(src).map_err(|e| PartError::of(&e, first_line, true))?;
    let text = t.render(ctx).map_err(|e| PartError::of(&e, first_line, false))?;
    Ok(tidy(&text))
}

/// Trims trailing spaces and collapses runs of 3+ blank lines that `{% if %}` blocks leave.
pub fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.trim().lines() {
        let l = line.trim_end();
        if l.is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(l);
        out.push('\n');
    }
    out.trim_end().to_string()
}

/// The byte offset where a template file's body starts: after its second `+++` line (the one
/// that closes the front matter), if there is one. A leading byte-order mark is part of the
/// first line.
pub fn body_start(text: &str) -> Option<usize> {
    let mut offset = 0;
    let mut seen = 0;
    for l in text.split_inclusive('\n') {
        offset += l.len();
        if l.trim_end() == "+++" {
            seen += 1;
            if seen == 2 {
                return Some(offset);
            }
        }
    }
    None
}

/// Everything the body's preview needs besides the body, for a template whose front matter is
/// valid and whose system prompt renders: while the text before the body stays `head`, the body
/// alone decides the preview.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct BodyContext {
    /// The file's text up to the body (the front matter and its `+++` lines).
    pub head: String,
    /// File line of the body's first line.
    pub body_line: usize,
    /// The template's fields.
    pub names: Vec<String>,
    /// The names of its `[texts]`.
    pub texts: Vec<String>,
    /// The rendered system prompt.
    pub system: String,
    /// The variables, as the core renders the prompt with them.
    pub vars: BTreeMap<String, Value>,
}

/// The body's preview: the rendered user message, or the first error in the body.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum BodyPreview {
    /// The text before the body is no longer the context's: only the core can say.
    Stale,
    Rendered(String),
    Failed(PartError),
}

impl BodyContext {
    /// The preview of `text` (the whole file as typed), the way the core checks and renders
    /// a template's body: names first, then the render.
    pub fn preview(&self, text: &str) -> BodyPreview {
        let Some(start) = body_start(text).filter(|&s| text[..s] == self.head) else {
            return BodyPreview::Stale;
        };
        let body = &text[start..];
        let env = environment();
        let names: HashSet<&str> = self.names.iter().map(String::as_str).collect();
        let texts = |t: &str| self.texts.iter().any(|x| x == t);
        if let Err(e) = check_part(&env, body, self.body_line, &names, &texts) {
            return BodyPreview::Failed(e);
        }
        match render_part(&env, body, self.body_line, &Value::from_serialize(&self.vars)) {
            Ok(user) => BodyPreview::Rendered(user),
            Err(e) => BodyPreview::Failed(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(head: &str) -> BodyContext {
        BodyContext {
            head: head.into(),
            body_line: 4,
            names: vec!["objet".into(), "n".into()],
            texts: vec!["formule".into()],
            system: String::new(),
            vars: [("objet".to_string(), Value::from("Réunion")), ("n".to_string(), Value::from(3)), ("textes".to_string(), Value::from_serialize(BTreeMap::from([("formule", "Salutations")])))].into(),
        }
    }

    const HEAD: &str = "+++\nid = \"x\"\n+++\n";

    #[test]
    fn the_body_renders_with_the_context() {
        let c = ctx(HEAD);
        let text = format!("{HEAD}Objet : {{{{ objet }}}}\n\n\n\n{{% if n > 2 %}}Plus de deux{{% endif %}}  \n{{{{ textes.formule }}}}");
        assert_eq!(c.preview(&text), BodyPreview::Rendered("Objet : Réunion\n\nPlus de deux\nSalutations".into()));
    }

    #[test]
    fn errors_name_the_file_line_in_the_order_the_core_checks() {
        let c = ctx(HEAD);
        let syntax = c.preview(&format!("{HEAD}a\n{{% if objet %}}\nb"));
        let BodyPreview::Failed(e) = syntax else { panic!("{syntax:?}") };
        assert!(e.syntax && e.line >= 4 && e.message.starts_with("syntax error"), "{e:?}");
        let name = c.preview(&format!("{HEAD}a\nb {{{{ inconnu }}}}"));
        assert_eq!(name, BodyPreview::Failed(PartError { line: 5, message: "undefined variable 'inconnu': declare it as a field or remove it".into(), syntax: true }));
        let text = c.preview(&format!("{HEAD}{{{{ textes.autre }}}}"));
        let BodyPreview::Failed(e) = text else { panic!("{text:?}") };
        assert_eq!((e.line, e.message.starts_with("'textes.autre': declare it under [texts]")), (4, true));
        let render = c.preview(&format!("{HEAD}x\n{{{{ objet.absent.encore }}}}"));
        let BodyPreview::Failed(e) = render else { panic!("{render:?}") };
        assert_eq!((e.line, e.syntax, e.code()), (5, false, "template.render"), "{e:?}");
    }

    #[test]
    fn a_changed_head_or_no_body_is_stale() {
        let c = ctx(HEAD);
        assert_eq!(c.preview("+++\nid = \"y\"\n+++\nObjet"), BodyPreview::Stale);
        assert_eq!(c.preview("+++\nid = \"x\"\n"), BodyPreview::Stale);
    }

    #[test]
    fn a_runaway_loop_is_stopped() {
        let c = ctx(HEAD);
        let r = c.preview(&format!("{HEAD}{{% for i in range(100000) %}}{{% for j in range(100000) %}}x{{% endfor %}}{{% endfor %}}"));
        assert!(matches!(r, BodyPreview::Failed(PartError { syntax: false, .. })), "{r:?}");
    }
}
