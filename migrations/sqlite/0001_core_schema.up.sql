-- TMDash Clinic, desktop (SQLite) schema step 1: every synced table, the audit log, and the
-- desktop's own bookkeeping (login_state, outbox, sync_state, conflicts, patient_search).
-- Instants are canonical UTC text 'YYYY-MM-DDTHH:MM:SS.sssZ', dates 'YYYY-MM-DD', wall-clock
-- times 'HH:MM'. Nothing synced is hard-deleted: deleted_at is the tombstone, and uniqueness
-- ignores tombstones. Documented in docs/schema.md (a test keeps the two in step).

CREATE TABLE clinics (
    id TEXT PRIMARY KEY CHECK (length(id) = 36),
    clinic_id TEXT NOT NULL CHECK ((length(clinic_id) = 36) AND (clinic_id = id)),
    name TEXT NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 200),
    timezone TEXT NOT NULL CHECK (length(timezone) BETWEEN 1 AND 64),
    phone TEXT CHECK (phone GLOB '+[1-9]*' AND NOT substr(phone, 2) GLOB '*[^0-9]*' AND length(phone) BETWEEN 9 AND 16),
    address_line TEXT,
    city TEXT,
    region TEXT,
    postal_code TEXT,
    country TEXT CHECK (country GLOB '[A-Z][A-Z]'),
    business_hours TEXT NOT NULL DEFAULT '{}' CHECK (business_hours IS NULL OR json_valid(business_hours)),
    created_at TEXT NOT NULL CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]Z'),
    created_by TEXT CHECK (length(created_by) = 36),
    updated_at TEXT NOT NULL CHECK (updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]Z'),
    updated_by TEXT CHECK (length(updated_by) = 36),
    version INTEGER NOT NULL DEFAULT 0 CHECK (version >= 0),
    deleted_at TEXT CHECK (deleted_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]Z')
);

CREATE TABLE users (
    id TEXT PRIMARY KEY CHECK (length(id) = 36),
    clinic_id TEXT NOT NULL CHECK (length(clinic_id) = 36) REFERENCES clinics(id),
    email TEXT NOT NULL CHECK (email LIKE '%_@_%' AND length(email) <= 254),
    given_name TEXT,
    family_name TEXT,
    phone TEXT CHECK (phone GLOB '+[1-9]*' AND NOT substr(phone, 2) GLOB '*[^0-9]*' AND length(phone) BETWEEN 9 AND 16),
    role TEXT NOT NULL CHECK (role IN ('admin', 'provider', 'staff', 'patient')),
    status TEXT NOT NULL CHECK (status IN ('pending', 'active', 'locked', 'disabled')),
    password_hash TEXT,
    totp_secret TEXT,
    totp_enabled INTEGER NOT NULL DEFAULT 0 CHECK (totp_enabled IN (0, 1)),
    created_at TEXT NOT NULL CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]Z'),
    created_by TEXT CHECK (length(created_by) = 36),
    updated_at TEXT NOT NULL CHECK (updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]Z'),
    updated_by TEXT CHECK (length(updated_by) = 36),
    version INTEGER NOT NULL DEFAULT 0 CHECK (version >= 0),
    deleted_at TEXT CHECK (deleted_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]Z')
);
CREATE UNIQUE INDEX users_email_unique ON users (clinic_id, lower(email)) WHERE deleted_at IS NULL;

CREATE TABLE patients (
    id TEXT PRIMARY KEY CHECK (length(id) = 36),
    clinic_id TEXT NOT NULL CHECK (length(clinic_id) = 36) REFERENCES clinics(id),
    mrn TEXT NOT NULL CHECK (length(mrn) BETWEEN 1 AND 20),
    given_name TEXT NOT NULL CHECK (length(trim(given_name)) BETWEEN 1 AND 100),
    middle_name TEXT CHECK (length(middle_name) <= 100),
    family_name TEXT NOT NULL CHECK (length(trim(family_name)) BETWEEN 1 AND 100),
    birth_date TEXT NOT NULL CHECK (birth_date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    sex TEXT NOT NULL CHECK (sex IN ('female', 'male', 'other', 'unknown')),
    phone TEXT CHECK (phone GLOB '+[1-9]*' AND NOT substr(phone, 2) GLOB '*[^0-9]*' AND length(phone) BETWEEN 9 AND 16),
    email TEXT CHECK (email LIKE '%_@_%' AND length(email) <= 254),
    address_line TEXT,
    city TEXT,
    region TEXT,
    postal_code TEXT,
    country TEXT CHECK (country GLOB '[A-Z][A-Z]'),
    preferred_language TEXT CHECK (length(preferred_language) BETWEEN 2 AND 35),
    user_id TEXT CHECK (length(user_id) = 36) REFERENCES users(id),
    notes TEXT CHECK (length(notes) <= 10000),
    created_at TEXT NOT NULL CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]Z'),
    created_by TEXT CHECK (length(created_by) = 36),
    updated_at TEXT NOT NULL CHECK (updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]Z'),
    updated_by TEXT CHECK (length(updated_by) = 36),
    version INTEGER NOT NULL DEFAULT 0 CHECK (version >= 0),
    deleted_at TEXT CHECK (deleted_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]Z')
);
CREATE UNIQUE INDEX patients_mrn_unique ON patients (clinic_id, mrn) WHERE deleted_at IS NULL;
CREATE INDEX patients_birth_date ON patients (clinic_id, birth_date);
CREATE INDEX patients_phone ON patients (clinic_id, phone);
CREATE INDEX patients_family_name ON patients (clinic_id, lower(family_name));

