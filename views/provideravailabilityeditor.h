#pragma once

#include "database.h"
#include "principal.h"
#include "provider.h"

#include <QTimeZone>
#include <QWidget>

class QLabel;
class QPushButton;
class QTableView;

namespace tmdash {

class ProviderAvailabilityModel;
class ProviderTimeOffModel;

// One provider's weekly availability and time off, edited in two tables (keyboard: F2 or typing
// edits a cell, Enter commits), with Add and Remove per table and one Save through
// ProviderStore::update. As the person types, validateProvider's messages for the lists are
// shown on the rows they name and Save waits until there are none; the store's refusal is shown
// the same way, and nothing typed is lost. Errors of fields this editor does not edit (an expired
// licence, say) are listed under the tables.
//
// Widgets: "availabilityTable", "addAvailability", "removeAvailability", "timeOffTable",
// "addTimeOff", "removeTimeOff", "saveProvider", "providerMessage".
class ProviderAvailabilityEditor : public QWidget
{
    Q_OBJECT
public:
    ProviderAvailabilityEditor(const Database &db, const Principal &who, const Provider &provider,
                               const QTimeZone &clinicZone, QWidget *parent = nullptr);

    const Provider &provider() const { return m_provider; }
    ProviderAvailabilityModel *availabilityModel() const { return m_availability; }
    ProviderTimeOffModel *timeOffModel() const { return m_timeOff; }
    // Whether there are edits not saved yet.
    bool isModified() const { return m_modified; }

    // Saves the edits; false (with the messages shown) when refused.
    bool save();

Q_SIGNALS:
    void saved(const tmdash::Provider &provider);

private:
    // The provider as edited, with the errors of what cannot be read.
    Provider collect(FieldErrors &errors) const;
    void revalidate();
    void showErrors(const FieldErrors &errors);

    Database m_db;
    Principal m_who;
    Provider m_provider;
    ProviderAvailabilityModel *m_availability = nullptr;
    ProviderTimeOffModel *m_timeOff = nullptr;
    QTableView *m_availabilityTable = nullptr;
    QTableView *m_timeOffTable = nullptr;
    QLabel *m_message = nullptr;
    QPushButton *m_save = nullptr;
    FieldErrors m_storeErrors; // from the last refused save, until the next edit
    QString m_failure;
    bool m_modified = false;
};

} // namespace tmdash
