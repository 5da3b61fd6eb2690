//! The template as a small program: what the window's template editor needs as the user types.
//!
//! - [`analyze`]: the template's tokens for highlighting ({{ variables }}, {% if %}, {% for %},
//!   {% set %}, macros, comments), each with its line and column, the field each name refers
//!   to, and an explanation in French and Arabic (« une variable : la valeur saisie dans le champ
//!   « Objet » »); and the first error with its line. Tokens come from a scan of the text, so
//!   they are there even while the template does not parse.
//! - [`Editor::preview`]: the rendered prompt on the sample's inputs or the current form, the
//!   attached files read once and kept (a keystroke re-renders, it does not re-read a PDF).
//! - [`save`], [`duplicate`], [`reset`]: a template into the user's templates folder, a copy of
//!   a built-in one under a new id, and back to the built-in one.
//!
//! Deliberately not here: parsing rules (core's `Template::parse`, used as is) and the screen.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Instant, SystemTime};

use katib_core::run::{file_text, prompt_vars, render_with, resolve, today, variables_from, Context, Inputs, Resolved, Workbench};
use katib_core::templates::{FieldType, Template, TemplateError};
use katib_core::{Lang, Localized};
use katib_render::{body_start, BodyContext, BodyPreview};
use serde::Serialize;

use crate::error::{Result, WorkshopError};
use crate::rubric::loc;

/// What kind of piece of template a token is.
#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum TokenKind {
    /// `{{ ... }}`: a value written into the prompt.
    Variable,
    If,
    Elif,
    Else,
    EndIf,
    For,
    EndFor,
    Set,
    Macro,
    EndMacro,
    /// `{# ... #}`: not in the prompt.
    Comment,
    /// Any other `{% ... %}` (filter, call, raw...).
    Tag,
}

/// What a name in a token stands for.
#[derive(Clone, Debug, Serialize, PartialEq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Refers {
    /// A form field.
    Field { field: String, label: Localized, #[serde(rename = "type")] field_type: FieldType },
    /// `today`, given by Katib.
    Today,
    /// `textes.NAME`: a fixed text of the template.
    Text { name: String },
    /// A loop's variable (`p` in `{% for p in pieces %}`) or `loop`.
    LoopVar,
    /// A name set or taken as a parameter inside the template.
    Local,
    /// A macro the template defines.
    Macro,
    /// None of the above: rendering will fail on it.
    Unknown,
}

/// A name used in a token.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct NameRef {
    pub name: String,
    #[serde(flatten)]
    pub refers: Refers,
}

/// A piece of template syntax.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Token {
    pub kind: TokenKind,
    /// 1-based line and column (in characters) in the file.
    pub line: usize,
    pub column: usize,
    /// Byte offsets in the file.
    pub start: usize,
    pub end: usize,
    /// UTF-16 offsets (what a browser's text APIs count).
    pub start16: usize,
    pub end16: usize,
    /// In the system prompt (front matter) or the body.
    pub part: &'static str,
    pub text: String,
    pub names: Vec<NameRef>,
    /// The line of the matching `{% endif %}` / `{% if %}` (and for/macro), when found.
    pub pair_line: Option<usize>,
    pub explain: Localized,
}

/// The first error of a template, with its line.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct EditorError {
    pub line: usize,
    pub message: String,
    pub code: &'static str,
}

/// A field as the editor lists it.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct FieldInfo {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: FieldType,
    pub label: Localized,
    pub required: bool,
}

/// Everything the editor shows about the text being typed.
#[derive(Clone, Debug, Serialize)]
pub struct Analysis {
    pub ok: bool,
    pub id: Option<String>,
    pub error: Option<EditorError>,
    pub fields: Vec<FieldInfo>,
    pub tokens: Vec<Token>,
    /// Fields declared but used nowhere (a lint).
    pub unused_fields: Vec<String>,
    pub micros: u64,
}

fn error_of(e: &TemplateError) -> EditorError {
    let (line, message) = match e {
        TemplateError::Invalid { line, message, .. } | TemplateError::Render { line, message, .. } => (*line, message.clone()),
        other => (0, other.to_string()),
    };
    EditorError { line, message, code: e.code() }
}

