//! The Markdown report: the plan template's Repository Recon appendix, in
//! its order, then the Frozen Interfaces inventory. One module per section.
//!
//! Every confirmed fact is written `` `Name` (`path:start-end`) ``: the name
//! occurs in the cited lines. Derived facts are labelled *inferred*, gaps
//! *uncertain*. Lists are ranked and fitted to a token budget (o200k), never
//! cut silently: what does not fit is counted, with the `--focus`,
//! `--format json` or `refs` that shows it. Pure: a function of the model,
//! the analysis and the options, no filesystem, no parser.

mod clap;
mod constraints;
mod extension;
mod flags;
mod frozen;
mod kong;
mod packages;
mod types;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::sync::OnceLock;

use thiserror::Error;

use crate::analyze::rank::{rank, FileUsers, Ranked, CONTRACT_KINDS};
use crate::analyze::relate::{relate, Graph};
use crate::config::ReportOptions;
use crate::config::Section;
use crate::model::{FileNotes, Inventory, Item, Package, Site, SiteKind};
pub(super) use crate::render::markdown::count;
use crate::render::markdown::{arity, code, first_result, method_tail};
use crate::resolve::graph::TypeUsers;
use crate::resolve::sites::ReportUses;
use crate::scan::lang::{lang_by_name, PackageRule};
use crate::util::tokens::Tokenizer;

/// The Recon appendix's size limit in o200k tokens, on any repository
/// (a margin under the 15k the issue sets, for the header's variable parts).
const RECON_TOKENS: usize = 14_900;
/// The Frozen Interfaces' share: with the appendix, a whole report stays
/// under 25k tokens.
const FROZEN_TOKENS: usize = 9_500;
/// Shares of the appendix per section; core types take what the others leave.
const PACKAGES_TOKENS: usize = 3_600;
const EXTENSION_TOKENS: usize = 700;
const FLAGS_TOKENS: usize = 1_800;
const INVARIANTS_TOKENS: usize = 600;
const DATA_TOKENS: usize = 550;
const BOUNDARIES_TOKENS: usize = 800;
const UNCERTAIN_TOKENS: usize = 500;
/// Types the report details (fields, methods, sites) at most; the rest go
/// to the compact table. [`shown_types`] asks the reference pass for these.
const DETAILED_TYPES: usize = 40;
/// Visibilities that make an item part of the frozen surface.
pub(super) const EXPORTED: &[&str] = &["exported", "pub"];

/// A report that cannot be produced as asked.
#[derive(Debug, Error)]
pub(crate) enum ReportError {
    #[error("--focus {term:?} matches no package; packages include: {known}")]
    UnknownFocus { term: String, known: String },
}

/// What the report derives from the whole model before rendering: the
/// package graph and the ranking of types. Computed once.
pub(crate) struct Analysis<'a> {
    graph: Graph,
    ranked: Vec<Ranked<'a>>,
    /// Files using each declaration: the order of the function lists.
    file_users: FileUsers,
}

impl<'a> Analysis<'a> {
    /// Relate the packages of `inv` and rank its types by `users` (their
    /// exact uses from other packages), side by side; `file_users` orders
    /// the functions.
    pub(crate) fn new(
        inv: &'a Inventory,
        users: &TypeUsers,
        file_users: FileUsers,
    ) -> Analysis<'a> {
        let (graph, ranked) = rayon::join(|| relate(inv), || rank(inv, users));
        Analysis {
            graph,
            ranked,
            file_users,
        }
    }
}

/// Focused packages the header lists by name at most (else the terms and a count).
const FOCUS_NAMES: usize = 12;

/// Render the report. The same model and options give the same bytes.
/// `uses` holds the references of [`shown_types`].
pub(crate) fn render_markdown(
    inv: &Inventory,
    analysis: &Analysis,
    opts: &ReportOptions,
    uses: &ReportUses,
) -> Result<String, ReportError> {
    let focus = focus_set(inv, &analysis.graph, &opts.focus)?;
    let ctx = Ctx::new(inv, analysis, focus, opts.top, uses);
    let mut out = String::new();
    ctx.header(&mut out, opts);
    if opts.section != Section::Frozen {
        ctx.recon(&mut out);
    }
    if opts.section != Section::Recon {
        out.push_str(&frozen::render(&ctx, FROZEN_TOKENS));
    }
    Ok(out)
}

