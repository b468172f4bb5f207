// The secret corpus over the agents' formats, and on PostgreSQL: Tasktrail's records, GitHub's
// JSON, the audit log and command logs as tst_secretcorpus writes them (secretcorpusinputs.h),
// a GitHub Actions job log, a Copilot session log, Claude Code sessions (with a sub-agent),
// Codex CLI rollouts, SWE-agent and OpenHands trajectories, Inspect AI logs and OpenTelemetry
// traces, each with every kind of secret in every string it has (plain, with a colour inside,
// with its '_' as a JSON escape; inside the JSON text a string carries, too). Each format is
// ingested into a fresh database of each backend; then the database (the SQLite file with its
// write-ahead log, or every row of every PostgreSQL table and the server's files) and every
// output (show, attest, compare, every report format with the PDF read back by pdftotext,
// search, overview, ...) are searched for the planted secrets: none may appear, and every kind
// must have reached the store redacted.
#include "backends.h"
#include "clirun.h"
#include "secretcorpusinputs.h"
#include "sqlscalar.h"

#include "store/pgconnection.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonDocument>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

using namespace Qt::StringLiterals;
using namespace Tasktrail;
using namespace Tasktrail::CliRun;
using SecretCorpus::Corpus;

namespace {

// Templates: {n} is a number that keeps each copy's ids apart, {h} the same as six digits (in
// hexadecimal ids of a fixed length).
const char *const claudeCodeLines[] = {
    R"({"parentUuid":null,"isSidechain":false,"userType":"external","cwd":"/home/dev/widget",)"
    R"("sessionId":"cc-{n}","version":"1.0.98","gitBranch":"feature/validate","type":"user",)"
    R"("uuid":"u-01","timestamp":"2026-01-05T09:00:00.000Z","message":{"role":"user",)"
    R"("content":"Add input validation, then run the tests."}})",
    R"({"parentUuid":"u-01","isSidechain":false,"cwd":"/home/dev/widget","sessionId":"cc-{n}",)"
    R"("type":"assistant","uuid":"u-02","timestamp":"2026-01-05T09:00:05.000Z",)"
    R"("message":{"id":"msg_01","role":"assistant","model":"claude-sonnet-4-5","content":[)"
    R"({"type":"text","text":"I will run the tests first."},{"type":"tool_use","id":"toolu_01",)"
    R"("name":"Bash","input":{"command":"npm test","description":"Run the tests"}}],)"
    R"("usage":{"input_tokens":1200,"output_tokens":40}}})",
    R"({"parentUuid":"u-02","isSidechain":false,"cwd":"/home/dev/widget","sessionId":"cc-{n}",)"
    R"("type":"user","uuid":"u-03","timestamp":"2026-01-05T09:00:10.000Z","message":{)"
    R"("role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_01",)"
    R"("content":"Exit code 1\nFAIL src/widget.test.js"}]},"toolUseResult":{"stdout":"FAIL"}})",
    R"({"parentUuid":"u-03","isSidechain":false,"cwd":"/home/dev/widget","sessionId":"cc-{n}",)"
    R"("type":"assistant","uuid":"u-04","timestamp":"2026-01-05T09:00:20.000Z",)"
    R"("message":{"id":"msg_02","role":"assistant","model":"claude-sonnet-4-5","content":[)"
    R"({"type":"tool_use","id":"toolu_02","name":"Edit","input":{)"
    R"("file_path":"/home/dev/widget/src/parser.js","old_string":"return parse(input);",)"
    R"("new_string":"validate(input);\nreturn parse(input);"}},)"
    R"({"type":"tool_use","id":"toolu_03","name":"WebFetch","input":{)"
    R"("url":"https://docs.example.com/validation","prompt":"Summarise"}},)"
    R"({"type":"tool_use","id":"toolu_04","name":"mcp__github__get_issue","input":{"issue":"7"}}]}})",
    R"({"parentUuid":"u-04","isSidechain":false,"cwd":"/home/dev/widget","sessionId":"cc-{n}",)"
    R"("type":"user","uuid":"u-05","timestamp":"2026-01-05T09:00:21.000Z","message":{)"
    R"("role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_03",)"
    R"("content":[{"type":"text","text":"Validation guide"}],"is_error":true}]}})",
    R"({"parentUuid":"u-05","isSidechain":false,"sessionId":"cc-{n}","type":"system",)"
    R"("uuid":"u-06","timestamp":"2026-01-05T09:00:22.000Z","content":"Hook ran","level":"info"})",
    R"({"isSidechain":true,"agentId":"b9c1","cwd":"/home/dev/widget","sessionId":"cc-{n}",)"
    R"("type":"assistant","uuid":"s-01","timestamp":"2026-01-05T09:02:02.000Z","message":{)"
    R"("id":"msg_b1","role":"assistant","model":"claude-haiku-4-5","content":[{"type":"text",)"
    R"("text":"Sub-agent checks"}]}})",
    R"({"parentUuid":"u-06","isSidechain":false,"sessionId":"cc-{n}","type":"assistant",)"
    R"("uuid":"u-07","timestamp":"2026-01-05T09:03:00.000Z","message":{"id":"msg_03",)"
    R"("role":"assistant","model":"claude-sonnet-4-5","content":[{"type":"text","text":"Done."}]}})",
};

const char *const codexLines[] = {
    R"({"timestamp":"2026-02-10T14:00:00.000Z","type":"session_meta","payload":{"id":"cx-{n}",)"
    R"("timestamp":"2026-02-10T14:00:00.000Z","cwd":"/work/acme/widget","originator":"codex",)"
    R"("cli_version":"0.58.0","git":{"commit_hash":"4b825dc6","branch":"fix/empty-input",)"
    R"("repository_url":"git@github.com:acme/widget.git"}}})",
    R"({"timestamp":"2026-02-10T14:00:01.000Z","type":"turn_context","payload":{)"
    R"("cwd":"/work/acme/widget","model":"gpt-5-codex","approval_policy":"on-request"}})",
    R"({"timestamp":"2026-02-10T14:00:01.000Z","type":"response_item","payload":{)"
    R"("type":"message","role":"user","content":[{"type":"input_text","text":"Reject empty input."}]}})",
    R"({"timestamp":"2026-02-10T14:00:04.000Z","type":"response_item","payload":{)"
    R"("type":"function_call","name":"shell","arguments":"{\"command\":[\"bash\",\"-lc\",)"
    R"(\"npm test\"],\"workdir\":\"/work/acme/widget\"}","call_id":"call_A1"}})",
    R"({"timestamp":"2026-02-10T14:00:09.000Z","type":"event_msg","payload":{)"
    R"("type":"exec_command_end","call_id":"call_A1","stdout":"out","stderr":"err",)"
    R"("aggregated_output":"FAIL src/parser.test.js\n","exit_code":1,"cwd":"/work/acme/widget"}})",
    R"({"timestamp":"2026-02-10T14:00:09.000Z","type":"response_item","payload":{)"
    R"("type":"function_call_output","call_id":"call_A1","output":"{\"output\":\"FAIL\\n\",)"
    R"(\"metadata\":{\"exit_code\":1}}"}})",
    R"({"timestamp":"2026-02-10T14:00:10.000Z","type":"response_item","payload":{)"
    R"("type":"function_call","name":"shell","arguments":"{\"command\":[\"curl\",)"
    R"(\"https://registry.example.com/x\"]}","call_id":"call_A2"}})",
    R"({"timestamp":"2026-02-10T14:00:11.000Z","type":"response_item","payload":{)"
    R"("type":"function_call_output","call_id":"call_A2","output":"Exit code: 0\nOutput:\nok\n"}})",
    R"({"timestamp":"2026-02-10T14:00:12.000Z","type":"response_item","payload":{)"
    R"("type":"custom_tool_call","status":"completed","call_id":"call_B2","name":"apply_patch",)"
    R"("input":"*** Begin Patch\n*** Update File: src/parser.js\n@@\n-  return t;\n+  return u;\n)"
    R"(*** Add File: src/errors.js\n+export class E {}\n*** End Patch\n"}})",
    R"({"timestamp":"2026-02-10T14:00:22.000Z","type":"response_item","payload":{)"
    R"("type":"function_call","name":"docs__search","arguments":"{\"query\":\"parser\"}",)"
    R"("call_id":"call_D4"}})",
    R"({"timestamp":"2026-02-10T14:00:24.000Z","type":"response_item","payload":{)"
    R"("type":"web_search_call","status":"completed","action":{"type":"search","query":"node"}}})",
    R"({"timestamp":"2026-02-10T14:00:25.000Z","type":"event_msg","payload":{"type":"error",)"
    R"("message":"stream disconnected"}})",
    R"({"timestamp":"2026-02-10T14:00:27.000Z","type":"response_item","payload":{)"
    R"("type":"message","role":"assistant","content":[{"type":"output_text","text":"Done."}]}})",
    R"({"timestamp":"2026-02-10T14:00:28.000Z","type":"event_msg","payload":{)"
    R"("type":"turn_aborted","reason":"interrupted"}})",
};

