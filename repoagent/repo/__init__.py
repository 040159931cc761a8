"""Repository access: open a repository, resolve revisions, list and read files, diff."""

from repoagent.repo.git import SUBMODULE_MODE, SYMLINK_MODE, FileEntry, GitRepository

__all__ = ["SUBMODULE_MODE", "SYMLINK_MODE", "FileEntry", "GitRepository", "open_repository"]


def open_repository(path: str) -> GitRepository:
    """Open the git repository containing ``path`` (read-only), or raise RepositoryError."""
    return GitRepository(path)
