#include "auditlog.h"

#include "clock.h"
#include "enumnames.h"
#include "outbox.h"
#include "permissions.h"
#include "recordtable.h"
#include "sqlitestatement.h"
#include "transaction.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>

#include <openssl/evp.h>

namespace tmdash {

namespace {

constexpr QStringView kAuditLog = u"audit_log";

// The canonical serialisation (see auditlog.h) is written here directly: it runs for every
// write, and building it as a QJsonArray cost more than the write itself. Its output is
// QJsonDocument's compact form, byte for byte: plain ASCII text is written as it is, anything
// that needs escaping by QJsonDocument itself.
void appendString(QByteArray &out, QStringView text)
{
    if (appendPlainJsonString(out, text))
        return;
    const QByteArray escaped = QJsonDocument(QJsonArray{text.toString()}).toJson(QJsonDocument::Compact);
    out += QByteArrayView(escaped).sliced(1, escaped.size() - 2); // without [ ]
}

void appendValue(QByteArray &out, const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        out += "null";
        return;
    case QJsonValue::String:
        appendString(out, value.toString());
        return;
    case QJsonValue::Object:
        out += QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
        return;
    default: {
        const QByteArray written = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
        out += QByteArrayView(written).sliced(1, written.size() - 2);
        return;
    }
    }
}

void appendTextOrNull(QByteArray &out, QStringView text)
{
    if (text.isEmpty())
        out += "null";
    else
        appendString(out, text);
}

// Through libcrypto, which uses the processor's SHA instructions where it has them: every write
// hashes its entry, and on this project's machines that is about 0.55 against Qt's 3 microseconds
// for an entry of 600 bytes (the algorithm is looked up once: an implicit lookup per call costs
// another 0.3). Qt's is the fallback, with the same bytes.
QString sha256Hex(const QByteArray &bytes)
{
    static EVP_MD *const sha256 = EVP_MD_fetch(nullptr, "SHA2-256", nullptr);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (!sha256
        || EVP_Digest(bytes.constData(), size_t(bytes.size()), digest, &size, sha256, nullptr) != 1)
        return QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
    return QString::fromLatin1(
        QByteArray::fromRawData(reinterpret_cast<const char *>(digest), qsizetype(size)).toHex());
}

// The compact JSON of `fields` with a "changed" array of `changed` and the "patient_id" added
// (each only when not empty): what QJsonDocument writes for that object, keys in QJsonObject's
// order. A write's entry has no other fields: that one is written without building the object.
QByteArray fieldsJson(const QJsonObject &fields, const QList<QStringView> &changed,
                      const QString &patientId)
{
    if (!fields.isEmpty()) {
        QJsonObject all = fields;
        if (!changed.isEmpty()) {
            QJsonArray names;
            for (QStringView name : changed)
                names.append(name.toString());
            all.insert(QStringLiteral("changed"), names);
        }
        if (!patientId.isEmpty())
            all.insert(QStringLiteral("patient_id"), patientId);
        return QJsonDocument(all).toJson(QJsonDocument::Compact);
    }
    if (changed.isEmpty() && patientId.isEmpty())
        return QByteArray();
    QByteArray out;
    out.reserve(64 + 24 * changed.size());
    out += '{';
    if (!changed.isEmpty()) {
        out += "\"changed\":[";
        for (qsizetype i = 0; i < changed.size(); ++i) {
            if (i > 0)
                out += ',';
            appendString(out, changed.at(i));
        }
        out += ']';
    }
    if (!patientId.isEmpty()) {
        if (!changed.isEmpty())
            out += ',';
        out += "\"patient_id\":";
        appendString(out, patientId);
    }
    out += '}';
    return out;
}

// The canonical serialisation of a stored row (see auditlog.h): the row as read back from
// either database, so that an altered column changes it.
QByteArray canonicalBytes(const Row &row)
{
    QByteArray out;
    out.reserve(512);
    out += '[';
    bool first = true;
    for (QStringView column : {u"id", u"device_id", u"seq", u"at", u"actor_id", u"role", u"action",
                               u"entity", u"entity_id", u"clinic_id", u"fields", u"prev_hash"}) {
        if (!first)
            out += ',';
        first = false;
        const QJsonValue value = row.value(column);
        if (column == u"seq" && value.isDouble())
            out += QByteArray::number(qint64(value.toDouble()));
        else
            appendValue(out, value);
    }
    out += ']';
    return out;
}

// What an entry's hash and its stored row both write out, made once per entry.
struct EntryText
{
    QString at;        // empty for none
    QByteArray fields; // compact JSON, empty for none
    explicit EntryText(const AuditEntry &e, const QList<QStringView> &changed = {},
                       const QString &patientId = QString())
        : at(e.at.isValid() ? formatInstant(e.at) : QString()),
          fields(fieldsJson(e.fields, changed, patientId))
    {
    }
};

// The same bytes for an entry, as auditEntryRow() would store it (empty optional text as null),
// appended to `out`.
void appendCanonicalBytes(QByteArray &out, const AuditEntry &e, const EntryText &text)
{
    out += '[';
    appendString(out, e.id);
    out += ',';
    appendString(out, e.device_id);
    out += ',';
    out += QByteArray::number(e.seq);
    out += ',';
    appendTextOrNull(out, text.at);
    out += ',';
    appendTextOrNull(out, e.actor_id.value);
    out += ',';
    appendTextOrNull(out, e.role);
    out += ',';
    appendString(out, e.action);
    out += ',';
    appendTextOrNull(out, e.entity);
    out += ',';
    appendTextOrNull(out, e.entity_id);
    out += ',';
    appendTextOrNull(out, e.clinic_id.value);
    out += ',';
    out += text.fields.isEmpty() ? QByteArray("null") : text.fields;
    out += ',';
    appendTextOrNull(out, e.prev_hash);
    out += ']';
}

// The hash of an entry. Every write hashes one, so the text is written into a buffer this
// thread keeps: at most a kilobyte or so, and not allocated again at every write.
QString entryHash(const AuditEntry &e, const EntryText &text)
{
    thread_local QByteArray bytes;
    bytes.resize(0); // keeps what it has allocated
    appendCanonicalBytes(bytes, e, text);
    return sha256Hex(bytes);
}

QString hashOfRow(const Row &row)
{
    return sha256Hex(canonicalBytes(row));
}

// The chain an entry of `clinic` is appended to (see auditlog.h): this desktop's, or on the
// central the clinic's own.
Result<QString> chainFor(const Database &db, const ClinicId &clinic)
{
    auto device = deviceId(db);
    if (!device || db.isSqlite() || clinic.isNull())
        return device;
    return QString(*device + QLatin1Char(':') + clinic.value);
}

// The transaction-scoped advisory lock that serialises the writers of one chain on the central:
// the first 8 bytes of the chain name's SHA-256, the same in every process.
qint64 chainLockKey(const QString &chain)
{
    const QByteArray digest = QCryptographicHash::hash(chain.toUtf8(), QCryptographicHash::Sha256);
    qint64 key = 0;
    for (int i = 0; i < 8; ++i)
        key = qint64((quint64(key) << 8) | quint8(digest.at(i)));
    return key;
}

struct ChainHead
{
    qint64 seq = 0;
    QString hash;
};

Result<ChainHead> chainHead(const Database &db, const QString &device)
{
    auto rows = RecordTable(db, kAuditLog)
                    .select(QStringLiteral("device_id = :device"),
                            {{QStringLiteral("device"), device}}, QStringLiteral("seq DESC"), 1);
    if (!rows)
        return rows.error();
    if (rows->isEmpty())
        return ChainHead{};
    const Row &last = rows->first();
    return ChainHead{qint64(last.value(u"seq").toDouble()), rowText(last, u"hash")};
}

QString describeBreak(const QString &reason, qint64 expectedSeq, qint64 seq)
{
    if (reason == QLatin1String("gap"))
        return expectedSeq + 1 == seq
                   ? QStringLiteral("seq %1 is missing before this entry (deleted)")
                         .arg(expectedSeq)
                   : QStringLiteral("seq %1 to %2 are missing before this entry (deleted)")
                         .arg(expectedSeq)
                         .arg(seq - 1);
    if (reason == QLatin1String("prev_hash"))
        return QStringLiteral("prev_hash does not match the hash of the previous entry "
                              "(an entry before it was altered or replaced)");
    return QStringLiteral("the entry's content does not match its hash (altered)");
}

} // namespace

