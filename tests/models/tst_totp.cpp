#include "totp.h"

#include <QTest>
#include <QUrl>
#include <QUrlQuery>

using namespace tmdash;

namespace {

// RFC 6238 Appendix B: the SHA-1 seed is the 20 ASCII bytes "12345678901234567890".
const QByteArray kRfcSecret = QByteArrayLiteral("12345678901234567890");
constexpr qint64 kNow = 1111111111; // step 37037037, 1 s into it

} // namespace

class TestTotp : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void rfc6238_data()
    {
        QTest::addColumn<qint64>("time");
        QTest::addColumn<QString>("code");
        QTest::newRow("59") << qint64(59) << "94287082";
        QTest::newRow("1111111109") << qint64(1111111109) << "07081804";
        QTest::newRow("1111111111") << qint64(1111111111) << "14050471";
        QTest::newRow("1234567890") << qint64(1234567890) << "89005924";
        QTest::newRow("2000000000") << qint64(2000000000) << "69279037";
        QTest::newRow("20000000000") << qint64(20000000000) << "65353130";
    }
    void rfc6238()
    {
        QFETCH(qint64, time);
        QFETCH(QString, code);
        QCOMPARE(totpCode(kRfcSecret, time, 8), code);
        // Six digits are the same number modulo 10^6, still zero-padded.
        QCOMPARE(totpCode(kRfcSecret, time), code.right(6));
        QCOMPARE(totpCode(kRfcSecret, time, 6), code.right(6));
    }

    void step_data()
    {
        QTest::addColumn<qint64>("time");
        QTest::addColumn<qint64>("step");
        QTest::newRow("epoch") << qint64(0) << qint64(0);
        QTest::newRow("end of first step") << qint64(29) << qint64(0);
        QTest::newRow("start of second step") << qint64(30) << qint64(1);
        QTest::newRow("59") << qint64(59) << qint64(1);
        QTest::newRow("1111111111") << qint64(1111111111) << qint64(37037037);
        QTest::newRow("one second before epoch") << qint64(-1) << qint64(-1);
        QTest::newRow("-30") << qint64(-30) << qint64(-1);
        QTest::newRow("-31") << qint64(-31) << qint64(-2);
    }
    void step()
    {
        QFETCH(qint64, time);
        QFETCH(qint64, step);
        QCOMPARE(totpStep(time), step);
    }

    // A code made `offset` steps away from now, matched with the default window of one step.
    void window_data()
    {
        QTest::addColumn<int>("offset");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("two steps early") << -2 << false;
        QTest::newRow("one step early") << -1 << true;
        QTest::newRow("current step") << 0 << true;
        QTest::newRow("one step late") << 1 << true;
        QTest::newRow("two steps late") << 2 << false;
    }
    void window()
    {
        QFETCH(int, offset);
        QFETCH(bool, accepted);
        const qint64 codeTime = kNow + offset * kTotpPeriodSeconds;
        const QString code = totpCode(kRfcSecret, codeTime);
        const auto step = matchTotp(kRfcSecret, code, kNow, std::nullopt);
        if (accepted) {
            QVERIFY(step);
            QCOMPARE(*step, totpStep(codeTime));
        } else {
            QVERIFY(!step);
        }
    }
    void windowZeroAcceptsOnlyTheCurrentStep()
    {
        const QString current = totpCode(kRfcSecret, kNow);
        const QString previous = totpCode(kRfcSecret, kNow - kTotpPeriodSeconds);
        QCOMPARE(matchTotp(kRfcSecret, current, kNow, std::nullopt, 0), totpStep(kNow));
        QVERIFY(!matchTotp(kRfcSecret, previous, kNow, std::nullopt, 0));
    }
    void wrongSecretRefused()
    {
        const QString code = totpCode(kRfcSecret, kNow);
        QVERIFY(!matchTotp(QByteArrayLiteral("another secret 12345"), code, kNow, std::nullopt));
    }

    // The code of step (now + codeOffset) presented at `now` after lastUsedStep = now + usedOffset.
    void lastUsedStep_data()
    {
        QTest::addColumn<int>("codeOffset");
        QTest::addColumn<int>("usedOffset");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("reused in its step") << 0 << 0 << false;
        QTest::newRow("after the previous step") << 0 << -1 << true;
        QTest::newRow("after a later step was used") << 0 << 1 << false;
        QTest::newRow("older step than the used one") << -1 << 0 << false;
        QTest::newRow("next step after the used one") << 1 << 0 << true;
        QTest::newRow("long after") << 0 << -1000 << true;
    }
    void lastUsedStep()
    {
        QFETCH(int, codeOffset);
        QFETCH(int, usedOffset);
        QFETCH(bool, accepted);
        const qint64 now = totpStep(kNow);
        const QString code = totpCode(kRfcSecret, kNow + codeOffset * kTotpPeriodSeconds);
        const auto step = matchTotp(kRfcSecret, code, kNow, now + usedOffset);
        if (accepted) {
            QVERIFY(step);
            QCOMPARE(*step, now + codeOffset);
        } else {
            QVERIFY(!step);
        }
    }
    void aCodeIsAcceptedOnce()
    {
        const QString code = totpCode(kRfcSecret, kNow);
        const auto first = matchTotp(kRfcSecret, code, kNow, std::nullopt);
        QVERIFY(first);
        QVERIFY(!matchTotp(kRfcSecret, code, kNow, first));
        QVERIFY(!matchTotp(kRfcSecret, code, kNow + 20, first)); // same step, a bit later
    }

    void codeForm_data()
    {
        const QString code = totpCode(kRfcSecret, kNow); // "050471"
        QTest::addColumn<QString>("given");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("plain") << code << true;
        QTest::newRow("spaces inside and around")
            << QString(u' ' + code.left(3) + u' ' + code.mid(3) + QStringLiteral("\t\n")) << true;
        QTest::newRow("empty") << QString() << false;
        QTest::newRow("five digits") << code.left(5) << false;
        QTest::newRow("seven digits") << QString(code + u'0') << false;
        QTest::newRow("eight digit form") << totpCode(kRfcSecret, kNow, 8) << false;
        QTest::newRow("letter") << QString(code.left(5) + u'a') << false;
        QTest::newRow("dash") << QString(code.left(3) + u'-' + code.mid(3)) << false;
        QTest::newRow("sign") << QString(u'+' + code) << false;
        QString fullWidth;
        for (const QChar c : code)
            fullWidth.append(QChar(char16_t(0xff10 + (c.unicode() - u'0'))));
        QTest::newRow("full-width digits") << fullWidth << false;
    }
    void codeForm()
    {
        QFETCH(QString, given);
        QFETCH(bool, accepted);
        QCOMPARE(matchTotp(kRfcSecret, given, kNow, std::nullopt).has_value(), accepted);
    }

    void base32_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("text");
        // RFC 4648 section 10, without the padding.
        QTest::newRow("empty") << QByteArray() << "";
        QTest::newRow("f") << QByteArray("f") << "MY";
        QTest::newRow("fo") << QByteArray("fo") << "MZXQ";
        QTest::newRow("foo") << QByteArray("foo") << "MZXW6";
        QTest::newRow("foob") << QByteArray("foob") << "MZXW6YQ";
        QTest::newRow("fooba") << QByteArray("fooba") << "MZXW6YTB";
        QTest::newRow("foobar") << QByteArray("foobar") << "MZXW6YTBOI";
        QTest::newRow("rfc 6238 seed") << kRfcSecret << "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
        QTest::newRow("all bits") << QByteArray(5, char(0xff)) << "77777777";
    }
    void base32()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, text);
        QCOMPARE(base32Encode(bytes), text);
        const auto decoded = base32Decode(text);
        QVERIFY(decoded);
        QCOMPARE(*decoded, bytes);
    }

    void decode_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QByteArray>("bytes"); // null: refused
        QTest::newRow("lower case") << "mzxw6ytboi" << QByteArray("foobar");
        QTest::newRow("mixed case") << "MzXw6YtBoI" << QByteArray("foobar");
        QTest::newRow("groups of four") << "mzxw 6ytb oi" << QByteArray("foobar");
        QTest::newRow("dashes") << "MZXW-6YTB-OI" << QByteArray("foobar");
        QTest::newRow("padded") << "MZXW6YTBOI======" << QByteArray("foobar");
        QTest::newRow("padded f") << "MY======" << QByteArray("f");
        QTest::newRow("only spaces") << "   " << QByteArray("");
        QTest::newRow("digit 0") << "MZXW6YTB0I" << QByteArray();
        QTest::newRow("digit 1") << "MZXW6YTB1I" << QByteArray();
        QTest::newRow("digit 8") << "MZXW6YTB8I" << QByteArray();
        QTest::newRow("padding inside") << "MY==MZXQ" << QByteArray();
        QTest::newRow("punctuation") << "MZXW6.YTBOI" << QByteArray();
        QTest::newRow("one symbol left over") << "MZXW6YTBO" << QByteArray();
        QTest::newRow("three symbols") << "MZX" << QByteArray();
        QTest::newRow("six symbols") << "MZXW6Y" << QByteArray();
        QTest::newRow("non-latin letter") << QStringLiteral("MZXW6YTB\u00d6I") << QByteArray();
    }
    void decode()
    {
        QFETCH(QString, text);
        QFETCH(QByteArray, bytes);
        const auto decoded = tmdash::base32Decode(text);
        if (bytes.isNull()) {
            QVERIFY2(!decoded, qPrintable(QString::fromLatin1(decoded.value_or("").toHex())));
        } else {
            QVERIFY(decoded);
            QCOMPARE(*decoded, bytes);
        }
    }

    void newSecrets()
    {
        const QByteArray a = newTotpSecret();
        const QByteArray b = newTotpSecret();
        QCOMPARE(a.size(), 20);
        QCOMPARE(b.size(), 20);
        QVERIFY(a != b);
        QCOMPARE(base32Encode(a).size(), 32);
        QCOMPARE(tmdash::base32Decode(base32Encode(a)).value_or(QByteArray()), a);
        // A fresh secret produces codes its own match accepts.
        QVERIFY(matchTotp(a, totpCode(a, kNow), kNow, std::nullopt));
    }

    void otpauth_data()
    {
        QTest::addColumn<QString>("email");
        QTest::addColumn<QString>("uri");
        QTest::newRow("plus and at") << "alice+totp@example.org"
                                     << "otpauth://totp/TMDash:alice%2Btotp%40example.org"
                                        "?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=TMDash";
        QTest::newRow("space, ampersand, non-ascii")
            << QStringLiteral("j\u00f6rg & co@example.org")
            << "otpauth://totp/TMDash:j%C3%B6rg%20%26%20co%40example.org"
               "?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=TMDash";
    }
    void otpauth()
    {
        QFETCH(QString, email);
        QFETCH(QString, uri);
        const QString made = otpauthUri(email, kRfcSecret);
        QCOMPARE(made, uri);
        // What an authenticator app reads back from it.
        const QUrl url(made);
        QCOMPARE(url.scheme(), QStringLiteral("otpauth"));
        QCOMPARE(url.host(), QStringLiteral("totp"));
        QCOMPARE(url.path(QUrl::FullyDecoded), QString(QStringLiteral("/TMDash:") + email));
        const QUrlQuery query(url);
        QCOMPARE(query.queryItemValue(QStringLiteral("secret")),
                 QStringLiteral("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"));
        QCOMPARE(query.queryItemValue(QStringLiteral("issuer")), QStringLiteral("TMDash"));
    }
};

QTEST_GUILESS_MAIN(TestTotp)
#include "tst_totp.moc"