/// The types the report details, in rank order: what [`ReportUses`] must cover.
pub(crate) fn shown_types<'a>(
    inv: &'a Inventory,
    analysis: &Analysis<'a>,
    opts: &ReportOptions,
) -> Result<Vec<&'a Item>, ReportError> {
    if opts.section == Section::Frozen {
        return Ok(Vec::new());
    }
    let focus = focus_set(inv, &analysis.graph, &opts.focus)?;
    Ok(analysis
        .ranked
        .iter()
        .filter(|r| focus.as_ref().map_or(true, |f| f.contains(&r.item.package)))
        .take(opts.top.min(DETAILED_TYPES))
        .map(|r| r.item)
        .collect())
}

/// Packages in focus: the named ones and their direct neighbours (all when none named).
fn focus_set(
    inv: &Inventory,
    graph: &Graph,
    terms: &[String],
) -> Result<Option<BTreeSet<String>>, ReportError> {
    if terms.is_empty() {
        return Ok(None);
    }
    let mut set = BTreeSet::new();
    for term in terms {
        let t = term.trim_start_matches("./").trim_end_matches('/');
        // A directory names the packages in it and below it.
        let under = format!("{t}/");
        let hits: Vec<&Package> = inv
            .packages
            .iter()
            .filter(|p| {
                p.path == t
                    || p.dir == t
                    || p.dir.starts_with(&under)
                    || p.path.ends_with(&format!("/{t}"))
                    || p.path.ends_with(&format!("::{t}"))
            })
            .collect();
        if hits.is_empty() {
            let known: Vec<&str> = inv
                .packages
                .iter()
                .take(10)
                .map(|p| p.path.as_str())
                .collect();
            return Err(ReportError::UnknownFocus {
                term: term.clone(),
                known: known.join(", "),
            });
        }
        for p in hits {
            set.insert(p.path.clone());
            set.extend(
                graph
                    .deps
                    .get(&p.path)
                    .into_iter()
                    .flat_map(|d| d.keys().cloned()),
            );
            set.extend(graph.dependents.get(&p.path).into_iter().flatten().cloned());
        }
    }
    Ok(Some(set))
}

/// Everything a section reads, and the indexes built once for all of them.
pub(super) struct Ctx<'a> {
    pub inv: &'a Inventory,
    pub graph: &'a Graph,
    pub ranked: Vec<&'a Ranked<'a>>,
    pub focus: Option<BTreeSet<String>>,
    pub top: usize,
    pub uses: &'a ReportUses,
    /// Files using each declaration, by (file, line).
    pub file_users: &'a FileUsers,
    /// Non-test methods by (package, parent type), trait-impl methods included.
    pub methods: BTreeMap<(&'a str, &'a str), Vec<&'a Item>>,
    /// Rank of each ranked type by its citation (0 = most used).
    pub type_rank: BTreeMap<String, usize>,
    /// How the report names each package: Go by directory, Rust by path.
    labels: BTreeMap<&'a str, String>,
    /// Each type's method set as (name, arity) pairs, with the type: what Go
    /// implementors are matched against, computed once.
    method_sets: OnceLock<Vec<MethodSet<'a>>>,
}

/// A type's methods as (name, (parameters, results)), and the type.
type MethodSet<'a> = (Vec<(&'a str, (usize, usize))>, &'a Item);

