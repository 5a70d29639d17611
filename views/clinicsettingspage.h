#pragma once

#include "clinic.h"
#include "database.h"
#include "principal.h"
#include "provider.h"

#include <QList>
#include <QMap>
#include <QTimeZone>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QStackedWidget;

namespace tmdash {

class ProviderAvailabilityEditor;

// The Clinic settings tab (admins). On the left the clinic's settings — name, time zone,
// contact and address, and the business hours of each weekday (open and close as local "HH:MM";
// both blank: closed) — checked by validateClinic as the person types, each message next to the
// field it names, and saved through ClinicStore. On the right the clinic's providers: choose one
// ("provider" combo box) to edit their weekly availability and time off
// (ProviderAvailabilityEditor); each provider's unsaved edits stay while another is shown.
//
// A role that may manage neither the clinic nor providers gets only a message ("notPermitted").
//
// Editors are named after the Clinic fields ("name", "timezone", ...); business hours
// "business_hours.<weekday key>.open" / ".close" with "business_hours.<weekday key>Message";
// "saveClinic" and "clinicMessage".
class ClinicSettingsPage : public QWidget
{
    Q_OBJECT
public:
    ClinicSettingsPage(const Database &db, const Principal &who, QWidget *parent = nullptr);

    bool isPermitted() const { return m_permitted; }
    const Clinic &clinic() const { return m_original; }
    // The message shown for a clinic field, e.g. "business_hours.wednesday" (empty when none).
    QString messageFor(const QString &field) const;
    // The editor of a provider's availability, created when first shown.
    ProviderAvailabilityEditor *providerEditor(const ProviderId &provider);
    // Shows that provider's availability and time off.
    void showProvider(const ProviderId &provider);
    // Whether anything typed here is not saved yet.
    bool isModified() const;

    // Saves the clinic's settings; false (with the messages shown) when refused.
    bool saveClinic();

public Q_SLOTS:
    // The clinic or providers changed elsewhere (sync): re-read what has no unsaved edits here.
    void refresh();

Q_SIGNALS:
    void clinicSaved(const tmdash::Clinic &clinic);
    void providerSaved(const tmdash::Provider &provider);

private:
    struct Field
    {
        QString key;               // a Clinic field, or "business_hours.<day>"
        QLineEdit *edit = nullptr; // null for the time zone and business hours
        QLabel *message = nullptr;
    };
    struct Day
    {
        int weekday = 1;
        QLineEdit *open = nullptr;
        QLineEdit *close = nullptr;
    };

    QWidget *buildClinicForm();
    QWidget *buildProviders();
    void loadClinic(const Clinic &clinic);
    void loadProviders();
    Clinic collect() const;
    void clinicEdited();
    void revalidate();
    QLineEdit *line(const QString &key) const;

    Database m_db;
    Principal m_who;
    bool m_permitted = false;
    bool m_canManageClinic = false;
    bool m_clinicModified = false;
    Clinic m_original;
    QList<Field> m_fields;
    QList<Day> m_days;
    QComboBox *m_timezone = nullptr;
    QLabel *m_clinicMessage = nullptr;
    QPushButton *m_saveClinic = nullptr;
    QMap<QString, QString> m_storeErrors; // from the last refused save, until the next edit
    QString m_failure;

    QComboBox *m_providers = nullptr;
    QStackedWidget *m_providerStack = nullptr;
    QLabel *m_providersMessage = nullptr;
    QMap<QString, ProviderAvailabilityEditor *> m_editors; // by provider id
    QTimeZone m_zone;
};

} // namespace tmdash
