-- Central only: the organization-wide patient lookup (issue 7, section 3; DESIGN.md "Sync").
-- Front desk asks whether a person is registered at any clinic of the organization (name and
-- birth date, or mrn) before registering them again. Row-level security keeps every clinic
-- role inside its clinic, so the one function that looks across clinics runs as a dedicated
-- role, tmdash_lookup, that may read only the summary columns of live patients and clinics,
-- returns at most 20 summaries, and audits every call in the asking clinic's central audit
-- chain ("central:<clinic>", models/auditlog.h), hash-chained exactly as appendAudit does.
-- SQLite has no such step.

-- The role is cluster-wide (like tmdash_clinic) and made only when missing; it never logs in.
-- The migrating role must be a member of it to hand it the function (a superuser always can).
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tmdash_lookup') THEN
        BEGIN
            CREATE ROLE tmdash_lookup NOLOGIN;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
        END;
    END IF;
    IF NOT pg_has_role(current_user, 'tmdash_lookup', 'MEMBER') THEN
        EXECUTE format('GRANT tmdash_lookup TO %I', current_user);
    END IF;
END $$;

-- Name + birth date lookups across every clinic start from the birth date.
CREATE INDEX patients_lookup_birth_date ON patients (birth_date) WHERE deleted_at IS NULL;

-- What tmdash_lookup may see: every clinic's rows of patients and clinics (the other policies
-- keep to a clinic), and of those only the columns the summary needs (column privileges below).
CREATE POLICY tmdash_lookup_rows ON patients FOR SELECT TO tmdash_lookup USING (true);
CREATE POLICY tmdash_lookup_rows ON clinics FOR SELECT TO tmdash_lookup USING (true);

GRANT USAGE ON SCHEMA public TO tmdash_lookup;
GRANT SELECT (id, clinic_id, mrn, given_name, middle_name, family_name, birth_date, deleted_at)
    ON patients TO tmdash_lookup;
GRANT SELECT (id, name, deleted_at) ON clinics TO tmdash_lookup;
-- The actor's role for the audit entry (users keeps to the caller's clinic as for anyone).
GRANT SELECT (id, clinic_id, role, deleted_at) ON users TO tmdash_lookup;
GRANT SELECT, INSERT ON audit_log TO tmdash_lookup;
-- The other policies of these tables call these.
GRANT EXECUTE ON FUNCTION tmdash_session_clinic(), tmdash_is_admin() TO tmdash_lookup;

-- The lookup. Exactly one of: p_name (at least two characters after trimming) with
-- p_birth_date, or p_mrn. A name matches when the birth date is equal and the normalised name
-- (trimmed, whitespace collapsed, lowercased) equals "given family", "family given" or
-- "given middle family", or is trigram-similar (>= 0.5) to "given family"; an mrn matches
-- exactly (trimmed). Only live patients of live clinics; at most 20, by family name, given
-- name, clinic. p_actor: the person asking, as the desktop knows them (recorded in the audit
-- entry; a patient-role actor is refused). p_clinic: for an owner or admin connection, the
-- clinic whose chain records the lookup (none: the "central" chain); a clinic role's own clinic
-- is always used and it may not name another.
CREATE FUNCTION tmdash_patient_lookup(p_name text, p_birth_date date, p_mrn text,
                                      p_actor uuid DEFAULT NULL, p_clinic uuid DEFAULT NULL)
    RETURNS TABLE (patient_id uuid, given_name text, family_name text, birth_date date,
                   clinic_id uuid, clinic_name text, mrn text)
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, public
    SET TimeZone = 'UTC'
AS $$
#variable_conflict use_column
DECLARE
    v_session uuid := public.tmdash_session_clinic();
    v_clinic uuid;
    v_name text := lower(regexp_replace(btrim(coalesce(p_name, '')), '\s+', ' ', 'g'));
    v_mrn text := btrim(coalesce(p_mrn, ''));
    v_by text;
    v_role text;
    v_matches jsonb;
    v_ids text;
    v_count integer;
    v_chain text;
    v_seq bigint;
    v_prev text;
    v_id uuid;
    v_at timestamptz := date_trunc('milliseconds', clock_timestamp());
    v_fields text;
    v_canonical text;
