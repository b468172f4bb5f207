#pragma once

#include "tomlreader.h"

namespace Tasktrail {

// Reads an unquoted TOML value (true/false, a decimal integer, an offset date-time) into
// *out. Returns why the token is not one, naming what it looks like instead ("floating-point
// numbers are not supported"), or an empty string.
QString readTomlScalar(const QString &token, TomlValue *out);

} // namespace Tasktrail
