; Rust references: calls, construction sites, type uses, and the context that
; resolves them (`use` declarations, functions, impl blocks, local bindings,
; field accesses). Capture vocabulary: see src/refs/query.rs. Comments and
; string literals hold no such nodes, so they never produce a reference.

; `use` paths. A path inside `a::{b, c}` gets its prefix from the enclosing
; nodes' `path` fields; `@import.alias` when written, else the last segment.
(use_declaration argument: [(identifier) (scoped_identifier)] @import.path) @import
(use_as_clause path: (_) @import.path alias: (identifier) @import.alias) @import
(use_list [(identifier) (scoped_identifier) (self)] @import.path) @import
(use_wildcard [(identifier) (scoped_identifier) (crate) (super) (self)] @import.glob)

; Functions, impl blocks (which bind `self` and `Self`), closures.
(function_item name: (identifier) @func.name) @func
(function_signature_item name: (identifier) @func.name) @func
(impl_item type: (_) @bind.self) @scope
(trait_item name: (type_identifier) @bind.self) @scope
(closure_expression) @scope

; Local bindings whose type is written or follows from the value.
(parameter pattern: [(identifier) (mut_pattern (identifier))] @bind.name type: (_) @bind.type)
(let_declaration pattern: [(identifier) (mut_pattern (identifier))] @bind.name type: (_) @bind.type)
(let_declaration pattern: [(identifier) (mut_pattern (identifier))] @bind.name !type
  value: (struct_expression name: (_) @bind.type))
(let_declaration pattern: [(identifier) (mut_pattern (identifier))] @bind.name !type
  value: [(call_expression function: (_) @bind.call)
          (try_expression (call_expression function: (_) @bind.call))])
; Any other value: the binding has the value's type (`let c = &self.config`).
(let_declaration pattern: [(identifier) (mut_pattern (identifier))] @bind.name !type
  value: [(field_expression) (reference_expression) (identifier) (scoped_identifier)
          (index_expression) (parenthesized_expression) (try_expression (field_expression))
          (try_expression (identifier)) (if_expression) (match_expression) (block)] @bind.value)
; `for x in xs` (also `&xs`, `xs.iter()`): x holds the elements of xs.
(for_expression pattern: (identifier) @bind.name value: (_) @bind.elem)

; Field accesses, so `self.searcher.search()` can use the field's type; each is
; also a reference to the field.
(field_expression value: (_) @field.object field: (field_identifier) @field.name) @field

; Fields named in struct expressions and patterns.
(struct_expression
  name: (_) @key.type
  body: (field_initializer_list (field_initializer field: (field_identifier) @key.name))) @key
(struct_expression
  name: (_) @key.type
  body: (field_initializer_list (shorthand_field_initializer (identifier) @key.name))) @key
(struct_pattern type: (_) @key.type (field_pattern name: (_) @key.name)) @key

; Names and paths used as values: functions (`map(Self::f)`), constants,
; statics, unit structs and variants, variant paths in patterns.
(identifier) @name @value
(scoped_identifier path: (_) @qualifier name: (identifier) @name) @value

; Names a function binds for itself (every identifier of these patterns).
(let_declaration pattern: (_) @local.pattern)
(parameter pattern: (_) @local.pattern)
(closure_parameters) @local.pattern
(match_arm pattern: (_) @local.pattern)
(for_expression pattern: (_) @local.pattern)
(let_condition pattern: (_) @local.pattern)

; Calls: `f()`, `path::f()` / `Type::new()`, and `x.m()`.
(call_expression function: (identifier) @name) @call
(call_expression function: (scoped_identifier path: (_) @qualifier name: (identifier) @name)) @call
(call_expression function: (field_expression value: (_) @operand field: (field_identifier) @name)) @call
(call_expression function: (generic_function function: (identifier) @name)) @call
(call_expression
  function: (generic_function function: (scoped_identifier path: (_) @qualifier name: (identifier) @name))) @call
(call_expression
  function: (generic_function function: (field_expression value: (_) @operand field: (field_identifier) @name))) @call

; Construction sites: struct expressions.
(struct_expression name: (type_identifier) @name body: (field_initializer_list) @body) @construct
(struct_expression
  name: (scoped_type_identifier path: (_) @qualifier name: (type_identifier) @name)
  body: (field_initializer_list) @body) @construct
(struct_expression
  name: (generic_type_with_turbofish type: (type_identifier) @name)
  body: (field_initializer_list) @body) @construct

; Type uses; the names of declarations themselves are not uses.
(type_identifier) @name @type
(scoped_type_identifier path: (_) @qualifier name: (type_identifier) @name) @type
(struct_item name: (type_identifier) @decl)
(enum_item name: (type_identifier) @decl)
(union_item name: (type_identifier) @decl)
(type_item name: (type_identifier) @decl)
(trait_item name: (type_identifier) @decl)
(associated_type name: (type_identifier) @decl)

; Test-only code: a module or function whose attributes say so.
(mod_item) @test.candidate
(function_item) @test.candidate

; Macro bodies (`vec![…]`, `assert_eq!(…)`) are re-parsed for references.
(macro_invocation (token_tree) @macro)
(macro_rule right: (token_tree) @macro)

; Generic type parameters: a receiver of such a type has unknown methods.
(type_parameter name: (type_identifier) @generic)
