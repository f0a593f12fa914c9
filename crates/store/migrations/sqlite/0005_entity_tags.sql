-- Tags of every entity kind in one table (user tags move over).
CREATE TABLE entity_tags (
        entity_id TEXT NOT NULL,
        key_lc TEXT NOT NULL,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        seq INTEGER NOT NULL,
        PRIMARY KEY (entity_id, key_lc)
    );
INSERT INTO entity_tags (entity_id, key_lc, key, value, seq) SELECT user_id, key_lc, key, value, seq FROM user_tags;
DROP TABLE user_tags;
