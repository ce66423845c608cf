//! The internal dependency graph between packages: Go imports inside the
//! repository, Rust `use crate::`/`super::`/`self::` paths and `use` of the
//! workspace's own crates. Dependents, layers and cycles follow from it.
//!
//! Only imports are edges (each edge cites its first import); a path written
//! in an expression without a `use` is not an edge.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{FileNotes, Import, Inventory};
use crate::scan::lang::{lang_by_name, PackageRule};

/// Where an edge comes from: the first import that makes it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Via {
    pub file: String,
    pub line: u32,
    pub end_line: u32,
    /// The imported path as written, expanded from its use tree
    /// (`crate::codec::decode`, `super::*`, `example.com/m/store`).
    pub path: String,
}

/// The package graph of one inventory.
#[derive(Debug, Default)]
pub(crate) struct Graph {
    /// Every package, with its internal dependencies and the import citing each.
    pub deps: BTreeMap<String, BTreeMap<String, Via>>,
    /// Reverse edges.
    pub dependents: BTreeMap<String, BTreeSet<String>>,
    /// Layer of each package: 0 imports nothing internal; otherwise one more
    /// than its highest dependency outside its own cycle.
    pub layers: BTreeMap<String, usize>,
    /// Strongly connected components of more than one package, each sorted,
    /// sorted by their first member.
    pub cycles: Vec<Vec<String>>,
    /// Imports that name the repository's own module but no package read
    /// (excluded or missing directories).
    pub unresolved: Vec<Via>,
}

/// Build the graph from the inventory's file notes.
pub(crate) fn relate(inv: &Inventory) -> Graph {
    let packages: BTreeSet<&str> = inv
        .packages
        .iter()
        .filter(|p| !p.test)
        .map(|p| p.path.as_str())
        .collect();
    let crates: BTreeSet<&str> = inv
        .packages
        .iter()
        .filter_map(|p| p.crate_name.as_deref())
        .collect();
    let go_modules: BTreeSet<String> = go_module_prefixes(inv);
    let mut g = Graph::default();
    for p in &packages {
        g.deps.entry((*p).to_string()).or_default();
    }
    for notes in &inv.notes {
        if !packages.contains(notes.package.as_str()) {
            continue;
        }
        let rule = lang_by_name(&notes.language).map(|l| l.packages);
        for imp in &notes.imports {
            let targets = match rule {
                Some(PackageRule::Directory) => vec![(imp.path.clone(), imp.path.clone())],
                Some(PackageRule::ModuleTree) => rust_targets(notes, imp, &crates),
                None => Vec::new(),
            };
            for (path, written) in targets {
                let via = |_: String| Via {
                    file: notes.file.clone(),
                    line: imp.line,
                    end_line: imp.end_line,
                    path: written.clone(),
                };
                match resolve(&path, rule, &packages) {
                    Some(dep) if dep != notes.package => {
                        g.deps
                            .entry(notes.package.clone())
                            .or_default()
                            .entry(dep)
                            .or_insert_with(|| via(path));
                    }
                    Some(_) => {}
                    None => {
                        let internal = rule == Some(PackageRule::Directory)
                            && go_modules
                                .iter()
                                .any(|m| path == *m || path.starts_with(&format!("{m}/")));
                        if internal {
                            g.unresolved.push(via(path));
                        }
                    }
                }
            }
        }
    }
    for (from, deps) in &g.deps {
        for to in deps.keys() {
            g.dependents
                .entry(to.clone())
                .or_default()
                .insert(from.clone());
        }
    }
    g.cycles = strongly_connected(&g.deps)
        .into_iter()
        .filter(|c| c.len() > 1)
        .collect();
    g.layers = layers(&g.deps);
    g
}

/// Module paths of the Go packages read: the import-path prefixes that are
/// "ours" (an import under them that resolves to no package is unresolved).
fn go_module_prefixes(inv: &Inventory) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for p in inv
        .packages
        .iter()
        .filter(|p| lang_by_name(&p.language).map(|l| l.packages) == Some(PackageRule::Directory))
    {
        // The module path is the import path minus the package's directory.
        let dir = p.dir.trim_start_matches("./");
        if dir == "." {
            out.insert(p.path.clone());
        } else if let Some(m) = p.path.strip_suffix(&format!("/{dir}")) {
            out.insert(m.to_string());
        }
    }
    out
}

/// The package a path names: the longest prefix that is a package.
fn resolve(path: &str, rule: Option<PackageRule>, packages: &BTreeSet<&str>) -> Option<String> {
    match rule {
        Some(PackageRule::Directory) => packages.contains(path).then(|| path.to_string()),
        Some(PackageRule::ModuleTree) => {
            let mut p = path;
            loop {
                if packages.contains(p) {
                    return Some(p.to_string());
                }
                p = &p[..p.rfind("::")?];
            }
        }
        None => None,
    }
}