// Copilot session log chunks, each written as "data: {chunk}".
const char *const copilotChunks[] = {
    R"({"id":"chatcmpl-{n}","object":"chat.completion.chunk","created":1767261600,)"
    R"("model":"demo-model","choices":[{"index":0,"delta":{"role":"assistant",)"
    R"("content":"I will add input validation."},"finish_reason":null}]})",
    R"({"id":"chatcmpl-{n}","object":"chat.completion.chunk","created":1767261610,)"
    R"("model":"demo-model","choices":[{"index":0,"delta":{"role":"assistant",)"
    R"("content":"PASS src/widget.test.js\n<exited with exit code 0>","tool_calls":[{"index":0,)"
    R"("id":"call_bash","type":"function","function":{"name":"bash",)"
    R"("arguments":"{\"command\":\"npm test\",\"description\":\"Run\",\"sessionId\":\"main\"}"}}]}}]})",
    R"({"id":"chatcmpl-{n}","object":"chat.completion.chunk","created":1767261620,)"
    R"("model":"demo-model","choices":[{"index":0,"delta":{"role":"assistant",)"
    R"("content":"Created file","tool_calls":[{"index":0,"id":"call_create","type":"function",)"
    R"("function":{"name":"create","arguments":"{\"path\":)"
    R"(\"/home/runner/work/acme/widgets/src/v.js\",\"file_text\":\"x\\n\"}"}}]}}]})",
    R"({"id":"chatcmpl-{n}","object":"chat.completion.chunk","created":1767261630,)"
    R"("model":"demo-model","choices":[{"index":0,"delta":{"role":"assistant",)"
    R"("content":"Updated","tool_calls":[{"index":0,"id":"call_edit","type":"function",)"
    R"("function":{"name":"str_replace","arguments":"{\"path\":)"
    R"(\"/home/runner/work/acme/widgets/src/p.js\",\"old_str\":\"a\",\"new_str\":\"b\"}"}}]}}]})",
    R"({"id":"chatcmpl-{n}","object":"chat.completion.chunk","created":1767261640,)"
    R"("model":"demo-model","choices":[{"index":0,"delta":{"role":"assistant",)"
    R"("content":"Guide","tool_calls":[{"index":0,"id":"call_fetch","type":"function",)"
    R"("function":{"name":"web_fetch","arguments":"{\"url\":\"https://docs.example.com/v\"}"}}]}}]})",
    R"({"id":"chatcmpl-{n}","object":"chat.completion.chunk","created":1767261650,)"
    R"("model":"demo-model","choices":[{"index":0,"delta":{"role":"assistant",)"
    R"("content":"Progress reported.","tool_calls":[{"index":0,"id":"call_progress",)"
    R"("type":"function","function":{"name":"report_progress","arguments":)"
    R"("{\"commitMessage\":\"Validate input\",\"prDescription\":\"- [x] validate\"}"}}]}}]})",
};