CREATE TABLE patient_emergency_contacts (
    id TEXT PRIMARY KEY CHECK (length(id) = 36),
    clinic_id TEXT NOT NULL CHECK (length(clinic_id) = 36) REFERENCES clinics(id),
    patient_id TEXT NOT NULL CHECK (length(patient_id) = 36) REFERENCES patients(id),
    name TEXT NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 100),
    relationship TEXT,
    phone TEXT NOT NULL CHECK (phone GLOB '+[1-9]*' AND NOT substr(phone, 2) GLOB '*[^0-9]*' AND length(phone) BETWEEN 9 AND 16),
    created_at TEXT NOT NULL CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]Z'),
    created_by TEXT CHECK (length(created_by) = 36),
    updated_at TEXT NOT NULL CHECK (updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]Z'),
    updated_by TEXT CHECK (length(updated_by) = 36),
    version INTEGER NOT NULL DEFAULT 0 CHECK (version >= 0),
    deleted_at TEXT CHECK (deleted_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]Z')
);
CREATE INDEX patient_emergency_contacts_parent ON patient_emergency_contacts (patient_id);

CREATE TABLE patient_insurance (
    id TEXT PRIMARY KEY CHECK (length(id) = 36),
    clinic_id TEXT NOT NULL CHECK (length(clinic_id) = 36) REFERENCES clinics(id),
    patient_id TEXT NOT NULL CHECK (length(patient_id) = 36) REFERENCES patients(id),
    payer TEXT NOT NULL CHECK (length(trim(payer)) >= 1),
    member_id TEXT NOT NULL CHECK (length(trim(member_id)) >= 1),
    group_number TEXT,
    valid_from TEXT CHECK (valid_from GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    valid_to TEXT CHECK (valid_to GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    is_primary INTEGER NOT NULL DEFAULT 0 CHECK (is_primary IN (0, 1)),
    created_at TEXT NOT NULL CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]Z'),
    created_by TEXT CHECK (length(created_by) = 36),
    updated_at TEXT NOT NULL CHECK (updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]Z'),
    updated_by TEXT CHECK (length(updated_by) = 36),
    version INTEGER NOT NULL DEFAULT 0 CHECK (version >= 0),
    deleted_at TEXT CHECK (deleted_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]Z'),
    CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_to >= valid_from)
);
CREATE INDEX patient_insurance_parent ON patient_insurance (patient_id);

CREATE TABLE patient_allergies (
    id TEXT PRIMARY KEY CHECK (length(id) = 36),
    clinic_id TEXT NOT NULL CHECK (length(clinic_id) = 36) REFERENCES clinics(id),
    patient_id TEXT NOT NULL CHECK (length(patient_id) = 36) REFERENCES patients(id),
    substance TEXT NOT NULL CHECK (length(trim(substance)) >= 1),
    category TEXT NOT NULL CHECK (category IN ('food', 'medication', 'environment', 'biologic')),
    criticality TEXT NOT NULL CHECK (criticality IN ('low', 'high', 'unable_to_assess')),
    reaction TEXT,
    severity TEXT CHECK (severity IN ('mild', 'moderate', 'severe')),
    status TEXT NOT NULL CHECK (status IN ('active', 'inactive', 'resolved')),
    created_at TEXT NOT NULL CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]Z'),
    created_by TEXT CHECK (length(created_by) = 36),
    updated_at TEXT NOT NULL CHECK (updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]Z'),
    updated_by TEXT CHECK (length(updated_by) = 36),
    version INTEGER NOT NULL DEFAULT 0 CHECK (version >= 0),
    deleted_at TEXT CHECK (deleted_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]Z')
);
CREATE INDEX patient_allergies_parent ON patient_allergies (patient_id);

