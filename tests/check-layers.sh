#!/usr/bin/env bash
# Fails when a file includes a header from a layer above its own (docs/architecture.md).
# Each line of `layers` is one rank; a layer may include its own headers and those of lower
# ranks only. Siblings on one rank (ingest and query; report, launch and sync) may not include each
# other. ui/ may include any core layer; app/ any core layer, and app/gui also ui/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

layers=(
  "records"
  "text"
  "store"
  "github"
  "policy"
  "ingest query"
  "report launch sync"
  "demo"
)
declare -A rank
for i in "${!layers[@]}"; do
  for l in ${layers[$i]}; do rank[$l]=$i; done
done

status=0
while IFS= read -r -d '' file; do
  dir=${file#core/}; own=${dir%%/*}
  [ -n "${rank[$own]+x}" ] || { echo "$file: core/$own is not a known layer"; status=1; continue; }
  while IFS=: read -r line inc; do
    target=$(sed -E 's/.*#include "([a-z]+)\/.*/\1/' <<<"$inc")
    [ "$target" = "$own" ] && continue
    if [ -z "${rank[$target]+x}" ]; then
      echo "$file:$line: includes \"$target/...\", which is not a core layer"; status=1
    elif [ "${rank[$target]}" -ge "${rank[$own]}" ]; then
      echo "$file:$line: $own (rank ${rank[$own]}) includes $target (rank ${rank[$target]}): layers point down only"
      status=1
    fi
  done < <(grep -nE '^#include "[a-z]+/' "$file" | sed -E 's/^([0-9]+):/\1:/' || true)
done < <(find core -name '*.h' -print0 -o -name '*.cpp' -print0)

# The CLI and the core never include the widgets layer.
if grep -rnE '^#include "(ui|report)/.*(view|dialog|widget|model)\.h"|^#include <Q(Application|Widget|MainWindow)' \
     app/cli core; then
  echo "app/cli or core includes widget code"; status=1
fi
[ $status -eq 0 ] && echo "layers: every include points down"
exit $status
