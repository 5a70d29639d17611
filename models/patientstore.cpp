#include "patientstore.h"

#include "clock.h"
#include "fieldrules.h"
#include "outbox.h"
#include "patientcodec.h"
#include "patientvalidator.h"
#include "transaction.h"

#include <QRegularExpression>

#include <algorithm>
#include <QSqlError>
#include <QSqlQuery>

namespace tmdash {

namespace {

const QString kPatients = QStringLiteral("patients");

// The FTS rowid of a patient: the 62 random low bits of its UUID, stable across VACUUM.
qint64 searchKey(const QString &uuid)
{
    const QString hex = QString(uuid).remove(QLatin1Char('-')).right(16);
    return qint64(hex.toULongLong(nullptr, 16) & 0x3fffffffffffffffULL);
}

QString digitsOnly(const QString &text)
{
    QString out;
    for (QChar c : text)
        if (c.isDigit())
            out += c;
    return out;
}

QString alnumOnly(const QString &text)
{
    QString out;
    for (QChar c : text)
        if (c.isLetterOrNumber())
            out += c;
    return out;
}

// One FTS5 query term per word of the search text, each a prefix match.
QString ftsQuery(const QString &text)
{
    static const QRegularExpression date(QStringLiteral(R"(^(\d{4})-(\d{2})-(\d{2})$)"));
    QStringList terms;
    for (const QString &word : text.split(QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts)) {
        QString term = date.match(word).hasMatch() ? digitsOnly(word) : alnumOnly(word);
        if (term.isEmpty())
            continue;
        terms << QLatin1Char('"') + term + QStringLiteral("\"*");
    }
    return terms.join(QLatin1Char(' '));
}

const QList<QStringView> kListTables = {u"patient_emergency_contacts", u"patient_insurance",
                                        u"patient_allergies", u"patient_conditions"};

} // namespace

Status PatientStore::indexForSearch(const Database &db, const Row &row)
{
    if (!db.isSqlite())
        return {};
    const qint64 key = searchKey(row.value(u"id").toString());
    QSqlQuery q(db.connection());
    q.prepare(QStringLiteral("DELETE FROM patient_search WHERE rowid = :key"));
    q.bindValue(QStringLiteral(":key"), key);
    if (!q.exec())
        return Error::storage(q.lastError().text());
    if (!row.value(u"deleted_at").isNull())
        return {};
    const QString phone = digitsOnly(row.value(u"phone").toString());
    q.prepare(QStringLiteral("INSERT INTO patient_search (rowid, patient_id, given_name, family_name, mrn, phone, "
                             "birth_date) VALUES (:key, :id, :given, :family, :mrn, :phone, :birth)"));
    q.bindValue(QStringLiteral(":key"), key);
    q.bindValue(QStringLiteral(":id"), row.value(u"id").toString());
    q.bindValue(QStringLiteral(":given"), QString(row.value(u"given_name").toString() + QLatin1Char(' ')
                                                  + row.value(u"middle_name").toString()));
    q.bindValue(QStringLiteral(":family"), row.value(u"family_name").toString());
    q.bindValue(QStringLiteral(":mrn"), alnumOnly(row.value(u"mrn").toString()));
    // The full number and the national part, so that "555 01..." finds "+1 555 01...".
    q.bindValue(QStringLiteral(":phone"), phone.isEmpty() ? QString() : QString(phone + QLatin1Char(' ') + phone.right(10)));
    q.bindValue(QStringLiteral(":birth"), digitsOnly(row.value(u"birth_date").toString()));
    if (!q.exec())
        return Error::storage(q.lastError().text());
    return {};
}

Result<QString> PatientStore::nextMrn() const
{
    if (!m_db.isSqlite()) {
        QSqlQuery q(m_db.connection());
        if (!q.exec(QStringLiteral("SELECT nextval('patient_mrn_seq')")) || !q.next())
            return Error::storage(q.lastError().text());
        return QStringLiteral("C-%1").arg(q.value(0).toLongLong(), 6, 10, QLatin1Char('0'));
    }
    auto prefix = syncStateValue(m_db, QStringLiteral("mrn_prefix"));
    if (!prefix)
        return prefix.error();
    QString mrnPrefix = *prefix;
    if (mrnPrefix.isEmpty()) {
        // Four letters from this desktop's random id: MRNs made offline on different desktops
        // never collide, and a person can still read one aloud.
        auto device = deviceId(m_db);
        if (!device)
            return device.error();
        const quint64 bits = QString(device->right(12)).toULongLong(nullptr, 16);
        QString p;
        for (int i = 0; i < 4; ++i)
            p += QChar(u'A' + int((bits >> (i * 8)) % 26));
        mrnPrefix = p;
        if (Status s = setSyncStateValue(m_db, QStringLiteral("mrn_prefix"), p); !s)
            return s.error();
    }
    auto next = syncStateValue(m_db, QStringLiteral("mrn_next"));
    if (!next)
        return next.error();
    const qint64 n = next->isEmpty() ? 1 : next->toLongLong();
    if (Status s = setSyncStateValue(m_db, QStringLiteral("mrn_next"), QString::number(n + 1)); !s)
        return s.error();
    return QStringLiteral("%1-%2").arg(mrnPrefix).arg(n, 6, 10, QLatin1Char('0'));
}

Result<Patient> PatientStore::load(const Row &row) const
{
    Patient p = patientFromRow(row);
    const QString id = p.id.value;
    auto contacts = childRows(m_db, u"patient_emergency_contacts", id);
    auto insurance = childRows(m_db, u"patient_insurance", id);
    auto allergies = childRows(m_db, u"patient_allergies", id);
    auto conditions = childRows(m_db, u"patient_conditions", id);
    for (const auto *r : {&contacts, &insurance, &allergies, &conditions})
        if (!*r)
            return r->error();
    for (const Row &r : *contacts)
        p.emergency_contacts << emergencyContactFromRow(r);
    for (const Row &r : *insurance)
        p.insurance << insuranceFromRow(r);
    for (const Row &r : *allergies)
        p.allergies << allergyFromRow(r);
    for (const Row &r : *conditions)
        p.conditions << conditionFromRow(r);
    return p;
}

Status PatientStore::writeLists(const Patient &p, bool creating) const
{
    const Row parent{{QStringLiteral("clinic_id"), p.clinic_id.value}, {QStringLiteral("patient_id"), p.id.value}};
    const QList<QList<Row>> next = {
        [&] { QList<Row> l; for (const auto &x : p.emergency_contacts) l << toRow(x); return l; }(),
        [&] { QList<Row> l; for (const auto &x : p.insurance) l << toRow(x); return l; }(),
        [&] { QList<Row> l; for (const auto &x : p.allergies) l << toRow(x); return l; }(),
        [&] { QList<Row> l; for (const auto &x : p.conditions) l << toRow(x); return l; }(),
    };
    const RecordWriter w = writer();
    for (int i = 0; i < kListTables.size(); ++i) {
        QList<Row> current;
        if (!creating) {
            auto stored = childRows(m_db, kListTables[i], p.id.value);
            if (!stored)
                return stored.error();
            current = *stored;
        }
        if (Status s = w.syncChildren(*tableSpec(kListTables[i]), current, next[i], parent); !s)
            return s;
    }
    return {};
}

namespace {

// Stored form of people-entered values: phones in E.164.
void normalise(Patient &p)
{
    if (auto phone = normalizePhone(p.phone); phone)
        p.phone = *phone;
    for (auto &c : p.emergency_contacts)
        if (auto phone = normalizePhone(c.phone); phone)
            c.phone = *phone;
    p.country = p.country.toUpper();
}

} // namespace

Result<Patient> PatientStore::create(Patient p) const
{
    auto clinic = clinicForNewRecord(p.clinic_id);
    if (!clinic)
        return clinic.error();
    p.clinic_id = *clinic;
    if (p.id.isNull())
        p.id = newId<PatientId>();
    normalise(p);
    if (FieldErrors errors = validatePatient(p, todayUtc()); !errors.isEmpty())
        return Error::invalid(errors);

    Transaction tx(m_db);
    if (!tx.started())
        return tx.started().error();
    if (p.mrn.isEmpty()) {
        auto mrn = nextMrn();
        if (!mrn)
            return mrn.error();
        p.mrn = *mrn;
    }
    auto stored = writer().insert(*tableSpec(kPatients), toRow(p));
    if (!stored)
        return stored.error();
    if (Status s = writeLists(p, true); !s)
        return s.error();
    if (Status s = indexForSearch(m_db, *stored); !s)
        return s.error();
    if (Status s = tx.commit(); !s)
        return s.error();
    return get(p.id);
}

Result<Patient> PatientStore::get(const PatientId &id) const
{
    auto row = visibleRow(kPatients, id.value, QStringLiteral("patient"));
    if (!row)
        return row.error();
    return load(*row);
}

Result<Patient> PatientStore::update(const Patient &edited) const
{
    Patient p = edited;
    normalise(p);
    Transaction tx(m_db);
    if (!tx.started())
        return tx.started().error();
    auto current = visibleRow(kPatients, p.id.value, QStringLiteral("patient"));
    if (!current)
        return current.error();
    p.clinic_id = ClinicId(current->value(u"clinic_id").toString());
    if (p.mrn.isEmpty())
        p.mrn = current->value(u"mrn").toString();
    if (FieldErrors errors = validatePatient(p, todayUtc()); !errors.isEmpty())
        return Error::invalid(errors);
    Row next = toRow(p);
    next.remove(QStringLiteral("deleted_at"));
    auto stored = writer().update(*tableSpec(kPatients), *current, next);
    if (!stored)
        return stored.error();
    if (Status s = writeLists(p, false); !s)
        return s.error();
    if (Status s = indexForSearch(m_db, *stored); !s)
        return s.error();
    if (Status s = tx.commit(); !s)
        return s.error();
    return get(p.id);
}

Status PatientStore::remove(const PatientId &id) const
{
    Transaction tx(m_db);
    if (!tx.started())
        return tx.started();
    auto current = visibleRow(kPatients, id.value, QStringLiteral("patient"));
    if (!current)
        return current.error();
    const RecordWriter w = writer();
    for (QStringView table : kListTables) {
        auto rows = childRows(m_db, table, id.value);
        if (!rows)
            return rows.error();
        for (const Row &r : *rows)
            if (auto s = w.tombstone(*tableSpec(table), r); !s)
                return s.error();
    }
    auto stored = w.tombstone(*tableSpec(kPatients), *current);
    if (!stored)
        return stored.error();
    if (Status s = indexForSearch(m_db, *stored); !s)
        return s;
    return tx.commit();
}

Result<QList<Patient>> PatientStore::search(const QString &text, int limit) const
{
    QList<Patient> out;
    QString where = QStringLiteral("deleted_at IS NULL");
    QVariantMap binds;
    if (m_actor.isPerson()) {
        // On SQLite a unary + keeps the planner from driving the query by the clinic index (every
        // patient of the clinic) instead of by the full-text matches.
        where += m_db.isSqlite() ? QStringLiteral(" AND +clinic_id = :clinic")
                                 : QStringLiteral(" AND clinic_id = :clinic");
        binds.insert(QStringLiteral("clinic"), m_actor.clinic_id.value);
    }
    QString order;
    if (m_db.isSqlite()) {
        const QString query = ftsQuery(text);
        if (query.isEmpty())
            return out;
        binds.insert(QStringLiteral("query"), query);
        // Type-ahead: a short prefix matches thousands of patients, and sorting them all by
        // name cost ~75 ms at 100k patients. Take a bounded set of matches and sort those; the
        // next keystroke narrows the set.
        where += QStringLiteral(" AND id IN (SELECT patient_id FROM patient_search WHERE "
                                "patient_search MATCH :query LIMIT %1)")
                     .arg(limit > 0 ? std::max(4 * limit, 200) : -1);
        order = QStringLiteral("family_name COLLATE NOCASE, given_name COLLATE NOCASE");
    } else {
        const QStringList words =
            text.toLower().split(QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts);
        if (words.isEmpty())
            return out;
        for (int i = 0; i < words.size(); ++i) {
            const QString key = QStringLiteral("t%1").arg(i);
            where += QStringLiteral(
                         " AND (lower(given_name || ' ' || family_name) LIKE '%' || :%1 || '%' "
                         "OR lower(mrn) LIKE :%1 || '%' OR regexp_replace(coalesce(phone, ''), "
                         "'[^0-9]', '', 'g') LIKE '%' || :%1d || '%' "
                         "OR to_char(birth_date, 'YYYY-MM-DD') = :%1)")
                         .arg(key);
            binds.insert(key, words[i]);
            const QString digits = digitsOnly(words[i]);
            binds.insert(key + QLatin1Char('d'), digits.isEmpty() ? QStringLiteral("-") : digits);
        }
        order = QStringLiteral("lower(family_name), lower(given_name)");
    }
    auto rows = RecordTable(m_db, kPatients).select(where, binds, order, limit);
    if (!rows)
        return rows.error();
    for (const Row &r : *rows)
        out << patientFromRow(r);
    return out;
}

Result<QList<Patient>> PatientStore::possibleDuplicates(const Patient &candidate) const
{
    QList<Patient> out;
    QString where = QStringLiteral("deleted_at IS NULL AND ((lower(family_name) = lower(:family) AND birth_date = :birth)");
    QVariantMap binds{{QStringLiteral("family"), candidate.family_name.trimmed()},
                      {QStringLiteral("birth"), candidate.birth_date ? formatDate(*candidate.birth_date) : QString()}};
    if (auto phone = normalizePhone(candidate.phone); phone) {
        where += QStringLiteral(" OR phone = :phone");
        binds.insert(QStringLiteral("phone"), *phone);
    }
    where += QLatin1Char(')');
    if (m_actor.isPerson()) {
        where += QStringLiteral(" AND clinic_id = :clinic");
        binds.insert(QStringLiteral("clinic"), m_actor.clinic_id.value);
    }
    auto rows = RecordTable(m_db, kPatients).select(where, binds, QStringLiteral("family_name, given_name"), 50);
    if (!rows)
        return rows.error();
    for (const Row &r : *rows) {
        Patient p = patientFromRow(r);
        if (p.id != candidate.id && looksLikeDuplicate(candidate, p))
            out << p;
    }
    return out;
}

Result<QList<Patient>> PatientStore::list(int limit, int offset) const
{
    QString where = QStringLiteral("deleted_at IS NULL");
    QVariantMap binds;
    if (m_actor.isPerson()) {
        where += QStringLiteral(" AND clinic_id = :clinic");
        binds.insert(QStringLiteral("clinic"), m_actor.clinic_id.value);
    }
    QString order = QStringLiteral("lower(family_name), lower(given_name), id");
    if (offset > 0)
        order += QStringLiteral(" OFFSET %1").arg(offset);
    auto rows = RecordTable(m_db, kPatients).select(where, binds, order, limit);
    if (!rows)
        return rows.error();
    QList<Patient> out;
    for (const Row &r : *rows)
        out << patientFromRow(r);
    return out;
}

} // namespace tmdash
