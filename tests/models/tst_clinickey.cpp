#include "clinickey.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

#include <sys/stat.h>

using namespace tmdash;

namespace {

constexpr auto kOwnerMask = QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner |
                            QFile::ReadGroup | QFile::WriteGroup | QFile::ExeGroup |
                            QFile::ReadOther | QFile::WriteOther | QFile::ExeOther;

QFile::Permissions modeOf(const QString &path)
{
    return QFileInfo(path).permissions() & kOwnerMask;
}

QByteArray randomKey(int size = 32)
{
    QByteArray key(size, Qt::Uninitialized);
    QRandomGenerator::global()->fillRange(reinterpret_cast<quint32 *>(key.data()), size / 4);
    return key;
}

QString base64(const QByteArray &bytes)
{
    return QString::fromLatin1(bytes.toBase64());
}

// A sealed text with one byte of its nonce||ciphertext changed.
QString flipByte(const QString &sealed, qsizetype index)
{
    QByteArray box = QByteArray::fromBase64(sealed.mid(4).toLatin1());
    if (index < 0)
        index += box.size();
    box[index] = char(box.at(index) ^ 0x01);
    return QString(QStringLiteral("sb1:") + base64(box));
}

} // namespace

class TestClinicKey : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<QTemporaryDir> m_root;
    ClinicId m_clinic;

    // A configuration folder that does not exist yet, so that creating it is part of the test.
    QString configDir(const QString &name = QStringLiteral("config")) const
    {
        return m_root->filePath(name + QStringLiteral("/tmdash"));
    }
    void useConfigDir(const QString &dir) { qputenv("TMDASH_CONFIG_DIR", dir.toUtf8()); }

