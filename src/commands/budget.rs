//! Fits the ranked map into a hard token budget.
//!
//! The printed output, counted with the chosen BPE tokenizer, never exceeds
//! the budget. The map is assembled block by block, each block's tokens
//! counted once:
//! 1. the header (commit, scope, focus) is always printed;
//! 2. the frozen interfaces of the focus, at the richest level whose cost fits
//!    [`FROZEN_SHARE`] of the budget (verbatim → signature lines → names with
//!    citations); names take what they need of the whole budget, and only when
//!    even the names do not fit are the lowest-ranked ones left out;
//! 3. the packages table, the rows of the most central packages (the focus's
//!    first) that fit [`PACKAGES_SHARE`] of the budget, printed in path order;
//! 4. ranked declarations, grouped by package, most central first, as many as
//!    fit; members are counted instead of named when fewer than [`MIN_ITEMS`]
//!    would fit with their names;
//! 5. the footer says what was left out.
//!
//! A focus therefore never makes the run fail; only a budget smaller than the
//! header itself does.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use anyhow::bail;
use serde::Serialize;

use crate::analyze::maprank::{rank, resolve_focus, ItemUse, Ranked};
use crate::config::Format;
use crate::model::{Inventory, Item, SCHEMA_VERSION};
use crate::render::map::{
    declarations_heading, footer, frozen_entry, frozen_heading, group_heading, grouped, header,
    item_entry, package_row, packages_heading, render_map, Frozen, FrozenLevel, HeaderInfo,
    LeftOut, MapSelection,
};
use crate::resolve::decls::Decls;
use crate::resolve::graph::SymbolGraph;
use crate::util::tokens::Tokenizer;

/// Below this many listed declarations, members are counted instead of named.
pub(crate) const MIN_ITEMS: usize = 10;
/// Share of the budget the focus's frozen interfaces may take at a level
/// richer than names.
pub(crate) const FROZEN_SHARE: f64 = 0.5;
/// Share of the budget the packages table may take.
pub(crate) const PACKAGES_SHARE: f64 = 0.1;
/// Share of the budget the focus list of the header may take before it is
/// replaced by a count.
const FOCUS_LIST_SHARE: f64 = 0.25;

/// Settings of a budgeted run.
#[derive(Debug, Clone)]
pub(crate) struct BudgetOptions {
    pub budget: usize,
    pub tokenizer: Tokenizer,
    /// Rank in path order (the evaluation baseline) instead of by PageRank.
    pub path_order: bool,
    pub focus: Vec<String>,
    /// The repository read: a focus path that exists there is valid even when
    /// it holds no declaration.
    pub root: PathBuf,
}

/// The fitted map: the selection, its Markdown and the cost of each entry.
#[derive(Debug)]
pub(crate) struct Fitted<'a> {
    pub selection: MapSelection<'a>,
    pub markdown: String,
    pub tokens: usize,
    /// Tokens of each frozen entry, in `selection.frozen` order.
    pub frozen_tokens: Vec<usize>,
    /// Tokens of each listed entry, in `selection.entries` order.
    pub entry_tokens: Vec<usize>,
}

