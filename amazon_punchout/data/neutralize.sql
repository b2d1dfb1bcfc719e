-- A copied database must never talk to Amazon with production credentials, nor be
-- reachable by Amazon's callbacks at the original's inbound URL and credentials. It
-- starts as a new purchasing system: not connected, and free to connect to a test
-- account.
UPDATE amazon_punchout_account
   SET state = 'draft',
       production_since = NULL,
       identity = NULL,
       shared_secret = NULL,
       inbound_user = NULL,
       inbound_password = NULL,
       inbound_token = replace(gen_random_uuid()::text, '-', '');
