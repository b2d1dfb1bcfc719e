# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Open a report view's default grouping with the calls the web client makes.

Shared by tests/test_reporting.py and bench/bench_reporting.py.
"""

from lxml import etree

from odoo.tools.safe_eval import safe_eval

LIST_LIMIT = 80  # the web client's default page size


def _default_domain(model, action):
    """The domain of the action's ``search_default_*`` filters (AND-ed, as the
    web client does for filters of different groups)."""
    context = safe_eval(action.context or "{}")
    search = model.get_views([(action.search_view_id.id, "search")])["views"]
    arch = etree.fromstring(search["search"]["arch"])
    domain = []
    for key, value in context.items():
        if key.startswith("search_default_") and value:
            name = key[len("search_default_") :]
            node = arch.find(f".//filter[@name='{name}']")
            if node is not None and node.get("domain"):
                domain += safe_eval(node.get("domain"))
    return domain


def _spec(name, node):
    interval = node.get("interval")
    return f"{name}:{interval}" if interval else name


def _measure_specs(model, names):
    """Aggregates as the pivot and graph views request them."""
    specs = ["__count"]
    for name in names:
        field = model._fields[name]
        aggregator = "count_distinct" if field.type == "many2one" else field.aggregator
        specs.append(f"{name}:{aggregator}")
        if field.type == "monetary":
            currency = field.get_currency_field(model)
            specs += [f"{currency}:array_agg_distinct", f"{name}:sum_currency"]
    return specs


def open_default_view(env, action_xmlid, view_type):
    """Call what the web client calls to open ``view_type`` of the action.

    :return: the result of the (last) ORM call
    """
    # The web client loads actions with /web/action/load, which reads them sudo.
    action = env.ref(action_xmlid).sudo()
    model = env[action.res_model]
    view = action.view_ids.filtered(lambda v: v.view_mode == view_type).view_id
    arch = etree.fromstring(
        model.get_views([(view.id, view_type)])["views"][view_type]["arch"]
    )
    domain = _default_domain(model, action)
    nodes = arch.findall("field")
    if view_type == "pivot":
        rows = [_spec(n.get("name"), n) for n in nodes if n.get("type") == "row"]
        cols = [_spec(n.get("name"), n) for n in nodes if n.get("type") == "col"]
        measures = [n.get("name") for n in nodes if n.get("type") == "measure"]
        sets = [[], rows, cols, rows + cols]
        sets = [s for i, s in enumerate(sets) if s not in sets[:i]]
        return model.formatted_read_grouping_sets(
            domain, sets, _measure_specs(model, measures)
        )
    if view_type == "graph":
        groupby = [_spec(n.get("name"), n) for n in nodes if n.get("type") != "measure"]
        measures = [n.get("name") for n in nodes if n.get("type") == "measure"]
        return model.with_context(fill_temporal=True).formatted_read_group(
            domain, groupby, _measure_specs(model, measures)
        )
    if view_type == "list":
        specification = {}
        for node in nodes:
            field = model._fields[node.get("name")]
            specification[field.name] = (
                {"fields": {"display_name": {}}} if field.type == "many2one" else {}
            )
        return model.web_search_read(
            domain, specification, limit=LIST_LIMIT, count_limit=10001
        )
    raise ValueError(view_type)
