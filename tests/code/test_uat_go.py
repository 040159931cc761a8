"""Acceptance findings on Go outlines (no Go source is reachable from the registries here;
pinned on small files written like a real package)."""

from __future__ import annotations

from repoagent.code import outline_file

GO = """\
// Package demo does things.
package demo

var (
\tErrNotFound = errors.New("not found")
\tcount       int
)

const (
\tA = 1
\tB = 2
\tC = 3
\tD = 4
)

// Store keeps items.
type Store struct {
\titems map[string]string
}
"""


def test_grouped_vars_and_consts_are_all_outlined() -> None:
    # `var ( ... )` blocks were missing from the outline, and a `const ( ... )` block showed
    # only its first two names.
    outline = outline_file("demo/store.go", GO)
    assert outline is not None
    assert " 4│var (" in outline
    assert ' 5│\tErrNotFound = errors.New("not found")' in outline
    assert "13│\tD = 4" in outline


def test_a_lone_const_keeps_its_keyword_and_doc_comment() -> None:
    text = "package demo\n\n// Max is the limit.\nconst Max = 100\n\nvar debug = false\n"
    outline = outline_file("demo/limits.go", text)
    assert outline is not None
    assert "3│// Max is the limit." in outline
    assert "4│const Max = 100" in outline
    assert "6│var debug = false" in outline
