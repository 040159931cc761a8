; PHP (capture names: see python.scm).

(class_declaration name: (name) @name) @definition.class
(interface_declaration name: (name) @name) @definition.interface
(trait_declaration name: (name) @name) @definition.trait
(enum_declaration name: (name) @name) @definition.enum
(function_definition name: (name) @name) @definition.function
(method_declaration name: (name) @name) @definition.method
(const_declaration (const_element (name) @name)) @definition.constant
(property_declaration (property_element (variable_name (name) @name))) @definition.field

(namespace_definition) @keep
(namespace_use_declaration) @import
((expression_statement (include_expression)) @import)
((expression_statement (require_once_expression)) @import)

(function_call_expression function: (name) @reference.call)
(function_call_expression function: (qualified_name (name) @reference.call))
(member_call_expression name: (name) @reference.call)
(scoped_call_expression name: (name) @reference.call)
(scoped_call_expression scope: (name) @reference.class)
(object_creation_expression (name) @reference.class)
(object_creation_expression (qualified_name (name) @reference.class))
(base_clause (name) @reference.class)
(class_interface_clause (name) @reference.class)
(named_type (name) @reference.type)
(namespace_use_clause (qualified_name (name) @reference.import))
(namespace_use_clause (name) @reference.import)
