//! The CLI surface: one table row per flag registration — `--name`, type,
//! default, the variable or field it binds, the command, and the citation.
//! Read from the registration's own text (`Flags().IntVarP(&o.Limit,
//! "limit", "L", 30, …)`, `flaggy.Bool(&v, "l", "logs", …)`,
//! `cmdutil.StringEnumFlag(cmd, &o.State, "state", …)`, `#[arg(long)]`
//! fields, `Arg::new("x")`, kong command structs' fields); reads such as `Changed("x")` are no
//! registrations and never reach this table (see `queries/go/facts.scm`).

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::clap::Fields;
use super::{more, Ctx, Fit};
use crate::model::{cite, FileNotes, Site, SiteKind};
use crate::render::markdown::{cell, code};

/// Flag types of Go registration functions (`Int64VarP` → `int64`).
const GO_TYPES: &[&str] = &[
    "BoolSlice",
    "Bool",
    "Count",
    "DurationSlice",
    "Duration",
    "Float32",
    "Float64",
    "Int64",
    "Int32",
    "Int16",
    "Int8",
    "IntSlice",
    "Int",
    "StringArray",
    "StringSlice",
    "StringToString",
    "String",
    "Uint64",
    "Uint32",
    "Uint",
    "Func",
    "Text",
    "Var",
];

/// One row of the table.
pub(super) struct Flag {
    pub name: String,
    kind: String,
    /// The default as a code span (`` `"fifo"` ``), or `—`.
    pub default: String,
    target: String,
    command: String,
    pub citation: String,
    persistent: bool,
}

pub(super) fn render(ctx: &Ctx, budget: usize) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "### 4. CLI surface\n");
    let mut seen = BTreeSet::new();
    let fields = Fields::new(&ctx.inv.items);
    let mut flags: Vec<Flag> = ctx
        .sites(SiteKind::Flag)
        .into_iter()
        .filter(|(n, s)| seen.insert((n.file.as_str(), s.line, s.name.as_str())))
        .filter_map(|(n, s)| flag(n, s, &fields))
        .collect();
    flags.extend(
        super::kong::flags(ctx.inv)
            .into_iter()
            .filter(|k| ctx.in_focus(&k.package))
            .map(|k| Flag {
                name: k.name,
                kind: code(&k.ty),
                default: k.default.map_or_else(|| "—".into(), |d| code(&d)),
                target: k.binds,
                command: code(&k.command),
                citation: cite(&k.file, k.line, k.end_line),
                persistent: k.global,
            }),
    );
    if flags.is_empty() {
        let _ = writeln!(
            out,
            "*uncertain*: no flag registration found (Go `flag`, pflag/cobra, kingpin, urfave/cli, flaggy, kong struct tags; clap \
             `#[arg]` fields and `Arg::new`).\n"
        );
        return out;
    }
    // Persistent (global) flags first, then by file and line.
    flags.sort_by_key(|f| !f.persistent);
    // One command for all: said once, not per row.
    let one_command = flags
        .iter()
        .all(|f| f.command == flags[0].command && f.command != "—");
    let on = if one_command {
        format!(", all on {}", flags[0].command)
    } else {
        String::new()
    };
    let _ = writeln!(
        out,
        "{} registrations (persistent flags first, then by file){on}:\n",
        flags.len()
    );
    let head = if one_command {
        "| flag | registered | type | default | binds |\n|---|---|---|---|---|\n"
    } else {
        "| flag | registered | type | default | binds | command |\n|---|---|---|---|---|---|\n"
    };
    let mut fit = Fit::new(budget.saturating_sub(super::count_tokens(&out)), ctx.top);
    if !fit.spend(head) {
        return out;
    }
    out.push_str(head);
    let mut shown = 0;
    for f in &flags {
        let mut row = format!(
            "| {} | `{}` | {} | {} | {} |",
            cell(&code(&f.name)),
            f.citation,
            cell(&f.kind),
            cell(&f.default),
            cell(&bound(ctx, f)),
        );
        if !one_command {
            let _ = write!(row, " {} |", cell(&f.command));
        }
        row.push('\n');
        if !fit.take(&row) {
            break;
        }
        out.push_str(&row);
        shown += 1;
    }
    out.push('\n');
    more(
        &mut out,
        flags.len(),
        shown,
        "flags",
        "`--focus PKG` lists a command package's",
    );
    if flags.len() > shown {
        out.push('\n');
    }
    out
}

