//! Rendering a template with the values of its fields, strictly: an undefined variable is an
//! error naming the file and line, and a fuel limit stops a runaway loop. Also the lints that
//! need the compiled template (unknown and unused variables).

use std::collections::{BTreeMap, HashSet};

use minijinja::{Environment, UndefinedBehavior, Value};

use super::model::{LanguageSpec, Template};
use super::TemplateError;

/// Instruction budget for one render: plenty for any real template, and a wall for a runaway one.
const FUEL: u64 = 500_000;

/// Variables Katib provides besides the fields.
pub const PROVIDED: &[&str] = &["today", "textes"];

impl Template {
    fn env(&self) -> Environment<'static> {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_fuel(Some(FUEL));
        env.set_keep_trailing_newline(true);
        env
    }

    /// Compiles both parts, and checks that every variable they use is a field or provided.
    pub(super) fn check_syntax_and_names(&self) -> Result<(), TemplateError> {
        let env = self.env();
        let globals: Vec<String> = env.globals().map(|(k, _)| k.to_string()).collect();
        let known: HashSet<&str> = self
            .fields
            .iter()
            .map(|f| f.name.as_str())
            .chain(PROVIDED.iter().copied())
            .chain(["loop"])
            .chain(globals.iter().map(String::as_str))
            .collect();
        for (src, first_line) in [(&self.system, self.system_line), (&self.body, self.body_line)] {
            let t = env.template_from_str(src).map_err(|e| self.render_error(&e, first_line, true))?;
            // One call (each parses the source again): `a.b` names variable `a` and its part `b`.
            let nested = t.undeclared_variables(true);
            let mut unknown: Vec<String> = nested
                .iter()
                .map(|v| v.split('.').next().unwrap_or(v).to_string())
                .filter(|v| !known.contains(v.as_str()))
                .collect::<HashSet<String>>()
                .into_iter()
                .collect();
            unknown.sort();
            if let Some(v) = unknown.first() {
                // minijinja does not say where a name is used: point at the first line naming it.
                let line = src.lines().position(|l| l.contains(v.as_str())).map(|i| first_line + i).unwrap_or(first_line);
                return Err(TemplateError::Invalid {
                    path: self.path.clone(),
                    line,
                    message: format!("undefined variable '{v}': declare it as a field or remove it"),
                });
            }
            // `textes.NAME` must name a text the template declares.
            for name in nested {
                if let Some(text) = name.strip_prefix("textes.") {
                    if !self.texts.contains_key(text) {
                        let line = src.lines().position(|l| l.contains(&name)).map(|i| first_line + i).unwrap_or(first_line);
                        return Err(TemplateError::Invalid {
                            path: self.path.clone(),
                            line,
                            message: format!("'{name}': declare it under [texts] (texts.{text} = {{ fr = \"...\", ar = \"...\" }})"),
                        });
                    }
                }
            }
        }
        Ok(())
    }

    fn render_error(&self, e: &minijinja::Error, first_line: usize, syntax: bool) -> TemplateError {
        let line = first_line + e.line().unwrap_or(1).saturating_sub(1);
        let message = match e.detail() {
            Some(d) => format!("{}: {d}", e.kind()),
            None => e.kind().to_string(),
        };
        if syntax {
            TemplateError::Invalid { path: self.path.clone(), line, message }
        } else {
            TemplateError::Render { path: self.path.clone(), line, message }
        }
    }

    /// Fields declared but used in neither the body, the system prompt, the frame nor the
    /// language choice (a lint, not an error).
    pub fn unused_fields(&self) -> Vec<String> {
        let env = self.env();
        let mut used = HashSet::new();
        for src in [&self.system, &self.body] {
            if let Ok(t) = env.template_from_str(src) {
                used.extend(t.undeclared_variables(false));
            }
        }
        let language_field = match &self.language {
            LanguageSpec::Field(f) => Some(f.as_str()),
            LanguageSpec::Fixed(_) => None,
        };
        let in_conditions: HashSet<&str> = self
            .fields
            .iter()
            .flat_map(|f| f.show_when.iter().chain(f.required_when.iter()))
            .flat_map(|c| c.keys().map(String::as_str))
            .collect();
        self.fields
            .iter()
            .filter(|f| !used.contains(&f.name) && !self.letter.values().any(|v| v == &f.name))
            .filter(|f| Some(f.name.as_str()) != language_field && !in_conditions.contains(f.name.as_str()))
            .map(|f| f.name.clone())
            .collect()
    }

    /// Renders (system, user) with `vars`: one value per field, plus the provided variables.
    pub fn render(&self, vars: &BTreeMap<String, Value>) -> Result<(String, String), TemplateError> {
        let env = self.env();
        let ctx = Value::from_serialize(vars);
        let mut out = Vec::with_capacity(2);
        for (src, first_line) in [(&self.system, self.system_line), (&self.body, self.body_line)] {
            let t = env.template_from_str(src).map_err(|e| self.render_error(&e, first_line, true))?;
            let text = t.render(&ctx).map_err(|e| self.render_error(&e, first_line, false))?;
            out.push(tidy(&text));
        }
        let user = out.pop().unwrap_or_default();
        let system = out.pop().unwrap_or_default();
        Ok((system, user))
    }
}

/// Trims trailing spaces and collapses runs of 3+ blank lines that `{% if %}` blocks leave.
fn tidy(text: &str) -> String {
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
