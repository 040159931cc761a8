; Rust (capture names: see python.scm).

(struct_item name: (type_identifier) @name) @definition.struct
(enum_item name: (type_identifier) @name) @definition.enum
(union_item name: (type_identifier) @name) @definition.struct
(trait_item name: (type_identifier) @name) @definition.trait
(type_item name: (type_identifier) @name) @definition.type
(impl_item type: [(type_identifier) (generic_type type: (type_identifier)) (scoped_type_identifier name: (type_identifier))] @name) @definition.impl
(function_item name: (identifier) @name) @definition.function
(function_signature_item name: (identifier) @name) @definition.function
(mod_item name: (identifier) @name) @definition.module
(macro_definition name: (identifier) @name) @definition.macro
(const_item name: (identifier) @name) @definition.constant
(static_item name: (identifier) @name) @definition.constant

(use_declaration) @import
(extern_crate_declaration) @import
(source_file . (line_comment) @doc)
(field_declaration_list (field_declaration) @keep)
(enum_variant_list (enum_variant) @keep)

(call_expression function: (identifier) @reference.call)
(call_expression function: (field_expression field: (field_identifier) @reference.call))
(call_expression function: (scoped_identifier name: (identifier) @reference.call))
(call_expression function: (scoped_identifier path: (identifier) @reference.type))
(generic_function function: (identifier) @reference.call)
(macro_invocation macro: (identifier) @reference.call)
(struct_expression name: (type_identifier) @reference.class)
(type_identifier) @reference.type
(scoped_type_identifier name: (type_identifier) @reference.type)
(use_declaration argument: (scoped_identifier name: (identifier) @reference.import))
(use_list (identifier) @reference.import)
(use_list (scoped_identifier name: (identifier) @reference.import))
(arguments (identifier) @reference.name)
