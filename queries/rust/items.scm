; Rust declarations at module level (and in impl, trait and extern blocks).
; Capture vocabulary: see src/query.rs. One @definition.<kind> (or @member.<kind>)
; per pattern; the earliest pattern that matches a node wins.

; Function bodies (and every other block expression) are local scopes.
(block) @scope.local

; Item-level macro invocations: their bodies are re-parsed as items.
(source_file (macro_invocation macro: (_) @macro.name (token_tree) @macro))
(source_file (expression_statement (macro_invocation macro: (_) @macro.name (token_tree) @macro)))
(mod_item body: (declaration_list (macro_invocation macro: (_) @macro.name (token_tree) @macro)))
(impl_item trait: (_) @trait type: (_) @parent
  body: (declaration_list (macro_invocation macro: (_) @macro.name (token_tree) @macro)))
(impl_item !trait type: (_) @parent
  body: (declaration_list (macro_invocation macro: (_) @macro.name (token_tree) @macro)))
(trait_item (visibility_modifier)? @visibility name: (_) @parent
  body: (declaration_list (macro_invocation macro: (_) @macro.name (token_tree) @macro)))

; Methods and associated items of trait implementations.
(impl_item
  trait: (_) @trait
  type: (_) @parent
  body: (declaration_list
    [(function_item name: (_) @name body: (block) @body)
     (function_signature_item name: (_) @name)] @definition.method))

(impl_item
  trait: (_) @trait
  type: (_) @parent
  body: (declaration_list (const_item name: (_) @name) @definition.const))

(impl_item
  trait: (_) @trait
  type: (_) @parent
  body: (declaration_list [(type_item name: (_) @name) (associated_type name: (_) @name)] @definition.type))

; Inherent impls.
(impl_item
  !trait
  type: (_) @parent
  body: (declaration_list
    [(function_item (visibility_modifier)? @visibility name: (_) @name body: (block) @body)
     (function_signature_item (visibility_modifier)? @visibility name: (_) @name)] @definition.method))

(impl_item
  !trait
  type: (_) @parent
  body: (declaration_list (const_item (visibility_modifier)? @visibility name: (_) @name) @definition.const))

(impl_item
  !trait
  type: (_) @parent
  body: (declaration_list [(type_item (visibility_modifier)? @visibility name: (_) @name) (associated_type name: (_) @name)] @definition.type))

; Trait items inherit the trait's visibility.
(trait_item
  (visibility_modifier)? @visibility
  name: (_) @parent
  body: (declaration_list
    [(function_item name: (_) @name body: (block) @body)
     (function_signature_item name: (_) @name)] @definition.method))

(trait_item
  (visibility_modifier)? @visibility
  name: (_) @parent
  body: (declaration_list (const_item name: (_) @name) @definition.const))

(trait_item
  (visibility_modifier)? @visibility
  name: (_) @parent
  body: (declaration_list [(associated_type name: (_) @name) (type_item name: (_) @name)] @definition.type))

; Foreign items of extern blocks.
(foreign_mod_item
  body: (declaration_list
    [(function_signature_item (visibility_modifier)? @visibility name: (_) @name)
     (function_item (visibility_modifier)? @visibility name: (_) @name body: (block) @body)] @definition.fn))

(foreign_mod_item
  body: (declaration_list (static_item (visibility_modifier)? @visibility name: (_) @name) @definition.static))

(foreign_mod_item
  body: (declaration_list [(type_item (visibility_modifier)? @visibility name: (_) @name) (associated_type name: (_) @name)] @definition.type))

; Module-level items.
(mod_item (visibility_modifier)? @visibility name: (_) @name body: (declaration_list)? @body) @definition.mod

(struct_item (visibility_modifier)? @visibility name: (_) @name body: (field_declaration_list)? @body) @definition.struct

(union_item (visibility_modifier)? @visibility name: (_) @name body: (field_declaration_list)? @body) @definition.union

(enum_item (visibility_modifier)? @visibility name: (_) @name body: (enum_variant_list) @body) @definition.enum

(trait_item (visibility_modifier)? @visibility name: (_) @name body: (declaration_list) @body) @definition.trait

(type_item (visibility_modifier)? @visibility name: (_) @name) @definition.type

(function_item (visibility_modifier)? @visibility name: (_) @name body: (block) @body) @definition.fn

(function_signature_item (visibility_modifier)? @visibility name: (_) @name) @definition.fn

(const_item (visibility_modifier)? @visibility name: (_) @name) @definition.const

(static_item (visibility_modifier)? @visibility name: (_) @name) @definition.static

(macro_definition name: (_) @name . (macro_rule)? @body) @definition.macro

; Members: named fields of structs and unions; enum variants inherit the enum's visibility.
(struct_item
  body: (field_declaration_list
    (field_declaration (visibility_modifier)? @visibility name: (_) @name) @member.field)) @owner

(union_item
  body: (field_declaration_list
    (field_declaration (visibility_modifier)? @visibility name: (_) @name) @member.field)) @owner

(enum_item
  (visibility_modifier)? @visibility
  body: (enum_variant_list (enum_variant name: (_) @name) @member.variant)) @owner
