#include "appointmentrules.h"

#include <QHash>
#include <QTest>

using namespace tmdash;
using namespace Qt::StringLiterals;

namespace {

// The expected machine, written out independently of the implementation: for each status, the
// actions it allows. Everything not listed must be refused.
const QHash<QString, QStringList> &allowedByStatus()
{
    static const QHash<QString, QStringList> table = {
        {QStringLiteral("scheduled"),
         {QStringLiteral("confirm"), QStringLiteral("check_in"), QStringLiteral("no_show"),
          QStringLiteral("cancel"), QStringLiteral("error")}},
        {QStringLiteral("confirmed"),
         {QStringLiteral("check_in"), QStringLiteral("no_show"), QStringLiteral("cancel"),
          QStringLiteral("error")}},
        {QStringLiteral("checked_in"),
         {QStringLiteral("start"), QStringLiteral("cancel"), QStringLiteral("error")}},
        {QStringLiteral("in_progress"), {QStringLiteral("complete"), QStringLiteral("error")}},
        {QStringLiteral("completed"), {QStringLiteral("error")}},
        {QStringLiteral("cancelled"), {QStringLiteral("error")}},
        {QStringLiteral("no_show"), {QStringLiteral("error")}},
        {QStringLiteral("entered_in_error"), {}},
    };
    return table;
}

const QHash<QString, QString> &targetByAction()
{
    static const QHash<QString, QString> table = {
        {QStringLiteral("confirm"), QStringLiteral("confirmed")},
        {QStringLiteral("check_in"), QStringLiteral("checked_in")},
        {QStringLiteral("start"), QStringLiteral("in_progress")},
        {QStringLiteral("complete"), QStringLiteral("completed")},
        {QStringLiteral("no_show"), QStringLiteral("no_show")},
        {QStringLiteral("cancel"), QStringLiteral("cancelled")},
        {QStringLiteral("error"), QStringLiteral("entered_in_error")},
    };
    return table;
}

const QStringList kStatuses = {QStringLiteral("scheduled"),  QStringLiteral("confirmed"),
                               QStringLiteral("checked_in"), QStringLiteral("in_progress"),
                               QStringLiteral("completed"),  QStringLiteral("cancelled"),
                               QStringLiteral("no_show"),    QStringLiteral("entered_in_error")};

const QStringList kActions = {QStringLiteral("confirm"), QStringLiteral("check_in"),
                              QStringLiteral("start"),   QStringLiteral("complete"),
                              QStringLiteral("no_show"), QStringLiteral("cancel"),
                              QStringLiteral("error")};

} // namespace

