//! clap derive fields: what a `#[arg(…)]` (or `#[clap(…)]`, `#[structopt(…)]`)
//! attribute registers. The flag's spelling is clap's (`long` is the field in
//! kebab case, `long = "x"` / `long("x")` renames it, `short` is the field's
//! first letter, neither is a positional `<NAME>`), its type is the field's
//! declared type and its command the struct or subcommand variant holding it.
//! `subcommand`, `flatten` and `skip` fields register no flag. Builder
//! chains (`Arg::new("x").long("x").default_value("auto")`) are read the same
//! way from the methods the chain calls.

use std::collections::BTreeMap;

use crate::model::Item;
use crate::render::markdown::code;

/// Where a derive field lives: its declared type and the command it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Field {
    pub ty: String,
    pub command: String,
}

/// Rust struct fields and subcommand-variant fields of these items, by
/// (file, line of the field's name).
pub(super) struct Fields<'a> {
    by_line: BTreeMap<(&'a str, u32), Field>,
    /// Enum variants with fields, by file: (first line, last line, variant name, its body).
    variants: BTreeMap<&'a str, Vec<(u32, u32, &'a str, &'a str)>>,
}

impl<'a> Fields<'a> {
    pub(super) fn new(items: &'a [Item]) -> Fields<'a> {
        let mut by_line = BTreeMap::new();
        let mut variants: BTreeMap<&str, Vec<_>> = BTreeMap::new();
        for item in items.iter().filter(|i| i.language == "rust") {
            for m in &item.members {
                match (item.kind.as_str(), m.kind.as_str()) {
                    ("struct", "field") => {
                        let ty = m.signature.split_once(':').map_or("", |(_, t)| t.trim());
                        by_line.insert(
                            (item.file.as_str(), m.line),
                            Field {
                                ty: ty.to_string(),
                                command: code(&item.name),
                            },
                        );
                    }
                    ("enum", "variant") if m.signature.contains('{') => {
                        variants.entry(item.file.as_str()).or_default().push((
                            m.line,
                            m.end_line,
                            m.name.as_str(),
                            m.signature.as_str(),
                        ));
                    }
                    _ => {}
                }
            }
        }
        Fields { by_line, variants }
    }

    /// The field named `name` whose name is on `line` of `file`.
    pub(super) fn get(&self, file: &str, line: u32, name: &str) -> Option<Field> {
        if let Some(f) = self.by_line.get(&(file, line)) {
            return Some(f.clone());
        }
        let (_, _, variant, body) = self
            .variants
            .get(file)?
            .iter()
            .find(|(start, end, _, _)| (*start..=*end).contains(&line))?;
        Some(Field {
            ty: field_type(body, name).unwrap_or_default(),
            command: code(&kebab(variant)),
        })
    }
}

/// What one derive attribute registers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Registration {
    /// `--long`, `-s` or `<NAME>` (a positional argument).
    pub name: String,
    /// The default as clap spells it, when one is given (`default_value_t`
    /// alone is the type's `Default`).
    pub default: Option<String>,
    pub global: bool,
}

/// The flag `attr` registers on the field `field` of type `ty`, or `None`
/// for a field that registers none (`subcommand`, `flatten`, `skip`).
pub(super) fn registration(attr: &str, field: &str, ty: &str) -> Option<Registration> {
    let args = attr_args(attr);
    let get = |key: &str| args.iter().find(|(k, _)| *k == key).map(|(_, v)| *v);
    if ["subcommand", "flatten", "skip"]
        .iter()
        .any(|k| get(k).is_some())
    {
        return None;
    }
    let unquote = |v: &str| v.trim().trim_matches(['"', '\'']).to_string();
    let name = if let Some(long) = get("long") {
        format!(
            "--{}",
            long.map_or_else(|| field.trim_start_matches("r#").replace('_', "-"), unquote)
        )
    } else if let Some(short) = get("short") {
        let s = short.map_or_else(
            || field.chars().next().map(String::from).unwrap_or_default(),
            unquote,
        );
        format!("-{s}")
    } else {
        let value_name = get("value_name").flatten().map(unquote);
        format!(
            "<{}>",
            value_name.unwrap_or_else(|| field.trim_start_matches("r#").to_uppercase())
        )
    };
    let default = [
        "default_value",
        "default_values",
        "default_value_t",
        "default_values_t",
    ]
    .iter()
    .find_map(|k| get(k).map(|v| (*k, v)))
    .map(|(k, v)| match v {
        Some(v) => v.trim().to_string(),
        None if k.ends_with("_t") && !ty.is_empty() => format!("{ty}::default()"),
        None => "Default::default()".to_string(),
    });
    let global = matches!(get("global"), Some(Some(v)) if v.trim() == "true");
    Some(Registration {
        name,
        default,
        global,
    })
}

