from odoo import fields, models


class CsDepartment(models.Model):
    """A department outside customer service that complaints are attributed to and feedback is routed to.

    Kept free of the ``hr`` module: cs_helpdesk is installed without HR, and these are
    functions (warehouse, quality, product, marketing) rather than an org chart.
    """

    _name = "cs.department"
    _description = "Responsible Department"
    _order = "sequence, name"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", index=True, help="Empty to share with every company.")
    user_id = fields.Many2one(
        "res.users",
        string="Contact Person",
        domain="[('share', '=', False)]",
        help="Receives the improvement requests and the feedback routed to this department.",
    )
    note = fields.Text()
    complaint_count = fields.Integer(compute="_compute_counts")
    feedback_count = fields.Integer(compute="_compute_counts")

    def _compute_counts(self):
        complaints = self.env["cs.ticket"]._read_group(
            [("complaint_department_id", "in", self.ids)], ["complaint_department_id"], ["__count"]
        )
        feedback = self.env["cs.feedback"]._read_group(
            [("department_id", "in", self.ids)], ["department_id"], ["__count"]
        )
        complaint_counts = {department.id: count for department, count in complaints}
        feedback_counts = {department.id: count for department, count in feedback}
        for department in self:
            department.complaint_count = complaint_counts.get(department.id, 0)
            department.feedback_count = feedback_counts.get(department.id, 0)

    def action_view_complaints(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("cs_helpdesk.cs_ticket_action_complaint")
        action["domain"] = [("complaint_department_id", "=", self.id)]
        action["context"] = {"default_complaint_department_id": self.id}
        return action

    def action_view_feedback(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("cs_helpdesk.cs_feedback_action")
        action["domain"] = [("department_id", "=", self.id)]
        action["context"] = {"default_department_id": self.id}
        return action
