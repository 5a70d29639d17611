#include "patientcodec.h"
#include "row.h"
#include "vitalscodec.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include <cstring>
#include <limits>

using namespace tmdash;

namespace {

// A small deterministic generator, so that a failure names a reproducible case.
class Values
{
public:
    explicit Values(quint64 seed) : m_state(seed) {}

    quint64 next()
    {
        m_state = m_state * 6364136223846793005ULL + 1442695040888963407ULL;
        return m_state >> 11;
    }

    // Text that JSON must escape or encode: quotes, backslashes, every control character,
    // Latin-1, CJK, a surrogate pair.
    QString text()
    {
        static const char16_t pool[] = {u'a', u'Z', u'0',    u' ',    u'"',    u'\\',   u'/',
                                        0x01, 0x08,  0x09,   0x0a,    0x0c,    0x0d,    0x1f,
                                        0x7f, 0xe9,  0x00f1, 0x60a3, 0x8005, 0x2028};
        QString out;
        const int n = int(next() % 12);
        for (int i = 0; i < n; ++i) {
            if (next() % 15 == 0)
                out += QString::fromUcs4(U"\U0001F489");
            else
                out += QChar(pool[next() % std::size(pool)]);
        }
        return out;
    }

    double number()
    {
        switch (next() % 6) {
        case 0:
            return double(qint64(next() % 2000001) - 1000000); // whole
        case 1:
            return double(next() % 100000) / 10.0; // one decimal, like a temperature
        case 2:
            return 1e15 * double(next() % 1000); // large and round
        case 3:
            return 9007199254740993.0 * double(next() % 3 + 1); // past exact integers
        case 4: {
            const quint64 bits = next() << 11 | (next() & 0x7ff);
            double d;
            std::memcpy(&d, &bits, sizeof d);
            return std::isfinite(d) ? d : 0.5;
        }
        default:
            return -0.000123456789 * double(next() % 1000 + 1);
        }
    }

    QJsonValue value(int depth)
    {
        switch (next() % (depth > 0 ? 7 : 5)) {
        case 0:
            return QJsonValue::Null;
        case 1:
            return next() % 2 == 0;
        case 2:
            return number();
        case 3:
        case 4:
            return text();
        case 5: {
            QJsonArray array;
            for (int i = int(next() % 4); i > 0; --i)
                array.append(value(depth - 1));
            return array;
        }
        default:
            return object(depth - 1);
        }
    }

    QJsonObject object(int depth)
    {
        QJsonObject out;
        for (int i = int(next() % 8); i > 0; --i)
            out.insert(next() % 3 == 0 ? text() : QStringLiteral("col_%1").arg(next() % 40),
                       value(depth));
        return out;
    }

private:
    quint64 m_state;
};

// The same JSON values. Numbers compare as numbers: QJsonDocument reads a whole number past 2^53
// back as an integer, which QJsonValue's == does not equate with the double it came from (its
// own writer and reader do the same).
bool sameJson(const QJsonValue &a, const QJsonValue &b)
{
    if (a.isDouble() || b.isDouble())
        return a.isDouble() && b.isDouble() && a.toDouble() == b.toDouble();
    if (a.isArray() && b.isArray()) {
        const QJsonArray x = a.toArray(), y = b.toArray();
        if (x.size() != y.size())
            return false;
        for (qsizetype i = 0; i < x.size(); ++i)
            if (!sameJson(x.at(i), y.at(i)))
                return false;
        return true;
    }
    if (a.isObject() && b.isObject()) {
        const QJsonObject x = a.toObject(), y = b.toObject();
        if (x.keys() != y.keys())
            return false;
        for (auto it = x.constBegin(); it != x.constEnd(); ++it)
            if (!sameJson(it.value(), y.value(it.key())))
                return false;
        return true;
    }
    return a == b;
}

} // namespace

