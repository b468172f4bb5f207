#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

// Small helpers of the sync: paths on GitHub's API, times as GitHub writes them, and the
// documents the sync hands to the ingest.
namespace Tasktrail::Sync {

// One path segment, percent-encoded ("a b" -> "a%20b").
QString segment(const QString &text);
// "owner/name" as two encoded segments.
QString repoPath(const QString &repo);
// A name safe as one file name: anything but [A-Za-z0-9._-] becomes '_'.
QString safeName(const QString &text);

QString rfc3339(const QDateTime &t);
QDateTime parseTime(const QString &text); // invalid for an empty or unreadable text
// The later of two RFC 3339 times; an empty one counts as earliest.
QString laterTime(const QString &a, const QString &b);

QString humanBytes(qint64 bytes);     // "2.1 MB"
QString durationText(qint64 seconds); // "40 s", "3 min", "2 h 5 min"

// The task's head branch: its branch artifact, else its first session's head_ref.
QString taskHeadRef(const QJsonObject &task);
// The id of its pull artifact (GitHub: "GitHub resource ID"), or 0.
qint64 pullArtifactId(const QJsonObject &task);

// Written whole or not at all (QSaveFile), creating the directory.
bool writeDocument(const QString &path, const QByteArray &bytes, QString *error);
// One JSON object per line.
bool writeRecords(const QString &path, const QList<QJsonObject> &records, QString *error);

} // namespace Tasktrail::Sync
