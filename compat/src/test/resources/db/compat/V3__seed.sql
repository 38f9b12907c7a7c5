-- A migration that is not idempotent: applied twice it would fail (UNIQUE name) or double the rows.
INSERT INTO account (name, balance) VALUES ('alice', 100), ('bob', 0);
