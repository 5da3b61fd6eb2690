//! Rendering a template with the values of its fields, strictly: an undefined variable is an
//! error naming the file and line, and a fuel limit stops a runaway loop. Also the lints that
//! need the compiled template (unknown and unused variables). The rules themselves (the
//! environment, the names a part may use, the tidy-up) are katib-render's, which the editor's
//! in-page preview runs too.

use std::collections::{BTreeMap, HashSet};

use katib_render::{check_part, environment, render_part, BodyContext, PartError};
use minijinja::Value;

use super::model::{LanguageSpec, Template};
use super::TemplateError;

pub use katib_render::PROVIDED;

impl Template {
    /// Compiles both parts, and checks that every variable they use is a field or provided.
    pub(super) fn check_syntax_and_names(&self) -> Result<(), TemplateError> {
        let env = environment();
        let names: HashSet<&str> = self.fields.iter().map(|f| f.name.as_str()).collect();
        let texts = |t: &str| self.texts.contains_key(t);
        for (src, first_line) in [(&self.system, self.system_line), (&self.body, self.body_line)] {
            check_part(&env, src, first_line, &names, &texts).map_err(|e| self.part_error(e))?;
        }
        Ok(())
    }

    fn part_error(&self, e: PartError) -> TemplateError {
        let PartError { line, message, syntax } = e;
        if syntax {
            TemplateError::Invalid { path: self.path.clone(), line, message }
        } else {
            TemplateError::Render { path: self.path.clone(), line, message }
        }
    }

    /// Fields declared but used in neither the body, the system prompt, the frame nor the
    /// language choice (a lint, not an error).
    pub fn unused_fields(&self) -> Vec<String> {
        let env = environment();
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
        let env = environment();
        let ctx = Value::from_serialize(vars);
        let system = render_part(&env, &self.system, self.system_line, &ctx).map_err(|e| self.part_error(e))?;
        let user = render_part(&env, &self.body, self.body_line, &ctx).map_err(|e| self.part_error(e))?;
        Ok((system, user))
    }

    /// What the editor's preview renders the body of this template with, `head` being the file's
    /// text before the body: the variables, and the system prompt rendered with them.
    pub fn body_context(&self, head: &str, vars: BTreeMap<String, Value>) -> Result<BodyContext, TemplateError> {
        let system = render_part(&environment(), &self.system, self.system_line, &Value::from_serialize(&vars)).map_err(|e| self.part_error(e))?;
        Ok(BodyContext {
            head: head.to_string(),
            body_line: self.body_line,
            names: self.fields.iter().map(|f| f.name.clone()).collect(),
            texts: self.texts.keys().cloned().collect(),
            system,
            vars,
        })
    }
}
