-- Failed guesses of short secrets (MFA codes, old passwords) per key (a digest) and window,
-- shared by every node.
CREATE TABLE guess_windows (
    key TEXT COLLATE "C" PRIMARY KEY,
    start TEXT COLLATE "C" NOT NULL,
    failures BIGINT NOT NULL
);
CREATE INDEX guess_windows_start ON guess_windows (start);
