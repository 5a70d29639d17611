-- Reverses step 3 (refused by the migrator while clinic_roles maps any role). The group roles
-- tmdash_clinic and tmdash_admin are cluster-wide and other databases on the same cluster may
-- still use them, so they are kept (without any privilege in this database). The login roles
-- that `clinic role` made are kept too: drop them by hand when no database needs them.
DROP TRIGGER audit_log_no_truncate ON audit_log;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['clinics', 'users', 'patients', 'patient_emergency_contacts',
                             'patient_insurance', 'patient_allergies', 'patient_conditions',
                             'providers', 'provider_availability', 'provider_time_off',
                             'appointments', 'vitals', 'consultations',
                             'consultation_diagnoses', 'prescriptions', 'audit_log',
                             'login_state'] LOOP
        EXECUTE format('DROP POLICY tmdash_clinic_rows ON %I', t);
        EXECUTE format('DROP POLICY tmdash_admin_rows ON %I', t);
        EXECUTE format('ALTER TABLE %I NO FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I DISABLE ROW LEVEL SECURITY', t);
        EXECUTE format('REVOKE ALL ON %I FROM tmdash_clinic, tmdash_admin', t);
    END LOOP;
END $$;

REVOKE ALL ON SEQUENCE patient_mrn_seq FROM tmdash_clinic, tmdash_admin;
REVOKE ALL ON schema_migrations FROM tmdash_clinic, tmdash_admin;
REVOKE USAGE ON SCHEMA public FROM tmdash_clinic, tmdash_admin;

DROP FUNCTION tmdash_is_admin();
DROP FUNCTION tmdash_session_clinic();
DROP TABLE clinic_roles;
