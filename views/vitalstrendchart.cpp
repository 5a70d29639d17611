#include "vitalstrendchart.h"

#include "units.h"
#include "vitalranges.h"
#include "vitalstablemodel.h"

#include <QAbstractItemModel>
#include <QAreaSeries>
#include <QChart>
#include <QDateTimeAxis>
#include <QLineSeries>
#include <QScatterSeries>
#include <QValueAxis>

#include <algorithm>
#include <limits>

namespace tmdash {

namespace {

constexpr qint64 kDayMs = 24 * 3600 * 1000;

} // namespace

VitalsTrendChart::VitalsTrendChart(QWidget *parent)
    : QChartView(parent), m_values(new QLineSeries), m_abnormal(new QScatterSeries),
      m_normalLow(new QLineSeries), m_normalHigh(new QLineSeries),
      m_normalRange(new QAreaSeries(m_normalHigh, m_normalLow)), m_timeAxis(new QDateTimeAxis),
      m_valueAxis(new QValueAxis)
{
    setObjectName(QStringLiteral("vitalsChart"));
    setRenderHint(QPainter::Antialiasing);
    // The area series draws its bounds but does not own them.
    m_normalLow->setParent(m_normalRange);
    m_normalHigh->setParent(m_normalRange);

    auto *chart = new QChart;
    chart->legend()->setAlignment(Qt::AlignBottom);
    m_normalRange->setName(tr("Normal range"));
    m_normalRange->setColor(QColor(46, 160, 67, 60));
    m_normalRange->setBorderColor(QColor(46, 160, 67, 120));
    m_values->setPointsVisible(true);
    m_values->setColor(QColor(0x1f, 0x5f, 0xa8));
    m_abnormal->setName(tr("Abnormal"));
    m_abnormal->setColor(QColor(0xb0, 0x00, 0x20));
    m_abnormal->setBorderColor(QColor(0xb0, 0x00, 0x20));
    m_abnormal->setMarkerSize(11);
    chart->addSeries(m_normalRange); // behind the values
    chart->addSeries(m_values);
    chart->addSeries(m_abnormal);

    m_timeAxis->setFormat(QStringLiteral("yyyy-MM-dd"));
    m_timeAxis->setTickCount(5);
    m_timeAxis->setTitleText(tr("Date"));
    chart->addAxis(m_timeAxis, Qt::AlignBottom);
    chart->addAxis(m_valueAxis, Qt::AlignLeft);
    for (QAbstractSeries *series :
         {static_cast<QAbstractSeries *>(m_normalRange), static_cast<QAbstractSeries *>(m_values),
          static_cast<QAbstractSeries *>(m_abnormal)}) {
        series->attachAxis(m_timeAxis);
        series->attachAxis(m_valueAxis);
    }
    setChart(chart);
    rebuild();
}

void VitalsTrendChart::setModel(QAbstractItemModel *model)
{
    if (m_model)
        disconnect(m_model, nullptr, this, nullptr);
    m_model = model;
    if (model) {
        connect(model, &QAbstractItemModel::modelReset, this, &VitalsTrendChart::rebuild);
        connect(model, &QAbstractItemModel::rowsInserted, this, &VitalsTrendChart::rebuild);
        connect(model, &QAbstractItemModel::rowsRemoved, this, &VitalsTrendChart::rebuild);
        connect(model, &QAbstractItemModel::rowsMoved, this, &VitalsTrendChart::rebuild);
        connect(model, &QAbstractItemModel::layoutChanged, this, &VitalsTrendChart::rebuild);
        connect(model, &QAbstractItemModel::dataChanged, this, &VitalsTrendChart::rebuild);
    }
    rebuild();
}

void VitalsTrendChart::setMeasurement(Measurement m)
{
    m_measurement = m;
    rebuild();
}

void VitalsTrendChart::rebuild()
{
    QList<QPointF> points;
    QList<QPointF> abnormal;
    if (m_model) {
        const int column = VitalsTableModel::columnOf(m_measurement);
        for (int row = 0; row < m_model->rowCount(); ++row) {
            const QModelIndex index = m_model->index(row, column);
            // An entered-in-error record is no part of the trend.
            if (index.data(VitalsTableModel::StatusRole).toInt() != int(VitalsStatus::Final))
                continue;
            const QVariant value = index.data(VitalsTableModel::ValueRole);
            if (!value.isValid())
                continue;
            const QPointF point(
                double(
                    index.data(VitalsTableModel::RecordedAtRole).toDateTime().toMSecsSinceEpoch()),
                value.toDouble());
            points << point;
            const QVariant flag = index.data(VitalsTableModel::FlagRole);
            if (flag.isValid() && flag.toInt() != int(Flag::Normal))
                abnormal << point;
        }
    }
    const auto byTime = [](const QPointF &a, const QPointF &b) { return a.x() < b.x(); };
    std::sort(points.begin(), points.end(), byTime);
    std::sort(abnormal.begin(), abnormal.end(), byTime);

    const VitalRange &range = vitalRange(m_measurement);
    double low = std::numeric_limits<double>::max();
    double high = std::numeric_limits<double>::lowest();
    for (const QPointF &p : std::as_const(points)) {
        low = std::min(low, p.y());
        high = std::max(high, p.y());
    }
    for (const std::optional<double> &bound : {range.normal_low, range.normal_high}) {
        if (!bound)
            continue;
        low = std::min(low, *bound);
        high = std::max(high, *bound);
    }
    if (low > high) { // neither values nor a normal range: the possible range
        low = range.reject_min.value_or(0);
        high = range.reject_max.value_or(low + 10);
    }
    const double pad = std::max((high - low) * 0.1, 1.0);
    low -= pad;
    high += pad;

    qint64 first = 0;
    qint64 last = 0;
    if (points.isEmpty()) {
        last = QDateTime::currentMSecsSinceEpoch();
        first = last - 7 * kDayMs;
    } else {
        first = qint64(points.constFirst().x());
        last = qint64(points.constLast().x());
        const qint64 margin = std::max((last - first) / 20, kDayMs / 2);
        first -= margin;
        last += margin;
    }

    const double bandLow = range.normal_low.value_or(low);
    const double bandHigh = range.normal_high.value_or(high);
    m_normalLow->replace({QPointF(double(first), bandLow), QPointF(double(last), bandLow)});
    m_normalHigh->replace({QPointF(double(first), bandHigh), QPointF(double(last), bandHigh)});
    m_normalRange->setVisible(range.normal_low || range.normal_high);
    m_values->replace(points);
    m_abnormal->replace(abnormal);
    m_values->setName(VitalsTableModel::measurementName(m_measurement));
    m_timeAxis->setRange(QDateTime::fromMSecsSinceEpoch(first),
                         QDateTime::fromMSecsSinceEpoch(last));
    m_valueAxis->setRange(low, high);
    m_valueAxis->applyNiceNumbers();
    const QString unit = displayUnit(m_measurement);
    m_valueAxis->setTitleText(unit);
    const QString name = VitalsTableModel::measurementName(m_measurement);
    chart()->setTitle(points.isEmpty() ? tr("%1: nothing recorded yet").arg(name) : name);
}

} // namespace tmdash
