#include "recordtable.h"
#include "testsupport.h"
#include "transaction.h"

#include <QTest>

using namespace tmdash;

class TestTransaction : public QObject
{
    Q_OBJECT
private:
    test::DatabaseFactory m_factory{QStringLiteral("transaction")};

    static Status addSyncState(const Database &db, const QString &key)
    {
        return RecordTable(db, u"sync_state").insert(Row{{QStringLiteral("key"), key}, {QStringLiteral("value"), QStringLiteral("v")}});
    }

private Q_SLOTS:
    void rollsBackUnlessCommitted()
    {
        Database db = m_factory.create(SqlDialect::Sqlite);
        {
            Transaction tx(db);
            QVERIFY(tx.started());
            QVERIFY(addSyncState(db, QStringLiteral("a")));
        }
        QCOMPARE(test::rowCount(db, QStringLiteral("sync_state")), 0);
        {
            Transaction tx(db);
            QVERIFY(addSyncState(db, QStringLiteral("a")));
            QVERIFY(tx.commit());
        }
        QCOMPARE(test::rowCount(db, QStringLiteral("sync_state")), 1);
    }

    // An inner unit that fails rolls back alone; the outer one keeps its own writes.
    void nestedBecomesSavepoint_data() { m_factory.addDialectRows(); }
    void nestedBecomesSavepoint()
    {
        QFETCH(SqlDialect, dialect);
        Database db = m_factory.create(dialect);
        {
            Transaction outer(db);
            test::insertClinic(db, QStringLiteral("Kept"));
            {
                Transaction inner(db);
                QVERIFY(inner.started());
                test::insertClinic(db, QStringLiteral("Dropped"));
            }
            {
                Transaction inner(db);
                test::insertClinic(db, QStringLiteral("Also kept"));
                QVERIFY(inner.commit());
            }
            QVERIFY(outer.commit());
        }
        QCOMPARE(test::rowCount(db, QStringLiteral("clinics")), 2);
        {
            Transaction outer(db);
            {
                Transaction inner(db);
                test::insertClinic(db, QStringLiteral("Gone with the outer"));
                QVERIFY(inner.commit());
            }
        }
        QCOMPARE(test::rowCount(db, QStringLiteral("clinics")), 2);
    }

    // In an all-or-nothing unit the inner units take no savepoints: one that fails fails the
    // whole unit, whose commit reports it and keeps nothing, the inner units' commits included.
    void allOrNothingFailsWhole_data() { m_factory.addDialectRows(); }
    void allOrNothingFailsWhole()
    {
        QFETCH(SqlDialect, dialect);
        Database db = m_factory.create(dialect);
        {
            Transaction outer(db, Transaction::Nesting::AllOrNothing);
            QVERIFY(outer.started());
            {
                Transaction inner(db);
                QVERIFY(inner.started());
                test::insertClinic(db, QStringLiteral("Committed inside"));
                QVERIFY(inner.commit());
            }
            {
                Transaction inner(db);
                test::insertClinic(db, QStringLiteral("Failed inside"));
            }
            // The failed unit's own write is still there until the unit ends: no savepoint
            // undid it.
            QCOMPARE(test::rowCount(db, QStringLiteral("clinics")), 2);
            Transaction late(db);
            QVERIFY(!late.started());
            QVERIFY(late.started().error().message.contains(QStringLiteral("all-or-nothing")));
            const Status committed = outer.commit();
            QVERIFY(!committed);
            QVERIFY(committed.error().message.contains(QStringLiteral("none of it was saved")));
        }
        QCOMPARE(test::rowCount(db, QStringLiteral("clinics")), 0);

        // The mode ends with its unit: the next outer transaction nests savepoints again.
        {
            Transaction outer(db);
            test::insertClinic(db, QStringLiteral("Kept"));
            {
                Transaction inner(db);
                test::insertClinic(db, QStringLiteral("Dropped"));
            }
            QVERIFY(outer.commit());
        }
        QCOMPARE(test::rowCount(db, QStringLiteral("clinics")), 1);

        {
            Transaction outer(db, Transaction::Nesting::AllOrNothing);
            for (const QString &name : {QStringLiteral("One"), QStringLiteral("Two")}) {
                Transaction inner(db);
                test::insertClinic(db, name);
                QVERIFY(inner.commit());
            }
            QVERIFY(outer.commit());
        }
        QCOMPARE(test::rowCount(db, QStringLiteral("clinics")), 3);
    }
};

QTEST_GUILESS_MAIN(TestTransaction)
#include "tst_transaction.moc"
