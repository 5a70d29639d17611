#pragma once

#include <QSize>
#include <QString>
#include <QWidget>

class QComboBox;
class QTableView;

namespace tmdash::test {

// Widget steps the GUI suites share. Each one that can fail records a QtTest failure and returns
// early, as QVERIFY does, so a caller checks QTest::currentTestFailed() where it must stop.

// The child of `parent` with this objectName, or null.
template <class T> T *child(QWidget *parent, const char *name)
{
    return parent->findChild<T *>(QString::fromLatin1(name));
}

// Shows `widget` (resized to `size` when one is given) and waits until it is the active window.
void showAndActivate(QWidget *widget, QSize size = {});
// Clears the QLineEdit named `name` and types `text` into it.
void typeInto(QWidget *parent, const char *name, const QString &text);
// Selects all of the QLineEdit named `name`, deletes it with Backspace and types `text`, as a
// person replacing a value does.
void retypeInto(QWidget *parent, const char *name, const QString &text);
// The text of the QLabel named `name`, or "<no name>" when there is none.
QString labelText(QWidget *parent, const char *name);
// Clicks the enabled button (any QAbstractButton) named `name`.
void clickButton(QWidget *parent, const char *name);
// Clicks the first cell of a table's row.
void clickRow(QTableView *table, int row);
// Edits a table cell as a person does: F2, select all, type, Enter.
void editCell(QTableView *table, int row, int column, const QString &text);
// Walks `combo` with the arrow keys to the item whose data is `data`.
void chooseByKeyboard(QComboBox *combo, const QString &data);
// The same for the QComboBox named `name`.
void chooseByKeyboard(QWidget *parent, const char *name, const QString &data);

} // namespace tmdash::test
