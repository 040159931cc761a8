"""Find secrets in file text and replace their values with ``[REDACTED:<type>]``.

detect-secrets' plugins are accurate but slow line by line, so a cheap screen runs first: one
Aho-Corasick pass (ahocorasick-rs) over the text finds the substrings without which a known token
format or a secret keyword cannot occur. Only the detectors and lines that pass the screen run the
plugins' own regexes (known formats, the keyword detector); quoted base64 strings get
detect-secrets' entropy test. Private key blocks are removed whole.

Beyond detect-secrets' line regexes: unquoted shell-style ``NAME=value`` assignments (``export``,
Dockerfile ``ENV``, compose ``- NAME=value``, ``MYSQL_PWD=… mysql``), which detect-secrets finds
only by re-reading a whole file as INI; XML elements (``<password>…</password>``); and URLs
with an empty user name (``redis://:pw@host``).
"""

from __future__ import annotations

import math
import re
from collections import Counter

import ahocorasick_rs
from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class
from detect_secrets.filters.heuristic import is_sequential_string
from detect_secrets.plugins.base import RegexBasedDetector
from detect_secrets.plugins.keyword import (
    DENYLIST,
    QUOTES_REQUIRED_DENYLIST_REGEX_TO_GROUP,
    REGEX_BY_FILETYPE,
)
from detect_secrets.util.filetype import FileType, determine_file_type

from repoagent.pack.redaction import Redaction

