#pragma once

#include "vitals.h"

#include <QChartView>
#include <QPointer>

class QAbstractItemModel;
class QAreaSeries;
class QDateTimeAxis;
class QLineSeries;
class QScatterSeries;
class QValueAxis;

namespace tmdash {

// The trend of one measurement over time, drawn from a VitalsTableModel (through its roles
// only): the values of final records as a line, the normal range of vitalranges.h shaded behind
// it, and abnormal values marked as red points. Redrawn whenever the model changes.
class VitalsTrendChart : public QChartView
{
    Q_OBJECT
public:
    explicit VitalsTrendChart(QWidget *parent = nullptr);

    void setModel(QAbstractItemModel *model);
    void setMeasurement(Measurement m);
    Measurement measurement() const { return m_measurement; }

    QLineSeries *valueSeries() const { return m_values; }
    QScatterSeries *abnormalSeries() const { return m_abnormal; }
    QAreaSeries *normalRangeSeries() const { return m_normalRange; }

private:
    void rebuild();

    QPointer<QAbstractItemModel> m_model;
    Measurement m_measurement = Measurement::SystolicMmHg;
    QLineSeries *m_values = nullptr;
    QScatterSeries *m_abnormal = nullptr;
    QLineSeries *m_normalLow = nullptr;
    QLineSeries *m_normalHigh = nullptr;
    QAreaSeries *m_normalRange = nullptr;
    QDateTimeAxis *m_timeAxis = nullptr;
    QValueAxis *m_valueAxis = nullptr;
};

} // namespace tmdash
