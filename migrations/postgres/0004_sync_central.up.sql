-- Central only: change capture, push and pull (DESIGN.md, "Sync"; issue 6, section 1).
-- Every change of a synced row, made any way (push, tmdashctl, a script), lands in change_log
-- with the id of its transaction; desktops pull by the (xid, id) watermark, which never skips a
-- transaction that commits late. tmdash_push applies a desktop's outbox rows one savepoint each,
-- merging field by field, and remembers every mutation id with its first result.
-- SQLite has no such step (a desktop keeps its own outbox, sync_state and conflicts).

-- The synced tables (models/schema.cpp, TableSpec::synced), in one place for the triggers, the
-- push and the down script.
CREATE FUNCTION tmdash_synced_tables() RETURNS text[]
    LANGUAGE sql IMMUTABLE
AS $$
    SELECT ARRAY['clinics', 'users', 'patients', 'patient_emergency_contacts',
                 'patient_insurance', 'patient_allergies', 'patient_conditions', 'providers',
                 'provider_availability', 'provider_time_off', 'appointments', 'vitals',
                 'consultations', 'consultation_diagnoses', 'prescriptions']
$$;

CREATE TABLE change_log (
    id bigserial PRIMARY KEY,
    xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
    clinic_id uuid NOT NULL,
    entity text NOT NULL,
    entity_id uuid NOT NULL,
    version bigint NOT NULL,
    op text NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
    row jsonb NOT NULL,
    origin_device text,
    mutation_id uuid
);
-- The pull: one clinic's rows after a (xid, id) cursor, in that order.
CREATE INDEX change_log_pull ON change_log (clinic_id, xid, id);

-- Every mutation a desktop pushed, with the result it got the first time (returned unchanged
-- when the same mutation id comes again). A rejection is a row with status 'rejected' and its
-- reason; it stays open (resolved_at NULL) until the desktop says it retried or discarded it,
-- and while open later mutations of the same record from the same device are refused as
-- depending on it.
CREATE TABLE sync_mutations (
    mutation_id uuid PRIMARY KEY,
    clinic_id uuid NOT NULL REFERENCES clinics(id),
    device_id text NOT NULL,
    entity text NOT NULL,
    entity_id uuid,
    status text NOT NULL CHECK (status IN ('applied', 'conflict', 'rejected')),
    result jsonb NOT NULL,
    reason text,
    created_at timestamptz NOT NULL DEFAULT now(),
    resolved_at timestamptz,
    CHECK ((status = 'rejected') = (reason IS NOT NULL))
);
CREATE INDEX sync_mutations_open_rejections ON sync_mutations (clinic_id, device_id, entity_id)
    WHERE status = 'rejected' AND resolved_at IS NULL;

-- One row per field whose central value differed from both the desktop's old and new value:
-- the central value was kept, both sides are here for a person to resolve.
CREATE TABLE sync_conflicts (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    clinic_id uuid NOT NULL REFERENCES clinics(id),
    mutation_id uuid NOT NULL REFERENCES sync_mutations(mutation_id),
    entity text NOT NULL,
    entity_id uuid NOT NULL,
    field text NOT NULL,
    local_old jsonb,
    local_new jsonb,
    central_value jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    resolved_at timestamptz
);
CREATE INDEX sync_conflicts_mutation ON sync_conflicts (mutation_id);
CREATE INDEX sync_conflicts_open ON sync_conflicts (clinic_id) WHERE resolved_at IS NULL;

-- Change capture. SECURITY DEFINER so that clinic roles need (and get) no INSERT on change_log:
-- they cannot forge entries. Row-level security still holds (FORCE, and the policies look at
-- session_user), so an entry is only ever written for the writer's own clinic. origin_device and
-- mutation_id are the transaction-local settings tmdash_push sets around each mutation; a change
-- made any other way has neither. Instants are rendered in UTC whatever the session's zone.
CREATE FUNCTION tmdash_log_change() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, public
    SET TimeZone = 'UTC'
