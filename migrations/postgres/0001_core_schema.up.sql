-- TMDash Clinic, central (PostgreSQL) schema step 1: every synced table and the audit log.
-- The central bumps `version` on every change (trigger); clinic_id never changes; signed
-- consultations, vitals and prescriptions refuse edits of recorded values.
-- Documented in docs/schema.md (a test keeps the two in step).

CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE FUNCTION tmdash_bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        NEW.version := 1;
    ELSE
        NEW.version := OLD.version + 1;
    END IF;
    RETURN NEW;
END $$;

CREATE FUNCTION tmdash_clinic_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.clinic_id IS DISTINCT FROM OLD.clinic_id THEN
        RAISE EXCEPTION '%.clinic_id never changes', TG_TABLE_NAME USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;

-- Refuses an UPDATE that changes any column outside TG_ARGV (the columns that may change).
CREATE FUNCTION tmdash_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    allowed text[] := TG_ARGV::text[] || ARRAY['version', 'updated_at', 'updated_by'];
BEGIN
    IF TG_TABLE_NAME = 'consultations' AND OLD.status <> 'signed' THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'DELETE' OR (to_jsonb(NEW) - allowed) IS DISTINCT FROM (to_jsonb(OLD) - allowed) THEN
        IF TG_TABLE_NAME = 'consultations' THEN
            RAISE EXCEPTION 'consultations: a signed consultation never changes; add an addendum'
                USING ERRCODE = 'check_violation';
        END IF;
        RAISE EXCEPTION '%: recorded values never change; record a correction', TG_TABLE_NAME
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;

CREATE FUNCTION tmdash_diagnosis_of_signed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    parent uuid := CASE WHEN TG_OP = 'DELETE' THEN OLD.consultation_id ELSE NEW.consultation_id END;
BEGIN
    IF (SELECT status FROM consultations WHERE id = parent) = 'signed' THEN
        IF TG_OP = 'UPDATE' THEN
            IF (to_jsonb(NEW) - ARRAY['version', 'updated_at', 'updated_by']::text[])
               IS NOT DISTINCT FROM (to_jsonb(OLD) - ARRAY['version', 'updated_at', 'updated_by']::text[]) THEN
                RETURN NEW;
            END IF;
        END IF;
        RAISE EXCEPTION 'consultation_diagnoses: the consultation is signed' USING ERRCODE = 'check_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END $$;

CREATE FUNCTION tmdash_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TABLE clinics (
    id uuid PRIMARY KEY,
    clinic_id uuid NOT NULL CHECK (clinic_id = id),
    name text NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 200),
    timezone text NOT NULL CHECK (length(timezone) BETWEEN 1 AND 64),
    phone text CHECK (phone ~ '^\+[1-9][0-9]{7,14}$'),
    address_line text,
    city text,
    region text,
    postal_code text,
    country text CHECK (country ~ '^[A-Z]{2}$'),
    business_hours jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL,
    created_by uuid,
    updated_at timestamptz NOT NULL,
    updated_by uuid,
    version bigint NOT NULL DEFAULT 0 CHECK (version >= 0),
    deleted_at timestamptz
);

CREATE TABLE users (
    id uuid PRIMARY KEY,
    clinic_id uuid NOT NULL REFERENCES clinics(id) DEFERRABLE INITIALLY IMMEDIATE,
    email text NOT NULL CHECK (email LIKE '%_@_%' AND length(email) <= 254),
    given_name text,
    family_name text,
    phone text CHECK (phone ~ '^\+[1-9][0-9]{7,14}$'),
    role text NOT NULL CHECK (role IN ('admin', 'provider', 'staff', 'patient')),
    status text NOT NULL CHECK (status IN ('pending', 'active', 'locked', 'disabled')),
    password_hash text,
    totp_secret text,
    totp_enabled boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL,
    created_by uuid,
    updated_at timestamptz NOT NULL,
    updated_by uuid,
    version bigint NOT NULL DEFAULT 0 CHECK (version >= 0),
    deleted_at timestamptz
);
CREATE UNIQUE INDEX users_email_unique ON users (clinic_id, lower(email)) WHERE deleted_at IS NULL;