// One OTLP export per line: a tool span and a chat span, then the agent span (the root).
const char *const otlpLines[] = {
    R"({"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{)"
    R"("stringValue":"release-bot"}}]},"scopeSpans":[{"scope":{"name":"agent-sdk"},"spans":[)"
    R"({"traceId":"4bf92f3577b34da6a3ce929d0e{h}","spanId":"1a2b3c4d5e6f7081",)"
    R"("parentSpanId":"00f067aa0ba902b7","name":"execute_tool bash","kind":1,)"
    R"("startTimeUnixNano":"1767261605000000000","endTimeUnixNano":"1767261609500000000",)"
    R"("attributes":[{"key":"gen_ai.operation.name","value":{"stringValue":"execute_tool"}},)"
    R"({"key":"gen_ai.tool.name","value":{"stringValue":"bash"}},)"
    R"({"key":"gen_ai.tool.call.id","value":{"stringValue":"toolu_A1"}},)"
    R"({"key":"gen_ai.tool.call.arguments","value":{"stringValue":)"
    R"("{\"command\":\"npm test\",\"cwd\":\"/srv/release\"}"}},)"
    R"({"key":"gen_ai.tool.call.result","value":{"stringValue":)"
    R"("{\"stdout\":\"PASS\",\"stderr\":\"warn\",\"exit_code\":0}"}}],"status":{"code":1}},)"
    R"({"traceId":"4bf92f3577b34da6a3ce929d0e{h}","spanId":"2b3c4d5e6f708192",)"
    R"("parentSpanId":"00f067aa0ba902b7","name":"execute_tool web_fetch","kind":1,)"
    R"("startTimeUnixNano":"1767261612000000000","endTimeUnixNano":"1767261614000000000",)"
    R"("attributes":[{"key":"gen_ai.operation.name","value":{"stringValue":"execute_tool"}},)"
    R"({"key":"gen_ai.tool.name","value":{"stringValue":"web_fetch"}},)"
    R"({"key":"gen_ai.tool.call.arguments","value":{"stringValue":)"
    R"("{\"url\":\"https://docs.example.com/x\"}"}},)"
    R"({"key":"gen_ai.tool.call.result","value":{"stringValue":"page"}}],)"
    R"("status":{"code":2,"message":"fetch failed"}},)"
    R"({"traceId":"4bf92f3577b34da6a3ce929d0e{h}","spanId":"3c4d5e6f708192a3",)"
    R"("parentSpanId":"00f067aa0ba902b7","name":"chat claude-sonnet-4-5","kind":3,)"
    R"("startTimeUnixNano":"1767261601000000000","endTimeUnixNano":"1767261604000000000",)"
    R"("attributes":[{"key":"gen_ai.operation.name","value":{"stringValue":"chat"}},)"
    R"({"key":"gen_ai.request.model","value":{"stringValue":"claude-sonnet-4-5"}},)"
    R"({"key":"gen_ai.usage.input_tokens","value":{"intValue":"1200"}}]}]}]}]})",
    R"({"resourceSpans":[{"resource":{"attributes":[]},"scopeSpans":[{"spans":[)"
    R"({"traceId":"4bf92f3577b34da6a3ce929d0e{h}","spanId":"00f067aa0ba902b7",)"
    R"("parentSpanId":"","name":"invoke_agent release-helper",)"
    R"("startTimeUnixNano":"1767261600000000000","endTimeUnixNano":"1767261630000000000",)"
    R"("attributes":[{"key":"gen_ai.operation.name","value":{"stringValue":"invoke_agent"}},)"
    R"({"key":"gen_ai.agent.name","value":{"stringValue":"release-helper"}},)"
    R"({"key":"gen_ai.agent.id","value":{"stringValue":"agent-7"}},)"
    R"({"key":"gen_ai.request.model","value":{"stringValue":"claude-sonnet-4-5"}},)"
    R"({"key":"gen_ai.input.messages","value":{"stringValue":)"
    R"("[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Ship it\"}]}]"}},)"
    R"({"key":"gen_ai.output.messages","value":{"stringValue":)"
    R"("[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"Shipped\"}]}]"}}],)"
    R"("status":{"code":2,"message":"agent failed"}}]}]}]})",
};

