#include "prescriptionvalidator.h"

#include "clock.h"
#include "fieldrules.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <QStringList>

#include <algorithm>
#include <cmath>

namespace tmdash {

namespace {

// Tolerance for comparing doses computed in floating point (0.1 + 0.2 and such).
constexpr double kEpsilon = 1e-9;

QString tr(const char *text)
{
    return QCoreApplication::translate("Validation", text);
}

FieldError error(const QString &field, const char *code, const QString &message)
{
    return {field, QString::fromLatin1(code), message};
}

QString num(double value)
{
    return QString::number(value, 'g', 12);
}

QString folded(const QString &text)
{
    return text.simplified().toCaseFolded();
}

// Milligrams per unit for the mass units prescriptions use; nullopt for any other unit.
std::optional<double> milligramsPer(const QString &unit)
{
    const QString u = folded(unit);
    if (u == QLatin1StringView("g"))
        return 1000.0;
    if (u == QLatin1StringView("mg"))
        return 1.0;
    // "µg" with the micro sign (U+00B5, case-folded to U+03BC) or the Greek letter mu (U+03BC).
    if (u == QLatin1StringView("mcg") || u == QLatin1StringView("ug") ||
        u == QStringLiteral("\u03BCg") || u == QStringLiteral("\u00B5g"))
        return 0.001;
    return std::nullopt;
}

// "500 mg" -> {500, "mg"}; nullopt for anything else, combinations ("800 mg/160 mg") included.
std::optional<DoseQuantity> parseStrength(const QString &strength)
{
    static const QRegularExpression pattern(
        QStringLiteral(R"(^\s*(\d+(?:\.\d+)?)\s*([^\s\d/]+)\s*$)"));
    const QRegularExpressionMatch m = pattern.match(strength);
    if (!m.hasMatch())
        return std::nullopt;
    return DoseQuantity{m.captured(1).toDouble(), m.captured(2)};
}

bool above(double value, double limit)
{
    return value > limit + kEpsilon * std::max(1.0, std::abs(limit));
}

QString frequencyText(const Prescription &rx)
{
    return tr("%1 (%2 a day)").arg(toString(rx.frequency)).arg(rx.maxDosesPerDay());
}

void checkFormularyFields(FieldErrors &errors, const Prescription &rx, const Medication *med)
{
    if (rx.medication_code.trimmed().isEmpty()) {
        errors.append(error(QStringLiteral("medication_code"), "required",
                            tr("Choose the medication to prescribe.")));
        return;
    }
    if (!med) {
        errors.append(error(QStringLiteral("medication_code"), "unknown",
                            tr("Medication code \"%1\" is not in the formulary; choose a "
                               "medication from the list.")
                                .arg(rx.medication_code)));
        return;
    }
    if (!rx.medication_name.trimmed().isEmpty() && folded(rx.medication_name) != folded(med->name))
        errors.append(error(QStringLiteral("medication_name"), "inconsistent",
                            tr("Name \"%1\" does not match code %2, which is %3.")
                                .arg(rx.medication_name, med->code, med->name)));
    if (!rx.form.trimmed().isEmpty()) {
        bool known = false;
        for (const QString &form : med->forms)
            known = known || folded(form) == folded(rx.form);
        if (!known)
            errors.append(
                error(QStringLiteral("form"), "unknown",
                      tr("%1 does not come as \"%2\"; expected one of: %3.")
                          .arg(med->name, rx.form, med->forms.join(QStringLiteral(", ")))));
    }
}

void checkAmounts(FieldErrors &errors, const Prescription &rx)
{
    if (!std::isfinite(rx.dose_amount) || rx.dose_amount <= 0)
        errors.append(error(
            QStringLiteral("dose_amount"), "range",
            tr("A dose of %1 is not possible; enter an amount above 0.").arg(num(rx.dose_amount))));
    checkText(errors, QStringLiteral("dose_unit"), rx.dose_unit, Presence::Required, 20);
    if (rx.refills < kMinRefills || rx.refills > kMaxRefills)
        errors.append(error(QStringLiteral("refills"), "range",
                            tr("%1 refills is out of range; expected %2-%3.")
                                .arg(rx.refills)
                                .arg(kMinRefills)
                                .arg(kMaxRefills)));
    if (rx.duration_days) {
        if (*rx.duration_days < kMinDurationDays || *rx.duration_days > kMaxDurationDays)
            errors.append(error(QStringLiteral("duration_days"), "range",
                                tr("A duration of %1 days is out of range; expected %2-%3 days.")
                                    .arg(*rx.duration_days)
                                    .arg(kMinDurationDays)
                                    .arg(kMaxDurationDays)));
        else if (rx.frequency == Frequency::Once && *rx.duration_days > 1)
            errors.append(error(QStringLiteral("duration_days"), "inconsistent",
                                tr("A single dose (frequency \"once\") cannot last %1 days; choose "
                                   "a repeating frequency or a duration of 1 day.")
                                    .arg(*rx.duration_days)));
    }
    if (rx.quantity && (!std::isfinite(*rx.quantity) || *rx.quantity <= 0))
        errors.append(error(QStringLiteral("quantity"), "range",
                            tr("A quantity of %1 is not possible; enter an amount above 0, or "
                               "leave it empty.")
                                .arg(num(*rx.quantity))));
}

// Quantity must cover the course for scheduled doses counted in whole items.
void checkQuantityCoversDuration(FieldErrors &errors, const Prescription &rx)
{
    if (rx.isAsNeeded() || !isCountableUnit(rx.dose_unit) || !rx.quantity || !rx.duration_days ||
        rx.dose_amount <= 0 || *rx.quantity <= 0 || *rx.duration_days < kMinDurationDays ||
        *rx.duration_days > kMaxDurationDays)
        return;
    const int days = rx.frequency == Frequency::Once ? 1 : *rx.duration_days;
    const int perDay = rx.frequency == Frequency::Once ? 1 : rx.maxDosesPerDay();
    const double needed = rx.dose_amount * perDay * days;
    if (needed > *rx.quantity + kEpsilon * std::max(1.0, needed))
        errors.append(error(QStringLiteral("quantity"), "inconsistent",
                            tr("A quantity of %1 %2 does not cover %3 days of %4 %2 %5: %6 are "
                               "needed.")
                                .arg(num(*rx.quantity), rx.dose_unit)
                                .arg(days)
                                .arg(num(rx.dose_amount), frequencyText(rx), num(needed))));
}

void checkMaxDailyDose(FieldErrors &errors, QList<PrescriptionAlert> &alerts,
                       const Prescription &rx, const Medication &med)
{
    if (!med.max_daily_dose || !std::isfinite(rx.dose_amount) || rx.dose_amount <= 0)
        return;
    const std::optional<DoseQuantity> daily = dailyDose(rx, med);
    if (!daily || !above(daily->amount, med.max_daily_dose->amount))
        return;
    const QString message =
        tr("Up to %1 %2 a day (%3 %4 %5) is above the maximum daily dose of %6 %2 for %7.")
            .arg(num(daily->amount), daily->unit, num(rx.dose_amount), rx.dose_unit,
                 frequencyText(rx), num(med.max_daily_dose->amount), med.name);
    alerts.append({QStringLiteral("max_daily_dose"), QStringLiteral("high"), message});
    errors.append(error(QStringLiteral("dose_amount"), "max_daily_dose",
                        message + u' ' + tr("Lower the dose or the frequency.")));
}

void checkInteractions(FieldErrors &errors, QList<PrescriptionAlert> &alerts,
                       const Prescription &rx, const Medication &med,
                       const QList<Prescription> &others, bool overridden)
{
    QList<QString> codes;
    QList<const Prescription *> byCode;
    for (const Prescription &other : others) {
        if (!other.isCurrent() || (!rx.id.isNull() && other.id == rx.id))
            continue;
        const Medication *otherMed = formulary().find(other.medication_code);
        if (!otherMed || otherMed->code != other.medication_code.trimmed())
            continue;
        codes << otherMed->code;
        byCode << &other;
    }
    for (const Interaction &in : formulary().interactionsBetween(med.code, codes)) {
        const Prescription *other = byCode.at(codes.indexOf(in.otherCode(med.code)));
        const QString since = other->start_date.isValid()
                                  ? tr(", since %1").arg(formatDate(other->start_date))
                                  : QString();
        const QString message = tr("%1 with the patient's %2 (%3%4), %5: %6")
                                    .arg(med.name, in.otherName(med.code), toString(other->status),
                                         since, toString(in.severity), in.text);
        alerts.append({QStringLiteral("interaction"), toString(in.severity), message});
        if (!overridden)
            errors.append(
                error(QStringLiteral("medication_code"), "interaction",
                      message + u' ' + tr("Give an override reason to prescribe it anyway.")));
    }
}

void checkAllergies(FieldErrors &errors, QList<PrescriptionAlert> &alerts, const Medication &med,
                    const QList<PatientAllergy> &allergies, bool overridden)
{
    for (const PatientAllergy &allergy : allergies) {
        if (!allergyMatches(allergy, med))
            continue;
        const QString reaction = allergy.reaction.trimmed().isEmpty()
                                     ? QString()
                                     : tr(", reaction: %1").arg(allergy.reaction.trimmed());
        const QString message = tr("The patient is allergic to %1 (criticality %2%3), which "
                                   "matches %4 (%5).")
                                    .arg(allergy.substance.trimmed(), toString(allergy.criticality),
                                         reaction, med.name, med.drug_class);
        alerts.append({QStringLiteral("allergy"), toString(allergy.criticality), message});
        if (!overridden)
            errors.append(
                error(QStringLiteral("medication_code"), "allergy",
                      message + u' ' + tr("Give an override reason to prescribe it anyway.")));
    }
}

} // namespace

bool isCountableUnit(const QString &unit)
{
    static const QStringList countable = {
        QStringLiteral("tablet"),      QStringLiteral("tablets"),       QStringLiteral("tab"),
        QStringLiteral("tabs"),        QStringLiteral("capsule"),       QStringLiteral("capsules"),
        QStringLiteral("cap"),         QStringLiteral("caps"),          QStringLiteral("patch"),
        QStringLiteral("patches"),     QStringLiteral("puff"),          QStringLiteral("puffs"),
        QStringLiteral("suppository"), QStringLiteral("suppositories"),
    };
    return countable.contains(folded(unit));
}

std::optional<double> convertDoseAmount(double amount, const QString &from, const QString &to)
{
    if (!folded(from).isEmpty() && folded(from) == folded(to))
        return amount;
    const std::optional<double> fromMg = milligramsPer(from);
    const std::optional<double> toMg = milligramsPer(to);
    if (!fromMg || !toMg)
        return std::nullopt;
    return amount * *fromMg / *toMg;
}

std::optional<DoseQuantity> dailyDose(const Prescription &rx, const Medication &medication)
{
    if (!medication.max_daily_dose)
        return std::nullopt;
    const QString unit = medication.max_daily_dose->unit;
    std::optional<double> perDose = convertDoseAmount(rx.dose_amount, rx.dose_unit, unit);
    if (!perDose && isCountableUnit(rx.dose_unit)) {
        if (const std::optional<DoseQuantity> strength = parseStrength(rx.strength)) {
            if (const auto perItem = convertDoseAmount(strength->amount, strength->unit, unit))
                perDose = rx.dose_amount * *perItem;
        }
    }
    if (!perDose)
        return std::nullopt;
    return DoseQuantity{*perDose * rx.maxDosesPerDay(), unit};
}

bool allergyMatches(const PatientAllergy &allergy, const Medication &medication)
{
    if (allergy.category != AllergyCategory::Medication ||
        allergy.status != AllergyStatus::Active || allergy.meta.isDeleted())
        return false;
    const QString substance = folded(allergy.substance);
    if (substance.isEmpty())
        return false;
    QStringList names = medication.name.split(u'/');
    names << medication.name << medication.drug_class << medication.allergy_groups;
    for (const QString &name : std::as_const(names))
        if (folded(name) == substance)
            return true;
    return false;
}

FieldErrors validatePrescription(const Prescription &rx,
                                 const QList<Prescription> &activeForPatient,
                                 const QList<PatientAllergy> &allergies,
                                 QList<PrescriptionAlert> *alerts)
{
    FieldErrors errors;
    QList<PrescriptionAlert> found;

    if (rx.patient_id.isNull())
        errors.append(error(QStringLiteral("patient_id"), "required",
                            tr("A prescription belongs to a patient; choose one.")));
    if (rx.provider_id.isNull())
        errors.append(error(QStringLiteral("provider_id"), "required",
                            tr("A prescription needs the prescribing provider.")));

    const Medication *med = formulary().find(rx.medication_code);
    if (med && med->code != rx.medication_code.trimmed())
        med = nullptr; // a name is not a code: the stored code must be the RxNorm one
    checkFormularyFields(errors, rx, med);
    checkText(errors, QStringLiteral("strength"), rx.strength, Presence::Optional, 100);
    checkText(errors, QStringLiteral("route"), rx.route, Presence::Optional, 50);
    checkAmounts(errors, rx);
    checkQuantityCoversDuration(errors, rx);
    if (!rx.start_date.isValid())
        errors.append(error(QStringLiteral("start_date"), "required",
                            tr("Give the day the prescription starts.")));
    checkText(errors, QStringLiteral("instructions"), rx.instructions, Presence::Optional,
              kMaxInstructionsLength, TextShape::MultiLine);
    checkText(errors, QStringLiteral("override_reason"), rx.override_reason, Presence::Optional,
              kMaxOverrideReasonLength, TextShape::MultiLine);

    if (med) {
        checkMaxDailyDose(errors, found, rx, *med);
        if (rx.isCurrent()) {
            const bool overridden = !rx.override_reason.trimmed().isEmpty();
            checkInteractions(errors, found, rx, *med, activeForPatient, overridden);
            checkAllergies(errors, found, *med, allergies, overridden);
        }
    }

    if (alerts)
        *alerts << found;
    return errors;
}

} // namespace tmdash
