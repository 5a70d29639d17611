#include "usersadddialog.h"

#include "userstablemodel.h"
#include "userstore.h"
#include "uservalidator.h"

#include <QApplication>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace tmdash {

namespace {

const QString kErrorStyle = QStringLiteral("color: #b00020");
const QString kConfirmation = QStringLiteral("password_confirmation");

} // namespace

UsersAddDialog::UsersAddDialog(const Database &db, const Principal &who, QWidget *parent)
    : QDialog(parent), m_db(db), m_who(who), m_role(new QComboBox(this)),
      m_message(new QLabel(this))
{
    setObjectName(QStringLiteral("usersAddDialog"));
    setWindowTitle(tr("Add user"));

    auto *grid = new QGridLayout;
    const auto place = [this, grid](const QString &label, QWidget *editor, QLabel *message) {
        const int row = grid->rowCount();
        auto *caption = new QLabel(label, this);
        caption->setBuddy(editor);
        grid->addWidget(caption, row, 0);
        grid->addWidget(editor, row, 1);
        if (message)
            grid->addWidget(message, row + 1, 1);
    };
    const auto addLine = [&](const QString &key, const QString &label,
                             const QString &placeholder = {}) {
        Field field;
        field.key = key;
        field.edit = new QLineEdit(this);
        field.edit->setObjectName(key);
        field.edit->setPlaceholderText(placeholder);
        field.edit->setMinimumWidth(280);
        field.message = new QLabel(this);
        field.message->setObjectName(key + QStringLiteral("Message"));
        field.message->setWordWrap(true);
        field.message->setStyleSheet(kErrorStyle);
        field.message->hide();
        place(label, field.edit, field.message);
        connect(field.edit, &QLineEdit::textEdited, this, [this, key] { edited(key); });
        m_fields << field;
        return field.edit;
    };

    addLine(QStringLiteral("email"), tr("&Email *"), tr("name@clinic.example"));
    m_role->setObjectName(QStringLiteral("role"));
    for (Role r : {Role::Staff, Role::Provider, Role::Admin, Role::Patient})
        m_role->addItem(UsersTableModel::roleName(r), toString(r));
    place(tr("&Role"), m_role, nullptr);
    addLine(QStringLiteral("given_name"), tr("&Given name *"));
    addLine(QStringLiteral("family_name"), tr("&Family name *"));
    addLine(QStringLiteral("phone"), tr("P&hone"), tr("e.g. (555) 123-4567"));
    QLineEdit *password = addLine(QStringLiteral("password"), tr("&Password *"),
                                  tr("at least %n characters", "", int(kMinPasswordLength)));
    password->setEchoMode(QLineEdit::Password);
    QLineEdit *again = addLine(kConfirmation, tr("Password &again *"));
    again->setEchoMode(QLineEdit::Password);
    // The confirmation is compared with the password as either changes.
    connect(password, &QLineEdit::textEdited, this, [this] {
        if (!line(kConfirmation)->text().isEmpty())
            edited(kConfirmation);
    });

    m_message->setObjectName(QStringLiteral("message"));
    m_message->setWordWrap(true);
    m_message->setStyleSheet(kErrorStyle);
    m_message->hide();

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    m_save = buttons->button(QDialogButtonBox::Save);
    m_save->setObjectName(QStringLiteral("save"));
    m_save->setText(tr("&Add user"));
    m_save->setDefault(true); // Enter in a field adds (once everything passes)
    buttons->button(QDialogButtonBox::Cancel)->setObjectName(QStringLiteral("cancel"));
    connect(buttons, &QDialogButtonBox::accepted, this, &UsersAddDialog::save);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(grid);
    layout->addWidget(m_message);
    layout->addWidget(buttons);
    revalidate();
    line(QStringLiteral("email"))->setFocus();
}

