from . import (
    test_account_production,
    test_browser_flow,
    test_controller,
    test_identity,
    test_inbound,
    test_install,
    test_lifecycle_browser,
    test_order_request,
    test_public_surface,
    test_record_rules,
    test_reporting,
    test_requisition,
    test_secrets,
    test_security,
    test_security_api,
    test_session,
    test_tour,
    test_transport,
)
from . import test_invoice
from . import test_browser_bill
