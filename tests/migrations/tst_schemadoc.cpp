#include "database.h"
#include "schema.h"
#include "testsupport.h"

#include <QFile>
#include <QMap>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

using namespace tmdash;

namespace {

// table -> column -> {sqlite type, postgres type}, as docs/schema.md documents them.
using Documented = QMap<QString, QMap<QString, QPair<QString, QString>>>;

Documented parseDoc()
{
    QFile f(test::sourcePath(QStringLiteral("docs/schema.md")));
    if (!f.open(QIODevice::ReadOnly))
        qFatal("docs/schema.md missing");
    Documented out;
    QString table;
    static const QRegularExpression heading(QStringLiteral(R"(^## (\w+)$)"));
    // "—" in a dialect's column: the table does not exist there (desktop-only or central-only).
    static const QRegularExpression row(QStringLiteral(R"(^\| (\w+) \| ([A-Z]+|—) \| ([a-z0-9 ]+|—) \|)"));
    const QStringList lines = QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'));
    for (const QString &line : lines) {
        if (const auto h = heading.match(line); h.hasMatch()) {
            table = h.captured(1);
            continue;
        }
        if (const auto r = row.match(line); r.hasMatch() && !table.isEmpty())
            out[table][r.captured(1)] = {r.captured(2), r.captured(3)};
    }
    return out;
}

QString pgDocType(const QString &informationSchemaType, const QString &columnDefault)
{
    if (informationSchemaType == QLatin1String("timestamp with time zone"))
        return QStringLiteral("timestamptz");
    if (informationSchemaType == QLatin1String("bigint") && columnDefault.startsWith(QLatin1String("nextval")))
        return QStringLiteral("bigserial");
    return informationSchemaType;
}

bool isInternalTable(const QString &name)
{
    return name == QLatin1String("schema_migrations") || name.startsWith(QLatin1String("patient_search"))
           || name.startsWith(QLatin1String("sqlite_"));
}

} // namespace

class TestSchemaDoc : public QObject
{
    Q_OBJECT
private:
    test::DatabaseFactory m_factory{QStringLiteral("schemadoc")};

private Q_SLOTS:
    void docMatchesSqlite()
    {
        const Documented doc = parseDoc();
        Database db = m_factory.create(SqlDialect::Sqlite);
        QSqlQuery tables(db.connection());
        QVERIFY(tables.exec(QStringLiteral("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")));
        QStringList actualTables;
        while (tables.next()) {
            const QString t = tables.value(0).toString();
            if (isInternalTable(t))
                continue;
            actualTables << t;
            QSqlQuery cols(db.connection());
            QVERIFY(cols.exec(QStringLiteral("SELECT name, type FROM pragma_table_info('%1')").arg(t)));
            QMap<QString, QString> actual;
            while (cols.next())
                actual[cols.value(0).toString()] = cols.value(1).toString();
            QVERIFY2(doc.contains(t), qPrintable(t + QStringLiteral(" is not documented")));
            QCOMPARE(doc[t].keys(), actual.keys());
            for (auto it = actual.cbegin(); it != actual.cend(); ++it)
                QCOMPARE(doc[t][it.key()].first, it.value());
        }
        QStringList documented;
        for (auto it = doc.cbegin(); it != doc.cend(); ++it)
            if (!it.value().isEmpty() && it.value().first().first != QStringLiteral("—"))
                documented << it.key();
        documented.removeAll(QStringLiteral("schema_migrations"));
        documented.removeAll(QStringLiteral("patient_search"));
        QCOMPARE(actualTables, documented);
    }

    void docMatchesPostgres()
    {
        if (!m_factory.hasPostgres())
            QSKIP("TMDASH_TEST_PG not set");
        const Documented doc = parseDoc();
        Database db = m_factory.create(SqlDialect::Postgres);
        QSqlQuery q(db.connection());
        QVERIFY(q.exec(QStringLiteral("SELECT table_name, column_name, data_type, coalesce(column_default, '') "
                                      "FROM information_schema.columns WHERE table_schema = 'public' "
                                      "ORDER BY table_name, column_name")));
        QMap<QString, QMap<QString, QString>> actual;
        while (q.next()) {
            const QString t = q.value(0).toString();
            if (isInternalTable(t))
                continue;
            actual[t][q.value(1).toString()] = pgDocType(q.value(2).toString(), q.value(3).toString());
        }
        QStringList documentedCentral;
        for (auto it = doc.cbegin(); it != doc.cend(); ++it)
            if (!it.value().isEmpty() && it.value().first().second != QStringLiteral("—"))
                documentedCentral << it.key();
        QCOMPARE(actual.keys(), documentedCentral);
        for (auto it = actual.cbegin(); it != actual.cend(); ++it) {
            QCOMPARE(doc[it.key()].keys(), it.value().keys());
            for (auto c = it.value().cbegin(); c != it.value().cend(); ++c)
                QCOMPARE(doc[it.key()][c.key()].second, c.value());
        }
    }

    // The table catalogue the stores use agrees with the migrated database.
    void tableSpecsMatchSqlite()
    {
        Database db = m_factory.create(SqlDialect::Sqlite);
        for (const TableSpec &spec : allTableSpecs()) {
            QSqlQuery cols(db.connection());
            QVERIFY(cols.exec(QStringLiteral("SELECT name FROM pragma_table_info('%1')").arg(spec.name.toString())));
            QStringList actual;
            while (cols.next())
                actual << cols.value(0).toString();
            QStringList specified;
            for (const ColumnSpec &c : spec.columns)
                specified << c.name.toString();
            QCOMPARE(specified, actual);
        }
    }
};

QTEST_GUILESS_MAIN(TestSchemaDoc)
#include "tst_schemadoc.moc"
