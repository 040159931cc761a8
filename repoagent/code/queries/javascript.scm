; JavaScript (capture names: see python.scm).

(class_declaration name: (identifier) @name) @definition.class
(class name: (identifier) @name) @definition.class
(function_declaration name: (identifier) @name) @definition.function
(generator_function_declaration name: (identifier) @name) @definition.function
(method_definition name: (property_identifier) @name) @definition.method
(program (lexical_declaration (variable_declarator name: (identifier) @name value: [(arrow_function) (function_expression)] @_fn)) @definition.function)
(program (export_statement (lexical_declaration (variable_declarator name: (identifier) @name value: [(arrow_function) (function_expression)] @_fn)) @definition.function))
(program (variable_declaration (variable_declarator name: (identifier) @name value: [(arrow_function) (function_expression)] @_fn)) @definition.function)
(program (lexical_declaration (variable_declarator name: (identifier) @name value: [(number) (string) (template_string) (object) (array) (call_expression) (new_expression) (identifier) (member_expression) (true) (false) (null) (undefined) (regex) (binary_expression) (ternary_expression) (unary_expression) (parenthesized_expression) (await_expression) (subscript_expression) (class)])) @definition.variable)
(program (export_statement (lexical_declaration (variable_declarator name: (identifier) @name value: [(number) (string) (template_string) (object) (array) (call_expression) (new_expression) (identifier) (member_expression) (true) (false) (null) (undefined) (regex) (binary_expression) (ternary_expression) (unary_expression) (parenthesized_expression) (await_expression) (subscript_expression) (class)])) @definition.variable))
(expression_statement (assignment_expression left: (member_expression property: (property_identifier) @name) right: [(arrow_function) (function_expression)] @_fn)) @definition.function

(import_statement) @import
; test files: each describe/it/test call's name line (vitest, jest, mocha, node:test)
(call_expression function: [(identifier) @_t (member_expression object: (identifier) @_t)] arguments: (arguments . [(string) (template_string)] @keep) (#any-of? @_t "describe" "it" "test" "suite" "bench"))
; re-exports and export lists are a barrel file's whole structure
(program (export_statement source: (string)) @import)
(program (export_statement (export_clause)) @import)
(program (lexical_declaration (variable_declarator value: (call_expression function: (identifier) @_req)) (#eq? @_req "require")) @import)
(program (expression_statement (assignment_expression left: (member_expression object: (identifier) @_m property: (property_identifier) @_e) (#eq? @_m "module") (#eq? @_e "exports"))) @keep)

(class_body (field_definition) @keep)

(call_expression function: (identifier) @reference.call)
(call_expression function: (member_expression property: (property_identifier) @reference.call))
(new_expression constructor: (identifier) @reference.class)
(new_expression constructor: (member_expression property: (property_identifier) @reference.class))
(class_heritage (identifier) @reference.class)
(class_heritage (member_expression property: (property_identifier) @reference.class))
(import_specifier name: (identifier) @reference.import)
(import_clause (identifier) @reference.import)
((jsx_opening_element name: (identifier) @reference.class) (#match? @reference.class "^[A-Z]"))
((jsx_self_closing_element name: (identifier) @reference.class) (#match? @reference.class "^[A-Z]"))
(arguments (identifier) @reference.name)
(program . (comment) @doc)