/// Where the system prompt's text sits in the file (the TOML string, quotes included), if the
/// front matter parses that far: the only template text of the front matter (its comments may
/// well show `{{ }}` as examples).
fn system_range(text: &str) -> Option<std::ops::Range<usize>> {
    #[derive(serde::Deserialize)]
    struct Front {
        system: toml::Spanned<String>,
    }
    let first = text.split_inclusive('\n').next()?;
    let start = first.len();
    let end = body_start(text)?;
    let fm_end = text[..end].trim_end_matches(['\n', '\r']).len().saturating_sub(3);
    let f: Front = toml::from_str(&text[start..fm_end.max(start)]).ok()?;
    let span = f.system.span();
    Some(start + span.start..start + span.end)
}

/// The template's front matter alone (an empty body), to know its fields while the body does
/// not parse.
fn front_only(text: &str, path: &Path) -> Option<Template> {
    let b = body_start(text)?;
    Template::parse(&text[..b], path).ok()
}

const KEYWORDS: &[&str] = &["and", "or", "not", "in", "is", "if", "else", "true", "false", "none", "True", "False", "None", "recursive", "with", "without", "context", "ignore", "missing", "as", "import", "from"];
const FUNCTIONS: &[&str] = &["range", "dict", "namespace", "lipsum", "cycler", "joiner", "debug"];

/// Identifiers of an expression that are names (not attributes, filters, tests, strings,
/// keywords or functions called): `date_longue(date, langue)` gives date_longue, date, langue.
fn names_in(expr: &str) -> Vec<(String, bool)> {
    let b = expr.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut prev_sig: u8 = b' ';
    let mut prev_word = String::new();
    while i < b.len() {
        let c = b[i];
        if c == b'"' || c == b'\'' {
            i += 1;
            while i < b.len() && b[i] != c {
                if b[i] == b'\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
            prev_sig = b'"';
            continue;
        }
        if c.is_ascii_alphabetic() || c == b'_' {
            let s = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                i += 1;
            }
            let mut word = expr[s..i].to_string();
            let after = expr[i..].trim_start();
            let called = after.starts_with('(');
            let skip = prev_sig == b'.' || prev_sig == b'|' || prev_word == "is";
            // textes.NAME is one name.
            if word == "textes" && after.starts_with('.') {
                let rest = &after[1..];
                let n: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
                if !n.is_empty() {
                    word = format!("textes.{n}");
                }
            }
            let function = called && FUNCTIONS.contains(&word.as_str());
            if !(skip || function || KEYWORDS.contains(&word.as_str())) {
                out.push((word.clone(), called));
            }
            prev_word = word;
            prev_sig = b'a';
            continue;
        }
        if !c.is_ascii_whitespace() {
            prev_sig = c;
            prev_word.clear();
        }
        i += 1;
    }
    out
}

struct Scope {
    fields: BTreeMap<String, (Localized, FieldType)>,
    texts: Vec<String>,
    locals: Vec<String>,
    loop_vars: Vec<String>,
    macros: Vec<String>,
}

impl Scope {
    fn refers(&self, name: &str, called: bool) -> Refers {
        if let Some(t) = name.strip_prefix("textes.") {
            if !self.texts.is_empty() && !self.texts.iter().any(|x| x == t) {
                return Refers::Unknown;
            }
            return Refers::Text { name: t.to_string() };
        }
        if called && self.macros.iter().any(|m| m == name) {
            return Refers::Macro;
        }
        if name == "today" {
            return Refers::Today;
        }
        if name == "loop" || self.loop_vars.iter().any(|l| l == name) {
            return Refers::LoopVar;
        }
        if self.locals.iter().any(|l| l == name) {
            return Refers::Local;
        }
        if let Some((label, kind)) = self.fields.get(name) {
            return Refers::Field { field: name.to_string(), label: label.clone(), field_type: *kind };
        }
        if self.macros.iter().any(|m| m == name) {
            return Refers::Macro;
        }
        Refers::Unknown
    }
}

