from . import models
from . import report
from . import wizard
from . import controllers


def uninstall_hook(env):
    """The ageing rollups, their triggers on the journal items and their index live outside the ORM."""
    from odoo.tools import SQL

    from .report.cs_ageing_report import DUE_INDEX

    env["cs.ageing.report"]._rollup_drop_schema()
    env.cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(DUE_INDEX)))