const char *const inspectLog =
    R"({"version":2,"status":"error","eval":{"eval_id":"Ev{n}","run_id":"run-{n}",)"
    R"("task":"fix_widget_bugs","task_id":"task-{n}","model":"openai/gpt-4o",)"
    R"("dataset":{"name":"widget-bugs"},"created":"2026-03-02T10:00:00+00:00",)"
    R"("revision":{"type":"git","origin":"https://github.com/acme/widget.git","commit":"9c1d2e3"}},)"
    R"("samples":[{"id":"bug-1","epoch":1,"input":"Fix the parser.",)"
    R"("started_at":"2026-03-02T10:00:01+00:00","completed_at":"2026-03-02T10:01:00+00:00",)"
    R"("messages":[{"role":"system","content":"You fix bugs."},)"
    R"({"role":"user","content":[{"type":"text","text":"Fix it."}]},)"
    R"({"role":"assistant","content":"Running","tool_calls":[{"id":"call_b1","function":"bash",)"
    R"("arguments":{"cmd":"python -m pytest -q"}}]},)"
    R"({"role":"tool","tool_call_id":"call_b1","function":"bash","content":"4 passed",)"
    R"("error":{"type":"timeout","message":"took too long"}}],)"
    R"("events":[{"event":"tool","id":"call_b1","function":"bash","arguments":{)"
    R"("cmd":"python -m pytest -q"},"result":"4 passed","timestamp":"2026-03-02T10:00:05+00:00",)"
    R"("completed":"2026-03-02T10:00:09+00:00"},)"
    R"({"event":"tool","id":"call_p1","function":"python","arguments":{"code":"import sys"
},)"
    R"("result":"1","error":{"type":"timeout","message":"python timed out"},)"
    R"("timestamp":"2026-03-02T10:00:10+00:00"},)"
    R"({"event":"tool","id":"call_e1","function":"text_editor","arguments":{"command":"create",)"
    R"("path":"/repo/fix.py","file_text":"x = 1\n"},"result":"created",)"
    R"("timestamp":"2026-03-02T10:00:11+00:00"},)"
    R"({"event":"tool","id":"call_w1","function":"web_search","arguments":{"query":"pytest"},)"
    R"("result":"results","timestamp":"2026-03-02T10:00:12+00:00"},)"
    R"({"event":"model","model":"openai/gpt-4o","timestamp":"2026-03-02T10:00:13+00:00"},)"
    R"({"event":"error","error":{"message":"sample crashed","traceback":"Traceback"},)"
    R"("timestamp":"2026-03-02T10:00:14+00:00"}],)"
    R"("scores":{"includes":{"value":"C","explanation":"matched"}},)"
    R"("model_usage":{"openai/gpt-4o":{"input_tokens":3100,"output_tokens":420}},)"
    R"("error":{"message":"sample failed","traceback":"Traceback: most recent call last"
}
}]
})";

const char *const sweAgentTrajectory =
    R"({"trajectory":[{"response":"DISCUSSION\nLook first.\n\n```\nls -F\n```",)"
    R"("thought":"Look first.","action":"ls -F\n","observation":"README.md\nsetup.py",)"
    R"("execution_time":0.21,"state":{"open_file":"n/a","working_dir":"/widget"},)"
    R"("query":[{"role":"system","content":"query elided"
}],"extra_info":{}
},)"
    R"({"response":"Create it","thought":"Reproduce.","action":)"
    R"("str_replace_editor create /widget/r.py --file_text 'print(1)'\n",)"
    R"("observation":"File created successfully at: /widget/r.py","execution_time":0.3,)"
    R"("state":{"open_file":"/widget/r.py","working_dir":"/widget"}},)"
    R"({"response":"Test","thought":"Run the tests.","action":"python -m pytest -q\n",)"
    R"("observation":"1 failed, 3 passed","execution_time":0.6,"state":{"working_dir":"/widget"}}],)"
    R"("history":[{"role":"system","content":"You are SWE-agent.","agent":"main",)"
    R"("message_type":"system_prompt"},{"role":"user","content":"Fix the parser.","agent":"main",)"
    R"("message_type":"observation"},{"role":"assistant","content":"Looking.","thought":"Look.",)"
    R"("action":"ls -F\n","agent":"main","message_type":"action"}],)"
    R"("info":{"swe_agent_hash":"4f1c0b2","swe_agent_version":"1.0.1","exit_status":"submitted",)"
    R"("submission":"diff --git a/w.py b/w.py\n--- a/w.py\n+++ b/w.py\n@@ -1 +1 @@\n-a\n+b\n",)"
    R"("model_stats":{"instance_cost":0.42,"tokens_sent":51200,"tokens_received":1800},)"
    R"("edited_files30":"[File: w.py]"},)"
    R"("replay_config":"{\"env\":{\"repo\":{\"github_url\":\"https://github.com/acme/widget\",)"
    R"(\"base_commit\":\"9f2c1e7\"}},\"agent\":{\"model\":{\"name\":\"claude-sonnet-4\"}},)"
    R"(\"problem_statement\":{\"id\":\"acme__widget-{n}\",\"text\":\"Crash\"}}",)"
    R"("environment":"main"})";

const char *const openHandsTrajectory =
    R"([{"id":0,"timestamp":"2026-03-02T10:15:00.000000","source":"agent",)"
    R"("message":"system prompt {n}","action":"system","args":{"content":"You are OpenHands.",)"
    R"("openhands_version":"0.59.0","agent_class":"CodeActAgent"}},)"
    R"({"id":1,"timestamp":"2026-03-02T10:15:01.250431","source":"user","message":"Fix dates",)"
    R"("action":"message","args":{"content":"Fix dates.py and make the tests pass."}},)"
    R"({"id":2,"timestamp":"2026-03-02T10:15:05.250431","source":"agent",)"
    R"("message":"Running command: python -m pytest -q","action":"run","args":{)"
    R"("command":"python -m pytest -q","thought":"Run the tests first."},)"
    R"("tool_call_metadata":{"function_name":"execute_bash","tool_call_id":"toolu_01",)"
    R"("model_response":{"id":"resp-1","model":"claude-sonnet-4-5"}},)"
    R"("llm_metrics":{"accumulated_token_usage":{"model":"claude-sonnet-4-5",)"
    R"("prompt_tokens":4200,"completion_tokens":150}}},)"
    R"({"id":3,"timestamp":"2026-03-02T10:15:08.250431","source":"environment",)"
    R"("message":"1 failed","cause":2,"observation":"run","content":"FAILED test_zulu\n1 failed",)"
    R"("extras":{"command":"python -m pytest -q","metadata":{"exit_code":1,)"
    R"("working_dir":"/workspace/calendar","suffix":"\n[exit code 1.]"}}},)"
    R"({"id":4,"timestamp":"2026-03-02T10:15:20.000000","source":"agent","message":"Edit",)"
    R"("action":"edit","args":{"path":"/workspace/calendar/dates.py","old_str":"a",)"
    R"("new_str":"b","thought":"Fix it."}},)"
    R"({"id":5,"timestamp":"2026-03-02T10:15:21.000000","source":"environment",)"
    R"("message":"Edited","cause":4,"observation":"edit","content":"The file was edited.",)"
    R"("extras":{"path":"/workspace/calendar/dates.py","diff":"-a\n+b"}},)"
    R"({"id":6,"timestamp":"2026-03-02T10:15:22.000000","source":"agent","message":"Browse",)"
    R"("action":"browse","args":{"url":"https://docs.python.org/3/","thought":"Read docs."}},)"
    R"({"id":7,"timestamp":"2026-03-02T10:15:30.000000","source":"agent","message":"Done",)"
    R"("action":"finish","args":{"final_thought":"Fixed.","outputs":{}}}])";