fn describe(r: &NameRef) -> Localized {
    match &r.refers {
        Refers::Field { label, field_type, .. } => {
            let (fr, ar) = (label.fr.as_str(), label.get(Lang::Ar));
            match field_type {
                FieldType::File => loc(format!("une variable : le contenu du fichier joint dans le champ « {fr} »"), format!("متغير: محتوى الملف المرفق في خانة «{ar}»")),
                FieldType::Select => loc(format!("une variable : le choix fait dans la liste « {fr} »"), format!("متغير: الاختيار المحدد في لائحة «{ar}»")),
                _ => loc(format!("une variable : la valeur saisie dans le champ « {fr} »"), format!("متغير: القيمة المدخلة في خانة «{ar}»")),
            }
        }
        Refers::Today => loc("une variable fournie par Katib : la date du jour (AAAA-MM-JJ)", "متغير يوفره كاتب: تاريخ اليوم (سنة-شهر-يوم)"),
        Refers::Text { name } => loc(
            format!("un texte fixe du modèle (« {name} »), que l'administration peut remplacer par sa propre formulation"),
            format!("نص ثابت في النموذج («{name}»)، يمكن للإدارة تعويضه بصيغتها الخاصة"),
        ),
        Refers::LoopVar => loc(format!("la variable de la boucle (« {} ») : l'élément en cours", r.name), format!("متغير الحلقة («{}»): العنصر الجاري", r.name)),
        Refers::Local => loc(format!("une variable de travail (« {} »), calculée dans le modèle", r.name), format!("متغير عمل («{}»)، يحسب داخل النموذج", r.name)),
        Refers::Macro => loc(format!("un appel de la macro « {} » : un morceau de modèle réutilisable", r.name), format!("استدعاء الماكرو «{}»: جزء من النموذج يعاد استعماله", r.name)),
        Refers::Unknown => loc(
            format!("« {} » n'est ni un champ du formulaire ni une variable de Katib : déclarez-le comme champ, ou corrigez le nom", r.name),
            format!("«{}» ليس خانة في الاستمارة ولا متغيرا يوفره كاتب: صرحوا به كخانة، أو صححوا الاسم", r.name),
        ),
    }
}

fn fields_phrase(names: &[NameRef], lang: Lang) -> String {
    let v: Vec<String> = names
        .iter()
        .filter_map(|n| match &n.refers {
            Refers::Field { label, .. } => Some(if lang == Lang::Ar { format!("«{}»", label.get(lang)) } else { format!("« {} »", label.get(lang)) }),
            _ => None,
        })
        .collect();
    v.join(if lang == Lang::Ar { "، " } else { ", " })
}

