from . import amazon_punchout_report
