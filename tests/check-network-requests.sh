#!/usr/bin/env bash
# Fails when a file outside GitHubClient makes its own HTTP requests: every request Tasktrail
# makes goes through GitHubClient::dispatch() (core/github/githubclient.cpp), the one place
# that decides where a token may go and which redirects are followed (docs/security.md).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

status=0
while IFS=: read -r file line text; do
  case "$file" in
    core/github/githubclient.h | core/github/githubclient.cpp) continue ;;
  esac
  echo "$file:$line: uses ${text//[[:space:]]/ }: requests go through GitHubClient only"
  status=1
done < <(grep -rnoE --include='*.h' --include='*.cpp' \
           'QNetworkAccessManager|QNetworkRequest|QNetworkReply' core app ui || true)
exit $status