/// Scans `text` (a whole template file) for template syntax and explains each piece. Works on
/// any text: a template that does not parse still gets its tokens.
pub fn tokens(text: &str, tpl: Option<&Template>) -> Vec<Token> {
    let mut scope = Scope {
        fields: tpl.map(|t| t.fields.iter().map(|f| (f.name.clone(), (f.label.clone(), f.kind))).collect()).unwrap_or_default(),
        texts: tpl.map(|t| t.texts.keys().cloned().collect()).unwrap_or_default(),
        locals: Vec::new(),
        loop_vars: Vec::new(),
        macros: Vec::new(),
    };
    let body = body_start(text).unwrap_or(0);
    let system = system_range(text);
    // Template text: the body, and the system prompt's string in the front matter.
    let in_template = |at: usize| at >= body || system.as_ref().is_some_and(|r| r.contains(&at));
    // Macros first: a macro may be called before it is defined in the text.
    let mut at = 0;
    while let Some(i) = text[at..].find("{%") {
        let s = at + i;
        let Some(j) = text[s..].find("%}") else { break };
        let inner = text[s + 2..s + j].trim_matches(|c: char| c == '-' || c == '+' || c.is_whitespace());
        if let Some(rest) = inner.strip_prefix("macro ") {
            scope.macros.push(rest.split('(').next().unwrap_or("").trim().to_string());
        }
        at = s + j + 2;
    }
    let mut out: Vec<Token> = Vec::new();
    let mut stack: Vec<(usize, TokenKind)> = Vec::new();
    let mut line = 1;
    let mut line_start = 0;
    let mut counted = 0;
    let mut i = 0;
    let bytes = text.as_bytes();
    let mut u16_at = 0;
    let mut u16_pos = 0;
    let mut to16 = |at: usize| {
        u16_pos += text[u16_at..at].encode_utf16().count();
        u16_at = at;
        u16_pos
    };
    while i + 1 < bytes.len() {
        let open = &bytes[i..i + 2];
        let close: &str = match open {
            b"{{" => "}}",
            b"{%" => "%}",
            b"{#" => "#}",
            _ => {
                i += 1;
                continue;
            }
        };
        let Some(rel) = text[i + 2..].find(close) else { break };
        let end = i + 2 + rel + 2;
        if !in_template(i) {
            i += 2;
            continue;
        }
        line += text[counted..i].matches('\n').count();
        if let Some(nl) = text[..i].rfind('\n') {
            line_start = nl + 1;
        }
        counted = i;
        let column = text[line_start..i].chars().count() + 1;
        let inner = text[i + 2..end - 2].trim_matches(|c: char| c == '-' || c == '+' || c.is_whitespace());
        let part = if i < body { "system" } else { "body" };
        let (kind, expr, binds): (TokenKind, &str, Vec<String>) = if close == "#}" {
            (TokenKind::Comment, "", Vec::new())
        } else if close == "}}" {
            (TokenKind::Variable, inner, Vec::new())
        } else {
            let word = inner.split_whitespace().next().unwrap_or("");
            let rest = inner[word.len()..].trim();
            match word {
                "if" => (TokenKind::If, rest, Vec::new()),
                "elif" => (TokenKind::Elif, rest, Vec::new()),
                "else" => (TokenKind::Else, "", Vec::new()),
                "endif" => (TokenKind::EndIf, "", Vec::new()),
                "for" => {
                    let (vars, iter) = rest.split_once(" in ").unwrap_or((rest, ""));
                    let binds = vars.split(',').map(|v| v.trim().to_string()).filter(|v| !v.is_empty()).collect();
                    (TokenKind::For, iter, binds)
                }
                "endfor" => (TokenKind::EndFor, "", Vec::new()),
                "set" => {
                    let (name, value) = rest.split_once('=').unwrap_or((rest, ""));
                    (TokenKind::Set, value, vec![name.trim().to_string()])
                }
                "macro" => {
                    let params = rest.split_once('(').map(|(_, p)| p.trim_end_matches(')')).unwrap_or("");
                    let binds = params.split(',').map(|p| p.split('=').next().unwrap_or("").trim().to_string()).filter(|p| !p.is_empty()).collect();
                    (TokenKind::Macro, "", binds)
                }
                "endmacro" => (TokenKind::EndMacro, "", Vec::new()),
                _ => (TokenKind::Tag, rest, Vec::new()),
            }
        };
        // The loop variables and the names set or taken as macro parameters are names from
        // here on (a scan, not a scope analysis: enough to explain what a name is).
        let bound = if kind == TokenKind::For { &mut scope.loop_vars } else { &mut scope.locals };
        for b in &binds {
            if !bound.contains(b) {
                bound.push(b.clone());
            }
        }
        let names: Vec<NameRef> = names_in(expr).into_iter().map(|(n, called)| NameRef { refers: scope.refers(&n, called), name: n }).collect();
        let mut pair_line = None;
        match kind {
            TokenKind::If | TokenKind::For | TokenKind::Macro => stack.push((out.len(), kind)),
            TokenKind::EndIf | TokenKind::EndFor | TokenKind::EndMacro => {
                let want = match kind {
                    TokenKind::EndIf => TokenKind::If,
                    TokenKind::EndFor => TokenKind::For,
                    _ => TokenKind::Macro,
                };
                if let Some(pos) = stack.iter().rposition(|(_, k)| *k == want) {
                    let (idx, _) = stack.remove(pos);
                    stack.truncate(pos);
                    pair_line = Some(out[idx].line);
                    out[idx].pair_line = Some(line);
                }
            }
            TokenKind::Elif | TokenKind::Else => pair_line = stack.iter().rev().find(|(_, k)| *k == TokenKind::If || *k == TokenKind::For).map(|(idx, _)| out[*idx].line),
            _ => {}
        }
        let fr_fields = fields_phrase(&names, Lang::Fr);
        let ar_fields = fields_phrase(&names, Lang::Ar);
        let on = |fr: bool| -> String {
            let f = if fr { &fr_fields } else { &ar_fields };
            if f.is_empty() {
                String::new()
            } else if fr {
                format!(" ; elle porte sur le champ {f}")
            } else {
                format!("؛ ويتعلق بخانة {f}")
            }
        };
        let explain = match kind {
            TokenKind::Variable => match names.as_slice() {
                [one] if inner.trim() == one.name || inner.starts_with(&format!("{}|", one.name)) || inner.starts_with(&format!("{} |", one.name)) => describe(one),
                _ => loc(
                    format!("une expression : sa valeur est écrite dans le prompt{}", on(true)),
                    format!("عبارة: تكتب قيمتها في النص الموجه إلى النموذج{}", on(false)),
                ),
            },
            TokenKind::If => loc(
                format!("une condition : le texte qui suit n'est écrit que si « {expr} » est vrai{}", on(true)),
                format!("شرط: لا يكتب النص الموالي إلا إذا تحقق «{expr}»{}", on(false)),
            ),
            TokenKind::Elif => loc(format!("sinon, si « {expr} » est vrai : une autre branche de la condition{}", on(true)), format!("وإلا، إذا تحقق «{expr}»: فرع آخر من الشرط{}", on(false))),
            TokenKind::Else => loc("sinon : le texte écrit quand la condition est fausse", "وإلا: النص الذي يكتب عندما لا يتحقق الشرط"),
            TokenKind::EndIf => loc("fin de la condition", "نهاية الشرط"),
            TokenKind::For => loc(
                format!("une boucle : le texte jusqu'à {{% endfor %}} est répété pour chaque élément de « {expr} » ({}){}", binds.join(", "), on(true)),
                format!("حلقة: يتكرر النص إلى غاية {{% endfor %}} لكل عنصر من «{expr}» ({}){}", binds.join("، "), on(false)),
            ),
            TokenKind::EndFor => loc("fin de la boucle", "نهاية الحلقة"),
            TokenKind::Set => loc(format!("une variable de travail (« {} ») calculée dans le modèle{}", binds.join(", "), on(true)), format!("متغير عمل («{}») يحسب داخل النموذج{}", binds.join("، "), on(false))),
            TokenKind::Macro => loc("une macro : un morceau de modèle réutilisable, comme une petite fonction", "ماكرو: جزء من النموذج يعاد استعماله، كدالة صغيرة"),
            TokenKind::EndMacro => loc("fin de la macro", "نهاية الماكرو"),
            TokenKind::Comment => loc("un commentaire : il n'apparaît pas dans le prompt", "تعليق: لا يظهر في النص الموجه إلى النموذج"),
            TokenKind::Tag => loc("une instruction du modèle", "تعليمة من تعليمات النموذج"),
        };
        let start16 = to16(i);
        let end16 = to16(end);
        out.push(Token { kind, line, column, start: i, end, start16, end16, part, text: text[i..end].to_string(), names, pair_line, explain });
        i = end;
    }
    out
}

