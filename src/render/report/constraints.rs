//! Sections 5–7 and the open uncertainties: invariants (guards with a
//! condition or message, `INV-` and contract comments; not `panic(err)`,
//! not generated, mock or test code), the data and configuration files the
//! code names, module boundaries and architectural constraints
//! (dependencies, `internal/` boundaries something outside could cross,
//! entry points, build constraints once each).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use super::{count, is_mock_path, more, named, Ctx, Fit};
use crate::model::{cite, Item, SiteKind};
use crate::render::markdown::{code, esc, is_entry_point};
use crate::scan::syntax::is_cfg_test;

pub(super) fn invariants(ctx: &Ctx, budget: usize) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "### 5. Key invariants and assumptions\n");
    let generated: BTreeSet<&str> = ctx
        .inv
        .items
        .iter()
        .filter(|i| i.generated)
        .map(|i| i.file.as_str())
        .collect();
    let clean = |f: &str| !generated.contains(f) && !is_mock_path(f);
    // Exported items with a doc comment, and the documented methods of
    // exported interfaces (Go's are members, not items), by file: a stated
    // invariant inside one's doc is that item's or method's contract.
    let mut documented: BTreeMap<&str, Vec<Documented>> = BTreeMap::new();
    for i in ctx.items() {
        if !super::EXPORTED.contains(&i.visibility.as_str()) {
            continue;
        }
        if let Some(doc) = &i.doc {
            documented
                .entry(i.file.as_str())
                .or_default()
                .push(Documented {
                    name: i.name.clone(),
                    line: i.line,
                    doc_lines: doc.lines().count().max(1) as u32,
                    // Attributes between the doc and the item (`#[derive]`) add a few lines.
                    slack: i.attributes.len() as u32,
                });
        }
        if super::is_contract(i) {
            for m in &i.members {
                if let (Some(doc), "interface_method") = (&m.doc, m.kind.as_str()) {
                    documented
                        .entry(i.file.as_str())
                        .or_default()
                        .push(Documented {
                            name: format!("{}.{}", i.name, m.name),
                            line: m.line,
                            doc_lines: doc.lines().count().max(1) as u32,
                            slack: 0,
                        });
                }
            }
        }
    }
    // One line per statement, in file order within its priority; the same
    // sentence stated in several places (not a contract, which names its
    // item) is one line citing each.
    let mut stated: Vec<Stated> = Vec::new();
    let mut same: BTreeMap<(String, String), usize> = BTreeMap::new();
    for (n, s) in ctx.sites(SiteKind::Invariant) {
        if !clean(&n.file) || is_variance(&s.text) {
            continue;
        }
        let owner = documented
            .get(n.file.as_str())
            .and_then(|items| items.iter().find(|d| d.covers(s.line, s.end_line)));
        let prio = match (s.name.to_ascii_lowercase().as_str(), owner) {
            ("inv" | "invariant", _) => 0,
            (_, Some(_)) => 2,
            ("safety", None) => 3,
            _ => 4,
        };
        let citation = cite(&n.file, s.line, s.end_line);
        if owner.is_none() {
            if let Some(&at) = same.get(&(s.name.clone(), s.text.clone())) {
                stated[at].cites.push(citation);
                continue;
            }
            same.insert((s.name.clone(), s.text.clone()), stated.len());
        }
        stated.push(Stated {
            prio,
            // `Name`:N is line N of the file cited right before.
            owner: owner.map(|i| format!(" of {}:{}", code(&i.name), i.line)),
            name: &s.name,
            text: &s.text,
            cites: vec![citation],
        });
    }
    let mut lines: Vec<(u8, String)> = stated
        .into_iter()
        .map(|st| {
            let label = if st.owner.is_some() {
                "contract"
            } else {
                "stated"
            };
            let also = if st.cites.len() > 1 {
                let rest: Vec<String> = st.cites[1..].iter().map(|c| format!("`{c}`")).collect();
                format!(" (also {})", rest.join(", "))
            } else {
                String::new()
            };
            (
                st.prio,
                format!(
                    "- *{label}* {}{}: {}{also}\n",
                    named(st.name, &st.cites[0]),
                    st.owner.unwrap_or_default(),
                    esc(st.text)
                ),
            )
        })
        .collect();
    // Assertions (`panic("…")`, `assert!`) state what the code assumes: in
    // file order. Validation guards (`if … { return fmt.Errorf }`) reject
    // input: breadth first, each file's first, then each file's second, …
    // (a validator file of thirty checks does not crowd out the others).
    let mut asserts: Vec<(u8, String)> = Vec::new();
    let mut validations: Vec<(usize, usize, String)> = Vec::new();
    let mut per_file: BTreeMap<&str, usize> = BTreeMap::new();
    for (n, s) in ctx.sites(SiteKind::Guard) {
        if !clean(&n.file) || !meaningful_guard(&s.text) {
            continue;
        }
        let line = format!(
            "- *guard* {}: {}\n",
            named(&s.name, &cite(&n.file, s.line, s.end_line)),
            code(&s.text)
        );
        if s.text.starts_with("if ") {
            let nth = per_file.entry(n.file.as_str()).or_default();
            *nth += 1;
            validations.push((*nth, validations.len(), line));
        } else {
            asserts.push((1, line));
        }
    }
    validations.sort();
    // Explicit markers, then assertions; then stated comments (contracts of
    // exported items, then SAFETY, then other modal words, each in file
    // order) and validation guards taken in turn, so neither crowds the
    // other out of the budget.
    lines.sort_by_key(|(p, _)| *p);
    let rest = lines.split_off(lines.iter().take_while(|(p, _)| *p == 0).count());
    lines.extend(asserts);
    let mut rest = rest.into_iter();
    let mut validations = validations.into_iter().map(|(_, _, l)| (1, l));
    loop {
        let (a, b) = (rest.next(), validations.next());
        if a.is_none() && b.is_none() {
            break;
        }
        lines.extend(a.into_iter().chain(b));
    }
    if lines.is_empty() {
        let _ = writeln!(
            out,
            "*uncertain*: no guard or invariant comment was found.\n"
        );
        return out;
    }
    let mut fit = Fit::new(budget.saturating_sub(super::count_tokens(&out)), ctx.top);
    let shown = fit.push_all(&mut out, lines.iter().map(|(_, l)| l.as_str()));
    more(
        &mut out,
        lines.len(),
        shown,
        "invariants and guards",
        "`--focus PKG` lists a package's",
    );
    out.push('\n');
    out
}

