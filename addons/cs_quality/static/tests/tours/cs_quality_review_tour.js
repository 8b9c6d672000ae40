import { registry } from "@web/core/registry";

// A QA inspector opens a review to score: the automatic checks pre-filled two answers, the
// inspector reads the conversation, answers the last criterion and sends the review.
registry.category("web_tour.tours").add("cs_quality_review_tour", {
    url: "/odoo/action-cs_quality.cs_qa_review_action_to_score",
    steps: () => [
        {
            content: "Open the review of the tour ticket",
            trigger: '.o_data_row td[name="ticket_id"]:contains("Tour parcel")',
            run: "click",
        },
        {
            content: "The polite-words check failed and pre-filled the answer",
            trigger: '.o_data_row:contains("Tour polite words") td[name="auto_result"]:contains("Failed")',
        },
        {
            content: "The conversation is shown beside the scorecard",
            trigger: '.o_field_widget[name="conversation"]:contains("这个我不能退")',
        },
        {
            content: "Answer the criterion without automatic check",
            trigger: '.o_data_row:contains("Tour problem solving") td[name="answer_yes_no"]',
            run: "click",
        },
        {
            trigger: '.o_data_row.o_selected_row td[name="answer_yes_no"] select',
            run: "selectByLabel Yes",
        },
        {
            content: "Send the review to the agent",
            trigger: 'button[name="action_send"]',
            run: "click",
        },
        {
            content: "The review is sent",
            trigger: '.o_statusbar_status button[aria-checked="true"]:contains("Sent to Agent")',
        },
    ],
});
