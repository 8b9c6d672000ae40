from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestAvailabilityTour(HttpCase):
    def test_agent_sets_status_from_systray(self):
        agent = new_test_user(self.env, "tour_avail_agent", groups="cs_helpdesk.group_agent", name="示闲坐席")
        team = self.env["cs.ticket.team"].create(
            {"name": "Tour Queue", "assignment_method": "balanced", "member_ids": [(6, 0, agent.ids)]}
        )
        self.env["res.users"].with_user(agent).cs_set_my_availability("busy")
        customer = self.env["res.partner"].create({"name": "孙先生", "email": "sun@example.com"})
        waiting = self.env["cs.ticket"].create(
            {"name": "等待分配的工单", "team_id": team.id, "partner_id": customer.id}
        )
        self.assertFalse(waiting.user_id, "the only agent is busy: the ticket waits")

        self.start_tour("/odoo", "cs_helpdesk_agent_availability_tour", login="tour_avail_agent")

        self.assertEqual(waiting.user_id, agent, "handed out when the agent became available")
        self.assertEqual(agent.cs_availability, "busy")


@tagged("post_install", "-at_install")
class TestLivechatTicketTour(HttpCase):
    def test_agent_turns_chat_into_ticket(self):
        agent = new_test_user(self.env, "tour_chat_agent", groups="cs_helpdesk.group_agent", name="在线客服专员")
        team = self.env["cs.ticket.team"].create(
            {"name": "Tour Chat Team", "assignment_method": "manual", "member_ids": [(6, 0, agent.ids)]}
        )
        livechat = self.env["im_livechat.channel"].create(
            {"name": "Tour Live Chat", "user_ids": [(6, 0, agent.ids)], "cs_team_id": team.id}
        )
        guest = self.env["mail.guest"].create({"name": "访客 #7"})
        chat = self.env["discuss.channel"].create(
            {
                "name": "访客 #7",
                "channel_type": "livechat",
                "livechat_channel_id": livechat.id,
                "livechat_operator_id": agent.partner_id.id,
                "livechat_active": True,
                "anonymous_name": "访客 #7",
                "channel_member_ids": [(0, 0, {"partner_id": agent.partner_id.id})],
            }
        )
        self.env["discuss.channel.member"].create({"guest_id": guest.id, "channel_id": chat.id})
        self.env["mail.message"].create(
            {
                "model": "discuss.channel",
                "res_id": chat.id,
                "body": "发票抬头开错了",
                "message_type": "comment",
                "author_id": False,
                "author_guest_id": guest.id,
            }
        )

        self.start_tour(
            f"/odoo/discuss?active_id=discuss.channel_{chat.id}",
            "cs_helpdesk_livechat_ticket_tour",
            login="tour_chat_agent",
        )

        ticket = self.env["cs.ticket"].search([("chat_channel_id", "=", chat.id)])
        self.assertEqual(ticket.name, "发票抬头错误")
        self.assertEqual(ticket.team_id, team)
        self.assertEqual(ticket.user_id, agent)
        self.assertIn("发票抬头开错了", ticket.message_ids[0].body)
