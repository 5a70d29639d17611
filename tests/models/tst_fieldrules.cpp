#include "fieldrules.h"

#include <QTest>

using namespace tmdash;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(tmdash::Presence)
Q_DECLARE_METATYPE(tmdash::TextShape)

namespace {

// "field:code" of each error, sorted; an error without a message shows up as a mismatch.
QStringList summary(const FieldErrors &errors)
{
    QStringList out;
    for (const FieldError &e : errors) {
        out << QString(e.field + u':' + e.code);
        if (e.message.trimmed().isEmpty())
            out << u"<no message for %1>"_s.arg(e.field);
    }
    out.sort();
    return out;
}

QString repeated(const QString &unit, qsizetype times)
{
    QString out;
    for (qsizetype i = 0; i < times; ++i)
        out += unit;
    return out;
}

const QString kEmoji = u"\U0001F600"_s; // one code point, two UTF-16 units

} // namespace

class TestFieldRules : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void codePointCount_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<qsizetype>("count");
        QTest::newRow("empty") << QString() << qsizetype(0);
        QTest::newRow("ascii") << u"abc"_s << qsizetype(3);
        QTest::newRow("bmp accents") << u"Núñez"_s << qsizetype(5);
        QTest::newRow("emoji is one") << kEmoji << qsizetype(1);
        QTest::newRow("mixed") << QString(u"a"_s + kEmoji + u"b"_s) << qsizetype(3);
        QTest::newRow("lone high surrogate") << QString(QChar(0xD800)) << qsizetype(1);
    }
    void codePointCount()
    {
        QFETCH(QString, value);
        QFETCH(qsizetype, count);
        QCOMPARE(tmdash::codePointCount(value), count);
    }

    void email_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<Presence>("presence");
        QTest::addColumn<QStringList>("expected");
        const auto R = Presence::Required;
        const auto O = Presence::Optional;
        const QStringList ok;
        const QStringList format{u"email:format"_s};
        QTest::newRow("plain") << u"jane.doe@example.com"_s << R << ok;
        QTest::newRow("plus tag") << u"jane+clinic@mail.example.org"_s << R << ok;
        QTest::newRow("specials") << u"o'brien_j-1@example.co.uk"_s << R << ok;
        QTest::newRow("idn tld") << u"a@example.xn--p1ai"_s << R << ok;
        QTest::newRow("empty required") << QString() << R << QStringList{u"email:required"_s};
        QTest::newRow("blank required") << u"   "_s << R << QStringList{u"email:required"_s};
        QTest::newRow("empty optional") << QString() << O << ok;
        QTest::newRow("no at") << u"jane.example.com"_s << O << format;
        QTest::newRow("two ats") << u"jane@doe@example.com"_s << O << format;
        QTest::newRow("no local") << u"@example.com"_s << O << format;
        QTest::newRow("no dot in domain") << u"jane@localhost"_s << O << format;
        QTest::newRow("leading dot") << u".jane@example.com"_s << O << format;
        QTest::newRow("double dot") << u"jane..doe@example.com"_s << O << format;
        QTest::newRow("space inside") << u"jane doe@example.com"_s << O << format;
        QTest::newRow("surrounding space") << u" jane@example.com"_s << O << format;
        QTest::newRow("label hyphen") << u"jane@-example.com"_s << O << format;
        QTest::newRow("numeric tld") << u"jane@example.123"_s << O << format;
        QTest::newRow("one letter tld") << u"jane@example.c"_s << O << format;
        QTest::newRow("empty label") << u"jane@example..com"_s << O << format;
        QTest::newRow("local 64") << QString(repeated(u"a"_s, 64) + u"@example.com"_s) << O << ok;
        QTest::newRow("local 65") << QString(repeated(u"a"_s, 65) + u"@example.com"_s) << O
                                  << format;
        // 254 characters in all is the longest address; 255 is too long.
        const auto address = [](qsizetype lastLabel) {
            return QString(repeated(u"a"_s, 64) + u'@' + repeated(u"b"_s, 63) + u'.' +
                           repeated(u"c"_s, 63) + u'.' + repeated(u"d"_s, lastLabel) + u".com"_s);
        };
        QTest::newRow("total 254") << address(57) << O << ok;
        QTest::newRow("total 255") << address(58) << O << QStringList{u"email:too_long"_s};
    }
    void email()
    {
        QFETCH(QString, value);
        QFETCH(Presence, presence);
        QFETCH(QStringList, expected);
        FieldErrors errors;
        checkEmail(errors, u"email"_s, value, presence);
        QCOMPARE(summary(errors), expected);
        QCOMPARE(isEmail(value), expected.isEmpty() && !value.isEmpty());
    }

    void normalizePhone_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("callingCode");
        QTest::addColumn<QString>("e164"); // empty: refused
        const QString us = u"1"_s;
        const QString uk = u"44"_s;
        QTest::newRow("nanp parentheses") << u"(555) 123-4567"_s << us << u"+15551234567"_s;
        QTest::newRow("nanp dots") << u"555.123.4567"_s << us << u"+15551234567"_s;
        QTest::newRow("nanp leading 1") << u"1-555-123-4567"_s << us << u"+15551234567"_s;
        QTest::newRow("nanp plain") << u"5551234567"_s << us << u"+15551234567"_s;
        QTest::newRow("nanp 9 digits") << u"555123456"_s << us << u""_s;
        QTest::newRow("nanp 11 not 1") << u"25551234567"_s << us << u""_s;
        QTest::newRow("nanp 7 digits") << u"123-4567"_s << us << u""_s;
        QTest::newRow("plus uk") << u"+44 20 7946 0958"_s << us << u"+442079460958"_s;
        QTest::newRow("00 uk") << u"00 44 20 7946 0958"_s << us << u"+442079460958"_s;
        QTest::newRow("011 uk from nanp") << u"011 44 20 7946 0958"_s << us << u"+442079460958"_s;
        QTest::newRow("uk national trunk 0") << u"020 7946 0958"_s << uk << u"+442079460958"_s;
        QTest::newRow("uk national no trunk") << u"20 7946 0958"_s << uk << u"+442079460958"_s;
        QTest::newRow("italy keeps 0") << u"06 6982 1234"_s << u"39"_s << u"+390669821234"_s;
        QTest::newRow("slash and nbsp") << u"+49\u00A030/1234567"_s << us << u"+49301234567"_s;
        QTest::newRow("plus in parens") << u"(+44) 20 7946 0958"_s << us << u"+442079460958"_s;
        QTest::newRow("surrounding space") << u"  +44 20 7946 0958 "_s << us << u"+442079460958"_s;
        // E.164 length: 8..15 digits after '+'.
        QTest::newRow("7 digits") << u"+4412345"_s << us << u""_s;
        QTest::newRow("8 digits") << u"+44123456"_s << us << u"+44123456"_s;
        QTest::newRow("15 digits") << u"+123456789012345"_s << us << u"+123456789012345"_s;
        QTest::newRow("16 digits") << u"+1234567890123456"_s << us << u""_s;
        QTest::newRow("leading 0 after plus") << u"+0441234567"_s << us << u""_s;
        QTest::newRow("0000 prefix") << u"0000441234567"_s << us << u""_s;
        QTest::newRow("letters") << u"555-CALL-NOW"_s << us << u""_s;
        QTest::newRow("extension") << u"(555) 123-4567 x12"_s << us << u""_s;
        QTest::newRow("plus inside") << u"44+2079460958"_s << us << u""_s;
        QTest::newRow("two pluses") << u"++442079460958"_s << us << u""_s;
        QTest::newRow("other punctuation") << u"555#123#4567"_s << us << u""_s;
        QTest::newRow("arabic digits")
            << u"\u0665\u0665\u0665\u0661\u0662\u0663\u0664\u0665\u0666\u0667"_s << us << u""_s;
        QTest::newRow("empty") << u""_s << us << u""_s;
        QTest::newRow("only separators") << u"( ) - ."_s << us << u""_s;
        QTest::newRow("bad default code") << u"020 7946 0958"_s << u"0"_s << u""_s;
        QTest::newRow("bad default ignored for +")
            << u"+44 20 7946 0958"_s << u"abc"_s << u"+442079460958"_s;
    }
    void normalizePhone()
    {
        QFETCH(QString, input);
        QFETCH(QString, callingCode);
        QFETCH(QString, e164);
        const std::optional<QString> normalized = tmdash::normalizePhone(input, callingCode);
        if (e164.isEmpty()) {
            QVERIFY2(!normalized, qPrintable(normalized.value_or(QString())));
        } else {
            QVERIFY(normalized);
            QCOMPARE(*normalized, e164);
        }

        FieldErrors errors;
        checkPhone(errors, u"phone"_s, input, Presence::Optional, callingCode);
        const QStringList expected = e164.isEmpty() && !input.trimmed().isEmpty()
                                         ? QStringList{u"phone:format"_s}
                                         : QStringList();
        QCOMPARE(summary(errors), expected);
    }
    void normalizePhoneDefaultIsNanp()
    {
        QCOMPARE(tmdash::normalizePhone(u"(555) 123-4567"_s).value_or(QString()),
                 u"+15551234567"_s);
    }
    void phonePresence()
    {
        FieldErrors errors;
        checkPhone(errors, u"phone"_s, u" "_s, Presence::Required);
        checkPhone(errors, u"other"_s, QString(), Presence::Optional);
        QCOMPARE(summary(errors), QStringList{u"phone:required"_s});
    }

    void text_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<Presence>("presence");
        QTest::addColumn<TextShape>("shape");
        QTest::addColumn<QStringList>("expected");
        const auto R = Presence::Required;
        const auto O = Presence::Optional;
        const auto S = TextShape::SingleLine;
        const auto M = TextShape::MultiLine;
        const QStringList ok;
        QTest::newRow("10 of 10") << repeated(u"x"_s, 10) << R << S << ok;
        QTest::newRow("11 of 10") << repeated(u"x"_s, 11) << R << S << QStringList{u"f:too_long"_s};
        QTest::newRow("10 emoji of 10") << repeated(kEmoji, 10) << R << S << ok;
        QTest::newRow("11 emoji of 10")
            << repeated(kEmoji, 11) << R << S << QStringList{u"f:too_long"_s};
        QTest::newRow("empty required") << QString() << R << S << QStringList{u"f:required"_s};
        QTest::newRow("empty optional") << QString() << O << S << ok;
        QTest::newRow("newline single") << u"a\nb"_s << O << S << QStringList{u"f:format"_s};
        QTest::newRow("tab single") << u"a\tb"_s << O << S << QStringList{u"f:format"_s};
        QTest::newRow("line separator single")
            << u"a\u2028b"_s << O << S << QStringList{u"f:format"_s};
        QTest::newRow("newline multi") << u"a\r\nb\tc"_s << O << M << ok;
        QTest::newRow("bell multi") << u"a\u0007b"_s << O << M << QStringList{u"f:format"_s};
        QTest::newRow("too long and control") << QString(repeated(u"x"_s, 11) + u"\u0001"_s) << O
                                              << S << QStringList{u"f:format"_s, u"f:too_long"_s};
    }
    void text()
    {
        QFETCH(QString, value);
        QFETCH(Presence, presence);
        QFETCH(TextShape, shape);
        QFETCH(QStringList, expected);
        FieldErrors errors;
        checkText(errors, u"f"_s, value, presence, 10, shape);
        QCOMPARE(summary(errors), expected);
    }

    void personName_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<Presence>("presence");
        QTest::addColumn<QStringList>("expected");
        const auto R = Presence::Required;
        const auto O = Presence::Optional;
        QTest::newRow("ordinary") << u"María José"_s << R << QStringList();
        QTest::newRow("apostrophe hyphen") << u"O'Brien-Smith"_s << R << QStringList();
        QTest::newRow("cjk") << u"山田"_s << R << QStringList();
        QTest::newRow("100") << repeated(u"a"_s, 100) << R << QStringList();
        QTest::newRow("101") << repeated(u"a"_s, 101) << R << QStringList{u"name:too_long"_s};
        QTest::newRow("100 astral") << repeated(u"\U00020000"_s, 100) << R << QStringList();
        QTest::newRow("101 astral")
            << repeated(u"\U00020000"_s, 101) << R << QStringList{u"name:too_long"_s};
        QTest::newRow("empty required") << QString() << R << QStringList{u"name:required"_s};
        QTest::newRow("spaces required") << u" \t "_s << R << QStringList{u"name:required"_s};
        QTest::newRow("empty optional") << QString() << O << QStringList();
        QTest::newRow("newline") << u"Ann\nLee"_s << R << QStringList{u"name:format"_s};
        QTest::newRow("nul") << QString(u"Ann"_s + QChar(0)) << R << QStringList{u"name:format"_s};
        QTest::newRow("delete char") << u"Ann\u007F"_s << O << QStringList{u"name:format"_s};
    }
    void personName()
    {
        QFETCH(QString, value);
        QFETCH(Presence, presence);
        QFETCH(QStringList, expected);
        FieldErrors errors;
        checkPersonName(errors, u"name"_s, value, presence);
        QCOMPARE(summary(errors), expected);
    }

    void country_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<QStringList>("expected");
        const QStringList format{u"country:format"_s};
        const QStringList unknown{u"country:unknown"_s};
        QTest::newRow("US") << u"US"_s << QStringList();
        QTest::newRow("GB") << u"GB"_s << QStringList();
        QTest::newRow("first AD") << u"AD"_s << QStringList();
        QTest::newRow("last ZW") << u"ZW"_s << QStringList();
        QTest::newRow("SS (2011)") << u"SS"_s << QStringList();
        QTest::newRow("empty optional") << QString() << QStringList();
        QTest::newRow("lower case") << u"us"_s << format;
        QTest::newRow("mixed case") << u"Us"_s << format;
        QTest::newRow("alpha-3") << u"USA"_s << format;
        QTest::newRow("one letter") << u"U"_s << format;
        QTest::newRow("digits") << u"12"_s << format;
        QTest::newRow("fullwidth") << u"ＵＳ"_s << format;
        QTest::newRow("UK reserved") << u"UK"_s << unknown;
        QTest::newRow("EU reserved") << u"EU"_s << unknown;
        QTest::newRow("XK user-assigned") << u"XK"_s << unknown;
        QTest::newRow("AA user-assigned") << u"AA"_s << unknown;
        QTest::newRow("YU withdrawn") << u"YU"_s << unknown;
        QTest::newRow("AN withdrawn") << u"AN"_s << unknown;
    }
    void country()
    {
        QFETCH(QString, value);
        QFETCH(QStringList, expected);
        FieldErrors errors;
        checkCountryCode(errors, u"country"_s, value, Presence::Optional);
        QCOMPARE(summary(errors), expected);
        QCOMPARE(isCountryCode(value), expected.isEmpty() && !value.isEmpty());
    }
    void countryListIsComplete()
    {
        // 249 assigned codes; every other pair of capitals is refused.
        int assigned = 0;
        for (char16_t a = u'A'; a <= u'Z'; ++a)
            for (char16_t b = u'A'; b <= u'Z'; ++b)
                assigned += isCountryCode(QString(QString(QChar(a)) + QChar(b))) ? 1 : 0;
        QCOMPARE(assigned, 249);
    }
    void countryRequired()
    {
        FieldErrors errors;
        checkCountryCode(errors, u"country"_s, QString(), Presence::Required);
        QCOMPARE(summary(errors), QStringList{u"country:required"_s});
    }

    void language_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<bool>("valid");
        QTest::newRow("en") << u"en"_s << true;
        QTest::newRow("es") << u"es"_s << true;
        QTest::newRow("fil 3 letters") << u"fil"_s << true;
        QTest::newRow("pt-BR") << u"pt-BR"_s << true;
        QTest::newRow("pt-br any case") << u"pt-br"_s << true;
        QTest::newRow("zh-Hant") << u"zh-Hant"_s << true;
        QTest::newRow("zh-Hant-TW") << u"zh-Hant-TW"_s << true;
        QTest::newRow("es-419") << u"es-419"_s << true;
        QTest::newRow("de-CH-1996") << u"de-CH-1996"_s << true;
        QTest::newRow("sl-rozaj") << u"sl-rozaj"_s << true;
        QTest::newRow("underscore") << u"pt_BR"_s << false;
        QTest::newRow("one letter") << u"e"_s << false;
        QTest::newRow("word") << u"english"_s << false;
        QTest::newRow("trailing dash") << u"en-"_s << false;
        QTest::newRow("region 3 letters") << u"en-USA"_s << false;
        QTest::newRow("private use") << u"x-klingon"_s << false;
        QTest::newRow("space") << u"en US"_s << false;
        QTest::newRow("digits") << u"12"_s << false;
    }
    void language()
    {
        QFETCH(QString, value);
        QFETCH(bool, valid);
        QCOMPARE(isLanguageTag(value), valid);
        FieldErrors errors;
        checkLanguageTag(errors, u"preferred_language"_s, value, Presence::Required);
        QCOMPARE(summary(errors),
                 valid ? QStringList() : QStringList{u"preferred_language:format"_s});
    }

    void npi_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("CMS example") << u"1234567893"_s << QStringList();
        QTest::newRow("another valid") << u"1245319599"_s << QStringList();
        QTest::newRow("wrong check digit") << u"1234567890"_s << QStringList{u"npi:checksum"_s};
        QTest::newRow("transposed") << u"1234567983"_s << QStringList{u"npi:checksum"_s};
        QTest::newRow("9 digits") << u"123456789"_s << QStringList{u"npi:format"_s};
        QTest::newRow("11 digits") << u"12345678930"_s << QStringList{u"npi:format"_s};
        QTest::newRow("letter") << u"123456789X"_s << QStringList{u"npi:format"_s};
        QTest::newRow("spaces") << u"123 456 7893"_s << QStringList{u"npi:format"_s};
        QTest::newRow("empty required") << QString() << QStringList{u"npi:required"_s};
    }
    void npi()
    {
        QFETCH(QString, value);
        QFETCH(QStringList, expected);
        FieldErrors errors;
        checkNpi(errors, u"npi"_s, value, Presence::Required);
        QCOMPARE(summary(errors), expected);
        QCOMPARE(isNpi(value), expected.isEmpty());
    }
    void npiCheckDigit()
    {
        QCOMPARE(tmdash::npiCheckDigit(u"123456789"), 3);
        QCOMPARE(tmdash::npiCheckDigit(u"124531959"), 9);
        QCOMPARE(tmdash::npiCheckDigit(u"12345678"), -1);
        QCOMPARE(tmdash::npiCheckDigit(u"12345678a"), -1);
        // Exactly one check digit makes each prefix valid.
        for (int d = 0; d <= 9; ++d)
            QCOMPARE(isNpi(QString(u"123456789"_s + QString::number(d))), d == 3);
    }

    void icd10_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<bool>("valid");
        QTest::newRow("I10") << u"I10"_s << true;
        QTest::newRow("E11.9") << u"E11.9"_s << true;
        QTest::newRow("S72.001A") << u"S72.001A"_s << true;
        QTest::newRow("C4A.0") << u"C4A.0"_s << true;
        QTest::newRow("U07.1") << u"U07.1"_s << true;
        QTest::newRow("Z00.00") << u"Z00.00"_s << true;
        QTest::newRow("lower case") << u"e11.9"_s << false;
        QTest::newRow("no dot") << u"E119"_s << false;
        QTest::newRow("trailing dot") << u"E11."_s << false;
        QTest::newRow("5 after dot") << u"S72.001AB"_s << false;
        QTest::newRow("two chars") << u"E1"_s << false;
        QTest::newRow("digit first") << u"111.9"_s << false;
        QTest::newRow("letter second") << u"EE1.9"_s << false;
        QTest::newRow("space") << u"E11 .9"_s << false;
        QTest::newRow("trailing newline") << u"E11.9\n"_s << false;
    }
    void icd10()
    {
        QFETCH(QString, value);
        QFETCH(bool, valid);
        QCOMPARE(isIcd10Code(value), valid);
        FieldErrors errors;
        checkIcd10Code(errors, u"code"_s, value, Presence::Optional);
        QCOMPARE(summary(errors), valid ? QStringList() : QStringList{u"code:format"_s});
    }
    void icd10Presence()
    {
        FieldErrors errors;
        checkIcd10Code(errors, u"a"_s, QString(), Presence::Required);
        checkIcd10Code(errors, u"b"_s, QString(), Presence::Optional);
        QCOMPARE(summary(errors), QStringList{u"a:required"_s});
    }

    void birthDate_data()
    {
        QTest::addColumn<QDate>("today");
        QTest::addColumn<QDate>("value");
        QTest::addColumn<QStringList>("expected");
        const QDate today(2026, 3, 15);
        QTest::newRow("today") << today << today << QStringList();
        QTest::newRow("yesterday") << today << today.addDays(-1) << QStringList();
        QTest::newRow("tomorrow") << today << today.addDays(1)
                                  << QStringList{u"birth_date:future"_s};
        QTest::newRow("exactly 130 years") << today << QDate(1896, 3, 15) << QStringList();
        QTest::newRow("130 years and a day")
            << today << QDate(1896, 3, 14) << QStringList{u"birth_date:too_old"_s};
        // On a leap day, 130 years earlier is a common year: 28 February is the limit.
        const QDate leapToday(2024, 2, 29);
        QTest::newRow("leap limit") << leapToday << QDate(1894, 2, 28) << QStringList();
        QTest::newRow("leap limit minus a day")
            << leapToday << QDate(1894, 2, 27) << QStringList{u"birth_date:too_old"_s};
    }
    void birthDate()
    {
        QFETCH(QDate, today);
        QFETCH(QDate, value);
        QFETCH(QStringList, expected);
        FieldErrors errors;
        checkBirthDate(errors, u"birth_date"_s, value, today, Presence::Required);
        QCOMPARE(summary(errors), expected);
    }
    void birthDatePresence()
    {
        const QDate today(2026, 3, 15);
        FieldErrors errors;
        checkBirthDate(errors, u"a"_s, std::nullopt, today, Presence::Required);
        checkBirthDate(errors, u"b"_s, std::nullopt, today, Presence::Optional);
        checkBirthDate(errors, u"c"_s, QDate(), today, Presence::Optional);
        QCOMPARE(summary(errors), (QStringList{u"a:required"_s, u"c:format"_s}));
    }

    void checksAppendAndKeepEarlierErrors()
    {
        FieldErrors errors{{u"x"_s, u"range"_s, u"kept"_s}};
        checkEmail(errors, u"email"_s, u"nope"_s, Presence::Required);
        checkEmail(errors, u"email2"_s, u"a@example.com"_s, Presence::Required);
        QCOMPARE(summary(errors), (QStringList{u"email:format"_s, u"x:range"_s}));
        QCOMPARE(errors.first().message, u"kept"_s);
    }
    void messagesSayWhatIsExpected()
    {
        FieldErrors errors;
        checkPhone(errors, u"phone"_s, u"12"_s, Presence::Required);
        checkBirthDate(errors, u"birth_date"_s, QDate(2030, 1, 1), QDate(2026, 1, 1),
                       Presence::Required);
        QCOMPARE(errors.size(), 2);
        QVERIFY2(errors[0].message.contains(u"\"12\""), qPrintable(errors[0].message));
        QVERIFY2(errors[0].message.contains(u"+44"), qPrintable(errors[0].message));
        QVERIFY2(errors[1].message.contains(u"2030-01-01"), qPrintable(errors[1].message));
        QVERIFY2(errors[1].message.contains(u"2026-01-01"), qPrintable(errors[1].message));
    }
};

QTEST_GUILESS_MAIN(TestFieldRules)
#include "tst_fieldrules.moc"
