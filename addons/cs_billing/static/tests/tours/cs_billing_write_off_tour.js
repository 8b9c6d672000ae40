import { registry } from "@web/core/registry";

// A billing manager opens a bad-debt write-off requested by a clerk, approves it and executes it:
// the write-off entry is posted and the request shows as executed.
registry.category("web_tour.tours").add("cs_billing_write_off_tour", {
    steps: () => [
        {
            content: "The request waits for a billing manager",
            trigger: '.o_form_view .o_field_widget[name="approval_level"] span:not(:empty)',
        },
        {
            content: "Approve the write-off",
            trigger: '.o_form_view .o_statusbar_buttons button[name="action_approve"]',
            run: "click",
        },
        {
            content: "Execute it",
            trigger: '.o_form_view .o_statusbar_buttons button[name="action_execute"]',
            run: "click",
        },
        {
            content: "Confirm the posting",
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The request is executed and links its accounting entry",
            trigger: '.o_form_view .o_field_widget[name="move_id"] a, .o_form_view .o_field_widget[name="move_id"] .o_form_uri',
        },
        {
            content: "Nothing is left to approve or execute",
            trigger: '.o_form_view .o_form_statusbar:not(:has(button[name="action_execute"]))',
        },
    ],
});