CREATE TABLE patient_conditions (
    id TEXT PRIMARY KEY CHECK (length(id) = 36),
    clinic_id TEXT NOT NULL CHECK (length(clinic_id) = 36) REFERENCES clinics(id),
    patient_id TEXT NOT NULL CHECK (length(patient_id) = 36) REFERENCES patients(id),
    icd10_code TEXT NOT NULL CHECK ((icd10_code GLOB '[A-Z][0-9][0-9A-Z]' OR icd10_code GLOB '[A-Z][0-9][0-9A-Z].[0-9A-Z]*') AND length(icd10_code) <= 8 AND NOT substr(icd10_code, 5) GLOB '*[^0-9A-Z]*'),
    description TEXT NOT NULL CHECK (length(trim(description)) >= 1),
    onset_date TEXT CHECK (onset_date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    status TEXT NOT NULL CHECK (status IN ('active', 'resolved', 'inactive')),
    created_at TEXT NOT NULL CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]Z'),
    created_by TEXT CHECK (length(created_by) = 36),
    updated_at TEXT NOT NULL CHECK (updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]Z'),
    updated_by TEXT CHECK (length(updated_by) = 36),
    version INTEGER NOT NULL DEFAULT 0 CHECK (version >= 0),
    deleted_at TEXT CHECK (deleted_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]Z')
);
CREATE INDEX patient_conditions_parent ON patient_conditions (patient_id);

CREATE TABLE providers (
    id TEXT PRIMARY KEY CHECK (length(id) = 36),
    clinic_id TEXT NOT NULL CHECK (length(clinic_id) = 36) REFERENCES clinics(id),
    user_id TEXT NOT NULL CHECK (length(user_id) = 36) REFERENCES users(id),
    npi TEXT NOT NULL CHECK (length(npi) = 10),
    license_number TEXT NOT NULL CHECK (length(trim(license_number)) >= 1),
    license_region TEXT,
    license_expires TEXT CHECK (license_expires GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    specialty TEXT,
    credentials TEXT,
    default_slot_minutes INTEGER NOT NULL DEFAULT 15 CHECK (default_slot_minutes BETWEEN 5 AND 480),
    created_at TEXT NOT NULL CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]Z'),
    created_by TEXT CHECK (length(created_by) = 36),
    updated_at TEXT NOT NULL CHECK (updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]Z'),
    updated_by TEXT CHECK (length(updated_by) = 36),
    version INTEGER NOT NULL DEFAULT 0 CHECK (version >= 0),
    deleted_at TEXT CHECK (deleted_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]Z')
);
CREATE UNIQUE INDEX providers_npi_unique ON providers (clinic_id, npi) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX providers_user_unique ON providers (user_id) WHERE deleted_at IS NULL;

CREATE TABLE provider_availability (
    id TEXT PRIMARY KEY CHECK (length(id) = 36),
    clinic_id TEXT NOT NULL CHECK (length(clinic_id) = 36) REFERENCES clinics(id),
    provider_id TEXT NOT NULL CHECK (length(provider_id) = 36) REFERENCES providers(id),
    weekday INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    start_time TEXT NOT NULL CHECK (start_time GLOB '[0-2][0-9]:[0-5][0-9]'),
    end_time TEXT NOT NULL CHECK (end_time GLOB '[0-2][0-9]:[0-5][0-9]'),
    room TEXT,
    created_at TEXT NOT NULL CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]Z'),
    created_by TEXT CHECK (length(created_by) = 36),
    updated_at TEXT NOT NULL CHECK (updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]Z'),
    updated_by TEXT CHECK (length(updated_by) = 36),
    version INTEGER NOT NULL DEFAULT 0 CHECK (version >= 0),
    deleted_at TEXT CHECK (deleted_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]Z'),
    CHECK (start_time < end_time)
);
CREATE INDEX provider_availability_parent ON provider_availability (provider_id);

CREATE TABLE provider_time_off (
    id TEXT PRIMARY KEY CHECK (length(id) = 36),
    clinic_id TEXT NOT NULL CHECK (length(clinic_id) = 36) REFERENCES clinics(id),
    provider_id TEXT NOT NULL CHECK (length(provider_id) = 36) REFERENCES providers(id),
    start_at TEXT NOT NULL CHECK (start_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]Z'),
    end_at TEXT NOT NULL CHECK (end_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]Z'),
    reason TEXT CHECK (length(reason) <= 500),
    created_at TEXT NOT NULL CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]Z'),
    created_by TEXT CHECK (length(created_by) = 36),
    updated_at TEXT NOT NULL CHECK (updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]Z'),
    updated_by TEXT CHECK (length(updated_by) = 36),
    version INTEGER NOT NULL DEFAULT 0 CHECK (version >= 0),
    deleted_at TEXT CHECK (deleted_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]Z'),
    CHECK (start_at < end_at)
);
CREATE INDEX provider_time_off_parent ON provider_time_off (provider_id);