impl<'a> Ctx<'a> {
    fn new(
        inv: &'a Inventory,
        analysis: &'a Analysis<'a>,
        focus: Option<BTreeSet<String>>,
        top: usize,
        uses: &'a ReportUses,
    ) -> Ctx<'a> {
        let in_focus = |p: &str| focus.as_ref().map_or(true, |f| f.contains(p));
        let ranked: Vec<&Ranked> = analysis
            .ranked
            .iter()
            .filter(|r| in_focus(&r.item.package))
            .collect();
        let mut methods: BTreeMap<(&str, &str), Vec<&Item>> = BTreeMap::new();
        for m in inv.items.iter().filter(|m| !m.test && m.kind == "method") {
            if let Some(p) = &m.parent {
                methods.entry((&m.package, p)).or_default().push(m);
            }
        }
        let type_rank = ranked
            .iter()
            .enumerate()
            .map(|(n, r)| (r.item.citation(), n))
            .collect();
        let labels = inv
            .packages
            .iter()
            .map(|p| {
                let label = match lang_by_name(&p.language).map(|l| l.packages) {
                    Some(PackageRule::Directory) => dir_label(&p.dir),
                    _ => p.path.clone(),
                };
                (p.path.as_str(), label)
            })
            .collect();
        Ctx {
            labels,
            inv,
            graph: &analysis.graph,
            ranked,
            focus,
            top,
            uses,
            file_users: &analysis.file_users,
            methods,
            type_rank,
            method_sets: OnceLock::new(),
        }
    }

    /// The method set of every non-test top-level type with methods, in
    /// (package, type) order; only methods of the type's language count.
    pub fn method_sets(&self) -> &[MethodSet<'a>] {
        self.method_sets.get_or_init(|| {
            let types: BTreeMap<(&str, &str), &Item> = self
                .inv
                .items
                .iter()
                .filter(|t| t.parent.is_none() && !t.test)
                .map(|t| ((t.package.as_str(), t.name.as_str()), t))
                .rev()
                .collect();
            self.methods
                .iter()
                .filter_map(|((pkg, ty), ms)| {
                    let t = *types.get(&(*pkg, *ty))?;
                    let shapes: Vec<(&str, (usize, usize))> = ms
                        .iter()
                        .filter(|m| m.language == t.language)
                        .map(|m| (m.name.as_str(), arity(method_tail(&m.signature, &m.name))))
                        .collect();
                    (!shapes.is_empty()).then_some((shapes, t))
                })
                .collect()
        })
    }

    /// The package as the report names it (`sim/cluster/`, `helix_core::selection`).
    pub fn package_label(&self, path: &str) -> String {
        self.labels
            .get(path)
            .cloned()
            .unwrap_or_else(|| path.to_string())
    }

    pub fn in_focus(&self, package: &str) -> bool {
        self.focus.as_ref().map_or(true, |f| f.contains(package))
    }

    pub fn packages(&self) -> impl Iterator<Item = &'a Package> + '_ {
        self.inv.packages.iter().filter(|p| self.in_focus(&p.path))
    }

    /// Non-test items in focus.
    pub fn items(&self) -> impl Iterator<Item = &'a Item> + '_ {
        self.inv
            .items
            .iter()
            .filter(|i| !i.test && self.in_focus(&i.package))
    }

    pub fn notes(&self) -> impl Iterator<Item = &'a FileNotes> + '_ {
        self.inv
            .notes
            .iter()
            .filter(|n| !n.test && self.in_focus(&n.package))
    }

    /// Sites of one kind in focus, in file and line order.
    pub fn sites(&self, kind: SiteKind) -> Vec<(&'a FileNotes, &'a Site)> {
        self.notes()
            .flat_map(|n| {
                n.sites
                    .iter()
                    .filter(move |s| s.kind == kind)
                    .map(move |s| (n, s))
            })
            .collect()
    }

    /// Methods declared on `i` (its own, not trait impls), in file order.
    pub fn own_methods(&self, i: &Item) -> Vec<&'a Item> {
        self.methods
            .get(&(i.package.as_str(), i.name.as_str()))
            .map(|v| {
                v.iter()
                    .filter(|m| m.trait_impl.is_none())
                    .copied()
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Constructors: Go functions whose first result is the type; Rust
    /// associated functions of the type returning `Self` or the type.
    pub fn constructors(&self, i: &Item) -> Vec<&'a Item> {
        let rust = self
            .own_methods(i)
            .into_iter()
            .filter(|f| returns_self(&f.signature, &i.name) && !f.signature.contains("self"));
        let go = self.inv.items.iter().filter(|f| {
            f.package == i.package
                && !f.test
                && f.kind == "func"
                && first_result(&f.signature) == i.name
        });
        go.chain(rust).collect()
    }

    /// Whether the package is Rust's (module tree) or Go's (directory).
    pub fn rule(&self, language: &str) -> Option<PackageRule> {
        lang_by_name(language).map(|l| l.packages)
    }

    fn header(&self, out: &mut String, opts: &ReportOptions) {
        let inv = self.inv;
        let _ = writeln!(out, "# Repository Recon: {}\n", code(&inv.root));
        let commit = match (&inv.commit, inv.dirty) {
            (Some(c), Some(true)) => {
                format!("As of `{c}`+dirty (uncommitted changes are included).")
            }
            (Some(c), _) => format!("As of `{c}`."),
            (None, _) => "Not a git checkout: no commit pins these citations.".to_string(),
        };
        let _ = writeln!(out, "{commit}\n");
        let s = &inv.scope;
        let tests = if s.include_tests {
            "test code included".to_string()
        } else {
            format!(
                "{} not read (`--include-tests` reads them)",
                count(s.test_files_excluded, "test file")
            )
        };
        let excluded: Vec<String> = s.excluded.iter().map(|e| code(e)).collect();
        let _ = writeln!(
            out,
            "Scope: {}; {}, {} read; {tests}; skipped by rule: {}.\n",
            languages_read(inv),
            count(s.files, "file"),
            count(s.lines as usize, "line"),
            excluded.join(", ")
        );
        if let Some(dir) = &opts.subdir {
            let _ = writeln!(
                out,
                "Given the directory {}: this is the report of the project above it (the root holding its \
                 `go.mod` or Cargo workspace), focused on that directory; paths are relative to the root.\n",
                code(&format!("{dir}/"))
            );
        }
        if let Some(f) = &self.focus {
            // The packages themselves when few; else what was named and a count.
            let names: Vec<String> = if f.len() <= FOCUS_NAMES {
                f.iter().map(|p| code(p)).collect()
            } else {
                opts.focus.iter().map(|t| code(t)).collect()
            };
            let what = if f.len() <= FOCUS_NAMES {
                "the named packages and their direct neighbours".to_string()
            } else {
                format!(
                    "{} packages: those it names and their direct neighbours",
                    f.len()
                )
            };
            let _ = writeln!(out, "Focus: {} ({what}).\n", names.join(", "));
        }
        let _ = writeln!(
            out,
            "Confirmed facts carry a citation `path:start-end` (1-based, inclusive) after the name they cite; \
             *inferred* and *uncertain* statements are labelled. Lists are ranked and fitted to the report's \
             size; what is left out is counted, with the `--focus` or `--format json` that shows it.\n"
        );
    }

    fn recon(&self, out: &mut String) {
        let _ = writeln!(out, "## Appendix: Repository Recon\n");
        let header = count_tokens(out);
        // Section 2 comes second and gets what the others leave.
        let [packages, rest @ ..] = [
            packages::render(self, PACKAGES_TOKENS),
            extension::render(self, EXTENSION_TOKENS),
            flags::render(self, FLAGS_TOKENS),
            constraints::invariants(self, INVARIANTS_TOKENS),
            constraints::data_files(self, DATA_TOKENS),
            constraints::boundaries(self, BOUNDARIES_TOKENS),
            constraints::uncertainties(self, UNCERTAIN_TOKENS),
        ];
        let used = count_tokens(&packages) + rest.iter().map(|s| count_tokens(s)).sum::<usize>();
        let rest = rest.concat();
        // The parts are measured apart, and tokens of a concatenation are not
        // quite the sum of its parts' (nor is a list's the sum of its
        // entries'): measure the whole and give the types less until it fits.
        let mut budget = RECON_TOKENS.saturating_sub(header + used);
        let mut types = types::render(self, budget);
        for _ in 0..3 {
            let total = header + count_tokens(&types) + used;
            let whole = header + count_tokens(&[packages.as_str(), &types, &rest].concat());
            let over = whole.max(total).saturating_sub(RECON_TOKENS);
            if over == 0 || budget == 0 {
                break;
            }
            budget = budget.saturating_sub(over + 20);
            types = types::render(self, budget);
        }
        for part in [packages, types, rest] {
            out.push_str(&part);
        }
    }
}

