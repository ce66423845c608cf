; Go facts for relations and the recon report (roles: see src/facts.rs).

; Imports: the path literal, and the local name when one is written.
(import_spec name: (_)? @import.alias path: (_) @import)

; References to names of other packages: `pkg.Type` and `pkg.Name`.
(qualified_type package: (package_identifier) @reference.qualifier name: (type_identifier) @reference)
(selector_expression operand: (identifier) @reference.qualifier field: (field_identifier) @reference)
; Names used without a qualifier (same-package types and calls), for the
; budgeted map's reference graph.
(type_identifier) @reference
(call_expression function: (identifier) @reference)

; Comments (invariant wording is filtered in src/facts.rs).
(comment) @comment

; Guard sites.
(call_expression function: (identifier) @guard.name (#eq? @guard.name "panic")) @guard

; Validation guards: `if cfg.Blocks <= 0 { return …, fmt.Errorf("…") }` (or
; `errors.New`), the check and its message. Not error propagation: a condition
; `err != nil`, or a message wrapping an error with `%w`.
(if_statement
  condition: (_) @_cond
  consequence: (block (statement_list . (return_statement (expression_list
    (call_expression
      function: (selector_expression operand: (identifier) @_pkg field: (field_identifier) @_fn) @guard.name
      arguments: (argument_list . (interpreted_string_literal) @_msg))))))
  (#match? @_pkg "^(fmt|errors)$")
  (#match? @_fn "^(Errorf|New)$")
  (#not-match? @_cond "[eE]rr[A-Za-z0-9_]* != nil")
  (#not-match? @_msg "%w")) @guard

; Statements of `func init()`: init-time registrations.
(function_declaration
  name: (identifier) @_init (#eq? @_init "init")
  body: (block (statement_list [(expression_statement) (assignment_statement)] @registration)))

; Flags: the standard `flag` package and pflag, `flag.String("name", …)`.
(call_expression
  function: (selector_expression operand: (identifier) @_pkg field: (field_identifier) @_fn)
  arguments: (argument_list . (interpreted_string_literal) @flag.name)
  (#match? @_pkg "^(flag|pflag)$")
  (#match? @_fn "^(Bool|Duration|Float64|Func|BoolFunc|Int|Int64|String|Uint|Uint64|[A-Z][A-Za-z0-9]*P)$")) @flag

; `flag.StringVar(&v, "name", …)`.
(call_expression
  function: (selector_expression operand: (identifier) @_pkg field: (field_identifier) @_fn)
  arguments: (argument_list . (_) . (interpreted_string_literal) @flag.name)
  (#match? @_pkg "^(flag|pflag)$")
  (#match? @_fn "^[A-Z][A-Za-z0-9]*Var(P)?$")) @flag

; cobra / pflag flag sets: `cmd.Flags().String("name", …)`, `…IntP("name", "n", …)`.
; Only the typed constructors: `Changed("x")`, `GetString("x")`, `Lookup("x")`,
; `MarkHidden("x")` read or annotate a flag, they register none.
(call_expression
  function: (selector_expression
    operand: (call_expression function: (selector_expression field: (field_identifier) @_flags))
    field: (field_identifier) @_fn)
  arguments: (argument_list . (interpreted_string_literal) @flag.name)
  (#match? @_flags "^(Flags|PersistentFlags|LocalFlags)$")
  (#match? @_fn "^(Bool|BoolSlice|BytesBase64|BytesHex|Count|Duration|DurationSlice|Float32|Float32Slice|Float64|Float64Slice|Int|Int8|Int16|Int32|Int32Slice|Int64|Int64Slice|IntSlice|IP|IPMask|IPNet|IPSlice|String|StringArray|StringSlice|StringToInt|StringToInt64|StringToString|Uint|Uint8|Uint16|Uint32|Uint64|UintSlice)P?$")) @flag

; `cmd.Flags().StringVarP(&v, "name", …)`.
(call_expression
  function: (selector_expression
    operand: (call_expression function: (selector_expression field: (field_identifier) @_flags))
    field: (field_identifier) @_fn)
  arguments: (argument_list . (_) . (interpreted_string_literal) @flag.name)
  (#match? @_flags "^(Flags|PersistentFlags|LocalFlags)$")
  (#match? @_fn "Var(P)?$")) @flag

; Flag sets held in variables: `fs.StringVar(&v, "name", …)` (any operand, `&` target).
(call_expression
  function: (selector_expression field: (field_identifier) @_fn)
  arguments: (argument_list . (unary_expression operator: "&") . (interpreted_string_literal) @flag.name)
  (#match? @_fn "^(Bool|Duration|Float32|Float64|Int|Int8|Int16|Int32|Int64|Uint|Uint8|Uint16|Uint32|Uint64|String|StringSlice|StringArray|StringToString|IntSlice|BoolSlice|Count|IP|Text)VarP?$")) @flag

; `fs.String("name", …)` on a variable conventionally named for a flag set.
(call_expression
  function: (selector_expression operand: (identifier) @_set field: (field_identifier) @_fn)
  arguments: (argument_list . (interpreted_string_literal) @flag.name)
  (#match? @_set "^(fs|flags|flagSet|flagset|set|cmdFlags)$")
  (#match? @_fn "^(Bool|Duration|Float64|Int|Int64|Uint|Uint64|String|StringSlice|StringArray|IntSlice|Count)P?$")) @flag

; Helper functions that register a flag on a command: `cmdutil.StringEnumFlag(cmd, &opts.State, "state", …)`.
(call_expression
  function: [(identifier) @_fn (selector_expression field: (field_identifier) @_fn)]
  arguments: (argument_list . (identifier) . (unary_expression operator: "&") . (interpreted_string_literal) @flag.name)
  (#match? @_fn "Flag$")) @flag

; flaggy: `flaggy.Bool(&v, "l", "logs", "help")` (short name, then long name).
(call_expression
  function: (selector_expression operand: (identifier) @_pkg field: (field_identifier) @_fn)
  arguments: (argument_list . (unary_expression operator: "&") . (interpreted_string_literal) . (interpreted_string_literal) @flag.name)
  (#eq? @_pkg "flaggy")) @flag

; urfave/cli: `&cli.StringFlag{Name: "config", …}`.
(composite_literal
  type: (qualified_type package: (package_identifier) @_pkg name: (type_identifier) @_ty)
  body: (literal_value
    (keyed_element
      (literal_element (identifier) @_key)
      (literal_element (interpreted_string_literal) @flag.name)))
  (#eq? @_pkg "cli")
  (#match? @_ty "Flag$")
  (#eq? @_key "Name")) @flag

; kingpin: `app.Flag("name", …)`.
(call_expression
  function: (selector_expression field: (field_identifier) @_fn (#eq? @_fn "Flag"))
  arguments: (argument_list . (interpreted_string_literal) @flag.name)) @flag

; Names a factory or registry accepts: the string `case`s of a switch, the
; string keys of a map literal.
(expression_case value: (expression_list (interpreted_string_literal) @choice))
(composite_literal
  type: (map_type key: (type_identifier) @_key (#eq? @_key "string"))
  body: (literal_value (keyed_element . (literal_element (interpreted_string_literal) @choice))))
