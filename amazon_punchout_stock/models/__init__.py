from . import (
    amazon_punchout_shipment,
    purchase_order,
    purchase_order_line,
    stock_picking,
)