QByteArray filled(const char *templ, int n)
{
    QByteArray text(templ);
    text.replace("{n}", QByteArray::number(n));
    text.replace("{h}", QByteArray::number(n).rightJustified(6, '0'));
    return text;
}

QJsonValue parsed(const QByteArray &json)
{
    const QJsonDocument d = QJsonDocument::fromJson(json);
    return d.isArray() ? QJsonValue(d.array()) : QJsonValue(d.object());
}

QByteArray compact(const QJsonValue &v)
{
    return v.isArray() ? QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact)
                       : QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact);
}

// An object with the keys `first` written first, in that order (QJsonObject sorts its keys):
// Inspect's logs are told by the keys they open with.
QByteArray compact(const QJsonValue &v, const QStringList &first)
{
    if (first.isEmpty() || !v.isObject())
        return compact(v);
    const QJsonObject o = v.toObject();
    QStringList keys = first;
    for (const QString &k : o.keys())
        if (!keys.contains(k))
            keys << k;
    QByteArray out = "{";
    for (const QString &k : std::as_const(keys)) {
        if (!o.contains(k))
            continue;
        if (out.size() > 1)
            out += ',';
        out += compact(QJsonArray{k}).mid(1).chopped(1) + ':' +
               compact(QJsonArray{o.value(k)}).mid(1).chopped(1);
    }
    return out + '}';
}

bool writeFile(const QString &path, const QByteArray &content)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(content) == content.size();
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// A character no secret holds, written where a secret's '_' is to be a JSON escape: after
// serialising, its own escape (\u0001) becomes \u005f.
constexpr char16_t underscoreMark = u'\x01';

QByteArray withEscapedUnderscores(QByteArray json)
{
    return json.replace("\\u0001", "\\u005f");
}

bool isPostgres(const QString &location)
{
    return location.startsWith(u"postgresql://"_s);
}

// The rows of a query on either backend, the first column as text.
QStringList column(const QString &location, const char *sql)
{
    QStringList out;
    if (isPostgres(location)) {
        PgConnection db;
        QString error;
        if (!db.open(location, &error))
            qFatal("%s", qPrintable(error));
        const PgResult r = db.query(sql);
        for (int row = 0; row < r.rows(); ++row)
            out << r.text(row, 0);
        return out;
    }
    return Tasktrail::SqlScalar::column(location, sql);
}

} // namespace

class TestSecretCorpusFormats : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void formatLeavesNoSecret_data();
    void formatLeavesNoSecret();

private:
    struct Format
    {
        QString name;
        QList<QStringList> ingests; // the ingest commands' arguments after --db DB
    };

    QString path(const QString &name) const { return m_dir.filePath(name); }
    int next() { return ++m_n; }
    QString plantAll(const QString &where, bool multiLine = true);
    QList<QByteArray> variants(const QByteArray &json, const QString &what);
    QList<QByteArray> variantsOf(const char *templ, const QString &what);
    void writeJsonLinesFormat(const QString &name, const char *const *lines, qsizetype count);
    void writeDocumentFormat(const QString &name, const char *templ, const QString &suffix);
    void writeCopilotLog();
    void writeActionsLog();
    QByteArray databaseContents(const QString &location, bool serverFiles);
    void keep(const QString &what, const Run &run);

    QTemporaryDir m_dir;
    Backends::Fixture m_backends;
    Corpus m_corpus;
    int m_n = 100;
    QList<Format> m_formats;
    QStringList m_keysFirst; // the keys a document opens with
    QList<std::pair<QString, QByteArray>> m_outputs;
};

// Every kind, plain, with a colour inside it and with its '_' as a JSON escape; a private key
// as a block of lines unless `multiLine` is false.
QString TestSecretCorpusFormats::plantAll(const QString &where, bool multiLine)
{
    QStringList all;
    for (const QString &kind : SecretCorpus::kinds())
        all << m_corpus.plant(kind, where, multiLine);
    for (const QString &kind : SecretCorpus::kinds()) {
        QString coloured = m_corpus.plant(kind, where + u", coloured"_s, false);
        coloured.insert(coloured.indexOf(u"QZ"_s) + 8, u"\x1b[32m"_s);
        all << coloured;
        QString escaped = m_corpus.plant(kind, where + u", \\u escaped"_s, false);
        all << escaped.replace(u'_', QChar(underscoreMark));
    }
    return all.join(u'\n');
}

