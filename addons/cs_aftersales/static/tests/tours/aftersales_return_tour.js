import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("cs_aftersales_portal_return", {
    url: "/my/orders",
    steps: () => [
        {
            content: "Open the delivered order",
            trigger: 'a:contains("CS Tour SO")',
            run: "click",
        },
        {
            content: "Open the return request form",
            trigger: 'a:contains("Request RMAs")',
            run: "click",
        },
        {
            content: "Return one unit",
            trigger: "input[name='0-quantity']",
            run: "edit 1",
        },
        {
            content: "Ask for a return",
            trigger: "select[name='0-operation_id']",
            run() {
                const option = [...this.anchor.options].find((o) => o.textContent.trim() === "Return");
                this.anchor.value = option.value;
                this.anchor.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            content: "It is a quality problem",
            trigger: "select[name='0-reason_type']",
            run: "select quality",
        },
        {
            content: "Submit the request",
            trigger: "button[type='submit']:enabled",
            run: "click",
        },
        {
            content: "The request waits for the agent's reply",
            trigger: "#cs_aftersales_information .alert-info",
        },
    ],
});

registry.category("web_tour.tours").add("cs_aftersales_agent_approve", {
    steps: () => [
        {
            content: "Approve the request",
            trigger: ".o_form_view button[name='action_confirm']",
            run: "click",
        },
        {
            content: "The request is approved",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Confirmed')",
        },
    ],
});

registry.category("web_tour.tours").add("cs_aftersales_portal_tracking", {
    steps: () => [
        {
            content: "The return address is shown once approved",
            trigger: "#cs_return_address",
        },
        {
            content: "Enter the return tracking number",
            trigger: "#cs_tracking_form input[name='tracking_ref']",
            run: "edit SF1234567890",
        },
        {
            content: "Save it",
            trigger: "#cs_tracking_form button[type='submit']",
            run: "click",
        },
        {
            content: "Back on the request page with the number kept",
            trigger: "#cs_tracking_form input[name='tracking_ref']:value(SF1234567890)",
        },
    ],
});
