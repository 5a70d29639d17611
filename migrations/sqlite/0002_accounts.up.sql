-- Accounts: single-use TOTP recovery codes (hashed), an admin's unlock that syncs, and the
-- per-desktop bookkeeping a lockout and TOTP replay protection need.
ALTER TABLE users ADD COLUMN recovery_codes TEXT CHECK (recovery_codes IS NULL OR json_valid(recovery_codes));
ALTER TABLE users ADD COLUMN unlocked_at TEXT CHECK (unlocked_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]Z');
ALTER TABLE login_state ADD COLUMN locked_at TEXT CHECK (locked_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]Z');
ALTER TABLE login_state ADD COLUMN totp_last_step INTEGER CHECK (totp_last_step >= 0);
