import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

// An agent opens the app, takes an unassigned ticket and answers the customer.
registry.category("web_tour.tours").add("cs_helpdesk_agent_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Customer Service app",
            trigger: '.o_app[data-menu-xmlid="cs_helpdesk.menu_root"]',
            run: "click",
        },
        {
            content: "Go to all tickets",
            trigger: '.o_menu_sections [data-menu-xmlid="cs_helpdesk.menu_helpdesk"]',
            run: "click",
        },
        {
            trigger: '.dropdown-item[data-menu-xmlid="cs_helpdesk.menu_tickets"]',
            run: "click",
        },
        {
            content: "Open the unassigned ticket",
            trigger: '.o_data_row td[name="name"]:contains("Parcel not received (tour)")',
            run: "click",
        },
        {
            content: "Take it",
            trigger: 'button[name="action_take"]',
            run: "click",
        },
        {
            content: "The ticket is now the agent's: the Take button is gone",
            trigger: '.o_form_view:not(:has(button[name="action_take"])) .o_field_widget[name="user_id"] input',
        },
        {
            content: "Reply to the customer",
            trigger: ".o-mail-Chatter-sendMessage",
            run: "click",
        },
        {
            trigger: ".o-mail-Composer-input",
            run: "edit 您好，您的包裹已在派送中。",
        },
        {
            trigger: ".o-mail-Composer-send:enabled",
            run: "click",
        },
        {
            content: "The reply is in the chatter",
            trigger: '.o-mail-Message-body:contains("您好，您的包裹已在派送中。")',
        },
    ],
});
