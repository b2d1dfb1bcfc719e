from . import (
    test_browser_flow,
    test_controller,
    test_install,
    test_order_request,
    test_public_surface,
    test_requisition,
    test_security,
    test_session,
    test_tour,
    test_transport,
)
