import { registry } from "@web/core/registry";

// A busy agent becomes available from the systray (a waiting ticket is handed to them), then busy again.
registry.category("web_tour.tours").add("cs_helpdesk_agent_availability_tour", {
    url: "/odoo",
    steps: () => [
        {
            content: "The systray shows the agent is busy",
            trigger: '.o_cs_agent_availability_toggle[data-availability="busy"]',
            run: "click",
        },
        {
            content: "Set available",
            trigger: ".o_cs_agent_availability_available",
            run: "click",
        },
        {
            content: "Now available",
            trigger: '.o_cs_agent_availability_toggle[data-availability="available"]',
            run: "click",
        },
        {
            content: "Set busy again",
            trigger: ".o_cs_agent_availability_busy",
            run: "click",
        },
        {
            content: "Busy",
            trigger: '.o_cs_agent_availability_toggle[data-availability="busy"]',
        },
    ],
});
