"""Acceptance findings on native code shipped in PyPI sdists (jpype1's C++ headers, msgpack's
C headers), pinned on small files."""

from __future__ import annotations

from repoagent.code import outline_file
from repoagent.code.lexical import LexicalIndex

CPP_HEADER = """\
#ifndef _JP_CLASS_H_
#define _JP_CLASS_H_
#include "jp_modifier.h"

class JPClass : public JPResource
{
public:
\tJPClass(const string& name, jint modifiers);
\tbool isFinal() const
\t{
\t\treturn JPModifier::isFinal(m_Modifiers);
\t}
\tstring getName() const;
};
#endif
"""

C_HEADER = """\
#include <stddef.h>
#ifdef __cplusplus
extern "C" {
#endif
typedef struct unpack_stack {
    size_t size;
} unpack_stack;
static inline int unpack_init(unpack_stack* s)
{
    return 0;
}
#ifdef __cplusplus
}
#endif
"""


def test_a_cpp_header_is_outlined_as_cpp() -> None:
    # jpype1's native/common/include/jp_class.h was parsed as C: the outline lost the
    # `class JPClass : public JPResource` line and showed method bodies instead.
    outline = outline_file("native/include/jp_class.h", CPP_HEADER)
    assert outline is not None
    assert " 5│class JPClass : public JPResource" in outline
    assert "isFinal(m_Modifiers)" not in outline
    assert " 9│\tbool isFinal() const" in outline


def test_a_c_header_stays_c() -> None:
    from repoagent.code.languages import language_for_source

    assert language_for_source("msgpack/unpack.h", C_HEADER) == "c"
    assert language_for_source("jp_class.h", CPP_HEADER) == "cpp"
    assert language_for_source("jp_class.c", CPP_HEADER) == "c"
    outline = outline_file("msgpack/unpack.h", C_HEADER)
    assert outline is not None
    assert " 8│static inline int unpack_init(unpack_stack* s)" in outline
    assert "return 0;" not in outline


def test_the_ranking_index_reads_a_cpp_header_as_cpp() -> None:
    index = LexicalIndex.from_texts({"jp_class.h": CPP_HEADER}, {})
    assert index.language("jp_class.h") == "cpp"
    assert "JPClass" in index.defined_names_in("jp_class.h")


def test_the_same_bytes_as_c_and_as_a_cpp_header_are_outlined_each_their_way() -> None:
    # Outlines are cached by blob: the key must say what the blob was parsed as.
    as_header = outline_file("include/jp_class.h", CPP_HEADER)
    as_c = outline_file("src/jp_class.c", CPP_HEADER)
    assert as_header is not None and " 5│class JPClass : public JPResource" in as_header
    assert as_c != as_header
    assert outline_file("include/jp_class.h", CPP_HEADER) == as_header
