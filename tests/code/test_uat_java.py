"""Acceptance findings on Java outlines (jpype1's sdist ships its Java sources)."""

from __future__ import annotations

from repoagent.code import outline_file

JAVA = """\
package org.example;

public record Point(int x, int y) {
    public Point {
        if (x < 0) throw new IllegalArgumentException();
    }
}

public @interface Marker {
    String value() default "";
}
"""

MODULE_INFO = """\
/* license */
module org.jpype {
  requires java.sql;
  exports org.jpype.manager;
}
"""


def test_compact_constructors_and_annotation_elements_are_outlined() -> None:
    outline = outline_file("src/Point.java", JAVA)
    assert outline is not None
    assert "4│    public Point {" in outline
    assert "IllegalArgumentException" not in outline
    assert '10│    String value() default "";' in outline


def test_module_info_is_outlined() -> None:
    # jpype1's module-info.java had no outline at all (only listed).
    outline = outline_file("src/module-info.java", MODULE_INFO)
    assert outline is not None
    assert "2│module org.jpype {" in outline
    assert "3│  requires java.sql;" in outline
    assert "4│  exports org.jpype.manager;" in outline
