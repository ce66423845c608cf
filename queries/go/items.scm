; Go declarations at package level.
; Capture vocabulary: see src/query.rs. One @definition.<kind> (or @member.<kind>)
; per pattern; the earliest pattern that matches a node wins.

(package_clause (package_identifier) @package) @package.clause

; Function bodies and function literals are local scopes: nothing declared
; inside them is a package-level item.
(block) @scope.local

(function_declaration
  name: (identifier) @name
  body: (block)? @body) @definition.func

(method_declaration
  receiver: (parameter_list
    (parameter_declaration type: (_) @parent))
  name: (field_identifier) @name
  body: (block)? @body) @definition.method

(type_declaration "type" @keyword
  (type_spec
    name: (type_identifier) @name
    type: (struct_type (field_declaration_list) @body)) @definition.struct)

(type_declaration "type" @keyword
  (type_spec
    name: (type_identifier) @name
    type: (interface_type) @body) @definition.interface)

(type_declaration "type" @keyword
  (type_spec name: (type_identifier) @name) @definition.type)

(type_declaration "type" @keyword
  (type_alias name: (type_identifier) @name) @definition.type)

(const_declaration "const" @keyword (const_spec (identifier) @name) @definition.const)

(var_declaration "var" @keyword
  (var_spec (identifier) @name) @definition.var)

(var_declaration "var" @keyword
  (var_spec_list (var_spec (identifier) @name) @definition.var))

; Struct fields: one member per name; an embedded field is named by its type.
(type_spec
  type: (struct_type
    (field_declaration_list
      (field_declaration name: (field_identifier) @name) @member.field))) @owner

(type_spec
  type: (struct_type
    (field_declaration_list
      (field_declaration !name type: (_) @name) @member.field))) @owner

; Interface methods, embeddings and type-set terms.
(type_spec
  type: (interface_type
    (method_elem name: (field_identifier) @name) @member.interface_method)) @owner

(type_spec
  type: (interface_type (type_elem) @embed)) @owner
