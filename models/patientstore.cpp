#include "patientstore.h"

#include "clock.h"
#include "fieldrules.h"
#include "outbox.h"
#include "patientcodec.h"
#include "patientvalidator.h"
#include "sqlitestatement.h"
#include "transaction.h"

#include <QHash>
#include <QRegularExpression>
#include <QSet>

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

QString prefixTerm(const QString &word)
{
    return QLatin1Char('"') + word + QStringLiteral("\"*");
}

// The full-text index splits names into words at everything that is not a letter, digit or
// combining mark ("O'Brien" is "o" and "brien") but stores MRNs and dates squeezed ("N-0042" is
// "n0042"). A query word with punctuation inside matches either way, so punctuation never hides
// a patient.
QString ftsQuery(const QString &text)
{
    static const QRegularExpression date(QStringLiteral(R"(^(\d{4})-(\d{2})-(\d{2})$)"));
    static const QRegularExpression separators(QStringLiteral(R"([^\p{L}\p{N}\p{M}]+)"));
    QStringList terms;
    for (const QString &word : text.split(QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts)) {
        if (date.match(word).hasMatch()) {
            terms << prefixTerm(digitsOnly(word));
            continue;
        }
        QStringList parts;
        for (const QString &part : word.split(separators, Qt::SkipEmptyParts))
            if (!alnumOnly(part).isEmpty()) // a lone combining mark is no word to the index
                parts << part;
        if (parts.size() == 1) {
            terms << prefixTerm(parts.first());
        } else if (parts.size() > 1) {
            QStringList split;
            for (const QString &part : parts)
                split << prefixTerm(part);
            terms << QStringLiteral("(%1 OR (%2))").arg(prefixTerm(alnumOnly(word)), split.join(QStringLiteral(" AND ")));
        }
    }
    // Explicit AND: FTS5 allows the implicit one only between plain phrases.
    return terms.join(QStringLiteral(" AND "));
}

// A word matched literally by LIKE (PostgreSQL's escape character is the backslash).
QString likeLiteral(QString word)
{
    word.replace(QLatin1Char('\\'), QStringLiteral("\\\\"));
    word.replace(QLatin1Char('%'), QStringLiteral("\\%"));
    word.replace(QLatin1Char('_'), QStringLiteral("\\_"));
    return word;
}

const QList<QStringView> kListTables = {u"patient_emergency_contacts", u"patient_insurance",
                                        u"patient_allergies", u"patient_conditions"};

// The patient of a stored row and its owned lists (kListTables order).
Patient patientFromRows(const Row &row, const QList<QList<Row>> &lists)
{
    Patient p = patientFromRow(row);
    for (const Row &r : lists.value(0))
        p.emergency_contacts << emergencyContactFromRow(r);
    for (const Row &r : lists.value(1))
        p.insurance << insuranceFromRow(r);
    for (const Row &r : lists.value(2))
        p.allergies << allergyFromRow(r);
    for (const Row &r : lists.value(3))
        p.conditions << conditionFromRow(r);
    return p;
}

// Gives the owned-list items the ids and bookkeeping their written rows (in the same order) have.
template <class Item>
void takeWritten(QList<Item> &items, const QList<Row> &rows)
{
    for (qsizetype i = 0; i < items.size() && i < rows.size(); ++i) {
        items[i].id = rowId<RowId>(rows[i], u"id");
        items[i].meta = rowMeta(rows[i]);
    }
}

} // namespace

