#!/usr/bin/env bash
# tasktrail-cli must not load QtWidgets, not even for a PDF report (which needs Qt Gui on the
# offscreen platform): run it under the dynamic loader's trace and look at every object loaded.
# usage: check-cli-no-widgets.sh /path/to/tasktrail-cli
set -euo pipefail
cli=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/empty"
"$cli" ingest --db "$work/t.db" "$work/empty" >/dev/null 2>&1 || true
[ -f "$work/t.db" ] || { echo "could not create a database"; exit 1; }
for verb in "stats --db $work/t.db" "report --db $work/t.db --format pdf -o $work/r.pdf"; do
  # shellcheck disable=SC2086
  LD_DEBUG=files "$cli" $verb >"$work/out" 2>"$work/trace" ||
    { echo "tasktrail-cli $verb failed:"; grep -v '^ *[0-9]*:' "$work/trace"; exit 1; }
  grep -q 'calling init: .*libQt6Core' "$work/trace" || { echo "no loader trace for: $verb"; exit 1; }
  if grep -E 'file=.*libQt6(Widgets|Charts|OpenGLWidgets)' "$work/trace"; then
    echo "tasktrail-cli $verb loaded a widgets library"; exit 1
  fi
done
head -c 4 "$work/r.pdf" | grep -q '%PDF' || { echo "no PDF written"; exit 1; }
echo "tasktrail-cli loads no widgets library (stats, report --format pdf)"