CREATE TABLE appointments (
    id TEXT PRIMARY KEY CHECK (length(id) = 36),
    clinic_id TEXT NOT NULL CHECK (length(clinic_id) = 36) REFERENCES clinics(id),
    patient_id TEXT NOT NULL CHECK (length(patient_id) = 36) REFERENCES patients(id),
    provider_id TEXT NOT NULL CHECK (length(provider_id) = 36) REFERENCES providers(id),
    start_at TEXT NOT NULL CHECK (start_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]Z'),
    duration_minutes INTEGER NOT NULL CHECK (duration_minutes BETWEEN 5 AND 480),
    type TEXT NOT NULL CHECK (type IN ('new_patient', 'follow_up', 'annual_physical', 'urgent', 'telehealth', 'procedure')),
    status TEXT NOT NULL CHECK (status IN ('scheduled', 'confirmed', 'checked_in', 'in_progress', 'completed', 'cancelled', 'no_show', 'entered_in_error')),
    room TEXT,
    reason TEXT CHECK (length(reason) <= 500),
    notes TEXT CHECK (length(notes) <= 10000),
    cancel_reason TEXT,
    created_at TEXT NOT NULL CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]Z'),
    created_by TEXT CHECK (length(created_by) = 36),
    updated_at TEXT NOT NULL CHECK (updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]Z'),
    updated_by TEXT CHECK (length(updated_by) = 36),
    version INTEGER NOT NULL DEFAULT 0 CHECK (version >= 0),
    deleted_at TEXT CHECK (deleted_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]Z'),
    CHECK (status <> 'cancelled' OR coalesce(length(trim(cancel_reason)), 0) >= 1)
);
CREATE INDEX appointments_provider_start ON appointments (provider_id, start_at);
CREATE INDEX appointments_patient_start ON appointments (patient_id, start_at);
CREATE INDEX appointments_clinic_start ON appointments (clinic_id, start_at);

CREATE TABLE vitals (
    id TEXT PRIMARY KEY CHECK (length(id) = 36),
    clinic_id TEXT NOT NULL CHECK (length(clinic_id) = 36) REFERENCES clinics(id),
    patient_id TEXT NOT NULL CHECK (length(patient_id) = 36) REFERENCES patients(id),
    appointment_id TEXT CHECK (length(appointment_id) = 36) REFERENCES appointments(id),
    recorded_at TEXT NOT NULL CHECK (recorded_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]Z'),
    recorded_by TEXT CHECK (length(recorded_by) = 36),
    systolic_mmhg REAL CHECK (systolic_mmhg BETWEEN 20 AND 350),
    diastolic_mmhg REAL CHECK (diastolic_mmhg BETWEEN 10 AND 250),
    heart_rate_bpm REAL CHECK (heart_rate_bpm BETWEEN 10 AND 350),
    respiratory_rate REAL CHECK (respiratory_rate BETWEEN 1 AND 150),
    temperature_c REAL CHECK (temperature_c BETWEEN 20 AND 46),
    spo2_pct REAL CHECK (spo2_pct BETWEEN 1 AND 100),
    height_cm REAL CHECK (height_cm BETWEEN 10 AND 300),
    weight_kg REAL CHECK (weight_kg BETWEEN 0.2 AND 700),
    pain_score REAL CHECK (pain_score BETWEEN 0 AND 10),
    glucose_mg_dl REAL CHECK (glucose_mg_dl BETWEEN 5 AND 2000),
    status TEXT NOT NULL CHECK (status IN ('final', 'entered_in_error')),
    replaces_id TEXT CHECK (length(replaces_id) = 36) REFERENCES vitals(id),
    created_at TEXT NOT NULL CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]Z'),
    created_by TEXT CHECK (length(created_by) = 36),
    updated_at TEXT NOT NULL CHECK (updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]Z'),
    updated_by TEXT CHECK (length(updated_by) = 36),
    version INTEGER NOT NULL DEFAULT 0 CHECK (version >= 0),
    deleted_at TEXT CHECK (deleted_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]Z'),
    CHECK (systolic_mmhg IS NULL OR diastolic_mmhg IS NULL OR systolic_mmhg > diastolic_mmhg),
    CHECK (COALESCE(systolic_mmhg, diastolic_mmhg, heart_rate_bpm, respiratory_rate, temperature_c, spo2_pct, height_cm, weight_kg, pain_score, glucose_mg_dl) IS NOT NULL)
);
CREATE INDEX vitals_patient_time ON vitals (patient_id, recorded_at);

