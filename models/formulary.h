#pragma once

#include "enumnames.h"
#include "result.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace tmdash {

// An amount with its unit as written in the reference data and on prescriptions ("mg", "mcg",
// "mEq", "tablet").
struct DoseQuantity
{
    double amount = 0;
    QString unit;
};

// One row of resources/reference/formulary.json.
struct Medication
{
    QString code;       // RxNorm ingredient RXCUI, as text
    QString name;       // generic ingredient name, lower case ("sulfamethoxazole / trimethoprim")
    QString drug_class; // the JSON key is "class" (a C++ keyword)
    QStringList forms;  // dose forms, snake_case ("tablet", "oral_solution")
    QStringList strengths;
    // Adult maximum per day; absent where the dose is weight-based or the label sets none, and
    // then no maximum is checked.
    std::optional<DoseQuantity> max_daily_dose;
    // Further substance names an allergy entry may use for this medication ("penicillin",
    // "sulfa"), besides its name and class.
    QStringList allergy_groups;
    QString note;
    QString source;
};

enum class InteractionSeverity { High, Contraindicated };

template <> struct EnumNames<InteractionSeverity>
{
    static constexpr std::array<std::pair<InteractionSeverity, const char *>, 2> names{{
        {InteractionSeverity::High, "high"},
        {InteractionSeverity::Contraindicated, "contraindicated"},
    }};
};

// One row of resources/reference/interactions.json: an unordered pair of formulary medications.
struct Interaction
{
    QString drug_a_code;
    QString drug_a_name;
    QString drug_b_code;
    QString drug_b_name;
    InteractionSeverity severity = InteractionSeverity::High;
    QString text; // what happens and what to do, for people
    QString source;

    bool involves(const QString &code) const { return code == drug_a_code || code == drug_b_code; }
    // The code / name of the pair's other drug, given one of the two codes.
    QString otherCode(const QString &code) const
    {
        return code == drug_a_code ? drug_b_code : drug_a_code;
    }
    QString otherName(const QString &code) const
    {
        return code == drug_a_code ? drug_b_name : drug_a_name;
    }
};

// The medication reference data: the formulary and the interaction table between its rows.
struct Formulary
{
    QList<Medication> medications;
    QList<Interaction> interactions;

    // The row whose code equals `codeOrName`, else the row whose name equals it ignoring case
    // and surrounding white space; nullptr when there is none. The pointer stays valid as long
    // as this Formulary is not modified.
    const Medication *find(const QString &codeOrName) const;
    // Every interaction between `code` and any of `otherCodes`, each interaction once, in the
    // order of `otherCodes`. `code` itself among `otherCodes` is ignored (a drug does not
    // interact with itself).
    QList<Interaction> interactionsBetween(const QString &code,
                                           const QList<QString> &otherCodes) const;
};

// Parses and checks both tables. The formulary: a "medications" array; per row a numeric
// code (unique), a name (unique ignoring case), a class, at least one form, a max_daily_dose
// that is null or {amount > 0, unit}, and a non-empty source. The interactions: an
// "interactions" array; per row drug_a and drug_b {code, name} naming two different formulary
// rows (the name as in the formulary), a known severity, a text and a non-empty source, no pair
// twice. Failures are Invalid with fields like "medications[3].source" or
// "interactions[0].drug_b.code".
Result<Formulary> parseFormulary(const QByteArray &formularyJson,
                                 const QByteArray &interactionsJson);

// The compiled-in tables (":/reference/formulary.json", ":/reference/interactions.json"),
// loaded and checked on first use (thread-safe). A broken built-in table is a broken build: it
// stops the program with the parse errors.
const Formulary &formulary();

// formulary().find(codeOrName) and formulary().interactionsBetween(...).
const Medication *findMedication(const QString &codeOrName);
QList<Interaction> interactionsBetween(const QString &code, const QList<QString> &otherCodes);

} // namespace tmdash