CREATE TABLE patients (
    id uuid PRIMARY KEY,
    clinic_id uuid NOT NULL REFERENCES clinics(id) DEFERRABLE INITIALLY IMMEDIATE,
    mrn text NOT NULL CHECK (length(mrn) BETWEEN 1 AND 20),
    given_name text NOT NULL CHECK (length(trim(given_name)) BETWEEN 1 AND 100),
    middle_name text CHECK (length(middle_name) <= 100),
    family_name text NOT NULL CHECK (length(trim(family_name)) BETWEEN 1 AND 100),
    birth_date date NOT NULL,
    sex text NOT NULL CHECK (sex IN ('female', 'male', 'other', 'unknown')),
    phone text CHECK (phone ~ '^\+[1-9][0-9]{7,14}$'),
    email text CHECK (email LIKE '%_@_%' AND length(email) <= 254),
    address_line text,
    city text,
    region text,
    postal_code text,
    country text CHECK (country ~ '^[A-Z]{2}$'),
    preferred_language text CHECK (length(preferred_language) BETWEEN 2 AND 35),
    user_id uuid REFERENCES users(id) DEFERRABLE INITIALLY IMMEDIATE,
    notes text CHECK (length(notes) <= 10000),
    created_at timestamptz NOT NULL,
    created_by uuid,
    updated_at timestamptz NOT NULL,
    updated_by uuid,
    version bigint NOT NULL DEFAULT 0 CHECK (version >= 0),
    deleted_at timestamptz
);
CREATE UNIQUE INDEX patients_mrn_unique ON patients (clinic_id, mrn) WHERE deleted_at IS NULL;
CREATE INDEX patients_birth_date ON patients (clinic_id, birth_date);
CREATE INDEX patients_phone ON patients (clinic_id, phone);
CREATE INDEX patients_family_name ON patients (clinic_id, lower(family_name));

CREATE TABLE patient_emergency_contacts (
    id uuid PRIMARY KEY,
    clinic_id uuid NOT NULL REFERENCES clinics(id) DEFERRABLE INITIALLY IMMEDIATE,
    patient_id uuid NOT NULL REFERENCES patients(id) DEFERRABLE INITIALLY IMMEDIATE,
    name text NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 100),
    relationship text,
    phone text NOT NULL CHECK (phone ~ '^\+[1-9][0-9]{7,14}$'),
    created_at timestamptz NOT NULL,
    created_by uuid,
    updated_at timestamptz NOT NULL,
    updated_by uuid,
    version bigint NOT NULL DEFAULT 0 CHECK (version >= 0),
    deleted_at timestamptz
);
CREATE INDEX patient_emergency_contacts_parent ON patient_emergency_contacts (patient_id);

CREATE TABLE patient_insurance (
    id uuid PRIMARY KEY,
    clinic_id uuid NOT NULL REFERENCES clinics(id) DEFERRABLE INITIALLY IMMEDIATE,
    patient_id uuid NOT NULL REFERENCES patients(id) DEFERRABLE INITIALLY IMMEDIATE,
    payer text NOT NULL CHECK (length(trim(payer)) >= 1),
    member_id text NOT NULL CHECK (length(trim(member_id)) >= 1),
    group_number text,
    valid_from date,
    valid_to date,
    is_primary boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL,
    created_by uuid,
    updated_at timestamptz NOT NULL,
    updated_by uuid,
    version bigint NOT NULL DEFAULT 0 CHECK (version >= 0),
    deleted_at timestamptz,
    CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_to >= valid_from)
);
CREATE INDEX patient_insurance_parent ON patient_insurance (patient_id);

CREATE TABLE patient_allergies (
    id uuid PRIMARY KEY,
    clinic_id uuid NOT NULL REFERENCES clinics(id) DEFERRABLE INITIALLY IMMEDIATE,
    patient_id uuid NOT NULL REFERENCES patients(id) DEFERRABLE INITIALLY IMMEDIATE,
    substance text NOT NULL CHECK (length(trim(substance)) >= 1),
    category text NOT NULL CHECK (category IN ('food', 'medication', 'environment', 'biologic')),
    criticality text NOT NULL CHECK (criticality IN ('low', 'high', 'unable_to_assess')),
    reaction text,
    severity text CHECK (severity IN ('mild', 'moderate', 'severe')),
    status text NOT NULL CHECK (status IN ('active', 'inactive', 'resolved')),
    created_at timestamptz NOT NULL,
    created_by uuid,
    updated_at timestamptz NOT NULL,
    updated_by uuid,
    version bigint NOT NULL DEFAULT 0 CHECK (version >= 0),
    deleted_at timestamptz
);
CREATE INDEX patient_allergies_parent ON patient_allergies (patient_id);

