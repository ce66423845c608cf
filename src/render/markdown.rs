//! The Markdown report: the Repository Recon appendix (the plan template's
//! five points, in its order, then open uncertainties) and the Frozen
//! Interfaces inventory.
//!
//! Every confirmed fact is written `` `Name` (`path:start-end`) ``: the name
//! occurs in the cited lines (tests re-read each range to prove it). Facts
//! derived from comments, guards or name matching are labelled *inferred*;
//! what the tool could not settle is labelled *uncertain*. Pure: a function of
//! the model and the options, no filesystem, no parser.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use thiserror::Error;

use crate::analyze::rank::{rank, Ranked, CONTRACT_KINDS};
use crate::analyze::relate::{relate, Graph};
use crate::config::ReportOptions;
use crate::config::Section;
use crate::model::{cite, FileNotes, Inventory, Item, Package, Site, SiteKind};
use crate::resolve::find::Hit;
use crate::resolve::graph::TypeUsers;
use crate::resolve::sites::ReportUses;
use crate::scan::lang::{lang_by_name, PackageRule};
use crate::scan::syntax::is_cfg_test;

/// Mermaid graphs are drawn only up to this many packages…
const MERMAID_MAX_NODES: usize = 30;
/// …and this many edges; beyond that the table is easier to read.
const MERMAID_MAX_EDGES: usize = 60;
/// Names listed inline (methods, implementors, dependents) before "+K more".
const INLINE_MAX: usize = 12;
/// Visibilities that make an item part of the frozen surface.
const EXPORTED: &[&str] = &["exported", "pub"];

/// A report that cannot be produced as asked.
#[derive(Debug, Error)]
pub(crate) enum ReportError {
    #[error("--focus {term:?} matches no package; packages include: {known}")]
    UnknownFocus { term: String, known: String },
}

/// What the report derives from the whole model before rendering: the
/// package graph and the ranking of types. Computed once, used by
/// [`shown_types`] and [`render_markdown`].
pub(crate) struct Analysis<'a> {
    graph: Graph,
    ranked: Vec<Ranked<'a>>,
}

impl<'a> Analysis<'a> {
    /// Relate the packages of `inv` and rank its types by `users` (their
    /// exact uses from other packages), side by side on the current rayon pool.
    pub(crate) fn new(inv: &'a Inventory, users: &TypeUsers) -> Analysis<'a> {
        let (graph, ranked) = rayon::join(|| relate(inv), || rank(inv, users));
        Analysis { graph, ranked }
    }
}

/// Render the report. The same model and options give the same bytes.
/// `uses` holds the references of the types listed (see [`shown_types`]);
/// empty, the report lists none.
pub(crate) fn render_markdown(
    inv: &Inventory,
    analysis: &Analysis,
    opts: &ReportOptions,
    uses: &ReportUses,
) -> Result<String, ReportError> {
    let graph = &analysis.graph;
    let focus = focus_set(inv, graph, &opts.focus)?;
    let ctx = Ctx {
        inv,
        graph,
        ranked: &analysis.ranked,
        focus,
        top: opts.top,
        uses,
        shapes: std::cell::OnceCell::new(),
    };
    let mut out = String::new();
    ctx.header(&mut out);
    if opts.section != Section::Frozen {
        ctx.recon(&mut out);
    }
    if opts.section != Section::Recon {
        ctx.frozen(&mut out);
    }
    Ok(out)
}

/// The types section 2 lists, in its order: what [`ReportUses`] must cover.
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
        .take(opts.top)
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
        let hits: Vec<&Package> = inv
            .packages
            .iter()
            .filter(|p| {
                p.path == *term
                    || p.path.ends_with(&format!("/{term}"))
                    || p.path.ends_with(&format!("::{term}"))
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

struct Ctx<'a> {
    inv: &'a Inventory,
    graph: &'a Graph,
    ranked: &'a [Ranked<'a>],
    focus: Option<BTreeSet<String>>,
    top: usize,
    uses: &'a ReportUses,
    /// Built on first use by [`Ctx::implementors`].
    shapes: std::cell::OnceCell<MethodIndex<'a>>,
}

/// Non-test methods per (language, package, receiver type), and the first
/// non-test top-level item of each (package, name): what Go implementor
/// inference looks up once per interface.
#[derive(Default)]
struct MethodIndex<'a> {
    by_type: BTreeMap<(&'a str, &'a str, &'a str), Vec<MethodShape<'a>>>,
    types: BTreeMap<(&'a str, &'a str), &'a Item>,
}

impl<'a> MethodIndex<'a> {
    fn new(items: &'a [Item]) -> MethodIndex<'a> {
        let mut index = MethodIndex::default();
        for m in items.iter().filter(|m| !m.test) {
            if let (Some(p), "method") = (&m.parent, m.kind.as_str()) {
                index
                    .by_type
                    .entry((&m.language, &m.package, p))
                    .or_default()
                    .push((&m.name, arity(method_tail(&m.signature, &m.name))));
            }
            if m.parent.is_none() {
                index.types.entry((&m.package, &m.name)).or_insert(m);
            }
        }
        index
    }
}

impl<'a> Ctx<'a> {
    fn in_focus(&self, package: &str) -> bool {
        self.focus.as_ref().map_or(true, |f| f.contains(package))
    }

    fn packages(&self) -> impl Iterator<Item = &'a Package> + '_ {
        self.inv.packages.iter().filter(|p| self.in_focus(&p.path))
    }

    fn items(&self) -> impl Iterator<Item = &'a Item> + '_ {
        self.inv
            .items
            .iter()
            .filter(|i| !i.test && self.in_focus(&i.package))
    }

    fn notes(&self) -> impl Iterator<Item = &'a FileNotes> + '_ {
        self.inv.notes.iter().filter(|n| self.in_focus(&n.package))
    }

    fn sites(&self, kind: SiteKind) -> Vec<(&'a FileNotes, &'a Site)> {
        self.notes()
            .flat_map(|n| {
                n.sites
                    .iter()
                    .filter(move |s| s.kind == kind)
                    .map(move |s| (n, s))
            })
            .collect()
    }

