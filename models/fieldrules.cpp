#include "fieldrules.h"

#include <QCoreApplication>
#include <QRegularExpression>

#include <string_view>

namespace tmdash {

namespace {

QString text(const char *source)
{
    return QCoreApplication::translate("Validation", source);
}

// The offending value as shown inside a message: quoted, and cut short so that a pasted essay
// does not become the message.
QString shown(const QString &value)
{
    constexpr qsizetype kShownLength = 40;
    if (value.size() <= kShownLength)
        return u'"' + value + u'"';
    return u'"' + value.left(kShownLength) + QStringLiteral("…\"");
}

bool isBlank(const QString &value)
{
    return value.trimmed().isEmpty();
}

// Appends "required" and returns true when the value is empty; the caller then stops checking.
bool missing(FieldErrors &errors, const QString &field, const QString &value, Presence presence)
{
    if (!isBlank(value))
        return false;
    if (presence == Presence::Required)
        errors.append(
            {field, QStringLiteral("required"), text("This field is required; enter a value.")});
    return true;
}

bool isAsciiDigit(QChar c)
{
    return c >= u'0' && c <= u'9';
}

bool isAsciiUpper(QChar c)
{
    return c >= u'A' && c <= u'Z';
}

bool isAsciiLetter(QChar c)
{
    return isAsciiUpper(c) || (c >= u'a' && c <= u'z');
}

bool allDigits(QStringView value)
{
    for (QChar c : value)
        if (!isAsciiDigit(c))
            return false;
    return true;
}

// RFC 5322 atext: the characters of an unquoted local part besides '.'.
bool isAtext(QChar c)
{
    if (isAsciiLetter(c) || isAsciiDigit(c))
        return true;
    static constexpr std::u16string_view specials = u"!#$%&'*+/=?^_`{|}~-";
    return specials.find(c.unicode()) != std::u16string_view::npos;
}

bool isDomainLabel(QStringView label)
{
    if (label.isEmpty() || label.size() > 63 || label.startsWith(u'-') || label.endsWith(u'-'))
        return false;
    for (QChar c : label)
        if (!isAsciiLetter(c) && !isAsciiDigit(c) && c != u'-')
            return false;
    return true;
}

// A country calling code: 1 to 3 digits, the first not 0 (ITU-T E.164 assignments).
bool isCallingCode(QStringView code)
{
    return !code.isEmpty() && code.size() <= 3 && allDigits(code) && code.front() != u'0';
}

// Countries whose national numbers keep their leading 0 after the country code.
bool keepsTrunkZero(QStringView callingCode)
{
    return callingCode == u"39" || callingCode == u"378";
}

// ISO 3166-1 alpha-2, officially assigned codes (249), from the ISO 3166 Maintenance Agency's
// Online Browsing Platform (https://www.iso.org/obp/ui/#search/code/); checked against tzdata's
// iso3166.tab (2024). Sorted, two letters per entry.
constexpr std::string_view kCountryCodes = "ADAEAFAGAIALAMAOAQARASATAUAWAXAZ"
                                           "BABBBDBEBFBGBHBIBJBLBMBNBOBQBRBSBTBVBWBYBZ"
                                           "CACCCDCFCGCHCICKCLCMCNCOCRCUCVCWCXCYCZ"
                                           "DEDJDKDMDODZ"
                                           "ECEEEGEHERESET"
                                           "FIFJFKFMFOFR"
                                           "GAGBGDGEGFGGGHGIGLGMGNGPGQGRGSGTGUGWGY"
                                           "HKHMHNHRHTHU"
                                           "IDIEILIMINIOIQIRISIT"
                                           "JEJMJOJP"
                                           "KEKGKHKIKMKNKPKRKWKYKZ"
                                           "LALBLCLILKLRLSLTLULVLY"
                                           "MAMCMDMEMFMGMHMKMLMMMNMOMPMQMRMSMTMUMVMWMXMYMZ"
                                           "NANCNENFNGNINLNONPNRNUNZ"
                                           "OM"
                                           "PAPEPFPGPHPKPLPMPNPRPSPTPWPY"
                                           "QA"
                                           "RERORSRURW"
                                           "SASBSCSDSESGSHSISJSKSLSMSNSOSRSSSTSVSXSYSZ"
                                           "TCTDTFTGTHTJTKTLTMTNTOTRTTTVTWTZ"
                                           "UAUGUMUSUYUZ"
                                           "VAVCVEVGVIVNVU"
                                           "WFWS"
                                           "YEYT"
                                           "ZAZMZW";
static_assert(kCountryCodes.size() == 2 * 249);

bool isControl(QChar c)
{
    const auto category = c.category();
    return category == QChar::Other_Control || category == QChar::Separator_Line ||
           category == QChar::Separator_Paragraph;
}

bool hasForbiddenControl(const QString &value, TextShape shape)
{
    for (QChar c : value) {
        if (!isControl(c))
            continue;
        if (shape == TextShape::MultiLine && (c == u'\n' || c == u'\r' || c == u'\t'))
            continue;
        return true;
    }
    return false;
}

} // namespace

qsizetype codePointCount(QStringView value)
{
    qsizetype count = 0;
    for (qsizetype i = 0; i < value.size(); ++i) {
        // A surrogate pair is one code point; a lone surrogate still counts as one.
        if (value.at(i).isHighSurrogate() && i + 1 < value.size() &&
            value.at(i + 1).isLowSurrogate())
            ++i;
        ++count;
    }
    return count;
}

bool isEmail(QStringView value)
{
    if (value.isEmpty() || value.size() > kMaxEmailLength)
        return false;
    const qsizetype at = value.indexOf(u'@');
    if (at <= 0 || at != value.lastIndexOf(u'@'))
        return false;
    const QStringView local = value.left(at);
    const QStringView domain = value.mid(at + 1);

    if (local.size() > 64 || local.startsWith(u'.') || local.endsWith(u'.') ||
        local.contains(u".."))
        return false;
    for (QChar c : local)
        if (c != u'.' && !isAtext(c))
            return false;

    if (domain.size() > 253)
        return false;
    const auto labels = domain.split(u'.');
    if (labels.size() < 2)
        return false;
    for (const QStringView label : labels)
        if (!isDomainLabel(label))
            return false;
    const QStringView top = labels.back();
    if (top.startsWith(u"xn--", Qt::CaseInsensitive))
        return top.size() > 4;
    if (top.size() < 2)
        return false;
    for (QChar c : top)
        if (!isAsciiLetter(c))
            return false;
    return true;
}

std::optional<QString> normalizePhone(const QString &input,
                                      const QString &defaultCountryCallingCode)
{
    QString digits;
    bool international = false;
    for (QChar c : input) {
        if (isAsciiDigit(c)) {
            digits.append(c);
        } else if (c == u'+') {
            if (international || !digits.isEmpty())
                return std::nullopt;
            international = true;
        } else if (!(c.isSpace() || c == u'-' || c == u'.' || c == u'(' || c == u')' ||
                     c == u'/')) {
            return std::nullopt;
        }
    }

    QString e164;
    if (international) {
        e164 = digits;
    } else if (digits.startsWith(u"00")) {
        e164 = digits.mid(2);
    } else if (defaultCountryCallingCode == u"1" && digits.startsWith(u"011")) {
        e164 = digits.mid(3);
    } else {
        if (!isCallingCode(defaultCountryCallingCode))
            return std::nullopt;
        QStringView national(digits);
        if (defaultCountryCallingCode == u"1") {
            if (national.size() == 11 && national.startsWith(u'1'))
                national = national.mid(1);
            if (national.size() != 10)
                return std::nullopt;
        } else if (national.startsWith(u'0') && !keepsTrunkZero(defaultCountryCallingCode)) {
            national = national.mid(1);
        }
        e164 = defaultCountryCallingCode + national;
    }

    if (e164.size() < 8 || e164.size() > 15 || e164.startsWith(u'0'))
        return std::nullopt;
    return QString(u'+' + e164);
}

bool isCountryCodeShape(QStringView value)
{
    return value.size() == 2 && isAsciiUpper(value.at(0)) && isAsciiUpper(value.at(1));
}

bool isCountryCode(QStringView value)
{
    if (!isCountryCodeShape(value))
        return false;
    const char first = char(value.at(0).unicode());
    const char second = char(value.at(1).unicode());
    for (std::size_t i = 0; i < kCountryCodes.size(); i += 2)
        if (kCountryCodes[i] == first && kCountryCodes[i + 1] == second)
            return true;
    return false;
}

bool isLanguageTag(QStringView value)
{
    // RFC 5646 langtag without extlang, extensions and private use.
    static const QRegularExpression pattern(QRegularExpression::anchoredPattern(
        QStringLiteral("[A-Za-z]{2,3}"
                       "(?:-[A-Za-z]{4})?"
                       "(?:-(?:[A-Za-z]{2}|[0-9]{3}))?"
                       "(?:-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*")));
    return pattern.match(value).hasMatch();
}

int npiCheckDigit(QStringView firstNine)
{
    if (firstNine.size() != 9 || !allDigits(firstNine))
        return -1;
    // Luhn over "80840" + the nine digits; the doubled positions are every second digit from the
    // right of the payload, since the check digit will be appended after it.
    const QString payload = QStringLiteral("80840") + firstNine;
    int sum = 0;
    bool doubled = true;
    for (qsizetype i = payload.size() - 1; i >= 0; --i) {
        int digit = payload.at(i).unicode() - u'0';
        if (doubled) {
            digit *= 2;
            if (digit > 9)
                digit -= 9;
        }
        sum += digit;
        doubled = !doubled;
    }
    return (10 - sum % 10) % 10;
}

bool isNpi(QStringView value)
{
    if (value.size() != 10 || !allDigits(value))
        return false;
    return npiCheckDigit(value.left(9)) == value.at(9).unicode() - u'0';
}

bool isIcd10Code(QStringView value)
{
    static const QRegularExpression pattern(QRegularExpression::anchoredPattern(
        QStringLiteral("[A-Z][0-9][0-9A-Z](?:\\.[0-9A-Z]{1,4})?")));
    return pattern.match(value).hasMatch();
}

void checkText(FieldErrors &errors, const QString &field, const QString &value, Presence presence,
               qsizetype maxLength, TextShape shape)
{
    if (missing(errors, field, value, presence))
        return;
    const qsizetype length = codePointCount(value);
    if (length > maxLength)
        errors.append(
            {field, QStringLiteral("too_long"),
             text("Too long: %1 characters; at most %2 are allowed.").arg(length).arg(maxLength)});
    if (hasForbiddenControl(value, shape))
        errors.append(
            {field, QStringLiteral("format"),
             shape == TextShape::SingleLine
                 ? text("Contains a line break, tab or other control character; expected a "
                        "single line of text.")
                 : text("Contains a control character; expected text, line breaks and tabs "
                        "only.")});
}

void checkPersonName(FieldErrors &errors, const QString &field, const QString &value,
                     Presence presence)
{
    checkText(errors, field, value, presence, kMaxPersonNameLength, TextShape::SingleLine);
}

void checkEmail(FieldErrors &errors, const QString &field, const QString &value, Presence presence)
{
    if (missing(errors, field, value, presence))
        return;
    if (value.size() > kMaxEmailLength) {
        errors.append({field, QStringLiteral("too_long"),
                       text("An email address of %1 characters is too long; at most %2 are "
                            "allowed.")
                           .arg(value.size())
                           .arg(kMaxEmailLength)});
        return;
    }
    if (!isEmail(value))
        errors.append({field, QStringLiteral("format"),
                       text("%1 is not a valid email address; expected a form such as "
                            "name@example.com.")
                           .arg(shown(value))});
}

void checkPhone(FieldErrors &errors, const QString &field, const QString &value, Presence presence,
                const QString &defaultCountryCallingCode)
{
    if (missing(errors, field, value, presence))
        return;
    if (!normalizePhone(value, defaultCountryCallingCode))
        errors.append({field, QStringLiteral("format"),
                       text("%1 is not a valid phone number; expected an international number "
                            "such as +44 20 7946 0958, or a national number with its area code "
                            "(digits, spaces, - . ( ) only).")
                           .arg(shown(value))});
}

void checkCountryCode(FieldErrors &errors, const QString &field, const QString &value,
                      Presence presence)
{
    if (missing(errors, field, value, presence))
        return;
    if (!isCountryCodeShape(value))
        errors.append({field, QStringLiteral("format"),
                       text("%1 is not a country code; expected two capital letters (ISO 3166-1 "
                            "alpha-2) such as US, GB or DE.")
                           .arg(shown(value))});
    else if (!isCountryCode(value))
        errors.append({field, QStringLiteral("unknown"),
                       text("%1 is not an assigned ISO 3166-1 country code; expected one such as "
                            "US, GB or DE.")
                           .arg(shown(value))});
}

void checkLanguageTag(FieldErrors &errors, const QString &field, const QString &value,
                      Presence presence)
{
    if (missing(errors, field, value, presence))
        return;
    if (!isLanguageTag(value))
        errors.append({field, QStringLiteral("format"),
                       text("%1 is not a language tag; expected a BCP 47 tag such as en, es, "
                            "pt-BR or zh-Hant.")
                           .arg(shown(value))});
}

void checkNpi(FieldErrors &errors, const QString &field, const QString &value, Presence presence)
{
    if (missing(errors, field, value, presence))
        return;
    if (value.size() != 10 || !allDigits(value))
        errors.append({field, QStringLiteral("format"),
                       text("%1 is not an NPI; expected exactly 10 digits.").arg(shown(value))});
    else if (!isNpi(value))
        errors.append({field, QStringLiteral("checksum"),
                       text("NPI %1 has a wrong check digit; check the number for a typing "
                            "error.")
                           .arg(value)});
}

void checkIcd10Code(FieldErrors &errors, const QString &field, const QString &value,
                    Presence presence)
{
    if (missing(errors, field, value, presence))
        return;
    if (!isIcd10Code(value))
        errors.append({field, QStringLiteral("format"),
                       text("%1 is not an ICD-10 code; expected a capital letter, a digit, a "
                            "digit or letter, and optionally a dot and up to 4 more, such as "
                            "I10, E11.9 or S72.001A.")
                           .arg(shown(value))});
}

void checkDate(FieldErrors &errors, const QString &field, const std::optional<QDate> &value,
               Presence presence)
{
    if (!value) {
        if (presence == Presence::Required)
            errors.append(
                {field, QStringLiteral("required"), text("This date is required; enter a date.")});
        return;
    }
    if (!value->isValid())
        errors.append({field, QStringLiteral("format"),
                       text("Not a valid calendar date; expected YYYY-MM-DD.")});
}

void checkBirthDate(FieldErrors &errors, const QString &field, const std::optional<QDate> &value,
                    const QDate &today, Presence presence)
{
    const qsizetype before = errors.size();
    checkDate(errors, field, value, presence);
    if (errors.size() != before || !value)
        return;
    const QDate earliest = today.addYears(-kMaxAgeYears);
    if (*value > today)
        errors.append({field, QStringLiteral("future"),
                       text("Birth date %1 is in the future; expected %2 or earlier.")
                           .arg(value->toString(Qt::ISODate), today.toString(Qt::ISODate))});
    else if (*value < earliest)
        errors.append({field, QStringLiteral("too_old"),
                       text("Birth date %1 is more than %2 years ago; expected %3 or later.")
                           .arg(value->toString(Qt::ISODate))
                           .arg(kMaxAgeYears)
                           .arg(earliest.toString(Qt::ISODate))});
}

} // namespace tmdash
