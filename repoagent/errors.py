"""The one error hierarchy of repoagent.

Every error the library raises on purpose derives from :class:`RepoAgentError`, so the CLI can
turn it into a one-line message and an exit code, and retries can catch at the right level::

    RepoAgentError                    exit 2 unless a subclass says otherwise
    ├── ConfigError                   bad configuration file, flag or environment value
    ├── RepositoryError               not a git repository, unknown revision, empty repository
    ├── PackError                     the packer cannot produce a document
    │   └── BudgetTooSmallError       the header, tree, manifest, diff and task alone overflow
    ├── ProviderError                 the model endpoint is unusable (exit 3)
    │   ├── ContextOverflowError      the prompt did not fit the served context window
    │   └── ProviderAuthError         401/403 from the endpoint
    ├── ToolError                     an agent tool refused or failed; its text goes back to the model
    ├── GitHubError                   the GitHub REST API refused or failed
    │   └── GitHubWriteDenied         403 on a write: a read-only token (fork pull requests)
    └── BudgetExhausted               a run budget (turns, tokens, cost, time) ran out
"""

from __future__ import annotations


class RepoAgentError(Exception):
    """Base of every error repoagent raises on purpose."""

    exit_code = 2


class ConfigError(RepoAgentError):
    """Configuration that cannot be used as given."""


class RepositoryError(RepoAgentError):
    """The repository or revision cannot be read."""


class PackError(RepoAgentError):
    """The packer cannot produce a document within the constraints."""


class BudgetTooSmallError(PackError):
    """Even the document's skeleton (header, tree, manifest, diff, task) exceeds the budget."""


class ProviderError(RepoAgentError):
    """The model endpoint failed after retries, or refused the request."""

    exit_code = 3


class ContextOverflowError(ProviderError):
    """The request exceeded the served context window; shrink the prompt and retry."""


class ProviderAuthError(ProviderError):
    """The endpoint rejected the credentials."""


class ToolError(RepoAgentError):
    """An agent tool refused its arguments or failed; the message is shown to the model."""


class GitHubError(RepoAgentError):
    """The GitHub REST API refused or failed."""


class GitHubWriteDenied(GitHubError):
    """The token may read but not write (fork pull requests); fall back to the job summary."""


class BudgetExhausted(RepoAgentError):
    """A run budget ran out; the run stops cleanly with what it has."""
