from odoo.exceptions import AccessError
from odoo.tests import Form, TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestPrivacy(TransactionCase):
    """Agents see basic and order information, not payment or identity data;
    only managers export customer contact data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        # every user below may export: the export feature itself is not what is tested
        export = "base.group_allow_export"
        cls.agent = new_test_user(env, "priv_agent", groups=f"cs_helpdesk.group_agent,{export}")
        cls.leader = new_test_user(env, "priv_leader", groups=f"cs_helpdesk.group_leader,{export}")
        cls.analyst = new_test_user(env, "priv_analyst", groups=f"cs_helpdesk.group_analyst,{export}")
        cls.manager = new_test_user(env, "priv_manager", groups=f"cs_helpdesk.group_manager,{export}")
        cls.clerk = new_test_user(env, "priv_clerk", groups=f"base.group_user,{export}")
        cls.customer = env["res.partner"].create(
            {
                "name": "李娜",
                "email": "li.na@example.com",
                "phone": "+86 139 0000 1111",
                "cs_id_number": "110101199003071234",
            }
        )
        cls.customer_bank = env["res.partner.bank"].create(
            {"partner_id": cls.customer.id, "acc_number": "6222 0000 1111 2222"}
        )
        cls.company_bank = env["res.partner.bank"].create(
            {"partner_id": env.company.partner_id.id, "acc_number": "CS-COMPANY-0001"}
        )
        team = env["cs.ticket.team"].create(
            {"name": "Privacy", "assignment_method": "manual", "member_ids": [(6, 0, cls.agent.ids)]}
        )
        cls.ticket = env["cs.ticket"].create({"name": "Invoice", "partner_id": cls.customer.id, "team_id": team.id})

    def test_id_number_for_managers_only(self):
        for user in (self.agent, self.leader, self.analyst):
            with self.assertRaises(AccessError, msg=user.login):
                self.customer.with_user(user).read(["cs_id_number"])
            self.assertNotIn("cs_id_number", self.customer.with_user(user).fields_get())
        self.assertEqual(
            self.customer.with_user(self.manager).read(["cs_id_number"])[0]["cs_id_number"], "110101199003071234"
        )

    def test_bank_accounts_hidden_from_agents(self):
        self.env.invalidate_all()
        for user in (self.agent, self.leader, self.analyst):
            customer = self.customer.with_user(user)
            self.assertEqual(customer.read(["bank_ids"])[0]["bank_ids"], [], f"{user.login} sees no customer account")
            with self.assertRaises(AccessError, msg=user.login):
                self.customer_bank.with_user(user).read(["acc_number"])
            self.assertEqual(
                self.company_bank.with_user(user).read(["acc_number"])[0]["acc_number"],
                "CS-COMPANY-0001",
                "the company's own account stays readable (invoices, payment instructions)",
            )
        self.assertEqual(
            self.customer.with_user(self.manager).read(["bank_ids"])[0]["bank_ids"], self.customer_bank.ids
        )
        self.assertEqual(self.customer_bank.with_user(self.manager).acc_number, "6222 0000 1111 2222")
        self.assertEqual(
            self.customer.with_user(self.clerk).bank_ids, self.customer_bank, "other apps keep their rules"
        )

    def test_payment_data_group_reads_bank_accounts(self):
        """Finance staff who are also agents get the payment data group, not the manager role."""
        cashier = new_test_user(
            self.env, "priv_cashier", groups="cs_helpdesk.group_agent,cs_helpdesk.group_sensitive_data"
        )
        self.env.invalidate_all()
        self.assertEqual(self.customer.with_user(cashier).read(["bank_ids"])[0]["bank_ids"], self.customer_bank.ids)
        self.assertEqual(
            self.customer.with_user(cashier).read(["cs_id_number"])[0]["cs_id_number"], "110101199003071234"
        )

    def test_only_managers_export_contact_data(self):
        for user in (self.agent, self.leader, self.analyst):
            Partner = self.env["res.partner"].with_user(user).browse(self.customer.id)
            for path in ("email", "phone", "mobile", "child_ids/email", "bank_ids/acc_number"):
                with self.assertRaises(AccessError, msg=f"{user.login}: {path}"):
                    Partner.export_data(["name", path])
            self.assertEqual(Partner.export_data(["name", "city"])["datas"], [["李娜", ""]])

        manager_rows = self.customer.with_user(self.manager).export_data(["name", "email", "phone"])["datas"]
        self.assertEqual(manager_rows, [["李娜", "li.na@example.com", "+86 139 0000 1111"]])
        clerk_rows = self.customer.with_user(self.clerk).export_data(["email"])["datas"]
        self.assertEqual(clerk_rows, [["li.na@example.com"]], "users outside customer service keep their rules")

    def test_contact_data_not_exported_through_tickets(self):
        Ticket = self.env["cs.ticket"]
        for path in ("email_from", "partner_phone", "partner_id/email", "partner_id/phone"):
            with self.assertRaises(AccessError, msg=path):
                Ticket.with_user(self.analyst).browse(self.ticket.id).export_data(["number", path])
        rows = Ticket.with_user(self.analyst).browse(self.ticket.id).export_data(["name", "partner_id"])["datas"]
        self.assertEqual(rows, [["Invoice", "李娜"]], "reports keep the customer's name")
        rows = Ticket.with_user(self.manager).browse(self.ticket.id).export_data(["partner_id/email"])["datas"]
        self.assertEqual(rows, [["li.na@example.com"]])

    def test_profile_fields_are_for_customer_service(self):
        """Birthday, consents and interests are readable by agents, not by every employee."""
        self.customer.write({"cs_birthday": "1990-03-07", "cs_consent_care": True})
        self.assertEqual(str(self.customer.with_user(self.agent).cs_birthday), "1990-03-07")
        with self.assertRaises(AccessError):
            self.customer.with_user(self.clerk).read(["cs_birthday"])

    def test_partner_form_per_role(self):
        """The customer profile page opens for each role, showing each only what it may read."""
        for user in (self.agent, self.manager, self.clerk):
            view = self.env["res.partner"].with_user(user).get_views([(False, "form")])["views"]["form"]["arch"]
            self.assertEqual("cs_id_number" in view, user == self.manager, user.login)
            self.assertEqual("cs_birthday" in view, user != self.clerk, user.login)
            Form(self.customer.with_user(user))

    def test_ticket_contact_fields_hidden_from_analysts(self):
        """Active once ``email_from`` and ``partner_phone`` of cs.ticket carry ``groups``."""
        fields = self.env["cs.ticket"]._fields
        if not (fields["email_from"].groups and fields["partner_phone"].groups):
            self.skipTest("cs.ticket contact fields are not restricted by groups yet")
        ticket = self.ticket.with_user(self.analyst)
        with self.assertRaises(AccessError):
            ticket.read(["email_from"])
        with self.assertRaises(AccessError):
            ticket.read(["partner_phone"])
        self.assertEqual(ticket.read(["name"])[0]["name"], "Invoice")
        self.assertTrue(self.env["cs.ticket"].with_user(self.analyst).name_search("Invoice"))
        self.assertEqual(self.ticket.with_user(self.agent).read(["email_from"])[0]["email_from"], "li.na@example.com")
