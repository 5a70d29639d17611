-- Reverses step 5. The cluster-wide role tmdash_lookup is kept (other databases on the cluster
-- may still use it), without any privilege in this database; the lookups' audit entries stay in
-- audit_log (append-only).
DROP FUNCTION tmdash_patient_lookup(text, date, text, uuid, uuid);
DROP POLICY tmdash_lookup_rows ON clinics;
DROP POLICY tmdash_lookup_rows ON patients;
DROP INDEX patients_lookup_birth_date;
REVOKE ALL ON patients, clinics, users, audit_log FROM tmdash_lookup;
REVOKE EXECUTE ON FUNCTION tmdash_session_clinic(), tmdash_is_admin() FROM tmdash_lookup;
REVOKE USAGE ON SCHEMA public FROM tmdash_lookup;
