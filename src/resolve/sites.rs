//! The references the Markdown report shows under its core types: the
//! construction sites of each core struct and the calls of each core
//! interface's methods from other packages. Computed here, before rendering,
//! so the renderer stays a pure function of the model.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::decls::{Class, Decls};
use super::find::{snapshot_of, Hit, HitKind, Search, MAX_FILE_BYTES};
use super::gate::Gate;
use super::graph::{FileGraph, SymbolGraph};
use crate::config::Config;
use crate::model::CONTRACT_KINDS;
use crate::model::{Inventory, Item};
use crate::scan::cache::Cache;
use crate::scan::snapshot::{FileSyntax, SNode};
use crate::scan::walk::SourceFile;
use crate::util::progress::Progress;

/// Source bytes the reference pass reads at once (one larger file runs
/// alone). Peak memory grows with the bytes in flight, but a bound below
/// twice a large file's size serialises a tree's largest files: at 512 KB
/// zellij's four 450 KB test files (parsed here, after the scan's copies)
/// ran one by one with the second thread idle. At 1 MiB two files of up to
/// 512 KB run side by side; prometheus peaks at 83 MB on 2 threads, 103 MB
/// on 8.
const MAX_BYTES_IN_FLIGHT: u64 = 1024 * 1024;
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
    /// Every data and configuration file of the tree (the walk's), sorted.
    pub tree_data_files: Vec<String>,
    /// Top-level keys of the tree's data files, by path (filled by the report command).
    pub data_keys: BTreeMap<String, Vec<crate::scan::data::DataKey>>,
    /// Short scalar values of the tree's data files, by path (filled likewise).
    pub data_values: BTreeMap<String, Vec<crate::scan::data::DataValue>>,
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

/// Whether `text` may hold a string literal naming a data file: it has a
/// data extension right before a closing quote. Only such files are parsed
/// for literals.
fn may_name_data_file(text: &str) -> bool {
    // One pass over the dots, not one search per extension and quote.
    let bytes = text.as_bytes();
    memchr::memchr_iter(b'.', bytes).any(|at| {
        let rest = &bytes[at + 1..];
        DATA_EXTENSIONS.iter().any(|e| {
            rest.starts_with(e.as_bytes()) && matches!(rest.get(e.len()), Some(b'"' | b'`'))
        })
    })
}

/// A string literal with a data extension, as the tree shows it; whether it
/// names a file of the repository is asked later, of the file system.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct DataLiteral {
    line: u32,
    /// The literal's text, without quotes.
    literal: String,
    /// The call or macro the literal is an argument of.
    site: Option<String>,
}

/// The string literals of a parsed file whose text ends in a data extension.
fn data_literals(syntax: &FileSyntax) -> Vec<DataLiteral> {
    let text = syntax.text.as_str();
    let mut out = Vec::new();
    let mut stack = vec![syntax.root(0)];
    while let Some(n) = stack.pop() {
        stack.extend(n.named_children());
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
        let has_data_ext = lit
            .rsplit_once('.')
            .is_some_and(|(_, ext)| DATA_EXTENSIONS.contains(&ext));
        if has_data_ext {
            out.push(DataLiteral {
                line: u32::try_from(n.start_position().row + 1).unwrap_or(u32::MAX),
                literal: lit.to_string(),
                site: loading_site(n, text),
            });
        }
    }
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
        .find(|p| crate::util::probe::is_file(root, p))
}

/// The function or macro a literal is passed to, a few levels up.
fn loading_site(n: SNode, text: &str) -> Option<String> {
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
    /// Calls of an interface's or trait's methods, its own package's included.
    pub calls: Vec<Hit>,
}

/// What one file contributes to the reference pass.
#[derive(Default)]
struct FileUses {
    uses: FileGraph,
    literals: Vec<DataLiteral>,
}

/// Counts of the reference pass, for `--stats` and the cache tests.
#[derive(Debug, Default)]
struct Counts {
    read: AtomicUsize,
    /// Files whose uses or literals were found in a parse of this run.
    parsed: AtomicUsize,
    /// Of those, files parsed by the scan (its copy of their syntax).
    by_scan: AtomicUsize,
    cached: AtomicUsize,
}

