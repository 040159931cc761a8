"""A release history with two tags: v1.0, then v2.0 with API, dependency and TODO changes."""

from __future__ import annotations

from collections.abc import Callable

import git
import pytest

from tests.conftest import commit_files

V1 = {
    "pyproject.toml": """[project]
name = "demo"
dependencies = ["requests>=2.30", "click>=8.0", "six"]

[project.optional-dependencies]
dev = ["pytest>=7"]
""",
    "requirements.txt": "flask==2.0.1\nurllib3==2.0  # pinned\n",
    "package.json": '{"dependencies": {"left-pad": "^1.0.0", "lodash": "^4.17.0"},'
    ' "devDependencies": {"jest": "^29.0.0"}}\n',
    "go.mod": "module example.com/demo\n\ngo 1.22\n\nrequire (\n\tgithub.com/pkg/errors v0.9.1\n)\n",
    "poetry.lock": '[[package]]\nname = "certifi"\nversion = "2024.2.2"\n',
    "src/demo/lib.py": '''"""Library."""


def parse(text):
    """Parse."""
    return text.split()


def render(items, sep):
    return sep.join(items)


class Client:
    def get(self, url):
        return url
''',
    "src/demo/util.py": "def keep():\n    return 1\n",
    "tests/test_lib.py": "def test_parse():\n    assert True\n",
}

V2 = {
    "pyproject.toml": """[project]
name = "demo"
dependencies = ["requests>=2.31", "six", "httpx>=0.27"]

[project.optional-dependencies]
dev = ["pytest>=8"]
""",
    "requirements.txt": "flask==1.1\nurllib3==2.0  # pinned\n",
    "package.json": '{"dependencies": {"left-pad": "^1.0.0", "lodash": "^4.17.21", "axios": "^1.6.0"}}\n',
    "go.mod": "module example.com/demo\n\ngo 1.22\n\nrequire (\n\tgithub.com/pkg/errors v0.9.1\n"
    "\tgolang.org/x/net v0.20.0 // indirect\n)\n",
    "poetry.lock": '[[package]]\nname = "certifi"\nversion = "2024.7.4"\n',
    "src/demo/lib.py": '''"""Library."""


def parse(text, strict=False):
    """Parse."""
    # TODO: handle unicode whitespace
    return text.split()


class Client:
    def get(self, url):
        return url


def fetch(url):
    return Client().get(url)  # FIXME: no retries


def _private_helper():
    return None
''',
    "src/demo/util.py": "def keep():\n    return 2  # XXX temporary\n",
    "tests/test_lib.py": "def test_parse():\n    assert True\n\n\ndef test_fetch():\n    assert True\n",
}


@pytest.fixture
def release_repo(make_repo: Callable[..., git.Repo]) -> git.Repo:
    """v1.0 → v2.0 (API, dependency, TODO changes) → one commit after v2.0 (README only)."""
    repo = make_repo(V1, message="first release")
    repo.create_tag("v1.0")
    commit_files(repo, {"src/demo/lib.py": V2["src/demo/lib.py"]}, "reshape the API")
    commit_files(repo, {k: v for k, v in V2.items() if k != "src/demo/lib.py"}, "bump deps")
    repo.create_tag("v2.0")
    commit_files(repo, {"README.md": "# demo\n"}, "docs")
    return repo
