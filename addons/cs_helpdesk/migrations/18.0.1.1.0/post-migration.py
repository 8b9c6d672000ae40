"""Stage flags added in 18.0.1.1.0 on a record of noupdate data: set on the seeded waiting stage."""


def migrate(cr, version):
    cr.execute(
        """
        UPDATE cs_ticket_stage SET is_waiting = TRUE
         WHERE id IN (SELECT res_id FROM ir_model_data
                       WHERE module = 'cs_helpdesk' AND name = 'stage_waiting' AND model = 'cs.ticket.stage')
        """
    )
