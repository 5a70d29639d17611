#include "formulary.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QSet>

#include <cmath>

namespace tmdash {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Validation", text);
}

QString folded(const QString &text)
{
    return text.simplified().toCaseFolded();
}

bool isDigits(const QString &text)
{
    if (text.isEmpty())
        return false;
    for (QChar c : text)
        if (c < u'0' || c > u'9')
            return false;
    return true;
}

// Reads the array under `key` of a JSON document; an error (field `key`) when it is missing.
std::optional<QJsonArray> rowsOf(const QByteArray &json, const QString &key, FieldErrors &errors)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (doc.isNull()) {
        errors.append({key, QStringLiteral("format"),
                       tr("Not valid JSON: %1.").arg(parseError.errorString())});
        return std::nullopt;
    }
    const QJsonValue rows = doc.object().value(key);
    if (!rows.isArray()) {
        errors.append(
            {key, QStringLiteral("required"), tr("A \"%1\" array is required.").arg(key)});
        return std::nullopt;
    }
    return rows.toArray();
}

// A JSON array of non-empty strings; nullopt when it is something else.
std::optional<QStringList> stringList(const QJsonValue &value)
{
    if (value.isUndefined() || value.isNull())
        return QStringList();
    if (!value.isArray())
        return std::nullopt;
    QStringList out;
    for (const QJsonValue &item : value.toArray()) {
        if (!item.isString() || item.toString().trimmed().isEmpty())
            return std::nullopt;
        out << item.toString().trimmed();
    }
    return out;
}

void parseMedication(const QJsonObject &row, const QString &path, Formulary &out,
                     QSet<QString> &codes, QSet<QString> &names, FieldErrors &errors)
{
    const auto fail = [&](const char *name, const char *code, const QString &message) {
        errors.append({path + u'.' + QLatin1StringView(name), QString::fromLatin1(code), message});
    };
    const auto text = [&](const char *key) {
        return row.value(QLatin1StringView(key)).toString().trimmed();
    };

    Medication m;
    m.code = text("code");
    m.name = text("name");
    m.drug_class = text("class");
    m.note = text("note");
    m.source = text("source");

    if (m.code.isEmpty())
        fail("code", "required", tr("Every medication needs its RxNorm code."));
    else if (!isDigits(m.code))
        fail("code", "format", tr("RxNorm code \"%1\" must be digits only.").arg(m.code));
    else if (codes.contains(m.code))
        fail("code", "duplicate", tr("RxNorm code %1 appears more than once.").arg(m.code));
    codes.insert(m.code);

    if (m.name.isEmpty())
        fail("name", "required", tr("Every medication needs a name."));
    else if (names.contains(folded(m.name)))
        fail("name", "duplicate", tr("\"%1\" appears more than once.").arg(m.name));
    names.insert(folded(m.name));

    if (m.drug_class.isEmpty())
        fail("class", "required", tr("Every medication needs a class."));

    const std::optional<QStringList> forms = stringList(row.value(QLatin1StringView("forms")));
    if (!forms || forms->isEmpty())
        fail("forms", "required", tr("List at least one dose form, as text."));
    else
        m.forms = *forms;

    const std::optional<QStringList> strengths =
        stringList(row.value(QLatin1StringView("strengths")));
    if (!strengths)
        fail("strengths", "format", tr("Strengths must be a list of text."));
    else
        m.strengths = *strengths;

    const std::optional<QStringList> groups =
        stringList(row.value(QLatin1StringView("allergy_groups")));
    if (!groups)
        fail("allergy_groups", "format", tr("Allergy groups must be a list of text."));
    else
        m.allergy_groups = *groups;

    const QJsonValue maxValue = row.value(QLatin1StringView("max_daily_dose"));
    if (maxValue.isUndefined()) {
        fail("max_daily_dose", "required",
             tr("Give the maximum daily dose, or null where there is none."));
    } else if (!maxValue.isNull()) {
        const QJsonObject max = maxValue.toObject();
        const QJsonValue amount = max.value(QLatin1StringView("amount"));
        const QString unit = max.value(QLatin1StringView("unit")).toString().trimmed();
        if (!maxValue.isObject() || !amount.isDouble() || !std::isfinite(amount.toDouble()) ||
            amount.toDouble() <= 0 || unit.isEmpty())
            fail("max_daily_dose", "format",
                 tr("The maximum daily dose must be {\"amount\": a number above 0, \"unit\": "
                    "text}, or null."));
        else
            m.max_daily_dose = DoseQuantity{amount.toDouble(), unit};
    }

    if (m.source.isEmpty())
        fail("source", "required", tr("Every row must name its source."));

    out.medications << m;
}