// The JSON text once per string in it, that string followed by the secrets; a string holding
// JSON (a tool call's arguments) once per string inside it as well.
QList<QByteArray> TestSecretCorpusFormats::variants(const QByteArray &json, const QString &what)
{
    QList<QByteArray> out;
    const QJsonValue value = parsed(json);
    const auto planted = [this](const QString &old, const QString &where) -> QString {
        QString text = old;
        text += u'\n';
        text += plantAll(where);
        return text;
    };
    for (const QString &p : SecretCorpus::stringPaths(value)) {
        const QString where = what + u' ' + p;
        out << compact(
            SecretCorpus::withString(
                value, p, [&](const QString &old) -> QString { return planted(old, where); }),
            m_keysFirst);
        QString inner;
        SecretCorpus::withString(value, p, [&](const QString &old) -> QString {
            inner = old;
            return old;
        });
        const QJsonValue nested = parsed(inner.toUtf8());
        if (!(inner.startsWith(u'{') || inner.startsWith(u'[')) ||
            (nested.toObject().isEmpty() && nested.toArray().isEmpty()))
            continue;
        for (const QString &q : SecretCorpus::stringPaths(nested)) {
            const QString innerWhere = where + u" JSON "_s + q;
            const QJsonValue changed = SecretCorpus::withString(
                nested, q, [&](const QString &old) -> QString { return planted(old, innerWhere); });
            const QString changedText = QString::fromUtf8(compact(changed));
            out << compact(SecretCorpus::withString(
                               value, p, [&](const QString &) -> QString { return changedText; }),
                           m_keysFirst);
        }
    }
    for (QByteArray &v : out)
        v = withEscapedUnderscores(v);
    return out;
}

QList<QByteArray> TestSecretCorpusFormats::variantsOf(const char *templ, const QString &what)
{
    QJsonParseError error;
    QJsonDocument::fromJson(filled(templ, 0), &error);
    if (error.error != QJsonParseError::NoError)
        qFatal("%s: the template is no JSON: %s at %d", qPrintable(what),
               qPrintable(error.errorString()), error.offset);
    return variants(filled(templ, 0), what);
}

// Sessions of the template's lines, the k-th with every line's k-th variant (the line as it is
// when it has fewer), each session's ids its own.
void TestSecretCorpusFormats::writeJsonLinesFormat(const QString &name, const char *const *lines,
                                                   qsizetype count)
{
    QList<QList<QByteArray>> lineVariants;
    qsizetype sessions = 0;
    for (qsizetype i = 0; i < count; ++i) {
        lineVariants << variantsOf(lines[i], name + u" line "_s + QString::number(i + 1));
        sessions = std::max(sessions, lineVariants.last().size());
    }
    for (qsizetype k = 0; k < sessions; ++k) {
        const int n = next();
        QByteArray text;
        for (qsizetype i = 0; i < count; ++i) {
            QByteArray line =
                k < lineVariants.at(i).size() ? lineVariants.at(i).at(k) : filled(lines[i], 0);
            line.replace("-0\"", QByteArray("-" + QByteArray::number(n) + '"')); // the ids' {n}
            line.replace("0e000000\"",
                         QByteArray("0e" + QByteArray::number(n).rightJustified(6, '0') +
                                    '"')); // OTLP's trace id ({h})
            text += line + '\n';
        }
        QVERIFY(writeFile(path(u"in/%1/%2.jsonl"_s.arg(name).arg(k + 1)), text));
    }
    m_formats.append({name, {{path(u"in/"_s + name)}}});
}

void TestSecretCorpusFormats::writeDocumentFormat(const QString &name, const char *templ,
                                                  const QString &suffix)
{
    int file = 0;
    for (QByteArray variant : variantsOf(templ, name)) {
        const int n = next();
        // The document's ids, filled with 0, get this copy's number.
        variant.replace("Ev0\"", QByteArray("Ev" + QByteArray::number(n) + '"'));
        variant.replace("acme__widget-0\\\"",
                        QByteArray("acme__widget-" + QByteArray::number(n) + "\\\""));
        variant.replace("system prompt 0\"",
                        QByteArray("system prompt " + QByteArray::number(n) + '"'));
        QVERIFY(writeFile(path(u"in/%1/%2%3"_s.arg(name).arg(++file).arg(suffix)), variant));
    }
    m_formats.append({name, {{path(u"in/"_s + name)}}});
}

// A Copilot session log has no ids of its own: one log with every chunk's variants, ingested
// into one task; and a log ingested with secrets in --task and --session.
void TestSecretCorpusFormats::writeCopilotLog()
{
    QByteArray text;
    for (const char *chunk : copilotChunks) {
        text += "data: " + filled(chunk, 0) + '\n';
        for (const QByteArray &v : variantsOf(chunk, u"copilot chunk"_s))
            text += "data: " + v + '\n';
    }
    QVERIFY(writeFile(path(u"in/copilot/session.log"_s), text));
    QByteArray plain;
    for (const char *chunk : copilotChunks)
        plain += "data: " + filled(chunk, 1) + '\n';
    QVERIFY(writeFile(path(u"in/copilot-ids/session.log"_s), plain));
    m_formats.append(
        {u"copilot"_s,
         {{u"--task"_s, u"T-copilot"_s, path(u"in/copilot/session.log"_s)},
          {u"--task"_s, u"T-"_s + m_corpus.plant(u"github-token"_s, u"copilot --task"_s, false),
           u"--session"_s, u"S-"_s + m_corpus.plant(u"npm-token"_s, u"copilot --session"_s, false),
           path(u"in/copilot-ids/session.log"_s)}}});
}