    fn header(&self, out: &mut String) {
        let inv = self.inv;
        let _ = writeln!(out, "# Repository Recon: {}\n", esc(&inv.root));
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
                "{} test files not read (`--include-tests` reads them)",
                s.test_files_excluded
            )
        };
        let excluded: Vec<String> = s.excluded.iter().map(|e| code(e)).collect();
        let _ = writeln!(
            out,
            "Scope: {}; {} files, {} lines read; {tests}; skipped by rule: {}.\n",
            languages_read(inv),
            s.files,
            s.lines,
            excluded.join(", ")
        );
        if let Some(f) = &self.focus {
            let names: Vec<String> = f.iter().map(|p| code(p)).collect();
            let _ = writeln!(
                out,
                "Focus: {} (the named packages and their direct neighbours).\n",
                names.join(", ")
            );
        }
        let _ = writeln!(
            out,
            "Confirmed facts carry a citation `path:start-end` (1-based, inclusive) after the name they cite; \
             *inferred* and *uncertain* statements are labelled.\n"
        );
    }

    fn recon(&self, out: &mut String) {
        let _ = writeln!(out, "## Appendix: Repository Recon\n");
        self.packages_table(out);
        self.core_types(out);
        self.invariants(out);
        self.boundaries(out);
        self.constraints(out);
        self.uncertainties(out);
    }

    /// 1. Top-level packages and responsibilities.
    fn packages_table(&self, out: &mut String) {
        let _ = writeln!(out, "### 1. Top-level packages and responsibilities\n");
        let _ = writeln!(
            out,
            "| package | files | lines | test files | responsibility |"
        );
        let _ = writeln!(out, "|---|---:|---:|---:|---|");
        for p in self.packages() {
            let resp = match (&p.doc, &p.doc_file, p.doc_line) {
                (Some(doc), Some(file), Some(line)) => {
                    let (sentence, lines) = first_sentence(doc);
                    let start = p.doc_text_line.unwrap_or(line);
                    format!(
                        "{} (`{}`)",
                        cell(&esc(&sentence)),
                        cite(file, start, start + lines - 1)
                    )
                }
                _ => "*uncertain*: no package doc".to_string(),
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {resp} |",
                cell(&code(&p.path)),
                p.files.len(),
                p.lines,
                p.test_files.len()
            );
        }
        out.push('\n');
    }

    /// 2. Core data structures and interfaces, most used first.
    fn core_types(&self, out: &mut String) {
        let _ = writeln!(out, "### 2. Core data structures and interfaces\n");
        let ranked: Vec<&Ranked> = self
            .ranked
            .iter()
            .filter(|r| self.in_focus(&r.item.package))
            .collect();
        let _ = writeln!(
            out,
            "Ranked by references from non-test code of other packages: uses of the type, its members or \
             (Go) a function returning it, resolved through imports, `use` paths and bindings; a method \
             matched by name only is not counted.\n"
        );
        if ranked.is_empty() {
            let _ = writeln!(out, "*uncertain*: no type declarations were found.\n");
            return;
        }
        for (n, r) in ranked.iter().take(self.top).enumerate() {
            let i = r.item;
            let _ = writeln!(
                out,
                "{}. {} — {} in {}; referenced from {} ({}).",
                n + 1,
                named(&i.name, &i.citation()),
                i.kind,
                code(&i.package),
                count(r.packages, "other package"),
                count(r.files, "file")
            );
            self.type_details(out, i);
        }
        if ranked.len() > self.top {
            let _ = writeln!(
                out,
                "\n+{} more types (raise `--top`, or see every item in `--format json`).",
                ranked.len() - self.top
            );
        }
        out.push('\n');
        self.registrations(out);
    }

    fn type_details(&self, out: &mut String, i: &Item) {
        let methods = self.methods_of(i);
        let fields: Vec<(String, String)> = i
            .members
            .iter()
            .map(|m| (m.name.clone(), cite(&i.file, m.line, m.end_line)))
            .collect();
        if CONTRACT_KINDS.contains(&i.kind.as_str()) {
            let mut all = methods;
            all.extend(fields);
            let _ = writeln!(
                out,
                "   - {}: {}",
                count(all.len(), "method"),
                inline_list(&all)
            );
            let (impls, exact) = self.implementors(i);
            if !impls.is_empty() {
                let how = if exact {
                    "`impl` blocks"
                } else {
                    "*inferred* from method names and arity"
                };
                let _ = writeln!(out, "   - implementors ({how}): {}", inline_list(&impls));
            }
        } else {
            let kind = if i.members.iter().all(|m| m.kind == "variant") && !i.members.is_empty() {
                "variant"
            } else {
                "field"
            };
            if !fields.is_empty() {
                let _ = writeln!(
                    out,
                    "   - {}: {}",
                    count(fields.len(), kind),
                    inline_list(&fields)
                );
            }
            if !methods.is_empty() {
                let _ = writeln!(
                    out,
                    "   - {}: {}",
                    count(methods.len(), "method"),
                    inline_list(&methods)
                );
            }
        }
        let ctors = self.constructors(i);
        if !ctors.is_empty() {
            let _ = writeln!(out, "   - constructors: {}", inline_list(&ctors));
        }
        self.uses(out, i);
    }

    /// Repository files named by string literals in code, with the call that loads them.
    fn data_files(&self, out: &mut String) {
        let files: Vec<_> = self
            .uses
            .data_files
            .iter()
            .filter(|d| {
                self.focus.is_none()
                    || self
                        .packages()
                        .any(|p| p.files.contains(&d.file) || p.test_files.contains(&d.file))
            })
            .collect();
        if files.is_empty() {
            return;
        }
        let _ = writeln!(
            out,
            "- **Data and configuration files the code reads** (string literals naming files in the tree):"
        );
        for d in files.iter().take(self.top) {
            let site = d
                .site
                .as_deref()
                .map(|s| format!(" in {}", code(s)))
                .unwrap_or_default();
            let test = if d.test { " — test" } else { "" };
            let names = if d.path == d.literal {
                String::new()
            } else {
                format!(" (the file {})", code(&d.path))
            };
            let _ = writeln!(
                out,
                "  - {}{names}{site}{test}",
                named(&d.literal, &cite(&d.file, d.line, d.line))
            );
        }
        more_nested(out, files.len(), self.top, "data files");
    }