/// An invariant statement as the section lists it.
struct Stated<'a> {
    prio: u8,
    /// ` of `Item`:N` for the contract of an exported item.
    owner: Option<String>,
    name: &'a str,
    text: &'a str,
    /// Where it is stated, the first one named.
    cites: Vec<String>,
}

/// A documented declaration whose doc may state a contract: an exported
/// item, or a method of an exported interface (`Store.Get`).
struct Documented {
    name: String,
    line: u32,
    doc_lines: u32,
    /// Lines allowed between the doc and the declaration (attributes).
    slack: u32,
}

impl Documented {
    /// Whether lines `a..=b` lie in the doc comment right above the
    /// declaration (its doc's lines end on the line before it).
    fn covers(&self, a: u32, b: u32) -> bool {
        b < self.line && a + self.doc_lines + self.slack >= self.line
    }
}

/// Rust variance notes (`// invariant in T`, covariant lifetimes) are not invariants.
fn is_variance(text: &str) -> bool {
    let t = text.to_ascii_lowercase();
    t.contains("covariant")
        || t.contains("contravariant")
        || t.contains("invariant in ")
        || t.contains("invariant over ")
        || t.contains("variance")
}

/// A guard worth a planner's time: a message or a condition, not `panic(err)`.
fn meaningful_guard(text: &str) -> bool {
    let Some(open) = text.find('(') else {
        return true;
    };
    let args = text[open + 1..].trim_end_matches(')').trim();
    if text.starts_with("if ") {
        return true;
    }
    !(args.is_empty()
        || args
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '.'))
}

