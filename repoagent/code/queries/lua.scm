; Lua (capture names: see python.scm).

(function_declaration name: (identifier) @name) @definition.function
(function_declaration name: (dot_index_expression table: (identifier) @scope field: (identifier) @name)) @definition.function
(function_declaration name: (method_index_expression table: (identifier) @scope method: (identifier) @name)) @definition.method
(chunk (variable_declaration (assignment_statement (variable_list name: (identifier) @name) (expression_list value: (table_constructor)))) @definition.module)
(chunk (variable_declaration (assignment_statement (variable_list name: (identifier) @name) (expression_list value: (function_definition) @_fn))) @definition.function)
(chunk (assignment_statement (variable_list name: (dot_index_expression table: (identifier) @scope field: (identifier) @name)) (expression_list value: (function_definition) @_fn)) @definition.function)

((function_call name: (identifier) @_req) @import (#eq? @_req "require"))
((variable_declaration (assignment_statement (expression_list value: (function_call name: (identifier) @_req)))) @import (#eq? @_req "require"))
(chunk . (comment) @doc)

(function_call name: (identifier) @reference.call)
(function_call name: (dot_index_expression field: (identifier) @reference.call))
(function_call name: (method_index_expression method: (identifier) @reference.call))
(function_call name: (dot_index_expression table: (identifier) @reference.module))
(arguments (identifier) @reference.name)
