#include "editablerows.h"

#include <QRegularExpression>

namespace tmdash {

QColor EditableRows::errorBackground()
{
    return QColor(0xfd, 0xe7, 0xe9);
}

QColor EditableRows::problemForeground()
{
    return QColor(0xb0, 0x00, 0x20);
}

Qt::ItemFlags EditableRows::cellFlags(const QAbstractItemModel &model, const QModelIndex &index,
                                      Qt::ItemFlags extra)
{
    if (!index.isValid() ||
        !model.checkIndex(index, QAbstractItemModel::CheckIndexOption::IndexIsValid |
                                     QAbstractItemModel::CheckIndexOption::ParentIsInvalid))
        return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | extra;
}

std::pair<int, QString> RowErrors::splitField(const QString &field, QStringView list)
{
    static const QRegularExpression pattern(QStringLiteral("^([a-z_]+)\\[(\\d+)\\]\\.(\\w+)$"));
    const QRegularExpressionMatch m = pattern.match(field);
    if (!m.hasMatch() || m.captured(1) != list)
        return {-1, {}};
    return {m.captured(2).toInt(), m.captured(3)};
}

QString RowErrors::message(int row, const QString &key) const
{
    return key.isEmpty() ? QString() : m_errors.value(row).value(key);
}

QString RowErrors::messages(int row, const QStringList &keys) const
{
    const QHash<QString, QString> errors = m_errors.value(row);
    QStringList out;
    // In the order given, then anything else the row was refused for.
    for (const QString &key : keys)
        if (errors.contains(key))
            out << errors.value(key);
    for (auto it = errors.constBegin(); it != errors.constEnd(); ++it)
        if (!out.contains(it.value()))
            out << it.value();
    return out.join(QStringLiteral("; "));
}

void RowErrors::removeRow(int row)
{
    QHash<int, QHash<QString, QString>> shifted;
    for (auto it = m_errors.constBegin(); it != m_errors.constEnd(); ++it)
        if (it.key() != row)
            shifted.insert(it.key() > row ? it.key() - 1 : it.key(), it.value());
    m_errors = shifted;
}

QSet<int> RowErrors::replace(const FieldErrors &errors, QStringView list, int rowCount)
{
    QHash<int, QHash<QString, QString>> next;
    for (const FieldError &e : errors) {
        const auto [row, key] = splitField(e.field, list);
        if (row < 0 || row >= rowCount || next.value(row).contains(key))
            continue;
        next[row].insert(key, e.message);
    }
    QSet<int> changed;
    for (auto it = next.constBegin(); it != next.constEnd(); ++it)
        if (m_errors.value(it.key()) != it.value())
            changed.insert(it.key());
    for (auto it = m_errors.constBegin(); it != m_errors.constEnd(); ++it)
        if (!next.contains(it.key()))
            changed.insert(it.key());
    m_errors = next;
    return changed;
}

} // namespace tmdash
