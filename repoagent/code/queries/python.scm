; Python: definitions, references, imports, docstrings and kept lines for outlines.
; Capture names (shared by every language's query file):
;   @definition.KIND  the whole definition node     @name   its name
;   @body             the elided body (when the grammar has no `body` field)
;   @reference.KIND   a name used here (call, type, import, class, new, ...)
;   @import           an import statement, kept whole in outlines
;   @doc              a docstring; its first line is kept in outlines
;   @keep             a line kept in outlines (fields, class attributes)

(class_definition name: (identifier) @name) @definition.class
(function_definition name: (identifier) @name) @definition.function
(module (expression_statement (assignment left: (identifier) @name) @definition.variable))

(import_statement) @import
(import_from_statement) @import
(future_import_statement) @import

(module . (expression_statement (string) @doc))
(function_definition body: (block . (expression_statement (string) @doc)))
(class_definition body: (block . (expression_statement (string) @doc)))
(class_definition body: (block (expression_statement (assignment) @keep)))

(call function: (identifier) @reference.call)
(call function: (attribute attribute: (identifier) @reference.call))
(class_definition superclasses: (argument_list (identifier) @reference.class))
(class_definition superclasses: (argument_list (attribute attribute: (identifier) @reference.class)))
(type (identifier) @reference.type)
(type (attribute attribute: (identifier) @reference.type))
(decorator (identifier) @reference.call)
(decorator (attribute attribute: (identifier) @reference.call))
(import_from_statement name: (dotted_name (identifier) @reference.import))
(import_from_statement name: (aliased_import name: (dotted_name (identifier) @reference.import)))
(import_statement name: (dotted_name (identifier) @reference.module))
(import_from_statement module_name: (dotted_name (identifier) @reference.module))
(argument_list (identifier) @reference.name)
(keyword_argument value: (identifier) @reference.name)