class TestRow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // compactJson is what every JSON column holds (the outbox's changes among them): whatever
    // it writes, QJsonDocument reads back as the same values.
    void compactJsonReadsBackTheSame()
    {
        Values values(20261127);
        for (int i = 0; i < 3000; ++i) {
            const QJsonObject object = values.object(3);
            const QByteArray text = compactJson(object);
            QJsonParseError error;
            const QJsonDocument read = QJsonDocument::fromJson(text, &error);
            QVERIFY2(error.error == QJsonParseError::NoError,
                     qPrintable(error.errorString() + QStringLiteral(" in ") + QString::fromUtf8(text)));
            QVERIFY2(read.isObject() && sameJson(read.object(), object), text.constData());
            QVERIFY(!text.contains('\n'));
        }
        const QJsonArray array{1, QStringLiteral("two"), QJsonArray{}, QJsonObject{}};
        QCOMPARE(QJsonDocument::fromJson(compactJson(array)).array(), array);
    }

    void compactJsonWritesNumbersExactly_data()
    {
        QTest::addColumn<double>("number");
        QTest::addColumn<QByteArray>("text");
        QTest::newRow("whole") << 120.0 << QByteArray("120");
        QTest::newRow("negative whole") << -7.0 << QByteArray("-7");
        QTest::newRow("round million") << 1e6 << QByteArray("1000000");
        QTest::newRow("one decimal") << 36.7 << QByteArray("36.7");
        QTest::newRow("shortest") << 0.1 << QByteArray("0.1");
        QTest::newRow("past 2^53") << 1e300 << QByteArray("1e+300");
        QTest::newRow("infinite is null, as QJsonDocument writes it")
            << std::numeric_limits<double>::infinity() << QByteArray("null");
    }
    void compactJsonWritesNumbersExactly()
    {
        QFETCH(double, number);
        QFETCH(QByteArray, text);
        QCOMPARE(compactJson(QJsonArray{number}), QByteArray("[" + text + "]"));
    }

    void compactJsonEscapesLikeJson()
    {
        const QJsonObject object{{QStringLiteral("k\"ey"),
                                  QString(QStringLiteral("a\"b\\c\nd\te") + QChar(0x01)
                                          + QStringLiteral("é"))}};
        QCOMPARE(compactJson(object),
                 QByteArray("{\"k\\\"ey\":\"a\\\"b\\\\c\\nd\\te\\u0001\xc3\xa9\"}"));
    }

    // The blank row holds every column of its table, null; a codec that starts from it must then
    // write every column itself, or a column it forgot would travel as a null (and an update
    // built from it would clear that column). Every field set, every column comes out non-null.
    void blankRowAndTheCodecsBuiltOnIt()
    {
        for (const TableSpec &t : allTableSpecs()) {
            const Row blank = blankRow(t.name);
            QCOMPARE(blank.size(), qsizetype(t.columns.size()));
            for (const ColumnSpec &c : t.columns)
                QVERIFY2(blank.contains(c.name) && blank.value(c.name).isNull(),
                         qPrintable(t.name.toString() + QLatin1Char('.') + c.name.toString()));
        }

        const QDateTime at = QDateTime(QDate(2026, 3, 4), QTime(5, 6, 7), Qt::UTC);
        RecordMeta meta;
        meta.created_at = at;
        meta.created_by = UserId(newUuidV7());
        meta.updated_at = at;
        meta.updated_by = UserId(newUuidV7());
        meta.version = 3;
        meta.deleted_at = at;

        Vitals v;
        v.id = VitalsId(newUuidV7());
        v.clinic_id = ClinicId(newUuidV7());
        v.patient_id = PatientId(newUuidV7());
        v.appointment_id = AppointmentId(newUuidV7());
        v.recorded_at = at;
        v.recorded_by = UserId(newUuidV7());
        for (Measurement m : enteredMeasurements())
            v.setValue(m, 1);
        v.replaces_id = VitalsId(newUuidV7());
        v.meta = meta;

        Patient p;
        p.id = PatientId(newUuidV7());
        p.clinic_id = ClinicId(newUuidV7());
        for (QString *text : {&p.mrn, &p.given_name, &p.middle_name, &p.family_name, &p.phone,
                              &p.email, &p.address_line, &p.city, &p.region, &p.postal_code,
                              &p.country, &p.preferred_language, &p.notes})
            *text = QStringLiteral("x");
        p.birth_date = QDate(1980, 1, 2);
        p.sex = Sex::Female;
        p.user_id = UserId(newUuidV7());
        p.meta = meta;

        for (const auto &[table, row] : {std::pair{QStringLiteral("vitals"), toRow(v)},
                                         std::pair{QStringLiteral("patients"), toRow(p)}}) {
            QCOMPARE(row.size(), qsizetype(tableSpec(table)->columns.size()));
            for (auto it = row.constBegin(); it != row.constEnd(); ++it)
                QVERIFY2(!it.value().isNull(), qPrintable(table + QLatin1Char('.') + it.key()));
        }
    }
};

QTEST_GUILESS_MAIN(TestRow)
#include "tst_row.moc"
