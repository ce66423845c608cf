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

/// References of the types a report shows, by the type's citation.
#[derive(Debug, Default)]
pub(crate) struct ReportUses {
    pub by_item: BTreeMap<String, TypeUses>,
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
    let mut out = ReportUses::default();
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
    let walked = crate::walk::walk(config)?;
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
