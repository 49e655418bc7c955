"""One fuzz session: a real server over stdio, a temporary project, random edits, requests and
(sometimes) protocol abuse, with the properties of issue 9 checked as messages arrive.

Everything the session sends is drawn from ``random.Random(seed)`` alone (never from what the
server answers), so a seed replays the same messages; the timing of the server's answers is
the only difference between two runs.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.fuzz import texts
from tests.fuzz.abuse import abuse
from tests.fuzz.client import Client, Message, ServerGone
from tests.fuzz.lsp import ENCODINGS, Lines, check_range, is_range, to_utf16, units

ROOT = Path(__file__).resolve().parents[2]
SERVER = [sys.executable, "-m", "agentls", "serve"]
CLI = [sys.executable, "-m", "agentls", "check", "--format", "json"]
KINDS = ("crash", "hang", "error", "range", "stale", "disagree")
SEVERITY = {1: "error", 2: "warning", 3: "information", 4: "hint"}
# Requests a client may send about a document (the unsupported ones must be answered too).
METHODS = [
    "textDocument/hover",
    "textDocument/completion",
    "textDocument/codeAction",
    "textDocument/documentSymbol",
    "textDocument/foldingRange",
    "textDocument/documentLink",
    "textDocument/definition",
    "textDocument/references",
    "textDocument/prepareRename",
    "textDocument/rename",
    "textDocument/documentColor",
    "textDocument/colorPresentation",
    "workspace/symbol",
    "textDocument/semanticTokens/full",
    "textDocument/documentHighlight",
    "textDocument/signatureHelp",
]
ODD_FOLDERS = ["my proj", "é-ü", "a#b", "c+d", "100%", "x y#z+é", "日本"]
# extra globs a user maps to a dialect (the CLI's --pattern)
PATTERNS = [
    ("claude-agent", "docs/*.md"),
    ("claude-skill", "skills/*/SKILL.md"),
    ("vscode-prompt", "README.md"),
    ("cursor-rule", ".claude/agents/*.md"),
]
CLAUDE_VERSIONS = ["2.0.76", "2.1.50", "2.1.69", "latest"]
SEVERITY_CODES = ["AGL303", "AGL200", "AGL300", "AGL101", "AGL001", "AGL800", "AGL801"]
LEVELS = ["error", "warning", "information", "hint", "off"]


@dataclass
class Failure:
    kind: str  # one of KINDS
    detail: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.detail}"


@dataclass
class Options:
    timeout: float = 10.0  # the latest version's diagnostics must arrive within this
    request_timeout: float = 20.0  # every request must be answered within this
    abuse: bool = True  # a minority of sessions write protocol abuse
    out: str = str(ROOT / ".fuzz-failures")  # reproducers
    server: list[str] = field(default_factory=lambda: list(SERVER))
    cli: list[str] = field(default_factory=lambda: list(CLI))
    encoding: str | None = None  # force one position encoding
    pythonpath: str = str(ROOT / "server")  # the agentls package run (server and CLI)
    big: float = 0.3  # share of sessions with a ~10 kB SKILL.md


@dataclass
class Result:
    seed: int
    messages: int = 0
    failures: list[Failure] = field(default_factory=list)
    reproducer: str | None = None
    encoding: str = ""
    abuse: bool = False
    latency: float = 0.0  # the longest wait from a change to its diagnostics (seconds)


@dataclass
class Doc:
    rel: str
    path: str
    uri: str
    disk: str | None  # the file's text on disk (the server reads it once the document is
    # closed); None once the fuzzer deleted it
    text: str = ""  # the editor's text (shadow of the server's copy) while open
    version: int = 0
    open: bool = False
    history: dict[int, str] = field(default_factory=dict)  # versions sent, not yet superseded
    expect: int | None = None  # a version whose diagnostics are due
    expect_sent: float = 0.0  # when it was sent
    last_version: int | None = None  # of the last publishDiagnostics
    last: list[dict[str, Any]] | None = None  # its diagnostics
    closes: int = 0  # didClose sent, whose empty publish has not arrived yet


@dataclass
class Pending:
    method: str
    uri: str | None
    texts: dict[str, str]  # uri -> text when the request was sent
    sent: float
    abuse: str | None = None


class Hung(Exception):
    pass


class Session:
    def __init__(self, seed: int, opts: Options) -> None:
        self.seed = seed
        self.opts = opts
        self.rng = random.Random(seed)
        self.result = Result(seed)
        self.docs: list[Doc] = []
        self.by_uri: dict[str, Doc] = {}
        self.pending: dict[int | str, Pending] = {}
        self.optional: set[int | str] = set()  # ids that may or may not be answered
        self.enc = "utf-16"
        self.incremental = False
        self.indexed = False
        self.settings: dict[str, Any] = {}
        self.responses: dict[int | str, Message] = {}
        self.client: Client | None = None
        self.root = ""
        self.home = ""
        self.workspace = "rootUri"  # how the workspace is given: rootUri, folders, both, none
        self.is_abuse = False
        self.lower_hex = False
        self.watching = False  # the client watches files (and reports changes on disk)
        self.extra: set[str] = set()  # files the session created on disk (not documents)
        self.initial: dict[str, str | None] = {}  # relative path -> text, at the start

    def uri_of(self, path: str) -> str:
        uri = Path(path).as_uri()
        return re.sub(r"%[0-9A-F]{2}", lambda m: m.group(0).lower(), uri) if self.lower_hex else uri

    # --- failures ----------------------------------------------------------------------------
    def fail(self, kind: str, detail: str) -> None:
        assert kind in KINDS
        if self.client is not None:
            self.client.note(f"FAILURE {kind}: {detail}")
        failure = Failure(kind, detail)
        if failure not in self.result.failures and len(self.result.failures) < 50:
            self.result.failures.append(failure)

    # --- main ----------------------------------------------------------------------------------
    def run(self) -> Result:
        tmp = tempfile.mkdtemp(prefix="agentls-fuzz-")
        try:
            self._run(tmp)
        finally:
            client = self.client
            if client is not None:
                client.kill()
                self.result.messages = client.sent + client.received
                if self.result.failures:
                    self.result.reproducer = self._dump(client, tmp)
            shutil.rmtree(tmp, ignore_errors=True)
        return self.result

    def _run(self, tmp: str) -> None:
        rng = self.rng
        # a folder name that needs encoding in a URI (a space, an accent, '#', '+', '%')
        folder = "project" if rng.random() < 0.7 else rng.choice(ODD_FOLDERS)
        self.lower_hex = rng.random() < 0.2  # the client spells %C3%A9 as %c3%a9
        root = os.path.join(tmp, folder)
        home = os.path.join(tmp, "home")
        os.makedirs(os.path.join(root, ".git"))
        os.makedirs(home)
        self.root = root
        self.home = home
        big = rng.random() < self.opts.big
        for rel, text in texts.documents(rng, big_skill=big):
            path = os.path.join(root, *rel.split("/"))
            doc = Doc(rel, path, self.uri_of(path), text)
            self.docs.append(doc)
            self.by_uri[doc.uri] = doc
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8", newline="") as fh:
                fh.write(text)
        self.initial = {d.rel: d.disk for d in self.docs}
        if rng.random() < 0.3:
            with open(os.path.join(root, ".mcp.json"), "w", encoding="utf-8") as fh:
                json.dump({"mcpServers": {"github": {"command": "gh"}}}, fh)
        self.enc = rng.choice(ENCODINGS)
        if self.opts.encoding is not None:
            self.enc = self.opts.encoding
        offered: list[str] | None = [self.enc]
        if self.enc == "utf-16" and rng.random() < 0.5:
            offered = None  # no general.positionEncodings: UTF-16 by default
        elif rng.random() < 0.3:
            offered = [self.enc, *(e for e in ENCODINGS if e != self.enc)]
        self.result.encoding = self.enc
        self.workspace = rng.choice(["rootUri", "folders", "both", "both", "none"])
        self.result.abuse = self.is_abuse = self.opts.abuse and rng.random() < 0.25
        self.watching = self.workspace != "none" and rng.random() < 0.5
        if rng.random() < 0.2:
            self.settings = self._random_settings()
        env = {
            **os.environ,
            "HOME": home,
            "AGENTLS_STRICT": "1",
            "PYTHONPATH": self.opts.pythonpath,
        }
        self.client = client = Client(self.opts.server, env, root)
        client.note(
            f"seed={self.seed} encoding={self.enc} offered={offered} workspace={self.workspace} "
            f"abuse={self.is_abuse} settings={self.settings}"
        )
        try:
            self._session(offered)
        except ServerGone as e:
            code = client.wait_exit(5)
            self.fail("crash", f"the server went away ({e}; exit status {code})")
        except Hung:
            pass

    def _session(self, offered: list[str] | None) -> None:
        rng = self.rng
        client = self.client
        assert client is not None
        if self.is_abuse and rng.random() < 0.3:
            self.request("textDocument/hover", self._hover_params(None), abuse="before-init")
            self.sync()
        self.initialize(offered)
        if self.is_abuse and rng.random() < 0.3:
            self.request(
                "initialize",
                {"processId": None, "capabilities": {}, "rootUri": None},
                abuse="second-initialize",
            )
            self.sync()
        for _ in range(rng.randint(15, 70)):
            self.step()
            if rng.random() < 0.35:
                self.sync()
        self.sync()
        self.finish()

    # --- lifecycle ---------------------------------------------------------------------------
    def initialize(self, offered: list[str] | None) -> None:
        rng = self.rng
        caps: dict[str, Any] = {
            "window": {"workDoneProgress": True},
            "workspace": {
                "configuration": rng.random() < 0.5,
                "didChangeWatchedFiles": {"dynamicRegistration": self.watching},
                "workspaceEdit": {"documentChanges": True, "resourceOperations": ["rename"]},
            },
            "textDocument": {
                "completion": {"completionItem": {"snippetSupport": rng.random() < 0.5}},
                "synchronization": {"didSave": True},
                "publishDiagnostics": {"versionSupport": True},
            },
        }
        if offered is not None:
            caps["general"] = {"positionEncodings": offered}
        params: dict[str, Any] = {"processId": os.getpid(), "capabilities": caps}
        root_uri = self.uri_of(self.root)
        if self.workspace in ("rootUri", "both"):
            params["rootUri"] = root_uri
        else:
            params["rootUri"] = None
        if self.workspace in ("folders", "both"):
            params["workspaceFolders"] = [{"uri": root_uri, "name": "project"}]
        if self.settings:
            params["initializationOptions"] = self.settings
        rid = self.request("initialize", params)
        self.sync()
        response = self.responses.pop(rid, None)
        result = (response or {}).get("result") or {}
        capabilities = result.get("capabilities") or {}
        negotiated = capabilities.get("positionEncoding") or "utf-16"
        if negotiated != (offered[0] if offered else "utf-16"):
            self.fail("error", f"offered {offered}, the server chose {negotiated}")
        self.enc = negotiated
        sync = capabilities.get("textDocumentSync")
        kind = sync.get("change") if isinstance(sync, dict) else sync
        self.incremental = kind == 2
        self.client_notify("initialized", {})
        if self.workspace != "none":
            # the workspace index: its end of progress (a republish follows)
            self.pump(lambda: self.indexed, self.opts.request_timeout)
            if not self.indexed:
                self.fail("hang", "the workspace index never reported the end of its progress")

    def finish(self) -> None:
        """Final diagnostics of every open document against `agentls check` on the same text,
        then shutdown and exit."""
        rng = self.rng
        client = self.client
        assert client is not None
        for _ in range(2):  # each round trip lets the server run what it scheduled
            self.request("workspace/symbol", {"query": "zz-fuzz"})
            self.sync()
        self.compare()
        self.request("shutdown", None)
        self.sync()
        if self.is_abuse and rng.random() < 0.5:
            self.request("textDocument/hover", self._hover_params(None), abuse="after-shutdown")
            self.sync()
        self.client_notify("exit", None)
        code = client.wait_exit(10)
        if code is None:
            self.fail("hang", "the server did not exit after shutdown and exit")
        elif code != 0:
            self.fail("error", f"exit status {code} after shutdown and exit")
        bugs = [
            tb for tb in tracebacks(client.stderr) if not tb.split("\n")[-1].startswith(INTENDED)
        ]
        if bugs and not self.is_abuse:
            self.fail("error", f"{len(bugs)} tracebacks in the server's log; the first:\n{bugs[0]}")

    # --- sending -----------------------------------------------------------------------------
    def client_notify(self, method: str, params: Any) -> None:
        assert self.client is not None
        self.client.notify(method, params)

    def request(self, method: str, params: Any, abuse: str | None = None) -> int:
        assert self.client is not None
        uri = (
            (params or {}).get("textDocument", {}).get("uri") if isinstance(params, dict) else None
        )
        snapshot = {d.uri: d.text for d in self.docs if d.open}
        rid = self.client.next_id()
        self.pending[rid] = Pending(method, uri, snapshot, time.monotonic(), abuse)
        self.client.send({"id": rid, "method": method, "params": params})
        return rid

    # --- receiving ---------------------------------------------------------------------------
    def pump(self, until: Callable[[], bool], timeout: float) -> bool:
        client = self.client
        assert client is not None
        deadline = time.monotonic() + timeout
        while not until():
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            msg = client.get(min(left, 0.5))
            if msg is not None:
                self.handle(msg)
        return True

    def handle(self, msg: Message) -> None:
        client = self.client
        assert client is not None
        method = msg.get("method")
        if method is not None and "id" in msg:
            client.reply(msg)
            return
        if method == "textDocument/publishDiagnostics":
            self.on_diagnostics(msg.get("params") or {})
        elif method == "$/progress":
            value = (msg.get("params") or {}).get("value") or {}
            if value.get("kind") == "end":
                self.indexed = True
        elif method == "window/showMessage":
            params = msg.get("params") or {}
            if params.get("type") == 1 and not self.is_abuse:
                self.fail("error", f"error pop-up: {params.get('message')}")
        elif method is None and "id" in msg:
            self.on_response(msg)

    def on_response(self, msg: Message) -> None:
        rid = msg["id"]
        pending = self.pending.pop(rid, None) if isinstance(rid, (int, str)) else None
        if pending is None:
            if rid is not None and rid not in self.optional:
                self.fail("error", f"a response to no request: {str(msg)[:300]}")
            return  # an error about a frame it could not read (id null)
        self.responses[rid] = msg
        error = msg.get("error")
        if error is not None:
            code = error.get("code") if isinstance(error, dict) else None
            if code == -32603 or (pending.abuse is None and code in (-32700, -32600, -32602)):
                what = f" (abuse: {pending.abuse})" if pending.abuse else ""
                self.fail("error", f"{pending.method}{what} answered {error}")
            return
        self.check_ranges(msg.get("result"), pending.uri, pending, pending.method)

    def _text_of(self, uri: str, pending: Pending | None) -> str | None:
        if pending is not None and uri in pending.texts:
            return pending.texts[uri]
        doc = self.by_uri.get(uri)
        if doc is not None:
            return doc.disk  # None: deleted
        return None

    def check_ranges(self, obj: Any, uri: str | None, pending: Pending | None, where: str) -> None:
        if isinstance(obj, list):
            for x in obj:
                self.check_ranges(x, uri, pending, where)
            return
        if not isinstance(obj, dict):
            return
        own = uri
        if isinstance(obj.get("uri"), str):
            own = obj["uri"]
        td = obj.get("textDocument")
        if isinstance(td, dict) and isinstance(td.get("uri"), str):
            own = td["uri"]
        for key, value in obj.items():
            if key == "changes" and isinstance(value, dict):
                for target, edits in value.items():
                    self.check_ranges(edits, target, pending, where)
            elif is_range(value):
                target = obj.get("targetUri") if key.startswith("target") else own
                if key == "originSelectionRange":
                    target = uri
                self.check_one(value, target, pending, f"{where} {key}")
            elif key in ("startLine", "endLine") and isinstance(value, int):
                text = self._text_of(own, pending) if own else None
                if text is not None and not 0 <= value < Lines(text).count:
                    self.fail(
                        "range",
                        f"{where}: {key} {value} of {self._rel(own)} is past "
                        f"its {Lines(text).count} lines",
                    )
            else:
                self.check_ranges(value, own, pending, where)

    def check_one(
        self, rng: dict[str, Any], uri: str | None, pending: Pending | None, where: str
    ) -> None:
        text = self._text_of(uri, pending) if uri else None
        if text is None:
            return  # a document the fuzzer does not know (not open, not on disk)
        why = check_range(Lines(text), rng, self.enc)
        if why is not None:
            self.fail("range", f"{where} in {self._rel(uri)} ({self.enc}): {why}")

    def _rel(self, uri: str | None) -> str:
        doc = self.by_uri.get(uri or "")
        return doc.rel if doc else str(uri)

    def on_diagnostics(self, params: dict[str, Any]) -> None:
        uri = params.get("uri")
        diags = params.get("diagnostics") or []
        version = params.get("version")
        doc = self.by_uri.get(uri or "")
        if doc is None:
            if diags:
                self.fail("stale", f"diagnostics for {uri}, which was never opened")
            return
        if version is None:
            if diags:
                self.fail("stale", f"{doc.rel}: diagnostics without a version")
            elif doc.closes > 0:
                doc.closes -= 1  # a close is done
            doc.last_version, doc.last = None, diags
            return
        text = doc.history.get(version)
        if text is None:
            self.fail(
                "stale",
                f"{doc.rel}: diagnostics for version {version}, which is not "
                f"the document's latest ({doc.version}) nor a pending one",
            )
            return
        if doc.last_version is not None and version < doc.last_version:
            self.fail("stale", f"{doc.rel}: version {version} published after {doc.last_version}")
        if not doc.open and doc.closes == 0:
            self.fail("stale", f"{doc.rel}: diagnostics of version {version} after didClose")
        lines = Lines(text)
        for d in diags:
            rng = d.get("range")
            why = check_range(lines, rng, self.enc) if is_range(rng) else "no range"
            if why is not None:
                self.fail(
                    "range",
                    f"diagnostic {d.get('code')} in {doc.rel} v{version} ({self.enc}): {why}",
                )
        doc.last_version, doc.last = version, diags
        for v in [v for v in doc.history if v < version]:
            del doc.history[v]  # an older version can no longer be published
        if doc.expect is not None and version >= doc.expect:
            doc.expect = None
            assert self.client is not None
            latency = self.client.arrived - doc.expect_sent
            self.result.latency = max(self.result.latency, latency)

    # --- waiting -----------------------------------------------------------------------------
    def sync(self) -> None:
        """Wait for every pending answer and every due diagnostics; classify what is late."""
        self.pump(lambda: not self.pending, self.opts.request_timeout)
        if self.pending:
            for rid, p in self.pending.items():
                what = f" (abuse: {p.abuse})" if p.abuse else ""
                self.fail(
                    "hang",
                    f"no answer to {p.method} #{rid}{what} within {self.opts.request_timeout:g} s",
                )
            raise Hung()
        # everything sent before is handled: what is still due is late from now on
        if self.pump(lambda: not self._due(), self.opts.timeout):
            return
        self.request("workspace/symbol", {"query": "zz-fuzz-ping"})
        self.pump(lambda: not self.pending, self.opts.request_timeout)
        if self.pending:
            self.fail("hang", "no answer to a ping while diagnostics were due")
            raise Hung()
        for d in self._due():
            self.fail(
                "stale",
                f"{d.rel} version {d.expect} ({len(d.history.get(d.expect or 0, ''))}"
                f" chars, {self.enc}): no diagnostics within {self.opts.timeout:g} s; the "
                f"server answers requests (last published: version {d.last_version})",
            )
            d.expect = None

    def _due(self) -> list[Doc]:
        return [d for d in self.docs if d.open and d.expect is not None]

    # --- random steps --------------------------------------------------------------------------
    def step(self) -> None:
        rng = self.rng
        opened = [d for d in self.docs if d.open]
        closed = [d for d in self.docs if not d.open and d.disk is not None]
        r = rng.random()
        if not opened or (closed and r < 0.08):
            self.open(rng.choice(closed))
        elif r < 0.42:
            self.edit_burst(rng.choice(opened))
        elif r < 0.5:  # edits to several documents read by the server at once
            assert self.client is not None
            self.client.cork()
            for doc in rng.sample(opened, min(len(opened), rng.randint(2, 4))):
                if rng.random() < 0.5:
                    self.change(doc, [self.rename_edit(doc.text)])
                else:
                    self.edit_burst(doc)
            self.client.uncork()
        elif r < 0.54 and self.watching:
            self.disk_op(opened)
        elif r < 0.8:
            for _ in range(rng.randint(1, 6)):
                self.random_request()
        elif r < 0.84 and len(opened) > 1:
            self.close(rng.choice(opened))
        elif r < 0.86:
            self.settings = self._random_settings()
            self.client_notify(
                "workspace/didChangeConfiguration", {"settings": {"agentls": self.settings}}
            )
        elif r < 0.88 and self.pending:
            self.client_notify("$/cancelRequest", {"id": rng.choice(list(self.pending))})
        elif r < 0.9:
            doc = rng.choice(opened)
            self.client_notify("textDocument/didSave", {"textDocument": {"uri": doc.uri}})
        elif self.is_abuse and r < 0.97:
            self.write_abuse(rng.choice(opened))
        else:
            self.edit_burst(rng.choice(opened))

    def disk_op(self, opened: list[Doc]) -> None:
        """A change on disk outside the editor (a file created, changed or deleted, a skill
        folder removed, `.mcp.json` written), and the file event a watcher reports."""
        rng = self.rng
        self.sync()  # no request in flight reads the disk while it changes
        closed = [d for d in self.docs if not d.open and d.disk is not None]
        r = rng.random()
        events: list[tuple[str, int]] = []  # path, FileChangeType (1 created, 2 changed, 3 deleted)
        if r < 0.35 or not closed:
            rel, text = rng.choice(texts.GENERATORS)(rng, rng.choice(texts.NAMES))
            path = os.path.join(self.root, *rel.split("/"))
            if path in self.extra or any(d.path == path for d in self.docs):
                return
            created = not os.path.isdir(os.path.dirname(path))
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8", newline="") as fh:
                fh.write(text)
            self.extra.add(path)
            if created and rng.random() < 0.5:
                events.append((os.path.dirname(path), 1))  # some watchers report the folder
            events.append((path, 1))
        elif r < 0.6:
            doc = rng.choice(closed)
            doc.disk = texts.replacement(rng, doc.rel, doc.disk or "")
            with open(doc.path, "w", encoding="utf-8", newline="") as fh:
                fh.write(doc.disk)
            events.append((doc.path, 2))
        elif r < 0.8 and opened:
            doc = rng.choice(closed)
            if doc.rel.endswith("/SKILL.md") and rng.random() < 0.5:
                folder = os.path.dirname(doc.path)  # the skill's folder, with all in it
                gone = [d for d in self.docs if os.path.dirname(d.path) == folder]
                if any(d.open for d in gone):
                    return
                shutil.rmtree(folder)
                self.extra = {p for p in self.extra if os.path.dirname(p) != folder}
                for d in gone:
                    d.disk = None
                events.append((folder, 3))
            else:
                os.remove(doc.path)
                doc.disk = None
                events.append((doc.path, 3))
        else:
            path = os.path.join(self.root, ".mcp.json")
            servers = rng.sample(["github", "x", "db", "fs"], rng.randint(0, 3))
            existed = os.path.exists(path)
            with open(path, "w", encoding="utf-8") as fh:
                json.dump({"mcpServers": {name: {"command": "c"} for name in servers}}, fh)
            events.append((path, 2 if existed else 1))
        changes = [{"uri": self.uri_of(p), "type": t} for p, t in events]
        self.client_notify("workspace/didChangeWatchedFiles", {"changes": changes})

    def _random_settings(self) -> dict[str, Any]:
        rng = self.rng
        out: dict[str, Any] = {}
        if rng.random() < 0.6:
            out["claudeCode"] = {"version": rng.choice(CLAUDE_VERSIONS)}
        if rng.random() < 0.6:
            out["severity"] = {rng.choice(SEVERITY_CODES): rng.choice(LEVELS)}
        if rng.random() < 0.3:
            dialect, pattern = rng.choice(PATTERNS)
            out["dialects"] = {dialect: {"patterns": [pattern]}}
        elif rng.random() < 0.2:
            out["dialects"] = {
                rng.choice(["cursor-rule", "vscode-prompt", "claude-agent"]): {"enabled": False}
            }
        return out

    def open(self, doc: Doc) -> None:
        rng = self.rng
        doc.version += rng.choice([1, 1, 1, 5])
        disk = doc.disk or ""
        doc.text = disk if rng.random() < 0.85 else texts.replacement(rng, doc.rel, disk)
        doc.open = True
        doc.history[doc.version] = doc.text
        self._due_now(doc)
        language = "markdown" if rng.random() < 0.9 else rng.choice(["plaintext", "mdc", ""])
        item = {"uri": doc.uri, "languageId": language, "version": doc.version, "text": doc.text}
        self.client_notify("textDocument/didOpen", {"textDocument": item})

    def _due_now(self, doc: Doc) -> None:
        doc.expect = doc.version
        doc.expect_sent = time.monotonic()

    def close(self, doc: Doc) -> None:
        doc.open = False
        doc.closes += 1
        doc.expect = None
        self.client_notify("textDocument/didClose", {"textDocument": {"uri": doc.uri}})

    def edit_burst(self, doc: Doc) -> None:
        rng = self.rng
        r = rng.random()
        if r < 0.03:  # a storm: a fast typist, a slow server; all changes in one write
            assert self.client is not None
            self.client.cork()
            at = Lines(doc.text).snap(rng.randint(0, len(doc.text)))
            for i in range(rng.randint(50, 300)):
                self.change(doc, [(at + i, at + i, rng.choice("abc :-\n🚀"))])
            self.client.uncork()
        elif r < 0.15:  # typing a word, one character per change
            at = Lines(doc.text).snap(rng.randint(0, len(doc.text)))
            word = rng.choice(texts.WORDS + texts.SPECIAL + ["Grep", "model: opus\n"])
            for i, ch in enumerate(word):
                self.change(doc, [(at + i, at + i, ch)])
        elif r < 0.25:  # CRLF split across two edits (either order), or a lone CR
            at = Lines(doc.text).snap(rng.randint(0, len(doc.text)))
            if rng.random() < 0.5:
                self.change(doc, [(at, at, "\r")])
                self.change(doc, [(at + 1, at + 1, "\n")])
            else:
                self.change(doc, [(at, at, "\n")])
                self.change(doc, [(at, at, "\r")])
        elif r < 0.4:  # a new name (other documents refer to agents and skills by name)
            self.change(doc, [self.rename_edit(doc.text)])
        elif r < 0.47:  # remove a line break
            lines = Lines(doc.text)
            line = rng.randrange(lines.count)
            if line + 1 < lines.count:
                self.change(doc, [(lines.content_end(line), lines.starts[line + 1], "")])
            else:
                self.change(doc, [self.random_edit(doc.text)])
        else:
            for _ in range(rng.choice([1, 1, 1, 2, 3, 5, 8, 15, 25])):
                if rng.random() < 0.06:
                    self.change(doc, None)
                else:
                    self.change(doc, [self.random_edit(doc.text)])

    def rename_edit(self, text: str) -> tuple[int, int, str]:
        """The value of the first ``name:`` replaced (or a ``name:`` line added)."""
        name = self.rng.choice(texts.NAMES)
        at = text.find("name:", 0, 2000)
        if at < 0:
            return (4, 4, f"name: {name}\n") if text.startswith("---\n") else (0, 0, "")
        start = at + len("name:")
        end = start
        while end < len(text) and text[end] not in "\r\n":
            end += 1
        return start, end, " " + name

    def random_edit(self, text: str) -> tuple[int, int, str]:
        rng = self.rng
        n = len(text)
        a = rng.randint(0, n)
        r = rng.random()
        if r < 0.45:
            return a, a, rng.choice(texts.FRAGMENTS)
        if r < 0.65:
            return a, min(n, a + rng.randint(1, 12)), ""
        if r < 0.85:
            return a, min(n, a + rng.randint(1, 6)), rng.choice(texts.FRAGMENTS)
        if r < 0.9:
            return a, min(n, a + rng.randint(50, 3000)), ""
        if r < 0.95:
            return a, a, texts._body(rng, rng.randint(200, 4000))
        lines = Lines(text)
        line = rng.randrange(lines.count)
        end = lines.content_end(line)
        return end, end, rng.choice(texts.SPECIAL)

    def change(self, doc: Doc, edits: list[tuple[int, int, str]] | None) -> None:
        """One didChange: ``edits`` (code-point offsets into the text as it is before each
        one), or a whole-text replacement when None."""
        rng = self.rng
        changes: list[dict[str, Any]] = []
        if edits is None:
            doc.text = texts.replacement(rng, doc.rel, doc.text)
            changes.append({"text": doc.text})
        else:
            if rng.random() < 0.15:
                edits = [*edits, self.random_edit(doc.text)]  # applied after the first
            for start, end, insert in edits:
                lines = Lines(doc.text)
                start = lines.snap(start)
                end = max(start, lines.snap(end))
                rng_ = {
                    "start": lines.position(start, self.enc),
                    "end": lines.position(end, self.enc),
                }
                changes.append({"range": rng_, "text": insert})
                doc.text = doc.text[:start] + insert + doc.text[end:]
            if not self.incremental:
                changes = [{"text": doc.text}]
        doc.version += 1 if rng.random() < 0.9 else rng.randint(2, 5)
        doc.history[doc.version] = doc.text
        self._due_now(doc)
        ident = {"uri": doc.uri, "version": doc.version}
        self.client_notify(
            "textDocument/didChange", {"textDocument": ident, "contentChanges": changes}
        )

    # --- requests ----------------------------------------------------------------------------
    def _position(self, doc: Doc | None) -> dict[str, int]:
        rng = self.rng
        text = doc.text if doc is not None and doc.open else (doc.disk or "") if doc else ""
        lines = Lines(text)
        r = rng.random()
        if r < 0.8:
            return lines.position(rng.randint(0, len(text)), self.enc)
        if r < 0.9:  # past the end of a line
            line = rng.randrange(lines.count)
            return {
                "line": line,
                "character": units(lines.line(line), self.enc) + rng.randint(1, 40),
            }
        return {"line": lines.count + rng.randint(0, 5), "character": rng.randint(0, 80)}

    def _target(self) -> Doc | None:
        rng = self.rng
        opened = [d for d in self.docs if d.open]
        r = rng.random()
        if r < 0.8 and opened:
            return rng.choice(opened)
        if r < 0.9:
            return rng.choice(self.docs)  # maybe closed or never opened
        return None  # a file that does not exist

    def _uri(self, doc: Doc | None) -> str:
        if doc is not None:
            return doc.uri
        return self.uri_of(os.path.join(self.root, ".claude", "agents", "nope.md"))

    def _hover_params(self, doc: Doc | None) -> dict[str, Any]:
        return {"textDocument": {"uri": self._uri(doc)}, "position": self._position(doc)}

    def random_request(self) -> None:
        rng = self.rng
        method = rng.choice(METHODS)
        doc = self._target()
        td = {"uri": self._uri(doc)}
        params: dict[str, Any]
        if method in (
            "textDocument/documentSymbol",
            "textDocument/foldingRange",
            "textDocument/documentLink",
            "textDocument/documentColor",
            "textDocument/semanticTokens/full",
        ):
            params = {"textDocument": td}
        elif method == "workspace/symbol":
            params = {"query": rng.choice(["", "a", "rev", "🚀", "x" * 50])}
        elif method in ("textDocument/codeAction", "textDocument/colorPresentation"):
            a, b = sorted(
                [self._position(doc), self._position(doc)],
                key=lambda p: (p["line"], p["character"]),
            )
            params = {"textDocument": td, "range": {"start": a, "end": b}}
            if method == "textDocument/codeAction":
                only = rng.choice([None, ["quickfix"], ["source.fixAll"], ["source"], ["refactor"]])
                context: dict[str, Any] = {"diagnostics": []}
                if only is not None:
                    context["only"] = only
                if doc is not None and doc.last and rng.random() < 0.5:
                    context["diagnostics"] = [rng.choice(doc.last)]
                params["context"] = context
            else:
                params["color"] = {"red": rng.random(), "green": 0.5, "blue": 0.1, "alpha": 1}
        else:
            params = self._hover_params(doc)
            if method == "textDocument/references":
                params["context"] = {"includeDeclaration": rng.random() < 0.5}
            elif method == "textDocument/rename":
                params["newName"] = rng.choice(["new-name", "", "Bad Name", "🚀", "a/b", "x" * 80])
            elif method == "textDocument/completion" and rng.random() < 0.3:
                params["context"] = {
                    "triggerKind": 2,
                    "triggerCharacter": rng.choice([":", " ", ",", "#"]),
                }
        self.request(method, params)

    def write_abuse(self, doc: Doc) -> None:
        """One abuse frame, then pings until one is answered (the frame may swallow some)."""
        client = self.client
        assert client is not None
        rid = client.next_id()
        a = abuse(self.rng, rid, doc.uri)
        self.optional.update((rid, f"req-{rid}"))  # a frame the server may or may not read
        if a.expect is not None:
            snapshot = {d.uri: d.text for d in self.docs if d.open}
            self.pending[a.expect] = Pending(
                "textDocument/hover", doc.uri, snapshot, time.monotonic(), a.name
            )
        client.note(f"abuse: {a.name}")
        client.send_raw(a.data)
        for _ in range(4):
            ping = self.request("workspace/symbol", {"query": "zz-fuzz-ping"})
            if self.pump(self._answered(ping), 3):
                break
            self.pending.pop(ping, None)  # swallowed by the broken frame, or late
            self.optional.add(ping)
        else:
            self.fail("hang", f"no answer to any request after the abuse frame {a.name!r}")
            raise Hung()
        if a.expect is not None:
            self.pump(lambda: a.expect not in self.pending, self.opts.request_timeout)
            if a.expect in self.pending:
                del self.pending[a.expect]
                self.fail("hang", f"no answer to the request in the abuse frame {a.name!r}")

    def _answered(self, rid: int | str) -> Callable[[], bool]:
        return lambda: rid not in self.pending

    # --- the final comparison with the CLI -----------------------------------------------------
    def compare(self) -> None:
        opened = [d for d in self.docs if d.open]
        for d in self.docs:
            if not d.open and d.last:
                self.fail("stale", f"{d.rel}: closed, but its last diagnostics are not empty")
        if not opened:
            return
        for d in opened:
            if d.last_version != d.version:
                self.fail(
                    "stale",
                    f"{d.rel}: the last diagnostics are for version "
                    f"{d.last_version}, the document is at {d.version}",
                )
            with open(d.path, "w", encoding="utf-8", newline="") as fh:
                fh.write(d.text)
        cmd = list(self.opts.cli)
        if self.workspace == "none":
            cmd.append("--no-workspace")
        version = (self.settings.get("claudeCode") or {}).get("version")
        if version and version != "latest":
            cmd += ["--claude-version", version]
        for code, level in (self.settings.get("severity") or {}).items():
            cmd += ["--severity", f"{code}={level}"]
        for dialect, conf in (self.settings.get("dialects") or {}).items():
            cmd += [f"--pattern={dialect}={p}" for p in conf.get("patterns", [])]
            cmd += [] if conf.get("enabled", True) else ["--disable", dialect]
        cmd += [d.path for d in opened]
        env = {**os.environ, "HOME": self.home, "PYTHONPATH": self.opts.pythonpath}
        assert self.client is not None
        self.client.note("cli: " + " ".join(cmd))
        try:
            proc = subprocess.run(cmd, capture_output=True, env=env, cwd=self.root, timeout=120)
        except subprocess.TimeoutExpired:
            self.fail("hang", "agentls check did not finish within 120 s")
            return
        if proc.returncode not in (0, 1):
            self.fail("error", f"agentls check exited {proc.returncode}: {proc.stderr[-2000:]!r}")
            return
        by_path: dict[str, list[tuple[Any, ...]]] = {}
        for item in json.loads(proc.stdout):
            r = item["range"]
            by_path.setdefault(item["path"], []).append(
                (
                    item["code"],
                    item["severity"],
                    r["start"]["line"],
                    r["start"]["character"],
                    r["end"]["line"],
                    r["end"]["character"],
                    item["message"],
                    item.get("source"),
                )
            )
        for d in opened:
            lines = Lines(d.text)
            server: list[tuple[Any, ...]] = []
            for diag in d.last or []:
                if self.workspace == "none" and diag.get("code") == "AGL800":
                    continue  # links are checked on disk without a workspace, not by --no-workspace
                r = diag["range"]
                try:
                    s, e = (
                        to_utf16(lines, r["start"], self.enc),
                        to_utf16(lines, r["end"], self.enc),
                    )
                except AssertionError:
                    continue  # already reported as out of range
                server.append(
                    (
                        diag.get("code"),
                        SEVERITY.get(diag.get("severity", 0), diag.get("severity")),
                        s["line"],
                        s["character"],
                        e["line"],
                        e["character"],
                        diag.get("message"),
                        diag.get("source"),
                    )
                )
            cli = sorted(by_path.get(d.path, []), key=repr)
            server.sort(key=repr)
            if cli != server:
                only_s = [x for x in server if x not in cli]
                only_c = [x for x in cli if x not in server]
                self.fail(
                    "disagree",
                    f"{d.rel} v{d.version} ({self.enc}): server only "
                    f"{only_s[:5]}, agentls check only {only_c[:5]}",
                )

    # --- reproducer ----------------------------------------------------------------------------
    def _dump(self, client: Client, tmp: str) -> str:
        path = os.path.join(self.opts.out, f"{self.seed}.jsonl")
        header = {
            "seed": self.seed,
            "rerun": f"python -m tests.fuzz --session {self.seed}"
            + ("" if self.opts.abuse else " --no-abuse"),
            "root": tmp,
            "project": self.root,
            "encoding": self.enc,
            "failures": [str(f) for f in self.result.failures],
            "disk": self.initial,  # the project's files when the server started
        }
        client.dump(path, header)
        return path


# the last line of pygls's traceback for an error a handler raises on purpose (RequestFailed)
INTENDED = "pygls.exceptions.JsonRpcException:"


def tracebacks(stderr: list[bytes]) -> list[str]:
    """The tracebacks in a log, each ending with its exception's line."""
    out: list[str] = []
    block: list[str] | None = None
    for raw in stderr:
        line = raw.decode("utf-8", "replace").rstrip("\n")
        if line.startswith("Traceback"):
            block = [line]
        elif block is not None:
            block.append(line)
            if line and not line[0].isspace():  # the exception line ends the block
                out.append("\n".join(block))
                block = None
    return out


def run_session(seed: int, opts: Options) -> Result:
    return Session(seed, opts).run()
