"""Acceptance findings on real TypeScript packages (zod, @tanstack/query-core, preact), pinned
on small repositories: keyword-named members, compiled output next to its source, outlines of
declaration files, barrel files and files with one very long line."""

from __future__ import annotations

from repoagent.code import outline_file, rank_files
from repoagent.code.lexical import LexicalIndex

# zod's src/v3/tests/Mocker.ts defines getters named `null` and `undefined`; every JS/TS file
# "used" them through the keywords, and the test helper ranked first in the whole package.
KEYWORD_MEMBERS = {
    "src/mocker.ts": (
        "export class Mocker {\n"
        "  get null() { return null; }\n"
        "  get undefined() { return undefined; }\n"
        "  get true() { return true; }\n"
        "}\n"
    ),
    "src/schema.ts": (
        "import { parse } from './parse.js';\n"
        "export function validate(x: unknown) {\n"
        "  return parse(x) ?? null;\n"
        "}\n"
    ),
    "src/parse.ts": "export function parse(x: unknown) {\n  return x === undefined ? null : x;\n}\n",
    **{
        f"src/feature{i}.ts": (
            "import { validate } from './schema.js';\n"
            f"export function feature{i}(v: unknown) {{\n"
            "  if (v === null || v === undefined) return true;\n"
            "  return validate(v);\n"
            "}\n"
        )
        for i in range(6)
    },
}


def test_keywords_are_not_uses_of_members_named_after_them() -> None:
    index = LexicalIndex.from_texts(KEYWORD_MEMBERS, {})
    ranked = [r.path for r in rank_files(index)]
    assert ranked.index("src/schema.ts") < ranked.index("src/mocker.ts")
    assert ranked.index("src/parse.ts") < ranked.index("src/mocker.ts")
    assert {r.path for r in index.references("null")} == set()


def _numbered(outline: str | None) -> dict[int, str]:
    """``{line number: text}`` of an outline's kept lines."""
    assert outline is not None
    kept = {}
    for line in outline.splitlines():
        number, sep, text = line.partition("│")
        if sep:
            kept[int(number)] = text
    return kept


def test_declaration_file_outline_shows_declared_consts() -> None:
    # zod's v3/ZodError.d.ts: `export declare const ZodIssueCode: {` was missing while its
    # members were shown, and `quotelessJson` (a declared function value) was missing.
    text = (
        'import type { Primitive } from "./helpers/typeAliases.js";\n'
        "export declare const ZodIssueCode: {\n"
        '    invalid_type: "invalid_type";\n'
        "};\n"
        "export declare const quotelessJson: (obj: any) => string;\n"
        "declare let counter: number;\n"
        "export const VERSION: string;\n"
        "export const enabled = true;\n"
        "export const strict = options!;\n"
        "export const schema = base satisfies Schema;\n"
    )
    kept = _numbered(outline_file("src/ZodError.d.ts", text))
    assert kept[2] == "export declare const ZodIssueCode: {"
    assert kept[5] == "export declare const quotelessJson: (obj: any) => string;"
    assert kept[6] == "declare let counter: number;"
    assert kept[7] == "export const VERSION: string;"
    assert kept[8] == "export const enabled = true;"
    assert kept[9] == "export const strict = options!;"
    assert kept[10] == "export const schema = base satisfies Schema;"


def test_barrel_file_outline_shows_its_exports() -> None:
    # zod's src/v4/classic/external.ts and checks.ts had no outline at all: only listed.
    text = (
        "// the public API\n"
        'export * as core from "../core/index.js";\n'
        'export * from "./schemas.js";\n'
        'export type { JSONType } from "../core/util.js";\n'
        "export {\n"
        "  _lt as lt,\n"
        "  _gt as gt,\n"
        "};\n"
    )
    for path in ("src/index.ts", "src/index.js"):
        kept = _numbered(outline_file(path, text))
        assert kept[2] == 'export * as core from "../core/index.js";'
        assert kept[3] == 'export * from "./schemas.js";'
        assert kept[5] == "export {"
        if path.endswith(".ts"):
            assert kept[4] == 'export type { JSONType } from "../core/util.js";'


def test_a_file_with_one_very_long_line_still_has_an_outline() -> None:
    # zod's src/v4/classic/tests/string.test.ts: one 32 KB test string in 1,700 lines made
    # the file "minified" for the parser, so it was only listed.
    text = (
        'import { expect, test } from "vitest";\n'
        "export function check(value: string): boolean {\n"
        "  return value.length > 0;\n"
        "}\n"
        f'const LONG = "{"a" * 20_000}";\n'
        + "".join(f"test('case {i}', () => {{}});\n" for i in range(60))
    )
    kept = _numbered(outline_file("src/string.test.ts", text))
    assert kept[1] == 'import { expect, test } from "vitest";'
    assert kept[2] == "export function check(value: string): boolean {"


