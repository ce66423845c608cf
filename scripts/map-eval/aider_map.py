"""aider's repository map (aider-chat 0.86.2, `aider.repomap.RepoMap`) driven
in-process, fitted to a real o200k token budget.

aider fits its map with an estimated token count (a sample of the lines) and
stops within 15% of the target; here the same ranked tags are cut at the
largest prefix whose rendered map, counted with tiktoken's o200k_base, fits
the budget, so both tools get exactly the same number of real tokens.

The tags cache is kept in memory (aider would write `.aider.tags.cache.v4`
inside the repository). Run with PYTHONHASHSEED fixed: aider's ranking
iterates over sets of strings.
"""

import glob
import hashlib
import os
import shutil

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")


def _offline_o200k():
    """tiktoken downloads its BPE file; offline, seed its cache with the copy
    the tiktoken-rs crate ships (tiktoken checks the file's hash)."""
    url = "https://openaipublic.blob.core.windows.net/encodings/o200k_base.tiktoken"
    cache = os.environ.setdefault("TIKTOKEN_CACHE_DIR", "/tmp/tiktoken-cache")
    dest = os.path.join(cache, hashlib.sha1(url.encode()).hexdigest())
    if os.path.exists(dest):
        return
    found = glob.glob(os.path.expanduser(
        "~/.cargo/registry/src/*/tiktoken-rs-*/assets/o200k_base.tiktoken"))
    if found:
        os.makedirs(cache, exist_ok=True)
        shutil.copyfile(sorted(found)[-1], dest)


_offline_o200k()

import tiktoken  # noqa: E402
from aider.repomap import RepoMap  # noqa: E402
from aider.special import filter_important_files  # noqa: E402

O200K = tiktoken.get_encoding("o200k_base")


def count(text):
    return len(O200K.encode(text, disallowed_special=()))


class _Model:
    """The one method RepoMap asks of a model."""

    def token_count(self, text):
        return count(text)


class _IO:
    def tool_output(self, *a, **k):
        pass

    tool_warning = tool_error = tool_output

    def read_text(self, fname):
        try:
            with open(fname, encoding="utf-8", errors="replace") as f:
                return f.read()
        except OSError:
            return None


class _Map(RepoMap):
    def load_tags_cache(self):
        self.TAGS_CACHE = {}


class AiderMap:
    """One repository tree: tags parsed once, maps for any budget and focus."""

    def __init__(self, root, rel_files):
        self.root = os.path.abspath(root)
        self.files = [os.path.join(self.root, f) for f in rel_files]
        self.rm = _Map(map_tokens=1024, root=self.root, main_model=_Model(), io=_IO())
        self._ranked = {}

    def ranked(self, mentioned):
        key = tuple(sorted(mentioned))
        if key not in self._ranked:
            tags = self.rm.get_ranked_tags([], self.files, set(mentioned), set())
            # As get_ranked_tags_map_uncached: important files first.
            rel = sorted(set(self.rm.get_rel_fname(f) for f in self.files))
            have = set(t[0] for t in tags)
            special = [(f,) for f in filter_important_files(rel) if f not in have]
            self._ranked[key] = special + tags
        return self._ranked[key]

    def render(self, budget, mentioned=()):
        """The largest map of aider's ranking whose o200k count fits `budget`."""
        tags = self.ranked(mentioned)
        self.rm.tree_cache = {}
        lo, hi, best = 0, len(tags), ""
        while lo < hi:
            mid = (lo + hi + 1) // 2
            text = self.rm.to_tree(tags[:mid], set())
            if count(text) <= budget:
                lo, best = mid, text
            else:
                hi = mid - 1
        return best
