import { rpc } from "@web/core/network/rpc";
import { registry } from "@web/core/registry";

// An agent types /ticket in a live chat: the conversation becomes a ticket. (The confirmation in the chat
// comes through the bus, which test servers may not run: the step asks the server for the ticket instead.)
registry.category("web_tour.tours").add("cs_helpdesk_livechat_ticket_tour", {
    steps: () => [
        {
            content: "The visitor's message is shown",
            trigger: ".o-mail-Message:contains(发票抬头开错了)",
        },
        {
            content: "Type the command",
            trigger: ".o-mail-Composer-input",
            run: "edit /ticket 发票抬头错误",
        },
        {
            content: "Send it",
            trigger: ".o-mail-Composer-input",
            run: "press Enter",
        },
        {
            content: "The command is not posted to the visitor as a message",
            trigger: ".o-mail-Thread:not(:has(.o-mail-Message:contains(/ticket)))",
            async run() {
                for (let attempt = 0; attempt < 50; attempt++) {
                    const count = await rpc("/web/dataset/call_kw/cs.ticket/search_count", {
                        model: "cs.ticket",
                        method: "search_count",
                        args: [[["name", "=", "发票抬头错误"]]],
                        kwargs: {},
                    });
                    if (count) {
                        return;
                    }
                    await new Promise((resolve) => setTimeout(resolve, 200));
                }
                throw new Error("The chat was not turned into a ticket");
            },
        },
    ],
});
