#include "result.h"

namespace tmdash {

Error Error::invalid(FieldErrors errors)
{
    QString message;
    for (const FieldError &e : errors)
        message += (message.isEmpty() ? QString() : QStringLiteral("; ")) + e.field
                   + QStringLiteral(": ") + e.message;
    return {ErrorCode::Invalid, message, std::move(errors)};
}

Error Error::invalid(const QString &field, const QString &code, const QString &message)
{
    return invalid(FieldErrors{{field, code, message}});
}

} // namespace tmdash
