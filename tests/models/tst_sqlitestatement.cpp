#include "sqlitestatement.h"
#include "testsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>
#include <QTest>

using namespace tmdash;

// SqliteStatement keeps the buffers it writes a row's JSON into from one run to the next.
class TestSqliteStatement : public QObject
{
    Q_OBJECT

    test::DatabaseFactory m_factory{QStringLiteral("sqlitestatement")};

    static QJsonObject document(int items, const QString &tag)
    {
        QJsonArray list;
        for (int i = 0; i < items; ++i)
            list.append(QStringLiteral("%1-%2").arg(tag).arg(i));
        return QJsonObject{{QStringLiteral("tag"), tag}, {QStringLiteral("items"), list}};
    }

private Q_SLOTS:
    // Documents of every size, two in one row, written one run after another: each stored text
    // is its own document whole, whatever the buffer held before (a longer document, the other
    // column's) and whether it was kept or let go after an unusually large one.
    void everyRunStoresItsOwnDocuments()
    {
        Database db = m_factory.create(SqlDialect::Sqlite, false);
        QSqlQuery create(db.connection());
        QVERIFY(create.exec(QStringLiteral("CREATE TABLE docs (n INTEGER, a TEXT, b TEXT)")));
        QString error;
        SqliteStatement *insert = SqliteStatement::cached(
            db, QStringLiteral("INSERT INTO docs (n, a, b) VALUES (?1, ?2, ?3)"), &error);
        QVERIFY2(insert, qPrintable(error));

        // 3000 items make a document of about 30 KB, 9000 one larger than the buffers kept.
        const QList<int> sizes{40, 3, 3000, 0, 9000, 5, 1, 700};
        QList<QPair<QJsonObject, QJsonObject>> written;
        for (int n = 0; n < sizes.size(); ++n) {
            const QJsonObject a = document(sizes[n], QStringLiteral("a%1").arg(n));
            const QJsonObject b =
                document(sizes[(n + 3) % sizes.size()], QStringLiteral("b%1").arg(n));
            insert->bindInt64(1, n);
            insert->bind(2, a, ColumnType::Json);
            insert->bind(3, b, ColumnType::Json);
            QVERIFY2(insert->run(), qPrintable(insert->errorText()));
            written.append({a, b});
        }

        QSqlQuery read(db.connection());
        QVERIFY(read.exec(QStringLiteral("SELECT n, a, b FROM docs ORDER BY n")));
        int rows = 0;
        while (read.next()) {
            const int n = read.value(0).toInt();
            QCOMPARE(n, rows);
            QCOMPARE(QJsonDocument::fromJson(read.value(1).toString().toUtf8()).object(),
                     written[n].first);
            QCOMPARE(QJsonDocument::fromJson(read.value(2).toString().toUtf8()).object(),
                     written[n].second);
            ++rows;
        }
        QCOMPARE(rows, sizes.size());
    }
};

QTEST_GUILESS_MAIN(TestSqliteStatement)
#include "tst_sqlitestatement.moc"
