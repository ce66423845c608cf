//! Places files in packages and builds the model: Go packages per directory
//! (import path from `go.mod`), Rust crates from `Cargo.toml` and their
//! module trees from `mod` declarations (inline modules and `#[path]` honoured).

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::Path;

use crate::config::Config;
use crate::model::{Diagnostic, Item, Package};
use crate::scan::extract::Extracted;
use crate::scan::lang::PackageRule;
use crate::scan::syntax::attribute_is;
use crate::scan::walk::SourceFile;
use crate::scan::Scanned;

/// Where a file belongs.
#[derive(Debug, Clone)]
struct Placement {
    package: String,
    crate_name: Option<String>,
    test: bool,
}

/// Packages and items of all scanned files, sorted. The items are moved out
/// of `scanned` (their facts keep everything else), so the model never
/// holds two copies of every declaration.
pub(crate) fn assemble(
    config: &Config,
    scanned: &mut [Scanned],
    manifests: &[String],
    diagnostics: &mut Vec<Diagnostic>,
) -> (Vec<Package>, Vec<Item>) {
    let mut placements: BTreeMap<String, Placement> = BTreeMap::new();
    let go: Vec<&Scanned> = scanned
        .iter()
        .filter(|s| s.file.lang.packages == PackageRule::Directory)
        .collect();
    let rust: Vec<&Scanned> = scanned
        .iter()
        .filter(|s| s.file.lang.packages == PackageRule::ModuleTree)
        .collect();
    place_go(config, &go, manifests, &mut placements);
    place_rust(config, &rust, manifests, &mut placements, diagnostics);

    let mut packages: BTreeMap<String, Package> = BTreeMap::new();
    let mut items = Vec::new();
    for s in scanned.iter_mut() {
        let Some(place) = placements.get(&s.file.rel) else {
            continue;
        };
        let dir = parent_dir(&s.file.rel);
        let pkg = packages
            .entry(place.package.clone())
            .or_insert_with(|| Package {
                language: s.file.lang.name.to_string(),
                path: place.package.clone(),
                name: place
                    .package
                    .rsplit(['/', ':'])
                    .next()
                    .unwrap_or_default()
                    .to_string(),
                dir: dir.clone(),
                crate_name: place.crate_name.clone(),
                files: Vec::new(),
                test_files: Vec::new(),
                lines: 0,
                doc: None,
                doc_file: None,
                doc_line: None,
                doc_text_line: None,
                test: true,
            });
        if place.test {
            pkg.test_files.push(s.file.rel.clone());
        } else {
            pkg.files.push(s.file.rel.clone());
            pkg.test = false;
            if let Some(f) = &s.facts {
                pkg.lines += f.lines;
            }
        }
        let Some(facts) = &mut s.facts else { continue };
        if place.test && !config.include_tests {
            continue;
        }
        if let Some(name) = &facts.package_name {
            if !place.test && !name.ends_with("_test") {
                pkg.name = name.clone();
            }
        }
        // The first file with a package doc gives it; a doc that names the
        // package (`// Package cluster …`, godoc's convention) wins over a
        // file's stray comment, and Go's `doc.go` over both.
        if let Some((doc, line)) = &facts.package_doc {
            let is_doc_go = s.file.rel.ends_with("/doc.go") || s.file.rel == "doc.go";
            let names = |d: &str| d.starts_with(&format!("Package {} ", pkg.name));
            let better = pkg
                .doc
                .as_deref()
                .map_or(true, |old| !names(old) && names(doc));
            if !place.test && (better || is_doc_go) {
                pkg.doc = Some(doc.clone());
                pkg.doc_file = Some(s.file.rel.clone());
                pkg.doc_line = Some(*line);
                pkg.doc_text_line = Some(*line + facts.package_doc_offset);
            }
        }
        for ex in std::mem::take(&mut facts.items) {
            let test = place.test || ex.test_scope;
            if test && !config.include_tests {
                continue;
            }
            items.push(to_item(&s.file, ex, &place.package, facts.generated, test));
        }
    }
    for pkg in packages.values_mut() {
        if pkg.test {
            pkg.dir = pkg
                .test_files
                .first()
                .map(|f| parent_dir(f))
                .unwrap_or_else(|| pkg.dir.clone());
        } else if let Some(f) = pkg.files.first() {
            pkg.dir = parent_dir(f);
        }
    }
    items.sort_by(|a, b| {
        (&a.file, a.line, a.column, &a.kind, &a.name)
            .cmp(&(&b.file, b.line, b.column, &b.kind, &b.name))
    });
    let packages = packages
        .into_values()
        .filter(|p| !p.files.is_empty() || !p.test_files.is_empty())
        .collect();
    (packages, items)
}

