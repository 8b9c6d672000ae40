import { registry } from "@web/core/registry";

// A manager opens the drafted penalty of an agent, checks the doubled amount and approves it.
registry.category("web_tour.tours").add("cs_training_approve_penalty_tour", {
    url: "/odoo/action-cs_training.cs_incentive_record_action",
    steps: () => [
        {
            content: "Open the drafted penalty of the tour agent",
            trigger: '.o_data_row:contains("Tour Agent"):contains("Drafted") td[name="rule_id"]',
            run: "click",
        },
        {
            content: "The third violation of the month is doubled",
            trigger: '.o_field_widget[name="amount"]:contains("30.00")',
        },
        {
            content: "Approve the penalty",
            trigger: 'button[name="action_approve"]',
            run: "click",
        },
        {
            content: "The penalty is approved",
            trigger: '.o_statusbar_status button[aria-checked="true"]:contains("Approved")',
        },
    ],
});
