import { registry } from "@web/core/registry";

// An agent's phone rings: the caller's customer card pops up in the web client (bus notification),
// the agent sees the customer's recent tickets and turns the call into a ticket.
registry.category("web_tour.tours").add("cs_helpdesk_screen_pop_tour", {
    url: "/odoo",
    steps: () => [
        {
            content: "The caller's card pops up",
            trigger: ".o_cs_screen_pop_card:contains(王芳)",
        },
        {
            content: "The customer's recent tickets are on it",
            trigger: ".o_cs_screen_pop_card:contains(上次的退货)",
        },
        {
            content: "Turn the call into a ticket",
            trigger: ".o_cs_screen_pop_create_ticket",
            run: "click",
        },
        {
            content: "The new ticket of the caller opens",
            trigger: ".o_form_view .o_field_widget[name=partner_id]:contains(王芳), .o_form_view .o_field_widget[name=partner_id] input:value(王芳)",
        },
        {
            content: "The card is gone",
            trigger: "body:not(:has(.o_cs_screen_pop_card))",
        },
    ],
});