namespace {

constexpr QStringView kSearchIndex = u"patient_search";

// Brings the search index rows of these patients in line with their stored rows: a live
// patient's row is (re)written, a tombstoned or absent one's removed.
Status writeSearchRows(const Database &db, const QSet<QString> &ids)
{
    QString error;
    SqliteStatement *remove = SqliteStatement::cached(
        db, QStringLiteral("DELETE FROM patient_search WHERE rowid = ?1"), &error);
    SqliteStatement *insert = SqliteStatement::cached(
        db,
        QStringLiteral("INSERT INTO patient_search (rowid, patient_id, given_name, family_name, mrn, "
                       "phone, birth_date) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"),
        &error);
    if (!remove || !insert)
        return Error::storage(error);
    const RecordTable patients(db, *tableSpec(kPatients));
    const QList<QStringView> columns{u"given_name", u"middle_name", u"family_name",
                                     u"mrn",        u"phone",       u"birth_date",
                                     u"deleted_at"};
    for (const QString &id : ids) {
        const qint64 key = searchKey(id);
        remove->bindInt64(1, key);
        if (!remove->run())
            return Error::storage(remove->errorText());
        auto row = patients.get(id, columns);
        if (!row && row.error().code == ErrorCode::NotFound)
            continue;
        if (!row)
            return row.error();
        if (!row->value(u"deleted_at").isNull())
            continue;
        const QString phone = digitsOnly(row->value(u"phone").toString());
        insert->bindInt64(1, key);
        insert->bindText(2, id);
        insert->bindText(3, QString(row->value(u"given_name").toString() + QLatin1Char(' ')
                                    + row->value(u"middle_name").toString()));
        insert->bindText(4, row->value(u"family_name").toString());
        insert->bindText(5, alnumOnly(row->value(u"mrn").toString()));
        // The full number and the national part, so that "555 01..." finds "+1 555 01...".
        insert->bindTextOrNull(6, phone.isEmpty() ? QString()
                                                  : QString(phone + QLatin1Char(' ') + phone.right(10)));
        insert->bindText(7, digitsOnly(row->value(u"birth_date").toString()));
        if (!insert->run())
            return Error::storage(insert->errorText());
    }
    return {};
}

} // namespace

Status PatientStore::indexForSearch(const Database &db, const Row &row)
{
    if (!db.isSqlite())
        return {};
    // Written when the transaction commits: the full-text index flushes its buffer at every
    // savepoint, so a batch of creates (a seed, a pulled page) indexed one by one cost a
    // segment per patient.
    return deferUntilCommit(db, kSearchIndex, row.value(u"id").toString(), writeSearchRows);
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
    QList<QList<Row>> lists;
    for (QStringView table : kListTables) {
        auto rows = childRows(m_db, table, row.value(u"id").toString());
        if (!rows)
            return rows.error();
        lists << *rows;
    }
    return patientFromRows(row, lists);
}

Status PatientStore::writeLists(const Patient &p, bool creating, QList<QList<Row>> *written) const
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
        QList<Row> rows;
        if (Status s = w.syncChildren(*tableSpec(kListTables[i]), current, next[i], parent,
                                      written ? &rows : nullptr);
            !s)
            return s;
        if (written)
            written->append(rows);
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

// Whether storing `edited` as the patient's problem list would write anything, compared the
// way RecordWriter::syncChildren does with the stored live rows: a new row, a changed column or
// a stored row left out (tombstoned).
bool conditionsChange(const QList<Row> &stored, const QList<PatientCondition> &edited)
{
    QHash<QString, Row> byId;
    for (const Row &r : stored)
        byId.insert(r.value(u"id").toString(), r);
    QSet<QString> kept;
    for (const PatientCondition &c : edited) {
        const Row next = toRow(c);
        const auto it = byId.constFind(c.id.value);
        if (c.id.isNull() || it == byId.constEnd())
            return true;
        for (auto col = next.constBegin(); col != next.constEnd(); ++col)
            if (it->value(col.key()) != col.value())
                return true;
        kept.insert(c.id.value);
    }
    return kept.size() != byId.size();
}

} // namespace

Result<Patient> PatientStore::create(Patient p) const
{
    if (Status allowed = permit(Action::WritePatients); !allowed)
        return allowed.error();
    if (!p.conditions.isEmpty())
        if (Status allowed = permit(Action::WriteProblemList); !allowed)
            return allowed.error();
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
    QList<QList<Row>> lists;
    if (Status s = writeLists(p, true, &lists); !s)
        return s.error();
    if (Status s = indexForSearch(m_db, *stored); !s)
        return s.error();
    if (Status s = tx.commit(); !s)
        return s.error();
    // The record as written: what was given, with the ids and bookkeeping the writes filled in.
    // (Reading it back from the written rows took about 6 % of a create.)
    p.meta = rowMeta(*stored);
    takeWritten(p.emergency_contacts, lists.value(0));
    takeWritten(p.insurance, lists.value(1));
    takeWritten(p.allergies, lists.value(2));
    takeWritten(p.conditions, lists.value(3));
    return p;
}