/// The bound variable, with its declaration line when it is a package-level
/// variable of the registration's file (`` `limit`:28 ``).
fn bound(ctx: &Ctx, f: &Flag) -> String {
    let file = f.citation.split(':').next().unwrap_or("");
    let name = f.target.trim_matches('`');
    ctx.inv
        .items
        .iter()
        .find(|i| i.file == file && i.kind == "var" && i.name == name && i.parent.is_none())
        .map_or_else(|| f.target.clone(), |i| format!("{}:{}", f.target, i.line))
}

/// The row of one registration site; `None` for a clap derive field that
/// registers no flag (`#[clap(subcommand)]`, `flatten`, `skip`).
pub(super) fn flag(n: &FileNotes, s: &Site, fields: &Fields) -> Option<Flag> {
    let citation = cite(&n.file, s.line, s.end_line);
    let command = command_of(&n.file, &s.text);
    let dash = |name: &str| {
        if name.len() == 1 {
            format!("-{name}")
        } else {
            format!("--{name}")
        }
    };
    if s.text.starts_with("#[") {
        let field = fields.get(&n.file, s.end_line, &s.name);
        let ty = field.as_ref().map_or("", |f| f.ty.as_str());
        let reg = super::clap::registration(&s.text, &s.name, ty)?;
        return Some(Flag {
            name: reg.name,
            kind: if ty.is_empty() {
                "—".into()
            } else {
                code(ty)
            },
            default: reg.default.map_or_else(|| "—".into(), |d| code(&d)),
            target: code(&s.name),
            command: field.map_or_else(|| "—".into(), |f| f.command),
            citation,
            persistent: reg.global,
        });
    }
    if s.text.starts_with("Arg::") {
        let chain = s.extra.as_deref().unwrap_or(&s.text);
        let b = super::clap::builder(chain, &s.name);
        return Some(Flag {
            name: b.name,
            kind: b.ty.map_or_else(|| "—".into(), |t| code(&t)),
            default: b.default.map_or_else(|| "—".into(), |d| code(&d)),
            target: "—".into(),
            command,
            citation,
            persistent: b.global,
        });
    }
    let (func, args) = call_parts(&s.text);
    let args: Vec<&str> = args.iter().map(|a| a.trim()).collect();
    let at = args
        .iter()
        .position(|a| a.trim_matches('"') == s.name && a.starts_with('"'))
        .unwrap_or(0);
    let target = args
        .iter()
        .take(at)
        .find(|a| a.starts_with('&'))
        .map(|a| code(a.trim_start_matches('&')))
        .unwrap_or_else(|| "—".into());
    let base = func.rsplit('.').next().unwrap_or(&func);
    let short_follows = base.ends_with('P') || func.starts_with("flaggy.");
    let kind = GO_TYPES
        .iter()
        .find(|t| base.starts_with(**t))
        .map(|t| t.to_ascii_lowercase())
        .unwrap_or_else(|| {
            // clap's builder and hand-written flag tables (`fn name_long`)
            // say nothing of the type at the site.
            if s.text.starts_with("Arg::") || s.text.starts_with("fn ") {
                "—".into()
            } else {
                base.to_string()
            }
        });
    // After the name: the short name (`…P` forms), then the default.
    let default_at = if short_follows && !func.starts_with("flaggy.") {
        at + 2
    } else {
        at + 1
    };
    let default =
        if func.starts_with("flaggy.") || base.ends_with("Flag") || s.text.starts_with("Arg::") {
            "—".to_string()
        } else {
            args.get(default_at)
                .filter(|_| args.len() > default_at + 1)
                .map(|d| code(d))
                .unwrap_or_else(|| "—".into())
        };
    Some(Flag {
        name: dash(&s.name),
        kind,
        default,
        target,
        command,
        citation,
        persistent: s.text.contains("PersistentFlags()"),
    })
}

/// The command a registration belongs to: the variable the flag set hangs
/// off when it is named (`runCmd.Flags()`), else the package directory
/// under the last `cmd/` (`pkg/cmd/issue/list` → `issue list`).
fn command_of(file: &str, text: &str) -> String {
    if let Some(at) = text
        .find(".Flags()")
        .or_else(|| text.find(".PersistentFlags()"))
    {
        let recv = &text[..at];
        if !matches!(recv, "cmd" | "c" | "command" | "cc")
            && recv.chars().all(|c| c.is_alphanumeric() || c == '_')
        {
            return code(recv);
        }
    }
    let dir = file.rsplit_once('/').map_or("", |(d, _)| d);
    match dir.rsplit_once("cmd/") {
        Some((_, rest)) if !rest.is_empty() => rest.replace('/', " "),
        _ => "—".to_string(),
    }
}

