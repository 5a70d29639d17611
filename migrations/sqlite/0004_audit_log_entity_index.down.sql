-- Back to the index of step 1.
CREATE INDEX audit_log_entity ON audit_log (entity_id);
