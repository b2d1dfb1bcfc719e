from . import (
    test_controller,
    test_install,
    test_requisition,
    test_security,
    test_session,
    test_tour,
)
