#!/usr/bin/env bash
# The style suite: every C file of the project is formatted as .clang-format
# says, and comments name what code is for, never a tracker number.
#   check-style.sh SRCDIR clang-format|comments
set -euo pipefail

srcdir=$1
what=$2
cd "$srcdir"

# Tracked files in a checkout; every file below the source tree otherwise
# (a release tarball).
list() {
  if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git ls-files -- "$@"
  else
    find . -type f \( -name '*.c' -o -name '*.h' -o -name 'meson.build' -o -name '*.md' \) \
      -not -path './build*' | sed 's#^\./##'
  fi
}

case $what in
  clang-format)
    if ! command -v clang-format >/dev/null; then
      echo "clang-format is not installed (tools/deps.sh installs it)" >&2
      exit 77
    fi
    mapfile -t files < <(list '*.c' '*.h' | grep -E '\.[ch]$')
    if ! clang-format --dry-run -Werror "${files[@]}"; then
      echo "FAIL: run clang-format -i on the files above" >&2
      exit 1
    fi
    echo "${#files[@]} C files formatted as .clang-format says"
    ;;
  comments)
    mapfile -t files < <(list 'src/*' 'tests/*' 'tools/*' 'bench/*' 'docs/*' 'data/*' 'ui/*' \
      'packaging/*' 'README.md' 'CONTRIBUTING.md')
    if hits=$(grep -nE '\(issue [0-9]+|/work/' -- "${files[@]}" 2>/dev/null | grep -v '^tests/data/check-style.sh:'); then
      echo "FAIL: say what the code is for, not an issue number; refer to ../shared/... not a machine's path:" >&2
      echo "$hits" >&2
      exit 1
    fi
    echo "no issue numbers or machine paths in ${#files[@]} files"
    ;;
  *)
    echo "usage: check-style.sh SRCDIR clang-format|comments" >&2
    exit 2
    ;;
esac