/// Absolute module paths (`crate_name::a::b::Name`) named by one Rust `use`,
/// each with the path as written (`super::*`), whose last segment is on the
/// cited lines.
fn rust_targets(notes: &FileNotes, imp: &Import, crates: &BTreeSet<&str>) -> Vec<(String, String)> {
    use_bindings(&imp.path)
        .into_iter()
        .filter(|b| !b.segs.is_empty())
        .filter_map(|b| {
            let abs = absolute(&b.segs, &notes.package, crates)?;
            let mut written = b.segs.join("::");
            if b.local.is_none() {
                written.push_str("::*");
            }
            Some((abs, written))
        })
        .collect()
}

/// The absolute path of a Rust path written in module `here`: `crate::`,
/// `self::`, `super::` and the workspace's crate names are resolved; any
/// other first segment is taken as a child of `here` (2018 paths), which
/// resolves to `here` itself when no such module exists.
pub(crate) fn absolute(segs: &[String], here: &str, crates: &BTreeSet<&str>) -> Option<String> {
    let here: Vec<&str> = here.split("::").collect();
    let mut segs: Vec<&str> = segs.iter().map(String::as_str).collect();
    if segs.first() == Some(&"") {
        segs.remove(0); // `::name`
    }
    let first = *segs.first()?;
    let mut abs: Vec<&str> = match first {
        "crate" => vec![here[0]],
        "self" => here.clone(),
        "super" => {
            let mut base = here.clone();
            while segs.get(1) == Some(&"super") {
                segs.remove(0);
                if base.len() > 1 {
                    base.pop();
                }
            }
            if base.len() > 1 {
                base.pop();
            }
            base
        }
        c if crates.contains(c) => Vec::new(),
        _ => here.clone(),
    };
    let skip = usize::from(matches!(first, "crate" | "self" | "super"));
    abs.extend(segs.iter().skip(skip));
    Some(abs.join("::"))
}

/// One name a `use` tree binds: its path, and the local name (`None` for a
/// glob `a::*`, whose path is the module).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UseBinding {
    pub segs: Vec<String>,
    pub local: Option<String>,
}

/// The bindings of a use tree, with `as` renames and globs.
pub(crate) fn use_bindings(tree: &str) -> Vec<UseBinding> {
    let t: String = tree
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .collect();
    let t = t.trim();
    let Some(open) = t.find('{') else {
        let (path, alias) = match t.split_once(" as ") {
            Some((p, a)) => (p.trim(), Some(a.trim().to_string())),
            None => (t, None),
        };
        let mut segs: Vec<String> = path.split("::").map(|s| s.trim().to_string()).collect();
        return match segs.last().map(String::as_str) {
            Some("*") => {
                segs.pop();
                vec![UseBinding { segs, local: None }]
            }
            Some("self") => {
                segs.pop();
                let local = alias.or_else(|| segs.last().cloned());
                vec![UseBinding { segs, local }]
            }
            Some(last) if !last.is_empty() => {
                let local = alias.unwrap_or_else(|| last.to_string());
                vec![UseBinding {
                    segs,
                    local: Some(local),
                }]
            }
            _ => Vec::new(),
        };
    };
    let prefix = t[..open].trim_end_matches("::").trim();
    let close = t.rfind('}').unwrap_or(t.len());
    let inner = &t[open + 1..close.max(open + 1)];
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                parts.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    let mut out = Vec::new();
    for part in parts.iter().map(|p| p.trim()).filter(|p| !p.is_empty()) {
        let joined = if prefix.is_empty() {
            part.to_string()
        } else {
            format!("{prefix}::{part}")
        };
        out.extend(use_bindings(&joined));
    }
    out
}

/// Strongly connected components (Tarjan, iterative), each sorted; sorted.
fn strongly_connected(deps: &BTreeMap<String, BTreeMap<String, Via>>) -> Vec<Vec<String>> {
    let names: Vec<&String> = deps.keys().collect();
    let index_of: BTreeMap<&str, usize> = names
        .iter()
        .enumerate()
        .map(|(i, n)| (n.as_str(), i))
        .collect();
    let adj: Vec<Vec<usize>> = names
        .iter()
        .map(|n| {
            deps[*n]
                .keys()
                .filter_map(|d| index_of.get(d.as_str()).copied())
                .collect()
        })
        .collect();
    let n = names.len();
    let (mut index, mut low, mut on) = (vec![usize::MAX; n], vec![0; n], vec![false; n]);
    let (mut stack, mut next, mut out) = (Vec::new(), 0usize, Vec::new());
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some(&mut (v, ref mut i)) = work.last_mut() {
            if *i == 0 && index[v] == usize::MAX {
                index[v] = next;
                low[v] = next;
                next += 1;
                stack.push(v);
                on[v] = true;
            }
            if let Some(&w) = adj[v].get(*i) {
                *i += 1;
                if index[w] == usize::MAX {
                    work.push((w, 0));
                } else if on[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(u, _)) = work.last() {
                low[u] = low[u].min(low[v]);
            }
            if low[v] == index[v] {
                let mut comp = Vec::new();
                while let Some(w) = stack.pop() {
                    on[w] = false;
                    comp.push(names[w].clone());
                    if w == v {
                        break;
                    }
                }
                comp.sort();
                out.push(comp);
            }
        }
    }
    out.sort();
    out
}

