from . import controllers
from . import models
from . import report
from . import wizard


def uninstall_hook(env):
    """The report rollups live in tables of their own, outside the ORM: drop them with the addon."""
    for rollup_report in env["cs.report.mixin"]._rollup_reports():
        rollup_report._rollup_drop_schema()
