# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Ordered structure templates of the documents we emit (cXML 1.2.069 DTD).

Each template lists, in DTD order, only the children and attributes we use;
see :mod:`.render` for the format. Elements the DTD requires
are kept even when empty (``keep_empty``).
"""


def _leaf(tag, *attrs, required=(), keep_empty=False):
    return {
        "_tag": tag,
        "_attrs": attrs,
        "_required_attrs": required,
        "_keep_empty": keep_empty,
    }


# === COMMON === #

Money = _leaf("Money", "currency", required=("currency",))
Description = {
    "_tag": "Description",
    "_attrs": ("xml:lang",),
    "_required_attrs": ("xml:lang",),
    "ShortName": _leaf("ShortName"),
}
Name = _leaf("Name", "xml:lang", required=("xml:lang",))
URL = _leaf("URL", "name", keep_empty=True)
Email = _leaf("Email", "name")
Extrinsic = _leaf("Extrinsic", "name", required=("name",))
Comments = _leaf("Comments", "xml:lang", "type")

Credential = {
    "_tag": "Credential",
    "_attrs": ("domain",),
    "_required_attrs": ("domain",),
    "Identity": _leaf("Identity", keep_empty=True),
    "SharedSecret": _leaf("SharedSecret"),
}
From = {"_tag": "From", "Credential": Credential}
To = {"_tag": "To", "Credential": Credential}
Sender = {
    "_tag": "Sender",
    "Credential": Credential,
    "UserAgent": _leaf("UserAgent", keep_empty=True),
}
Header = {"_tag": "Header", "From": From, "To": To, "Sender": Sender}

TelephoneNumber = {
    "_tag": "TelephoneNumber",
    "CountryCode": _leaf("CountryCode", "isoCountryCode", required=("isoCountryCode",)),
    "AreaOrCityCode": _leaf("AreaOrCityCode", keep_empty=True),
    "Number": _leaf("Number", keep_empty=True),
}
Phone = {"_tag": "Phone", "_attrs": ("name",), "TelephoneNumber": TelephoneNumber}
PostalAddress = {
    "_tag": "PostalAddress",
    "_attrs": ("name",),
    "DeliverTo": _leaf("DeliverTo"),
    "Street": _leaf("Street", keep_empty=True),
    "City": _leaf("City", keep_empty=True),
    "Municipality": _leaf("Municipality"),
    "State": _leaf("State"),
    "PostalCode": _leaf("PostalCode"),
    "Country": _leaf("Country", "isoCountryCode", required=("isoCountryCode",)),
}
Address = {
    "_tag": "Address",
    "_attrs": ("isoCountryCode", "addressID"),
    "Name": Name,
    "PostalAddress": PostalAddress,
    "Email": Email,
    "Phone": Phone,
}
ShipTo = {"_tag": "ShipTo", "Address": Address}
BillTo = {"_tag": "BillTo", "Address": Address}
Contact = {
    "_tag": "Contact",
    "_attrs": ("role", "addressID"),
    "Name": Name,
    "PostalAddress": PostalAddress,
    "Email": Email,
    "Phone": Phone,
}
Total = {"_tag": "Total", "Money": Money}
Shipping = {"_tag": "Shipping", "Money": Money, "Description": Description}
Tax = {"_tag": "Tax", "Money": Money, "Description": Description}


def _envelope(request_tag, request_template):
    return {
        "_tag": "cXML",
        "_attrs": ("version", "payloadID", "timestamp", "xml:lang"),
        "_required_attrs": ("payloadID", "timestamp"),
        "Header": Header,
        "Request": {
            "_tag": "Request",
            "_attrs": ("deploymentMode",),
            request_tag: request_template,
        },
    }


# === PUNCHOUT SETUP REQUEST === #

PunchOutSetupRequest = {
    "_tag": "PunchOutSetupRequest",
    "_attrs": ("operation",),
    "_required_attrs": ("operation",),
    "BuyerCookie": _leaf("BuyerCookie", keep_empty=True),
    "Extrinsic": Extrinsic,
    "BrowserFormPost": {"_tag": "BrowserFormPost", "URL": URL},
    "Contact": Contact,
    "ShipTo": ShipTo,
}
PunchOutSetupRequestDocument = _envelope("PunchOutSetupRequest", PunchOutSetupRequest)

# === ORDER REQUEST === #

ItemDetail = {
    "_tag": "ItemDetail",
    "UnitPrice": {"_tag": "UnitPrice", "Money": Money},
    "Description": Description,
    "UnitOfMeasure": _leaf("UnitOfMeasure", keep_empty=True),
    "Classification": _leaf("Classification", "domain", required=("domain",)),
    "ManufacturerPartID": _leaf("ManufacturerPartID"),
    "ManufacturerName": _leaf("ManufacturerName", "xml:lang"),
    "URL": URL,
    "Extrinsic": Extrinsic,
}
ItemOut = {
    "_tag": "ItemOut",
    "_attrs": ("quantity", "lineNumber", "requestedDeliveryDate"),
    "_required_attrs": ("quantity",),
    "ItemID": {
        "_tag": "ItemID",
        "SupplierPartID": _leaf("SupplierPartID", keep_empty=True),
        "SupplierPartAuxiliaryID": _leaf("SupplierPartAuxiliaryID"),
    },
    "ItemDetail": ItemDetail,
}
OrderRequestHeader = {
    "_tag": "OrderRequestHeader",
    "_attrs": ("orderID", "orderDate", "type"),
    "_required_attrs": ("orderID", "orderDate"),
    "Total": Total,
    "ShipTo": ShipTo,
    "BillTo": BillTo,
    "Shipping": Shipping,
    "Tax": Tax,
    "Contact": Contact,
    "Comments": Comments,
    "Extrinsic": Extrinsic,
}
OrderRequest = {
    "_tag": "OrderRequest",
    "OrderRequestHeader": OrderRequestHeader,
    "ItemOut": ItemOut,
}
OrderRequestDocument = _envelope("OrderRequest", OrderRequest)

# === RESPONSE === #

ResponseDocument = {
    "_tag": "cXML",
    "_attrs": ("version", "payloadID", "timestamp", "xml:lang"),
    "_required_attrs": ("payloadID", "timestamp"),
    "Response": {
        "_tag": "Response",
        "Status": {
            "_tag": "Status",
            "_attrs": ("code", "text", "xml:lang"),
            "_required_attrs": ("code", "text"),
        },
    },
}
