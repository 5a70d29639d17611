-- Back to the triggers of step 1.

DROP TRIGGER consultations_signed_immutable;
CREATE TRIGGER consultations_signed_immutable BEFORE UPDATE ON consultations
WHEN OLD.status = 'signed' AND (NEW.id IS NOT OLD.id OR NEW.clinic_id IS NOT OLD.clinic_id OR NEW.patient_id IS NOT OLD.patient_id OR NEW.provider_id IS NOT OLD.provider_id OR NEW.appointment_id IS NOT OLD.appointment_id OR NEW.started_at IS NOT OLD.started_at OR NEW.chief_complaint IS NOT OLD.chief_complaint OR NEW.history IS NOT OLD.history OR NEW.examination IS NOT OLD.examination OR NEW.assessment IS NOT OLD.assessment OR NEW.plan IS NOT OLD.plan OR NEW.follow_up_date IS NOT OLD.follow_up_date OR NEW.follow_up_days IS NOT OLD.follow_up_days OR NEW.follow_up_instructions IS NOT OLD.follow_up_instructions OR NEW.status IS NOT OLD.status OR NEW.signed_at IS NOT OLD.signed_at OR NEW.signed_by IS NOT OLD.signed_by OR NEW.amends_id IS NOT OLD.amends_id OR NEW.created_at IS NOT OLD.created_at OR NEW.created_by IS NOT OLD.created_by OR NEW.deleted_at IS NOT OLD.deleted_at)
BEGIN SELECT RAISE(ABORT, 'consultations: a signed consultation never changes; add an addendum'); END;

DROP TRIGGER consultations_signed_undeletable;
CREATE TRIGGER consultations_signed_undeletable BEFORE DELETE ON consultations
WHEN OLD.status = 'signed'
BEGIN SELECT RAISE(ABORT, 'consultations: a signed consultation never changes; add an addendum'); END;

DROP TRIGGER consultation_diagnoses_signed_insert;
CREATE TRIGGER consultation_diagnoses_signed_insert BEFORE INSERT ON consultation_diagnoses
WHEN (SELECT status FROM consultations WHERE id = NEW.consultation_id) = 'signed'
BEGIN SELECT RAISE(ABORT, 'consultation_diagnoses: the consultation is signed'); END;

DROP TRIGGER consultation_diagnoses_signed_update;
CREATE TRIGGER consultation_diagnoses_signed_update BEFORE UPDATE ON consultation_diagnoses
WHEN (SELECT status FROM consultations WHERE id = OLD.consultation_id) = 'signed' AND (NEW.id IS NOT OLD.id OR NEW.clinic_id IS NOT OLD.clinic_id OR NEW.consultation_id IS NOT OLD.consultation_id OR NEW.icd10_code IS NOT OLD.icd10_code OR NEW.description IS NOT OLD.description OR NEW.is_primary IS NOT OLD.is_primary OR NEW.created_at IS NOT OLD.created_at OR NEW.created_by IS NOT OLD.created_by OR NEW.deleted_at IS NOT OLD.deleted_at)
BEGIN SELECT RAISE(ABORT, 'consultation_diagnoses: the consultation is signed'); END;

DROP TRIGGER consultation_diagnoses_signed_delete;
CREATE TRIGGER consultation_diagnoses_signed_delete BEFORE DELETE ON consultation_diagnoses
WHEN (SELECT status FROM consultations WHERE id = OLD.consultation_id) = 'signed'
BEGIN SELECT RAISE(ABORT, 'consultation_diagnoses: the consultation is signed'); END;

DROP TRIGGER vitals_append_only;
CREATE TRIGGER vitals_append_only BEFORE UPDATE ON vitals
WHEN NEW.id IS NOT OLD.id OR NEW.clinic_id IS NOT OLD.clinic_id OR NEW.patient_id IS NOT OLD.patient_id OR NEW.appointment_id IS NOT OLD.appointment_id OR NEW.recorded_at IS NOT OLD.recorded_at OR NEW.recorded_by IS NOT OLD.recorded_by OR NEW.systolic_mmhg IS NOT OLD.systolic_mmhg OR NEW.diastolic_mmhg IS NOT OLD.diastolic_mmhg OR NEW.heart_rate_bpm IS NOT OLD.heart_rate_bpm OR NEW.respiratory_rate IS NOT OLD.respiratory_rate OR NEW.temperature_c IS NOT OLD.temperature_c OR NEW.spo2_pct IS NOT OLD.spo2_pct OR NEW.height_cm IS NOT OLD.height_cm OR NEW.weight_kg IS NOT OLD.weight_kg OR NEW.pain_score IS NOT OLD.pain_score OR NEW.glucose_mg_dl IS NOT OLD.glucose_mg_dl OR NEW.replaces_id IS NOT OLD.replaces_id OR NEW.created_at IS NOT OLD.created_at OR NEW.created_by IS NOT OLD.created_by
BEGIN SELECT RAISE(ABORT, 'vitals: recorded values never change; record a correction'); END;

DROP TRIGGER prescriptions_append_only;
CREATE TRIGGER prescriptions_append_only BEFORE UPDATE ON prescriptions
WHEN NEW.id IS NOT OLD.id OR NEW.clinic_id IS NOT OLD.clinic_id OR NEW.patient_id IS NOT OLD.patient_id OR NEW.provider_id IS NOT OLD.provider_id OR NEW.consultation_id IS NOT OLD.consultation_id OR NEW.medication_code IS NOT OLD.medication_code OR NEW.medication_name IS NOT OLD.medication_name OR NEW.strength IS NOT OLD.strength OR NEW.form IS NOT OLD.form OR NEW.dose_amount IS NOT OLD.dose_amount OR NEW.dose_unit IS NOT OLD.dose_unit OR NEW.route IS NOT OLD.route OR NEW.frequency IS NOT OLD.frequency OR NEW.as_needed IS NOT OLD.as_needed OR NEW.duration_days IS NOT OLD.duration_days OR NEW.quantity IS NOT OLD.quantity OR NEW.refills IS NOT OLD.refills OR NEW.start_date IS NOT OLD.start_date OR NEW.end_date IS NOT OLD.end_date OR NEW.instructions IS NOT OLD.instructions OR NEW.override_reason IS NOT OLD.override_reason OR NEW.replaces_id IS NOT OLD.replaces_id OR NEW.created_at IS NOT OLD.created_at OR NEW.created_by IS NOT OLD.created_by
BEGIN SELECT RAISE(ABORT, 'prescriptions: recorded values never change; record a correction'); END;
