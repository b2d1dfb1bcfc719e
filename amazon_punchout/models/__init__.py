from . import (
    amazon_punchout_account,
    amazon_punchout_document,
    amazon_punchout_session,
    ir_http,
    ir_rule,
    purchase_order,
    purchase_order_line,
    res_users,
)