/// Choose what fits and render it. `ranked` is every item, most central
/// first; `frozen` the focus's frozen interfaces, most central first.
pub(crate) fn fit<'a>(
    inv: &'a Inventory,
    ranked: &[Ranked],
    frozen: &[Frozen<'a>],
    focus_list: &'a [String],
    opts: &BudgetOptions,
) -> anyhow::Result<Fitted<'a>> {
    let budget = opts.budget;
    let count = |s: &str| opts.tokenizer.count(s);
    let share = |f: f64| (budget as f64 * f) as usize;

    // 1. Header (the focus list shortened when it would crowd the map out).
    let mut info = HeaderInfo {
        budget,
        tokenizer: opts.tokenizer.name(),
        focus: focus_list,
        focus_count: None,
    };
    let mut used = count(&header(inv, &info));
    if !focus_list.is_empty() && used > share(FOCUS_LIST_SHARE) {
        info.focus = &[];
        info.focus_count = Some(focus_list.len());
        used = count(&header(inv, &info));
    }
    // The footer's longest form, reserved up front.
    let worst = LeftOut {
        declarations: ranked.len(),
        total_declarations: ranked.len(),
        frozen: frozen.len(),
        frozen_level: FrozenLevel::Names,
        members_collapsed: true,
        packages: inv.packages.len(),
    };
    used += count(&footer(inv, &worst));
    if used > budget {
        bail!("--budget {budget} is too small: the header and footer alone take {used} tokens");
    }

    // 2. Frozen interfaces of the focus.
    let frozen_items: BTreeSet<usize> = frozen.iter().map(|f| f.item).collect();
    let mut frozen_level = FrozenLevel::Verbatim;
    let mut frozen_tokens: Vec<usize> = Vec::new();
    let mut frozen_keep = 0;
    if !frozen.is_empty() {
        let heading = count(frozen_heading());
        let costs = |level: FrozenLevel| -> Vec<usize> {
            frozen
                .iter()
                .map(|f| count(&frozen_entry(&inv.items[f.item], f.verbatim, level)))
                .collect()
        };
        // Richer levels may take a share of the budget, all of it when
        // nothing else would be listed; names take what they need.
        let rich_limit = if ranked.len() == frozen.len() {
            budget
        } else {
            share(FROZEN_SHARE)
        };
        let mut chosen = (FrozenLevel::Names, costs(FrozenLevel::Names));
        for level in [FrozenLevel::Verbatim, FrozenLevel::Signatures] {
            let c = costs(level);
            if used + heading + c.iter().sum::<usize>() <= rich_limit {
                chosen = (level, c);
                break;
            }
        }
        let (level, c) = chosen;
        frozen_level = level;
        let mut total = used + heading;
        for &t in &c {
            if total + t > budget {
                break;
            }
            total += t;
            frozen_keep += 1;
        }
        if frozen_keep > 0 {
            used = total;
        }
        frozen_tokens = c[..frozen_keep].to_vec();
    }

    // 3. The packages table: the most central packages first.
    let package_order = package_priority(inv, ranked, frozen);
    let mut packages: Vec<usize> = Vec::new();
    {
        let limit = share(PACKAGES_SHARE);
        let mut cost = count(packages_heading());
        for &p in &package_order {
            let row = count(&package_row(&inv.packages[p]));
            if cost + row > limit || used + cost + row > budget {
                break;
            }
            cost += row;
            packages.push(p);
        }
        if packages.is_empty() {
            cost = 0;
        }
        used += cost;
    }

    // 4. Ranked declarations, the frozen ones not repeated.
    let candidates: Vec<usize> = ranked
        .iter()
        .map(|r| r.item)
        .filter(|i| !frozen_items.contains(i))
        .collect();
    let take = |collapse: bool| -> (Vec<usize>, Vec<usize>) {
        let mut total = used + count(declarations_heading());
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        let (mut keep, mut costs) = (Vec::new(), Vec::new());
        for &i in &candidates {
            let item = &inv.items[i];
            let c = count(&item_entry(item, collapse));
            let group = if seen.contains(item.package.as_str()) {
                0
            } else {
                count(&group_heading(&item.package))
            };
            if total + c + group > budget {
                break;
            }
            total += c + group;
            seen.insert(&item.package);
            keep.push(i);
            costs.push(c);
        }
        (keep, costs)
    };
    let (mut entries, mut entry_tokens) = take(false);
    let mut collapse = false;
    if entries.len() < MIN_ITEMS.min(candidates.len()) {
        let (e, c) = take(true);
        if e.len() > entries.len() {
            (entries, entry_tokens, collapse) = (e, c, true);
        }
    }

    // 5. Render; BPE merges across block boundaries can only make the whole
    // cheaper than its parts, but check and trim to be exact.
    let frozen_sel: Vec<Frozen<'a>> = frozen[..frozen_keep].to_vec();
    loop {
        let selection = MapSelection {
            header: info.clone(),
            // Printed in path order; `packages` stays most central first,
            // so trimming drops the least central row.
            packages: {
                let mut rows = packages.clone();
                rows.sort_unstable();
                rows
            },
            frozen: frozen_sel[..frozen_tokens.len()].to_vec(),
            frozen_level,
            entries: entries.clone(),
            collapse_members: collapse,
            left: LeftOut {
                declarations: candidates.len() - entries.len(),
                total_declarations: candidates.len(),
                frozen: frozen.len() - frozen_tokens.len(),
                frozen_level: if frozen.is_empty() {
                    FrozenLevel::Verbatim
                } else {
                    frozen_level
                },
                members_collapsed: collapse
                    && entries.iter().any(|&i| !inv.items[i].members.is_empty()),
                packages: inv.packages.len() - packages.len(),
            },
        };
        let markdown = render_map(inv, &selection);
        let tokens = count(&markdown);
        if tokens <= budget {
            return Ok(Fitted {
                selection,
                markdown,
                tokens,
                frozen_tokens,
                entry_tokens,
            });
        }
        // Trim the least valuable block first: the last entry, then the least
        // central package row, then the last frozen interface.
        let trimmed = if entries.pop().is_some() {
            entry_tokens.pop().is_some()
        } else {
            packages.pop().is_some() || frozen_tokens.pop().is_some()
        };
        if !trimmed {
            bail!("--budget {budget} is too small: the header alone takes {tokens} tokens");
        }
    }
}