CREATE TABLE consultations (
    id TEXT PRIMARY KEY CHECK (length(id) = 36),
    clinic_id TEXT NOT NULL CHECK (length(clinic_id) = 36) REFERENCES clinics(id),
    patient_id TEXT NOT NULL CHECK (length(patient_id) = 36) REFERENCES patients(id),
    provider_id TEXT NOT NULL CHECK (length(provider_id) = 36) REFERENCES providers(id),
    appointment_id TEXT CHECK (length(appointment_id) = 36) REFERENCES appointments(id),
    started_at TEXT NOT NULL CHECK (started_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]Z'),
    chief_complaint TEXT NOT NULL CHECK (length(trim(chief_complaint)) BETWEEN 1 AND 500),
    history TEXT,
    examination TEXT,
    assessment TEXT,
    plan TEXT,
    follow_up_date TEXT CHECK (follow_up_date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    follow_up_days INTEGER CHECK (follow_up_days BETWEEN 1 AND 365),
    follow_up_instructions TEXT,
    status TEXT NOT NULL CHECK (status IN ('draft', 'signed')),
    signed_at TEXT CHECK (signed_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]Z'),
    signed_by TEXT CHECK (length(signed_by) = 36),
    amends_id TEXT CHECK (length(amends_id) = 36) REFERENCES consultations(id),
    created_at TEXT NOT NULL CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]Z'),
    created_by TEXT CHECK (length(created_by) = 36),
    updated_at TEXT NOT NULL CHECK (updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]Z'),
    updated_by TEXT CHECK (length(updated_by) = 36),
    version INTEGER NOT NULL DEFAULT 0 CHECK (version >= 0),
    deleted_at TEXT CHECK (deleted_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]Z'),
    CHECK ((status = 'signed') = (signed_at IS NOT NULL AND signed_by IS NOT NULL)),
    CHECK (follow_up_date IS NULL OR follow_up_days IS NULL)
);
CREATE INDEX consultations_patient_time ON consultations (patient_id, started_at);

CREATE TABLE consultation_diagnoses (
    id TEXT PRIMARY KEY CHECK (length(id) = 36),
    clinic_id TEXT NOT NULL CHECK (length(clinic_id) = 36) REFERENCES clinics(id),
    consultation_id TEXT NOT NULL CHECK (length(consultation_id) = 36) REFERENCES consultations(id),
    icd10_code TEXT NOT NULL CHECK ((icd10_code GLOB '[A-Z][0-9][0-9A-Z]' OR icd10_code GLOB '[A-Z][0-9][0-9A-Z].[0-9A-Z]*') AND length(icd10_code) <= 8 AND NOT substr(icd10_code, 5) GLOB '*[^0-9A-Z]*'),
    description TEXT NOT NULL CHECK (length(trim(description)) >= 1),
    is_primary INTEGER NOT NULL DEFAULT 0 CHECK (is_primary IN (0, 1)),
    created_at TEXT NOT NULL CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]Z'),
    created_by TEXT CHECK (length(created_by) = 36),
    updated_at TEXT NOT NULL CHECK (updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]Z'),
    updated_by TEXT CHECK (length(updated_by) = 36),
    version INTEGER NOT NULL DEFAULT 0 CHECK (version >= 0),
    deleted_at TEXT CHECK (deleted_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]Z')
);
CREATE INDEX consultation_diagnoses_parent ON consultation_diagnoses (consultation_id);