    /// Construction sites (structs) or outside calls of methods (interfaces),
    /// one line each, top N, then where to see the rest.
    fn uses(&self, out: &mut String, i: &Item) {
        let Some(u) = self.uses.by_item.get(&i.citation()) else {
            return;
        };
        let contract = CONTRACT_KINDS.contains(&i.kind.as_str());
        let (hits, noun, what) = if contract {
            (&u.calls, "call", " of its methods from other packages")
        } else {
            (&u.constructs, "construction site", " (tests included)")
        };
        if hits.is_empty() {
            return;
        }
        let _ = writeln!(out, "   - {}{what}:", count(hits.len(), noun));
        for h in hits.iter().take(self.top) {
            let _ = writeln!(out, "     - {}", use_line(i, h, contract));
        }
        if hits.len() > self.top {
            let query = if contract {
                let sep = if hits.iter().any(|h| h.symbol.contains("::")) {
                    "::"
                } else {
                    "."
                };
                let methods: BTreeSet<String> = hits
                    .iter()
                    .map(|h| format!("{}{sep}{}", i.name, method_name(h)))
                    .collect();
                let methods: Vec<String> = methods.into_iter().collect();
                format!("--kind call {}", methods.join(" "))
            } else {
                format!("--kind construct {}", i.name)
            };
            let _ = writeln!(
                out,
                "     - +{} more (`planrecon refs --include-tests {query}`).",
                hits.len() - self.top
            );
        }
    }

    /// Methods declared with `i` as parent (Rust trait items, Go receivers),
    /// trait-impl methods excluded.
    fn methods_of(&self, i: &Item) -> Vec<(String, String)> {
        self.inv
            .items
            .iter()
            .filter(|m| {
                m.package == i.package
                    && m.parent.as_deref() == Some(&i.name)
                    && m.kind == "method"
                    && !m.test
            })
            .filter(|m| m.trait_impl.is_none())
            .map(|m| (m.name.clone(), m.citation()))
            .collect()
    }

    /// Implementors: Rust `impl Trait for Type` sites (exact); Go types whose
    /// methods cover the interface's by name and arity (inferred).
    fn implementors(&self, i: &Item) -> (Vec<(String, String)>, bool) {
        let rule = lang_by_name(&i.language).map(|l| l.packages);
        if rule == Some(PackageRule::ModuleTree) {
            let mut v: Vec<(String, String)> = self
                .inv
                .notes
                .iter()
                .flat_map(|n| {
                    n.sites
                        .iter()
                        .filter(|s| s.kind == SiteKind::Impl)
                        .map(move |s| (n, s))
                })
                .filter(|(_, s)| s.extra.as_deref() == Some(&i.name))
                .map(|(n, s)| (s.name.clone(), cite(&n.file, s.line, s.end_line)))
                .collect();
            v.sort();
            v.dedup();
            return (v, true);
        }
        let wanted: Vec<(&str, (usize, usize))> = i
            .members
            .iter()
            .filter(|m| m.kind == "interface_method")
            .map(|m| (m.name.as_str(), arity(&m.signature)))
            .collect();
        if wanted.is_empty() {
            return (Vec::new(), false);
        }
        let index = self
            .shapes
            .get_or_init(|| MethodIndex::new(&self.inv.items));
        let mut v = Vec::new();
        let language = i.language.as_str();
        let of_language = index
            .by_type
            .range((language, "", "")..)
            .take_while(|((l, _, _), _)| *l == language);
        for ((_, pkg, ty), ms) in of_language {
            if wanted.iter().all(|w| ms.contains(w)) {
                if let Some(t) = index.types.get(&(*pkg, *ty)) {
                    v.push((t.name.clone(), t.citation()));
                }
            }
        }
        (v, false)
    }

    /// Constructors: Go functions whose first result is the type; Rust
    /// `new*` associated functions of the type.
    fn constructors(&self, i: &Item) -> Vec<(String, String)> {
        self.inv
            .items
            .iter()
            .filter(|f| f.package == i.package && !f.test)
            .filter(|f| {
                let go = f.kind == "func" && first_result(&f.signature) == i.name;
                let rust = f.kind == "method"
                    && f.parent.as_deref() == Some(&i.name)
                    && f.trait_impl.is_none()
                    && f.name.starts_with("new")
                    && returns_self(&f.signature, &i.name);
                go || rust
            })
            .map(|f| (f.name.clone(), f.citation()))
            .collect()
    }

    /// Registration variables and factory types (Go): maps of functions or
    /// factories, and named function types.
    fn registrations(&self, out: &mut String) {
        let regs: Vec<&Item> = self
            .items()
            .filter(|i| {
                (i.kind == "var"
                    && i.signature.contains("map[")
                    && (i.signature.contains("func") || i.signature.contains("Factory")))
                    || (i.kind == "type" && i.signature.contains(" func("))
            })
            .collect();
        if regs.is_empty() {
            return;
        }
        let _ = writeln!(
            out,
            "Registration variables and factory types (*inferred* from their declared types):\n"
        );
        for i in regs.iter().take(self.top) {
            let _ = writeln!(
                out,
                "- {} in {}: {}",
                named(&i.name, &i.citation()),
                code(&i.package),
                code(&i.signature)
            );
        }
        more(
            out,
            regs.len(),
            self.top,
            "registration variables and factory types",
        );
        out.push('\n');
    }