// An Actions job log: every kind in a step's title, a command line, an error, a warning and
// output lines, plain, coloured and with escapes; and a log ingested with a secret in --task.
void TestSecretCorpusFormats::writeActionsLog()
{
    QByteArray text = "\xEF\xBB\xBF"
                      "2026-02-03T09:00:01.1000000Z Current runner version: '2.321.0'\n"
                      "2026-02-03T09:00:01.2000000Z ##[group]Runner Image\n"
                      "2026-02-03T09:00:01.2100000Z Image: ubuntu-24.04\n"
                      "2026-02-03T09:00:01.2200000Z ##[endgroup]\n";
    // One secret a line where a line is a field of its own (a step's title, a marked line);
    // a key block in the output.
    const auto secrets = [&](const QString &where, bool multiLine = false) {
        QString all = plantAll(where, multiLine);
        return all.replace(QChar(underscoreMark), u"\\u005f"_s);
    };
    const auto lines = [&](const QByteArray &prefix, const QString &where, bool multiLine = false) {
        QByteArray out;
        for (const QString &s : secrets(where, multiLine).split(u'\n'))
            out += prefix + s.toUtf8() + '\n';
        return out;
    };
    for (int step = 1; step <= 3; ++step) {
        const QByteArray t = "2026-02-03T09:00:1" + QByteArray::number(step) + ".0000000Z ";
        for (const QString &s : secrets(u"actions step title"_s).split(u'\n'))
            text += t + "##[group]Run " + s.toUtf8() + '\n' + t + "##[endgroup]\n";
        text += lines(t + "##[command]", u"actions ##[command]"_s);
        text += lines(t, u"actions output line"_s, true);
        text += lines("", u"actions line without a time"_s, true);
        text += lines(t + "##[warning]", u"actions ##[warning]"_s);
        text += lines(t + "\x1b[36;1m", u"actions line in colour"_s);
        text += lines(t + "##[error]", u"actions ##[error]"_s);
        text += t + "##[error]Process completed with exit code 1.\n";
    }
    QVERIFY(writeFile(path(u"in/actions/job.txt"_s), text));
    QVERIFY(writeFile(path(u"in/actions-id/job.txt"_s),
                      "2026-02-03T09:00:01.1000000Z Current runner version: '2.321.0'\n"
                      "2026-02-03T09:00:02.0000000Z ##[group]Run npm ci\n"
                      "2026-02-03T09:00:03.0000000Z added 412 packages\n"));
    m_formats.append(
        {u"actions"_s,
         {{u"--task"_s, u"T-actions"_s, path(u"in/actions/job.txt"_s)},
          {u"--task"_s, u"T-"_s + m_corpus.plant(u"github-token"_s, u"actions --task"_s, false),
           u"--command"_s, u"4"_s, path(u"in/actions-id/job.txt"_s)}}});
}

void TestSecretCorpusFormats::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QString error;
    QVERIFY2(m_backends.start(&error), qPrintable(error));
    QVERIFY2(!QStandardPaths::findExecutable(u"pdftotext"_s).isEmpty(),
             "pdftotext (poppler-utils) is needed to read the PDF report");
    // Tasktrail's records, GitHub's JSON, the audit log and command logs, as tst_secretcorpus
    // plants them, on both backends here.
    QDir().mkpath(path(u"in/records"_s));
    QVERIFY(SecretCorpus::Inputs(m_corpus).write(path(u"in/records"_s)));
    m_formats.append({u"records"_s, {{path(u"in/records"_s)}}});
    writeActionsLog();
    writeCopilotLog();
    writeJsonLinesFormat(u"claude-code"_s, claudeCodeLines, std::size(claudeCodeLines));
    writeJsonLinesFormat(u"codex"_s, codexLines, std::size(codexLines));
    writeJsonLinesFormat(u"otlp"_s, otlpLines, std::size(otlpLines));
    m_keysFirst = QStringList{u"version"_s, u"status"_s, u"eval"_s};
    writeDocumentFormat(u"inspect"_s, inspectLog, u".json"_s);
    m_keysFirst.clear();
    writeDocumentFormat(u"swe-agent"_s, sweAgentTrajectory, u".traj"_s);
    writeDocumentFormat(u"openhands"_s, openHandsTrajectory, u".json"_s);
    qInfo("%lld secrets planted", qlonglong(m_corpus.planted()));
}

void TestSecretCorpusFormats::formatLeavesNoSecret_data()
{
    QTest::addColumn<QString>("backend");
    QTest::addColumn<int>("format");
    for (int i = 0; i < m_formats.size(); ++i)
        for (const QString &backend : {u"sqlite"_s, u"postgresql"_s})
            QTest::addRow("%s %s", qPrintable(m_formats.at(i).name), qPrintable(backend))
                << backend << i;
}

// What the database holds: the SQLite file with its write-ahead log, or every row of every
// PostgreSQL table as text and, with `serverFiles`, the server's files (tables, indexes and the
// write-ahead log, of every database the server holds: a leak found there may be an earlier
// row's).
QByteArray TestSecretCorpusFormats::databaseContents(const QString &location, bool serverFiles)
{
    if (!isPostgres(location)) {
        QByteArray all;
        for (const char *suffix : {"", "-wal", "-shm"})
            all += readFile(location + QLatin1StringView(suffix));
        return all;
    }
    QByteArray all;
    const QStringList tables =
        column(location, "SELECT table_name FROM information_schema.tables WHERE "
                         "table_schema = current_schema() AND table_type = 'BASE TABLE'");
    for (const QString &table : tables) {
        const QByteArray sql = "SELECT t::text FROM \"" + table.toUtf8() + "\" t";
        all += column(location, sql.constData()).join(u'\n').toUtf8() + '\n';
    }
    QDirIterator files(m_backends.server().dataDir(), QDir::Files, QDirIterator::Subdirectories);
    while (serverFiles && files.hasNext())
        all += readFile(files.next());
    return all;
}

