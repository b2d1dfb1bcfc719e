from . import test_controller, test_install, test_security, test_tour
