-- Login profiles (console passwords as Argon2id hashes) and each user's previous password hashes
-- for PasswordReusePrevention. The account password policy is an account setting.
CREATE TABLE login_profiles (
        user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        account TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        created TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        password_changed TEXT NOT NULL,
        reset_required INTEGER NOT NULL,
        max_session_duration INTEGER
    );
CREATE TABLE password_history (
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        hash TEXT NOT NULL,
        PRIMARY KEY (user_id, seq)
    );
