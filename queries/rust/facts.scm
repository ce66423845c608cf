; Rust facts for relations and the recon report (roles: see src/facts.rs).

; Imports: the whole use tree (expanded in src/relate.rs), and extern crates.
(use_declaration argument: (_) @import)
(extern_crate_declaration name: (identifier) @import)

; References: type names and the last segment of paths.
(type_identifier) @reference
(scoped_type_identifier path: (_) @reference.qualifier name: (type_identifier) @reference)
(scoped_identifier path: (_) @reference.qualifier name: (identifier) @reference)
(scoped_identifier path: (identifier) @reference)
(use_list (identifier) @reference)
(call_expression function: (identifier) @reference)
(call_expression function: (field_expression field: (field_identifier) @reference))

; Comments (invariant wording is filtered in src/facts.rs).
(line_comment) @comment
(block_comment) @comment

; Guard sites.
(macro_invocation
  macro: (identifier) @guard.name
  (#match? @guard.name "^(assert|assert_eq|assert_ne|debug_assert|debug_assert_eq|debug_assert_ne|unreachable|panic|unimplemented|todo)$")) @guard

; clap / structopt derive fields: `#[arg(long)] name: T`.
(field_declaration_list
  (attribute_item (attribute (identifier) @_attr (#match? @_attr "^(arg|clap|structopt)$"))) @flag
  .
  (field_declaration name: (field_identifier) @flag.name))

; clap builder: `Arg::new("name")`.
(call_expression
  function: (scoped_identifier path: (identifier) @_ty name: (identifier) @_fn)
  arguments: (arguments . (string_literal) @flag.name)
  (#eq? @_ty "Arg")
  (#match? @_fn "^(new|with_name)$")) @flag

; Hand-written flag tables (ripgrep's `Flag` trait): `fn name_long(&self) -> &'static str { "name" }`.
(function_item
  name: (identifier) @_fn (#match? @_fn "^(name_long|long_name)$")
  body: (block . (string_literal) @flag.name .)) @flag

; Trait implementations.
(impl_item trait: (_) @impl.trait type: (_) @impl.type) @impl

; Names a factory accepts: the string patterns of `match` arms (`"lsp" | "dap" =>`).
(match_pattern (string_literal) @choice)
(match_pattern (or_pattern (string_literal) @choice))
(or_pattern (or_pattern (string_literal) @choice))
