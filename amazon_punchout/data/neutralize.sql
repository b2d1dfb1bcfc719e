-- A copied database must never talk to Amazon with production credentials.
UPDATE amazon_punchout_account
   SET state = 'draft', shared_secret = NULL, inbound_password = NULL;
