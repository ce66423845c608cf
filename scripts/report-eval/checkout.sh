#!/usr/bin/env bash
# checkout.sh [REPOS_DIR]: recreate the trees of docs.json under REPOS_DIR
# (default /work/repos) from the fetched mirrors (/work/.mirror/OWNER+NAME/repo,
# the `fetch` tool's bare git directories). Each tree is the commit's files
# (blobs the snapshot lacks, such as large images, are left out) committed
# once in a fresh git repository, so planrecon reads a clean checkout. Existing
# trees are left alone.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repos=${1:-/work/repos}
python3 - "$here/docs.json" <<'PY' | sort -u | while read -r repo commit checkout; do
import json, sys
for d in json.load(open(sys.argv[1])):
    print(d["repo"], d["tree_commit"], d["checkout"])
PY
  dest=$repos/$checkout
  [ -d "$dest" ] && { echo "exists: $dest"; continue; }
  git_dir=/work/.mirror/${repo/\//+}/repo
  [ -d "$git_dir" ] || { echo "no mirror for $repo (fetch github:$repo first)" >&2; exit 1; }
  mkdir -p "$dest"
  git --git-dir="$git_dir" ls-tree -r "$commit" | while read -r mode type sha path; do
    [ "$type" = blob ] || continue
    mkdir -p "$dest/$(dirname "$path")"
    git --git-dir="$git_dir" cat-file blob "$sha" > "$dest/$path" 2>/dev/null || rm -f "$dest/$path"
  done
  (cd "$dest" && git init -q && git add -A && git -c user.email=eval@localhost -c user.name=eval \
     commit -qm "snapshot of $repo@$commit")
  echo "made: $dest"
done