CREATE TABLE patient_conditions (
    id uuid PRIMARY KEY,
    clinic_id uuid NOT NULL REFERENCES clinics(id) DEFERRABLE INITIALLY IMMEDIATE,
    patient_id uuid NOT NULL REFERENCES patients(id) DEFERRABLE INITIALLY IMMEDIATE,
    icd10_code text NOT NULL CHECK (icd10_code ~ '^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$'),
    description text NOT NULL CHECK (length(trim(description)) >= 1),
    onset_date date,
    status text NOT NULL CHECK (status IN ('active', 'resolved', 'inactive')),
    created_at timestamptz NOT NULL,
    created_by uuid,
    updated_at timestamptz NOT NULL,
    updated_by uuid,
    version bigint NOT NULL DEFAULT 0 CHECK (version >= 0),
    deleted_at timestamptz
);
CREATE INDEX patient_conditions_parent ON patient_conditions (patient_id);

CREATE TABLE providers (
    id uuid PRIMARY KEY,
    clinic_id uuid NOT NULL REFERENCES clinics(id) DEFERRABLE INITIALLY IMMEDIATE,
    user_id uuid NOT NULL REFERENCES users(id) DEFERRABLE INITIALLY IMMEDIATE,
    npi text NOT NULL CHECK (length(npi) = 10),
    license_number text NOT NULL CHECK (length(trim(license_number)) >= 1),
    license_region text,
    license_expires date,
    specialty text,
    credentials text,
    default_slot_minutes integer NOT NULL DEFAULT 15 CHECK (default_slot_minutes BETWEEN 5 AND 480),
    created_at timestamptz NOT NULL,
    created_by uuid,
    updated_at timestamptz NOT NULL,
    updated_by uuid,
    version bigint NOT NULL DEFAULT 0 CHECK (version >= 0),
    deleted_at timestamptz
);
CREATE UNIQUE INDEX providers_npi_unique ON providers (clinic_id, npi) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX providers_user_unique ON providers (user_id) WHERE deleted_at IS NULL;

