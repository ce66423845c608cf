//! kong (`github.com/alecthomas/kong`) command structs: kong registers a flag
//! for every exported field of a command struct, so its CLI surface is the
//! struct fields themselves, not calls. The flag's spelling is kong's (the
//! field name split at case and digit changes, joined with `-`, lower case;
//! `name:"x"` renames it; `arg:""` is a positional `<name>`), its default the
//! `default:"…"` tag as written, its command the `cmd:""` field that names the
//! struct. `embed:""` groups are one row (`--cursor.*`), `kong:"-"` and
//! `cmd:""` fields are no flags.
//!
//! Read only when a non-test Go file of the tree imports kong; a struct is a
//! command struct when a field carries `cmd`, `arg` or `help` tags, or when a
//! command struct's `cmd:""` or `embed:""` field names it.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{FileNotes, Inventory, Item};

/// kong's import path.
const KONG: &str = "github.com/alecthomas/kong";

/// One flag (or positional argument, or embedded group) of a command struct.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct KongFlag {
    /// `--limit`, `--version, -v`, `<options>`, `--cursor.*`.
    pub name: String,
    /// The field's declared type, with `(negatable)` when `--no-x` is accepted.
    pub ty: String,
    /// The `default:"…"` tag as written (quoted for strings), if any.
    pub default: Option<String>,
    /// The field (`Options.Limit`) and its environment variable, if any.
    pub binds: String,
    /// The command path (`choose`, `config set`), the root struct's name for
    /// its own flags, `embedded` for a group's members.
    pub command: String,
    /// The package declaring the struct (what `--focus` selects).
    pub package: String,
    pub file: String,
    pub line: u32,
    pub end_line: u32,
    /// The root struct's flags apply to every command.
    pub global: bool,
}

