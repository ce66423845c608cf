//! Fits the ranked map into a hard token budget.
//!
//! The printed output, counted with the chosen BPE tokenizer, never exceeds
//! the budget. It degrades in this order, each step only when the previous
//! one cannot keep at least [`MIN_ITEMS`] declarations:
//! 1. drop the lowest-ranked declarations;
//! 2. collapse members to counts;
//! 3. shorten the packages table to the focus neighbourhood (the packages of
//!    the focus and of the declarations still listed).
//!
//! The header (commit, scope) and the frozen interfaces of the focus are
//! always kept; when they alone exceed the budget the run fails with the
//! number of tokens they need.

use std::collections::BTreeSet;

use anyhow::bail;
use serde::Serialize;

use crate::analyze::maprank::{rank, resolve_focus, FileRefs, Focus, Ranked};
use crate::config::Format;
use crate::model::{Inventory, Item, Source, SCHEMA_VERSION};
use crate::render::map::{item_entry, render_map, MapView, PackageScope};
use crate::util::tokens::Tokenizer;

/// Below this many listed declarations the next degradation step is taken.
pub(crate) const MIN_ITEMS: usize = 10;

/// The chosen selection and its rendering.
#[derive(Debug)]
pub(crate) struct Fitted {
    pub markdown: String,
    pub tokens: usize,
    pub keep: usize,
    pub collapse_members: bool,
}

/// Settings of a budgeted run.
#[derive(Debug, Clone)]
pub(crate) struct BudgetOptions {
    pub budget: usize,
    pub tokenizer: Tokenizer,
    /// Rank in path order (the evaluation baseline) instead of by PageRank.
    pub path_order: bool,
    pub focus: Vec<String>,
}

/// Rank, then fit. `frozen_text` gives an item's verbatim declaration.
pub(crate) fn fit(
    inv: &Inventory,
    ranked: &[Ranked],
    frozen: &[(usize, &Source)],
    opts: &BudgetOptions,
) -> anyhow::Result<Fitted> {
    let neighbourhood = |keep: usize| -> BTreeSet<String> {
        let mut set: BTreeSet<String> = ranked[..keep.min(ranked.len())]
            .iter()
            .map(|r| inv.items[r.item].package.clone())
            .collect();
        set.extend(
            ranked
                .iter()
                .filter(|r| r.focus)
                .map(|r| inv.items[r.item].package.clone()),
        );
        set
    };
    let count = |keep: usize, collapse: bool, narrow: bool| -> (String, usize) {
        let packages = if narrow {
            PackageScope::Only(neighbourhood(keep))
        } else {
            PackageScope::All
        };
        let view = MapView {
            inv,
            ranked,
            keep,
            collapse_members: collapse,
            packages,
            budget: opts.budget,
            tokenizer: opts.tokenizer.name(),
            focus: &opts.focus,
            frozen,
        };
        let text = render_map(&view);
        let n = opts.tokenizer.count(&text);
        (text, n)
    };
    let levels = [(false, false), (true, false), (true, true)];
    let floor = MIN_ITEMS.min(ranked.len());
    for (i, &(collapse, narrow)) in levels.iter().enumerate() {
        let last = i + 1 == levels.len();
        let (text0, n0) = count(0, collapse, narrow);
        if n0 > opts.budget {
            if last {
                bail!(
                    "--budget {} is too small: the header and the focus's frozen interfaces alone take {n0} tokens",
                    opts.budget
                );
            }
            continue;
        }
        // Largest `keep` that fits: binary search, then step down in case
        // BPE merges make the count not quite monotone.
        let (mut lo, mut hi) = (0usize, ranked.len());
        while lo < hi {
            let mid = lo + (hi - lo).div_ceil(2);
            if count(mid, collapse, narrow).1 <= opts.budget {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        let mut keep = lo;
        // `keep == 0` was rendered above and fits: no need to render it again.
        let mut best = if keep == 0 {
            (text0, n0)
        } else {
            count(keep, collapse, narrow)
        };
        while best.1 > opts.budget && keep > 0 {
            keep -= 1;
            best = count(keep, collapse, narrow);
        }
        if keep >= floor || last {
            return Ok(Fitted {
                markdown: best.0,
                tokens: best.1,
                keep,
                collapse_members: collapse,
            });
        }
    }
    bail!("--budget {} is too small", opts.budget)
}

/// The JSON form of a budgeted selection: each item with its rank and the
/// tokens its entry costs, so a caller can assemble its own prompt.
#[derive(Debug, Serialize)]
pub(crate) struct Selection<'a> {
    pub schema_version: u32,
    pub root: &'a str,
    pub commit: Option<&'a str>,
    pub budget: usize,
    pub tokenizer: &'static str,
    /// Tokens of the Markdown map of this selection.
    pub tokens: usize,
    pub focus: &'a [String],
    pub members_collapsed: bool,
    pub items: Vec<SelectedItem<'a>>,
    /// Declarations left out (lowest ranked).
    pub left_out: usize,
}

/// One selected item.
#[derive(Debug, Serialize)]
pub(crate) struct SelectedItem<'a> {
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
    fitted: &Fitted,
    opts: &'a BudgetOptions,
) -> Selection<'a> {
    let items = ranked[..fitted.keep]
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let item = &inv.items[r.item];
            SelectedItem {
                rank: i + 1,
                score: r.score,
                tokens: opts
                    .tokenizer
                    .count(&item_entry(item, i + 1, fitted.collapse_members)),
                focus: r.focus,
                item,
            }
        })
        .collect();
    Selection {
        schema_version: SCHEMA_VERSION,
        root: &inv.root,
        commit: inv.commit.as_deref(),
        budget: opts.budget,
        tokenizer: opts.tokenizer.name(),
        tokens: fitted.tokens,
        focus: &opts.focus,
        members_collapsed: fitted.collapse_members,
        items,
        left_out: ranked.len() - fitted.keep,
    }
}

/// References per non-test file, from the facts the scan collected.
fn file_refs(inv: &Inventory) -> Vec<FileRefs> {
    inv.notes
        .iter()
        .filter(|n| !n.test)
        .map(|n| FileRefs {
            file: n.file.clone(),
            package: n.package.clone(),
            refs: n
                .references
                .iter()
                .map(|r| (r.qualifier.clone(), r.name.clone()))
                .collect(),
        })
        .collect()
}

/// The whole `--budget` job: rank, fit, render Markdown or JSON.
pub(crate) fn run_budget(
    inv: &Inventory,
    opts: &BudgetOptions,
    format: Format,
) -> anyhow::Result<String> {
    let focus: Focus = resolve_focus(inv, &opts.focus);
    if !focus.unmatched.is_empty() {
        bail!(
            "--focus {} matches no package, path or declaration",
            focus.unmatched.join(", ")
        );
    }
    let refs = file_refs(inv);
    let mut ranked = rank(inv, &refs, &focus);
    if opts.path_order {
        // Items are already sorted by path and line.
        ranked.sort_by_key(|r| r.item);
    }
    // The focus's frozen interfaces: exported declarations, verbatim.
    let frozen: Vec<(usize, &Source)> = ranked
        .iter()
        .filter(|r| r.focus)
        .filter_map(|r| inv.items[r.item].source.as_ref().map(|s| (r.item, s)))
        .collect();
    let fitted = fit(inv, &ranked, &frozen, opts)?;
    Ok(match format {
        Format::Markdown => fitted.markdown,
        Format::Json => {
            let mut s = serde_json::to_string_pretty(&selection(inv, &ranked, &fitted, opts))?;
            s.push('\n');
            s
        }
    })
}
