// Demo data for the report tests: generated with a fixed seed at a small scale, ingested with
// the shipped template and policy files, and checked, as `tasktrail-cli ingest` does.
#pragma once

#include "demo/demogenerator.h"
#include "ingest/ingestor.h"
#include "policy/storedspecs.h"
#include "store/recordstore.h"

#include <QDir>
#include <QString>

namespace ReportTest {

constexpr double demoScale = 0.05;
constexpr quint64 demoSeed = 7;

// Writes the demo under dir/demo and ingests it into dir/demo.db; empty on success.
inline QString buildDemoStore(const QString &dir)
{
    using namespace Tasktrail;
    QString error;
    DemoGenerator generator;
    if (!generator.generate({dir + QStringLiteral("/demo"), demoScale, demoSeed}, &error))
        return error;
    auto store = openStore(dir + QStringLiteral("/demo.db"), &error);
    if (!store)
        return error;
    Ingestor ingestor(*store);
    if (!ingestor.ingest({dir + QStringLiteral("/demo"),
                          QStringLiteral(TASKTRAIL_SOURCE "/resources/policies")}))
        return ingestor.errorString();
    if (!checkAfterIngest(*store, ingestor.touchedTaskIds(), ingestor.newPolicyDocuments(), nullptr,
                          &error))
        return error;
    return {};
}

} // namespace ReportTest
