"""The review agent: a LangGraph pipeline prepare → scout → investigate → verify → report.

``run_review(ReviewOptions(path=…))`` returns a :class:`~repoagent.findings.model.Report`; it is
what ``repoagent review``, ``repoagent github review`` and ``repoagent audit`` call.
"""

from repoagent.agent.options import Budgets, ProgressCallback, ReviewOptions
from repoagent.agent.run import run_review

__all__ = ["Budgets", "ProgressCallback", "ReviewOptions", "run_review"]
