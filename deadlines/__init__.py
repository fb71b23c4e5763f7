"""Pure-Python legal deadline rules: record + filings + today -> one verdict per rule.

Never imports Django or ``submissions``; the Django side stores the verdicts (DESIGN section 9).
"""

from __future__ import annotations

from deadlines.engine import evaluate
from deadlines.verdict import Verdict

__all__ = ["Verdict", "evaluate"]
