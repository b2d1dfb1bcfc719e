from . import (
    test_browser_flow,
    test_controller,
    test_identity,
    test_install,
    test_order_request,
    test_record_rules,
    test_requisition,
    test_security,
    test_security_api,
    test_session,
    test_tour,
)