private Q_SLOTS:
    void initTestCase()
    {
        // A permissive umask, so that owner-only modes come from the code, not the environment.
        ::umask(022);
    }
    void init()
    {
        m_root = std::make_unique<QTemporaryDir>();
        QVERIFY(m_root->isValid());
        useConfigDir(configDir());
        m_clinic = newId<ClinicId>();
    }
    void cleanup() { qunsetenv("TMDASH_CONFIG_DIR"); }

    void directory()
    {
        QCOMPARE(clinicKeyDirectory(), configDir());
        QCOMPARE(clinicKeyPath(m_clinic), QString(configDir() + QStringLiteral("/clinic-") +
                                                  m_clinic.value + QStringLiteral(".key")));
        qunsetenv("TMDASH_CONFIG_DIR");
        QCOMPARE(clinicKeyDirectory(),
                 QString(QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) +
                         QStringLiteral("/tmdash")));
    }

    void createdOwnerOnly_data()
    {
        QTest::addColumn<bool>("folderExists");
        QTest::newRow("folder created") << false;
        QTest::newRow("existing open folder tightened") << true;
    }
    void createdOwnerOnly()
    {
        QFETCH(bool, folderExists);
        if (folderExists) {
            QVERIFY(QDir().mkpath(configDir()));
            QVERIFY(QFile::setPermissions(configDir(), QFile::ReadOwner | QFile::WriteOwner |
                                                           QFile::ExeOwner | QFile::ReadGroup |
                                                           QFile::ExeGroup | QFile::ReadOther |
                                                           QFile::ExeOther));
        }
        QVERIFY(!QFileInfo::exists(clinicKeyPath(m_clinic)));
        const auto key = loadOrCreateClinicKey(m_clinic);
        QVERIFY2(key, qPrintable(key.error().message));
        QCOMPARE(key->size(), 32);
        QVERIFY(*key != QByteArray(32, '\0'));
        QCOMPARE(modeOf(clinicKeyPath(m_clinic)), QFile::ReadOwner | QFile::WriteOwner);
        QCOMPARE(modeOf(configDir()), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        // Nothing else left in the folder (no temporary file).
        QCOMPARE(QDir(configDir()).entryList(QDir::Files | QDir::Hidden | QDir::System),
                 QStringList{QFileInfo(clinicKeyPath(m_clinic)).fileName()});

        // Created once, then read back.
        const auto again = loadOrCreateClinicKey(m_clinic);
        QVERIFY(again);
        QCOMPARE(*again, *key);
        const auto loaded = loadClinicKey(m_clinic);
        QVERIFY(loaded);
        QCOMPARE(*loaded, *key);
    }
    void keysDifferPerClinic()
    {
        const auto a = loadOrCreateClinicKey(m_clinic);
        const auto b = loadOrCreateClinicKey(newId<ClinicId>());
        QVERIFY(a && b);
        QVERIFY(*a != *b);
    }

    void missingKey()
    {
        const auto key = loadClinicKey(m_clinic);
        QVERIFY(!key);
        QCOMPARE(key.error().code, ErrorCode::Storage);
        QVERIFY2(key.error().message.contains(QDir::toNativeSeparators(clinicKeyPath(m_clinic))),
                 qPrintable(key.error().message));
        QVERIFY2(key.error().message.contains(QStringLiteral("import")),
                 qPrintable(key.error().message));
        QVERIFY(!QFileInfo::exists(clinicKeyPath(m_clinic))); // loading creates nothing
        const auto exported = exportClinicKey(m_clinic);
        QVERIFY(!exported);
        QCOMPARE(exported.error().code, ErrorCode::Storage);
    }

    void badKeyFile_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("not base64") << QByteArray("this is not a key!\n");
        QTest::newRow("16 bytes") << randomKey(16).toBase64();
        QTest::newRow("36 bytes") << randomKey(36).toBase64();
        QTest::newRow("raw 32 bytes") << QByteArray(32, 'k');
    }
    void badKeyFile()
    {
        QFETCH(QByteArray, content);
        QVERIFY(QDir().mkpath(configDir()));
        QFile file(clinicKeyPath(m_clinic));
        QVERIFY(file.open(QIODevice::WriteOnly));
        QCOMPARE(file.write(content), content.size());
        file.close();
        for (const auto &key : {loadClinicKey(m_clinic), loadOrCreateClinicKey(m_clinic)}) {
            QVERIFY(!key);
            QCOMPARE(key.error().code, ErrorCode::Storage);
            QVERIFY2(key.error().message.contains(clinicKeyPath(m_clinic)),
                     qPrintable(key.error().message));
        }
        // A damaged key is reported, never silently replaced.
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), content);
    }
    void badClinicId()
    {
        const auto key = loadOrCreateClinicKey(ClinicId(QStringLiteral("../../etc/passwd")));
        QVERIFY(!key);
        QCOMPARE(key.error().code, ErrorCode::Invalid);
        QCOMPARE(key.error().fields.value(0).field, QStringLiteral("clinic_id"));
        QVERIFY(!QFileInfo::exists(configDir()));
    }

    void sealOpen_data()
    {
        QTest::addColumn<QByteArray>("plain");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("totp secret") << QByteArrayLiteral("12345678901234567890");
        QTest::newRow("binary with zero bytes") << QByteArray("\0\1\2\0\xff", 5);
        QTest::newRow("4 KiB") << randomKey(4096);
    }
    void sealOpen()
    {
        QFETCH(QByteArray, plain);
        const QByteArray key = randomKey();
        const QString sealed = sealSecret(key, plain);
        QVERIFY(sealed.startsWith(QStringLiteral("sb1:")));
        // nonce (24) + MAC (16) + the text
        QCOMPARE(QByteArray::fromBase64(sealed.mid(4).toLatin1()).size(), 24 + 16 + plain.size());
        const auto opened = openSecret(key, sealed);
        QVERIFY2(opened, qPrintable(opened.error().message));
        QCOMPARE(*opened, plain);
    }
    void nonceDiffersBetweenSeals()
    {
        const QByteArray key = randomKey();
        const QByteArray plain = QByteArrayLiteral("12345678901234567890");
        const QString a = sealSecret(key, plain);
        const QString b = sealSecret(key, plain);
        QVERIFY(a != b);
        const QByteArray boxA = QByteArray::fromBase64(a.mid(4).toLatin1());
        const QByteArray boxB = QByteArray::fromBase64(b.mid(4).toLatin1());
        QVERIFY(boxA.left(24) != boxB.left(24));
        QVERIFY(boxA.mid(24) != boxB.mid(24));
    }
    void sealWithBadKey()
    {
        QVERIFY(sealSecret(randomKey(16), QByteArrayLiteral("secret")).isEmpty());
        QVERIFY(sealSecret(QByteArray(), QByteArrayLiteral("secret")).isEmpty());
    }

    void openRefused_data()
    {
        const QByteArray key = randomKey();
        const QString sealed = sealSecret(key, QByteArrayLiteral("12345678901234567890"));
        QTest::addColumn<QByteArray>("key");
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("opens");
        QTest::newRow("untouched (control)") << key << sealed << true;
        QTest::newRow("nonce byte changed") << key << flipByte(sealed, 0) << false;
        QTest::newRow("MAC byte changed") << key << flipByte(sealed, 24) << false;
        QTest::newRow("last ciphertext byte changed") << key << flipByte(sealed, -1) << false;
        QTest::newRow("wrong key") << randomKey() << sealed << false;
        QTest::newRow("short key") << key.left(16) << sealed << false;
        QTest::newRow("truncated")
            << key
            << QString(QStringLiteral("sb1:") +
                       base64(QByteArray::fromBase64(sealed.mid(4).toLatin1()).chopped(1)))
            << false;
        QTest::newRow("too short for a box")
            << key << QString(QStringLiteral("sb1:") + base64(QByteArray(39, 'x'))) << false;
        QTest::newRow("no prefix") << key << sealed.mid(4) << false;
        QTest::newRow("other version")
            << key << QString(QStringLiteral("sb2:") + sealed.mid(4)) << false;
        QTest::newRow("not base64") << key << QStringLiteral("sb1:not*base64!") << false;
        QTest::newRow("prefix only") << key << QStringLiteral("sb1:") << false;
        QTest::newRow("empty") << key << QString() << false;
        QTest::newRow("plain secret") << key << QStringLiteral("GEZDGNBVGY3TQOJQ") << false;
    }
    void openRefused()
    {
        QFETCH(QByteArray, key);
        QFETCH(QString, text);
        QFETCH(bool, opens);
        const auto opened = openSecret(key, text);
        QCOMPARE(opened.ok(), opens);
        if (!opens) {
            QCOMPARE(opened.error().code, ErrorCode::Integrity);
            QVERIFY(!opened.error().message.isEmpty());
        }
    }

    void exportImportRoundTrip()
    {
        const auto key = loadOrCreateClinicKey(m_clinic);
        QVERIFY(key);
        const auto exported = exportClinicKey(m_clinic);
        QVERIFY(exported);
        QCOMPARE(exported->size(), 44);
        const QString sealed = sealSecret(*key, QByteArrayLiteral("12345678901234567890"));

        // Another desktop of the same clinic.
        useConfigDir(configDir(QStringLiteral("other")));
        QVERIFY(!loadClinicKey(m_clinic));
        const Status imported = importClinicKey(m_clinic, *exported);
        QVERIFY2(imported, qPrintable(imported.error().message));
        QCOMPARE(modeOf(clinicKeyPath(m_clinic)), QFile::ReadOwner | QFile::WriteOwner);
        QCOMPARE(modeOf(configDir(QStringLiteral("other"))),
                 QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        const auto loaded = loadClinicKey(m_clinic);
        QVERIFY(loaded);
        QCOMPARE(*loaded, *key);
        QCOMPARE(openSecret(*loaded, sealed).value(), QByteArrayLiteral("12345678901234567890"));

        // Importing the same key again (with the whitespace of a pasted line) changes nothing.
        const Status again = importClinicKey(m_clinic, QString(u' ' + *exported + u'\n'));
        QVERIFY2(again, qPrintable(again.error().message));
        QCOMPARE(loadClinicKey(m_clinic).value(), *key);
    }

    void importBadKey_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("empty") << QString();
        QTest::newRow("not base64")
            << QStringLiteral("this is not a key, is it? not at all!!!!!!!");
        QTest::newRow("31 bytes") << base64(randomKey(32).left(31));
        QTest::newRow("33 bytes") << base64(randomKey(36).left(33));
        QTest::newRow("hex of 32 bytes") << QString::fromLatin1(randomKey().toHex());
        QTest::newRow("non-latin")
            << QString(QStringLiteral("\u00e9") + base64(randomKey()).mid(1));
    }
    void importBadKey()
    {
        QFETCH(QString, text);
        const Status imported = importClinicKey(m_clinic, text);
        QVERIFY(!imported);
        QCOMPARE(imported.error().code, ErrorCode::Invalid);
        QCOMPARE(imported.error().fields.size(), 1);
        QCOMPARE(imported.error().fields.at(0).field, QStringLiteral("key"));
        QCOMPARE(imported.error().fields.at(0).code, QStringLiteral("format"));
        QVERIFY(!QFileInfo::exists(clinicKeyPath(m_clinic)));
    }
    void importDifferentKeyRefused()
    {
        const auto key = loadOrCreateClinicKey(m_clinic);
        QVERIFY(key);
        QByteArray other = *key;
        other[31] = char(other.at(31) ^ 0x01); // differs in one bit only
        const Status imported = importClinicKey(m_clinic, base64(other));
        QVERIFY(!imported);
        QCOMPARE(imported.error().code, ErrorCode::Invalid);
        QCOMPARE(imported.error().fields.value(0).field, QStringLiteral("key"));
        QCOMPARE(imported.error().fields.value(0).code, QStringLiteral("conflict"));
        QCOMPARE(loadClinicKey(m_clinic).value(), *key);
    }
};

QTEST_GUILESS_MAIN(TestClinicKey)
#include "tst_clinickey.moc"
