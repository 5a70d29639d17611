#pragma once

#include <QSortFilterProxyModel>

namespace tmdash {

// Sorts a PatientTableModel by the clicked column through its SortRole (case-folded text, dates
// as dates, patients without a birth date last), ties broken by patient id so the order is
// stable. Reads roles only. Sorting applies to the rows loaded so far; until a column is chosen
// the rows keep the store's order (by name).
class PatientSortFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit PatientSortFilterModel(QObject *parent = nullptr);

protected:
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;
};

} // namespace tmdash
