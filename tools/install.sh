#!/usr/bin/env bash
# Usage: tools/install.sh NAME   (tfplugindocs | golangci-lint | goreleaser | terraform)
# Builds the pinned version of a tool from the Go module proxy into $TOOLS_DIR (default .tools/,
# git-ignored) unless that exact version is already there, and prints the binary's path.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=/dev/null
source "$here/versions.env"
name=${1:?usage: tools/install.sh NAME}
case "$name" in
  tfplugindocs) pkg=$TFPLUGINDOCS ;;
  golangci-lint) pkg=$GOLANGCI_LINT ;;
  goreleaser) pkg=$GORELEASER ;;
  terraform) pkg=$TERRAFORM ;;
  *) echo "tools/install.sh: unknown tool $name" >&2; exit 2 ;;
esac
dir=${TOOLS_DIR:-$here/../.tools}/$name/${pkg##*@}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
if [ ! -x "$dir/$name" ]; then
  echo "building $pkg (once per machine) ..." >&2
  GOBIN="$dir" GOFLAGS=-buildvcs=false go install "$pkg" >&2
fi
echo "$dir/$name"
