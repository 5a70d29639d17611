#include "prescription.h"

#include <QCoreApplication>
#include <QStringList>

namespace tmdash {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Validation", text);
}

} // namespace

int dosesPerDay(Frequency frequency)
{
    switch (frequency) {
    case Frequency::Once:
    case Frequency::Qd:
    case Frequency::Qhs:
        return 1;
    case Frequency::Bid:
    case Frequency::Q12h:
        return 2;
    case Frequency::Tid:
    case Frequency::Q8h:
        return 3;
    case Frequency::Qid:
    case Frequency::Q6h:
        return 4;
    case Frequency::Q4h:
        return 6;
    case Frequency::Prn:
        return kPrnMaxDosesPerDay;
    }
    return 1;
}

std::optional<QDate> Prescription::end_date() const
{
    if (!duration_days || !start_date.isValid())
        return std::nullopt;
    return start_date.addDays(*duration_days - 1);
}

bool Prescription::isCurrent() const
{
    return (status == PrescriptionStatus::Active || status == PrescriptionStatus::OnHold) &&
           !meta.isDeleted();
}

PrescriptionStatus targetStatus(PrescriptionAction action)
{
    switch (action) {
    case PrescriptionAction::Hold:
        return PrescriptionStatus::OnHold;
    case PrescriptionAction::Resume:
        return PrescriptionStatus::Active;
    case PrescriptionAction::Complete:
        return PrescriptionStatus::Completed;
    case PrescriptionAction::Cancel:
        return PrescriptionStatus::Cancelled;
    case PrescriptionAction::EnterInError:
        return PrescriptionStatus::EnteredInError;
    }
    return PrescriptionStatus::EnteredInError;
}

bool isTransitionAllowed(PrescriptionStatus from, PrescriptionAction action)
{
    using S = PrescriptionStatus;
    switch (action) {
    case PrescriptionAction::Hold:
        return from == S::Active;
    case PrescriptionAction::Resume:
        return from == S::OnHold;
    case PrescriptionAction::Complete:
    case PrescriptionAction::Cancel:
        return from == S::Active || from == S::OnHold;
    case PrescriptionAction::EnterInError:
        return from != S::EnteredInError;
    }
    return false;
}

QList<PrescriptionAction> allowedActions(PrescriptionStatus from)
{
    QList<PrescriptionAction> out;
    for (const auto &[action, name] : EnumNames<PrescriptionAction>::names) {
        Q_UNUSED(name)
        if (isTransitionAllowed(from, action))
            out << action;
    }
    return out;
}

std::optional<PrescriptionAction> actionBetween(PrescriptionStatus from, PrescriptionStatus to)
{
    for (const auto &[action, name] : EnumNames<PrescriptionAction>::names) {
        Q_UNUSED(name)
        if (targetStatus(action) == to && isTransitionAllowed(from, action))
            return action;
    }
    return std::nullopt;
}

Result<PrescriptionStatus> applyPrescriptionTransition(PrescriptionStatus from,
                                                       PrescriptionAction action)
{
    if (isTransitionAllowed(from, action))
        return targetStatus(action);
    QStringList allowed;
    for (PrescriptionAction a : allowedActions(from))
        allowed << toString(targetStatus(a));
    return Error::invalid(QStringLiteral("status"), QStringLiteral("transition"),
                          tr("A prescription cannot go from \"%1\" to \"%2\"; from \"%1\" it can "
                             "become: %3.")
                              .arg(toString(from), toString(targetStatus(action)),
                                   allowed.isEmpty() ? tr("nothing (the status is final)")
                                                     : allowed.join(QStringLiteral(", "))));
}

} // namespace tmdash
