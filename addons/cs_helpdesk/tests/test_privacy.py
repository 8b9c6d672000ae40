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
        with self.assertRaises(AccessError, msg="analysts read no contact or payment field of a customer"):
            self.customer.with_user(self.analyst).read(["bank_ids"])
        for user in (self.agent, self.leader, self.analyst):
            customer = self.customer.with_user(user)
            if user != self.analyst:
                self.assertEqual(
                    customer.read(["bank_ids"])[0]["bank_ids"], [], f"{user.login} sees no customer account"
                )
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


@tagged("post_install", "-at_install")
class TestContactDataByMeaning(TransactionCase):
    """Contact data over every read path (issue 8 §2): analysts read none of it, agents and leaders
    neither export it nor read it in bulk; each probe runs as a user who also holds the export right."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        export = "base.group_allow_export"
        cls.agent = new_test_user(env, "rpc_agent", groups=f"cs_helpdesk.group_agent,{export}")
        cls.analyst = new_test_user(env, "rpc_analyst", groups=f"cs_helpdesk.group_analyst,{export}")
        cls.manager = new_test_user(env, "rpc_manager", groups=f"cs_helpdesk.group_manager,{export}")
        cls.colleague = new_test_user(env, "rpc_colleague", groups="base.group_user", email="colleague@example.com")
        cls.portal = new_test_user(env, "rpc_portal", groups="base.group_portal", email="portal.customer@example.com")
        cls.customer = env["res.partner"].create(
            {
                "name": "张伟",
                "email": "zhang.wei@example.com",
                "phone": "+86 139 0000 2222",
                "mobile": "+86 139 0000 3333",
                "street": "人民路 1 号",
                "city": "杭州",
            }
        )
        team = env["cs.ticket.team"].create(
            {"name": "Contact data", "assignment_method": "manual", "member_ids": [(6, 0, cls.agent.ids)]}
        )
        cls.ticket = env["cs.ticket"].create({"name": "Refund", "partner_id": cls.customer.id, "team_id": team.id})
        cls.ticket.message_post(
            body="客户来信", author_id=False, email_from="zhang.wei@example.com", message_type="email"
        )
        cls.ticket.message_subscribe(cls.customer.ids)

    def test_analyst_reads_no_customer_contact_data(self):
        Partner = self.env["res.partner"].with_user(self.analyst)
        customer = Partner.browse(self.customer.id)
        for field in ("email", "phone", "mobile", "street", "email_formatted", "contact_address"):
            with self.assertRaises(AccessError, msg=field):
                customer.read([field])
        self.assertEqual(customer.read(["name", "city"])[0]["city"], "杭州", "reports keep the city")
        self.assertNotIn("email", customer.check_field_access_rights("read", None), "all fields: contact data left out")
        with self.assertRaises(AccessError):
            Partner.search([("email", "=", "zhang.wei@example.com")])
        with self.assertRaises(AccessError):
            Partner.search_read([("id", "=", self.customer.id)], ["name", "phone"])
        with self.assertRaises(AccessError):
            Partner.with_context(show_email=True).browse(self.customer.id).read(["display_name"])
        self.assertFalse(Partner.name_search("zhang.wei@example"), "no search by email through the name")
        self.assertTrue(Partner.name_search("张伟"))
        # a colleague's address stays readable (avatar cards, preferences)
        self.assertEqual(
            Partner.browse(self.colleague.partner_id.id).read(["email"])[0]["email"], "colleague@example.com"
        )
        self.assertEqual(self.analyst.with_user(self.analyst).read(["email"])[0]["email"], self.analyst.email)

    def test_analyst_nested_web_read(self):
        ticket = self.env["cs.ticket"].with_user(self.analyst).browse(self.ticket.id)
        with self.assertRaises(AccessError):
            ticket.web_read({"name": {}, "partner_id": {"fields": {"display_name": {}, "email": {}}}})
        with self.assertRaises(AccessError):
            ticket.web_read({"message_follower_ids": {"fields": {"email": {}}}})
        values = ticket.web_read({"name": {}, "partner_id": {"fields": {"display_name": {}}}})[0]
        self.assertEqual(values["partner_id"]["display_name"], "张伟")

    def test_analyst_reads_no_message_sender_or_follower_address(self):
        Message = self.env["mail.message"].with_user(self.analyst)
        messages = Message.search([("model", "=", "cs.ticket"), ("res_id", "=", self.ticket.id)])
        self.assertTrue(messages, "the analyst sees the conversation")
        with self.assertRaises(AccessError):
            messages.read(["email_from"])
        with self.assertRaises(AccessError):
            Message.search_read([("model", "=", "cs.ticket"), ("res_id", "=", self.ticket.id)], ["email_from"])
        messages.read(["body", "author_id", "date"])
        followers = (
            self.env["mail.followers"]
            .with_user(self.analyst)
            .search([("res_model", "=", "cs.ticket"), ("res_id", "=", self.ticket.id)])
        )
        self.assertIn(self.customer, followers.partner_id)
        with self.assertRaises(AccessError):
            followers.read(["email"])
        followers.read(["name", "partner_id"])

    def test_analyst_screens_still_open(self):
        """The ticket form and its chatter open for an analyst, without the customer's addresses."""
        from odoo.addons.mail.tools.discuss import Store

        ticket = self.ticket.with_user(self.analyst)
        form = Form(ticket)
        self.assertEqual(form.partner_id, self.customer)
        store = Store()
        ticket.message_ids._to_store(store)
        ticket.message_follower_ids._to_store(store)
        self.customer.with_user(self.analyst)._to_store(store)
        result = store.get_result()
        partners = {data["id"]: data for data in result.get("res.partner", [])}
        self.assertNotIn("email", partners.get(self.customer.id, {}))
        self.assertFalse([data for data in result.get("mail.followers", []) if "email" in data], "no follower address")
        senders = [data.get("email_from") or "" for data in result["mail.message"]]
        self.assertFalse([sender for sender in senders if "zhang.wei" in sender], "no customer's sender address")
        self.assertTrue(result["mail.message"])

    def test_analyst_reads_no_customer_login(self):
        Users = self.env["res.users"].with_user(self.analyst)
        with self.assertRaises(AccessError):
            Users.browse(self.portal.id).read(["login"])
        with self.assertRaises(AccessError):
            Users.browse(self.portal.id).read(["email"])
        self.assertEqual(Users.browse(self.colleague.id).read(["login"])[0]["login"], "rpc_colleague")

    def test_agents_read_contact_data_of_their_customers(self):
        customer = self.customer.with_user(self.agent)
        self.assertEqual(customer.read(["email"])[0]["email"], "zhang.wei@example.com")
        messages = self.ticket.with_user(self.agent).message_ids
        self.assertIn("zhang.wei@example.com", messages.read(["email_from"])[0]["email_from"] or "")

    def test_export_blocked_by_meaning(self):
        probes = {
            "res.partner": (self.customer, ["email_formatted", "contact_address", "contact_address_inline"]),
            "res.users": (self.portal, ["login", "email", "partner_id/email"]),
            "mail.message": (self.ticket.message_ids[:1], ["email_from", "author_id/email"]),
            "mail.followers": (self.ticket.message_follower_ids[:1], ["email", "partner_id/phone"]),
            "cs.ticket": (self.ticket, ["message_follower_ids/email", "message_ids/email_from"]),
        }
        for user in (self.agent, self.analyst):
            for model, (records, paths) in probes.items():
                for path in paths:
                    with self.assertRaises(AccessError, msg=f"{user.login} {model} {path}"):
                        records.with_user(user).export_data(["id", path])
        rows = self.customer.with_user(self.manager).export_data(["email_formatted"])["datas"]
        self.assertEqual(rows, [['"张伟" <zhang.wei@example.com>']])

    def test_bulk_reads_of_contact_data_are_exports(self):
        self.env["ir.config_parameter"].set_param("cs_helpdesk.contact_bulk_read_limit", 3)
        self.env["res.partner"].create([{"name": f"客户 {n}", "email": f"c{n}@example.com"} for n in range(4)])
        domain = [("email", "ilike", "@example.com")]
        Partner = self.env["res.partner"].with_user(self.agent)
        with self.assertRaises(AccessError):
            Partner.search_read(domain, ["name", "email"])
        with self.assertRaises(AccessError):
            Partner.web_search_read(domain, {"name": {}, "phone": {}})
        with self.assertRaises(AccessError):
            Partner.search(domain).read(["email_formatted"])
        self.assertEqual(len(Partner.search_read(domain, ["name", "email"], limit=3)), 3, "a page is fine")
        self.assertGreater(len(Partner.search_read(domain, ["name", "city"])), 3, "names are not contact data")
        self.assertGreater(len(Partner.with_user(self.manager).search_read(domain, ["email"])), 3)