class TestAppointmentRules : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void enumNamesAreTheStoredNames()
    {
        QCOMPARE(enumNames<AppointmentStatus>(), kStatuses);
        QCOMPARE(enumNames<AppointmentAction>(), kActions);
        QCOMPARE(enumNames<AppointmentType>(),
                 QStringList({QStringLiteral("new_patient"), QStringLiteral("follow_up"),
                              QStringLiteral("annual_physical"), QStringLiteral("urgent"),
                              QStringLiteral("telehealth"), QStringLiteral("procedure")}));
        for (const QString &name : kStatuses)
            QCOMPARE(toString(*enumFromString<AppointmentStatus>(name)), name);
        for (const QString &name : kActions)
            QCOMPARE(toString(*enumFromString<AppointmentAction>(name)), name);
        QVERIFY(!enumFromString<AppointmentStatus>(u"canceled"));
        QVERIFY(!enumFromString<AppointmentAction>(u"entered_in_error"));
    }

    // Every (status, action) pair: 8 x 7 = 56 rows.
    void transitionMatrix_data()
    {
        QTest::addColumn<QString>("from");
        QTest::addColumn<QString>("action");
        QTest::addColumn<QString>("expected"); // the new status, or empty when refused
        for (const QString &from : kStatuses) {
            for (const QString &action : kActions) {
                const bool allowed = allowedByStatus().value(from).contains(action);
                const QString expected = allowed ? targetByAction().value(action) : QString();
                const QByteArray tag =
                    (from + QStringLiteral(" --") + action +
                     (allowed ? QStringLiteral("--> ") + expected : QStringLiteral("--x")))
                        .toUtf8();
                QTest::newRow(tag.constData()) << from << action << expected;
            }
        }
    }
    void transitionMatrix()
    {
        QFETCH(QString, from);
        QFETCH(QString, action);
        QFETCH(QString, expected);
        const AppointmentStatus fromStatus = *enumFromString<AppointmentStatus>(from);
        const AppointmentAction act = *enumFromString<AppointmentAction>(action);

        const auto result = applyTransition(fromStatus, act, QStringLiteral("patient called"));
        QCOMPARE(isTransitionAllowed(fromStatus, act), !expected.isEmpty());
        QCOMPARE(allowedActions(fromStatus).contains(act), !expected.isEmpty());
        if (expected.isEmpty()) {
            QVERIFY(!result.ok());
            QVERIFY(result.error().code == ErrorCode::Invalid);
            QCOMPARE(result.error().fields.size(), 1);
            const FieldError &e = result.error().fields.first();
            QCOMPARE(e.field, QStringLiteral("status"));
            QCOMPARE(e.code, QStringLiteral("transition"));
            // The message names both statuses.
            QVERIFY2(e.message.contains(from), qPrintable(e.message));
            QVERIFY2(e.message.contains(targetByAction().value(action)), qPrintable(e.message));
        } else {
            QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().message));
            QCOMPARE(toString(result.value()), expected);
            QVERIFY(actionBetween(fromStatus, result.value()) == act);
        }
    }

    void cancelNeedsAReason_data()
    {
        QTest::addColumn<QString>("from");
        QTest::addColumn<QString>("reason");
        QTest::addColumn<QString>("field"); // empty: allowed
        QTest::addColumn<QString>("code");
        QTest::newRow("scheduled, reason") << "scheduled"
                                           << "patient is ill"
                                           << ""
                                           << "";
        QTest::newRow("confirmed, reason") << "confirmed"
                                           << "x"
                                           << ""
                                           << "";
        QTest::newRow("checked_in, reason") << "checked_in"
                                            << "left before seen"
                                            << ""
                                            << "";
        QTest::newRow("scheduled, empty") << "scheduled"
                                          << ""
                                          << "cancel_reason"
                                          << "reason_required";
        QTest::newRow("confirmed, blank") << "confirmed"
                                          << "  \t "
                                          << "cancel_reason"
                                          << "reason_required";
        QTest::newRow("checked_in, empty") << "checked_in"
                                           << ""
                                           << "cancel_reason"
                                           << "reason_required";
        // An illegal transition is reported as such, whether or not a reason is given.
        QTest::newRow("completed, empty") << "completed"
                                          << ""
                                          << "status"
                                          << "transition";
        QTest::newRow("in_progress, reason") << "in_progress"
                                             << "late"
                                             << "status"
                                             << "transition";
    }
    void cancelNeedsAReason()
    {
        QFETCH(QString, from);
        QFETCH(QString, reason);
        QFETCH(QString, field);
        QFETCH(QString, code);
        const auto result = applyTransition(*enumFromString<AppointmentStatus>(from),
                                            AppointmentAction::Cancel, reason);
        if (field.isEmpty()) {
            QVERIFY(result.ok());
            QCOMPARE(toString(result.value()), u"cancelled"_s);
        } else {
            QVERIFY(!result.ok());
            QCOMPARE(result.error().fields.size(), 1);
            QCOMPARE(result.error().fields.first().field, field);
            QCOMPARE(result.error().fields.first().code, code);
        }
    }

    void otherActionsIgnoreTheReason()
    {
        const auto result = applyTransition(AppointmentStatus::Scheduled,
                                            AppointmentAction::EnterInError, QString());
        QVERIFY(result.ok());
        QCOMPARE(toString(result.value()), u"entered_in_error"_s);
    }

    void actionBetweenRefusesWhatTheMachineRefuses_data()
    {
        QTest::addColumn<QString>("from");
        QTest::addColumn<QString>("to");
        QTest::addColumn<QString>("action"); // empty: none
        QTest::newRow("cancelled -> completed") << "cancelled"
                                                << "completed"
                                                << "";
        QTest::newRow("completed -> scheduled") << "completed"
                                                << "scheduled"
                                                << "";
        QTest::newRow("scheduled -> scheduled") << "scheduled"
                                                << "scheduled"
                                                << "";
        QTest::newRow("scheduled -> in_progress") << "scheduled"
                                                  << "in_progress"
                                                  << "";
        QTest::newRow("entered_in_error -> entered_in_error") << "entered_in_error"
                                                              << "entered_in_error"
                                                              << "";
        QTest::newRow("confirmed -> checked_in") << "confirmed"
                                                 << "checked_in"
                                                 << "check_in";
        QTest::newRow("no_show -> entered_in_error") << "no_show"
                                                     << "entered_in_error"
                                                     << "error";
    }
    void actionBetweenRefusesWhatTheMachineRefuses()
    {
        QFETCH(QString, from);
        QFETCH(QString, to);
        QFETCH(QString, action);
        const auto found = actionBetween(*enumFromString<AppointmentStatus>(from),
                                         *enumFromString<AppointmentStatus>(to));
        if (action.isEmpty())
            QVERIFY(!found);
        else
            QCOMPARE(toString(*found), action);
    }
};

QTEST_GUILESS_MAIN(TestAppointmentRules)
#include "tst_appointmentrules.moc"
