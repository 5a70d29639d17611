#include "recoverycodes.h"

#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace tmdash;

namespace {

// A code with the symbols 0 and 1, whose look-alikes o, i and l are read as them.
const QString kFixedCode = QStringLiteral("k7m2-9xqa-4f01");

} // namespace

class TestRecoveryCodes : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void tenDistinctCodesInTheirForm()
    {
        const RecoveryCodes made = newRecoveryCodes();
        QCOMPARE(made.codes.size(), 10);
        QCOMPARE(made.hashes.size(), 10);
        QCOMPARE(QSet<QString>(made.codes.cbegin(), made.codes.cend()).size(), 10);
        QCOMPARE(QSet<QString>(made.hashes.cbegin(), made.hashes.cend()).size(), 10);
        // Crockford base32: no i, l, o or u; 12 symbols of 5 bits = 60 bits.
        static const QRegularExpression form(
            QStringLiteral("^[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}$"));
        for (const QString &code : made.codes)
            QVERIFY2(form.match(code).hasMatch(), qPrintable(code));
        for (const QString &hash : made.hashes) {
            QVERIFY2(hash.startsWith(QStringLiteral("b2$")), qPrintable(hash));
            QCOMPARE(hash.count(u'$'), 2);
            for (const QString &code : made.codes)
                QVERIFY(!hash.contains(code) && !hash.contains(QString(code).remove(u'-')));
        }
        QCOMPARE(newRecoveryCodes(3).codes.size(), 3);
    }
    void codesDifferBetweenCalls()
    {
        const QStringList a = newRecoveryCodes().codes;
        const QStringList b = newRecoveryCodes().codes;
        for (const QString &code : a)
            QVERIFY(!b.contains(code));
    }
    void eachCodeMatchesItsOwnHashOnly()
    {
        const RecoveryCodes made = newRecoveryCodes();
        for (int i = 0; i < made.codes.size(); ++i) {
            QCOMPARE(matchRecoveryCode(made.hashes, made.codes.at(i)), std::optional<int>(i));
            for (int j = 0; j < made.hashes.size(); ++j) {
                if (j != i)
                    QVERIFY(!matchRecoveryCode({made.hashes.at(j)}, made.codes.at(i)));
            }
        }
    }
    void aCodeIsUsedOnce()
    {
        RecoveryCodes made = newRecoveryCodes();
        // The caller's part: remove the matched hash. Every code then works exactly once.
        for (const QString &code : std::as_const(made.codes)) {
            const auto index = matchRecoveryCode(made.hashes, code);
            QVERIFY(index);
            made.hashes.removeAt(*index);
            QVERIFY(!matchRecoveryCode(made.hashes, code));
        }
        QVERIFY(made.hashes.isEmpty());
    }
    void freshSaltEachHash()
    {
        const QString a = hashRecoveryCode(kFixedCode);
        const QString b = hashRecoveryCode(kFixedCode);
        QVERIFY(!a.isEmpty());
        QVERIFY(a != b);
        QCOMPARE(matchRecoveryCode({a}, kFixedCode), std::optional<int>(0));
        QCOMPARE(matchRecoveryCode({b}, kFixedCode), std::optional<int>(0));
    }

    void normalisation_data()
    {
        QTest::addColumn<QString>("given");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("as shown") << kFixedCode << true;
        QTest::newRow("upper case") << kFixedCode.toUpper() << true;
        QTest::newRow("without dashes") << "k7m29xqa4f01" << true;
        QTest::newRow("spaces for dashes") << "k7m2 9xqa 4f01" << true;
        QTest::newRow("spaces around") << "  k7m2-9xqa-4f01 \n" << true;
        QTest::newRow("odd grouping") << "k7-m29x qa4f-01" << true;
        QTest::newRow("o for 0, l for 1") << "k7m2-9xqa-4fol" << true;
        QTest::newRow("O for 0, I for 1") << "K7M2-9XQA-4FOI" << true;
        QTest::newRow("another code") << "k7m2-9xqa-4f02" << false;
        QTest::newRow("one symbol short") << "k7m2-9xqa-4f0" << false;
        QTest::newRow("one symbol more") << "k7m2-9xqa-4f011" << false;
        QTest::newRow("u is not a symbol") << "k7m2-9xqa-4fu1" << false;
        QTest::newRow("punctuation") << "k7m2.9xqa.4f01" << false;
        QTest::newRow("empty") << "" << false;
        QTest::newRow("non-latin") << QStringLiteral("k7m2-9xqa-4f0\u0661") << false;
    }
    void normalisation()
    {
        QFETCH(QString, given);
        QFETCH(bool, accepted);
        const QStringList hashes{hashRecoveryCode(QStringLiteral("zzzz-zzzz-zzzz")),
                                 hashRecoveryCode(kFixedCode)};
        const auto index = matchRecoveryCode(hashes, given);
        if (accepted)
            QCOMPARE(index, std::optional<int>(1));
        else
            QVERIFY(!index);
    }
    void malformedCodeHasNoHash()
    {
        QVERIFY(hashRecoveryCode(u"k7m2-9xqa").isEmpty());
        QVERIFY(hashRecoveryCode(u"").isEmpty());
        QVERIFY(!hashRecoveryCode(u"K7M2 9XQA 4FOL").isEmpty());
    }

    void tamperedHash_data()
    {
        QTest::addColumn<int>("kind");
        QTest::newRow("untouched (control)") << 0;
        QTest::newRow("hash character changed") << 1;
        QTest::newRow("salt character changed") << 2;
        QTest::newRow("other prefix") << 3;
        QTest::newRow("hash truncated") << 4;
        QTest::newRow("hash of another code") << 5;
        QTest::newRow("no separator") << 6;
        QTest::newRow("empty") << 7;
        QTest::newRow("the code itself") << 8;
    }
    void tamperedHash()
    {
        QFETCH(int, kind);
        const QString good = hashRecoveryCode(kFixedCode);
        const auto flip = [](QString s, qsizetype at) {
            s[at] = s.at(at) == u'A' ? u'B' : u'A';
            return s;
        };
        QString stored = good;
        switch (kind) {
        case 1:
            stored = flip(good, good.lastIndexOf(u'$') + 3);
            break;
        case 2:
            stored = flip(good, 4);
            break;
        case 3:
            stored = QString(QStringLiteral("b3") + good.mid(2));
            break;
        case 4:
            stored = good.left(good.size() - 4);
            break;
        case 5:
            stored = hashRecoveryCode(u"k7m2-9xqa-4f02");
            break;
        case 6:
            stored = QString(good).remove(u'$');
            break;
        case 7:
            stored.clear();
            break;
        case 8:
            stored = kFixedCode;
            break;
        default:
            break;
        }
        const auto index = matchRecoveryCode({stored}, kFixedCode);
        if (kind == 0)
            QCOMPARE(index, std::optional<int>(0));
        else
            QVERIFY2(!index, qPrintable(stored));
    }
    void aBadHashDoesNotHideAGoodOne()
    {
        const QStringList hashes{QStringLiteral("garbage"), hashRecoveryCode(kFixedCode)};
        QCOMPARE(matchRecoveryCode(hashes, kFixedCode), std::optional<int>(1));
    }
};

QTEST_GUILESS_MAIN(TestRecoveryCodes)
#include "tst_recoverycodes.moc"