/// The uses and data literals of one file: each from the cache when it has a
/// valid entry, else from the copy of its syntax the scan took (`syntax`),
/// else from the one parse of the file in this run (and stored).
fn file_uses(
    search: &Search,
    decls: &Decls,
    search_context: &[u8],
    cache: Option<&Cache>,
    counts: &Counts,
    file: &SourceFile,
    syntax: Option<FileSyntax>,
) -> FileUses {
    if file.size > MAX_FILE_BYTES {
        return FileUses::default();
    }
    let read;
    let text = match &syntax {
        Some(s) => s.text.as_str(),
        None => match std::fs::read_to_string(&file.abs) {
            Ok(t) => {
                read = t;
                read.as_str()
            }
            Err(_) => return FileUses::default(),
        },
    };
    counts.read.fetch_add(1, Ordering::Relaxed);
    let want_uses = search.may_reference(text);
    let want_literals = may_name_data_file(text);
    if !want_uses && !want_literals {
        return FileUses::default();
    }
    // The uses depend on the file's path and test status besides the search.
    let mut context = search_context.to_vec();
    context.extend_from_slice(file.rel.as_bytes());
    context.push(u8::from(file.test_by_path));
    let uses_key = cache
        .filter(|_| want_uses)
        .map(|_| Cache::derived_key("uses", file.lang, &context, text));
    let literals_key = cache
        .filter(|_| want_literals)
        .map(|_| Cache::derived_key("data-literals", file.lang, &[], text));
    // Stored as JSON: postcard cannot read back the fields `Hit` skips when empty.
    let stored: Option<String> = cache.zip(uses_key.as_ref()).and_then(|(c, k)| c.get(k));
    let mut uses: Option<Vec<(String, Hit)>> = stored.and_then(|j| serde_json::from_str(&j).ok());
    let mut literals: Option<Vec<DataLiteral>> =
        cache.zip(literals_key.as_ref()).and_then(|(c, k)| c.get(k));
    let need_uses = want_uses && uses.is_none();
    let need_literals = want_literals && literals.is_none();
    if need_uses || need_literals {
        counts.parsed.fetch_add(1, Ordering::Relaxed);
        if syntax.is_some() {
            counts.by_scan.fetch_add(1, Ordering::Relaxed);
        }
        let parsed_here = match &syntax {
            Some(_) => None,
            None => snapshot_of(file, text),
        };
        if let Some(syntax) = syntax.as_ref().or(parsed_here.as_ref()) {
            if need_uses {
                let found = search.file_uses(file, syntax);
                // Serialized only when there is a cache to store it in.
                if let (Some(c), Some(k)) = (cache, &uses_key) {
                    if let Ok(json) = serde_json::to_string(&found) {
                        c.put(k, &json);
                    }
                }
                uses = Some(found);
            }
            if need_literals {
                let found = data_literals(syntax);
                if let (Some(c), Some(k)) = (cache, &literals_key) {
                    c.put(k, &found);
                }
                literals = Some(found);
            }
        }
    } else {
        counts.cached.fetch_add(1, Ordering::Relaxed);
    }
    FileUses {
        uses: FileGraph::new(uses.unwrap_or_default(), |key, h| listed(decls, key, h)),
        literals: literals.unwrap_or_default(),
    }
}

/// Whether the report may list this use under a type it shows (what
/// [`report_uses`] picks): a construction of a type, or a call of a method
/// of an interface or trait, or of a trait impl. Only those keep their source
/// line, symbol and enclosing function in the graph.
fn listed(decls: &Decls, key: &str, h: &Hit) -> bool {
    let Some(d) = decls.get_key(key) else {
        return false;
    };
    match h.kind {
        HitKind::Construct => d.class == Class::Type,
        HitKind::Call => {
            d.trait_impl.is_some()
                || (d.class == Class::Method
                    && decls
                        .get(&d.path[..d.path.len() - 1])
                        .map_or(true, |o| CONTRACT_KINDS.contains(&o.kind.as_str())))
        }
        _ => false,
    }
}