/// The top-level arguments of `#[arg(a, b = c, d(e))]` as (key, value).
fn attr_args(attr: &str) -> Vec<(&str, Option<&str>)> {
    let Some(open) = attr.find('(') else {
        return Vec::new();
    };
    let inner = &attr[open + 1..];
    let mut out = Vec::new();
    for arg in split_top(inner) {
        let arg = arg.trim();
        let key_end = arg
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(arg.len());
        let (key, rest) = arg.split_at(key_end);
        if key.is_empty() {
            continue;
        }
        let rest = rest.trim_start();
        let value = match rest.strip_prefix('=') {
            Some(v) => Some(v.trim()),
            None => rest
                .strip_prefix('(')
                .map(|v| v.strip_suffix(')').unwrap_or(v).trim()),
        };
        out.push((key, value));
    }
    out
}

/// `s` split at commas outside brackets and literals, up to the bracket
/// closing the list.
fn split_top(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0i32, 0);
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '"' => quote = Some('"'),
            // A char literal (`'e'`), not a lifetime: its closing quote follows.
            '\'' if s[i + 1..].chars().nth(1) == Some('\'') || s[i + 1..].starts_with("\\") => {
                quote = Some('\'')
            }
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' if depth == 0 => {
                out.push(&s[start..i]);
                return out;
            }
            ')' | ']' | '}' => depth -= 1,
            ',' if depth == 0 => {
                out.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&s[start..]);
    out
}

/// The declared type of field `name` in a variant body collapsed to one line
/// (`Add { #[arg(long)] name: String, }`).
fn field_type(body: &str, name: &str) -> Option<String> {
    let open = body.find('{')?;
    for part in split_top(&body[open + 1..]) {
        // Attributes end with `]`; what follows the last one is `name: Type`.
        let decl = part.rsplit_once(']').map_or(part, |(_, d)| d).trim();
        let decl = decl.strip_prefix("pub ").unwrap_or(decl);
        if let Some((n, ty)) = decl.split_once(':') {
            if n.trim() == name {
                return Some(ty.trim().to_string());
            }
        }
    }
    None
}