/// o200k tokens of `text`.
pub(super) fn count_tokens(text: &str) -> usize {
    Tokenizer::O200k.count(text)
}

/// Entries taken in rank order while they fit a token budget and the
/// `--top` cap; the first that does not fit ends the list (no reordering,
/// so what is shown is always a prefix of the ranking).
pub(super) struct Fit {
    left: usize,
    top: usize,
    pub taken: usize,
    full: bool,
}

impl Fit {
    pub fn new(tokens: usize, top: usize) -> Fit {
        Fit {
            left: tokens,
            top,
            taken: 0,
            full: false,
        }
    }

    /// Append `entries` to `out` in order while they fit; returns how many
    /// were appended.
    pub fn push_all<'a>(
        &mut self,
        out: &mut String,
        entries: impl IntoIterator<Item = &'a str>,
    ) -> usize {
        let mut shown = 0;
        for e in entries {
            if !self.take(e) {
                break;
            }
            out.push_str(e);
            shown += 1;
        }
        shown
    }

    /// Whether `entry` is taken (and its tokens spent).
    pub fn take(&mut self, entry: &str) -> bool {
        if self.full || self.taken >= self.top {
            self.full = true;
            return false;
        }
        let n = count_tokens(entry);
        if n > self.left {
            self.full = true;
            return false;
        }
        self.left -= n;
        self.taken += 1;
        true
    }

    /// Spend tokens on text that is no entry of the list (a table head, a
    /// fixed line): whether it fits. `--top` does not count it.
    pub fn spend(&mut self, text: &str) -> bool {
        let n = count_tokens(text);
        if self.full || n > self.left {
            return false;
        }
        self.left -= n;
        true
    }
}

