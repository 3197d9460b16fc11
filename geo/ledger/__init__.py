"""Progress ledgers (台账): read them as offices keep them, write a template.

A ledger is a sheet with a title, a 填报单位/截至 line, a one- or two-level
header (item merged over 任务/开工/完工), one row per unit, 合计/小计 rows
and notes below.  ``read_ledger`` finds the header by its words, keeps the
data rows, checks the totals and drops personal data unread; how, stage by
stage, is told in :mod:`geo.ledger.read`.
"""

from geo.ledger.model import Ledger
from geo.ledger.read import read_ledger
from geo.ledger.template import write_template

__all__ = ["Ledger", "read_ledger", "write_template"]