BEGIN
    IF v_session IS NOT NULL THEN
        IF p_clinic IS NOT NULL AND p_clinic <> v_session THEN
            RAISE EXCEPTION 'a clinic''s connection cannot name another clinic'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        v_clinic := v_session;
    ELSIF public.tmdash_is_admin() THEN
        v_clinic := p_clinic;
    ELSE
        RAISE EXCEPTION 'this connection''s role is mapped to no clinic'
            USING ERRCODE = 'insufficient_privilege';
    END IF;

    IF v_mrn <> '' AND v_name = '' AND p_birth_date IS NULL THEN
        v_by := 'mrn';
    ELSIF v_mrn = '' AND length(v_name) >= 2 AND p_birth_date IS NOT NULL THEN
        v_by := 'name_birth_date';
    ELSE
        RAISE EXCEPTION 'a lookup names a name (two characters or more) and a birth date, or an mrn'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;

    IF p_actor IS NOT NULL THEN
        SELECT u.role INTO v_role FROM public.users u WHERE u.id = p_actor AND u.deleted_at IS NULL;
        IF v_role = 'patient' THEN
            RAISE EXCEPTION 'the patient role may not look up patients'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
    ELSIF v_session IS NULL THEN
        v_role := 'owner';
    END IF;

    IF v_by = 'mrn' THEN
        SELECT coalesce(jsonb_agg(to_jsonb(m) ORDER BY m.k1, m.k2, m.k3, m.patient_id), '[]')
            INTO v_matches
            FROM (SELECT p.id AS patient_id, p.given_name, p.family_name, p.birth_date,
                         p.clinic_id, c.name AS clinic_name, p.mrn,
                         lower(p.family_name) AS k1, lower(p.given_name) AS k2, c.name AS k3
                  FROM public.patients p
                  JOIN public.clinics c ON c.id = p.clinic_id AND c.deleted_at IS NULL
                  WHERE p.deleted_at IS NULL AND p.mrn = v_mrn
                  ORDER BY lower(p.family_name), lower(p.given_name), c.name, p.id
                  LIMIT 20) m;
    ELSE
        SELECT coalesce(jsonb_agg(to_jsonb(m) ORDER BY m.k1, m.k2, m.k3, m.patient_id), '[]')
            INTO v_matches
            FROM (SELECT p.id AS patient_id, p.given_name, p.family_name, p.birth_date,
                         p.clinic_id, c.name AS clinic_name, p.mrn,
                         lower(p.family_name) AS k1, lower(p.given_name) AS k2, c.name AS k3
                  FROM public.patients p
                  JOIN public.clinics c ON c.id = p.clinic_id AND c.deleted_at IS NULL
                  WHERE p.deleted_at IS NULL AND p.birth_date = p_birth_date
                    AND (lower(p.given_name || ' ' || p.family_name) = v_name
                         OR lower(p.family_name || ' ' || p.given_name) = v_name
                         OR lower(p.given_name || ' ' || coalesce(p.middle_name || ' ', '')
                                  || p.family_name) = v_name
                         OR public.similarity(lower(p.given_name || ' ' || p.family_name), v_name) >= 0.5)
                  ORDER BY lower(p.family_name), lower(p.given_name), c.name, p.id
                  LIMIT 20) m;
    END IF;

    -- The audit entry, appended to the clinic's central chain as appendAudit does
    -- (models/auditlog.cpp): the same transaction-scoped advisory lock on the chain (first 8
    -- bytes of the SHA-256 of its name), seq + 1, prev_hash, and the hash over the canonical
    -- compact JSON array [id, device_id, seq, at, actor_id, role, action, entity, entity_id,
    -- clinic_id, fields, prev_hash] with the keys of fields in sorted order. Every value here is
    -- a UUID, a fixed word, a number or a hex string, so to_json's quoting is the canonical one.
    v_count := jsonb_array_length(v_matches);
    SELECT coalesce(string_agg(to_json(e->>'patient_id')::text, ',' ORDER BY o), '')
        INTO v_ids FROM jsonb_array_elements(v_matches) WITH ORDINALITY AS t(e, o);
    v_fields := '{"by":' || to_json(v_by)::text || ',"matches":' || v_count
                || ',"patient_ids":[' || v_ids || ']}';
    v_chain := 'central' || coalesce(':' || v_clinic::text, '');
    PERFORM pg_advisory_xact_lock(
        ('x' || substr(encode(sha256(convert_to(v_chain, 'UTF8')), 'hex'), 1, 16))::bit(64)::bigint);
    SELECT a.seq, a.hash INTO v_seq, v_prev FROM public.audit_log a
        WHERE a.device_id = v_chain ORDER BY a.seq DESC LIMIT 1;
    v_seq := coalesce(v_seq, 0) + 1;
    -- A UUID v7 like every id we make: 48 bits of Unix milliseconds, then random bits.
    v_id := overlay(lpad(to_hex((extract(epoch FROM v_at) * 1000)::bigint), 12, '0')
                    || substr(replace(gen_random_uuid()::text, '-', ''), 13)
                    PLACING '7' FROM 13 FOR 1)::uuid;
    v_canonical := '[' || to_json(v_id::text)::text
                   || ',' || to_json(v_chain)::text
                   || ',' || v_seq
                   || ',' || to_json(to_char(v_at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))::text
                   || ',' || coalesce(to_json(p_actor::text)::text, 'null')
                   || ',' || coalesce(to_json(v_role)::text, 'null')
                   || ',"patient_lookup","patients",null'
                   || ',' || coalesce(to_json(v_clinic::text)::text, 'null')
                   || ',' || v_fields
                   || ',' || coalesce(to_json(v_prev)::text, 'null')
                   || ']';
    INSERT INTO public.audit_log (id, device_id, seq, at, actor_id, role, action, entity,
                                  entity_id, clinic_id, fields, prev_hash, hash)
    VALUES (v_id, v_chain, v_seq, v_at, p_actor, v_role, 'patient_lookup', 'patients', NULL,
            v_clinic, v_fields::jsonb, v_prev,
            encode(sha256(convert_to(v_canonical, 'UTF8')), 'hex'));

    RETURN QUERY
    SELECT (e->>'patient_id')::uuid, e->>'given_name', e->>'family_name',
           (e->>'birth_date')::date, (e->>'clinic_id')::uuid, e->>'clinic_name', e->>'mrn'
    FROM jsonb_array_elements(v_matches) WITH ORDINALITY AS t(e, o)
    ORDER BY o;
END $$;

-- A new owner needs CREATE on the function's schema (unless a superuser migrates); it keeps
-- the function without it afterwards.
GRANT CREATE ON SCHEMA public TO tmdash_lookup;
ALTER FUNCTION tmdash_patient_lookup(text, date, text, uuid, uuid) OWNER TO tmdash_lookup;
REVOKE CREATE ON SCHEMA public FROM tmdash_lookup;
REVOKE ALL ON FUNCTION tmdash_patient_lookup(text, date, text, uuid, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION tmdash_patient_lookup(text, date, text, uuid, uuid)
    TO tmdash_clinic, tmdash_admin;
