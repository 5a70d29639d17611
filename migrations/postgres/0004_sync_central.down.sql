-- Reverses step 4 (refused by the migrator while change_log, sync_mutations or sync_conflicts
-- hold rows: desktops' cursors, remembered mutation results and open conflicts would be lost).
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY tmdash_synced_tables() LOOP
        EXECUTE format('DROP TRIGGER %I ON %I', t || '_change_log', t);
    END LOOP;
END $$;

DROP FUNCTION tmdash_central_identity();
DROP FUNCTION tmdash_pull(xid8, bigint, integer, uuid);
DROP FUNCTION tmdash_push(jsonb, uuid);
DROP FUNCTION tmdash_sync_apply(uuid, jsonb);
DROP FUNCTION tmdash_sync_row(text, uuid);
DROP FUNCTION tmdash_sync_typed(text, jsonb);
DROP FUNCTION tmdash_sync_transition_allowed(text, text, text);
DROP FUNCTION tmdash_sync_clinic(uuid);
DROP FUNCTION tmdash_log_change();
DROP TABLE sync_conflicts;
DROP TABLE sync_mutations;
DROP TABLE change_log;
DROP FUNCTION tmdash_synced_tables();