/// Every kong flag of the tree, in file and line order; empty when no
/// non-test Go file imports kong.
pub(super) fn flags(inv: &Inventory) -> Vec<KongFlag> {
    let uses_kong = inv
        .notes
        .iter()
        .any(|n| n.language == "go" && !n.test && n.imports.iter().any(|i| i.path == KONG));
    if !uses_kong {
        return Vec::new();
    }
    let structs: Vec<&Item> = inv
        .items
        .iter()
        .filter(|i| i.language == "go" && i.kind == "struct" && !i.test && !i.generated)
        .collect();
    let by_name: BTreeMap<(&str, &str), usize> = structs
        .iter()
        .enumerate()
        .map(|(k, i)| ((i.package.as_str(), i.name.as_str()), k))
        .collect();
    let notes: BTreeMap<&str, &FileNotes> =
        inv.notes.iter().map(|n| (n.file.as_str(), n)).collect();
    let target = |owner: &Item, ty: &str| -> Option<usize> {
        let ty = ty.trim_start_matches(['*', '[', ']']);
        let (package, name) = match ty.split_once('.') {
            Some((q, name)) => (import_path(notes.get(owner.file.as_str())?, q)?, name),
            None => (owner.package.as_str(), ty),
        };
        by_name.get(&(package, name)).copied()
    };
    // Command structs and the command each is: roots first, then along `cmd`.
    let tagged = |i: &Item, keys: &[&str]| {
        fields(i).any(|(_, _, tags)| tags.iter().any(|(k, _)| keys.contains(k)))
    };
    let mut command: BTreeMap<usize, String> = BTreeMap::new();
    let mut embedded: BTreeSet<usize> = BTreeSet::new();
    let mut named: BTreeSet<usize> = BTreeSet::new();
    for i in &structs {
        for (_, ty, tags) in fields(i) {
            if has(&tags, "cmd") || has(&tags, "embed") {
                if let Some(t) = target(i, ty) {
                    named.insert(t);
                }
            }
        }
    }
    let mut queue: Vec<usize> = (0..structs.len())
        .filter(|k| !named.contains(k) && tagged(structs[*k], &["cmd", "arg", "help"]))
        .collect();
    for &k in &queue {
        command.insert(k, String::new());
    }
    while let Some(k) = queue.pop() {
        let i = structs[k];
        let path = command.get(&k).cloned().unwrap_or_default();
        for (name, ty, tags) in fields(i) {
            let Some(t) = target(i, ty) else { continue };
            if has(&tags, "cmd") && !command.contains_key(&t) {
                let word = get(&tags, "name").map_or_else(|| kebab(name), str::to_string);
                let full = if path.is_empty() {
                    word
                } else {
                    format!("{path} {word}")
                };
                command.insert(t, full);
                queue.push(t);
            } else if has(&tags, "embed") && !command.contains_key(&t) {
                embedded.insert(t);
            }
        }
    }
    let mut out = Vec::new();
    for (k, i) in structs.iter().enumerate() {
        let (cmd, global) = match command.get(&k) {
            Some(c) if c.is_empty() => (i.name.clone(), true),
            Some(c) => (c.clone(), false),
            None if embedded.contains(&k) => ("embedded".to_string(), false),
            None => continue,
        };
        for m in i.members.iter().filter(|m| m.kind == "field") {
            let Some((name, ty, tags)) = field(&m.signature) else {
                continue;
            };
            let exported = name.starts_with(|c: char| c.is_ascii_uppercase());
            if !exported || has(&tags, "cmd") || get(&tags, "kong") == Some("-") {
                continue;
            }
            let spelled = get(&tags, "name").map_or_else(|| kebab(name), str::to_string);
            let flag = if has(&tags, "embed") {
                format!("--{}*", get(&tags, "prefix").unwrap_or(""))
            } else if has(&tags, "arg") {
                format!("<{spelled}>")
            } else {
                match get(&tags, "short") {
                    Some(s) if !s.is_empty() => format!("--{spelled}, -{s}"),
                    _ => format!("--{spelled}"),
                }
            };
            let ty_shown = if has(&tags, "negatable") {
                format!("{ty} (negatable)")
            } else {
                ty.to_string()
            };
            let default = tags.iter().find(|(k, _)| *k == "default").map(|(_, v)| {
                if ty == "string" || v.is_empty() {
                    format!("\"{v}\"")
                } else {
                    v.to_string()
                }
            });
            let env = get(&tags, "env")
                .map(|e| format!(", env `{e}`"))
                .or_else(|| get(&tags, "envprefix").map(|e| format!(", env `{e}*`")))
                .unwrap_or_default();
            out.push(KongFlag {
                name: flag,
                ty: ty_shown,
                default,
                binds: format!("`{}.{name}`{env}", i.name),
                command: cmd.clone(),
                package: i.package.clone(),
                file: i.file.clone(),
                line: m.line,
                end_line: m.end_line,
                global,
            });
        }
    }
    out.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    out
}

/// A struct field as (name, type, tags).
type Field<'s> = (&'s str, &'s str, Vec<(&'s str, &'s str)>);

/// The import path a qualifier names in this file: its alias, else the
/// path's last segment (a `/vN` major-version suffix skipped).
fn import_path<'n>(notes: &'n FileNotes, qualifier: &str) -> Option<&'n str> {
    notes.imports.iter().find_map(|i| {
        let mut segments = i.path.rsplit('/');
        let mut last = segments.next().unwrap_or("");
        if last.starts_with('v') && last[1..].chars().all(|c| c.is_ascii_digit()) && last.len() > 1
        {
            last = segments.next().unwrap_or(last);
        }
        let named = i.alias.as_deref().unwrap_or(last);
        (named == qualifier).then_some(i.path.as_str())
    })
}

/// The fields of a struct item as (name, type, tags); fields without a
/// readable declaration are skipped.
fn fields(i: &Item) -> impl Iterator<Item = Field<'_>> {
    i.members
        .iter()
        .filter(|m| m.kind == "field")
        .filter_map(|m| field(&m.signature))
}

