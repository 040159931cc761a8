; Bash (capture names: see python.scm).

(function_definition name: (word) @name) @definition.function
(program (variable_assignment name: (variable_name) @name) @definition.variable)
(program (declaration_command (variable_assignment name: (variable_name) @name)) @definition.variable)

((command name: (command_name (word) @_c)) @import (#match? @_c "^(source|\\.)$"))
(program . (comment) @doc)
(program . (comment) . (comment) @doc)

(command name: (command_name (word) @reference.call))