pub(super) fn data_files(ctx: &Ctx, budget: usize) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "### 6. Data and configuration files\n");
    let files: Vec<_> = ctx
        .uses
        .data_files
        .iter()
        .filter(|d| {
            ctx.focus.is_none()
                || ctx
                    .packages()
                    .any(|p| p.files.contains(&d.file) || p.test_files.contains(&d.file))
        })
        .collect();
    if files.is_empty() && ctx.uses.tree_data_files.is_empty() {
        let _ = writeln!(
            out,
            "None: no YAML, JSON or TOML file, and no string literal naming a file of the tree.\n"
        );
        return out;
    }
    // One line per named file: where code names it, code before tests.
    let mut by_path: BTreeMap<&str, Vec<&crate::resolve::sites::DataFile>> = BTreeMap::new();
    for d in &files {
        by_path.entry(d.path.as_str()).or_default().push(d);
    }
    let mut lines: Vec<(bool, String)> = by_path
        .iter()
        .map(|(path, ds)| {
            let d = ds.iter().find(|d| !d.test).unwrap_or(&ds[0]);
            let site = d
                .site
                .as_deref()
                .map(|s| format!(" by {}", code(s)))
                .unwrap_or_default();
            let others = if ds.len() > 1 {
                format!(", {} more", ds.len() - 1)
            } else {
                String::new()
            };
            let test = if d.test { " (test)" } else { "" };
            (
                d.test,
                format!(
                    "- {}{}: named{site} at `{}`{test}{others}\n",
                    code(path),
                    keys(ctx, path),
                    cite(&d.file, d.line, d.line)
                ),
            )
        })
        .collect();
    lines.sort_by_key(|(t, _)| *t);
    let mut fit = Fit::new(budget.saturating_sub(super::count_tokens(&out)), ctx.top);
    let shown = fit.push_all(&mut out, lines.iter().map(|(_, l)| l.as_str()));
    more(
        &mut out,
        lines.len(),
        shown,
        "data files named in code",
        "`--focus PKG`",
    );
    // The tree's other data files, by directory.
    let rest: Vec<&String> = ctx
        .uses
        .tree_data_files
        .iter()
        .filter(|f| !by_path.contains_key(f.as_str()))
        .filter(|f| {
            ctx.focus.is_none()
                || ctx
                    .packages()
                    .any(|p| f.starts_with(&format!("{}/", p.dir)))
        })
        .collect();
    // Shallow files first: a root `config.yaml` says more than the tenth example.
    let mut rest = rest;
    rest.sort_by_key(|f| (f.matches('/').count(), (*f).clone()));
    if !rest.is_empty() {
        let head =
            "Other data and configuration files in the tree (not named by a string literal):\n\n";
        let line = if lines.is_empty() {
            head.to_string()
        } else {
            format!("\n{head}")
        };
        if fit.spend(&line) {
            out.push_str(&line);
            let mut listed = 0;
            for f in &rest {
                let l = format!("- {}{}\n", code(f), keys(ctx, f));
                if !fit.take(&l) {
                    break;
                }
                out.push_str(&l);
                listed += 1;
            }
            more(
                &mut out,
                rest.len(),
                listed,
                "data files",
                "`--format json` does not list them; `git ls-files '*.yaml'` does",
            );
        }
    }
    out.push('\n');
    out
}

/// Top-level keys a data file line shows at most; the rest are counted.
const KEYS_PER_FILE: usize = 8;

/// ` keys `a`:1, `b`:7 +3` for a data file whose keys were read, else nothing:
/// each `` `key`:N `` is line N of the file named right before.
fn keys(ctx: &Ctx, path: &str) -> String {
    let Some(keys) = ctx.uses.data_keys.get(path).filter(|k| !k.is_empty()) else {
        return String::new();
    };
    let shown: Vec<String> = keys
        .iter()
        .take(KEYS_PER_FILE)
        .map(|k| format!("{}:{}", code(&k.name), k.line))
        .collect();
    let rest = keys.len().saturating_sub(KEYS_PER_FILE);
    let rest = if rest > 0 {
        format!(" +{rest} more in the file")
    } else {
        String::new()
    };
    format!(" keys {}{rest}", shown.join(", "))
}

