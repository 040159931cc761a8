; Go (capture names: see python.scm).

(function_declaration name: (identifier) @name) @definition.function
(method_declaration receiver: (parameter_list (parameter_declaration type: [(type_identifier) (pointer_type (type_identifier))] @scope)) name: (field_identifier) @name) @definition.method
(type_declaration (type_spec name: (type_identifier) @name type: (struct_type)) @definition.struct)
(type_declaration (type_spec name: (type_identifier) @name type: (interface_type)) @definition.interface)
(type_declaration (type_spec name: (type_identifier) @name type: [(type_identifier) (qualified_type) (function_type) (map_type) (slice_type) (pointer_type) (channel_type) (generic_type) (array_type)]) @definition.type)
(type_declaration (type_alias name: (type_identifier) @name) @definition.type)
(method_elem name: (field_identifier) @name) @definition.method
; each spec of a `const (...)` / `var (...)` block is a definition (its doc comment is its own)
(source_file (const_declaration (const_spec name: (identifier) @name) @definition.constant))
(source_file (var_declaration (var_spec name: (identifier) @name) @definition.variable))
(source_file (var_declaration (var_spec_list (var_spec name: (identifier) @name) @definition.variable)))
(source_file (const_declaration "(" @keep))
(source_file (var_declaration (var_spec_list "(" @keep)))

(package_clause) @keep
(import_declaration) @import
(source_file . (comment) @doc)
(field_declaration_list (field_declaration) @keep)

(call_expression function: (identifier) @reference.call)
(call_expression function: (selector_expression field: (field_identifier) @reference.call))
(composite_literal type: (type_identifier) @reference.class)
(composite_literal type: (qualified_type name: (type_identifier) @reference.class))
(type_identifier) @reference.type
(qualified_type name: (type_identifier) @reference.type)
(selector_expression operand: (identifier) @reference.module)
(argument_list (identifier) @reference.name)
