; TSX: read after typescript.scm; adds JSX component references.

((jsx_opening_element name: (identifier) @reference.class) (#match? @reference.class "^[A-Z]"))
((jsx_self_closing_element name: (identifier) @reference.class) (#match? @reference.class "^[A-Z]"))