pub(super) fn boundaries(ctx: &Ctx, budget: usize) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "### 7. Module boundaries and architectural constraints\n"
    );
    let g = ctx.graph;
    let pkgs: Vec<&String> = g.deps.keys().filter(|p| ctx.in_focus(p)).collect();
    let mut fit = Fit::new(budget, ctx.top);
    // Entry points first: what runs.
    let mains: Vec<&Item> = ctx.items().filter(|i| is_entry_point(ctx.inv, i)).collect();
    if mains.is_empty() {
        let _ = writeln!(
            out,
            "- Entry points: none (a library: no `main` package or binary target)."
        );
    } else {
        let v: Vec<String> = mains
            .iter()
            .map(|i| {
                format!(
                    "{} in {}",
                    named(&i.name, &i.citation()),
                    code(&ctx.package_label(&i.package))
                )
            })
            .collect();
        let line = format!("- Entry points: {}\n", v.join("; "));
        fit.spend(&line);
        out.push_str(&line);
    }
    // Internal dependencies, most depended-on first.
    let mut order: Vec<&&String> = pkgs.iter().collect();
    order.sort_by_key(|p| {
        (
            std::cmp::Reverse(g.dependents.get(**p).map_or(0, BTreeSet::len)),
            (**p).clone(),
        )
    });
    let layered = format!(
        "- Layers (*inferred from imports*; layer 0 imports nothing internal): {} packages, {}.\n",
        pkgs.len(),
        if g.cycles.is_empty() {
            "no import cycles".to_string()
        } else {
            count(g.cycles.len(), "import cycle")
        }
    );
    fit.spend(&layered);
    out.push_str(&layered);
    let head =
        "\n| package | layer | imports (first import cited) | imported by |\n|---|---:|---|---:|\n";
    if fit.spend(head) {
        out.push_str(head);
        let mut shown = 0;
        for p in &order {
            let deps: Vec<String> = g.deps[**p]
                .iter()
                .map(|(d, via)| {
                    // The name the import line holds: the Go package's last
                    // segment, the Rust `use` path as written.
                    let name = if via.path == *d {
                        super::super::markdown::short(d)
                    } else {
                        via.path.as_str()
                    };
                    format!(
                        "{} (`{}`)",
                        code(name),
                        cite(&via.file, via.line, via.end_line)
                    )
                })
                .collect();
            let users = g.dependents.get(**p).map_or(0, BTreeSet::len);
            let row = format!(
                "| {} | {} | {} | {users} |\n",
                code(&ctx.package_label(p)),
                g.layers.get(**p).copied().unwrap_or(0),
                if deps.is_empty() {
                    "—".to_string()
                } else {
                    deps.join(", ")
                }
            );
            if !fit.take(&row) {
                break;
            }
            out.push_str(&row);
            shown += 1;
        }
        out.push('\n');
        more(
            &mut out,
            order.len(),
            shown,
            "packages",
            "`--focus PKG` shows a package's imports",
        );
    }
    for c in &g.cycles {
        let names: Vec<String> = c.iter().map(|n| code(&ctx.package_label(n))).collect();
        let _ = writeln!(out, "- Import cycle: {}", names.join(" ↔ "));
    }
    // `internal/` directories something outside their parent could import.
    let module_roots: BTreeSet<String> = ctx
        .inv
        .packages
        .iter()
        .filter(|p| p.dir == "." || p.dir.is_empty())
        .map(|p| p.path.clone())
        .collect();
    let mut boundaries = Vec::new();
    for p in pkgs
        .iter()
        .filter(|p| p.contains("/internal/") || p.ends_with("/internal"))
    {
        let parent = &p[..p.find("/internal").unwrap_or(p.len())];
        let outside = pkgs
            .iter()
            .any(|q| !q.starts_with(&format!("{parent}/")) && q.as_str() != parent);
        if module_roots.contains(parent) || !outside {
            continue;
        }
        boundaries.push(format!(
            "{} (importable only under {})",
            code(&ctx.package_label(p)),
            code(&ctx.package_label(parent))
        ));
    }
    if !boundaries.is_empty() {
        let line = format!("- `internal/` boundaries: {}\n", boundaries.join("; "));
        if fit.spend(&line) {
            out.push_str(&line);
        }
    }
    // Init-time registrations (statements of Go `func init()`): how plug-ins
    // join. Flag registrations are the CLI table's; a call repeated is one
    // entry with its count.
    let regs = init_registrations(ctx);
    if !regs.is_empty() {
        let v: Vec<String> = regs
            .iter()
            .take(ctx.top.min(8))
            .map(|(name, citation, n)| {
                let times = if *n > 1 {
                    format!(" ×{n}")
                } else {
                    String::new()
                };
                format!("{}{times}", named(name, citation))
            })
            .collect();
        let rest = regs.len().saturating_sub(v.len());
        let rest = if rest > 0 {
            format!(", +{rest} more (`--focus PKG` lists a package's)")
        } else {
            String::new()
        };
        let line = format!("- Init-time registrations: {}{rest}\n", v.join(", "));
        if fit.spend(&line) {
            out.push_str(&line);
        }
    }
    // Build constraints, once per file (`//go:build` wins over `// +build`).
    let mut tags: BTreeMap<&str, (&str, u32)> = BTreeMap::new();
    for (n, s) in ctx.sites(SiteKind::BuildConstraint) {
        tags.entry(n.file.as_str())
            .or_insert((s.text.as_str(), s.line));
    }
    if !tags.is_empty() {
        let mut by_text: BTreeMap<&str, Vec<(&str, u32)>> = BTreeMap::new();
        for (f, (t, l)) in &tags {
            by_text.entry(t).or_default().push((f, *l));
        }
        for (t, fs) in &by_text {
            let line = format!(
                "- Built only where {} (`{}`) holds: {}\n",
                code(t),
                cite(fs[0].0, fs[0].1, fs[0].1),
                count(fs.len(), "file")
            );
            if !fit.take(&line) {
                break;
            }
            out.push_str(&line);
        }
    }
    out.push('\n');
    out
}

