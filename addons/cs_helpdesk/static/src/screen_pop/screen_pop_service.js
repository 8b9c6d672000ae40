import { reactive } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { ScreenPop } from "./screen_pop";

/**
 * Screen pop (客户资料自动弹出): the server tells the agent's browser over the bus that a call rings for
 * them; the card is then read with the agent's own rights (cs.call.action_cs_customer_card).
 */
export const screenPopService = {
    dependencies: ["bus_service", "orm", "action"],
    start(env, { bus_service, orm, action }) {
        const state = reactive({ cards: [] });

        async function show(callId) {
            const card = await orm.call("cs.call", "action_cs_customer_card", [[callId]]);
            state.cards = [card, ...state.cards.filter((c) => c.call_id !== card.call_id)].slice(0, 3);
        }

        function dismiss(callId) {
            state.cards = state.cards.filter((c) => c.call_id !== callId);
        }

        async function createTicket(callId) {
            const result = await orm.call("cs.call", "action_create_ticket", [[callId]]);
            dismiss(callId);
            return action.doAction(result);
        }

        function open(model, id) {
            return action.doAction({
                type: "ir.actions.act_window",
                res_model: model,
                res_id: id,
                views: [[false, "form"]],
            });
        }

        bus_service.subscribe("cs_helpdesk/screen_pop", (payload) => show(payload.call_id));
        bus_service.start();
        registry.category("main_components").add("cs_helpdesk.ScreenPop", {
            Component: ScreenPop,
            props: { state, dismiss, createTicket, open },
        });
        return { state, show, dismiss, createTicket, open };
    },
};

registry.category("services").add("cs_screen_pop", screenPopService);