Row auditEntryRow(const AuditEntry &entry)
{
    Row row;
    row.insert(QStringLiteral("id"), entry.id);
    row.insert(QStringLiteral("device_id"), entry.device_id);
    row.insert(QStringLiteral("seq"), double(entry.seq));
    putInstant(row, QStringLiteral("at"), entry.at);
    putId(row, QStringLiteral("actor_id"), entry.actor_id);
    putText(row, QStringLiteral("role"), entry.role);
    row.insert(QStringLiteral("action"), entry.action);
    putText(row, QStringLiteral("entity"), entry.entity);
    putText(row, QStringLiteral("entity_id"), entry.entity_id);
    putId(row, QStringLiteral("clinic_id"), entry.clinic_id);
    row.insert(QStringLiteral("fields"),
               entry.fields.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(entry.fields));
    putText(row, QStringLiteral("prev_hash"), entry.prev_hash);
    row.insert(QStringLiteral("hash"), entry.hash);
    return row;
}

AuditEntry auditEntryFromRow(const Row &row)
{
    AuditEntry e;
    e.id = rowText(row, u"id");
    e.device_id = rowText(row, u"device_id");
    e.seq = qint64(row.value(u"seq").toDouble());
    e.at = rowInstant(row, u"at").value_or(QDateTime());
    e.actor_id = rowId<UserId>(row, u"actor_id");
    e.role = rowText(row, u"role");
    e.action = rowText(row, u"action");
    e.entity = rowText(row, u"entity");
    e.entity_id = rowText(row, u"entity_id");
    e.clinic_id = rowId<ClinicId>(row, u"clinic_id");
    e.fields = row.value(u"fields").toObject();
    e.prev_hash = rowText(row, u"prev_hash");
    e.hash = rowText(row, u"hash");
    return e;
}