#: Per detector type, substrings without which it cannot match (plain ``in`` checks are fast).
_NEEDLES: dict[str, tuple[str, ...]] = {
    "Artifactory Credentials": ("AKC",),
    "AWS Access Key": ("AKIA", "ASIA", "ABIA", "ACCA", "A3T", "aws", "AWS", "Aws"),
    "Azure Storage Account access key": ("AccountKey=",),
    "Basic Auth Credentials": ("://",),
    "Cloudant Credentials": ("cloudant", "Cloudant", "CLOUDANT"),
    "GitHub Token": ("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"),
    "GitLab Token": (
        "glpat-",
        "gldt-",
        "glft-",
        "glrt-",
        "glsoat-",
        "glcbt-",
        "glimt-",
        "glptt-",
        "glagent-",
        "gloas-",
        "GR1348941",
    ),
    "IBM Cloud IAM Key": ("ibm", "IBM", "Ibm"),
    "IBM COS HMAC Credentials": ("ibm", "IBM", "Ibm"),
    "JSON Web Token": ("eyJ",),
    "Mailchimp Access Key": ("-us",),
    "NPM tokens": ("_authToken", "npm_"),
    "OpenAI Token": ("T3BlbkFJ", "sk-proj-", "sk-svcacct-", "sk-admin-"),
    "Anthropic API Key": ("sk-ant-",),
    "Google API Key": ("AIza",),
    "Hugging Face Token": ("hf_",),
    "PyPI Token": ("pypi-AgE",),
    "SendGrid API Key": ("SG.",),
    "Slack Token": ("xox", "hooks.slack"),
    "SoftLayer Credentials": ("softlayer", "SoftLayer", "SOFTLAYER"),
    "Square OAuth Secret": ("sq0csp-",),
    "Stripe Access Key": ("k_live_",),
}
_KEYWORD_NEEDLES = [
    "pass",
    "Pass",
    "PASS",
    "pwd",
    "PWD",
    "secret",
    "Secret",
    "SECRET",
    "key",
    "Key",
    "KEY",
    "contrase",
    "Contrase",
]
_PEM_NEEDLES = ("PRIVATE KEY", "PuTTY-User-Key")
_SCREEN_WORDS = sorted(
    {n for needles in _NEEDLES.values() for n in needles} | {*_KEYWORD_NEEDLES, *_PEM_NEEDLES}
)
_SCREEN = ahocorasick_rs.AhoCorasick(_SCREEN_WORDS)
_KIND_OF_WORD = {
    index: {kind for kind, needles in _NEEDLES.items() if word in needles}
    for index, word in enumerate(_SCREEN_WORDS)
}
_KEYWORD_WORDS = {_SCREEN_WORDS.index(w) for w in _KEYWORD_NEEDLES}
_PEM_WORDS = {_SCREEN_WORDS.index(w) for w in _PEM_NEEDLES}
_KEYWORD = re.compile("(?i)" + "|".join(DENYLIST))
_PRIVATE_KEY = re.compile(
    r"-----BEGIN[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----"
    r"(?:[\s\S]*?-----END[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|(?:\r?\n[A-Za-z0-9+/=:\- ]*)*)"
    r"|PuTTY-User-Key-File-\d[\s\S]*?Private-MAC:.*"
)
#: A keyword line must assign a literal: ``= "…"``, ``: '…'``, ``=> "…"`` or an unquoted config
#: value. A comparison (``==``, ``!=``, ``===``, ``<=``, ``>=``) with a literal is not one.
_ASSIGNMENT = re.compile(
    r"""(?:=>|(?<![=!<>])=(?![=>])|:)\s*[\[{(]?\s*[@"'`]"""
    r"""|^\s*(?:export\s+)?[\w.-]+\s*(?::|=(?!=))\s*[^\s"'`=]"""
)
#: Between a keyword and its value (or a value and its keyword): the match is a comparison.
_COMPARISON = re.compile(r"[=!<>]=")
#: Kinds whose patterns' first group is an alternation inside the token, not the secret value.
_WHOLE_MATCH_KINDS = {"GitHub Token", "GitLab Token"}
_MIN_GROUP_SECRET = 4
#: ``.env`` files (``.env``, ``.env.production``, ``prod.env``, ``.envrc``) hold ``KEY=value``
#: lines without quotes: scanned like INI files, which detect-secrets does not do for them.
_ENV_FILE = re.compile(r"(?:^|/)(?:\.env(?:\.[^/]*)?|[^/]+\.env|\.envrc)$")
#: Shell-style ``NAME=value`` with an unquoted value that ends the word (``NAME=f()``, ``$X`` and
#: ``${X}`` are code, not values).
_UNQUOTED = re.compile(
    r"""(?<![\w.$])(?:--?)?([A-Za-z_]\w*)=([^\s"'`;&|<>(){}\[\]$,=]+)(?=[\s;&|"',]|$)"""
)
#: In code, only UPPER_CASE names are environment-style, and a bare name is a variable:
#: ``f(password=pw)``, ``env(DB_PASSWORD=db_password)``.
_UPPER_NAME = re.compile(r"[A-Z][A-Z0-9_]*")
_IDENTIFIER = re.compile(r"[A-Za-z_]\w*(?:\.\w+)*")
#: Extensionless scripts say their language on the first line.
_CODE_SHEBANG = re.compile(r"#!.*\b(?:python|node|ruby|perl|php)")
#: Names that hold where a secret is, or its shape, rather than the secret.
_NOT_SECRET_NAME = re.compile(
    r"(?i)_(?:file|path|dir|env|var|name|field|len|length|size|type|id|mode|cmd|command|url)s?$"
)
_CONFIG_TYPES = {FileType.YAML, FileType.CONFIG, FileType.INI, FileType.PROPERTIES, FileType.TOML}
_CODE_TYPES = {*REGEX_BY_FILETYPE, FileType.PHP} - _CONFIG_TYPES
_XML_ELEMENT = re.compile(
    r"<([\w:.-]*?(?:" + "|".join(DENYLIST) + r")[\w:.-]*)(?:\s[^<>]*)?>([^<>\s]+)</\1>",
    re.IGNORECASE,
)
_PLACEHOLDER = re.compile(
    r"(?i)change[_-]?(?:me|it)|placeholder|example|dummy|redacted|\*+|x{3,}|your[_-]?[\w-]*"
)
_QUOTED_B64 = re.compile(r"""(['"])([A-Za-z0-9+/=_-]{20,})\1""")
_B64_ENTROPY_LIMIT = 4.5