    /// 3. Key invariants and assumptions.
    fn invariants(&self, out: &mut String) {
        let _ = writeln!(out, "### 3. Key invariants and assumptions\n");
        let mut comments = self.sites(SiteKind::Invariant);
        // Explicit markers first: `INV-`, `invariant`, `SAFETY:`, then modal words.
        comments.sort_by_key(|(n, s)| (invariant_priority(&s.name), n.file.clone(), s.line));
        let _ = writeln!(out, "Stated in comments ({} found):\n", comments.len());
        if comments.is_empty() {
            let _ = writeln!(out, "- *uncertain*: no comment states an invariant.");
        }
        for (n, s) in comments.iter().take(self.top) {
            let _ = writeln!(
                out,
                "- *inferred from comment* {}: {}",
                named(&s.name, &cite(&n.file, s.line, s.end_line)),
                esc(&s.text)
            );
        }
        more(out, comments.len(), self.top, "invariant comments");
        let guards = self.sites(SiteKind::Guard);
        let _ = writeln!(out, "\nEnforced by guards ({} found):\n", guards.len());
        if guards.is_empty() {
            let _ = writeln!(out, "- *uncertain*: no guard sites were found.");
        }
        for (n, s) in guards.iter().take(self.top) {
            let _ = writeln!(
                out,
                "- *inferred from guard* {}: {}",
                named(&s.name, &cite(&n.file, s.line, s.end_line)),
                code(&s.text)
            );
        }
        more(out, guards.len(), self.top, "guard sites");
        out.push('\n');
    }

