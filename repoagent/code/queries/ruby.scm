; Ruby (capture names: see python.scm).

(class name: [(constant) (scope_resolution)] @name) @definition.class
(module name: [(constant) (scope_resolution)] @name) @definition.module
(method name: (_) @name) @definition.method
(singleton_method name: (_) @name) @definition.method
(program (assignment left: (constant) @name) @definition.constant)
(body_statement (assignment left: (constant) @name) @definition.constant)

((call method: (identifier) @_m) @import (#match? @_m "^(require|require_relative|load)$"))
((call method: (identifier) @_m) @keep (#match? @_m "^(attr_reader|attr_writer|attr_accessor|include|extend|prepend|delegate)$"))
(program . (comment) @doc)

(call method: (identifier) @reference.call)
(call receiver: (constant) @reference.class)
(superclass (constant) @reference.class)
(superclass (scope_resolution name: (constant) @reference.class))
(scope_resolution name: (constant) @reference.class)
(argument_list (constant) @reference.class)
(argument_list (identifier) @reference.name)