AS $$
BEGIN
    INSERT INTO public.change_log (clinic_id, entity, entity_id, version, op, row, origin_device,
                                   mutation_id)
    VALUES (NEW.clinic_id, TG_TABLE_NAME, NEW.id, NEW.version,
            CASE WHEN TG_OP = 'INSERT' THEN 'insert'
                 WHEN NEW.deleted_at IS NOT NULL AND OLD.deleted_at IS NULL THEN 'delete'
                 ELSE 'update' END,
            to_jsonb(NEW),
            nullif(current_setting('tmdash.origin_device', true), ''),
            nullif(current_setting('tmdash.mutation_id', true), '')::uuid);
    RETURN NULL;
END $$;
REVOKE ALL ON FUNCTION tmdash_log_change() FROM PUBLIC;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY tmdash_synced_tables() LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE ON %I FOR EACH ROW '
                       'EXECUTE FUNCTION tmdash_log_change()', t || '_change_log', t);
    END LOOP;
END $$;

-- The clinic a push or pull works on: the connection's mapped clinic (a clinic role may not
-- name another), or for an owner or admin connection the clinic it names.
CREATE FUNCTION tmdash_sync_clinic(p_clinic uuid) RETURNS uuid
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, public
AS $$
DECLARE
    v_session uuid := public.tmdash_session_clinic();
BEGIN
    IF v_session IS NOT NULL THEN
        IF p_clinic IS NOT NULL AND p_clinic <> v_session THEN
            RAISE EXCEPTION 'a clinic''s connection cannot name another clinic'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN v_session;
    END IF;
    IF NOT public.tmdash_is_admin() THEN
        RAISE EXCEPTION 'this connection''s role is mapped to no clinic'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF p_clinic IS NULL THEN
        RAISE EXCEPTION 'an owner or admin connection must name the clinic'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM public.clinics WHERE id = p_clinic) THEN
        RAISE EXCEPTION 'no clinic %', p_clinic USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN p_clinic;
END $$;

-- The state machines (models/appointmentrules.cpp, prescription.cpp, consultation*.cpp,
-- vitals): which status may follow which. A status change of these tables that is not listed is
-- refused.
CREATE FUNCTION tmdash_sync_transition_allowed(p_entity text, p_from text, p_to text)
    RETURNS boolean
    LANGUAGE sql IMMUTABLE
AS $$
    SELECT EXISTS (
        SELECT 1 FROM (VALUES
            ('appointments', 'scheduled', 'confirmed'),
            ('appointments', 'scheduled', 'checked_in'),
            ('appointments', 'confirmed', 'checked_in'),
            ('appointments', 'scheduled', 'no_show'),
            ('appointments', 'confirmed', 'no_show'),
            ('appointments', 'checked_in', 'in_progress'),
            ('appointments', 'in_progress', 'completed'),
            ('appointments', 'scheduled', 'cancelled'),
            ('appointments', 'confirmed', 'cancelled'),
            ('appointments', 'checked_in', 'cancelled'),
            ('appointments', 'scheduled', 'entered_in_error'),
            ('appointments', 'confirmed', 'entered_in_error'),
            ('appointments', 'checked_in', 'entered_in_error'),
            ('appointments', 'in_progress', 'entered_in_error'),
            ('appointments', 'completed', 'entered_in_error'),
            ('appointments', 'cancelled', 'entered_in_error'),
            ('appointments', 'no_show', 'entered_in_error'),
            ('prescriptions', 'active', 'on_hold'),
            ('prescriptions', 'on_hold', 'active'),
            ('prescriptions', 'active', 'completed'),
            ('prescriptions', 'on_hold', 'completed'),
            ('prescriptions', 'active', 'cancelled'),
            ('prescriptions', 'on_hold', 'cancelled'),
            ('prescriptions', 'active', 'entered_in_error'),
            ('prescriptions', 'on_hold', 'entered_in_error'),
            ('prescriptions', 'completed', 'entered_in_error'),
            ('prescriptions', 'cancelled', 'entered_in_error'),
            ('consultations', 'draft', 'signed'),
            ('vitals', 'final', 'entered_in_error')
        ) AS t(entity, from_status, to_status)
        WHERE t.entity = p_entity AND t.from_status = p_from AND t.to_status = p_to)
