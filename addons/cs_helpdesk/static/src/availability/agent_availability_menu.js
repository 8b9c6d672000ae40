import { Component, onWillStart, useState } from "@odoo/owl";
import { Dropdown } from "@web/core/dropdown/dropdown";
import { DropdownItem } from "@web/core/dropdown/dropdown_item";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";

/**
 * Systray item where an agent sets themselves available, busy or away (示闲 / 示忙 / 离开).
 * Only available agents receive new tickets and chats; becoming available hands out waiting tickets.
 */
export class AgentAvailabilityMenu extends Component {
    static template = "cs_helpdesk.AgentAvailabilityMenu";
    static components = { Dropdown, DropdownItem };
    static props = {};

    setup() {
        this.orm = useService("orm");
        this.notification = useService("notification");
        // false for users who are not agents: the item stays hidden
        this.state = useState({ availability: false });
        onWillStart(async () => {
            this.state.availability = await this.orm.call("res.users", "cs_get_my_availability", []);
        });
    }

    get statuses() {
        return [
            { key: "available", label: _t("Available"), colorClass: "text-success" },
            { key: "busy", label: _t("Busy"), colorClass: "text-warning" },
            { key: "away", label: _t("Away"), colorClass: "text-muted" },
        ];
    }

    get current() {
        return this.statuses.find((status) => status.key === this.state.availability) || this.statuses[0];
    }

    async setAvailability(key) {
        this.state.availability = await this.orm.call("res.users", "cs_set_my_availability", [key]);
        this.notification.add(_t("Your status: %s", this.current.label), { type: "info" });
    }
}

registry
    .category("systray")
    .add("cs_helpdesk.agent_availability", { Component: AgentAvailabilityMenu }, { sequence: 40 });