QString auditEntryHash(const AuditEntry &entry)
{
    return entryHash(entry, EntryText(entry));
}

namespace {

Status storeEntry(const Database &db, const AuditEntry &entry, const EntryText &text)
{
    if (!db.isSqlite()) {
        Row row = auditEntryRow(entry);
        row.insert(QStringLiteral("fields"), text.fields.isEmpty()
                                                 ? QJsonValue(QJsonValue::Null)
                                                 : QJsonValue(QJsonDocument::fromJson(text.fields).object()));
        return RecordTable(db, kAuditLog).insert(row);
    }
    // Every write on a desktop appends one: bound straight from the entry (sqlitestatement.h).
    QString error;
    SqliteStatement *insert = SqliteStatement::cached(
        db,
        QStringLiteral("INSERT INTO audit_log (id, device_id, seq, at, actor_id, role, action, "
                       "entity, entity_id, clinic_id, fields, prev_hash, hash) "
                       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"),
        &error);
    if (!insert)
        return Error::storage(error);
    insert->bindText(1, entry.id);
    insert->bindText(2, entry.device_id);
    insert->bindInt64(3, entry.seq);
    insert->bindTextOrNull(4, text.at);
    insert->bindTextOrNull(5, entry.actor_id.value);
    insert->bindTextOrNull(6, entry.role);
    insert->bindText(7, entry.action);
    insert->bindTextOrNull(8, entry.entity);
    insert->bindTextOrNull(9, entry.entity_id);
    insert->bindTextOrNull(10, entry.clinic_id.value);
    if (text.fields.isEmpty())
        insert->bindNull(11);
    else
        insert->bindUtf8(11, text.fields);
    insert->bindTextOrNull(12, entry.prev_hash);
    insert->bindText(13, entry.hash);
    if (!insert->run())
        return sqlError(kAuditLog.toString(), insert->errorText());
    return {};
}

} // namespace

Status storeAuditEntry(const Database &db, const AuditEntry &entry)
{
    return storeEntry(db, entry, EntryText(entry));
}

Status appendAudit(const Database &db, const Principal &actor, const AuditEvent &event)
{
    return appendAudit(db, actor, event, {});
}

Status appendAudit(const Database &db, const Principal &actor, const AuditEvent &event,
                   const QList<QStringView> &changed, const QString &patientId)
{
    if (actor.kind == Principal::Kind::Sync)
        return {};
    const ClinicId clinic = !event.clinic_id.isNull() ? event.clinic_id
                            : actor.isPerson()        ? actor.clinic_id
                                                      : ClinicId();
    // The entry of a write belongs to the write's transaction; on its own it gets one.
    std::optional<Transaction> own;
    if (!inTransaction(db)) {
        own.emplace(db);
        if (!own->started())
            return own->started();
    }
    auto device = chainFor(db, clinic);
    if (!device)
        return device.error();
    // The heads this transaction wrote on a desktop, whose write lock keeps everyone else out:
    // a batch of writes reads each chain's head once. (The central's own functions append to
    // its chains too, so there it is always read.)
    thread_local TransactionScoped<QHash<QString, ChainHead>> written;
    QHash<QString, ChainHead> heads;
    if (const auto *known = db.isSqlite() ? written.find(db) : nullptr)
        heads = *known;
    ChainHead head;
    if (auto it = heads.constFind(*device); it != heads.constEnd()) {
        head = *it;
    } else {
        if (!db.isSqlite()) {
            // Held until the outermost transaction ends, so the next writer reads this one's head.
            if (Status s = execSql(db, QStringLiteral("SELECT pg_advisory_xact_lock(%1)")
                                           .arg(chainLockKey(*device)));
                !s)
                return s;
        }
        auto stored = chainHead(db, *device);
        if (!stored)
            return stored.error();
        head = *stored;
    }

    AuditEntry e;
    e.id = newUuidV7();
    e.device_id = *device;
    e.seq = head.seq + 1;
    e.at = nowUtc();
    if (actor.isPerson()) {
        e.actor_id = actor.user_id;
        e.role = toString(actor.role);
    } else {
        e.role = QStringLiteral("owner");
    }
    e.action = event.action;
    e.entity = event.entity;
    e.entity_id = event.entity_id;
    e.clinic_id = clinic;
    e.fields = event.fields;
    e.prev_hash = head.hash;
    const EntryText text(e, changed, patientId);
    e.hash = entryHash(e, text);
    if (Status s = storeEntry(db, e, text); !s)
        return s;
    if (db.isSqlite()) {
        heads.insert(*device, ChainHead{e.seq, e.hash});
        written.keep(db, std::move(heads));
    }
    return own ? own->commit() : Status{};
}

Result<AuditVerification> verifyAuditLog(const Database &db)
{
    const TableSpec &spec = *tableSpec(kAuditLog);
    QStringList columns;
    for (const ColumnSpec &c : spec.columns)
        columns << c.name.toString();
    // Streamed: the log grows without bound, so it is never held in memory as a whole.
    QSqlQuery q(db.connection());
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT %1 FROM audit_log ORDER BY device_id, seq")
                    .arg(columns.join(QStringLiteral(", ")))))
        return Error::storage(QStringLiteral("reading the audit log: ") + q.lastError().text());

    AuditVerification result;
    QString device;
    bool first = true;
    bool broken = false;
    qint64 expectedSeq = 1;
    QString previousHash;
    while (q.next()) {
        Row row;
        int i = 0;
        for (const ColumnSpec &c : spec.columns)
            row.insert(c.name.toString(), rowValueFromDb(q.value(i++), c.type));
        ++result.checked;
        const QString rowDevice = rowText(row, u"device_id");
        if (first || rowDevice != device) {
            device = rowDevice;
            first = false;
            broken = false;
            expectedSeq = 1;
            previousHash.clear();
        }
        if (broken)
            continue; // only the first break of a chain is named
        const qint64 seq = qint64(row.value(u"seq").toDouble());
        QString reason;
        if (seq != expectedSeq)
            reason = QStringLiteral("gap");
        else if (rowText(row, u"hash") != hashOfRow(row))
            reason = QStringLiteral("hash");
        else if (rowText(row, u"prev_hash") != previousHash)
            reason = QStringLiteral("prev_hash");
        if (!reason.isEmpty()) {
            broken = true;
            result.breaks << AuditBreak{rowText(row, u"id"), device, seq, reason,
                                        describeBreak(reason, expectedSeq, seq)};
            continue;
        }
        expectedSeq = seq + 1;
        previousHash = rowText(row, u"hash");
    }
    return result;
}