CREATE TABLE prescriptions (
    id TEXT PRIMARY KEY CHECK (length(id) = 36),
    clinic_id TEXT NOT NULL CHECK (length(clinic_id) = 36) REFERENCES clinics(id),
    patient_id TEXT NOT NULL CHECK (length(patient_id) = 36) REFERENCES patients(id),
    provider_id TEXT NOT NULL CHECK (length(provider_id) = 36) REFERENCES providers(id),
    consultation_id TEXT CHECK (length(consultation_id) = 36) REFERENCES consultations(id),
    medication_code TEXT NOT NULL CHECK (length(medication_code) >= 1),
    medication_name TEXT NOT NULL CHECK (length(medication_name) >= 1),
    strength TEXT,
    form TEXT,
    dose_amount REAL NOT NULL CHECK (dose_amount > 0),
    dose_unit TEXT NOT NULL CHECK (length(dose_unit) >= 1),
    route TEXT,
    frequency TEXT NOT NULL CHECK (frequency IN ('once', 'qd', 'bid', 'tid', 'qid', 'q4h', 'q6h', 'q8h', 'q12h', 'qhs', 'prn')),
    as_needed INTEGER NOT NULL DEFAULT 0 CHECK (as_needed IN (0, 1)),
    duration_days INTEGER CHECK (duration_days BETWEEN 1 AND 3650),
    quantity REAL CHECK (quantity > 0),
    refills INTEGER NOT NULL DEFAULT 0 CHECK (refills BETWEEN 0 AND 11),
    start_date TEXT NOT NULL CHECK (start_date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    end_date TEXT CHECK (end_date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    instructions TEXT,
    status TEXT NOT NULL CHECK (status IN ('active', 'on_hold', 'completed', 'cancelled', 'entered_in_error')),
    override_reason TEXT,
    replaces_id TEXT CHECK (length(replaces_id) = 36) REFERENCES prescriptions(id),
    created_at TEXT NOT NULL CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]Z'),
    created_by TEXT CHECK (length(created_by) = 36),
    updated_at TEXT NOT NULL CHECK (updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]Z'),
    updated_by TEXT CHECK (length(updated_by) = 36),
    version INTEGER NOT NULL DEFAULT 0 CHECK (version >= 0),
    deleted_at TEXT CHECK (deleted_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]Z'),
    CHECK (end_date IS NULL OR end_date >= start_date)
);
CREATE INDEX prescriptions_patient_start ON prescriptions (patient_id, start_date);
CREATE INDEX prescriptions_patient_status ON prescriptions (patient_id, status);

CREATE TABLE audit_log (
    id TEXT PRIMARY KEY CHECK (length(id) = 36),
    device_id TEXT NOT NULL,
    seq INTEGER NOT NULL CHECK (seq >= 1),
    at TEXT NOT NULL CHECK (at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]Z'),
    actor_id TEXT CHECK (length(actor_id) = 36),
    role TEXT,
    action TEXT NOT NULL,
    entity TEXT,
    entity_id TEXT,
    clinic_id TEXT CHECK (length(clinic_id) = 36),
    fields TEXT CHECK (fields IS NULL OR json_valid(fields)),
    prev_hash TEXT,
    hash TEXT NOT NULL
);
CREATE UNIQUE INDEX audit_log_device_seq ON audit_log (device_id, seq);
CREATE INDEX audit_log_entity ON audit_log (entity_id);

CREATE TABLE login_state (
    user_id TEXT PRIMARY KEY CHECK (length(user_id) = 36) REFERENCES users(id),
    failed_logins INTEGER NOT NULL DEFAULT 0 CHECK (failed_logins >= 0),
    locked_until TEXT CHECK (locked_until GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]Z'),
    last_login_at TEXT CHECK (last_login_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]Z')
);

CREATE TABLE outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    mutation_id TEXT NOT NULL CHECK (length(mutation_id) = 36),
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL CHECK (length(entity_id) = 36),
    op TEXT NOT NULL CHECK (op IN ('insert', 'update', 'delete', 'state')),
    base_version INTEGER NOT NULL,
    changes TEXT NOT NULL CHECK (changes IS NULL OR json_valid(changes)),
    actor_id TEXT CHECK (length(actor_id) = 36),
    device_id TEXT NOT NULL,
    protocol INTEGER NOT NULL,
    created_at TEXT NOT NULL CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]Z'),
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'rejected')),
    error TEXT
);
CREATE UNIQUE INDEX outbox_mutation_unique ON outbox (mutation_id);
CREATE INDEX outbox_entity ON outbox (entity_id);

CREATE TABLE sync_state (
    key TEXT PRIMARY KEY,
    value TEXT
);

CREATE TABLE conflicts (
    id TEXT PRIMARY KEY CHECK (length(id) = 36),
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL CHECK (length(entity_id) = 36),
    field TEXT NOT NULL,
    local_value TEXT CHECK (local_value IS NULL OR json_valid(local_value)),
    central_value TEXT CHECK (central_value IS NULL OR json_valid(central_value)),
    mutation_id TEXT CHECK (length(mutation_id) = 36),
    detected_at TEXT NOT NULL CHECK (detected_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]Z'),
    resolved_at TEXT CHECK (resolved_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]Z'),
    resolution TEXT CHECK (resolution IN ('local', 'central', 'merged'))
);
CREATE INDEX conflicts_entity ON conflicts (entity_id);

-- Type-ahead patient search (names, mrn, phone, birth date). Written by the patient store's own
-- statements, not per-row triggers; rowid is derived from the patient's UUID (not the patients
-- table's implicit rowid, which VACUUM may renumber).
CREATE VIRTUAL TABLE patient_search USING fts5(
    patient_id UNINDEXED, given_name, family_name, mrn, phone, birth_date,
    tokenize = "unicode61 remove_diacritics 2",
    prefix = '2 3 4'
);

CREATE TRIGGER clinics_clinic_fixed BEFORE UPDATE OF clinic_id ON clinics
WHEN NEW.clinic_id IS NOT OLD.clinic_id
BEGIN SELECT RAISE(ABORT, 'clinics.clinic_id never changes'); END;

CREATE TRIGGER users_clinic_fixed BEFORE UPDATE OF clinic_id ON users
WHEN NEW.clinic_id IS NOT OLD.clinic_id
BEGIN SELECT RAISE(ABORT, 'users.clinic_id never changes'); END;

CREATE TRIGGER patients_clinic_fixed BEFORE UPDATE OF clinic_id ON patients
WHEN NEW.clinic_id IS NOT OLD.clinic_id
BEGIN SELECT RAISE(ABORT, 'patients.clinic_id never changes'); END;

