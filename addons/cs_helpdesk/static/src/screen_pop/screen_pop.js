import { Component } from "@odoo/owl";

export class ScreenPop extends Component {
    static template = "cs_helpdesk.ScreenPop";
    static props = {
        state: Object,
        dismiss: Function,
        createTicket: Function,
        open: Function,
    };
}
