; Go references: calls, construction sites, type uses, and the context that
; resolves them (imports, functions, local bindings, field accesses).
; Capture vocabulary: see src/refs/query.rs. Comments and string literals hold
; no such nodes, so they never produce a reference.

; Imports: `@import.alias` when written, else the path's last element.
(import_spec name: (package_identifier) @import.alias path: (interpreted_string_literal) @import.path) @import
(import_spec !name path: (interpreted_string_literal) @import.path) @import

; Functions (the enclosing function of a hit) and other binding scopes.
(function_declaration name: (identifier) @func.name) @func
(method_declaration
  receiver: (parameter_list (parameter_declaration type: (_) @func.parent))
  name: (field_identifier) @func.name) @func
(func_literal) @scope

; Local bindings whose type is written or follows from the value.
(parameter_declaration name: (identifier) @bind.name type: (_) @bind.type)
(variadic_parameter_declaration name: (identifier) @bind.name type: (_) @bind.type)
(var_spec name: (identifier) @bind.name type: (_) @bind.type)
(var_spec name: (identifier) @bind.name !type
  value: (expression_list . [(composite_literal type: (_) @bind.type)
                             (unary_expression operand: (composite_literal type: (_) @bind.type))]))
(var_spec name: (identifier) @bind.name !type
  value: (expression_list . (call_expression function: (_) @bind.call)))
(short_var_declaration
  left: (expression_list . (identifier) @bind.name)
  right: (expression_list . [(composite_literal type: (_) @bind.type)
                             (unary_expression operand: (composite_literal type: (_) @bind.type))]))
(short_var_declaration
  left: (expression_list . (identifier) @bind.name)
  right: (expression_list . (call_expression function: (_) @bind.call)))
; `for _, x := range xs`: x holds the elements of xs.
(range_clause left: (expression_list (_) . (identifier) @bind.name) right: (_) @bind.elem)

; Field accesses, so `s.db.Begin()` can use the type of field `db`; each is
; also a reference to the field (or to `pkg.Name` when the object is an import).
(selector_expression operand: (_) @field.object field: (field_identifier) @field.name) @field

; Keys of struct literals: `T{Name: x}`, `&pkg.T{Name: x}`.
(composite_literal
  type: (_) @key.type
  body: (literal_value (keyed_element key: (literal_element (identifier) @key.name)))) @key

; Names used as values: functions, variables, constants (locals shadow them).
(identifier) @name @value

; Names a function declares for itself.
(parameter_declaration name: (identifier) @local)
(variadic_parameter_declaration name: (identifier) @local)
(short_var_declaration left: (expression_list (identifier) @local))
(var_spec name: (identifier) @local)
(const_spec name: (identifier) @local)
(range_clause left: (expression_list (identifier) @local))
(type_switch_statement alias: (expression_list (identifier) @local))
(receive_statement left: (expression_list (identifier) @local))

; Calls: `F()`, `pkg.F()` and `x.M()` (the operand decides which).
(call_expression function: (identifier) @name) @call
(call_expression function: (selector_expression operand: (_) @operand field: (field_identifier) @name)) @call

; Construction sites: composite literals.
(composite_literal type: (type_identifier) @name body: (literal_value) @body) @construct
(composite_literal
  type: (qualified_type package: (package_identifier) @qualifier name: (type_identifier) @name)
  body: (literal_value) @body) @construct
(composite_literal type: (generic_type type: (type_identifier) @name) body: (literal_value) @body) @construct
(composite_literal
  type: (generic_type type: (qualified_type package: (package_identifier) @qualifier name: (type_identifier) @name))
  body: (literal_value) @body) @construct

; Type uses; the names of declarations themselves are not uses.
(type_identifier) @name @type
(qualified_type package: (package_identifier) @qualifier name: (type_identifier) @name) @type
(type_spec name: (type_identifier) @decl)
(type_alias name: (type_identifier) @decl)