/// Analyses the text of a template being edited (`path` names it in errors).
pub fn analyze(text: &str, path: &Path) -> Analysis {
    let started = Instant::now();
    let parsed = Template::parse(text, path);
    let (tpl, error) = match &parsed {
        Ok(t) => (Some(t.clone()), None),
        Err(e) => (front_only(text, path), Some(error_of(e))),
    };
    let tokens = tokens(text, tpl.as_ref());
    Analysis {
        ok: error.is_none(),
        id: tpl.as_ref().map(|t| t.id.clone()),
        error,
        fields: tpl.as_ref().map(|t| t.fields.iter().map(|f| FieldInfo { name: f.name.clone(), kind: f.kind, label: f.label.clone(), required: f.required }).collect()).unwrap_or_default(),
        unused_fields: parsed.as_ref().map(|t| t.unused_fields()).unwrap_or_default(),
        tokens,
        micros: started.elapsed().as_micros() as u64,
    }
}

/// The rendered prompt of the text being edited.
#[derive(Clone, Debug, Serialize)]
pub struct Preview {
    pub ok: bool,
    pub system: String,
    pub user: String,
    pub error: Option<EditorError>,
    /// Required fields the form leaves empty (rendered as empty text).
    pub missing: Vec<String>,
    /// What the page needs to render the body itself at the next keystroke, while the text
    /// before the body stays the same (none when the front matter or the system prompt fails).
    pub context: Option<ContextRef>,
    pub micros: u64,
}

/// A [`BodyContext`] for the page: its key, and its JSON unless the page already holds that key.
#[derive(Clone, Debug, Serialize)]
pub struct ContextRef {
    pub key: String,
    pub json: Option<String>,
}

/// A file's modification time and length, and how its text was made: read again when one changes.
type Stamp = (Option<SystemTime>, u64, String);

