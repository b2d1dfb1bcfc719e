from . import (
    amazon_punchout_account,
    amazon_punchout_document,
    amazon_punchout_session,
    ir_http,
    ir_rule,
    purchase_order,
    purchase_order_line,
    res_partner,
    res_users,
)

# Inbound documents (confirmations, ship notices): extensions of the models above.
from . import (
    amazon_punchout_account_inbound,
    amazon_punchout_document_inbound,
    amazon_punchout_shipment,
    purchase_order_inbound,
    purchase_order_line_inbound,
)

# Reporting: submission date, approver and Amazon category for the spend report.
from . import (
    purchase_order_reporting,
)

# Each role at home: notifications, honest buttons.
from . import purchase_order_role

# Invoices: vendor bills from Amazon's InvoiceDetailRequest.
from . import (
    account_journal,
    account_move,
    account_move_line,
    amazon_punchout_account_bill,
    purchase_order_bill,
    res_company,
    res_config_settings,
)
