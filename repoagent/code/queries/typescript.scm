; TypeScript and TSX (capture names: see python.scm).

(class_declaration name: (type_identifier) @name) @definition.class
(abstract_class_declaration name: (type_identifier) @name) @definition.class
(interface_declaration name: (type_identifier) @name) @definition.interface
(type_alias_declaration name: (type_identifier) @name) @definition.type
(enum_declaration name: (identifier) @name) @definition.enum
(module name: [(identifier) (string)] @name) @definition.module
(internal_module name: [(identifier) (nested_identifier)] @name) @definition.namespace
(function_declaration name: (identifier) @name) @definition.function
(generator_function_declaration name: (identifier) @name) @definition.function
(function_signature name: (identifier) @name) @definition.function
(method_definition name: [(property_identifier) (private_property_identifier)] @name) @definition.method
(abstract_method_signature name: (property_identifier) @name) @definition.method
(method_signature name: (property_identifier) @name) @definition.method
(program (lexical_declaration (variable_declarator name: (identifier) @name value: [(arrow_function) (function_expression)] @_fn)) @definition.function)
(program (export_statement (lexical_declaration (variable_declarator name: (identifier) @name value: [(arrow_function) (function_expression)] @_fn)) @definition.function))
(program (lexical_declaration (variable_declarator name: (identifier) @name value: [(number) (string) (template_string) (object) (array) (call_expression) (new_expression) (identifier) (member_expression) (as_expression) (satisfies_expression) (non_null_expression) (true) (false) (null) (undefined) (regex) (binary_expression) (ternary_expression) (unary_expression) (parenthesized_expression) (await_expression) (subscript_expression) (class)])) @definition.variable)
(program (export_statement (lexical_declaration (variable_declarator name: (identifier) @name value: [(number) (string) (template_string) (object) (array) (call_expression) (new_expression) (identifier) (member_expression) (as_expression) (satisfies_expression) (non_null_expression) (true) (false) (null) (undefined) (regex) (binary_expression) (ternary_expression) (unary_expression) (parenthesized_expression) (await_expression) (subscript_expression) (class)])) @definition.variable))
; `const x: T;` with no value, and `declare const` / `declare var` (declaration files)
(program (lexical_declaration (variable_declarator name: (identifier) @name type: (type_annotation) !value)) @definition.variable)
(program (export_statement (lexical_declaration (variable_declarator name: (identifier) @name type: (type_annotation) !value)) @definition.variable))
(program (ambient_declaration [(lexical_declaration (variable_declarator name: (identifier) @name)) (variable_declaration (variable_declarator name: (identifier) @name))]) @definition.variable)
(program (export_statement (ambient_declaration [(lexical_declaration (variable_declarator name: (identifier) @name)) (variable_declaration (variable_declarator name: (identifier) @name))]) @definition.variable))

(import_statement) @import
; test files: each describe/it/test call's name line (vitest, jest, mocha, node:test)
(call_expression function: [(identifier) @_t (member_expression object: (identifier) @_t)] arguments: (arguments . [(string) (template_string)] @keep) (#any-of? @_t "describe" "it" "test" "suite" "bench"))
; re-exports and export lists are a barrel file's whole structure
(program (export_statement source: (string)) @import)
(program (export_statement (export_clause)) @import)
(class_body (public_field_definition) @keep)
(interface_body (property_signature) @keep)
(class_body (index_signature) @keep)
(interface_body [(index_signature) (call_signature) (construct_signature)] @keep)
(object_type [(index_signature) (call_signature) (construct_signature)] @keep)
(object_type (property_signature) @keep)
(enum_body) @keep

(call_expression function: (identifier) @reference.call)
(call_expression function: (member_expression property: (property_identifier) @reference.call))
(new_expression constructor: (identifier) @reference.class)
(extends_clause value: (identifier) @reference.class)
(implements_clause (type_identifier) @reference.class)
(extends_type_clause type: (type_identifier) @reference.class)
(type_annotation (type_identifier) @reference.type)
(generic_type name: (type_identifier) @reference.type)
(type_arguments (type_identifier) @reference.type)
(import_specifier name: (identifier) @reference.import)
(import_clause (identifier) @reference.import)
(arguments (identifier) @reference.name)
(program . (comment) @doc)
