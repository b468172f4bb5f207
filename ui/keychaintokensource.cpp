#include "keychaintokensource.h"

#include <QEventLoop>

#ifdef TASKTRAIL_HAVE_KEYCHAIN
#include <qt6keychain/keychain.h>
#endif

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

#ifdef TASKTRAIL_HAVE_KEYCHAIN
const QString service = u"Tasktrail"_s;

// Runs a keychain job to its end; false with *error when it failed.
bool runJob(QKeychain::Job &job, QString *error)
{
    job.setAutoDelete(false);
    QEventLoop loop;
    QObject::connect(&job, &QKeychain::Job::finished, &loop, &QEventLoop::quit);
    job.start();
    loop.exec();
    if (job.error() == QKeychain::NoError)
        return true;
    if (error)
        *error = job.errorString();
    return false;
}
#endif

} // namespace

std::optional<QByteArray> KeychainTokenSource::token(const QString &identityId, QString *error)
{
#ifdef TASKTRAIL_HAVE_KEYCHAIN
    QKeychain::ReadPasswordJob job(service);
    job.setKey(identityId);
    if (!runJob(job, error))
        return std::nullopt;
    return job.binaryData();
#else
    Q_UNUSED(identityId)
    if (error)
        *error = u"this build has no keychain support"_s;
    return std::nullopt;
#endif
}

bool KeychainTokenSource::storeToken(const QString &identityId, const QByteArray &token,
                                     QString *error)
{
#ifdef TASKTRAIL_HAVE_KEYCHAIN
    QKeychain::WritePasswordJob job(service);
    job.setKey(identityId);
    job.setBinaryData(token);
    return runJob(job, error);
#else
    Q_UNUSED(identityId)
    Q_UNUSED(token)
    if (error)
        *error = u"this build has no keychain support"_s;
    return false;
#endif
}

bool KeychainTokenSource::isAvailable()
{
#ifdef TASKTRAIL_HAVE_KEYCHAIN
    return true;
#else
    return false;
#endif
}

} // namespace Tasktrail