def _compiled_package() -> dict[str, str]:
    """A TypeScript package as npm ships it: sources, and the compiler's output twice."""
    files = {
        "src/query.ts": (
            "import { notify } from './notify.js';\n"
            "export class Query {\n  fetch(): void { notify(this); }\n}\n"
        ),
        "src/notify.ts": "export function notify(q: unknown): void {\n  console.log(q);\n}\n",
        "src/client.ts": (
            "import { Query } from './query.js';\n"
            "export class QueryClient {\n  build(): Query { return new Query(); }\n}\n"
        ),
    }
    for out in ("build/modern", "build/legacy"):
        files[f"{out}/query.js"] = (
            "import { notify } from './notify.js';\n"
            "export class Query {\n  fetch() { notify(this); }\n}\n"
        )
        files[f"{out}/query.d.ts"] = "export declare class Query {\n  fetch(): void;\n}\n"
        files[f"{out}/notify.js"] = "export function notify(q) {\n  console.log(q);\n}\n"
        files[f"{out}/client.cjs"] = (
            "const { Query } = require('./query.js');\n"
            "class QueryClient {\n  build() { return new Query(); }\n}\n"
            "module.exports = { QueryClient };\n"
        )
        files[f"{out}/hydration-DArUEfp7.d.ts"] = (
            "import { Query } from './query.js';\n"
            "export declare function hydrate(q: Query): void;\n"
        )
    return files


def test_compiled_output_ranks_below_its_typescript_source() -> None:
    # @tanstack/query-core ships src/ and build/{modern,legacy}: 500K of its 612K tokens were
    # compiled copies, and they outranked the sources (zod: v3/types.js above src/v3/types.ts).
    index = LexicalIndex.from_texts(_compiled_package(), {})
    ranked = [r.path for r in rank_files(index)]
    worst_source = max(ranked.index(p) for p in ranked if p.startswith("src/"))
    assert all(ranked.index(p) > worst_source for p in ranked if p.startswith("build/"))


def test_a_compiled_file_named_by_the_user_is_not_demoted() -> None:
    index = LexicalIndex.from_texts(_compiled_package(), {})
    ranked = rank_files(index, focus=["build/modern/query.js"])
    assert ranked[0].path == "build/modern/query.js"


def test_javascript_without_typescript_sources_is_not_compiled_output() -> None:
    # preact ships hand-written src/*.js next to hand-written src/*.d.ts: nothing is demoted.
    from repoagent.code.roles import compiled_outputs

    paths = ["src/index.js", "src/index.d.ts", "src/diff/index.js", "hooks/src/index.d.ts"]
    assert compiled_outputs(paths) == set()
    assert compiled_outputs(["src/user-Settings.js", "dist/user-settings.js", "src/a.ts"]) == set()


def test_commonjs_copies_of_a_dual_format_package_rank_below_the_esm_files() -> None:
    # date-fns ships getDate.js, getDate.cjs, getDate.d.ts and getDate.d.cts for each of its
    # ~1,000 functions; a 2% budget showed all four copies of the same modules.
    from repoagent.code.roles import compiled_outputs

    paths = ["getDate.js", "getDate.cjs", "getDate.d.ts", "getDate.d.cts", "lone.cjs"]
    assert compiled_outputs(paths) == {"getDate.cjs", "getDate.d.cts"}
    # Node's dual-package wrapper: the implementation is index.cjs, index.mjs re-exports it.
    assert compiled_outputs(["index.cjs", "index.mjs", "index.d.cts", "index.d.mts"]) == set()


def test_compiled_copies_do_not_unlink_the_sources_names() -> None:
    # query-core with --focus src/queryCache.ts: src/query.ts (which defines Query, used all
    # over queryCache.ts) ranked below index.ts and timeoutManager.ts, because Query was also
    # defined in four build/ copies and a name with more than 5 definers links nothing.
    files = {
        "src/query.ts": "export class Query {\n  fetch(): void {}\n}\n",
        "src/cache.ts": (
            "import { Query } from './query';\n"
            "import { other } from './other';\n"
            "export class QueryCache {\n  build(): Query { other(); return new Query(); }\n}\n"
        ),
        "src/other.ts": "export function other(): number {\n  return 1;\n}\n",
        "src/more.ts": "export function more(): number {\n  return 2;\n}\n",
    }
    for out in ("build/modern", "build/legacy"):
        for ext in (".js", ".d.ts", ".cjs"):
            files[f"{out}/query{ext}"] = "export class Query {\n  fetch() {}\n}\n"
    index = LexicalIndex.from_texts(files, {})
    ranked = {r.path: r for r in rank_files(index, focus=["src/cache.ts"])}
    # Query is used as much as other(): the two rank alike, and above the unrelated file.
    assert ranked["src/query.ts"].score == ranked["src/other.ts"].score
    assert ranked["src/query.ts"].reason == "used by focus"
    assert ranked["src/query.ts"].score > ranked["src/more.ts"].score


