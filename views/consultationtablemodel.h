#pragma once

#include "consultation.h"
#include "database.h"
#include "principal.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>

namespace tmdash {

// One patient's consultation notes over ConsultationStore, newest first: when, who wrote it,
// draft or signed (addenda say so), and the first line of the chief complaint. A patient has
// tens of notes, so the first fetchMore() reads them all; refresh() re-reads and brings the rows
// in step in place (new notes inserted, changed ones as dataChanged, removed drafts removed),
// never a reset.
class ConsultationTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { DateColumn, ProviderColumn, StatusColumn, SummaryColumn, ColumnCount };
    enum Role {
        ConsultationIdRole = Qt::UserRole + 1, // QString, every column
        StatusRole,                            // int(ConsultationStatus), every column
        AmendsIdRole,                          // QString, empty unless an addendum
        StartedAtRole,                         // QDateTime (UTC)
    };

    ConsultationTableModel(const Database &db, const Principal &who, const PatientId &patient,
                           QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

    bool isLoaded() const { return m_loaded; }
    const Consultation &consultationAt(int row) const { return m_rows.at(row); }
    // The row of a note, -1 when it is not listed.
    int rowOf(const ConsultationId &id) const;
    // The listed note with this id, or nullptr.
    const Consultation *find(const ConsultationId &id) const;

    static QString statusName(const Consultation &consultation);

public Q_SLOTS:
    // Re-reads the patient's notes (after a write here, or changes from sync).
    void refresh();

Q_SIGNALS:
    void loadFailed(const QString &message);

private:
    void readProviderNames();

    Database m_db;
    Principal m_who;
    PatientId m_patient;
    QList<Consultation> m_rows;
    QHash<QString, QString> m_providerNames; // provider id -> "Given Family"
    bool m_loaded = false;
    bool m_failed = false;
};

} // namespace tmdash
