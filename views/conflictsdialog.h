#pragma once

#include "database.h"
#include "principal.h"
#include "syncresolution.h"

#include <QDialog>

class QLabel;
class QPushButton;
class QStackedWidget;
class QTableView;

namespace tmdash {

class ConflictsChangeModel;
class ConflictsFieldModel;
class ConflictsModel;
class ConflictsRejectionModel;

// Conflicts and rejections (DESIGN.md, "Sync"): on the left the records with open conflicts
// ("conflictsList") and the changes the central refused ("rejectionsList"); on the right the one
// chosen.
//  - A conflict shows the record's conflicting fields side by side ("conflictFields": this
//    desktop's value, the central's, differences highlighted, and an editable merged value).
//    "Keep local" writes this desktop's values again, "Keep central" keeps the central's,
//    "Keep merged" writes the merged column; each field through SyncResolutionStore::resolve,
//    whose refusal is shown on the field's row with what was typed kept.
//  - A rejection shows the change ("rejectionChange") and the central's reason
//    ("rejectionReason"). "Fix and retry" sends it again with the edited values (the store's
//    errors shown per field); "Discard…" drops it after a confirmation ("confirmDiscard").
// Every action that changed something emits resolved(), so the status bar can count again.
// Actions the person's role may not take on a record are disabled and say why.
class ConflictsDialog : public QDialog
{
    Q_OBJECT
public:
    ConflictsDialog(const Database &db, const Principal &who, QWidget *parent = nullptr);

    ConflictsModel *conflictsModel() const { return m_conflicts; }
    ConflictsFieldModel *fieldModel() const { return m_fields; }
    ConflictsRejectionModel *rejectionsModel() const { return m_rejections; }
    ConflictsChangeModel *changeModel() const { return m_change; }
    // Open conflicts (fields) and rejections shown.
    int openConflictCount() const;
    int rejectionCount() const;

    // Shows a record's conflicts or a rejection (as choosing it in the lists does).
    void showRecord(const QString &recordKey);
    void showRejection(const QString &mutationId);

public Q_SLOTS:
    // Re-reads both lists (after a sync); rows change in place and typed values are kept.
    void refresh();

Q_SIGNALS:
    // A conflict was resolved or a rejection retried or discarded here.
    void resolved();

protected:
    void showEvent(QShowEvent *event) override;

private:
    QWidget *buildConflictPage();
    QWidget *buildRejectionPage();
    void resolveShown(ConflictResolution keep);
    void retryShown();
    void discardShown();
    void selectionChanged();
    void updateConflictPage();
    void updateRejectionPage();
    // "Patient Ada Lovelace (N-1)" and the like; `row` is a refused insert's row when the record
    // is not stored here.
    QString recordLabel(const QString &entity, const QString &entityId,
                        const QJsonObject &row) const;
    // Empty when the person's role may change records of `entity`, else why not.
    QString refusalFor(const QString &entity) const;

    Database m_db;
    Principal m_who;
    ConflictsModel *m_conflicts = nullptr;
    ConflictsFieldModel *m_fields = nullptr;
    ConflictsRejectionModel *m_rejections = nullptr;
    ConflictsChangeModel *m_change = nullptr;
    QTableView *m_conflictsList = nullptr;
    QTableView *m_rejectionsList = nullptr;
    QLabel *m_listMessage = nullptr;
    QStackedWidget *m_detail = nullptr;
    // Conflict page.
    QLabel *m_recordTitle = nullptr;
    QTableView *m_fieldTable = nullptr;
    QLabel *m_conflictMessage = nullptr;
    QPushButton *m_keepLocal = nullptr;
    QPushButton *m_keepCentral = nullptr;
    QPushButton *m_keepMerged = nullptr;
    // Rejection page.
    QLabel *m_rejectionTitle = nullptr;
    QLabel *m_reason = nullptr;
    QTableView *m_changeTable = nullptr;
    QLabel *m_rejectionMessage = nullptr;
    QPushButton *m_retry = nullptr;
    QPushButton *m_discard = nullptr;
    QString m_shownRecord;    // record key on the conflict page
    QString m_shownRejection; // mutation id on the rejection page
    bool m_loaded = false;
    bool m_selecting = false; // while the lists' selection is set from here
};

} // namespace tmdash