/// The report's reference pass over `files` (the walk of the repository
/// `config` reads, test files included): the symbol graph of every
/// declaration of `decls`, and the data files the code names. It reads the
/// copies of syntax the scan took (`syntax[i]` of `files[i]`; missing or
/// `None`: not parsed by the scan), and parses only the files the scan did
/// not: each file is parsed at most once in a run, and not at all when the
/// cache holds its results for the same text and the same declarations.
pub(crate) fn reference_pass_over(
    config: &Config,
    files: &[SourceFile],
    mut syntax: Vec<Option<FileSyntax>>,
    decls: &Decls,
) -> anyhow::Result<(SymbolGraph, Vec<DataFile>)> {
    syntax.resize_with(files.len(), || None);
    if config.stats {
        let copies = syntax.iter().flatten();
        eprintln!(
            "planrecon: stats: syntax copied by the scan: {} files, {} MB",
            copies.clone().count(),
            copies.map(FileSyntax::heap_bytes).sum::<usize>() / (1024 * 1024)
        );
    }
    let start = std::time::Instant::now();
    // The report lists construction sites and calls (with their source
    // lines and enclosing functions); of every other use the ranking reads
    // only where it is and what it names.
    let search = Search::all(decls).slimmed();
    let cache = config.cache_dir.as_deref().map(Cache::new);
    let search_context = match &cache {
        Some(_) => search.fingerprint().as_bytes().to_vec(),
        None => Vec::new(),
    };
    let counts = Counts::default();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(config.threads)
        .build()?;
    let progress = Progress::new(files.len() as u64, start, "files (references)");
    let gate = Gate::new(MAX_BYTES_IN_FLIGHT);
    // The files the scan copied go first: their copies are freed as they
    // are read, before the files it did not copy (tests) are parsed here.
    let mut jobs: Vec<(usize, Option<FileSyntax>)> = syntax.into_iter().enumerate().collect();
    jobs.sort_by_key(|(i, s)| (s.is_none(), *i));
    let found: Vec<(usize, FileUses)> = pool.install(|| {
        jobs.into_par_iter()
            // One file per job, as in the scan: coarse chunks leave a thread idle.
            .with_max_len(1)
            .map(|(i, syntax)| {
                let _pass = gate.enter(files[i].size);
                let uses = file_uses(
                    &search,
                    decls,
                    &search_context,
                    cache.as_ref(),
                    &counts,
                    &files[i],
                    syntax,
                );
                progress.tick();
                (i, uses)
            })
            .collect()
    });
    let mut per_file: Vec<FileUses> = std::iter::repeat_with(FileUses::default)
        .take(files.len())
        .collect();
    for (i, uses) in found {
        per_file[i] = uses;
    }
    progress.finish();
    if config.stats {
        eprintln!(
            "planrecon: stats: references: files read {}, parsed {} ({} of them by the scan), from cache {}, {} ms",
            counts.read.load(Ordering::Relaxed),
            counts.parsed.load(Ordering::Relaxed),
            counts.by_scan.load(Ordering::Relaxed),
            counts.cached.load(Ordering::Relaxed),
            start.elapsed().as_millis()
        );
    }
    let mut uses = Vec::with_capacity(files.len());
    let mut data_files = Vec::new();
    for (f, found) in files.iter().zip(per_file) {
        uses.push((f.rel.clone(), found.uses));
        let dir = f.rel.rsplit_once('/').map_or("", |(d, _)| d);
        for lit in found.literals {
            if let Some(path) = existing_data_file(&config.root, dir, &lit.literal) {
                data_files.push(DataFile {
                    test: f.test_by_path,
                    file: f.rel.clone(),
                    line: lit.line,
                    literal: lit.literal,
                    path,
                    site: lit.site,
                });
            }
        }
    }
    data_files.sort();
    let graph = SymbolGraph::new(uses);
    if config.stats {
        let (count, bytes) = graph.size();
        eprintln!(
            "planrecon: stats: symbol graph: {count} uses, {} MB",
            bytes / (1024 * 1024)
        );
    }
    Ok((graph, data_files))
}

/// The references the report lists under the types it shows (`shown`): the
/// construction sites of each data type and the calls of each interface's or
/// trait's methods (the trait impls' methods included), its own package's too,
/// read from the symbol graph; exact uses only.
pub(crate) fn report_uses(
    graph: &SymbolGraph,
    _inv: &Inventory,
    decls: &Decls,
    shown: &[&Item],
    data_files: Vec<DataFile>,
) -> ReportUses {
    let mut out = ReportUses {
        data_files,
        ..ReportUses::default()
    };
    // Key of a declaration whose uses a shown type lists → (its citation, package, contract?).
    let mut owner: BTreeMap<&str, (String, &str, bool)> = BTreeMap::new();
    for i in shown {
        let contract = CONTRACT_KINDS.contains(&i.kind.as_str());
        let mut method_names = BTreeSet::new();
        for d in decls.all.iter().filter(|d| d.file == i.file) {
            let found = if contract {
                d.class == Class::Method
                    && d.parent.as_deref() == Some(i.name.as_str())
                    && d.line >= i.line
                    && d.end_line <= i.end_line
            } else {
                d.class == Class::Type && d.line == i.line && d.name == i.name
            };
            if found {
                owner.insert(&d.key, (i.citation(), i.package.as_str(), contract));
                if contract {
                    method_names.insert(d.name.as_str());
                }
            }
        }
        // A trait's methods are also called through its impls.
        for d in decls.all.iter().filter(|d| {
            d.trait_impl.as_deref() == Some(i.name.as_str())
                && method_names.contains(d.name.as_str())
        }) {
            owner
                .entry(&d.key)
                .or_insert_with(|| (i.citation(), i.package.as_str(), contract));
        }
    }
    for u in graph.exact() {
        let Some((citation, _, contract)) = owner.get(u.key()) else {
            continue;
        };
        let uses = out.by_item.entry(citation.clone()).or_default();
        if *contract {
            // Callers in the contract's own package count too: they are the
            // sites a new implementation must satisfy (`sim.latencyModel.StepTime`).
            if u.kind() == HitKind::Call {
                uses.calls.push(u.hit());
            }
        } else if u.kind() == HitKind::Construct {
            uses.constructs.push(u.hit());
        }
    }
    for u in out.by_item.values_mut() {
        u.calls.dedup();
        u.constructs.dedup();
    }
    out
}