def test_a_test_file_outline_lists_its_tests() -> None:
    # zod's and query-core's test files are describe/test calls: the outline showed only the
    # imports, so a 60 KB test file at outline level said nothing about what it tests.
    text = (
        'import { describe, expect, it, test } from "vitest";\n'
        "\n"
        'describe("QueryCache", () => {\n'
        '  it("finds a query by key", () => {\n'
        "    expect(find()).toBe(1);\n"
        "  });\n"
        "  it.each([1, 2])(`builds %s`, (n) => {\n"
        "    expect(n).toBeGreaterThan(0);\n"
        "  });\n"
        "});\n"
        'test.skip("email rejects consecutive dots", () => {\n'
        "  expect(1).toBe(1);\n"
        "});\n"
    )
    for path in ("src/cache.test.ts", "src/cache.test.js"):
        kept = _numbered(outline_file(path, text))
        assert kept[3] == 'describe("QueryCache", () => {'
        assert kept[4] == '  it("finds a query by key", () => {'
        assert kept[11] == 'test.skip("email rejects consecutive dots", () => {'
        assert 5 not in kept and 12 not in kept


def test_question_words_do_not_rank_prose_over_code() -> None:
    # A task asked as a question ("Why does QueryObserver refetch ... even when ...") matched
    # comments full of "why" and "even" as strongly as the code it names.
    files = {
        "src/observer.ts": (
            "export class Observer {\n  refetch(): void {\n    this.fetch();\n  }\n}\n"
        ),
        "src/notes.ts": (
            "// Why this exists: even now, how and why and where it runs is unclear.\n"
            "// What does it do? Even we wonder why, and how, even here.\n"
            "export const notes = 1;\n"
        ),
        **{f"src/other{i}.ts": f"export const value{i} = {i};\n" for i in range(8)},
    }
    index = LexicalIndex.from_texts(files, {})
    ranked = [r.path for r in rank_files(index, query="Why does it refetch, even when how?")]
    assert ranked[0] == "src/observer.ts"
    assert ranked.index("src/notes.ts") > ranked.index("src/observer.ts")


def test_question_words_that_name_methods_stay_query_terms() -> None:
    from repoagent.code.rank import query_terms

    terms = query_terms("Why does only() drop the where clause?")
    assert "only" in terms and "where" in terms and "why" not in terms


def test_index_call_and_construct_signatures_are_outlined() -> None:
    text = (
        "export interface Fn {\n"
        "  (x: number): string;\n"
        "  new (y: string): Fn;\n"
        "  [k: string]: unknown;\n"
        "}\n"
        "export class Bag {\n"
        "  [key: string]: unknown;\n"
        "  size(): number {\n    return 0;\n  }\n"
        "}\n"
    )
    kept = _numbered(outline_file("src/fn.ts", text))
    assert kept[2] == "  (x: number): string;"
    assert kept[3] == "  new (y: string): Fn;"
    assert kept[4] == "  [k: string]: unknown;"
    assert kept[7] == "  [key: string]: unknown;"
    assert 9 not in kept


def test_the_ranking_index_knows_consts_declared_in_declaration_files() -> None:
    # A package whose API is in .d.ts files (`export declare const ZodIssueCode: {`) had
    # those names undefined for the ranking: nothing linked to the file declaring them.
    files = {
        "types/errors.d.ts": (
            "export declare const ZodIssueCode: {\n"
            '    invalid_type: "invalid_type";\n'
            "};\n"
            "export declare const quotelessJson: (obj: any) => string;\n"
        ),
        "src/use.ts": "for (let i = 0; i < 3; i++) {}\nconst { a, b } = ZodIssueCode;\n",
    }
    index = LexicalIndex.from_texts(files, {})
    assert index.defined_names_in("types/errors.d.ts") == ["ZodIssueCode", "quotelessJson"]
    assert index.defined_names_in("src/use.ts") == []