Result<Patient> PatientStore::get(const PatientId &id) const
{
    if (Status allowed = permit(Action::ReadPatients); !allowed)
        return allowed.error();
    auto row = visibleRow(kPatients, id.value, QStringLiteral("patient"));
    if (!row)
        return row.error();
    return load(*row);
}

Result<Patient> PatientStore::update(const Patient &edited) const
{
    if (Status allowed = permit(Action::WritePatients); !allowed)
        return allowed.error();
    Patient p = edited;
    normalise(p);
    Transaction tx(m_db);
    if (!tx.started())
        return tx.started().error();
    auto current = visibleRow(kPatients, p.id.value, QStringLiteral("patient"));
    if (!current)
        return current.error();
    // The problem list is clinical: a role that may change the rest of the record but not it is
    // refused as a whole, before anything is written.
    if (!principalMay(m_actor, Action::WriteProblemList)) {
        auto conditions = childRows(m_db, u"patient_conditions", p.id.value);
        if (!conditions)
            return conditions.error();
        if (conditionsChange(*conditions, p.conditions))
            return permit(Action::WriteProblemList).error();
    }
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
    if (Status allowed = permit(Action::WritePatients); !allowed)
        return allowed;
    Transaction tx(m_db);
    if (!tx.started())
        return tx.started();
    auto current = visibleRow(kPatients, id.value, QStringLiteral("patient"));
    if (!current)
        return current.error();
    // Removing the patient tombstones the problem list with it.
    if (!principalMay(m_actor, Action::WriteProblemList)) {
        auto conditions = childRows(m_db, u"patient_conditions", id.value);
        if (!conditions)
            return conditions.error();
        if (!conditions->isEmpty())
            return permit(Action::WriteProblemList);
    }
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
    if (Status allowed = permit(Action::ReadPatients); !allowed)
        return allowed.error();
    QList<Patient> out;
    QString where = QStringLiteral("deleted_at IS NULL");
    QVariantMap binds;
    // On SQLite a unary + keeps the planner from driving the query by the clinic index (every
    // patient of the clinic) instead of by the full-text matches.
    restrictToScope(kPatients, where, binds,
                    m_db.isSqlite() ? QStringLiteral("+clinic_id") : QString());
    QString order;
    if (m_db.isSqlite()) {
        const QString query = ftsQuery(text);
        if (query.isEmpty())
            return out;
        // Patients written earlier in an open transaction are indexed first.
        if (Status s = runDeferred(m_db, kSearchIndex); !s)
            return s.error();
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
                         " AND (lower(given_name || ' ' || family_name) LIKE '%' || :%1l || '%' "
                         "OR lower(mrn) LIKE :%1l || '%' OR regexp_replace(coalesce(phone, ''), "
                         "'[^0-9]', '', 'g') LIKE '%' || :%1d || '%' "
                         "OR to_char(birth_date, 'YYYY-MM-DD') = :%1)")
                         .arg(key);
            binds.insert(key, words[i]);
            binds.insert(key + QLatin1Char('l'), likeLiteral(words[i]));
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
    if (Status allowed = permit(Action::ReadPatients); !allowed)
        return allowed.error();
    QList<Patient> out;
    QString where = QStringLiteral("deleted_at IS NULL AND ((lower(family_name) = lower(:family) AND birth_date = :birth)");
    QVariantMap binds{{QStringLiteral("family"), candidate.family_name.trimmed()},
                      {QStringLiteral("birth"), candidate.birth_date ? formatDate(*candidate.birth_date) : QString()}};
    if (auto phone = normalizePhone(candidate.phone); phone) {
        where += QStringLiteral(" OR phone = :phone");
        binds.insert(QStringLiteral("phone"), *phone);
    }
    where += QLatin1Char(')');
    restrictToScope(kPatients, where, binds);
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
    if (Status allowed = permit(Action::ReadPatients); !allowed)
        return allowed.error();
    QString where = QStringLiteral("deleted_at IS NULL");
    QVariantMap binds;
    restrictToScope(kPatients, where, binds);
    QString order = QStringLiteral("lower(family_name), lower(given_name), id");
    auto rows = RecordTable(m_db, kPatients).select(where, binds, order, limit, offset);
    if (!rows)
        return rows.error();
    QList<Patient> out;
    for (const Row &r : *rows)
        out << patientFromRow(r);
    return out;
}

} // namespace tmdash
