from . import test_install, test_security, test_tour