/// Layers over the condensation: a cycle's members share one layer.
fn layers(deps: &BTreeMap<String, BTreeMap<String, Via>>) -> BTreeMap<String, usize> {
    let comps = strongly_connected(deps);
    let comp_of: BTreeMap<&str, usize> = comps
        .iter()
        .enumerate()
        .flat_map(|(i, c)| c.iter().map(move |n| (n.as_str(), i)))
        .collect();
    let mut memo: Vec<Option<usize>> = vec![None; comps.len()];
    // Components in dependency order: repeat until stable (the graph is small
    // and a DAG after condensation, so at most `comps.len()` rounds).
    for _ in 0..=comps.len() {
        let mut changed = false;
        for (ci, comp) in comps.iter().enumerate() {
            let mut layer = 0usize;
            let mut ready = true;
            for n in comp {
                for d in deps[n].keys() {
                    let dc = comp_of[d.as_str()];
                    if dc == ci {
                        continue;
                    }
                    match memo[dc] {
                        Some(l) => layer = layer.max(l + 1),
                        None => ready = false,
                    }
                }
            }
            if ready && memo[ci] != Some(layer) {
                memo[ci] = Some(layer);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    deps.keys()
        .map(|n| (n.clone(), memo[comp_of[n.as_str()]].unwrap_or(0)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `a::{b, c::{d as e, *}}` → `a::b`, `a::c::d`, `a::c`: `self` in a
    /// group names the group's prefix.
    fn paths(t: &str) -> Vec<String> {
        use_bindings(t)
            .into_iter()
            .map(|b| b.segs.join("::"))
            .collect()
    }

    #[test]
    fn use_trees_expand() {
        assert_eq!(
            paths("crate::codec::{decode, encode}"),
            ["crate::codec::decode", "crate::codec::encode"]
        );
        assert_eq!(paths("a::{self, b::{c as d, *}}"), ["a", "a::b::c", "a::b"]);
        assert_eq!(paths("super::Backend"), ["super::Backend"]);
        assert_eq!(paths("std::io::*"), ["std::io"]);
        assert_eq!(paths("{a, b}"), ["a", "b"]);
        let b = use_bindings("a::{b as c, d::*}");
        assert_eq!(
            b[0],
            UseBinding {
                segs: vec!["a".into(), "b".into()],
                local: Some("c".into())
            }
        );
        assert_eq!(
            b[1],
            UseBinding {
                segs: vec!["a".into(), "d".into()],
                local: None
            }
        );
    }

    #[test]
    fn paths_resolve_from_the_current_module() {
        let crates: BTreeSet<&str> = ["other"].into_iter().collect();
        let abs = |p: &str, here: &str| {
            let segs: Vec<String> = p.split("::").map(String::from).collect();
            absolute(&segs, here, &crates).unwrap_or_default()
        };
        assert_eq!(abs("crate::a::B", "k::x::y"), "k::a::B");
        assert_eq!(abs("super::B", "k::x::y"), "k::x::B");
        assert_eq!(abs("super::super::B", "k::x::y"), "k::B");
        assert_eq!(abs("super::B", "k"), "k::B");
        assert_eq!(abs("self::m::B", "k::x"), "k::x::m::B");
        assert_eq!(abs("other::B", "k::x"), "other::B");
        assert_eq!(abs("m::B", "k::x"), "k::x::m::B");
    }

    #[test]
    fn cycles_and_layers() {
        let via = || Via {
            file: String::new(),
            line: 1,
            end_line: 1,
            path: String::new(),
        };
        let mut deps: BTreeMap<String, BTreeMap<String, Via>> = BTreeMap::new();
        for (a, b) in [("a", "b"), ("b", "a"), ("c", "a"), ("d", "c")] {
            deps.entry(a.into()).or_default().insert(b.into(), via());
            deps.entry(b.into()).or_default();
        }
        let sccs: Vec<_> = strongly_connected(&deps)
            .into_iter()
            .filter(|c| c.len() > 1)
            .collect();
        assert_eq!(sccs, vec![vec!["a".to_string(), "b".to_string()]]);
        let l = layers(&deps);
        assert_eq!((l["a"], l["b"], l["c"], l["d"]), (0, 0, 1, 2));
    }
}