pub(super) fn uncertainties(ctx: &Ctx, budget: usize) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "### Open uncertainties\n");
    let mut fit = Fit::new(budget, ctx.top);
    let mut push = |out: &mut String, line: String| {
        if fit.take(&line) {
            out.push_str(&line);
        }
    };
    for d in &ctx.inv.diagnostics {
        let at = d.line.map(|l| format!(" line {l}")).unwrap_or_default();
        push(
            &mut out,
            format!("- *uncertain*: {}{at}: {}\n", code(&d.file), d.message),
        );
    }
    let generated: BTreeSet<&str> = ctx
        .items()
        .filter(|i| i.generated)
        .map(|i| i.file.as_str())
        .collect();
    if !generated.is_empty() {
        push(
            &mut out,
            format!(
                "- *uncertain*: {} generated (edit their generator, not them), e.g. {}\n",
                count(generated.len(), "file"),
                code(generated.iter().next().copied().unwrap_or(""))
            ),
        );
    }
    let gated = ctx
        .items()
        .filter(|i| {
            i.attributes.iter().any(|a| a.starts_with("#[cfg("))
                && !i.attributes.iter().any(|a| is_cfg_test(a))
        })
        .count();
    if gated > 0 {
        push(
            &mut out,
            format!(
                "- *uncertain*: {} compiled only under a `#[cfg]`.\n",
                count(gated, "item")
            ),
        );
    }
    let in_macro = ctx.items().filter(|i| i.in_macro).count();
    if in_macro > 0 {
        push(
            &mut out,
            format!(
                "- *uncertain*: {} written inside macro invocations (read as the body parses, not as it expands).\n",
                count(in_macro, "item")
            ),
        );
    }
    let undocumented = ctx
        .packages()
        .filter(|p| p.doc.is_none() && !p.test)
        .count();
    if undocumented > 0 {
        push(
            &mut out,
            format!(
                "- *uncertain*: {} without a doc comment: their responsibility above is inferred from what they declare.\n",
                count(undocumented, "package")
            ),
        );
    }
    let unresolved = ctx.graph.unresolved.len();
    if unresolved > 0 {
        push(
            &mut out,
            format!(
                "- *uncertain*: {} of packages that were not read.\n",
                count(unresolved, "import")
            ),
        );
    }
    push(
        &mut out,
        "- *inferred*: Go implementors match method names and arity, not full types; Rust references are resolved \
         through `use` bindings, not macro expansion.\n"
            .to_string(),
    );
    out.push('\n');
    out
}

/// Statements of Go `func init()` that are not flag registrations, one entry
/// per called function (the last call of a chain: `viper.BindPFlag(…)` is
/// `BindPFlag`), in source order: (name, first citation, count).
fn init_registrations(ctx: &Ctx) -> Vec<(String, String, usize)> {
    let flags: BTreeSet<(&str, u32)> = ctx
        .sites(SiteKind::Flag)
        .into_iter()
        .flat_map(|(n, s)| (s.line..=s.end_line).map(move |l| (n.file.as_str(), l)))
        .collect();
    let mut out: Vec<(String, String, usize)> = Vec::new();
    let mut at: BTreeMap<String, usize> = BTreeMap::new();
    for (n, s) in ctx.sites(SiteKind::Registration) {
        if (s.line..=s.end_line).any(|l| flags.contains(&(n.file.as_str(), l))) {
            continue;
        }
        let name = if s.text.contains('(') {
            let (func, _) = super::flags::call_parts(&s.text);
            let last = func.rsplit(['.', ' ']).next().unwrap_or("").trim();
            if last.is_empty() {
                s.name.clone()
            } else {
                last.to_string()
            }
        } else {
            s.name.clone()
        };
        match at.get(&name) {
            Some(&i) => out[i].2 += 1,
            None => {
                at.insert(name.clone(), out.len());
                out.push((name, cite(&n.file, s.line, s.end_line), 1));
            }
        }
    }
    out
}