/// Packages most central first: the focus's packages, then by the summed
/// score of their items; ties by path.
fn package_priority(inv: &Inventory, ranked: &[Ranked], frozen: &[Frozen]) -> Vec<usize> {
    let index: BTreeMap<&str, usize> = inv
        .packages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.path.as_str(), i))
        .collect();
    let mut score = vec![0.0f64; inv.packages.len()];
    let mut focus = vec![false; inv.packages.len()];
    for r in ranked {
        if let Some(&p) = index.get(inv.items[r.item].package.as_str()) {
            score[p] += r.score;
            focus[p] |= r.focus;
        }
    }
    for f in frozen {
        if let Some(&p) = index.get(inv.items[f.item].package.as_str()) {
            focus[p] = true;
        }
    }
    let mut order: Vec<usize> = (0..inv.packages.len()).collect();
    order.sort_by(|&a, &b| {
        focus[b]
            .cmp(&focus[a])
            .then(score[b].total_cmp(&score[a]))
            .then(a.cmp(&b))
    });
    order
}

/// The JSON form of a budgeted selection: exactly what the Markdown shows,
/// each entry with its rank and the tokens it costs there.
#[derive(Debug, Serialize)]
pub(crate) struct Selection<'a> {
    pub schema_version: u32,
    pub root: &'a str,
    pub commit: Option<&'a str>,
    pub budget: usize,
    pub tokenizer: &'static str,
    /// Tokens of the whole Markdown map of this selection.
    pub tokens: usize,
    pub focus: &'a [String],
    /// How the frozen interfaces are printed: `verbatim`, `signatures`, `names`.
    pub frozen_level: &'static str,
    pub members_collapsed: bool,
    /// Package paths of the packages table, in path order.
    pub packages: Vec<&'a str>,
    /// The frozen interfaces of the focus printed, then the declarations listed.
    pub items: Vec<SelectedItem<'a>>,
    /// Declarations left out (lowest ranked).
    pub left_out: usize,
    /// Frozen interfaces of the focus left out (lowest ranked).
    pub frozen_left_out: usize,
}

/// One selected item.
#[derive(Debug, Serialize)]
pub(crate) struct SelectedItem<'a> {
    /// `frozen` (the focus's frozen interfaces) or `declarations`.
    pub section: &'static str,
    /// 1-based position in the ranking.
    pub rank: usize,
    pub score: f64,
    /// Tokens of this item's entry in the Markdown map.
    pub tokens: usize,
    pub focus: bool,
    #[serde(flatten)]
    pub item: &'a Item,
}

