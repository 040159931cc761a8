; Java (capture names: see python.scm).

(class_declaration name: (identifier) @name) @definition.class
(interface_declaration name: (identifier) @name) @definition.interface
(enum_declaration name: (identifier) @name) @definition.enum
(record_declaration name: (identifier) @name) @definition.class
(annotation_type_declaration name: (identifier) @name) @definition.interface
(method_declaration name: (identifier) @name) @definition.method
(constructor_declaration name: (identifier) @name) @definition.constructor
(compact_constructor_declaration name: (identifier) @name) @definition.constructor
(annotation_type_element_declaration name: (identifier) @name) @definition.method
(module_declaration name: [(identifier) (scoped_identifier)] @name) @definition.module
(class_body (field_declaration declarator: (variable_declarator name: (identifier) @name)) @definition.field)
(enum_body (enum_constant name: (identifier) @name) @definition.constant)

(package_declaration) @keep
(module_body (_) @keep)
(import_declaration) @import

(method_invocation name: (identifier) @reference.call)
(method_invocation object: (identifier) @reference.name)
(object_creation_expression type: (type_identifier) @reference.class)
(object_creation_expression type: (generic_type (type_identifier) @reference.class))
(superclass (type_identifier) @reference.class)
(super_interfaces (type_list (type_identifier) @reference.class))
(super_interfaces (type_list (generic_type (type_identifier) @reference.class)))
(type_identifier) @reference.type
(import_declaration (scoped_identifier name: (identifier) @reference.import))
(argument_list (identifier) @reference.name)
