#include "policyverb.h"

#include "cliverb.h"
#include "findingsverbs.h"
#include "policy/policyloader.h"
#include "query/recordjson.h"

#include <QJsonArray>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Tasktrail::Cli {
namespace {

constexpr qsizetype digestPrefix = 12;

int runLoad(const QStringList &args)
{
    VerbParser v(u"policy load"_s,
                 u"Validates template and policy files and stores the valid ones; a directory "
                 "is searched for *.toml files."_s,
                 false);
    v.parser().addPositionalArgument(u"paths"_s, u"Files or directories."_s, u"PATH..."_s);
    int code = Ok;
    auto store = v.parseAndOpen(args, 1, -1, &code);
    if (!store)
        return code;
    PolicyLoadResult result;
    QString error;
    const bool ok = loadPolicyFiles(*store, v.parser().positionalArguments(), &result, &error);
    for (const PolicyFileError &e : std::as_const(result.errors))
        print(e.toString() % u'\n', stderr);
    if (!ok)
        return fail(error);
    print(u"%1 loaded, %2 unchanged, %3 rejected (%4 files, %5 secrets redacted)\n"_s
              .arg(result.loaded)
              .arg(result.unchanged)
              .arg(result.rejected)
              .arg(result.files)
              .arg(result.redactions));
    // Runs launched under the versions stored now are checked against them (runs that name an
    // unchanged version were checked against the same text).
    RunKeys none;
    if (!result.documents.isEmpty() && !checkIngestedTasks(*store, none, result.newDocuments))
        return Fatal;
    return result.rejected > 0 ? Rejected : Ok;
}

QList<PolicyDocument> documents(RecordStore &store, std::optional<PolicyDocument::Kind> kind)
{
    QList<PolicyDocument> out;
    for (const auto k : {PolicyDocument::Kind::Template, PolicyDocument::Kind::Policy}) {
        if (!kind || *kind == k)
            out += store.policyDocuments(k);
    }
    return out;
}

QString table(const QList<PolicyDocument> &docs)
{
    if (docs.isEmpty())
        return u"(no templates or policies loaded)\n"_s;
    QList<QStringList> rows{
        {u"KIND"_s, u"ID"_s, u"VERSION"_s, u"NAME"_s, u"DIGEST"_s, u"LOADED"_s}};
    for (const PolicyDocument &d : docs)
        rows.append({toString(d.kind), d.id, d.version, d.name.isEmpty() ? u"-"_s : d.name,
                     d.digest.left(digestPrefix),
                     d.loadedAt.toUTC().toString(u"yyyy-MM-dd HH:mm:ss 'UTC'"_s)});
    QList<qsizetype> widths(rows.first().size(), 0);
    for (const QStringList &row : std::as_const(rows)) {
        for (qsizetype i = 0; i < row.size(); ++i)
            widths[i] = std::max(widths[i], row[i].size());
    }
    QString out;
    for (const QStringList &row : std::as_const(rows)) {
        QString line;
        for (qsizetype i = 0; i < row.size(); ++i)
            line += i + 1 < row.size() ? row[i].leftJustified(widths[i] + 2) : row[i];
        out += line % u'\n';
    }
    return out;
}

bool kindOption(const QString &text, PolicyDocument::Kind *kind)
{
    const auto k = policyKindFromString(text);
    if (k)
        *kind = *k;
    return k.has_value();
}

int runList(const QStringList &args)
{
    VerbParser v(u"policy list"_s, u"Lists the stored template and policy versions."_s, true);
    v.parser().addOption(
        {u"kind"_s, u"Only templates or only policies: template or policy."_s, u"KIND"_s});
    if (!v.parse(args, 0, 0))
        return v.usageExit();
    std::optional<PolicyDocument::Kind> kind;
    if (v.parser().isSet(u"kind"_s)) {
        PolicyDocument::Kind k{};
        if (!kindOption(v.parser().value(u"kind"_s), &k))
            return fail(
                u"--kind must be template or policy, not '%1'"_s.arg(v.parser().value(u"kind"_s)));
        kind = k;
    }
    int code = Ok;
    auto store = v.open(&code, StoreAccess::ReadOnly);
    if (!store)
        return code;
    const QList<PolicyDocument> docs = documents(*store, kind);
    if (v.json()) {
        QJsonArray array;
        for (const PolicyDocument &d : docs)
            array.append(RecordJson::policyDocument(d, false));
        printJson(array);
    } else {
        print(table(docs));
    }
    return Ok;
}

int runShow(const QStringList &args)
{
    VerbParser v(u"policy show"_s,
                 u"Prints the stored text of a template or policy version; without VERSION, "
                 "the highest version."_s,
                 true);
    v.parser().addPositionalArgument(u"kind"_s, u"template or policy."_s);
    v.parser().addPositionalArgument(u"id"_s, u"The template or policy id."_s);
    v.parser().addPositionalArgument(u"version"_s, u"The version."_s, u"[VERSION]"_s);
    if (!v.parse(args, 2, 3))
        return v.usageExit();
    const QStringList pos = v.parser().positionalArguments();
    PolicyDocument::Kind kind{};
    if (!kindOption(pos[0], &kind))
        return fail(u"KIND must be template or policy, not '%1'"_s.arg(pos[0]));
    int code = Ok;
    auto store = v.open(&code, StoreAccess::ReadOnly);
    if (!store)
        return code;
    std::optional<PolicyDocument> doc;
    if (pos.size() == 3) {
        doc = store->policyDocument(kind, pos[1], pos[2]);
    } else {
        for (const PolicyDocument &d : store->policyDocuments(kind)) {
            if (d.id == pos[1] && (!doc || compareVersions(d.version, doc->version) > 0))
                doc = d;
        }
    }
    if (!doc)
        return fail(u"no %1 '%2'%3 in %4"_s.arg(
            toString(kind), pos[1], pos.size() == 3 ? u" version "_s + pos[2] : QString(),
            store->location()));
    if (v.json()) {
        printJson(RecordJson::policyDocument(*doc, true));
    } else {
        print(doc->text);
        if (!isOriginalText(*doc))
            print(u"tasktrail-cli: note: secrets in this file were redacted when it was loaded; "
                  "its digest %1 is that of the original file\n"_s.arg(doc->digest),
                  stderr);
    }
    return Ok;
}

QString usage()
{
    return u"Usage: tasktrail-cli policy <load|list|show> [options]\n\n"
           "  load PATH...              validate files and store the valid ones\n"
           "  list [--kind KIND]        stored versions (KIND: template or policy)\n"
           "  show KIND ID [VERSION]    the stored text of a version\n\n"
           "tasktrail-cli policy <verb> --help tells more.\n"_s;
}

} // namespace

int runPolicy(const QStringList &args)
{
    const QString verb = args.value(0);
    const QStringList rest = args.mid(1);
    if (verb == u"load")
        return runLoad(rest);
    if (verb == u"list")
        return runList(rest);
    if (verb == u"show")
        return runShow(rest);
    if (verb == u"--help" || verb == u"-h") {
        print(usage());
        return Ok;
    }
    print(usage(), stderr);
    return verb.isEmpty() ? Fatal : fail(u"unknown policy verb '%1'"_s.arg(verb));
}

} // namespace Tasktrail::Cli
