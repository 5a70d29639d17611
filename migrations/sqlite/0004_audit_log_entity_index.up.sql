-- No query reads audit_log by entity_id alone: a patient's entries are those with entity_id or
-- fields.patient_id equal to the patient, a condition no index on entity_id can answer. The
-- index only cost every write on this desktop another B-tree insert.
DROP INDEX audit_log_entity;
