from . import amazon_punchout_refuse_wizard
