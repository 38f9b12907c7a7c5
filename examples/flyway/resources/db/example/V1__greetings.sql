CREATE TABLE greeting (id INTEGER PRIMARY KEY, text TEXT NOT NULL);
INSERT INTO greeting (text) VALUES ('hello from a Flyway migration');