    /// 4. Current module boundaries.
    fn boundaries(&self, out: &mut String) {
        let _ = writeln!(out, "### 4. Current module boundaries\n");
        let g = self.graph;
        let pkgs: Vec<&String> = g.deps.keys().filter(|p| self.in_focus(p)).collect();
        let _ = writeln!(
            out,
            "Internal dependencies from imports (Go imports inside the repository; Rust `use` of `crate::`, \
             `super::`, `self::` and the workspace's crates). Each dependency cites its first import; layer 0 \
             imports nothing internal.\n"
        );
        let _ = writeln!(out, "| package | layer | depends on | used by |");
        let _ = writeln!(out, "|---|---:|---|---|");
        for p in &pkgs {
            let deps: Vec<String> = g.deps[*p]
                .iter()
                .map(|(d, via)| {
                    let token = if via.path == *d {
                        code(d)
                    } else {
                        format!("{} via {}", code(d), code(&via.path))
                    };
                    format!("{token} (`{}`)", cite(&via.file, via.line, via.end_line))
                })
                .collect();
            let users: Vec<String> = g
                .dependents
                .get(*p)
                .into_iter()
                .flatten()
                .map(|u| code(u))
                .collect();
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                cell(&code(p)),
                g.layers.get(*p).copied().unwrap_or(0),
                cell(&or_none(&deps)),
                cell(&or_none(&users))
            );
        }
        out.push('\n');
        if g.cycles.is_empty() {
            let _ = writeln!(out, "Cycles: none (*inferred from the import graph*).\n");
        } else {
            let _ = writeln!(
                out,
                "Cycles: packages that reach each other through imports (strongly connected; each edge is \
                 cited in the table):\n"
            );
            for c in &g.cycles {
                let names: Vec<String> = c.iter().map(|n| code(n)).collect();
                let _ = writeln!(out, "- {} packages: {}", c.len(), names.join(", "));
            }
            out.push('\n');
        }
        let edges: usize = pkgs.iter().map(|p| g.deps[*p].len()).sum();
        if !pkgs.is_empty()
            && pkgs.len() <= MERMAID_MAX_NODES
            && edges <= MERMAID_MAX_EDGES
            && edges > 0
        {
            let labels = mermaid_labels(&pkgs);
            let ids: BTreeMap<&str, usize> = pkgs
                .iter()
                .enumerate()
                .map(|(i, p)| (p.as_str(), i))
                .collect();
            let _ = writeln!(out, "```mermaid\ngraph TD");
            for p in &pkgs {
                let _ = writeln!(
                    out,
                    "  n{}[\"{}\"]",
                    ids[p.as_str()],
                    labels[p.as_str()].replace('"', "'")
                );
            }
            for p in &pkgs {
                for d in g.deps[*p].keys() {
                    if let Some(to) = ids.get(d.as_str()) {
                        let _ = writeln!(out, "  n{} --> n{to}", ids[p.as_str()]);
                    }
                }
            }
            let _ = writeln!(out, "```\n");
        } else if edges > 0 {
            let _ = writeln!(out, "(No Mermaid graph: {} packages and {edges} edges are more than a readable drawing.)\n", pkgs.len());
        }
    }

    /// 5. Architectural constraints.
    fn constraints(&self, out: &mut String) {
        let _ = writeln!(out, "### 5. Architectural constraints\n");
        self.data_files(out);
        let g = self.graph;
        let pkgs: Vec<&String> = g.deps.keys().filter(|p| self.in_focus(p)).collect();
        let roots: Vec<String> = pkgs
            .iter()
            .filter(|p| g.dependents.get(**p).map_or(true, BTreeSet::is_empty))
            .map(|p| code(p))
            .collect();
        let leaves: Vec<String> = pkgs
            .iter()
            .filter(|p| g.deps[**p].is_empty())
            .map(|p| code(p))
            .collect();
        let _ = writeln!(
            out,
            "- Packages nothing else imports (*inferred from the import graph*): {}.",
            or_none(&roots)
        );
        let _ = writeln!(
            out,
            "- Packages that import nothing internal (*inferred from the import graph*): {}.",
            or_none(&leaves)
        );
        // Go `internal/` directories: importable only from under their parent.
        for p in pkgs
            .iter()
            .filter(|p| p.contains("/internal/") || p.ends_with("/internal"))
        {
            let parent = &p[..p.find("/internal").unwrap_or(p.len())];
            let users: Vec<String> = g
                .dependents
                .get(*p)
                .into_iter()
                .flatten()
                .filter_map(|u| g.deps.get(u).and_then(|d| d.get(*p)).map(|via| (u, via)))
                .map(|(u, via)| {
                    format!(
                        "{} via {} (`{}`)",
                        code(u),
                        code(&via.path),
                        cite(&via.file, via.line, via.end_line)
                    )
                })
                .collect();
            let _ = writeln!(
                out,
                "- `internal/` boundary: {} may be imported only from under {}; imported by: {}.",
                code(p),
                code(parent),
                or_none(&users)
            );
        }
        let regs = self.sites(SiteKind::Registration);
        if !regs.is_empty() {
            let _ = writeln!(
                out,
                "- Init-time registrations (statements of `func init()`):"
            );
            for (n, s) in regs.iter().take(self.top) {
                let _ = writeln!(
                    out,
                    "  - {} in {}: {}",
                    named(&s.name, &cite(&n.file, s.line, s.end_line)),
                    code(&n.package),
                    code(&s.text)
                );
            }
            more_nested(out, regs.len(), self.top, "registrations");
        }
        let mains: Vec<&Item> = self
            .items()
            .filter(|i| is_entry_point(self.inv, i))
            .collect();
        if mains.is_empty() {
            let _ = writeln!(
                out,
                "- Public entry points: none (a library: no `main` package or binary target)."
            );
        } else {
            let _ = writeln!(
                out,
                "- Public entry points (`main` packages and binary targets):"
            );
            for i in &mains {
                let _ = writeln!(
                    out,
                    "  - {} in {}",
                    named(&i.name, &i.citation()),
                    code(&i.package)
                );
            }
        }
        let flags = self.sites(SiteKind::Flag);
        if flags.is_empty() {
            let _ = writeln!(
                out,
                "- CLI flag surface: *uncertain*: no `flag`/pflag/cobra/kingpin calls or clap `#[arg]` fields found."
            );
        } else {
            let _ = writeln!(out, "- CLI flag surface ({} registrations):", flags.len());
            for (n, s) in flags.iter().take(self.top) {
                let _ = writeln!(
                    out,
                    "  - {}: {}",
                    named(&s.name, &cite(&n.file, s.line, s.end_line)),
                    code(&s.text)
                );
            }
            more_nested(out, flags.len(), self.top, "flags");
        }
        out.push('\n');
    }

    /// Open uncertainties.
    fn uncertainties(&self, out: &mut String) {
        let _ = writeln!(out, "### Open uncertainties\n");
        let mut any = false;
        let diags: Vec<_> = self
            .inv
            .diagnostics
            .iter()
            .filter(|d| self.file_in_focus(&d.file))
            .collect();
        for d in diags.iter().take(self.top) {
            let at = d.line.map(|l| format!(" line {l}")).unwrap_or_default();
            // Messages are the tool's own Markdown (`missing `)``).
            let _ = writeln!(out, "- *uncertain*: {}{at}: {}", code(&d.file), d.message);
            any = true;
        }
        more(out, diags.len(), self.top, "diagnostics");
        let generated: BTreeSet<&str> = self
            .items()
            .filter(|i| i.generated)
            .map(|i| i.file.as_str())
            .collect();
        if !generated.is_empty() {
            let files: Vec<String> = generated.iter().take(self.top).map(|f| code(f)).collect();
            let _ = writeln!(
                out,
                "- *uncertain*: generated files (edit their generator, not them): {}{}",
                files.join(", "),
                plus(generated.len(), self.top)
            );
            any = true;
        }
        let tags = self.sites(SiteKind::BuildConstraint);
        if !tags.is_empty() {
            let _ = writeln!(out, "- *uncertain*: build-constrained files (read, but built only where the constraint holds):");
            for (n, s) in tags.iter().take(self.top) {
                let _ = writeln!(
                    out,
                    "  - {}: {}",
                    named(&s.name, &cite(&n.file, s.line, s.end_line)),
                    code(&s.text)
                );
            }
            more_nested(out, tags.len(), self.top, "build-constrained files");
            any = true;
        }
        let gated: Vec<&Item> = self
            .items()
            .filter(|i| {
                // Test-only items (`#[cfg(test)] fn …`) are test code, not gated product code.
                i.attributes
                    .iter()
                    .any(|a| a.starts_with("#[cfg(") || a.starts_with("#[cfg_attr("))
                    && !i.attributes.iter().any(|a| is_cfg_test(a))
            })
            .collect();
        if !gated.is_empty() {
            let _ = writeln!(out, "- *uncertain*: `#[cfg]`-gated items (read, compiled only under their configuration):");
            for i in gated.iter().take(self.top) {
                let attrs: Vec<&str> = i
                    .attributes
                    .iter()
                    .filter(|a| a.starts_with("#[cfg"))
                    .map(String::as_str)
                    .collect();
                let _ = writeln!(
                    out,
                    "  - {}: {}",
                    named(&i.name, &i.citation()),
                    code(&attrs.join(" "))
                );
            }
            more_nested(out, gated.len(), self.top, "gated items");
            any = true;
        }
        let in_macro: Vec<&Item> = self.items().filter(|i| i.in_macro).collect();
        if !in_macro.is_empty() {
            let _ = writeln!(out, "- *uncertain*: items written inside macro invocations (listed as the macro body parses, not as it expands):");
            for i in in_macro.iter().take(self.top) {
                let m = i.macro_name.as_deref().unwrap_or("?");
                let _ = writeln!(out, "  - {} in `{}!`", named(&i.name, &i.citation()), m);
            }
            more_nested(out, in_macro.len(), self.top, "items in macros");
            any = true;
        }
        let undocumented: Vec<String> = self
            .packages()
            .filter(|p| p.doc.is_none() && !p.test)
            .map(|p| code(&p.path))
            .collect();
        if !undocumented.is_empty() {
            let n = undocumented.len();
            let shown: Vec<String> = undocumented.into_iter().take(self.top).collect();
            let _ = writeln!(
                out,
                "- *uncertain*: packages without a doc comment (responsibility unknown): {}{}",
                shown.join(", "),
                plus(n, self.top)
            );
            any = true;
        }
        for via in self
            .graph
            .unresolved
            .iter()
            .filter(|v| self.file_in_focus(&v.file))
            .take(self.top)
        {
            let _ = writeln!(
                out,
                "- *uncertain*: import of a package that was not read: {} (`{}`)",
                code(&via.path),
                cite(&via.file, via.line, via.end_line)
            );
            any = true;
        }
        let _ = writeln!(
            out,
            "- *inferred*: Go implementors match method names and arity, not full types; Rust references are resolved \
             through `use` bindings, not macro expansion; paths written without a `use` are not dependency edges."
        );
        if !any {
            let _ = writeln!(out, "- Nothing else: every file parsed cleanly.");
        }
        out.push('\n');
    }

    fn file_in_focus(&self, file: &str) -> bool {
        self.focus.is_none()
            || self
                .inv
                .packages
                .iter()
                .any(|p| self.in_focus(&p.path) && (p.files.iter().any(|f| f == file)))
    }

    /// The Frozen Interfaces inventory.
    fn frozen(&self, out: &mut String) {
        let _ = writeln!(out, "## Frozen Interfaces\n");
        let _ = writeln!(
            out,
            "Exported interfaces and traits, the types their method signatures name, function types and \
             variables, and constructors, per package. Each block is the declaration copied verbatim from the \
             cited lines (functions without their bodies).\n"
        );
        let frozen = self.frozen_items();
        if frozen.is_empty() {
            let _ = writeln!(
                out,
                "*uncertain*: no exported interface, trait or constructor was found.\n"
            );
            return;
        }
        let mut by_pkg: BTreeMap<&str, Vec<&Item>> = BTreeMap::new();
        for i in &frozen {
            by_pkg.entry(&i.package).or_default().push(i);
        }
        let _ = writeln!(out, "### Compact list\n");
        for (pkg, items) in &by_pkg {
            let short = short(pkg);
            for i in items {
                let sep = match lang_by_name(&i.language).map(|l| l.packages) {
                    Some(PackageRule::ModuleTree) => "::",
                    _ => ".",
                };
                let parent = i
                    .parent
                    .as_deref()
                    .map(|p| format!("{p}{sep}"))
                    .unwrap_or_default();
                let _ = writeln!(
                    out,
                    "- {}",
                    named(&format!("{short}{sep}{parent}{}", i.name), &i.citation())
                );
            }
        }
        out.push('\n');
        for (pkg, items) in &by_pkg {
            let _ = writeln!(out, "### {}\n", code(pkg));
            // Contracts first: they are what parallel work is written against.
            let mut items: Vec<&&Item> = items.iter().collect();
            items.sort_by_key(|i| !CONTRACT_KINDS.contains(&i.kind.as_str()));
            for i in items.iter().take(self.top) {
                let Some(src) = &i.source else { continue };
                let fence_tag = lang_by_name(&i.language).map_or("", |l| l.fence);
                let fence = fence_for(&src.text);
                let _ = writeln!(
                    out,
                    "{fence}{fence_tag}\n// {}\n{}\n{fence}\n",
                    cite(&i.file, i.line, src.end_line),
                    src.text
                );
            }
            if items.len() > self.top {
                let _ = writeln!(
                    out,
                    "+{} more declarations of this package in the compact list (raise `--top`, or `--focus` on it).\n",
                    items.len() - self.top
                );
            }
        }
    }

    /// The frozen surface, in item order.
    fn frozen_items(&self) -> Vec<&'a Item> {
        let exported = |i: &&Item| EXPORTED.contains(&i.visibility.as_str()) && i.source.is_some();
        let contracts: Vec<&Item> = self
            .items()
            .filter(exported)
            .filter(|i| CONTRACT_KINDS.contains(&i.kind.as_str()) && i.parent.is_none())
            .collect();
        // Methods declared on each (package, type), trait impls aside: indexed
        // once, not searched per contract.
        let mut methods: BTreeMap<(&str, &str), Vec<&Item>> = BTreeMap::new();
        for m in &self.inv.items {
            if let (Some(parent), None) = (m.parent.as_deref(), &m.trait_impl) {
                methods.entry((&m.package, parent)).or_default().push(m);
            }
        }
        // Words of the contracts' method signatures.
        let mut words: BTreeSet<(&str, &str)> = BTreeSet::new();
        for c in &contracts {
            let own = methods
                .get(&(c.package.as_str(), c.name.as_str()))
                .into_iter()
                .flatten()
                .map(|m| (m.name.as_str(), m.signature.as_str()));
            let sigs = c
                .members
                .iter()
                .map(|m| (m.name.as_str(), m.signature.as_str()))
                .chain(own);
            for (name, sig) in sigs {
                // The words after the method's own name (`Info(v ...)` names no type `Info`).
                let s = sig.find(name).map_or(sig, |i| &sig[i + name.len()..]);
                for w in crate::resolve::decls::words(s) {
                    words.insert((c.package.as_str(), w));
                }
            }
        }
        let exported_types: BTreeSet<(&str, &str)> = self
            .items()
            .filter(|i| {
                EXPORTED.contains(&i.visibility.as_str())
                    && i.parent.is_none()
                    && i.kind == "struct"
            })
            .map(|i| (i.package.as_str(), i.name.as_str()))
            .collect();
        let mentioned = |i: &Item| words.contains(&(i.package.as_str(), i.name.as_str()));
        let mut out: Vec<&Item> = self
            .items()
            .filter(exported)
            .filter(|i| {
                let contract = CONTRACT_KINDS.contains(&i.kind.as_str()) && i.parent.is_none();
                let named_type = matches!(i.kind.as_str(), "struct" | "enum" | "type" | "union")
                    && i.parent.is_none()
                    && mentioned(i);
                let func_typed = (i.kind == "var" && i.signature.contains("func"))
                    || (i.kind == "type" && i.signature.contains(" func("));
                let ctor = (i.kind == "func"
                    && (i.name.starts_with("New")
                        || exported_types
                            .contains(&(i.package.as_str(), first_result(&i.signature)))))
                    || (i.kind == "method" && i.trait_impl.is_none() && i.name == "new");
                contract || named_type || func_typed || ctor
            })
            .collect();
        out.sort_by(|a, b| {
            (&a.package, &a.file, a.line, &a.name).cmp(&(&b.package, &b.file, b.line, &b.name))
        });
        out.dedup_by(|a, b| std::ptr::eq(*a, *b));
        out
    }
}

