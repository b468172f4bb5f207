#include "demopolicies.h"

#include "policy/policyloader.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Tasktrail::Demo {
namespace {

// qt_add_resources in core/CMakeLists.txt puts resources/policies/** here.
const QString resourceRoot = u":/tasktrail/"_s;

struct Shipped
{
    QList<ShippedPolicyFile> files;
    QStringList errors;
};

const Shipped &shipped()
{
    static const Shipped result = [] {
        Shipped s;
        QStringList paths;
        QDirIterator it(resourceRoot + u"policies"_s, {u"*.toml"_s}, QDir::Files,
                        QDirIterator::Subdirectories);
        while (it.hasNext())
            paths << it.next();
        std::sort(paths.begin(), paths.end());
        for (const QString &path : std::as_const(paths)) {
            QFile file(path);
            if (!file.open(QIODevice::ReadOnly)) {
                s.errors << path + u": "_s + file.errorString();
                continue;
            }
            ShippedPolicyFile f;
            f.path = path.mid(resourceRoot.size());
            f.bytes = file.readAll();
            QList<PolicyFileError> errors;
            if (const auto doc = readPolicyDocument(f.path, f.bytes, &errors)) {
                f.document = *doc;
                f.document.sourcePath = f.path;
                s.files.append(f);
            }
            for (const PolicyFileError &e : std::as_const(errors))
                s.errors << e.toString();
        }
        return s;
    }();
    return result;
}

} // namespace

const QList<ShippedPolicyFile> &shippedPolicyFiles()
{
    return shipped().files;
}

QStringList shippedPolicyErrors()
{
    return shipped().errors;
}

const ShippedPolicyFile *findShippedPolicy(PolicyDocument::Kind kind, QStringView id,
                                           QStringView version)
{
    for (const ShippedPolicyFile &f : shippedPolicyFiles()) {
        const PolicyDocument &d = f.document;
        if (d.kind == kind && d.id == id && d.version == version)
            return &f;
    }
    return nullptr;
}

bool writeShippedPolicies(const QDir &root, qint64 *written, QString *error)
{
    *written = 0;
    for (const ShippedPolicyFile &f : shippedPolicyFiles()) {
        const QString path = root.filePath(f.path);
        if (!root.mkpath(QFileInfo(f.path).path())) {
            *error = u"cannot create %1"_s.arg(QFileInfo(path).path());
            return false;
        }
        QSaveFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(f.bytes) != f.bytes.size() ||
            !file.commit()) {
            *error = u"cannot write %1: %2"_s.arg(path, file.errorString());
            return false;
        }
        ++*written;
    }
    return true;
}

} // namespace Tasktrail::Demo