/// Build the JSON selection of a fitted map.
pub(crate) fn selection<'a>(
    inv: &'a Inventory,
    ranked: &[Ranked],
    fitted: &Fitted<'a>,
    opts: &BudgetOptions,
    focus_list: &'a [String],
) -> Selection<'a> {
    let position: BTreeMap<usize, (usize, &Ranked)> = ranked
        .iter()
        .enumerate()
        .map(|(i, r)| (r.item, (i + 1, r)))
        .collect();
    let sel = &fitted.selection;
    let mut items = Vec::new();
    let sections = sel
        .frozen
        .iter()
        .map(|f| f.item)
        .zip(&fitted.frozen_tokens)
        .map(|(i, t)| ("frozen", i, *t))
        .chain({
            // In the Markdown's order: grouped by package.
            let cost: BTreeMap<usize, usize> = sel
                .entries
                .iter()
                .copied()
                .zip(fitted.entry_tokens.iter().copied())
                .collect();
            grouped(inv, &sel.entries)
                .into_iter()
                .flat_map(|(_, items)| items)
                .map(move |i| ("declarations", i, cost[&i]))
        });
    for (section, i, tokens) in sections {
        let (rank, r) = position[&i];
        items.push(SelectedItem {
            section,
            rank,
            score: r.score,
            tokens,
            focus: r.focus,
            item: &inv.items[i],
        });
    }
    Selection {
        schema_version: SCHEMA_VERSION,
        root: &inv.root,
        commit: inv.commit.as_deref(),
        budget: opts.budget,
        tokenizer: opts.tokenizer.name(),
        tokens: fitted.tokens,
        focus: focus_list,
        frozen_level: sel.frozen_level.name(),
        members_collapsed: sel.collapse_members,
        packages: sel
            .packages
            .iter()
            .map(|&p| inv.packages[p].path.as_str())
            .collect(),
        items,
        left_out: sel.left.declarations,
        frozen_left_out: sel.left.frozen,
    }
}

/// The map's edges, read from the symbol graph: per (non-test file,
/// declaration) the count of exact uses. A use of a member the map does not
/// list on its own (a field, a variant, an interface method) is a use of the
/// item that declares it. The one place the map reads the graph.
pub(crate) fn map_uses(graph: &SymbolGraph, decls: &Decls, inv: &Inventory) -> Vec<ItemUse> {
    let at: BTreeMap<(&str, u32, &str), usize> = inv
        .items
        .iter()
        .enumerate()
        .map(|(i, it)| ((it.file.as_str(), it.line, it.name.as_str()), i))
        .collect();
    let item_of = |key: &str| -> Option<usize> {
        let d = decls.get_key(key)?;
        if let Some(&i) = at.get(&(d.file.as_str(), d.line, d.name.as_str())) {
            return Some(i);
        }
        let owner = decls.get(d.path.get(..d.path.len().checked_sub(1)?)?)?;
        at.get(&(owner.file.as_str(), owner.line, owner.name.as_str()))
            .copied()
    };
    let mut items: BTreeMap<&str, Option<usize>> = BTreeMap::new();
    let mut counts: BTreeMap<(&str, usize), u32> = BTreeMap::new();
    for u in graph.exact() {
        if u.test() {
            continue;
        }
        let key = u.key();
        let item = *items.entry(key).or_insert_with(|| item_of(key));
        if let Some(i) = item {
            *counts.entry((u.file(), i)).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .map(|((file, item), count)| ItemUse {
            file: file.to_string(),
            item,
            count,
        })
        .collect()
}

/// The whole `--budget` job: rank, fit, render Markdown or JSON.
pub(crate) fn run_budget(
    inv: &Inventory,
    uses: &[ItemUse],
    opts: &BudgetOptions,
    format: Format,
) -> anyhow::Result<String> {
    // Order-independent: the focus is a set.
    let mut focus_list = opts.focus.clone();
    focus_list.sort();
    focus_list.dedup();
    let focus = resolve_focus(inv, &focus_list, &opts.root);
    if !focus.unmatched.is_empty() {
        bail!(
            "--focus {} matches no package, path or declaration",
            focus.unmatched.join(", ")
        );
    }
    let mut ranked = rank(inv, uses, &focus);
    if opts.path_order {
        // Items are already sorted by path and line.
        ranked.sort_by_key(|r| r.item);
    }
    // The focus's frozen interfaces: its exported declarations.
    let frozen: Vec<Frozen> = ranked
        .iter()
        .filter(|r| r.focus)
        .filter_map(|r| {
            inv.items[r.item].source.as_ref().map(|s| Frozen {
                item: r.item,
                verbatim: Some((s.text.as_str(), s.end_line)),
            })
        })
        .collect();
    let fitted = fit(inv, &ranked, &frozen, &focus_list, opts)?;
    Ok(match format {
        Format::Markdown => fitted.markdown,
        Format::Json => {
            let sel = selection(inv, &ranked, &fitted, opts, &focus_list);
            let mut s = serde_json::to_string_pretty(&sel)?;
            s.push('\n');
            s
        }
    })
}