CREATE TRIGGER patient_emergency_contacts_clinic_fixed BEFORE UPDATE OF clinic_id ON patient_emergency_contacts
WHEN NEW.clinic_id IS NOT OLD.clinic_id
BEGIN SELECT RAISE(ABORT, 'patient_emergency_contacts.clinic_id never changes'); END;

CREATE TRIGGER patient_insurance_clinic_fixed BEFORE UPDATE OF clinic_id ON patient_insurance
WHEN NEW.clinic_id IS NOT OLD.clinic_id
BEGIN SELECT RAISE(ABORT, 'patient_insurance.clinic_id never changes'); END;

CREATE TRIGGER patient_allergies_clinic_fixed BEFORE UPDATE OF clinic_id ON patient_allergies
WHEN NEW.clinic_id IS NOT OLD.clinic_id
BEGIN SELECT RAISE(ABORT, 'patient_allergies.clinic_id never changes'); END;

CREATE TRIGGER patient_conditions_clinic_fixed BEFORE UPDATE OF clinic_id ON patient_conditions
WHEN NEW.clinic_id IS NOT OLD.clinic_id
BEGIN SELECT RAISE(ABORT, 'patient_conditions.clinic_id never changes'); END;

CREATE TRIGGER providers_clinic_fixed BEFORE UPDATE OF clinic_id ON providers
WHEN NEW.clinic_id IS NOT OLD.clinic_id
BEGIN SELECT RAISE(ABORT, 'providers.clinic_id never changes'); END;

CREATE TRIGGER provider_availability_clinic_fixed BEFORE UPDATE OF clinic_id ON provider_availability
WHEN NEW.clinic_id IS NOT OLD.clinic_id
BEGIN SELECT RAISE(ABORT, 'provider_availability.clinic_id never changes'); END;

CREATE TRIGGER provider_time_off_clinic_fixed BEFORE UPDATE OF clinic_id ON provider_time_off
WHEN NEW.clinic_id IS NOT OLD.clinic_id
BEGIN SELECT RAISE(ABORT, 'provider_time_off.clinic_id never changes'); END;

CREATE TRIGGER appointments_clinic_fixed BEFORE UPDATE OF clinic_id ON appointments
WHEN NEW.clinic_id IS NOT OLD.clinic_id
BEGIN SELECT RAISE(ABORT, 'appointments.clinic_id never changes'); END;

CREATE TRIGGER vitals_clinic_fixed BEFORE UPDATE OF clinic_id ON vitals
WHEN NEW.clinic_id IS NOT OLD.clinic_id
BEGIN SELECT RAISE(ABORT, 'vitals.clinic_id never changes'); END;

CREATE TRIGGER consultations_clinic_fixed BEFORE UPDATE OF clinic_id ON consultations
WHEN NEW.clinic_id IS NOT OLD.clinic_id
BEGIN SELECT RAISE(ABORT, 'consultations.clinic_id never changes'); END;

CREATE TRIGGER consultation_diagnoses_clinic_fixed BEFORE UPDATE OF clinic_id ON consultation_diagnoses
WHEN NEW.clinic_id IS NOT OLD.clinic_id
BEGIN SELECT RAISE(ABORT, 'consultation_diagnoses.clinic_id never changes'); END;

CREATE TRIGGER prescriptions_clinic_fixed BEFORE UPDATE OF clinic_id ON prescriptions
WHEN NEW.clinic_id IS NOT OLD.clinic_id
BEGIN SELECT RAISE(ABORT, 'prescriptions.clinic_id never changes'); END;

CREATE TRIGGER consultations_signed_immutable BEFORE UPDATE ON consultations
WHEN OLD.status = 'signed' AND (NEW.id IS NOT OLD.id OR NEW.clinic_id IS NOT OLD.clinic_id OR NEW.patient_id IS NOT OLD.patient_id OR NEW.provider_id IS NOT OLD.provider_id OR NEW.appointment_id IS NOT OLD.appointment_id OR NEW.started_at IS NOT OLD.started_at OR NEW.chief_complaint IS NOT OLD.chief_complaint OR NEW.history IS NOT OLD.history OR NEW.examination IS NOT OLD.examination OR NEW.assessment IS NOT OLD.assessment OR NEW.plan IS NOT OLD.plan OR NEW.follow_up_date IS NOT OLD.follow_up_date OR NEW.follow_up_days IS NOT OLD.follow_up_days OR NEW.follow_up_instructions IS NOT OLD.follow_up_instructions OR NEW.status IS NOT OLD.status OR NEW.signed_at IS NOT OLD.signed_at OR NEW.signed_by IS NOT OLD.signed_by OR NEW.amends_id IS NOT OLD.amends_id OR NEW.created_at IS NOT OLD.created_at OR NEW.created_by IS NOT OLD.created_by OR NEW.deleted_at IS NOT OLD.deleted_at)
BEGIN SELECT RAISE(ABORT, 'consultations: a signed consultation never changes; add an addendum'); END;

