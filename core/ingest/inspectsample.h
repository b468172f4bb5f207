#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QString>

namespace Tasktrail {

class FileIngest;

// What an Inspect AI log says of the whole evaluation (its EvalSpec, status and revision),
// shared by every sample's task.
struct InspectEval
{
    QString id; // eval_id, else task_id, else run_id: the prefix of every sample's task id
    QString task;
    QString model;
    QString dataset;
    QString repo; // owner/name from revision.origin
    QString commit;
    QString status; // started, success, cancelled, error
    QString error;
    QDateTime created;

    static InspectEval fromLog(const QJsonObject &log);
};

// One EvalSample as one task (docs/transcripts.md, "Inspect AI logs"). `where` names the
// sample in messages ("sample 3", "samples/3_epoch_1.json") and `line` is where it starts in
// the file (0 inside a ZIP). False only on a store error or a cancel.
bool ingestInspectSample(FileIngest &ingest, const InspectEval &eval, const QJsonObject &sample,
                         const QString &where, qint64 line);

} // namespace Tasktrail