/// An editing session: settings, and the text of the attached files read once.
pub struct Editor {
    wb: Workbench,
    /// Path -> (its stamp, the text).
    files: BTreeMap<PathBuf, (Stamp, String)>,
    /// Template id -> the inputs of the first exercise that uses it, in the packs (read once).
    exercises: OnceLock<BTreeMap<String, Inputs>>,
}

impl Editor {
    pub fn new(wb: &Workbench) -> Editor {
        Editor { wb: wb.clone(), files: BTreeMap::new(), exercises: OnceLock::new() }
    }

    /// The sample inputs of template `id`: its default sample, else (a pack's template has
    /// none) the inputs of the first exercise of a pack that uses it.
    pub fn sample_inputs(&self, id: &str) -> Option<Inputs> {
        if let Some(s) = self.wb.samples.iter().find(|s| s.template == id && s.name.is_none()) {
            return Some(Inputs::from_sample(s));
        }
        let exercises = self.exercises.get_or_init(|| {
            let mut first = BTreeMap::new();
            for pack in crate::pack::library::all(&self.wb).0 {
                for ex in pack.exercises {
                    first.entry(ex.template).or_insert(ex.inputs);
                }
            }
            first
        });
        exercises.get(id).cloned()
    }

    /// Renders `text` with `inputs` (the current form, or [`Editor::sample_inputs`]). Missing
    /// required fields render empty and are listed: the preview never waits for a full form.
    /// `held` is the key of the body context the page holds (its JSON is not sent again).
    pub fn preview(&mut self, text: &str, path: &Path, inputs: &Inputs, held: Option<&str>) -> Preview {
        let started = Instant::now();
        let fail = |e: EditorError, context: Option<ContextRef>| Preview { ok: false, system: String::new(), user: String::new(), error: Some(e), missing: Vec::new(), context, micros: started.elapsed().as_micros() as u64 };
        // While the front matter is valid and the system prompt renders, the body alone decides
        // the preview: it is rendered from the context the page gets too, by the same code.
        if let Some((ctx, missing)) = body_start(text).and_then(|s| self.body_context(&text[..s], path, inputs)) {
            let json = serde_json::to_string(&ctx).unwrap_or_default();
            let key = format!("{:016x}", fnv1a(json.as_bytes()));
            let context = Some(ContextRef { json: (held != Some(key.as_str())).then_some(json), key });
            return match ctx.preview(text) {
                BodyPreview::Rendered(user) => Preview { ok: true, system: ctx.system, user, error: None, missing, context, micros: started.elapsed().as_micros() as u64 },
                BodyPreview::Failed(e) => fail(EditorError { line: e.line, code: e.code(), message: e.message }, context),
                // The head is the text's own: cannot happen, and the core's path below says it all.
                BodyPreview::Stale => self.preview_whole(text, path, inputs, started),
            };
        }
        self.preview_whole(text, path, inputs, started)
    }

    /// The preview by the core's whole path (parse, resolve, render), with the error that
    /// stops it.
    fn preview_whole(&mut self, text: &str, path: &Path, inputs: &Inputs, started: Instant) -> Preview {
        let fail = |e: EditorError| Preview { ok: false, system: String::new(), user: String::new(), error: Some(e), missing: Vec::new(), context: None, micros: started.elapsed().as_micros() as u64 };
        let tpl = match Template::parse(text, path) {
            Ok(t) => t,
            Err(e) => return fail(error_of(&e)),
        };
        let (resolved, missing) = resolve_lenient(&tpl, inputs);
        let extracts = match self.extracts(&tpl, &resolved) {
            Ok(x) => x,
            Err(e) => return fail(EditorError { line: 0, message: e.to_string(), code: e.code() }),
        };
        let limits = self.wb.limits();
        let day = today();
        let ctx = Context { limits: &limits, today: &day, settings: &self.wb.settings };
        match render_with(&tpl, &resolved, &variables_from(&tpl, &resolved, &ctx, &extracts), &ctx) {
            Ok(p) => Preview { ok: true, system: p.system, user: p.user, error: None, missing, context: None, micros: started.elapsed().as_micros() as u64 },
            Err(katib_core::Error::Template(e)) => fail(error_of(&e)),
            Err(e) => fail(EditorError { line: 0, message: e.to_string(), code: e.code() }),
        }
    }