/// Where the string literal whose opening quote is `bytes[open]` ends: the
/// index of its closing quote (escapes skipped), or the end of `bytes`.
pub(super) fn string_end(bytes: &[u8], open: usize) -> usize {
    let mut i = open + 1;
    while i < bytes.len() && bytes[i] != b'"' {
        if bytes[i] == b'\\' {
            i += 1;
        }
        i += 1;
    }
    i
}

/// The function of a call's text and its top-level arguments.
pub(super) fn call_parts(text: &str) -> (String, Vec<&str>) {
    let text = text.trim_start_matches('&');
    let Some(open) = text.find(['(', '{']) else {
        return (text.to_string(), Vec::new());
    };
    // The last call of a chain (`cmd.Flags().IntVar(…)`): its open paren.
    let mut open = open;
    let mut depth = 0i32;
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut last_open = open;
    while i < bytes.len() {
        match bytes[i] {
            b'(' | b'{' => {
                if depth == 0 {
                    last_open = i;
                }
                depth += 1;
            }
            b')' | b'}' => depth -= 1,
            b'"' => i = string_end(bytes, i),
            _ => {}
        }
        i += 1;
    }
    if last_open > open {
        open = last_open;
    }
    let func = text[..open].to_string();
    let mut args = Vec::new();
    let (mut depth, mut start, mut in_str) = (0i32, open + 1, false);
    let mut prev = b' ';
    for (k, &b) in bytes.iter().enumerate().skip(open + 1) {
        if in_str {
            if b == b'"' && prev != b'\\' {
                in_str = false;
            }
            prev = b;
            continue;
        }
        match b {
            b'"' => in_str = true,
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' if depth == 0 => {
                args.push(&text[start..k]);
                return (func, args);
            }
            b')' | b']' | b'}' => depth -= 1,
            b',' if depth == 0 => {
                args.push(&text[start..k]);
                start = k + 1;
            }
            _ => {}
        }
        prev = b;
    }
    if start < text.len() {
        args.push(&text[start..]);
    }
    (func.trim_end_matches(['.']).to_string(), args)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn call_parts_take_the_last_call_of_a_chain() {
        let (f, a) =
            call_parts("cmd.Flags().IntVarP(&opts.Limit, \"limit\", \"L\", 30, \"max, or not\")");
        assert_eq!(f, "cmd.Flags().IntVarP");
        assert_eq!(
            a,
            [
                "&opts.Limit",
                " \"limit\"",
                " \"L\"",
                " 30",
                " \"max, or not\""
            ]
        );
    }

    #[test]
    fn flag_tables_name_no_type() {
        let n = FileNotes {
            file: "crates/core/flags/defs.rs".into(),
            ..FileNotes::default()
        };
        let s = Site {
            kind: SiteKind::Flag,
            line: 242,
            end_line: 244,
            name: "after-context".into(),
            text: "fn name_long(&self) -> &'static str { \"after-context\" }".into(),
            extra: None,
        };
        let f = flag(&n, &s, &Fields::new(&[])).expect("a flag");
        assert_eq!(
            (f.name.as_str(), f.kind.as_str(), f.default.as_str()),
            ("--after-context", "—", "—")
        );
    }

    #[test]
    fn rows_read_type_default_and_target() {
        let n = FileNotes {
            file: "pkg/cmd/issue/list/list.go".into(),
            ..FileNotes::default()
        };
        let s = Site {
            kind: SiteKind::Flag,
            line: 7,
            end_line: 7,
            name: "limit".into(),
            text: "cmd.Flags().IntVarP(&opts.LimitResults, \"limit\", \"L\", 30, \"Maximum\")"
                .into(),
            extra: None,
        };
        let fields = Fields::new(&[]);
        let f = flag(&n, &s, &fields).expect("a Go registration is a flag");
        assert_eq!(
            (
                f.name.as_str(),
                f.kind.as_str(),
                f.default.as_str(),
                f.target.as_str(),
                f.command.as_str()
            ),
            (
                "--limit",
                "int",
                "`30`",
                "`opts.LimitResults`",
                "issue list"
            )
        );
        let s = Site {
            text: "runCmd.Flags().Float64Var(&routingCacheWeight, \"routing-cache-weight\", 0.6, \"w\")".into(),
            name: "routing-cache-weight".into(),
            ..s
        };
        let f = flag(
            &FileNotes {
                file: "cmd/root.go".into(),
                ..FileNotes::default()
            },
            &s,
            &fields,
        )
        .expect("a Go registration is a flag");
        assert_eq!(
            (
                f.kind.as_str(),
                f.default.as_str(),
                f.target.as_str(),
                f.command.as_str()
            ),
            ("float64", "`0.6`", "`routingCacheWeight`", "`runCmd`")
        );
    }
}
