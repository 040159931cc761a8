"""Public API changes across languages: exports, __all__, pub, capitalisation."""

from __future__ import annotations

from collections.abc import Callable

import git

from repoagent.audit import AuditOptions, run_audit
from tests.conftest import commit_files

BEFORE = {
    "web/api.ts": (
        "export function load(id: string): number { return 1 }\n"
        "function helper() {}\n"
        "export class Store {\n  get(key: string) { return 1 }\n  private secret() {}\n}\n"
        "const util = () => 1;\n"
        "export { util as publicUtil };\n"
    ),
    "pkg/mod.py": '__all__ = ["run"]\n\n\ndef run(a):\n    pass\n\n\ndef helper(a):\n    pass\n',
    "server/serve.go": "package server\n\nfunc Serve(addr string) error { return nil }\n\nfunc helper() {}\n",
    "core/lib.rs": "pub fn open(path: &str) {}\nfn private_helper() {}\n",
}
AFTER = {
    "web/api.ts": (
        "export function load(id: string, force: boolean): number { return 1 }\n"
        "function helper(x: number) {}\n"
        "export class Store {\n  get(key: string) { return 1 }\n  put(key: string) {}\n"
        "  private secret(x: number) {}\n}\n"
        "const util = (x: number) => 1;\n"
        "export { util as publicUtil };\n"
    ),
    "pkg/mod.py": '__all__ = ["run", "start"]\n\n\ndef run(a, b):\n    pass\n\n\ndef helper(a, b):\n    pass\n\n\ndef start():\n    pass\n',
    "server/serve.go": "package server\n\nfunc Serve(addr string, tls bool) error { return nil }\n\nfunc helper(x int) {}\n",
    "core/lib.rs": "pub fn open(path: &str, mode: u8) {}\nfn private_helper(x: u8) {}\npub fn close() {}\n",
}


def test_each_language_reports_only_its_public_surface(make_repo: Callable[..., git.Repo]) -> None:
    repo = make_repo(BEFORE)
    repo.create_tag("v1")
    commit_files(repo, AFTER, "api changes")
    audit = run_audit(AuditOptions(path=repo.working_tree_dir, review=False))  # type: ignore[arg-type]
    assert {(a.path, a.name, a.change) for a in audit.api} == {
        ("web/api.ts", "load", "signature"),
        ("web/api.ts", "Store.put", "added"),
        ("web/api.ts", "util", "signature"),
        ("pkg/mod.py", "run", "signature"),
        ("pkg/mod.py", "start", "added"),
        ("server/serve.go", "Serve", "signature"),
        ("core/lib.rs", "open", "signature"),
        ("core/lib.rs", "close", "added"),
    }
