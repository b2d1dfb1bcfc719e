import { registry } from "@web/core/registry";

// Logs in (done by the test), opens the Amazon Business app from the apps menu and
// lands on the shopper's requisitions.
registry.category("web_tour.tours").add("amazon_punchout_menu", {
    url: "/odoo",
    steps: () => [
        {
            content: "Open the apps menu",
            trigger: ".o_navbar_apps_menu button",
            run: "click",
        },
        {
            content: "Open the Amazon Business app",
            trigger: ".o_app[data-menu-xmlid='amazon_punchout.amazon_punchout_menu_root']",
            run: "click",
        },
        {
            content: "The requisitions are listed",
            trigger: ".o_breadcrumb:contains('Amazon Business Requisitions')",
        },
        {
            content: "The shop button is offered",
            trigger: "button.o_amazon_punchout_shop",
        },
        {
            content: "The app menu offers the shop entry",
            trigger:
                ".o_menu_sections [data-menu-xmlid='amazon_punchout.amazon_punchout_menu_shop']",
        },
    ],
});