fn to_item(file: &SourceFile, ex: Extracted, package: &str, generated: bool, test: bool) -> Item {
    Item {
        language: file.lang.name.to_string(),
        package: package.to_string(),
        namespace: ex.namespace,
        kind: ex.kind.to_string(),
        name: ex.name,
        parent: ex.parent,
        file: file.rel.clone(),
        line: ex.span.line,
        end_line: ex.span.end_line,
        column: ex.column,
        visibility: ex.visibility,
        signature: ex.signature,
        doc: ex.doc,
        generated,
        in_macro: ex.macro_name.is_some(),
        macro_name: ex.macro_name,
        trait_impl: ex.trait_impl,
        attributes: ex.attributes,
        test,
        members: ex.members,
        embeds: ex.embeds,
        source: ex.source,
    }
}

fn parent_dir(rel: &str) -> String {
    match rel.rfind('/') {
        Some(i) => rel[..i].to_string(),
        None => ".".to_string(),
    }
}

fn join(dir: &str, name: &str) -> String {
    if dir == "." || dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

// ---------------------------------------------------------------- Go

fn place_go(
    config: &Config,
    files: &[&Scanned],
    manifests: &[String],
    out: &mut BTreeMap<String, Placement>,
) {
    // go.mod directory -> module path.
    let mut modules: BTreeMap<String, String> = BTreeMap::new();
    for m in manifests
        .iter()
        .filter(|m| *m == "go.mod" || m.ends_with("/go.mod"))
    {
        let Ok(text) = std::fs::read_to_string(config.root.join(m)) else {
            continue;
        };
        if let Some(path) = text.lines().find_map(|l| {
            let l = l.trim();
            l.strip_prefix("module")
                .filter(|r| r.starts_with([' ', '\t']))
                .map(|r| r.trim().trim_matches('"').to_string())
        }) {
            modules.insert(parent_dir(m), path);
        }
    }
    for s in files {
        let dir = parent_dir(&s.file.rel);
        let mut probe = dir.clone();
        let import = loop {
            if let Some(module) = modules.get(&probe) {
                let sub = if probe == "." {
                    dir.clone()
                } else {
                    dir.strip_prefix(&probe)
                        .unwrap_or("")
                        .trim_start_matches('/')
                        .to_string()
                };
                break if sub == "." || sub.is_empty() {
                    module.clone()
                } else {
                    format!("{module}/{sub}")
                };
            }
            if probe == "." {
                // No go.mod: the directory is the best name there is.
                break if dir == "." {
                    config.root_name.clone()
                } else {
                    dir.clone()
                };
            }
            probe = parent_dir(&probe);
        };
        out.insert(
            s.file.rel.clone(),
            Placement {
                package: import,
                crate_name: None,
                test: s.file.test_by_path,
            },
        );
    }
}

// -------------------------------------------------------------- Rust

/// One compilation target of a Cargo manifest.
#[derive(Debug, Clone)]
struct Target {
    crate_name: String,
    root_file: String,
    test: bool,
}

fn cargo_targets(
    config: &Config,
    manifest: &str,
    files: &BTreeSet<&str>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Target> {
    let dir = parent_dir(manifest);
    let text = match std::fs::read_to_string(config.root.join(manifest)) {
        Ok(t) => t,
        Err(e) => {
            diagnostics.push(Diagnostic::of_file(
                manifest.to_string(),
                format!("cannot read: {e}"),
            ));
            return Vec::new();
        }
    };
    let doc: toml::Table = match text.parse() {
        Ok(d) => d,
        Err(e) => {
            let msg = e.to_string();
            diagnostics.push(Diagnostic::of_file(
                manifest.to_string(),
                format!(
                    "invalid Cargo.toml: {}",
                    msg.lines().next().unwrap_or("parse error")
                ),
            ));
            return Vec::new();
        }
    };
    if let Some(members) = doc
        .get("workspace")
        .and_then(|w| w.get("members"))
        .and_then(|m| m.as_array())
    {
        for m in members
            .iter()
            .filter_map(|m| m.as_str())
            .filter(|m| !m.contains(['*', '?', '[']))
        {
            let member_manifest = normalize(&join(&join(&dir, m), "Cargo.toml"));
            if !crate::util::probe::is_file(&config.root, &member_manifest) {
                diagnostics.push(Diagnostic::of_file(
                    manifest.to_string(),
                    format!("workspace member {m:?} has no Cargo.toml; it is not read"),
                ));
            }
        }
    }
    let Some(package) = doc.get("package").and_then(|p| p.as_table()) else {
        return Vec::new(); // a virtual workspace manifest
    };
    let pkg_name = package
        .get("name")
        .and_then(|n| n.as_str())
        .unwrap_or("crate")
        .replace('-', "_");
    let mut targets = Vec::new();
    let exists = |rel: &str| files.contains(rel);
    let lib = doc.get("lib").and_then(|l| l.as_table());
    let lib_name = lib
        .and_then(|l| l.get("name"))
        .and_then(|n| n.as_str())
        .map(|n| n.replace('-', "_"))
        .unwrap_or(pkg_name.clone());
    let lib_path = lib
        .and_then(|l| l.get("path"))
        .and_then(|p| p.as_str())
        .map(|p| join(&dir, p))
        .unwrap_or_else(|| join(&dir, "src/lib.rs"));
    if exists(&lib_path) {
        targets.push(Target {
            crate_name: lib_name.clone(),
            root_file: normalize(&lib_path),
            test: false,
        });
    }
    let has_lib = !targets.is_empty();
    let bin_name = |n: &str| {
        let n = n.replace('-', "_");
        if has_lib && n == lib_name {
            format!("{n}-bin")
        } else {
            n
        }
    };
    let mut bins: Vec<(String, String)> = Vec::new();
    if let Some(arr) = doc.get("bin").and_then(|b| b.as_array()) {
        for b in arr {
            let name = b
                .get("name")
                .and_then(|n| n.as_str())
                .unwrap_or(&pkg_name)
                .to_string();
            let path = b
                .get("path")
                .and_then(|p| p.as_str())
                .map(|p| join(&dir, p))
                .unwrap_or_else(|| join(&dir, &format!("src/bin/{name}.rs")));
            bins.push((bin_name(&name), normalize(&path)));
        }
    }
    let main = join(&dir, "src/main.rs");
    if exists(&main) && !bins.iter().any(|(_, p)| *p == main) {
        bins.push((bin_name(&pkg_name), main));
    }
    let bin_dir = join(&dir, "src/bin/");
    for f in files.iter().filter(|f| f.starts_with(&bin_dir)) {
        let rest = &f[bin_dir.len()..];
        let name = match rest.split_once('/') {
            None => rest.strip_suffix(".rs"),
            Some((d, "main.rs")) => Some(d),
            _ => None,
        };
        if let Some(name) = name {
            if !bins.iter().any(|(_, p)| p == f) {
                bins.push((bin_name(name), f.to_string()));
            }
        }
    }
    for (name, path) in bins {
        if exists(&path) {
            targets.push(Target {
                crate_name: name,
                root_file: path,
                test: false,
            });
        }
    }
    let build = join(&dir, "build.rs");
    if exists(&build) {
        targets.push(Target {
            crate_name: format!("{pkg_name}-build"),
            root_file: build,
            test: false,
        });
    }
    for sub in ["tests", "benches", "examples"] {
        let prefix = join(&dir, &format!("{sub}/"));
        for f in files.iter().filter(|f| f.starts_with(&prefix)) {
            let rest = &f[prefix.len()..];
            let name = match rest.split_once('/') {
                None => rest.strip_suffix(".rs"),
                Some((d, "main.rs")) => Some(d),
                _ => None,
            };
            if let Some(name) = name {
                targets.push(Target {
                    crate_name: name.replace('-', "_"),
                    root_file: f.to_string(),
                    test: true,
                });
            }
        }
    }
    targets
}

fn place_rust(
    config: &Config,
    files: &[&Scanned],
    manifests: &[String],
    out: &mut BTreeMap<String, Placement>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    if files.is_empty() {
        return;
    }
    let by_rel: BTreeMap<&str, &Scanned> =
        files.iter().map(|s| (s.file.rel.as_str(), *s)).collect();
    let names: BTreeSet<&str> = by_rel.keys().copied().collect();
    let mut targets = Vec::new();
    for m in manifests
        .iter()
        .filter(|m| *m == "Cargo.toml" || m.ends_with("/Cargo.toml"))
    {
        targets.extend(cargo_targets(config, m, &names, diagnostics));
    }
    // The first non-test target of a manifest owns its test files for counting.
    let mut main_target_by_dir: BTreeMap<String, String> = BTreeMap::new();

    // Breadth-first over `mod x;` declarations from every crate root.
    let mut queue: VecDeque<(String, String, Vec<String>, bool)> = VecDeque::new();
    for t in &targets {
        if !t.test {
            main_target_by_dir
                .entry(crate_dir(&t.root_file))
                .or_insert(t.crate_name.clone());
        } else if !config.include_tests {
            continue; // counted with the crate they test, below
        }
        queue.push_back((
            t.root_file.clone(),
            t.crate_name.clone(),
            Vec::new(),
            t.test,
        ));
    }
    let root_files: BTreeSet<String> = targets.iter().map(|t| t.root_file.clone()).collect();
    let mut test_dirs: Vec<String> = Vec::new();
    while let Some((file, crate_name, module, test)) = queue.pop_front() {
        if out.contains_key(&file) {
            continue;
        }
        // A crate's root under `examples/` (a workspace member for a demo)
        // is test code by its path: unread, its crate is a test package, not
        // a crate that declares nothing.
        let unread_test = !config.include_tests
            && by_rel
                .get(file.as_str())
                .is_some_and(|s| s.file.test_by_path);
        let test = test || unread_test;
        out.insert(
            file.clone(),
            Placement {
                package: module_path(&crate_name, &module),
                crate_name: Some(crate_name.clone()),
                test,
            },
        );
        let Some(facts) = by_rel.get(file.as_str()).and_then(|s| s.facts.as_ref()) else {
            continue;
        };
        let file_dir = parent_dir(&file);
        let stem = file
            .rsplit('/')
            .next()
            .unwrap_or("")
            .trim_end_matches(".rs");
        let mod_dir = if root_files.contains(&file) || stem == "mod" {
            file_dir.clone()
        } else {
            join(&file_dir, stem)
        };
        for m in facts
            .items
            .iter()
            .filter(|i| i.kind == "mod" && !i.has_body)
        {
            let inline = m.namespace.join("/");
            let path_attr = m
                .attributes
                .iter()
                .find(|a| attribute_is(a, "path"))
                .and_then(|a| string_value(a));
            let child_test = test || m.test_scope;
            let candidates: Vec<String> = match path_attr {
                Some(p) if m.namespace.is_empty() => vec![normalize(&join(&file_dir, &p))],
                Some(p) => vec![normalize(&join(&join(&mod_dir, &inline), &p))],
                None => {
                    let base = if inline.is_empty() {
                        mod_dir.clone()
                    } else {
                        join(&mod_dir, &inline)
                    };
                    if child_test {
                        test_dirs.push(format!("{}/", join(&base, &m.name)));
                    }
                    vec![
                        normalize(&join(&base, &format!("{}.rs", m.name))),
                        normalize(&join(&base, &format!("{}/mod.rs", m.name))),
                    ]
                }
            };
            if let Some(found) = candidates.into_iter().find(|c| names.contains(c.as_str())) {
                let mut child = module.clone();
                child.extend(m.namespace.iter().cloned());
                child.push(m.name.clone());
                queue.push_back((found, crate_name.clone(), child, child_test));
            }
        }
    }

    // Files no `mod` declaration reaches: placed by their location.
    let root_dirs: Vec<(String, String)> = targets
        .iter()
        .map(|t| (parent_dir(&t.root_file), t.crate_name.clone()))
        .collect();
    for s in files {
        let rel = &s.file.rel;
        if out.contains_key(rel) {
            continue;
        }
        let test = s.file.test_by_path || test_dirs.iter().any(|d| rel.starts_with(d.as_str()));
        let place = if s.file.test_by_path && !config.include_tests {
            let owner = main_target_by_dir
                .iter()
                .filter(|(d, _)| *d == "." || rel.starts_with(&format!("{d}/")))
                .max_by_key(|(d, _)| d.len())
                .map(|(_, c)| c.clone());
            let crate_name = owner.unwrap_or_else(|| fallback_crate(config, rel));
            Placement {
                package: crate_name.clone(),
                crate_name: Some(crate_name),
                test: true,
            }
        } else {
            let (crate_name, module) = location_module(config, rel, &root_dirs);
            Placement {
                package: module_path(&crate_name, &module),
                crate_name: Some(crate_name),
                test,
            }
        };
        out.insert(rel.clone(), place);
    }
}

fn crate_dir(root_file: &str) -> String {
    // src/lib.rs -> the manifest dir; tests/x.rs -> the manifest dir.
    let dir = parent_dir(root_file);
    for suffix in ["/src/bin", "/src"] {
        if let Some(d) = dir.strip_suffix(suffix) {
            return d.to_string();
        }
    }
    if dir == "src" || dir == "src/bin" {
        return ".".to_string();
    }
    dir
}

fn module_path(crate_name: &str, module: &[String]) -> String {
    let mut s = crate_name.to_string();
    for m in module {
        s.push_str("::");
        s.push_str(m);
    }
    s
}

/// Module of a file from its location: relative to the closest crate root
/// directory, else to the last `src/` directory.
fn location_module(
    config: &Config,
    rel: &str,
    root_dirs: &[(String, String)],
) -> (String, Vec<String>) {
    let dir = parent_dir(rel);
    let best = root_dirs
        .iter()
        .filter(|(d, _)| d == "." || dir == *d || dir.starts_with(&format!("{d}/")))
        .max_by_key(|(d, _)| d.len());
    let (base, crate_name) = match best {
        Some((d, c)) => (d.clone(), c.clone()),
        None => {
            let parts: Vec<&str> = rel.split('/').collect();
            match parts[..parts.len() - 1].iter().rposition(|p| *p == "src") {
                Some(i) => (parts[..=i].join("/"), fallback_crate(config, rel)),
                None => (dir.clone(), fallback_crate(config, rel)),
            }
        }
    };
    let sub = if base == "." {
        rel
    } else {
        rel.strip_prefix(&format!("{base}/")).unwrap_or(rel)
    };
    let mut segs: Vec<String> = sub.split('/').map(str::to_string).collect();
    if let Some(last) = segs.pop() {
        let stem = last.trim_end_matches(".rs");
        if stem != "mod" && stem != "lib" && stem != "main" {
            segs.push(stem.to_string());
        }
    }
    (crate_name, segs)
}

fn fallback_crate(config: &Config, rel: &str) -> String {
    let parts: Vec<&str> = rel.split('/').collect();
    match parts[..parts.len() - 1].iter().rposition(|p| *p == "src") {
        Some(i) if i > 0 => parts[i - 1].replace('-', "_"),
        _ => config.root_name.replace('-', "_"),
    }
}

/// The string of `#[path = "…"]`.
fn string_value(attr: &str) -> Option<String> {
    let start = attr.find('"')?;
    let end = attr.rfind('"')?;
    (end > start).then(|| attr[start + 1..end].to_string())
}

/// Resolve `.` and `..` lexically in a `/` path.
fn normalize(p: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    for part in Path::new(p).components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            c => out.push(c.as_os_str().to_str().unwrap_or("")),
        }
    }
    out.join("/")
}

