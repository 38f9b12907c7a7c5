-- Fails half-way: the table and the row before the error must be rolled back with it.
CREATE TABLE shipment (id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL);
INSERT INTO shipment (order_id) VALUES (1);
INSERT INTO no_such_table VALUES (1);