    /// The body's context for `head` (the text before the body), and the required fields left
    /// empty; none when the front matter fails, a file cannot be read or the system prompt
    /// fails to render.
    fn body_context(&mut self, head: &str, path: &Path, inputs: &Inputs) -> Option<(BodyContext, Vec<String>)> {
        let tpl = Template::parse(head, path).ok()?;
        let (resolved, missing) = resolve_lenient(&tpl, inputs);
        let extracts = self.extracts(&tpl, &resolved).ok()?;
        let limits = self.wb.limits();
        let day = today();
        let ctx = Context { limits: &limits, today: &day, settings: &self.wb.settings };
        let vars = prompt_vars(&tpl, &resolved, &variables_from(&tpl, &resolved, &ctx, &extracts), &ctx);
        Some((tpl.body_context(head, vars).ok()?, missing))
    }

    /// The files' prompt text as a run gives it (a sheet's computed figures when the template
    /// declares `[sheet]`), read again only when a file, or what its figures depend on, changed.
    fn extracts(&mut self, tpl: &Template, r: &Resolved) -> katib_core::Result<BTreeMap<String, String>> {
        // A sheet's fact sheet depends on the template's [sheet], the column mapping and the language.
        let how = if tpl.sheet.is_some() { format!("{:?}|{:?}|{:?}", tpl.sheet, r.mapping, r.language) } else { String::new() };
        let mut out = BTreeMap::new();
        for (field, path) in &r.files {
            let meta = std::fs::metadata(path).ok();
            let stamp = (meta.as_ref().and_then(|m| m.modified().ok()), meta.as_ref().map_or(0, |m| m.len()), how.clone());
            let text = match self.files.get(path).filter(|(s, _)| *s == stamp) {
                Some((_, t)) => t.clone(),
                None => {
                    let (t, _) = file_text(tpl, r, path, &self.wb.limits())?;
                    self.files.insert(path.clone(), (stamp, t.clone()));
                    t
                }
            };
            out.insert(field.clone(), text);
        }
        Ok(out)
    }
}

/// The inputs resolved as a run would, or leniently when they do not resolve (defaults, values
/// as typed, files that exist), with the required fields left empty.
fn resolve_lenient(tpl: &Template, inputs: &Inputs) -> (Resolved, Vec<String>) {
    // Only the inputs the template knows; the rest of the form belongs to another version.
    let known = Inputs {
        values: inputs.values.iter().filter(|(k, _)| tpl.field(k).is_some_and(|f| f.kind != FieldType::File)).map(|(k, v)| (k.clone(), v.clone())).collect(),
        files: inputs.files.iter().filter(|(k, _)| tpl.field(k).is_some_and(|f| f.kind == FieldType::File)).map(|(k, v)| (k.clone(), v.clone())).collect(),
        mapping: inputs.mapping.clone(),
    };
    if let Ok(r) = resolve(tpl, &known) {
        return (r, Vec::new());
    }
    let mut missing = Vec::new();
    let lang = tpl.output_language(&known.values);
    let mut values = BTreeMap::new();
    for f in tpl.fields.iter().filter(|f| f.kind != FieldType::File) {
        match known.values.get(&f.name).filter(|v| !v.trim().is_empty()).cloned().or_else(|| f.default_text(lang)) {
            Some(v) => {
                values.insert(f.name.clone(), v);
            }
            None if f.required => missing.push(f.name.clone()),
            None => {}
        }
    }
    let files = known.files.iter().filter(|(_, p)| p.is_file()).map(|(k, p)| (k.clone(), p.clone())).collect();
    (Resolved { template: tpl.id.clone(), language: lang, values, files, mapping: BTreeMap::new() }, missing)
}

/// FNV-1a: a context's key (it names a version of the context, it guards nothing).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3))
}

/// Saves `text` as a user template, in the user's templates folder, as `<id>.md` (or over the
/// file that already holds the user's template of that id). It must parse: a broken file in that
/// folder would keep Katib from loading its templates. Replacing the user's existing template
/// needs `overwrite`.
pub fn save(wb: &Workbench, text: &str, overwrite: bool) -> Result<PathBuf> {
    let dir = wb.user_templates_dir();
    let probe = dir.join("(nouveau modèle).md");
    let tpl = Template::parse(text, &probe).map_err(|e| {
        let err = error_of(&e);
        WorkshopError::Template { path: probe.clone(), line: err.line, message: err.message }
    })?;
    let target = users_own(wb, &tpl.id).map(|t| t.path.clone()).unwrap_or_else(|| dir.join(format!("{}.md", tpl.id)));
    std::fs::create_dir_all(&dir).map_err(|e| WorkshopError::io(&dir, e))?;
    crate::review::write_new(&target, text.as_bytes(), overwrite)?;
    Ok(target)
}