CREATE TRIGGER consultations_signed_undeletable BEFORE DELETE ON consultations
WHEN OLD.status = 'signed'
BEGIN SELECT RAISE(ABORT, 'consultations: a signed consultation never changes; add an addendum'); END;

CREATE TRIGGER consultation_diagnoses_signed_insert BEFORE INSERT ON consultation_diagnoses
WHEN (SELECT status FROM consultations WHERE id = NEW.consultation_id) = 'signed'
BEGIN SELECT RAISE(ABORT, 'consultation_diagnoses: the consultation is signed'); END;

CREATE TRIGGER consultation_diagnoses_signed_update BEFORE UPDATE ON consultation_diagnoses
WHEN (SELECT status FROM consultations WHERE id = OLD.consultation_id) = 'signed' AND (NEW.id IS NOT OLD.id OR NEW.clinic_id IS NOT OLD.clinic_id OR NEW.consultation_id IS NOT OLD.consultation_id OR NEW.icd10_code IS NOT OLD.icd10_code OR NEW.description IS NOT OLD.description OR NEW.is_primary IS NOT OLD.is_primary OR NEW.created_at IS NOT OLD.created_at OR NEW.created_by IS NOT OLD.created_by OR NEW.deleted_at IS NOT OLD.deleted_at)
BEGIN SELECT RAISE(ABORT, 'consultation_diagnoses: the consultation is signed'); END;

CREATE TRIGGER consultation_diagnoses_signed_delete BEFORE DELETE ON consultation_diagnoses
WHEN (SELECT status FROM consultations WHERE id = OLD.consultation_id) = 'signed'
BEGIN SELECT RAISE(ABORT, 'consultation_diagnoses: the consultation is signed'); END;

CREATE TRIGGER vitals_append_only BEFORE UPDATE ON vitals
WHEN NEW.id IS NOT OLD.id OR NEW.clinic_id IS NOT OLD.clinic_id OR NEW.patient_id IS NOT OLD.patient_id OR NEW.appointment_id IS NOT OLD.appointment_id OR NEW.recorded_at IS NOT OLD.recorded_at OR NEW.recorded_by IS NOT OLD.recorded_by OR NEW.systolic_mmhg IS NOT OLD.systolic_mmhg OR NEW.diastolic_mmhg IS NOT OLD.diastolic_mmhg OR NEW.heart_rate_bpm IS NOT OLD.heart_rate_bpm OR NEW.respiratory_rate IS NOT OLD.respiratory_rate OR NEW.temperature_c IS NOT OLD.temperature_c OR NEW.spo2_pct IS NOT OLD.spo2_pct OR NEW.height_cm IS NOT OLD.height_cm OR NEW.weight_kg IS NOT OLD.weight_kg OR NEW.pain_score IS NOT OLD.pain_score OR NEW.glucose_mg_dl IS NOT OLD.glucose_mg_dl OR NEW.replaces_id IS NOT OLD.replaces_id OR NEW.created_at IS NOT OLD.created_at OR NEW.created_by IS NOT OLD.created_by
BEGIN SELECT RAISE(ABORT, 'vitals: recorded values never change; record a correction'); END;

CREATE TRIGGER prescriptions_append_only BEFORE UPDATE ON prescriptions
WHEN NEW.id IS NOT OLD.id OR NEW.clinic_id IS NOT OLD.clinic_id OR NEW.patient_id IS NOT OLD.patient_id OR NEW.provider_id IS NOT OLD.provider_id OR NEW.consultation_id IS NOT OLD.consultation_id OR NEW.medication_code IS NOT OLD.medication_code OR NEW.medication_name IS NOT OLD.medication_name OR NEW.strength IS NOT OLD.strength OR NEW.form IS NOT OLD.form OR NEW.dose_amount IS NOT OLD.dose_amount OR NEW.dose_unit IS NOT OLD.dose_unit OR NEW.route IS NOT OLD.route OR NEW.frequency IS NOT OLD.frequency OR NEW.as_needed IS NOT OLD.as_needed OR NEW.duration_days IS NOT OLD.duration_days OR NEW.quantity IS NOT OLD.quantity OR NEW.refills IS NOT OLD.refills OR NEW.start_date IS NOT OLD.start_date OR NEW.end_date IS NOT OLD.end_date OR NEW.instructions IS NOT OLD.instructions OR NEW.override_reason IS NOT OLD.override_reason OR NEW.replaces_id IS NOT OLD.replaces_id OR NEW.created_at IS NOT OLD.created_at OR NEW.created_by IS NOT OLD.created_by
BEGIN SELECT RAISE(ABORT, 'prescriptions: recorded values never change; record a correction'); END;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
