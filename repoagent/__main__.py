"""``python -m repoagent``."""

from repoagent.cli.main import main

main()
