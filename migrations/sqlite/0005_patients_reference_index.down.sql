-- Back to step 4: the reference check reads the patient's row again.
DROP INDEX patients_reference;
