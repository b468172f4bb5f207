#include "keychaintokensource.h"

#include <QMetaObject>
#include <QObject>

#ifdef TASKTRAIL_HAVE_KEYCHAIN
#include <qt6keychain/keychain.h>
#endif

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

#ifdef TASKTRAIL_HAVE_KEYCHAIN
const QString service = u"Tasktrail"_s;
#else
// Answers on the event loop as the keychain would, so callers have one path.
void answerLater(QObject *context, std::function<void()> answer)
{
    QMetaObject::invokeMethod(context, std::move(answer), Qt::QueuedConnection);
}

QString noKeychain()
{
    return u"this build has no keychain support"_s;
}
#endif

} // namespace

void KeychainTokens::readToken(const QString &identityId, QObject *context, TokenRead done)
{
#ifdef TASKTRAIL_HAVE_KEYCHAIN
    auto *job = new QKeychain::ReadPasswordJob(service);
    job->setAutoDelete(true); // deleted after finished() was delivered
    job->setKey(identityId);
    QObject::connect(job, &QKeychain::Job::finished, context,
                     [job, done = std::move(done)](QKeychain::Job *) {
                         if (job->error() == QKeychain::NoError)
                             done(job->binaryData(), QString());
                         else
                             done(std::nullopt, job->errorString());
                     });
    job->start();
#else
    Q_UNUSED(identityId)
    answerLater(context, [done = std::move(done)] { done(std::nullopt, noKeychain()); });
#endif
}

void KeychainTokens::storeToken(const QString &identityId, const QByteArray &token,
                                QObject *context, TokenStored done)
{
#ifdef TASKTRAIL_HAVE_KEYCHAIN
    auto *job = new QKeychain::WritePasswordJob(service);
    job->setAutoDelete(true);
    job->setKey(identityId);
    job->setBinaryData(token);
    QObject::connect(job, &QKeychain::Job::finished, context,
                     [job, done = std::move(done)](QKeychain::Job *) {
                         done(job->error() == QKeychain::NoError, job->errorString());
                     });
    job->start();
#else
    Q_UNUSED(identityId)
    Q_UNUSED(token)
    answerLater(context, [done = std::move(done)] { done(false, noKeychain()); });
#endif
}

bool KeychainTokens::isAvailable()
{
#ifdef TASKTRAIL_HAVE_KEYCHAIN
    return true;
#else
    return false;
#endif
}

} // namespace Tasktrail
