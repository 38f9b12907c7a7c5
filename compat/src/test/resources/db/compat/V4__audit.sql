CREATE TABLE audit (id INTEGER PRIMARY KEY, what TEXT NOT NULL);
INSERT INTO audit (what) VALUES ('migrated to V4');