void parseInteraction(const QJsonObject &row, const QString &path, Formulary &out,
                      QSet<QString> &pairs, FieldErrors &errors)
{
    const auto fail = [&](const QString &name, const char *code, const QString &message) {
        errors.append({path + u'.' + name, QString::fromLatin1(code), message});
    };

    Interaction in;
    bool drugsOk = true;
    const auto drug = [&](const char *key, QString &code, QString &name) {
        const QString field = QLatin1StringView(key);
        const QJsonObject d = row.value(field).toObject();
        code = d.value(QLatin1StringView("code")).toString().trimmed();
        name = d.value(QLatin1StringView("name")).toString().trimmed();
        const Medication *m = out.find(code);
        if (code.isEmpty() || !m || m->code != code) {
            fail(field + QStringLiteral(".code"), "unknown",
                 tr("RxNorm code \"%1\" is not in the formulary.").arg(code));
            drugsOk = false;
        } else if (folded(name) != folded(m->name)) {
            fail(field + QStringLiteral(".name"), "inconsistent",
                 tr("Name \"%1\" differs from the formulary's \"%2\" for code %3.")
                     .arg(name, m->name, code));
        }
    };
    drug("drug_a", in.drug_a_code, in.drug_a_name);
    drug("drug_b", in.drug_b_code, in.drug_b_name);

    if (drugsOk) {
        const QString key = in.drug_a_code < in.drug_b_code
                                ? in.drug_a_code + u'|' + in.drug_b_code
                                : in.drug_b_code + u'|' + in.drug_a_code;
        if (in.drug_a_code == in.drug_b_code)
            fail(QStringLiteral("drug_b.code"), "inconsistent",
                 tr("An interaction needs two different drugs."));
        else if (pairs.contains(key))
            fail(QStringLiteral("drug_b.code"), "duplicate",
                 tr("The pair %1 and %2 appears more than once.")
                     .arg(in.drug_a_name, in.drug_b_name));
        pairs.insert(key);
    }

    const QString severity = row.value(QLatin1StringView("severity")).toString();
    if (const auto s = enumFromString<InteractionSeverity>(severity))
        in.severity = *s;
    else
        fail(QStringLiteral("severity"), "unknown",
             tr("Severity \"%1\" is not one of: %2.")
                 .arg(severity, enumNames<InteractionSeverity>().join(QStringLiteral(", "))));

    in.text = row.value(QLatin1StringView("text")).toString().trimmed();
    if (in.text.isEmpty())
        fail(QStringLiteral("text"), "required", tr("Say what happens and what to do."));
    in.source = row.value(QLatin1StringView("source")).toString().trimmed();
    if (in.source.isEmpty())
        fail(QStringLiteral("source"), "required", tr("Every row must name its source."));

    out.interactions << in;
}

} // namespace

const Medication *Formulary::find(const QString &codeOrName) const
{
    const QString key = codeOrName.trimmed();
    if (key.isEmpty())
        return nullptr;
    for (const Medication &m : medications)
        if (m.code == key)
            return &m;
    const QString name = folded(key);
    for (const Medication &m : medications)
        if (folded(m.name) == name)
            return &m;
    return nullptr;
}

QList<Interaction> Formulary::interactionsBetween(const QString &code,
                                                  const QList<QString> &otherCodes) const
{
    QList<Interaction> out;
    QList<const Interaction *> seen;
    for (const QString &other : otherCodes) {
        if (other == code)
            continue;
        for (const Interaction &in : interactions) {
            if (in.involves(code) && in.otherCode(code) == other && !seen.contains(&in)) {
                seen << &in;
                out << in;
            }
        }
    }
    return out;
}

Result<Formulary> parseFormulary(const QByteArray &formularyJson,
                                 const QByteArray &interactionsJson)
{
    FieldErrors errors;
    Formulary out;

    const auto medications = rowsOf(formularyJson, QStringLiteral("medications"), errors);
    if (!medications) // without a formulary every interaction row would fail too: say it once
        return Error::invalid(std::move(errors));
    QSet<QString> codes;
    QSet<QString> names;
    for (qsizetype i = 0; i < medications->size(); ++i) {
        const QString path = QStringLiteral("medications[%1]").arg(i);
        if (!medications->at(i).isObject())
            errors.append({path, QStringLiteral("format"), tr("Each row must be an object.")});
        else
            parseMedication(medications->at(i).toObject(), path, out, codes, names, errors);
    }
    if (const auto rows = rowsOf(interactionsJson, QStringLiteral("interactions"), errors)) {
        QSet<QString> pairs;
        for (qsizetype i = 0; i < rows->size(); ++i) {
            const QString path = QStringLiteral("interactions[%1]").arg(i);
            if (!rows->at(i).isObject())
                errors.append({path, QStringLiteral("format"), tr("Each row must be an object.")});
            else
                parseInteraction(rows->at(i).toObject(), path, out, pairs, errors);
        }
    }

    if (!errors.isEmpty())
        return Error::invalid(std::move(errors));
    return out;
}

const Formulary &formulary()
{
    static const Formulary table = [] {
        const auto read = [](const QString &path) {
            QFile file(path);
            if (!file.open(QIODevice::ReadOnly))
                qFatal("Cannot open the built-in %s", qPrintable(path));
            return file.readAll();
        };
        Result<Formulary> parsed =
            parseFormulary(read(QStringLiteral(":/reference/formulary.json")),
                           read(QStringLiteral(":/reference/interactions.json")));
        if (!parsed)
            qFatal("The built-in formulary or interaction table is broken: %s",
                   qPrintable(parsed.error().message));
        return std::move(parsed).value();
    }();
    return table;
}

const Medication *findMedication(const QString &codeOrName)
{
    return formulary().find(codeOrName);
}

QList<Interaction> interactionsBetween(const QString &code, const QList<QString> &otherCodes)
{
    return formulary().interactionsBetween(code, otherCodes);
}

} // namespace tmdash
