CREATE TABLE orders (
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES account (id),
  placed_at TIMESTAMP NOT NULL
);
CREATE INDEX orders_by_account ON orders (account_id);