void TestSecretCorpusFormats::keep(const QString &what, const Run &run)
{
    m_outputs.append({what, run.out.toUtf8() + '\n' + run.err.toUtf8()});
}

void TestSecretCorpusFormats::formatLeavesNoSecret()
{
    QFETCH(QString, backend);
    QFETCH(int, format);
    const Format &f = m_formats.at(format);
    const QString db = m_backends.fresh(backend);
    m_outputs.clear();
    for (const QStringList &args : f.ingests) {
        const Run ingest = cli(QStringList{u"ingest"_s, u"--db"_s, db} + args);
        keep(u"ingest"_s, ingest);
        QVERIFY2(ingest.exitCode == 0 || ingest.exitCode == 1, qPrintable(ingest.err));
    }
    const QStringList tasks = column(db, "SELECT id FROM task ORDER BY id");
    QVERIFY2(tasks.size() >= f.ingests.size(),
             QByteArray(m_outputs.constFirst().second + m_outputs.constLast().second)
                 .left(3000)
                 .constData());

    // Every kind reached the store, redacted; none of the secrets is left.
    const QByteArray rows = databaseContents(db, false);
    for (const QString &kind : SecretCorpus::kinds())
        QVERIFY2(rows.contains((u"[REDACTED:"_s + kind).toUtf8()), qPrintable(kind));
    const QByteArray contents = databaseContents(db, true);
    QVERIFY(!contents.contains("RawTokenOfTheIdentity")); // hashed, then dropped
    QStringList leaks = m_corpus.leaks(contents, u"database"_s);
    QVERIFY2(leaks.isEmpty(), qPrintable(leaks.mid(0, 40).join(u'\n')));

    // Every output.
    const auto run = [&](const QString &what, const QStringList &args) {
        keep(what, cli(args + QStringList{u"--db"_s, db}));
    };
    // Every task as JSON (all of its fields) and attested; the text views, which print the
    // same fields, of every third.
    for (qsizetype i = 0; i < tasks.size(); ++i) {
        const QString &task = tasks.at(i);
        run(u"show --format json "_s + task, {u"show"_s, u"--format"_s, u"json"_s, task});
        run(u"attest "_s + task, {u"attest"_s, task});
        if (i % 3 == 0) {
            run(u"show "_s + task, {u"show"_s, task});
            run(u"show --transcript "_s + task, {u"show"_s, u"--transcript"_s, task});
        }
    }
    for (qsizetype i = 0; i + 1 < tasks.size() && i < 6; ++i) {
        const QStringList pair{tasks.at(i), tasks.at(i + 1)};
        run(u"compare "_s + pair.join(u' '), QStringList{u"compare"_s} + pair);
        run(u"compare --format json "_s + pair.join(u' '),
            QStringList{u"compare"_s, u"--format"_s, u"json"_s} + pair);
        run(u"compare --command 1 "_s + pair.join(u' '),
            QStringList{u"compare"_s, u"--command"_s, u"1"_s} + pair);
    }
    QTemporaryDir reports;
    QVERIFY(reports.isValid());
    for (const QString &fmt : {u"csv"_s, u"md"_s, u"json"_s, u"html"_s, u"pdf"_s}) {
        const QString out = reports.filePath(u"report."_s + fmt);
        run(u"report "_s + fmt, {u"report"_s, u"--quiet"_s, u"-f"_s, fmt, u"-o"_s, out});
    }
    const QStringList files = QDir(reports.path()).entryList(QDir::Files);
    QVERIFY(files.contains(u"report.pdf"_s));
    for (const QString &file : files) {
        if (!file.endsWith(u".pdf"_s)) {
            m_outputs.append({u"report file "_s + file, readFile(reports.filePath(file))});
            continue;
        }
        QProcess text;
        text.start(u"pdftotext"_s, {u"-layout"_s, reports.filePath(file), u"-"_s});
        QVERIFY(text.waitForFinished(120000));
        const QByteArray pdfText = text.readAllStandardOutput();
        QVERIFY2(!pdfText.trimmed().isEmpty(), "the PDF has no text");
        m_outputs.append({u"report file "_s + file + u" (pdftotext)"_s, pdfText});
    }
    for (const QString &words : {u"redacted"_s, u"authorization"_s, u"bearer"_s, u"ghp"_s,
                                 u"token"_s, u"npm"_s, u"QZ000100"_s}) {
        run(u"search "_s + words, {u"search"_s, u"--limit"_s, u"1000"_s, words});
        run(u"search --format json "_s + words,
            {u"search"_s, u"--format"_s, u"json"_s, u"--limit"_s, u"1000"_s, words});
    }
    run(u"overview"_s, {u"overview"_s});
    run(u"overview --format json"_s, {u"overview"_s, u"--format"_s, u"json"_s});
    run(u"findings"_s, {u"findings"_s});
    run(u"findings --format json"_s, {u"findings"_s, u"--format"_s, u"json"_s});
    run(u"stats"_s, {u"stats"_s});
    run(u"verify"_s, {u"verify"_s});
    run(u"check"_s, {u"check"_s});

    for (const auto &[what, bytes] : std::as_const(m_outputs))
        leaks += m_corpus.leaks(bytes, what);
    QVERIFY2(leaks.isEmpty(), qPrintable(leaks.mid(0, 40).join(u'\n')));
    // And the outputs did show records: a redacted secret is there to see.
    QVERIFY(std::any_of(m_outputs.cbegin(), m_outputs.cend(), [](const auto &o) {
        return o.first.startsWith(u"show "_s) && o.second.contains("[REDACTED:");
    }));
}

QTEST_GUILESS_MAIN(TestSecretCorpusFormats)
#include "tst_secretcorpusformats.moc"
