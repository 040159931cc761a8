; C# (capture names: see python.scm).

(class_declaration name: (identifier) @name) @definition.class
(interface_declaration name: (identifier) @name) @definition.interface
(struct_declaration name: (identifier) @name) @definition.struct
(record_declaration name: (identifier) @name) @definition.class
(enum_declaration name: (identifier) @name) @definition.enum
(delegate_declaration name: (identifier) @name) @definition.type
(namespace_declaration name: [(identifier) (qualified_name)] @name) @definition.namespace
(file_scoped_namespace_declaration name: [(identifier) (qualified_name)] @name) @keep
(method_declaration name: (identifier) @name) @definition.method
(constructor_declaration name: (identifier) @name) @definition.constructor
(property_declaration name: (identifier) @name) @definition.property
(field_declaration (variable_declaration (variable_declarator name: (identifier) @name))) @definition.field
(enum_member_declaration_list) @keep

(using_directive) @import

(invocation_expression function: (identifier) @reference.call)
(invocation_expression function: (member_access_expression name: (identifier) @reference.call))
(member_access_expression expression: (identifier) @reference.name)
(object_creation_expression type: (identifier) @reference.class)
(object_creation_expression type: (generic_name (identifier) @reference.class))
(base_list (identifier) @reference.class)
(base_list (generic_name (identifier) @reference.class))
(variable_declaration type: (identifier) @reference.type)
(parameter type: (identifier) @reference.type)
(type_argument_list (identifier) @reference.type)
(argument_list (argument (identifier) @reference.name))
