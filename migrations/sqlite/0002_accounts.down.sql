-- Reverses step 2.
ALTER TABLE login_state DROP COLUMN totp_last_step;
ALTER TABLE login_state DROP COLUMN locked_at;
ALTER TABLE users DROP COLUMN unlocked_at;
ALTER TABLE users DROP COLUMN recovery_codes;