/// clap's subcommand name of a variant: `AddRemote` → `add-remote`.
fn kebab(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    for (i, c) in name.chars().enumerate() {
        if c.is_uppercase() {
            if i > 0 {
                out.push('-');
            }
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// What a clap builder chain registers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Builder {
    /// `--long`, else `-s`, else the positional `<ID>` (clap 4: an argument
    /// with neither is positional).
    pub name: String,
    /// `bool` (`ArgAction::SetTrue`/`SetFalse`), `count`, the `value_parser!`
    /// type, or the possible values (`auto|never|always`).
    pub ty: Option<String>,
    pub default: Option<String>,
    pub global: bool,
}

/// Read `Arg::new("id")…` and the methods chained on it; `id` is the
/// argument's id.
pub(super) fn builder(chain: &str, id: &str) -> Builder {
    let calls = chain_calls(chain);
    let arg = |m: &str| calls.iter().find(|(n, _)| *n == m).map(|(_, a)| a.trim());
    let unquote = |v: &str| v.trim().trim_matches(['"', '\'']).to_string();
    let name = match (arg("long"), arg("short")) {
        (Some(l), _) => format!("--{}", unquote(l)),
        (None, Some(s)) => format!("-{}", unquote(s)),
        (None, None) => format!("<{id}>"),
    };
    let ty = arg("action")
        .and_then(|a| match a.rsplit("::").next().unwrap_or(a) {
            "SetTrue" | "SetFalse" => Some("bool".to_string()),
            "Count" => Some("count".to_string()),
            _ => None,
        })
        .or_else(|| {
            let p = arg("value_parser")?;
            // `value_parser!(T)`, `clap::value_parser!(T)`.
            if let Some(inner) = p
                .split_once("value_parser!(")
                .filter(|(head, _)| head.is_empty() || head.ends_with("::"))
                .and_then(|(_, r)| r.strip_suffix(')'))
            {
                return Some(inner.trim().to_string());
            }
            let list = p.strip_prefix('[')?.strip_suffix(']')?;
            let values: Vec<String> = list
                .split(',')
                .map(unquote)
                .filter(|v| !v.is_empty())
                .collect();
            (!values.is_empty()).then(|| values.join("|"))
        });
    let default = arg("default_value").map(|d| d.to_string());
    let global = arg("global") == Some("true");
    Builder {
        name,
        ty,
        default,
        global,
    }
}

/// The top-level method calls of a chain as (method, argument text):
/// `Arg::new("x").long("x").help("a, b")` → [("long", "\"x\""), ("help", "\"a, b\"")].
fn chain_calls(chain: &str) -> Vec<(&str, &str)> {
    let bytes = chain.as_bytes();
    let mut out = Vec::new();
    let (mut depth, mut i) = (0i32, 0usize);
    let mut open_at: Option<(usize, usize)> = None;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => i = super::flags::string_end(bytes, i),
            b'\'' if depth > 0 && i + 2 < bytes.len() && bytes[i + 2] == b'\'' => i += 2,
            b'(' | b'[' | b'{' => {
                if depth == 0 && bytes[i] == b'(' {
                    let start = chain[..i].rfind('.').map_or(0, |d| d + 1);
                    open_at = Some((start, i));
                }
                depth += 1;
            }
            b')' | b']' | b'}' => {
                depth -= 1;
                if depth == 0 && bytes[i] == b')' {
                    if let Some((start, open)) = open_at.take() {
                        let name = chain[start..open].trim();
                        out.push((name, &chain[open + 1..i]));
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builder_chains_read_long_short_positionals_types_and_defaults() {
        let b = builder(
            r#"Arg::new("color").long("color").value_name("when").value_parser(["auto", "never", "always"]).default_value("auto").help("When (a, b).")"#,
            "color",
        );
        assert_eq!(
            b,
            Builder {
                name: "--color".into(),
                ty: Some("auto|never|always".into()),
                default: Some("\"auto\"".into()),
                global: false,
            }
        );
        let b = builder(
            "Arg::new(\"plain\").short('p').action(ArgAction::Count).global(true)",
            "plain",
        );
        assert_eq!(
            (b.name.as_str(), b.ty.as_deref(), b.global),
            ("-p", Some("count"), true)
        );
        let b = builder(
            "Arg::new(\"FILE\").help(\"Use '-' for stdin\").value_parser(value_parser!(PathBuf))",
            "FILE",
        );
        assert_eq!(
            (b.name.as_str(), b.ty.as_deref()),
            ("<FILE>", Some("PathBuf"))
        );
    }

    fn reg(attr: &str, field: &str, ty: &str) -> Option<(String, Option<String>, bool)> {
        registration(attr, field, ty).map(|r| (r.name, r.default, r.global))
    }

    #[test]
    fn names_follow_clap() {
        let name = |a, f| reg(a, f, "bool").map(|r| r.0);
        assert_eq!(
            name("#[arg(long)]", "max_depth").as_deref(),
            Some("--max-depth")
        );
        assert_eq!(
            name("#[arg(long = \"depth\")]", "max_depth").as_deref(),
            Some("--depth")
        );
        assert_eq!(
            name("#[arg(long(\"name\"))]", "name_of").as_deref(),
            Some("--name")
        );
        assert_eq!(
            name("#[arg(short = 'e', hide = true)]", "little").as_deref(),
            Some("-e")
        );
        assert_eq!(
            name("#[arg(short('n'), long)]", "length").as_deref(),
            Some("--length")
        );
        // `long_help` is not `long`: this flag is `-v`.
        assert_eq!(
            name("#[arg(long_help = \"x, y\", short)]", "verbose").as_deref(),
            Some("-v")
        );
        assert_eq!(
            name("#[arg(value_name = \"FILE\")]", "input").as_deref(),
            Some("<FILE>")
        );
        assert_eq!(name("#[arg()]", "path").as_deref(), Some("<PATH>"));
        assert_eq!(name("#[clap(long)]", "r#type").as_deref(), Some("--type"));
    }

    #[test]
    fn subcommands_and_flattened_fields_are_no_flags() {
        assert_eq!(reg("#[clap(subcommand)]", "cmd", "Cmd"), None);
        assert_eq!(reg("#[command(flatten)]", "common", "Common"), None);
        assert_eq!(reg("#[arg(skip)]", "cache", "Cache"), None);
    }

    #[test]
    fn defaults_and_global() {
        let r = |a| reg(a, "depth", "usize").map(|r| (r.1, r.2));
        assert_eq!(
            r("#[arg(long, default_value_t = 3, global = true)]"),
            Some((Some("3".into()), true))
        );
        assert_eq!(
            r("#[arg(long, default_value = \"fifo\")]"),
            Some((Some("\"fifo\"".into()), false))
        );
        assert_eq!(
            r("#[arg(long, value_enum, default_value_t)]"),
            Some((Some("usize::default()".into()), false))
        );
        assert_eq!(
            r("#[arg(long, default_value(formatcp!(\"{X}\")), value_name(\"N\"))]"),
            Some((Some("formatcp!(\"{X}\")".into()), false))
        );
        // `default_value_if` is a conditional default, not the default.
        assert_eq!(
            r("#[arg(long, default_value_if(\"plain\", ArgPredicate::IsPresent, Some(\"never\")))]"),
            Some((None, false))
        );
    }

    #[test]
    fn variant_field_types_and_command_names() {
        assert_eq!(
            field_type(
                "Add { #[arg(long(\"name\"))] name_of: String, force: bool }",
                "name_of"
            ),
            Some("String".into())
        );
        assert_eq!(
            field_type("Add { pub force: Option<Vec<u8>> }", "force"),
            Some("Option<Vec<u8>>".into())
        );
        assert_eq!(kebab("AddRemote"), "add-remote");
        assert_eq!(kebab("Run"), "run");
    }
}