Result<QList<AuditEntry>> listAudit(const Database &db, const Principal &actor,
                                    const AuditFilter &filter)
{
    if (Status s = requirePermission(actor, Action::ReadAudit); !s)
        return s.error();
    QStringList where;
    QVariantMap binds;
    if (actor.isPerson()) {
        where << QStringLiteral("clinic_id = :clinic");
        binds.insert(QStringLiteral("clinic"), actor.clinic_id.value);
    }
    if (!filter.patient_id.isNull()) {
        where << (db.isSqlite()
                      ? QStringLiteral("(entity_id = :patient OR "
                                       "json_extract(fields, '$.patient_id') = :patient2)")
                      : QStringLiteral("(entity_id = :patient OR "
                                       "fields->>'patient_id' = :patient2)"));
        binds.insert(QStringLiteral("patient"), filter.patient_id.value);
        binds.insert(QStringLiteral("patient2"), filter.patient_id.value);
    }
    if (!filter.actor_id.isNull()) {
        where << QStringLiteral("actor_id = :actor");
        binds.insert(QStringLiteral("actor"), filter.actor_id.value);
    }
    if (filter.since) {
        where << QStringLiteral("at >= :since");
        binds.insert(QStringLiteral("since"), formatInstant(*filter.since));
    }
    auto rows = RecordTable(db, kAuditLog)
                    .select(where.join(QStringLiteral(" AND ")), binds,
                            QStringLiteral("at DESC, device_id, seq DESC"),
                            filter.limit >= 0 ? filter.limit : -1);
    if (!rows)
        return rows.error();
    QList<AuditEntry> out;
    out.reserve(rows->size());
    for (const Row &r : *rows)
        out << auditEntryFromRow(r);
    return out;
}

} // namespace tmdash