$$;

-- `p_values` as the table's column types would store them, rendered back to JSON: the desktop's
-- "2026-01-05T10:00:00.000Z" and the central's "2026-01-05T10:00:00+00:00" compare equal, a
-- value the column cannot hold raises.
CREATE FUNCTION tmdash_sync_typed(p_entity text, p_values jsonb) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, public
AS $$
DECLARE
    v_out jsonb;
BEGIN
    EXECUTE format('SELECT to_jsonb(jsonb_populate_record(NULL::public.%I, $1))', p_entity)
        INTO v_out USING p_values;
    RETURN v_out;
END $$;

-- The current row of a record as JSON, NULL when absent (or not visible to the connection).
CREATE FUNCTION tmdash_sync_row(p_entity text, p_id uuid) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, public
AS $$
DECLARE
    v_out jsonb;
BEGIN
    IF p_id IS NULL OR NOT p_entity = ANY (public.tmdash_synced_tables()) THEN
        RETURN NULL;
    END IF;
    EXECUTE format('SELECT to_jsonb(t) FROM public.%I t WHERE t.id = $1', p_entity)
        INTO v_out USING p_id;
    RETURN v_out;
END $$;

-- Applies one mutation (the caller holds the savepoint and the settings). Returns
-- {"status": applied|conflict|duplicate, "conflicts": [...]}; raises to refuse it.
CREATE FUNCTION tmdash_sync_apply(p_clinic uuid, p_mutation jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    SET search_path = pg_catalog, public
AS $$
DECLARE
    v_entity text := p_mutation->>'entity';
    v_op text := p_mutation->>'op';
    v_id uuid := (p_mutation->>'entity_id')::uuid;
    v_actor uuid := (p_mutation->>'actor_id')::uuid;
    v_changes jsonb := p_mutation->'changes';
    v_columns text[];
    v_bookkeeping constant text[] := ARRAY['version', 'created_at', 'created_by', 'updated_at',
                                           'updated_by'];
    v_cur jsonb;
    v_old jsonb;
    v_new jsonb;
    v_field text;
    v_c jsonb;
    v_o jsonb;
    v_n jsonb;
    v_set text[] := ARRAY[]::text[];
    v_conflicts jsonb := '[]';
    v_status text := 'applied';
    v_has_machine boolean;
    v_appt record;
    v_clash record;
BEGIN
    IF v_entity IS NULL OR NOT v_entity = ANY (tmdash_synced_tables()) THEN
        RAISE EXCEPTION 'unknown entity "%"', v_entity USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF v_op IS NULL OR v_op NOT IN ('insert', 'update', 'delete', 'state') THEN
        RAISE EXCEPTION 'unknown op "%"', v_op USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF v_id IS NULL THEN
        RAISE EXCEPTION 'the mutation names no entity_id' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF jsonb_typeof(v_changes) IS DISTINCT FROM 'object' THEN
        RAISE EXCEPTION 'changes must be a JSON object' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT array_agg(a.attname::text) INTO v_columns FROM pg_attribute a
        WHERE a.attrelid = format('public.%I', v_entity)::regclass AND a.attnum > 0
          AND NOT a.attisdropped;
    SELECT f INTO v_field FROM jsonb_object_keys(v_changes) f WHERE NOT f = ANY (v_columns) LIMIT 1;
    IF v_field IS NOT NULL THEN
        RAISE EXCEPTION '%: no field "%"', v_entity, v_field
            USING ERRCODE = 'invalid_parameter_value';
    END IF;

    -- Bookings of a clinic are checked one push at a time (see the double-booking rule below);
    -- taken before any appointment row lock, so two pushes cannot wait for each other.
    IF v_entity = 'appointments' THEN
        PERFORM pg_advisory_xact_lock(hashtextextended('tmdash.appointments.' || p_clinic::text, 0));
    END IF;

    EXECUTE format('SELECT to_jsonb(t) FROM public.%I t WHERE t.id = $1 FOR UPDATE', v_entity)
        INTO v_cur USING v_id;
    IF v_cur IS NOT NULL AND (v_cur->>'clinic_id')::uuid IS DISTINCT FROM p_clinic THEN
        RAISE EXCEPTION '%: % belongs to another clinic', v_entity, v_id
            USING ERRCODE = 'insufficient_privilege';
    END IF;

    IF v_op = 'insert' THEN
        IF v_changes ? 'id' AND (v_changes->>'id')::uuid IS DISTINCT FROM v_id THEN
            RAISE EXCEPTION 'the row''s id is not the mutation''s entity_id'
                USING ERRCODE = 'invalid_parameter_value';
        END IF;
        IF v_changes ? 'clinic_id' AND (v_changes->>'clinic_id')::uuid IS DISTINCT FROM p_clinic THEN
            RAISE EXCEPTION '%: the row belongs to clinic %, not to this clinic',
                v_entity, v_changes->>'clinic_id' USING ERRCODE = 'insufficient_privilege';
        END IF;
        v_new := v_changes || jsonb_build_object('id', v_id, 'clinic_id', p_clinic);
        IF v_cur IS NULL THEN
            SELECT array_agg(f) INTO v_set FROM jsonb_object_keys(v_new) f WHERE f <> 'version';
            EXECUTE format('INSERT INTO public.%I (%s) SELECT %s FROM jsonb_populate_record(NULL::public.%I, $1)',
                           v_entity,
                           (SELECT string_agg(format('%I', f), ', ') FROM unnest(v_set) f),
                           (SELECT string_agg(format('%I', f), ', ') FROM unnest(v_set) f),
                           v_entity)
                USING v_new;
        ELSE
            -- The record exists (e.g. the same row pushed under another mutation id): equal
            -- content is a duplicate; each differing field keeps the central value as a conflict.
            v_new := tmdash_sync_typed(v_entity, v_new);
            v_status := 'duplicate';
            FOR v_field IN SELECT f FROM jsonb_object_keys(v_changes) f
                           WHERE NOT f = ANY (v_bookkeeping) ORDER BY f LOOP
                IF v_new->v_field IS DISTINCT FROM v_cur->v_field THEN
                    v_conflicts := v_conflicts || jsonb_build_array(jsonb_build_object(
                        'id', gen_random_uuid(), 'field', v_field, 'local_old', NULL,
                        'local_new', v_changes->v_field, 'central_value', v_cur->v_field));
                END IF;
            END LOOP;
            IF jsonb_array_length(v_conflicts) > 0 THEN
                v_status := 'conflict';
            END IF;
        END IF;
    ELSE
        IF v_cur IS NULL THEN
            RAISE EXCEPTION '%: no record %', v_entity, v_id USING ERRCODE = 'no_data_found';
        END IF;
        IF EXISTS (SELECT 1 FROM jsonb_each(v_changes) WHERE jsonb_typeof(value) <> 'object') THEN
            RAISE EXCEPTION 'changes must map each field to {"old": .., "new": ..}'
                USING ERRCODE = 'invalid_parameter_value';
        END IF;
        IF v_changes ? 'id' OR v_changes ? 'clinic_id' THEN
            RAISE EXCEPTION '%: id and clinic_id never change', v_entity
                USING ERRCODE = 'check_violation';
        END IF;
        SELECT coalesce(jsonb_object_agg(key, value->'old'), '{}'),
               coalesce(jsonb_object_agg(key, value->'new'), '{}')
            INTO v_old, v_new
            FROM jsonb_each(v_changes) WHERE NOT key = ANY (v_bookkeeping);
        v_old := tmdash_sync_typed(v_entity, v_old);
        v_new := tmdash_sync_typed(v_entity, v_new);
        v_has_machine := v_entity IN ('appointments', 'prescriptions', 'consultations', 'vitals');
        FOR v_field IN SELECT f FROM jsonb_object_keys(v_changes) f
                       WHERE NOT f = ANY (v_bookkeeping) ORDER BY f LOOP
            v_c := v_cur->v_field;
            v_o := v_old->v_field;
            v_n := v_new->v_field;
            IF v_c = v_n THEN
                CONTINUE; -- already what the desktop wants
            ELSIF v_field = 'status' AND v_has_machine AND (v_op = 'state' OR v_c = v_o) THEN
                -- A state change follows the machine from the central's status, not a merge.
                IF NOT tmdash_sync_transition_allowed(v_entity, v_c->>0, v_n->>0) THEN
                    RAISE EXCEPTION '%: illegal transition from "%" to "%"', v_entity, v_c->>0,
                        v_n->>0 USING ERRCODE = 'check_violation';
                END IF;
                v_set := v_set || v_field;
            ELSIF v_field = 'deleted_at' AND v_op = 'delete' AND v_c <> 'null' THEN
                CONTINUE; -- deleted already (by someone else): nothing to do
            ELSIF v_c = v_o THEN
                v_set := v_set || v_field;
            ELSE
                v_conflicts := v_conflicts || jsonb_build_array(jsonb_build_object(
                    'id', gen_random_uuid(), 'field', v_field,
                    'local_old', v_changes->v_field->'old', 'local_new', v_changes->v_field->'new',
                    'central_value', v_c));
            END IF;
        END LOOP;
        IF v_op = 'delete' AND NOT v_changes ? 'deleted_at' AND v_cur->'deleted_at' = 'null' THEN
            v_new := v_new || jsonb_build_object('deleted_at', now());
            v_set := v_set || 'deleted_at'::text;
        END IF;
        IF cardinality(v_set) > 0 THEN
            EXECUTE format('UPDATE public.%I t SET %s, updated_at = now(), updated_by = $3 '
                           'FROM jsonb_populate_record(NULL::public.%I, $1) s WHERE t.id = $2',
                           v_entity,
                           (SELECT string_agg(format('%I = s.%I', f, f), ', ') FROM unnest(v_set) f),
                           v_entity)
                USING v_new, v_id, v_actor;
        END IF;
        IF jsonb_array_length(v_conflicts) > 0 THEN
            v_status := 'conflict';
        END IF;
    END IF;

    -- Central-only rule: two desktops may book the same slot offline; the second is refused.
    IF v_entity = 'appointments' AND (v_op = 'insert' OR v_set && ARRAY['start_at',
            'duration_minutes', 'provider_id', 'room', 'status', 'deleted_at']) THEN
        SELECT * INTO v_appt FROM public.appointments WHERE id = v_id;
        IF v_appt.deleted_at IS NULL
           AND v_appt.status IN ('scheduled', 'confirmed', 'checked_in', 'in_progress') THEN
            SELECT o.id, o.start_at, o.provider_id = v_appt.provider_id AS same_provider
                INTO v_clash
                FROM public.appointments o
                WHERE o.clinic_id = v_appt.clinic_id AND o.id <> v_appt.id
                  AND o.deleted_at IS NULL
                  AND o.status IN ('scheduled', 'confirmed', 'checked_in', 'in_progress')
                  AND o.start_at < v_appt.start_at + make_interval(mins => v_appt.duration_minutes)
                  AND v_appt.start_at < o.start_at + make_interval(mins => o.duration_minutes)
                  AND (o.provider_id = v_appt.provider_id
                       OR (coalesce(trim(v_appt.room), '') <> ''
                           AND lower(trim(o.room)) = lower(trim(v_appt.room))))
                ORDER BY o.start_at
                LIMIT 1;
            IF FOUND THEN
                RAISE EXCEPTION 'double booking: % already has appointment % at % overlapping this one',
                    CASE WHEN v_clash.same_provider THEN 'the provider'
                         ELSE format('room %s', trim(v_appt.room)) END,
                    v_clash.id, v_clash.start_at
                    USING ERRCODE = 'exclusion_violation';
            END IF;
        END IF;
    END IF;

    RETURN jsonb_build_object('status', v_status, 'conflicts', v_conflicts);
END $$;

-- Push (DESIGN.md, "Sync"). p_batch = {"protocol": 1, "device_id": "...", "resolved": [mutation
-- ids whose rejection or conflicts the desktop has dealt with: retried or discarded],
-- "mutations": [outbox rows in seq order]}. Answers {"results": [{"mutation_id", "status":
-- applied|conflict|rejected|duplicate, "row": the full central row or null when absent,
-- "conflicts": [{"id", "field", "local_old", "local_new", "central_value"}], "reason"}]} in
-- order, or {"error": "upgrade_required", ...} having applied nothing when any protocol is
-- outside the accepted range. A mutation id seen before answers its first result unchanged.
-- SECURITY INVOKER: a clinic role's push is held to row-level security like any of its writes.
CREATE FUNCTION tmdash_push(p_batch jsonb, p_clinic uuid DEFAULT NULL) RETURNS jsonb
    LANGUAGE plpgsql
    SET search_path = pg_catalog, public
    SET TimeZone = 'UTC'
AS $$
DECLARE
    c_min_protocol constant integer := 1;
    c_max_protocol constant integer := 1;
    v_clinic uuid := tmdash_sync_clinic(p_clinic);
    v_device text := p_batch->>'device_id';
    v_mutations jsonb := coalesce(p_batch->'mutations', '[]');
    v_m jsonb;
    v_mid uuid;
    v_entity text;
    v_entity_id uuid;
    v_prev jsonb;
    v_applied jsonb;
    v_status text;
    v_reason text;
    v_conflicts jsonb;
    v_blocker record;
    v_result jsonb;
    v_results jsonb := '[]';
BEGIN
    IF jsonb_typeof(v_mutations) <> 'array' THEN
        RAISE EXCEPTION 'mutations must be a JSON array' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    -- A missing or non-numeric protocol counts as outside the range (CASE keeps the casts safe).
    IF coalesce(CASE WHEN jsonb_typeof(p_batch->'protocol') = 'number'
                     THEN (p_batch->>'protocol')::numeric END, -1)
           NOT BETWEEN c_min_protocol AND c_max_protocol
       OR EXISTS (SELECT 1 FROM jsonb_array_elements(v_mutations) m
                  WHERE coalesce(CASE WHEN jsonb_typeof(m->'protocol') = 'number'
                                      THEN (m->>'protocol')::numeric END, -1)
                            NOT BETWEEN c_min_protocol AND c_max_protocol)
    THEN
        RETURN jsonb_build_object(
            'error', 'upgrade_required',
            'min_protocol', c_min_protocol, 'max_protocol', c_max_protocol,
            'message', format('The central accepts sync protocol %s to %s; upgrade TMDash Clinic '
                              'on this desktop. Nothing was applied.',
                              c_min_protocol, c_max_protocol));
    END IF;
    IF coalesce(v_device, '') = '' THEN
        RAISE EXCEPTION 'the batch names no device_id' USING ERRCODE = 'invalid_parameter_value';
    END IF;

    IF jsonb_typeof(p_batch->'resolved') = 'array' THEN
        UPDATE sync_conflicts SET resolved_at = now()
            WHERE clinic_id = v_clinic AND resolved_at IS NULL
              AND mutation_id IN (SELECT m.mutation_id FROM sync_mutations m
                                  WHERE m.clinic_id = v_clinic AND m.device_id = v_device
                                    AND m.mutation_id IN (SELECT (jsonb_array_elements_text(
                                                              p_batch->'resolved'))::uuid));
        UPDATE sync_mutations SET resolved_at = now()
            WHERE clinic_id = v_clinic AND device_id = v_device AND status = 'rejected'
              AND resolved_at IS NULL
              AND mutation_id IN (SELECT (jsonb_array_elements_text(p_batch->'resolved'))::uuid);
    END IF;

    FOR v_m IN SELECT value FROM jsonb_array_elements(v_mutations) LOOP
        BEGIN
            v_mid := (v_m->>'mutation_id')::uuid;
        EXCEPTION WHEN invalid_text_representation THEN
            v_mid := NULL;
        END;
        IF v_mid IS NULL THEN
            -- Nothing to key a stored result by: answered, not remembered.
            v_results := v_results || jsonb_build_array(jsonb_build_object(
                'mutation_id', v_m->'mutation_id', 'status', 'rejected', 'row', NULL,
                'conflicts', '[]'::jsonb, 'reason', 'the mutation has no valid mutation_id'));
            CONTINUE;
        END IF;
        SELECT result INTO v_prev FROM sync_mutations WHERE mutation_id = v_mid;
        IF FOUND THEN
            v_results := v_results || jsonb_build_array(v_prev);
            CONTINUE;
        END IF;

        v_entity := coalesce(v_m->>'entity', '');
        BEGIN
            v_entity_id := (v_m->>'entity_id')::uuid;
        EXCEPTION WHEN invalid_text_representation THEN
            v_entity_id := NULL;
        END;
        v_conflicts := '[]';
        v_reason := NULL;

        -- Earlier rejections of the same record from this device (this batch's included, they
        -- are stored as they happen) that the desktop has not yet retried or discarded.
        SELECT s.mutation_id, s.reason INTO v_blocker FROM sync_mutations s
            WHERE s.clinic_id = v_clinic AND s.device_id = v_device AND s.entity = v_entity
              AND s.entity_id = v_entity_id AND s.status = 'rejected' AND s.resolved_at IS NULL
            ORDER BY s.created_at LIMIT 1;
        IF FOUND THEN
            v_status := 'rejected';
            v_reason := format('depends on rejected mutation %s of the same record (%s)',
                               v_blocker.mutation_id, v_blocker.reason);
        ELSE
            BEGIN
                PERFORM set_config('tmdash.origin_device', v_device, true);
                PERFORM set_config('tmdash.mutation_id', v_mid::text, true);
                v_applied := tmdash_sync_apply(v_clinic, v_m);
                v_status := v_applied->>'status';
                v_conflicts := v_applied->'conflicts';
            EXCEPTION WHEN OTHERS THEN
                v_status := 'rejected';
                v_reason := SQLERRM;
                v_conflicts := '[]';
            END;
        END IF;
        PERFORM set_config('tmdash.origin_device', '', true);
        PERFORM set_config('tmdash.mutation_id', '', true);

        v_result := jsonb_build_object(
            'mutation_id', v_mid, 'status', v_status,
            'row', tmdash_sync_row(v_entity, v_entity_id),
            'conflicts', v_conflicts, 'reason', v_reason);
        INSERT INTO sync_mutations (mutation_id, clinic_id, device_id, entity, entity_id, status,
                                    result, reason)
        VALUES (v_mid, v_clinic, v_device, v_entity, v_entity_id,
                CASE WHEN v_status = 'duplicate' THEN 'applied' ELSE v_status END, v_result,
                v_reason);
        INSERT INTO sync_conflicts (id, clinic_id, mutation_id, entity, entity_id, field,
                                    local_old, local_new, central_value)
        SELECT (c->>'id')::uuid, v_clinic, v_mid, v_entity, v_entity_id, c->>'field',
               c->'local_old', c->'local_new', c->'central_value'
            FROM jsonb_array_elements(v_conflicts) c;
        v_results := v_results || jsonb_build_array(v_result);
    END LOOP;
    RETURN jsonb_build_object('results', v_results);
END $$;

-- Pull (DESIGN.md, "Sync"): the clinic's changes after the cursor (p_xid, p_id), in (xid, id)
-- order, only from transactions older than every transaction still running (the watermark), so
-- one that commits late is waited for, never skipped. The page runs past p_limit rows to finish
-- the transaction it is in (a parent and its children arrive together). One statement, so one
-- snapshot. The first pull passes ('0', 0).
CREATE FUNCTION tmdash_pull(p_xid xid8, p_id bigint, p_limit integer, p_clinic uuid DEFAULT NULL)
    RETURNS TABLE (xid xid8, id bigint, entity text, entity_id uuid, version bigint, op text,
                   "row" jsonb, origin_device text, mutation_id uuid)
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, public
AS $$
#variable_conflict use_column
DECLARE
    v_clinic uuid := tmdash_sync_clinic(p_clinic);
    v_xid xid8 := coalesce(p_xid, '0'::xid8);
    v_id bigint := coalesce(p_id, 0);
BEGIN
    IF p_limit IS NULL OR p_limit < 1 THEN
        RAISE EXCEPTION 'the page size must be at least 1' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN QUERY
    WITH page AS (
        SELECT c.xid FROM public.change_log c
        WHERE c.clinic_id = v_clinic AND (c.xid, c.id) > (v_xid, v_id)
          AND c.xid < pg_snapshot_xmin(pg_current_snapshot())
        ORDER BY c.xid, c.id
        LIMIT p_limit)
    SELECT c.xid, c.id, c.entity, c.entity_id, c.version, c.op, c.row, c.origin_device,
           c.mutation_id
    FROM public.change_log c
    WHERE c.clinic_id = v_clinic AND (c.xid, c.id) > (v_xid, v_id)
      AND c.xid < pg_snapshot_xmin(pg_current_snapshot())
      AND c.xid <= (SELECT max(page.xid) FROM page)
    ORDER BY c.xid, c.id;
END $$;

-- Who the central is: a desktop keeps system_identifier and compares its cursor's xid with
-- current_xid; a different cluster, or a cursor ahead of it, means the central was replaced or
-- restored (full resync).
CREATE FUNCTION tmdash_central_identity()
    RETURNS TABLE (system_identifier bigint, current_xid xid8)
    LANGUAGE sql VOLATILE
    SET search_path = pg_catalog
AS $$
    SELECT (pg_control_system()).system_identifier, pg_current_xact_id()
$$;

-- Row-level security as step 3: administration sees all, a clinic role its clinic's rows.
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['change_log', 'sync_mutations', 'sync_conflicts'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY tmdash_admin_rows ON %I USING ((SELECT tmdash_is_admin())) '
                       'WITH CHECK ((SELECT tmdash_is_admin()))', t);
        EXECUTE format('CREATE POLICY tmdash_clinic_rows ON %I '
                       'USING (clinic_id = (SELECT tmdash_session_clinic())) '
                       'WITH CHECK (clinic_id = (SELECT tmdash_session_clinic()))', t);
    END LOOP;
END $$;

-- Privileges. Clinic roles read their change log (only the trigger writes it), and through
-- tmdash_push (which runs as them) record mutations and conflicts and mark them resolved; they
-- can change nothing else of those rows.
GRANT SELECT ON change_log TO tmdash_clinic;
GRANT SELECT, INSERT ON sync_mutations, sync_conflicts TO tmdash_clinic;
GRANT UPDATE (resolved_at) ON sync_mutations, sync_conflicts TO tmdash_clinic;
GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER
    ON change_log, sync_mutations, sync_conflicts TO tmdash_admin;
GRANT USAGE, SELECT, UPDATE ON SEQUENCE change_log_id_seq TO tmdash_admin;

REVOKE ALL ON FUNCTION tmdash_synced_tables(), tmdash_sync_clinic(uuid),
    tmdash_sync_transition_allowed(text, text, text), tmdash_sync_typed(text, jsonb),
    tmdash_sync_row(text, uuid), tmdash_sync_apply(uuid, jsonb), tmdash_push(jsonb, uuid),
    tmdash_pull(xid8, bigint, integer, uuid), tmdash_central_identity() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION tmdash_synced_tables(), tmdash_sync_clinic(uuid),
    tmdash_sync_transition_allowed(text, text, text), tmdash_sync_typed(text, jsonb),
    tmdash_sync_row(text, uuid), tmdash_sync_apply(uuid, jsonb), tmdash_push(jsonb, uuid),
    tmdash_pull(xid8, bigint, integer, uuid), tmdash_central_identity()
    TO tmdash_clinic, tmdash_admin;
