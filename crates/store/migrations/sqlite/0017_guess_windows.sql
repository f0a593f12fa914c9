-- Failed guesses of short secrets (MFA codes, old passwords) per key (a digest) and window, when
-- several servers must share the count.
CREATE TABLE guess_windows (
        key TEXT PRIMARY KEY,
        start TEXT NOT NULL,
        failures INTEGER NOT NULL
    );
CREATE INDEX guess_windows_start ON guess_windows (start);
