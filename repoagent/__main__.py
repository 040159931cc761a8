"""``python -m repoagent``."""

from repoagent.cli.main import console

console()
