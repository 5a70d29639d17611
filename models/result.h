#pragma once

#include <QList>
#include <QString>

#include <utility>
#include <variant>

namespace tmdash {

// One failing field: `field` is the snake_case field name (dotted path for owned lists,
// e.g. "allergies[0].substance"), `code` a stable machine-readable reason, `message` for people.
struct FieldError
{
    QString field;
    QString code;
    QString message;
    friend bool operator==(const FieldError &, const FieldError &) = default;
};

using FieldErrors = QList<FieldError>;

// The kinds of failure every layer reports; the command line maps them to exit codes.
enum class ErrorCode {
    Invalid,          // bad input; `fields` says which and why (exit 2)
    NotFound,         // absent, or outside the caller's scope (exit 3)
    NotPermitted,     // the role may never do this (exit 4)
    NotAuthenticated, // missing or failed login (exit 4)
    Storage,          // database or server unavailable or failing (exit 5)
    Incompatible,     // schema newer than the program, checksum changed, upgrade required (exit 6)
    Integrity,        // audit chain broken (exit 7)
};

struct Error
{
    ErrorCode code = ErrorCode::Storage;
    QString message;
    FieldErrors fields;

    static Error invalid(FieldErrors errors);
    static Error invalid(const QString &field, const QString &code, const QString &message);
    static Error notFound(const QString &message) { return {ErrorCode::NotFound, message, {}}; }
    static Error notPermitted(const QString &message)
    {
        return {ErrorCode::NotPermitted, message, {}};
    }
    static Error storage(const QString &message) { return {ErrorCode::Storage, message, {}}; }
    static Error incompatible(const QString &message)
    {
        return {ErrorCode::Incompatible, message, {}};
    }
};

// A value or an Error. Every result must be looked at.
template<class T>
class [[nodiscard]] Result
{
public:
    Result(T value) : m_data(std::in_place_index<0>, std::move(value)) {}
    Result(Error error) : m_data(std::in_place_index<1>, std::move(error)) {}

    bool ok() const { return m_data.index() == 0; }
    explicit operator bool() const { return ok(); }
    const T &value() const & { return std::get<0>(m_data); }
    T &value() & { return std::get<0>(m_data); }
    T &&value() && { return std::get<0>(std::move(m_data)); }
    const T &operator*() const & { return value(); }
    const T *operator->() const { return &value(); }
    // The error; on success an empty Storage error, so that building a failure message
    // eagerly (as QVERIFY2 does) is harmless.
    const Error &error() const
    {
        static const Error none;
        return ok() ? none : std::get<1>(m_data);
    }

private:
    std::variant<T, Error> m_data;
};

template<>
class [[nodiscard]] Result<void>
{
public:
    Result() = default;
    Result(Error error) : m_error(std::move(error)), m_ok(false) {}

    bool ok() const { return m_ok; }
    explicit operator bool() const { return m_ok; }
    const Error &error() const { return m_error; }

private:
    Error m_error;
    bool m_ok = true;
};

using Status = Result<void>;

} // namespace tmdash
