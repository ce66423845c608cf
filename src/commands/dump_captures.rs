//! `planrecon dump-captures FILE` (hidden): every capture of the file's
//! declaration query as `pattern capture line:col text`, so query work is
//! fast (difftastic's `--dump-ts`).

use std::io::Write;

use anyhow::Context;

/// `--dump-captures FILE`: every capture as `name line:col text`.
pub(crate) fn run(file: &std::path::Path) -> anyhow::Result<()> {
    use tree_sitter::StreamingIterator;
    let ext = file.extension().and_then(|e| e.to_str()).unwrap_or("");
    let spec = crate::scan::lang::lang_for_extension(ext)
        .with_context(|| format!("no language for {}", file.display()))?;
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let cq = crate::scan::query::query_for(spec).map_err(|e| anyhow::anyhow!("{e}"))?;
    let tree = crate::scan::parse::with_parser(spec, |p| crate::scan::parse::parse_text(p, &text))
        .flatten()
        .context("parser failed")?;
    let mut cursor = tree_sitter::QueryCursor::new();
    let mut matches = cursor.matches(&cq.query, tree.root_node(), text.as_bytes());
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    while let Some(m) = matches.next() {
        for c in m.captures() {
            let p = c.node.start_position();
            let t = crate::scan::syntax::collapse_ws(crate::scan::syntax::node_text(
                c.node,
                text.as_bytes(),
            ));
            let t: String = t.chars().take(60).collect();
            writeln!(
                out,
                "p{} {} {}:{} {}",
                m.pattern_index,
                cq.query.capture_names()[c.index as usize],
                p.row + 1,
                p.column + 1,
                t
            )?;
        }
    }
    Ok(())
}