def _format_detectors() -> list[tuple[str, re.Pattern[str]]]:
    found: list[tuple[str, re.Pattern[str]]] = []
    plugin: type
    for secret_type, plugin in sorted(get_mapping_from_secret_type_to_class().items()):
        if issubclass(plugin, RegexBasedDetector) and secret_type in _NEEDLES:
            patterns: list[re.Pattern[str]] = list(getattr(plugin, "denylist", ()))
            found.extend((secret_type, pattern) for pattern in patterns)
    # Fine-grained GitHub tokens are newer than detect-secrets' GitHub plugin.
    found.append(("GitHub Token", re.compile(r"github_pat_[A-Za-z0-9_]{22,255}")))
    # Formats newer than detect-secrets' plugins (gitleaks has rules for them): a model
    # provider's key in a README or an unquoted YAML value went out as it was.
    found += [
        ("OpenAI Token", re.compile(r"sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{20,}")),
        ("Anthropic API Key", re.compile(r"sk-ant-(?:api|admin)\d\d-[A-Za-z0-9_-]{20,}")),
        ("Google API Key", re.compile(r"(?<![\w-])AIza[0-9A-Za-z_-]{35}(?![\w-])")),
        ("NPM tokens", re.compile(r"(?<!\w)npm_[A-Za-z0-9]{36}(?!\w)")),
        ("Hugging Face Token", re.compile(r"(?<!\w)hf_[A-Za-z0-9]{34,}(?!\w)")),
    ]
    # detect-secrets' Basic Auth pattern wants a user name; `redis://:password@host` has none.
    found.append(("Basic Auth Credentials", re.compile(r"://:([^{}\s:@/]+)@")))
    # detect-secrets' JWT pattern ends lazily; take the whole signature too.
    found = [(k, p) for k, p in found if k != "JSON Web Token"]
    found.append(
        ("JSON Web Token", re.compile(r"eyJ[A-Za-z0-9_=-]+\.[A-Za-z0-9_=-]+\.?[A-Za-z0-9_.+/=-]*"))
    )
    return found


_DETECTORS = _format_detectors()


def find_secrets(path: str, text: str) -> list[Redaction]:
    """Return the secret spans in ``text`` (sorted, non-overlapping)."""
    spans: list[Redaction] = []
    kinds_by_line: dict[int, set[str]] = {}
    keyword_hits: list[int] = []
    pem = False
    for word, start, _end in _SCREEN.find_matches_as_indexes(text, overlapping=False):
        if word in _KEYWORD_WORDS:
            keyword_hits.append(start)
        elif word in _PEM_WORDS:
            pem = True
        else:
            line_start = text.rfind("\n", 0, start) + 1
            kinds_by_line.setdefault(line_start, set()).update(_KIND_OF_WORD[word])
    if pem:
        spans += [Redaction(m.start(), m.end(), "Private Key") for m in _PRIVATE_KEY.finditer(text)]
    for line_start, kinds in kinds_by_line.items():
        line_end = text.find("\n", line_start)
        line = text[line_start : line_end if line_end != -1 else len(text)]
        spans += _known_formats(line, line_start, kinds)
    if keyword_hits:
        spans += _keywords(path, text, keyword_hits)
    for match in _QUOTED_B64.finditer(text):
        # detect-secrets' own filter: an alphabet or a digit run is test data, not a secret
        # (zod's base64 tests showed "[REDACTED:…]" for "abcdefghijklmnopqrstuvwxyz").
        if _entropy(match.group(2)) > _B64_ENTROPY_LIMIT and not is_sequential_string(
            match.group(2)
        ):
            spans.append(Redaction(match.start(2), match.end(2), "Base64 High Entropy String"))
    return _merge(spans)


def _known_formats(text: str, offset: int, present: set[str]) -> list[Redaction]:
    """Known token formats in one line of text (``offset``: where the line starts)."""
    found = []
    for kind, pattern in _DETECTORS:
        if kind not in present:
            continue
        for match in pattern.finditer(text):
            start, end = match.span()
            shortest = 8
            if pattern.groups and kind not in _WHOLE_MATCH_KINDS and match.group(1):
                # Only the value: `http://user:[REDACTED]@host` stays a URL.
                start, end = match.span(1)
                shortest = _MIN_GROUP_SECRET
            while start < end and text[start] in " \t\r\n\"'=:":
                start += 1
            while end > start and text[end - 1] in " \t\r\n\"'=:":
                end -= 1
            if end - start >= shortest:
                found.append(Redaction(offset + start, offset + end, kind))
    return found


