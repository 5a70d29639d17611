#include "patientsortfiltermodel.h"

#include "patienttablemodel.h"

#include <QDate>

namespace tmdash {

PatientSortFilterModel::PatientSortFilterModel(QObject *parent) : QSortFilterProxyModel(parent)
{
    setSortRole(PatientTableModel::SortRole);
    setDynamicSortFilter(true);
}

bool PatientSortFilterModel::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    const QVariant a = left.data(sortRole());
    const QVariant b = right.data(sortRole());
    if (a.metaType().id() == QMetaType::QDate && b.metaType().id() == QMetaType::QDate) {
        const QDate da = a.toDate();
        const QDate db = b.toDate();
        if (da != db) {
            if (!da.isValid() || !db.isValid())
                return !db.isValid(); // without a date: last
            return da < db;
        }
    } else {
        const int order = QString::localeAwareCompare(a.toString(), b.toString());
        if (order != 0)
            return order < 0;
    }
    return left.data(PatientTableModel::PatientIdRole).toString() <
           right.data(PatientTableModel::PatientIdRole).toString();
}

} // namespace tmdash