/// `Limit int `help:"…" default:"1"`` → ("Limit", "int", [("help", "…"), ("default", "1")]).
/// An embedded field (`kong.Plugins`) has its type's name and is an `embed`.
fn field(sig: &str) -> Option<Field<'_>> {
    let (decl, tag) = match sig.find('`') {
        Some(at) => (sig[..at].trim(), sig[at..].trim_matches('`')),
        None => (sig.trim(), ""),
    };
    let mut tags = tags(tag);
    let (name, ty) = match decl.split_once(char::is_whitespace) {
        Some((n, t)) => (n, t.trim()),
        None => {
            // kong flattens an embedded struct's flags into the command.
            if !has(&tags, "embed") {
                tags.push(("embed", ""));
            }
            let base = decl.rsplit('.').next()?.trim_start_matches('*');
            (base, decl)
        }
    };
    Some((name, ty, tags))
}

/// The `key:"value"` pairs of a Go struct tag, values as written (escapes kept).
fn tags(tag: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    let mut rest = tag.trim();
    while let Some(colon) = rest.find(":\"") {
        let key = rest[..colon].trim();
        let body = &rest[colon + 2..];
        let mut end = None;
        let mut escaped = false;
        for (k, c) in body.char_indices() {
            match c {
                '\\' if !escaped => escaped = true,
                '"' if !escaped => {
                    end = Some(k);
                    break;
                }
                _ => escaped = false,
            }
        }
        let Some(end) = end else { break };
        if !key.is_empty() && !key.contains(char::is_whitespace) {
            out.push((key, &body[..end]));
        }
        rest = body[end + 1..].trim_start();
    }
    out
}

fn has(tags: &[(&str, &str)], key: &str) -> bool {
    tags.iter().any(|(k, _)| *k == key)
}

fn get<'t>(tags: &[(&str, &'t str)], key: &str) -> Option<&'t str> {
    tags.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
}

/// kong's flag name of a field: split where the character class changes
/// (lower, upper, digit, other), an upper-case run giving its last letter to
/// a following lower-case run (`StripANSI` → `strip-ansi`, `HTTPServer` →
/// `http-server`, `Int64` → `int-64`), joined with `-`, lower case.
pub(super) fn kebab(name: &str) -> String {
    fn class(c: char) -> u8 {
        if c.is_lowercase() {
            1
        } else if c.is_uppercase() {
            2
        } else if c.is_ascii_digit() {
            3
        } else {
            4
        }
    }
    let mut runs: Vec<Vec<char>> = Vec::new();
    let mut last = 0;
    for c in name.chars() {
        let k = class(c);
        match runs.last_mut() {
            Some(run) if k == last => run.push(c),
            _ => runs.push(vec![c]),
        }
        last = k;
    }
    for k in 0..runs.len().saturating_sub(1) {
        let upper_then_lower = runs[k].first().is_some_and(|c| c.is_uppercase())
            && runs[k + 1].first().is_some_and(|c| c.is_lowercase());
        if upper_then_lower {
            if let Some(moved) = runs[k].pop() {
                runs[k + 1].insert(0, moved);
            }
        }
    }
    runs.iter()
        .filter(|r| !r.is_empty())
        .map(|r| r.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kebab_follows_kongs_camel_case_split() {
        assert_eq!(kebab("Limit"), "limit");
        assert_eq!(kebab("NoLimit"), "no-limit");
        assert_eq!(kebab("StripANSI"), "strip-ansi");
        assert_eq!(kebab("HTTPServer"), "http-server");
        assert_eq!(kebab("Int64Val"), "int-64-val");
        assert_eq!(kebab("SelectIfOne"), "select-if-one");
    }

    #[test]
    fn tags_keep_values_as_written() {
        assert_eq!(
            tags(r#"help:"Option \"delimiter\"" default:"\n" negatable:"""#),
            vec![
                ("help", r#"Option \"delimiter\""#),
                ("default", r"\n"),
                ("negatable", "")
            ]
        );
        assert_eq!(
            field("Limit int `help:\"max\" default:\"1\"`"),
            Some(("Limit", "int", vec![("help", "max"), ("default", "1")]))
        );
        assert_eq!(
            field("kong.Plugins"),
            Some(("Plugins", "kong.Plugins", vec![("embed", "")]))
        );
    }
}