def _keywords(path: str, text: str, hits: list[int]) -> list[Redaction]:
    kind = FileType.INI if _ENV_FILE.search(path) else determine_file_type(path)
    regexes = REGEX_BY_FILETYPE.get(kind, QUOTES_REQUIRED_DENYLIST_REGEX_TO_GROUP)
    code = kind in _CODE_TYPES or bool(_CODE_SHEBANG.match(text, 0, 200))
    found = []
    seen: set[int] = set()
    for hit in hits:
        # A line ends at \n, \r\n or \r: the \r is no part of an unquoted value. (The \r
        # searches stay inside the \n-line: a whole-text search per hit is quadratic.)
        after_newline = text.rfind("\n", 0, hit) + 1
        start = text.rfind("\r", after_newline, hit) + 1 or after_newline
        if start in seen:
            continue
        seen.add(start)
        end = text.find("\n", hit)
        end = len(text) if end == -1 else end
        carriage_return = text.find("\r", hit, end)
        line = text[start : end if carriage_return == -1 else carriage_return]
        if len(line) >= 1000 or not _KEYWORD.search(line):
            continue
        if _ASSIGNMENT.search(line):
            found += _scan_keywords(line, start, regexes)
        if "=" in line:
            found += _unquoted_assignments(line, start, code)
        if "</" in line:
            found += [
                Redaction(start + m.start(2), start + m.end(2), "Secret Keyword")
                for m in _XML_ELEMENT.finditer(line)
                if _plausible_secret(m.group(2))
            ]
    return found


def _unquoted_assignments(line: str, offset: int, code: bool) -> list[Redaction]:
    """``NAME=value`` words whose name says secret: only the value is redacted."""
    found = []
    for match in _UNQUOTED.finditer(line):
        name, value = match.groups()
        if (
            _KEYWORD.search(name)
            and not _NOT_SECRET_NAME.search(name)
            and value.lower() != name.lower()
            and (not code or (_UPPER_NAME.fullmatch(name) and not _IDENTIFIER.fullmatch(value)))
            and _plausible_secret(value)
        ):
            found.append(
                Redaction(offset + match.start(2), offset + match.end(2), "Secret Keyword")
            )
    return found


def _scan_keywords(line: str, offset: int, regexes: dict[re.Pattern[str], int]) -> list[Redaction]:
    found = []
    for regex, group in regexes.items():
        for match in regex.finditer(line):
            if not match.group(group) or not _plausible_secret(match.group(group)):
                continue
            start, end = match.span(group)
            # `password == 'always'` and `'on' != secret` test a value; they hold none.
            if _COMPARISON.search(line, match.start(), start) or _COMPARISON.search(
                line, end, match.end()
            ):
                continue
            found.append(Redaction(offset + start, offset + end, "Secret Keyword"))
    return found


def _plausible_secret(value: str) -> bool:
    # Skip code, not secrets: references (os.environ[...]), templating, placeholders.
    value = value.strip()
    if len(value) < 4 or value.lower() in {"none", "null", "true", "false", "password", "secret"}:
        return False
    if _PLACEHOLDER.fullmatch(value):
        return False
    return not re.search(r"[\s(){}\[\]$<>]|^\W|\.\w+\(|^(os|env|self|config)\b", value)


def _entropy(value: str) -> float:
    counts = Counter(value)
    return -sum(n / len(value) * math.log2(n / len(value)) for n in counts.values())


def _merge(spans: list[Redaction]) -> list[Redaction]:
    merged: list[Redaction] = []
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if merged and span.start < merged[-1].end:
            last = merged[-1]
            if span.end > last.end:
                merged[-1] = Redaction(last.start, span.end, last.kind)
            continue
        merged.append(span)
    return merged