/// A method's name and its parameter and result counts.
type MethodShape<'s> = (&'s str, (usize, usize));

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
fn returns_self(sig: &str, name: &str) -> bool {
    sig.rsplit_once("->")
        .is_some_and(|(_, ret)| crate::resolve::decls::words(ret).any(|w| w == "Self" || w == name))
}

/// `1 field`, `2 fields`.
/// The last segment of a method hit's symbol (`Store.Put` → `Put`).
fn method_name(h: &Hit) -> &str {
    h.symbol.rsplit(['.', ':']).next().unwrap_or(&h.symbol)
}

/// `` `Name` (`path:line`) in `f`, labels ``: the name is one the cited line holds.
fn use_line(i: &Item, h: &Hit, contract: bool) -> String {
    let name = if contract {
        method_name(h).to_string()
    } else if h.source.contains(i.name.as_str()) || !h.source.contains("Self") {
        i.name.clone()
    } else {
        "Self".to_string()
    };
    let mut labels = Vec::new();
    if h.empty == Some(true) {
        labels.push("empty literal".to_string());
    }
    if h.inferred {
        labels.push("*inferred* by method name".to_string());
    }
    if h.test {
        labels.push("test".to_string());
    }
    let enclosing = h
        .enclosing
        .as_deref()
        .map(|e| format!(" in {}", code(e)))
        .unwrap_or_default();
    let labels = if labels.is_empty() {
        String::new()
    } else {
        format!(" — {}", labels.join(", "))
    };
    format!(
        "{}{enclosing}{labels}",
        named(&name, &cite(&h.file, h.line, h.line))
    )
}

fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// `` `Name` (`path:start-end`) ``.
fn named(name: &str, citation: &str) -> String {
    format!("{} (`{citation}`)", code(name))
}

fn inline_list(v: &[(String, String)]) -> String {
    let mut parts: Vec<String> = v
        .iter()
        .take(INLINE_MAX)
        .map(|(n, c)| named(n, c))
        .collect();
    if v.len() > INLINE_MAX {
        parts.push(format!("+{} more", v.len() - INLINE_MAX));
    }
    parts.join(", ")
}

fn more(out: &mut String, total: usize, shown: usize, what: &str) {
    if total > shown {
        let _ = writeln!(out, "- +{} more {what} (raise `--top`).", total - shown);
    }
}

fn more_nested(out: &mut String, total: usize, shown: usize, what: &str) {
    if total > shown {
        let _ = writeln!(out, "  - +{} more {what} (raise `--top`).", total - shown);
    }
}

fn plus(total: usize, shown: usize) -> String {
    if total > shown {
        format!(", +{} more", total - shown)
    } else {
        String::new()
    }
}

fn or_none(v: &[String]) -> String {
    if v.is_empty() {
        "none".to_string()
    } else {
        v.join(", ")
    }
}

fn invariant_priority(word: &str) -> u8 {
    match word.to_ascii_lowercase().as_str() {
        "inv" | "invariant" => 0,
        "safety" => 1,
        _ => 2,
    }
}

/// Whether `i` is a program's entry point: Go `func main` of package `main`;
/// Rust `fn main` at the root of a crate (binary targets).
fn is_entry_point(inv: &Inventory, i: &Item) -> bool {
    if i.name != "main"
        || i.parent.is_some()
        || !i.namespace.is_empty()
        || !matches!(i.kind.as_str(), "func" | "fn")
        // A Cargo build script runs at build time; it is no entry point of the product.
        || i.file == "build.rs"
        || i.file.ends_with("/build.rs")
    {
        return false;
    }
    inv.packages.iter().any(|p| {
        p.path == i.package
            && match lang_by_name(&p.language).map(|l| l.packages) {
                Some(PackageRule::Directory) => p.name == "main",
                Some(PackageRule::ModuleTree) => p.crate_name.as_deref() == Some(p.path.as_str()),
                None => false,
            }
    })
}

/// Graph labels: each package's path without the prefix all share, or its
/// full path when that leaves it empty or ambiguous.
fn mermaid_labels<'p>(pkgs: &[&'p String]) -> BTreeMap<&'p str, String> {
    let first = pkgs.first().map_or("", |p| p.as_str());
    let mut common = first.len();
    for p in pkgs {
        common = common.min(
            first
                .bytes()
                .zip(p.bytes())
                .take_while(|(a, b)| a == b)
                .count(),
        );
    }
    // Cut at a separator so labels start at a whole segment.
    let cut = first[..common].rfind(['/', ':']).map_or(0, |i| i + 1);
    let mut out: BTreeMap<&str, String> = BTreeMap::new();
    for p in pkgs {
        let rest = p.get(cut..).unwrap_or(p).trim_start_matches([':', '/']);
        out.insert(
            p.as_str(),
            if rest.is_empty() {
                short(p).to_string()
            } else {
                rest.to_string()
            },
        );
    }
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for l in out.values() {
        *seen.entry(l.clone()).or_default() += 1;
    }
    for (p, l) in out.iter_mut() {
        if seen[l.as_str()] > 1 {
            *l = (*p).to_string();
        }
    }
    out
}

/// The last segment of a package path, for compact names.
fn short(pkg: &str) -> &str {
    pkg.rsplit(['/', ':']).next().unwrap_or(pkg)
}

/// First sentence of a doc comment and how many doc lines it spans.
pub(crate) fn first_sentence(doc: &str) -> (String, u32) {
    let mut sentence = String::new();
    let mut lines = 0u32;
    for line in doc.lines() {
        lines += 1;
        let line = line.trim();
        if line.is_empty() {
            break;
        }
        if !sentence.is_empty() {
            sentence.push(' ');
        }
        if let Some(end) = sentence_end(line) {
            sentence.push_str(&line[..end]);
            break;
        }
        sentence.push_str(line);
    }
    (sentence.trim().to_string(), lines.max(1))
}

