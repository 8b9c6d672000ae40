import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

// A team leader (complaint handler) registers a complaint, reviews it, investigates, gives the
// feedback to the customer, resolves it, records the return visit and archives the complaint.
registry.category("web_tour.tours").add("cs_complaint_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Customer Service app",
            trigger: '.o_app[data-menu-xmlid="cs_helpdesk.menu_root"]',
            run: "click",
        },
        {
            trigger: '.o_menu_sections [data-menu-xmlid="cs_helpdesk.menu_helpdesk"]',
            run: "click",
        },
        {
            content: "Go to the complaints",
            trigger: '.dropdown-item[data-menu-xmlid="cs_helpdesk.menu_complaints"]',
            run: "click",
        },
        {
            content: "Register a new complaint",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            trigger: '.o_field_widget[name="name"] input',
            run: "edit Parcel crushed and agent hung up - tour",
        },
        {
            content: "The customer",
            trigger: '.o_field_widget[name="partner_id"] input',
            run: "edit 赵女士",
        },
        {
            trigger: '.o-autocomplete--dropdown-item a:contains("赵女士")',
            run: "click",
        },
        {
            content: "The complaint matter",
            trigger: '.o_field_widget[name="description"] .odoo-editor-editable',
            run: "editor 包裹外箱压坏，客服没听完就挂断电话。",
        },
        {
            content: "Open the complaint tab",
            trigger: '.o_notebook a[name="complaint"]',
            run: "click",
        },
        {
            content: "Its severity",
            trigger: '.o_field_widget[name="complaint_severity"] select',
            run: 'select "normal"',
        },
        {
            content: "Save the registration",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Review the registration",
            trigger: '.o_form_saved button[name="action_complaint_review"]',
            run: "click",
        },
        {
            content: "Start the investigation",
            trigger: 'button[name="action_complaint_investigate"]',
            run: "click",
        },
        {
            trigger: '.o_field_widget[name="complaint_state"] .o_arrow_button_current:contains("Investigating")',
        },
        {
            content: "What the customer is dissatisfied with",
            trigger: '.o_field_widget[name="complaint_aspect_id"] input',
            run: "edit Tour Aspect",
        },
        {
            trigger: '.o-autocomplete--dropdown-item a:contains("Tour Aspect")',
            run: "click",
        },
        {
            content: "The request is reasonable",
            trigger: '.o_field_widget[name="complaint_reasonableness"] input[data-value="reasonable"]',
            run: "click",
        },
        {
            content: "The customer was called back with the result",
            trigger: '.o_field_widget[name="complaint_feedback_channel"] select',
            run: 'select "phone"',
        },
        {
            content: "Record the feedback",
            trigger: 'button[name="action_complaint_feedback"]',
            run: "click",
        },
        {
            trigger: '.o_field_widget[name="complaint_state"] .o_arrow_button_current:contains("Feedback Given")',
        },
        {
            content: "Resolve the ticket",
            trigger: '.o_form_statusbar .o_field_widget[name="stage_id"] button:contains("Resolved")',
            run: "click",
        },
        {
            content: "The complaint waits for its return visit",
            trigger: '.o_field_widget[name="complaint_state"] .o_arrow_button_current:contains("Return Visit")',
        },
        {
            content: "Open the planned return visit",
            trigger: 'button[name="action_view_followups"]',
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row td[name='name']",
            run: "click",
        },
        {
            content: "What the customer says",
            trigger: '.o_field_widget[name="evaluation"] textarea',
            run: "edit 重新发货很快，满意。",
        },
        {
            content: "The customer is satisfied",
            trigger: 'button[name="action_satisfied"]',
            run: "click",
        },
        {
            trigger: '.o_form_view .ribbon:contains("Satisfied")',
        },
        {
            content: "Back to the complaint",
            trigger: '.o_breadcrumb a:contains("Parcel crushed")',
            run: "click",
        },
        {
            content: "Archive the complaint",
            trigger: 'button[name="action_complaint_archive"]',
            run: "click",
        },
        {
            content: "The complaint is archived",
            trigger: '.o_field_widget[name="complaint_state"] .o_arrow_button_current:contains("Archived")',
        },
    ],
});