/// The notes of every non-test file, with its package, sorted by file. The
/// notes are moved out of `scanned`, not copied.
pub(crate) fn place_notes(
    scanned: &mut [Scanned],
    packages: &[crate::model::Package],
) -> Vec<crate::model::FileNotes> {
    let mut owner: std::collections::BTreeMap<&str, &str> = std::collections::BTreeMap::new();
    for p in packages {
        for f in &p.files {
            owner.insert(f, &p.path);
        }
    }
    let mut out = Vec::new();
    for s in scanned.iter_mut() {
        let (Some(f), Some(pkg)) = (&mut s.facts, owner.get(s.file.rel.as_str())) else {
            continue;
        };
        out.push(crate::model::FileNotes {
            file: s.file.rel.clone(),
            package: (*pkg).to_string(),
            language: s.file.lang.name.to_string(),
            test: false,
            imports: std::mem::take(&mut f.notes.imports),
            references: std::mem::take(&mut f.notes.references),
            sites: std::mem::take(&mut f.notes.sites),
        });
    }
    out.sort_by(|a, b| a.file.cmp(&b.file));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_normalize() {
        assert_eq!(normalize("src/./a/../b.rs"), "src/b.rs");
        assert_eq!(normalize("a/b/c.rs"), "a/b/c.rs");
    }

    #[test]
    fn path_attribute_value() {
        assert_eq!(
            string_value("#[path = \"x/y.rs\"]").as_deref(),
            Some("x/y.rs")
        );
        assert_eq!(string_value("#[path]"), None);
    }

    #[test]
    fn crate_dirs() {
        assert_eq!(crate_dir("src/lib.rs"), ".");
        assert_eq!(crate_dir("crates/a/src/lib.rs"), "crates/a");
        assert_eq!(crate_dir("crates/a/src/bin/x.rs"), "crates/a");
    }
}