fn sentence_end(line: &str) -> Option<usize> {
    let b = line.as_bytes();
    let abbreviation = |i: usize| ["e.g", "i.e"].iter().any(|a| line[..i].ends_with(a));
    (0..b.len())
        .find(|&i| b[i] == b'.' && (i + 1 == b.len() || b[i + 1] == b' ') && !abbreviation(i))
        .map(|i| i + 1)
}

/// Parameter and result counts of a Go signature tail `(a, b int) (x, error)`.
fn arity(sig: &str) -> (usize, usize) {
    let groups = paren_groups(sig);
    let params = groups.first().map_or(0, |g| count_list(g));
    let results = match groups.get(1) {
        Some(g) => count_list(g),
        None => {
            // A single unparenthesized result: anything after the params.
            let after = sig.rfind(')').map_or("", |i| sig[i + 1..].trim());
            usize::from(!after.is_empty())
        }
    };
    (params, results)
}

/// The part of a method signature after its name: `func (r *T) Get(k string) error` → `(k string) error`.
fn method_tail<'s>(sig: &'s str, name: &str) -> &'s str {
    let needle = format!("{name}(");
    sig.find(&needle).map_or(sig, |i| &sig[i + name.len()..])
}

/// Results of a Go function signature: the text after the parameter list.
fn results(sig: &str) -> &str {
    let mut depth = 0i32;
    let open = sig.find('(').unwrap_or(sig.len());
    // Skip a receiver: `func (r *T) Name(...)`.
    let start = if sig[..open].trim() == "func" {
        sig[open..].find(')').map_or(open, |i| open + i + 1)
    } else {
        0
    };
    for (i, c) in sig[start..].char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return &sig[start + i + 1..];
                }
            }
            _ => {}
        }
    }
    ""
}

/// Top-level parenthesized groups' contents.
fn paren_groups(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    for (i, c) in s.char_indices() {
        match c {
            '(' => {
                if depth == 0 {
                    start = i + 1;
                }
                depth += 1;
            }
            ')' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    out.push(&s[start..i]);
                }
            }
            _ => {}
        }
    }
    out
}

fn count_list(s: &str) -> usize {
    if s.trim().is_empty() {
        return 0;
    }
    let mut depth = 0i32;
    let mut n = 1;
    for c in s.chars() {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth -= 1,
            ',' if depth == 0 => n += 1,
            _ => {}
        }
    }
    n
}

/// The base name of a Go function's first result: `(*DB, error)` → `DB`.
fn first_result(sig: &str) -> &str {
    let r = results(sig).trim();
    let r = r.strip_prefix('(').unwrap_or(r);
    let end = r.find([',', ')']).unwrap_or(r.len());
    let t = r[..end].trim();
    // A named result: `(db *DB, err error)`.
    let t = t.rsplit(' ').next().unwrap_or(t);
    let t = t.trim_start_matches('*');
    t.split('[').next().unwrap_or(t)
}

/// Inline code that survives any backticks in `s`.
pub(crate) fn code(s: &str) -> String {
    let s = s.replace('\n', " ");
    let mut longest = 0;
    let mut run = 0;
    for c in s.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    if longest == 0 {
        return format!("`{s}`");
    }
    let ticks = "`".repeat(longest + 1);
    format!("{ticks} {s} {ticks}")
}

/// A fence longer than any backtick run in the text.
pub(crate) fn fence_for(text: &str) -> String {
    let mut longest = 0;
    for line in text.lines() {
        let t = line.trim_start();
        let run = t.chars().take_while(|c| *c == '`').count();
        longest = longest.max(run);
    }
    "`".repeat(longest.max(2) + 1)
}

/// Escape Markdown punctuation in prose.
pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '!' | '~' | '&'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A table cell: pipes escaped (GFM splits cells on `|`, even in code spans).
pub(crate) fn cell(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut prev = ' ';
    for c in s.chars() {
        if c == '|' && prev != '\\' {
            out.push('\\');
        }
        out.push(c);
        prev = c;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arity_counts_params_and_results() {
        assert_eq!(arity("(key string) ([]byte, error)"), (1, 2));
        assert_eq!(arity("(a, b int) error"), (2, 1));
        assert_eq!(arity("()"), (0, 0));
        assert_eq!(arity("(f func(int, int) bool) (n int)"), (1, 1));
    }

    #[test]
    fn results_skip_receiver_and_params() {
        assert_eq!(
            results("func (db *DB) Get(k string) (*Tx, error)").trim(),
            "(*Tx, error)"
        );
        assert_eq!(
            results("func Open(p string) (*DB, error)").trim(),
            "(*DB, error)"
        );
    }

    #[test]
    fn mermaid_labels_drop_the_shared_prefix() {
        let a = "go.etcd.io/bbolt".to_string();
        let b = "go.etcd.io/bbolt/cmd/bbolt".to_string();
        let c = "go.etcd.io/bbolt/errors".to_string();
        let l = mermaid_labels(&[&a, &b, &c]);
        assert_eq!(l[a.as_str()], "bbolt");
        assert_eq!(l[b.as_str()], "bbolt/cmd/bbolt");
        assert_eq!(l[c.as_str()], "bbolt/errors");
    }

    #[test]
    fn first_results() {
        assert_eq!(first_result("func Open(p string) (*DB, error)"), "DB");
        assert_eq!(first_result("func New() *List[T]"), "List");
        assert_eq!(first_result("func (t *T) F() (db *DB, err error)"), "DB");
        assert_eq!(first_result("func F()"), "");
    }

    #[test]
    fn code_spans_survive_backticks() {
        assert_eq!(code("a"), "`a`");
        assert_eq!(code("a`b"), "`` a`b ``");
        assert_eq!(fence_for("x\n```y"), "````");
    }

    #[test]
    fn first_sentences() {
        assert_eq!(
            first_sentence("Package a does b. More."),
            ("Package a does b.".into(), 1)
        );
        assert_eq!(
            first_sentence("Package a\ndoes e.g. b.\n\nMore"),
            ("Package a does e.g. b.".into(), 2)
        );
    }
}
