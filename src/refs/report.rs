//! The references the Markdown report shows under its core types: the
//! construction sites of each core struct and the calls of each core
//! interface's methods from other packages. Computed here, before rendering,
//! so the renderer stays a pure function of the model.

use std::collections::BTreeMap;

use super::decls::{Class, Decls, Symbol};
use super::find::{find_refs_in, Hit, HitKind};
use crate::config::Config;
use crate::model::{cite, Inventory, Item};
use crate::rank::CONTRACT_KINDS;

/// Extensions of the data and configuration files section 5 lists.
const DATA_EXTENSIONS: &[&str] = &[
    "yaml", "yml", "json", "toml", "csv", "tmpl", "tpl", "gotmpl", "hbs", "j2",
];

/// References of the types a report shows, by the type's citation, and the
/// repository files the code names.
#[derive(Debug, Default)]
pub(crate) struct ReportUses {
    pub by_item: BTreeMap<String, TypeUses>,
    /// Non-test code first, then by the literal's file and line.
    pub data_files: Vec<DataFile>,
}

/// A string literal in code that names a data or configuration file present
/// in the repository.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct DataFile {
    /// Whether the literal is in test code (by path). First: the derived order lists code before tests.
    pub test: bool,
    /// Where the literal is.
    pub file: String,
    pub line: u32,
    /// The literal's text, without quotes.
    pub literal: String,
    /// The repository path it names.
    pub path: String,
    /// The call or macro the literal is an argument of (`os.ReadFile`, `include_str!`).
    pub site: Option<String>,
}

/// String literals of `files` that name files present under `root` with a
/// data extension, relative to the root or to the literal's directory.
fn data_files(root: &std::path::Path, files: &[crate::walk::SourceFile]) -> Vec<DataFile> {
    let mut out = Vec::new();
    for f in files {
        let Ok(text) = std::fs::read_to_string(&f.abs) else {
            continue;
        };
        // Only files that mention a data extension inside quotes are parsed.
        if !DATA_EXTENSIONS
            .iter()
            .any(|e| text.contains(&format!(".{e}\"")) || text.contains(&format!(".{e}`")))
        {
            continue;
        }
        let Some(Some(tree)) =
            crate::parse::with_parser(f.lang, |p| crate::parse::parse_text(p, &text))
        else {
            continue;
        };
        let dir = f.rel.rsplit_once('/').map_or("", |(d, _)| d);
        let mut stack = vec![tree.root_node()];
        while let Some(n) = stack.pop() {
            let mut cursor = n.walk();
            stack.extend(n.named_children(&mut cursor));
            if !matches!(
                n.kind(),
                "interpreted_string_literal" | "raw_string_literal" | "string_literal"
            ) {
                continue;
            }
            let raw = &text[n.byte_range()];
            let lit = raw
                .trim_start_matches(['r', '#'])
                .trim_matches(['"', '`', '#']);
            let Some(path) = existing_data_file(root, dir, lit) else {
                continue;
            };
            out.push(DataFile {
                test: f.test_by_path,
                file: f.rel.clone(),
                line: u32::try_from(n.start_position().row + 1).unwrap_or(u32::MAX),
                literal: lit.to_string(),
                path,
                site: loading_site(n, &text),
            });
        }
    }
    out.sort();
    out
}

/// The repository path `lit` names, if it is a plain relative path with a
/// data extension to a file that exists (from the root, else from `dir`).
fn existing_data_file(root: &std::path::Path, dir: &str, lit: &str) -> Option<String> {
    let ext = lit.rsplit_once('.')?.1;
    if !DATA_EXTENSIONS.contains(&ext)
        || lit.starts_with('/')
        || lit.contains('\\')
        || lit
            .split('/')
            .any(|c| c.is_empty() || c == "." || c == "..")
    {
        return None;
    }
    let from_dir = if dir.is_empty() {
        lit.to_string()
    } else {
        format!("{dir}/{lit}")
    };
    [lit.to_string(), from_dir]
        .into_iter()
        .find(|p| root.join(p).is_file())
}

/// The function or macro a literal is passed to, a few levels up.
fn loading_site(n: tree_sitter::Node, text: &str) -> Option<String> {
    let mut cur = n.parent();
    for _ in 0..4 {
        let p = cur?;
        match p.kind() {
            "call_expression" => {
                return p
                    .child_by_field_name("function")
                    .map(|f| text[f.byte_range()].to_string())
            }
            "macro_invocation" => {
                return p
                    .child_by_field_name("macro")
                    .map(|f| format!("{}!", &text[f.byte_range()]))
            }
            _ => cur = p.parent(),
        }
    }
    None
}

/// What the report lists under one type. Hits are sorted by path, line, column.
#[derive(Debug, Default)]
pub(crate) struct TypeUses {
    /// Construction sites of a struct or other data type, tests included and labelled.
    pub constructs: Vec<Hit>,
    /// Calls of an interface's or trait's methods from outside its package.
    pub calls: Vec<Hit>,
}

/// Find the references of `shown` (the types the report lists) in the
/// repository `config` reads, test files included.
pub(crate) fn report_uses(
    config: &Config,
    inv: &Inventory,
    shown: &[&Item],
) -> anyhow::Result<ReportUses> {
    let walked = crate::walk::walk(config)?;
    let mut out = ReportUses {
        data_files: data_files(&config.root, &walked.files),
        ..ReportUses::default()
    };
    if shown.is_empty() {
        return Ok(out);
    }
    let decls = Decls::new(inv);
    let mut symbols = Vec::new();
    // Display of a searched declaration → (citation of the shown type, its package, contract?).
    let mut owner: BTreeMap<String, (String, &str, bool)> = BTreeMap::new();
    for i in shown {
        let contract = CONTRACT_KINDS.contains(&i.kind.as_str());
        let found = decls.all.iter().filter(|d| {
            d.file == i.file
                && if contract {
                    d.class == Class::Method
                        && d.parent.as_deref() == Some(i.name.as_str())
                        && d.line >= i.line
                        && d.end_line <= i.end_line
                } else {
                    d.class == Class::Type && d.line == i.line && d.name == i.name
                }
        });
        for d in found {
            let display = d.display();
            owner.insert(
                display.clone(),
                (i.citation(), i.package.as_str(), contract),
            );
            symbols.push(Symbol {
                query: display.clone(),
                key: d.key.clone(),
                display,
                kind: d.kind.clone(),
                citation: cite(&d.file, d.line, d.end_line),
            });
        }
    }
    if symbols.is_empty() {
        return Ok(out);
    }
    let package_of: BTreeMap<&str, &str> = inv
        .packages
        .iter()
        .flat_map(|p| {
            p.files
                .iter()
                .chain(&p.test_files)
                .map(move |f| (f.as_str(), p.path.as_str()))
        })
        .collect();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(config.threads)
        .build()?;
    let hits = pool.install(|| find_refs_in(&decls, &walked.files, &symbols));
    for h in hits {
        let Some((citation, package, contract)) = owner.get(&h.symbol) else {
            continue;
        };
        let uses = out.by_item.entry(citation.clone()).or_default();
        if *contract {
            // A caller in the same package is the implementation's own business.
            if h.kind == HitKind::Call && package_of.get(h.file.as_str()) != Some(package) {
                uses.calls.push(h);
            }
        } else if h.kind == HitKind::Construct {
            uses.constructs.push(h);
        }
    }
    Ok(out)
}