/// `+K more what (how to see them).` when anything was left out.
pub(super) fn more(out: &mut String, total: usize, shown: usize, what: &str, how: &str) {
    if total > shown {
        let _ = writeln!(out, "- +{} more {what} ({how}).", total - shown);
    }
}

/// Languages with at least one package (all requested ones when none has).
fn languages_read(inv: &Inventory) -> String {
    let found: Vec<&str> = inv
        .scope
        .languages
        .iter()
        .filter(|l| inv.packages.iter().any(|p| p.language == **l))
        .map(String::as_str)
        .collect();
    if found.is_empty() {
        format!("{} (no source files found)", inv.scope.languages.join(", "))
    } else {
        found.join(", ")
    }
}

/// Whether a Rust signature returns `Self` or the named type (possibly wrapped).
pub(super) fn returns_self(sig: &str, name: &str) -> bool {
    sig.rsplit_once("->")
        .is_some_and(|(_, ret)| crate::resolve::decls::words(ret).any(|w| w == "Self" || w == name))
}

/// Whether `i` is an interface or trait.
pub(super) fn is_contract(i: &Item) -> bool {
    CONTRACT_KINDS.contains(&i.kind.as_str())
}

/// `` `Name` (`path:start-end`) ``.
pub(super) fn named(name: &str, citation: &str) -> String {
    format!("{} (`{citation}`)", code(name))
}

/// A directory as the report writes it: `sim/cluster/`, `./` for the root.
pub(super) fn dir_label(dir: &str) -> String {
    if dir.is_empty() || dir == "." {
        "./".to_string()
    } else {
        format!("{}/", dir.trim_end_matches('/'))
    }
}

/// Whether a path is test or mock code by its name (generated mocks too).
pub(super) fn is_mock_path(file: &str) -> bool {
    let lower = file.to_ascii_lowercase();
    lower.contains("mock") || lower.contains("fake") || lower.contains("/testutil")
}
