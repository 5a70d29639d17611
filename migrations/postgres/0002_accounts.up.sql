-- Accounts: single-use TOTP recovery codes (hashed), an admin's unlock that syncs, and the
-- per-desktop bookkeeping a lockout and TOTP replay protection need.
ALTER TABLE users ADD COLUMN recovery_codes jsonb;
ALTER TABLE users ADD COLUMN unlocked_at timestamptz;
ALTER TABLE login_state ADD COLUMN locked_at timestamptz;
ALTER TABLE login_state ADD COLUMN totp_last_step bigint CHECK (totp_last_step >= 0);