CREATE TABLE provider_availability (
    id uuid PRIMARY KEY,
    clinic_id uuid NOT NULL REFERENCES clinics(id) DEFERRABLE INITIALLY IMMEDIATE,
    provider_id uuid NOT NULL REFERENCES providers(id) DEFERRABLE INITIALLY IMMEDIATE,
    weekday integer NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    start_time text NOT NULL CHECK (start_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
    end_time text NOT NULL CHECK (end_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
    room text,
    created_at timestamptz NOT NULL,
    created_by uuid,
    updated_at timestamptz NOT NULL,
    updated_by uuid,
    version bigint NOT NULL DEFAULT 0 CHECK (version >= 0),
    deleted_at timestamptz,
    CHECK (start_time < end_time)
);
CREATE INDEX provider_availability_parent ON provider_availability (provider_id);

CREATE TABLE provider_time_off (
    id uuid PRIMARY KEY,
    clinic_id uuid NOT NULL REFERENCES clinics(id) DEFERRABLE INITIALLY IMMEDIATE,
    provider_id uuid NOT NULL REFERENCES providers(id) DEFERRABLE INITIALLY IMMEDIATE,
    start_at timestamptz NOT NULL,
    end_at timestamptz NOT NULL,
    reason text CHECK (length(reason) <= 500),
    created_at timestamptz NOT NULL,
    created_by uuid,
    updated_at timestamptz NOT NULL,
    updated_by uuid,
    version bigint NOT NULL DEFAULT 0 CHECK (version >= 0),
    deleted_at timestamptz,
    CHECK (start_at < end_at)
);
CREATE INDEX provider_time_off_parent ON provider_time_off (provider_id);

CREATE TABLE appointments (
    id uuid PRIMARY KEY,
    clinic_id uuid NOT NULL REFERENCES clinics(id) DEFERRABLE INITIALLY IMMEDIATE,
    patient_id uuid NOT NULL REFERENCES patients(id) DEFERRABLE INITIALLY IMMEDIATE,
    provider_id uuid NOT NULL REFERENCES providers(id) DEFERRABLE INITIALLY IMMEDIATE,
    start_at timestamptz NOT NULL,
    duration_minutes integer NOT NULL CHECK (duration_minutes BETWEEN 5 AND 480),
    type text NOT NULL CHECK (type IN ('new_patient', 'follow_up', 'annual_physical', 'urgent', 'telehealth', 'procedure')),
    status text NOT NULL CHECK (status IN ('scheduled', 'confirmed', 'checked_in', 'in_progress', 'completed', 'cancelled', 'no_show', 'entered_in_error')),
    room text,
    reason text CHECK (length(reason) <= 500),
    notes text CHECK (length(notes) <= 10000),
    cancel_reason text,
    created_at timestamptz NOT NULL,
    created_by uuid,
    updated_at timestamptz NOT NULL,
    updated_by uuid,
    version bigint NOT NULL DEFAULT 0 CHECK (version >= 0),
    deleted_at timestamptz,
    CHECK (status <> 'cancelled' OR coalesce(length(trim(cancel_reason)), 0) >= 1)
);
CREATE INDEX appointments_provider_start ON appointments (provider_id, start_at);
CREATE INDEX appointments_patient_start ON appointments (patient_id, start_at);
CREATE INDEX appointments_clinic_start ON appointments (clinic_id, start_at);

CREATE TABLE vitals (
    id uuid PRIMARY KEY,
    clinic_id uuid NOT NULL REFERENCES clinics(id) DEFERRABLE INITIALLY IMMEDIATE,
    patient_id uuid NOT NULL REFERENCES patients(id) DEFERRABLE INITIALLY IMMEDIATE,
    appointment_id uuid REFERENCES appointments(id) DEFERRABLE INITIALLY IMMEDIATE,
    recorded_at timestamptz NOT NULL,
    recorded_by uuid,
    systolic_mmhg double precision CHECK (systolic_mmhg BETWEEN 20 AND 350),
    diastolic_mmhg double precision CHECK (diastolic_mmhg BETWEEN 10 AND 250),
    heart_rate_bpm double precision CHECK (heart_rate_bpm BETWEEN 10 AND 350),
    respiratory_rate double precision CHECK (respiratory_rate BETWEEN 1 AND 150),
    temperature_c double precision CHECK (temperature_c BETWEEN 20 AND 46),
    spo2_pct double precision CHECK (spo2_pct BETWEEN 1 AND 100),
    height_cm double precision CHECK (height_cm BETWEEN 10 AND 300),
    weight_kg double precision CHECK (weight_kg BETWEEN 0.2 AND 700),
    pain_score double precision CHECK (pain_score BETWEEN 0 AND 10),
    glucose_mg_dl double precision CHECK (glucose_mg_dl BETWEEN 5 AND 2000),
    status text NOT NULL CHECK (status IN ('final', 'entered_in_error')),
    replaces_id uuid REFERENCES vitals(id) DEFERRABLE INITIALLY IMMEDIATE,
    created_at timestamptz NOT NULL,
    created_by uuid,
    updated_at timestamptz NOT NULL,
    updated_by uuid,
    version bigint NOT NULL DEFAULT 0 CHECK (version >= 0),
    deleted_at timestamptz,
    CHECK (systolic_mmhg IS NULL OR diastolic_mmhg IS NULL OR systolic_mmhg > diastolic_mmhg),
    CHECK (COALESCE(systolic_mmhg, diastolic_mmhg, heart_rate_bpm, respiratory_rate, temperature_c, spo2_pct, height_cm, weight_kg, pain_score, glucose_mg_dl) IS NOT NULL)
);
CREATE INDEX vitals_patient_time ON vitals (patient_id, recorded_at);

CREATE TABLE consultations (
    id uuid PRIMARY KEY,
    clinic_id uuid NOT NULL REFERENCES clinics(id) DEFERRABLE INITIALLY IMMEDIATE,
    patient_id uuid NOT NULL REFERENCES patients(id) DEFERRABLE INITIALLY IMMEDIATE,
    provider_id uuid NOT NULL REFERENCES providers(id) DEFERRABLE INITIALLY IMMEDIATE,
    appointment_id uuid REFERENCES appointments(id) DEFERRABLE INITIALLY IMMEDIATE,
    started_at timestamptz NOT NULL,
    chief_complaint text NOT NULL CHECK (length(trim(chief_complaint)) BETWEEN 1 AND 500),
    history text,
    examination text,
    assessment text,
    plan text,
    follow_up_date date,
    follow_up_days integer CHECK (follow_up_days BETWEEN 1 AND 365),
    follow_up_instructions text,
    status text NOT NULL CHECK (status IN ('draft', 'signed')),
    signed_at timestamptz,
    signed_by uuid,
    amends_id uuid REFERENCES consultations(id) DEFERRABLE INITIALLY IMMEDIATE,
    created_at timestamptz NOT NULL,
    created_by uuid,
    updated_at timestamptz NOT NULL,
    updated_by uuid,
    version bigint NOT NULL DEFAULT 0 CHECK (version >= 0),
    deleted_at timestamptz,
    CHECK ((status = 'signed') = (signed_at IS NOT NULL AND signed_by IS NOT NULL)),
    CHECK (follow_up_date IS NULL OR follow_up_days IS NULL)
);
CREATE INDEX consultations_patient_time ON consultations (patient_id, started_at);

CREATE TABLE consultation_diagnoses (
    id uuid PRIMARY KEY,
    clinic_id uuid NOT NULL REFERENCES clinics(id) DEFERRABLE INITIALLY IMMEDIATE,
    consultation_id uuid NOT NULL REFERENCES consultations(id) DEFERRABLE INITIALLY IMMEDIATE,
    icd10_code text NOT NULL CHECK (icd10_code ~ '^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$'),
    description text NOT NULL CHECK (length(trim(description)) >= 1),
    is_primary boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL,
    created_by uuid,
    updated_at timestamptz NOT NULL,
    updated_by uuid,
    version bigint NOT NULL DEFAULT 0 CHECK (version >= 0),
    deleted_at timestamptz
);
CREATE INDEX consultation_diagnoses_parent ON consultation_diagnoses (consultation_id);

CREATE TABLE prescriptions (
    id uuid PRIMARY KEY,
    clinic_id uuid NOT NULL REFERENCES clinics(id) DEFERRABLE INITIALLY IMMEDIATE,
    patient_id uuid NOT NULL REFERENCES patients(id) DEFERRABLE INITIALLY IMMEDIATE,
    provider_id uuid NOT NULL REFERENCES providers(id) DEFERRABLE INITIALLY IMMEDIATE,
    consultation_id uuid REFERENCES consultations(id) DEFERRABLE INITIALLY IMMEDIATE,
    medication_code text NOT NULL CHECK (length(medication_code) >= 1),
    medication_name text NOT NULL CHECK (length(medication_name) >= 1),
    strength text,
    form text,
    dose_amount double precision NOT NULL CHECK (dose_amount > 0),
    dose_unit text NOT NULL CHECK (length(dose_unit) >= 1),
    route text,
    frequency text NOT NULL CHECK (frequency IN ('once', 'qd', 'bid', 'tid', 'qid', 'q4h', 'q6h', 'q8h', 'q12h', 'qhs', 'prn')),
    as_needed boolean NOT NULL DEFAULT false,
    duration_days integer CHECK (duration_days BETWEEN 1 AND 3650),
    quantity double precision CHECK (quantity > 0),
    refills integer NOT NULL DEFAULT 0 CHECK (refills BETWEEN 0 AND 11),
    start_date date NOT NULL,
    end_date date,
    instructions text,
    status text NOT NULL CHECK (status IN ('active', 'on_hold', 'completed', 'cancelled', 'entered_in_error')),
    override_reason text,
    replaces_id uuid REFERENCES prescriptions(id) DEFERRABLE INITIALLY IMMEDIATE,
    created_at timestamptz NOT NULL,
    created_by uuid,
    updated_at timestamptz NOT NULL,
    updated_by uuid,
    version bigint NOT NULL DEFAULT 0 CHECK (version >= 0),
    deleted_at timestamptz,
    CHECK (end_date IS NULL OR end_date >= start_date)
);
CREATE INDEX prescriptions_patient_start ON prescriptions (patient_id, start_date);
CREATE INDEX prescriptions_patient_status ON prescriptions (patient_id, status);

CREATE TABLE audit_log (
    id uuid PRIMARY KEY,
    device_id text NOT NULL,
    seq bigint NOT NULL CHECK (seq >= 1),
    at timestamptz NOT NULL,
    actor_id uuid,
    role text,
    action text NOT NULL,
    entity text,
    entity_id text,
    clinic_id uuid,
    fields jsonb,
    prev_hash text,
    hash text NOT NULL
);
CREATE UNIQUE INDEX audit_log_device_seq ON audit_log (device_id, seq);
CREATE INDEX audit_log_entity ON audit_log (entity_id);

CREATE TABLE login_state (
    user_id uuid PRIMARY KEY REFERENCES users(id) DEFERRABLE INITIALLY IMMEDIATE,
    failed_logins integer NOT NULL DEFAULT 0 CHECK (failed_logins >= 0),
    locked_until timestamptz,
    last_login_at timestamptz
);

-- Type-ahead and organization-wide lookup by name: trigram index on the full name.
CREATE INDEX patients_name_trgm ON patients USING gin ((lower(given_name || ' ' || family_name)) gin_trgm_ops);
CREATE INDEX patients_mrn ON patients (mrn);
-- MRNs assigned on the central: 'C' followed by this sequence (desktops use their own prefix).
CREATE SEQUENCE patient_mrn_seq;

CREATE TRIGGER clinics_version BEFORE INSERT OR UPDATE ON clinics FOR EACH ROW EXECUTE FUNCTION tmdash_bump_version();
CREATE TRIGGER clinics_clinic_fixed BEFORE UPDATE OF clinic_id ON clinics FOR EACH ROW EXECUTE FUNCTION tmdash_clinic_fixed();
CREATE TRIGGER users_version BEFORE INSERT OR UPDATE ON users FOR EACH ROW EXECUTE FUNCTION tmdash_bump_version();
CREATE TRIGGER users_clinic_fixed BEFORE UPDATE OF clinic_id ON users FOR EACH ROW EXECUTE FUNCTION tmdash_clinic_fixed();
CREATE TRIGGER patients_version BEFORE INSERT OR UPDATE ON patients FOR EACH ROW EXECUTE FUNCTION tmdash_bump_version();
CREATE TRIGGER patients_clinic_fixed BEFORE UPDATE OF clinic_id ON patients FOR EACH ROW EXECUTE FUNCTION tmdash_clinic_fixed();
CREATE TRIGGER patient_emergency_contacts_version BEFORE INSERT OR UPDATE ON patient_emergency_contacts FOR EACH ROW EXECUTE FUNCTION tmdash_bump_version();
CREATE TRIGGER patient_emergency_contacts_clinic_fixed BEFORE UPDATE OF clinic_id ON patient_emergency_contacts FOR EACH ROW EXECUTE FUNCTION tmdash_clinic_fixed();
CREATE TRIGGER patient_insurance_version BEFORE INSERT OR UPDATE ON patient_insurance FOR EACH ROW EXECUTE FUNCTION tmdash_bump_version();
CREATE TRIGGER patient_insurance_clinic_fixed BEFORE UPDATE OF clinic_id ON patient_insurance FOR EACH ROW EXECUTE FUNCTION tmdash_clinic_fixed();
CREATE TRIGGER patient_allergies_version BEFORE INSERT OR UPDATE ON patient_allergies FOR EACH ROW EXECUTE FUNCTION tmdash_bump_version();
CREATE TRIGGER patient_allergies_clinic_fixed BEFORE UPDATE OF clinic_id ON patient_allergies FOR EACH ROW EXECUTE FUNCTION tmdash_clinic_fixed();
CREATE TRIGGER patient_conditions_version BEFORE INSERT OR UPDATE ON patient_conditions FOR EACH ROW EXECUTE FUNCTION tmdash_bump_version();
CREATE TRIGGER patient_conditions_clinic_fixed BEFORE UPDATE OF clinic_id ON patient_conditions FOR EACH ROW EXECUTE FUNCTION tmdash_clinic_fixed();
CREATE TRIGGER providers_version BEFORE INSERT OR UPDATE ON providers FOR EACH ROW EXECUTE FUNCTION tmdash_bump_version();
CREATE TRIGGER providers_clinic_fixed BEFORE UPDATE OF clinic_id ON providers FOR EACH ROW EXECUTE FUNCTION tmdash_clinic_fixed();
CREATE TRIGGER provider_availability_version BEFORE INSERT OR UPDATE ON provider_availability FOR EACH ROW EXECUTE FUNCTION tmdash_bump_version();
CREATE TRIGGER provider_availability_clinic_fixed BEFORE UPDATE OF clinic_id ON provider_availability FOR EACH ROW EXECUTE FUNCTION tmdash_clinic_fixed();
CREATE TRIGGER provider_time_off_version BEFORE INSERT OR UPDATE ON provider_time_off FOR EACH ROW EXECUTE FUNCTION tmdash_bump_version();
CREATE TRIGGER provider_time_off_clinic_fixed BEFORE UPDATE OF clinic_id ON provider_time_off FOR EACH ROW EXECUTE FUNCTION tmdash_clinic_fixed();
CREATE TRIGGER appointments_version BEFORE INSERT OR UPDATE ON appointments FOR EACH ROW EXECUTE FUNCTION tmdash_bump_version();
CREATE TRIGGER appointments_clinic_fixed BEFORE UPDATE OF clinic_id ON appointments FOR EACH ROW EXECUTE FUNCTION tmdash_clinic_fixed();
CREATE TRIGGER vitals_version BEFORE INSERT OR UPDATE ON vitals FOR EACH ROW EXECUTE FUNCTION tmdash_bump_version();
CREATE TRIGGER vitals_clinic_fixed BEFORE UPDATE OF clinic_id ON vitals FOR EACH ROW EXECUTE FUNCTION tmdash_clinic_fixed();
CREATE TRIGGER consultations_version BEFORE INSERT OR UPDATE ON consultations FOR EACH ROW EXECUTE FUNCTION tmdash_bump_version();
CREATE TRIGGER consultations_clinic_fixed BEFORE UPDATE OF clinic_id ON consultations FOR EACH ROW EXECUTE FUNCTION tmdash_clinic_fixed();
CREATE TRIGGER consultation_diagnoses_version BEFORE INSERT OR UPDATE ON consultation_diagnoses FOR EACH ROW EXECUTE FUNCTION tmdash_bump_version();
CREATE TRIGGER consultation_diagnoses_clinic_fixed BEFORE UPDATE OF clinic_id ON consultation_diagnoses FOR EACH ROW EXECUTE FUNCTION tmdash_clinic_fixed();
CREATE TRIGGER prescriptions_version BEFORE INSERT OR UPDATE ON prescriptions FOR EACH ROW EXECUTE FUNCTION tmdash_bump_version();
CREATE TRIGGER prescriptions_clinic_fixed BEFORE UPDATE OF clinic_id ON prescriptions FOR EACH ROW EXECUTE FUNCTION tmdash_clinic_fixed();
CREATE TRIGGER consultations_signed_immutable BEFORE UPDATE OR DELETE ON consultations FOR EACH ROW EXECUTE FUNCTION tmdash_refuse_change();
CREATE TRIGGER consultation_diagnoses_signed BEFORE INSERT OR UPDATE OR DELETE ON consultation_diagnoses FOR EACH ROW EXECUTE FUNCTION tmdash_diagnosis_of_signed();
CREATE TRIGGER vitals_append_only BEFORE UPDATE OR DELETE ON vitals FOR EACH ROW EXECUTE FUNCTION tmdash_refuse_change('status', 'deleted_at');
CREATE TRIGGER prescriptions_append_only BEFORE UPDATE OR DELETE ON prescriptions FOR EACH ROW EXECUTE FUNCTION tmdash_refuse_change('status', 'deleted_at');
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION tmdash_append_only();