/// The user's own template `id`: one in the user's templates folder. A pack's template is in the
/// catalog too and is not built-in, but its file is the pack's (the built-in pack's is among the
/// app's own files): neither saved over nor removed from here.
pub fn users_own<'a>(wb: &'a Workbench, id: &str) -> Option<&'a Template> {
    let dir = wb.user_templates_dir();
    wb.catalog.all().iter().find(|t| !t.builtin && t.id == id && t.path.starts_with(&dir))
}

/// The text of built-in (or user) template `id` under the id `new_id`, version 1, its title
/// marked as a copy: ready to edit, then [`save`].
pub fn duplicate(wb: &Workbench, id: &str, new_id: &str) -> Result<String> {
    let tpl = wb.template(id)?;
    if wb.catalog.all().iter().any(|t| t.id == new_id) {
        return Err(WorkshopError::Usage(format!("a template '{new_id}' exists already: choose another id")));
    }
    let text = std::fs::read_to_string(&tpl.path).map_err(|e| WorkshopError::io(&tpl.path, e))?;
    let mut out = String::with_capacity(text.len() + 32);
    let (mut id_done, mut version_done, mut title_done) = (false, false, false);
    let end = body_start(&text).unwrap_or(0);
    for l in text[..end].split_inclusive('\n') {
        let t = l.trim_start();
        if !id_done && t.starts_with("id") && t[2..].trim_start().starts_with('=') {
            out.push_str(&format!("id = \"{new_id}\"\n"));
            id_done = true;
        } else if !version_done && t.starts_with("version") && t[7..].trim_start().starts_with('=') {
            out.push_str("version = 1\n");
            version_done = true;
        } else if !title_done && t.starts_with("title") && t[5..].trim_start().starts_with('=') {
            out.push_str(&l.replacen("fr = \"", "fr = \"Copie de : ", 1).replacen("ar = \"", "ar = \"نسخة من: ", 1));
            title_done = true;
        } else {
            out.push_str(l);
        }
    }
    out.push_str(&text[end..]);
    let copy = Template::parse(&out, Path::new("copie.md")).map_err(|e| {
        let err = error_of(&e);
        WorkshopError::Template { path: tpl.path.clone(), line: err.line, message: err.message }
    })?;
    if copy.id != new_id {
        return Err(WorkshopError::Usage(format!("could not set the id of a copy of '{id}'")));
    }
    Ok(out)
}

/// Removes the user's template `id` from the user's templates folder: a built-in template of
/// that id comes back. Returns the file removed and whether a built-in one now shows.
pub fn reset(wb: &Workbench, id: &str) -> Result<(PathBuf, bool)> {
    let Some(mine) = users_own(wb, id) else {
        return Err(WorkshopError::Usage(format!("'{id}' is not one of your templates: nothing to reset")));
    };
    std::fs::remove_file(&mine.path).map_err(|e| WorkshopError::io(&mine.path, e))?;
    let builtin = katib_core::templates::load_dir(&wb.resources.prompts_dir).map(|all| all.iter().any(|t| t.id == id)).unwrap_or(false);
    Ok((mine.path.clone(), builtin))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_of_expressions() {
        let n = |e: &str| names_in(e).into_iter().map(|(n, _)| n).collect::<Vec<_>>();
        assert_eq!(n("objet"), ["objet"]);
        assert_eq!(n("lettre|trim"), ["lettre"]);
        assert_eq!(n("date_longue(date, langue)"), ["date_longue", "date", "langue"]);
        assert_eq!(n("langue == \"ar\" and not x is defined"), ["langue", "x"]);
        assert_eq!(n("d[8:10]|int"), ["d"]);
        assert_eq!(n("textes.voies_recours"), ["textes.voies_recours"]);
        assert_eq!(n("range(3)"), Vec::<String>::new());
        assert_eq!(n("p.split('\\n')"), ["p"]);
    }
}