QLineEdit *UsersAddDialog::line(const QString &key) const
{
    for (const Field &f : m_fields)
        if (f.key == key)
            return f.edit;
    return nullptr;
}

User UsersAddDialog::collect() const
{
    User u;
    u.email = line(QStringLiteral("email"))->text().trimmed();
    u.given_name = line(QStringLiteral("given_name"))->text().trimmed();
    u.family_name = line(QStringLiteral("family_name"))->text().trimmed();
    u.phone = line(QStringLiteral("phone"))->text().trimmed();
    u.role = enumFromString<Role>(m_role->currentData().toString()).value_or(Role::Staff);
    return u;
}

FieldErrors UsersAddDialog::check() const
{
    const User u = collect();
    FieldErrors errors = validateUser(u);
    const QString password = line(QStringLiteral("password"))->text();
    errors << checkPassword(password, u.email);
    if (line(kConfirmation)->text() != password)
        errors << FieldError{kConfirmation, QStringLiteral("mismatch"),
                             tr("The two passwords differ.")};
    return errors;
}

QString UsersAddDialog::messageFor(const QString &field) const
{
    for (const Field &f : m_fields)
        if (f.key == field)
            return f.message->isVisibleTo(this) ? f.message->text() : QString();
    return {};
}

void UsersAddDialog::edited(const QString &key)
{
    for (Field &f : m_fields)
        if (f.key == key)
            f.touched = true;
    m_storeErrors.remove(key);
    m_failure.clear();
    revalidate();
}

void UsersAddDialog::revalidate()
{
    const FieldErrors errors = check();
    QStringList others;
    for (const FieldError &e : errors)
        if (!line(e.field))
            others << e.message;
    for (auto it = m_storeErrors.constBegin(); it != m_storeErrors.constEnd(); ++it)
        if (!line(it.key()))
            others << it.value();
    if (!m_failure.isEmpty())
        others.prepend(m_failure);
    others.removeDuplicates();
    m_message->setText(others.join(QLatin1Char('\n')));
    m_message->setVisible(!others.isEmpty());
    for (Field &f : m_fields) {
        QStringList messages;
        for (const FieldError &e : errors)
            if (e.field == f.key)
                messages << e.message; // a password can break several rules at once
        if (messages.isEmpty() && m_storeErrors.contains(f.key))
            messages << m_storeErrors.value(f.key);
        // An untouched empty form shows no "required" messages; Add says it is incomplete.
        const bool show = !messages.isEmpty() && (f.touched || m_storeErrors.contains(f.key));
        f.message->setText(show ? messages.join(QLatin1Char('\n')) : QString());
        f.message->setVisible(show);
    }
    m_save->setEnabled(errors.isEmpty());
    m_save->setToolTip(errors.isEmpty()
                           ? QString()
                           : tr("Fill in the fields marked * and correct the marked fields."));
}

void UsersAddDialog::save()
{
    if (!check().isEmpty())
        return; // Add is disabled then; Enter in a field must not get around that
    // Hashing the password (Argon2id, interactive limits) takes a moment on purpose.
    QApplication::setOverrideCursor(Qt::WaitCursor);
    auto stored =
        UserStore(m_db, m_who).create(collect(), line(QStringLiteral("password"))->text());
    QApplication::restoreOverrideCursor();
    if (!stored) {
        const Error &error = stored.error();
        m_storeErrors.clear();
        for (const FieldError &e : error.fields)
            if (!m_storeErrors.contains(e.field))
                m_storeErrors.insert(e.field, e.message);
        m_failure = error.fields.isEmpty()
                        ? tr("The user was not added: %1").arg(error.message)
                        : tr("The user was not added: correct the marked fields.");
        revalidate();
        return;
    }
    m_failure.clear();
    m_saved = *stored;
    for (const auto &key : {QStringLiteral("password"), kConfirmation})
        line(key)->clear();
    Q_EMIT saved(m_saved);
    accept();
}

} // namespace tmdash
