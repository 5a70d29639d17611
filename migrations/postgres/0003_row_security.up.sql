-- Central only: per-clinic database roles and row-level security (DESIGN.md, "Security").
-- A desktop connects as its clinic's LOGIN role; clinic_roles maps that role (session_user) to
-- its clinic, and every clinic table lets such a connection see and change only its clinic's
-- rows. The clinic is always taken from the mapping, never from an argument or a setting.
-- SQLite has no such step: a desktop database holds one clinic and has no roles, and the
-- migrator numbers each dialect's steps on its own (a gap in SQLite's numbering is fine).
-- Creating the group roles needs CREATEROLE (or a superuser) the first time on a cluster.

-- Roles are cluster-wide and several databases (tests, staging) may share one cluster: create
-- them only when missing. Two migrations racing on a fresh cluster: the loser sees a unique
-- violation on pg_authid instead of duplicate_object, and the role exists either way.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tmdash_clinic') THEN
        BEGIN
            CREATE ROLE tmdash_clinic NOLOGIN;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
        END;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tmdash_admin') THEN
        BEGIN
            CREATE ROLE tmdash_admin NOLOGIN;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
        END;
    END IF;
END $$;

-- Which clinic a login role belongs to. Written by `tmdashctl clinic role`; clinic roles get no
-- privilege on it (they learn their own clinic through tmdash_session_clinic() only).
CREATE TABLE clinic_roles (
    role_name name PRIMARY KEY,
    clinic_id uuid NOT NULL REFERENCES clinics(id),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX clinic_roles_clinic ON clinic_roles (clinic_id);

-- The clinic of the connection's login role (session_user: SET ROLE does not change it, and
-- only a superuser can change it), NULL when the role is not mapped. SECURITY DEFINER so that
-- it can read clinic_roles, which clinic roles cannot; no arguments, so nobody passes a clinic.
CREATE FUNCTION tmdash_session_clinic() RETURNS uuid
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, public
AS $$
    SELECT clinic_id FROM public.clinic_roles WHERE role_name = session_user
$$;

-- Administration sees and changes every clinic: members of tmdash_admin, the database's owner
-- (and roles that are members of it) and superusers. Reads only catalogs every role may read.
CREATE FUNCTION tmdash_is_admin() RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, public
AS $$
    SELECT coalesce((SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = session_user), false)
        OR pg_catalog.pg_has_role(session_user, 'tmdash_admin', 'MEMBER')
        OR pg_catalog.pg_has_role(session_user,
                                  (SELECT datdba FROM pg_catalog.pg_database
                                   WHERE datname = pg_catalog.current_database()),
                                  'MEMBER')
$$;

REVOKE ALL ON FUNCTION tmdash_session_clinic() FROM PUBLIC;
REVOKE ALL ON FUNCTION tmdash_is_admin() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION tmdash_session_clinic() TO tmdash_clinic, tmdash_admin;
GRANT EXECUTE ON FUNCTION tmdash_is_admin() TO tmdash_clinic, tmdash_admin;

-- Row-level security on every clinic table, forced so that the tables' owner is held to it
-- too (superusers always bypass it). Two permissive policies each: administration sees all;
-- a clinic role sees its clinic's rows and may only write rows of its clinic (WITH CHECK), so
-- it can neither read, change nor create another clinic's rows. The function calls are
-- wrapped in sub-selects so that they run once per statement, not once per row.
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
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY tmdash_admin_rows ON %I USING ((SELECT tmdash_is_admin())) '
                       'WITH CHECK ((SELECT tmdash_is_admin()))', t);
    END LOOP;
    FOREACH t IN ARRAY ARRAY['users', 'patients', 'patient_emergency_contacts',
                             'patient_insurance', 'patient_allergies', 'patient_conditions',
                             'providers', 'provider_availability', 'provider_time_off',
                             'appointments', 'vitals', 'consultations',
                             'consultation_diagnoses', 'prescriptions', 'audit_log'] LOOP
        EXECUTE format('CREATE POLICY tmdash_clinic_rows ON %I '
                       'USING (clinic_id = (SELECT tmdash_session_clinic())) '
                       'WITH CHECK (clinic_id = (SELECT tmdash_session_clinic()))', t);
    END LOOP;
END $$;

-- A clinic's own row is the one whose id is its clinic.
CREATE POLICY tmdash_clinic_rows ON clinics
    USING (id = (SELECT tmdash_session_clinic()))
    WITH CHECK (id = (SELECT tmdash_session_clinic()));
-- login_state has no clinic_id: a row belongs to the clinic of its user (users is itself
-- filtered by its policy, so another clinic's users are not even visible here).
CREATE POLICY tmdash_clinic_rows ON login_state
    USING (EXISTS (SELECT 1 FROM users u WHERE u.id = login_state.user_id
                   AND u.clinic_id = (SELECT tmdash_session_clinic())))
    WITH CHECK (EXISTS (SELECT 1 FROM users u WHERE u.id = login_state.user_id
                        AND u.clinic_id = (SELECT tmdash_session_clinic())));

-- Privileges. Clinic roles: read and write the synced tables but never DELETE (records are
-- retracted by tombstones and status changes), append to the audit log, keep their users'
-- login bookkeeping, draw MRNs, and read schema_migrations (every connection checks the schema
-- version before it does anything).
GRANT USAGE ON SCHEMA public TO tmdash_clinic, tmdash_admin;
GRANT SELECT, INSERT, UPDATE ON clinics, users, patients, patient_emergency_contacts,
    patient_insurance, patient_allergies, patient_conditions, providers, provider_availability,
    provider_time_off, appointments, vitals, consultations, consultation_diagnoses, prescriptions
    TO tmdash_clinic;
GRANT SELECT, INSERT ON audit_log TO tmdash_clinic;
GRANT SELECT, INSERT, UPDATE, DELETE ON login_state TO tmdash_clinic;
GRANT USAGE ON SEQUENCE patient_mrn_seq TO tmdash_clinic;
GRANT SELECT ON schema_migrations TO tmdash_clinic;

-- Administration: everything on the clinic tables and the role mapping, but the audit log is
-- append-only for it too, and the migration bookkeeping is the owner's.
GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON clinics, users, patients,
    patient_emergency_contacts, patient_insurance, patient_allergies, patient_conditions,
    providers, provider_availability, provider_time_off, appointments, vitals, consultations,
    consultation_diagnoses, prescriptions, login_state, clinic_roles
    TO tmdash_admin;
GRANT SELECT, INSERT, REFERENCES ON audit_log TO tmdash_admin;
GRANT USAGE, SELECT, UPDATE ON SEQUENCE patient_mrn_seq TO tmdash_admin;
GRANT SELECT ON schema_migrations TO tmdash_admin;

-- The audit log is append-only for everyone: no privilege to change it (PUBLIC holds none by
-- default; revoked explicitly so that a later blanket grant is not silently relied on), the
-- step-1 trigger refuses UPDATE and DELETE even from the owner, and TRUNCATE (which row
-- triggers do not see) is refused by a statement trigger.
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC;
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION tmdash_append_only();
