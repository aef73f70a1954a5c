#!/usr/bin/env python3
"""Opens an mtlint HTML report in headless Chromium, as a person would see it,
and checks it through the DevTools protocol (Python standard library only: a
minimal WebSocket client is below).

    html-check.py CHROMIUM REPORT.html EXPECT.json SCREENSHOT.png

EXPECT.json: {"groups": [...] (the sources table's rows, in order; or null to
only check the order by score), "group_set": [...] (the rows in any order;
optional), "bars": N (rules with findings), "boilerplate": [[text,
documents], ...] (the recurring boilerplate rows, in order; [] for the line
that says nothing recurs; optional), "boilerplate_set": [...] (the same, in
any order, most documents first; optional), "boilerplate_after_click": N
(its rows left once the first source is clicked; optional)}.

Checks: the sources table has the expected rows in the expected order, sorted
by score; the rule chart has one bar per rule with findings; the recurring
boilerplate section has the expected rows (text and documents), most
documents first, or its one line saying nothing recurs; clicking a source
filters the worst documents and the recurring texts to it; no console message, exception or log entry
of level error; no request for anything but the report itself (file: or data:
URLs). Saves a screenshot. Exits 1 with every failure listed.
"""

import base64
import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.request

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--remote-debugging-port=0",
    "--remote-allow-origins=*",
]


class WebSocket:
    """A text-only WebSocket client (RFC 6455), enough for DevTools."""

    def __init__(self, url, timeout=30):
        assert url.startswith("ws://"), url
        hostport, _, path = url[5:].partition("/")
        host, _, port = hostport.partition(":")
        self.sock = socket.create_connection((host, int(port or 80)), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        request = (
            f"GET /{path} HTTP/1.1\r\nHost: {hostport}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        )
        self.sock.sendall(request.encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError("handshake: connection closed")
            head += chunk
        status = head.split(b"\r\n", 1)[0]
        if b" 101 " not in status:
            raise ConnectionError(f"handshake refused: {status!r}")
        self.buffer = head.split(b"\r\n\r\n", 1)[1]

    def _read(self, n):
        while len(self.buffer) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("connection closed")
            self.buffer += chunk
        out, self.buffer = self.buffer[:n], self.buffer[n:]
        return out

    def _frame(self, opcode, payload):
        mask = os.urandom(4)
        n = len(payload)
        if n < 126:
            head = struct.pack("!BB", 0x80 | opcode, 0x80 | n)
        elif n < 1 << 16:
            head = struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, n)
        else:
            head = struct.pack("!BBQ", 0x80 | opcode, 0x80 | 127, n)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(head + mask + masked)

    def send(self, text):
        self._frame(0x1, text.encode())

    def recv(self):
        message = b""
        while True:
            b0, b1 = self._read(2)
            opcode, n = b0 & 0x0F, b1 & 0x7F
            if n == 126:
                (n,) = struct.unpack("!H", self._read(2))
            elif n == 127:
                (n,) = struct.unpack("!Q", self._read(8))
            mask = self._read(4) if b1 & 0x80 else None
            payload = self._read(n)
            if mask:
                payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
            if opcode == 0x9:
                self._frame(0xA, payload)
                continue
            if opcode == 0x8:
                raise ConnectionError("closed by the browser")
            message += payload
            if b0 & 0x80:
                return message.decode()


class Page:
    """One DevTools session on a page target, recording its events."""

    def __init__(self, ws):
        self.ws = ws
        self.next_id = 0
        self.events = []

    def call(self, method, **params):
        self.next_id += 1
        mine = self.next_id
        self.ws.send(json.dumps({"id": mine, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == mine:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            if "method" in message:
                self.events.append(message)

    def wait_for(self, event, timeout=20):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if any(e["method"] == event for e in self.events):
                return True
            message = json.loads(self.ws.recv())
            if "method" in message:
                self.events.append(message)
        return False

    def evaluate(self, expression):
        result = self.call(
            "Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True
        )
        if "exceptionDetails" in result:
            raise RuntimeError(f"evaluate: {result['exceptionDetails']}")
        return result["result"].get("value")


def main():
    chromium, report, expect_path, screenshot = sys.argv[1:5]
    expect = json.load(open(expect_path))
    report_url = "file://" + os.path.abspath(report)
    profile = tempfile.mkdtemp(prefix="mtlint-chromium-")
    browser = subprocess.Popen(
        [chromium, *FLAGS, f"--user-data-dir={profile}", "--window-size=1200,1500", "about:blank"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    failures = []
    try:
        port_file = os.path.join(profile, "DevToolsActivePort")
        deadline = time.time() + 30
        while not os.path.exists(port_file) or not open(port_file).read().strip():
            if time.time() > deadline or browser.poll() is not None:
                raise RuntimeError("chromium did not start (no DevToolsActivePort)")
            time.sleep(0.1)
        port = open(port_file).read().split()[0]
        targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10))
        target = next(t for t in targets if t.get("type") == "page")
        page = Page(WebSocket(target["webSocketDebuggerUrl"]))
        for domain in ["Page", "Runtime", "Log", "Network"]:
            page.call(f"{domain}.enable")
        page.call(
            "Emulation.setDeviceMetricsOverride",
            width=1200, height=1500, deviceScaleFactor=1, mobile=False,
        )
        page.events.clear()
        page.call("Page.navigate", url=report_url)
        if not page.wait_for("Page.loadEventFired"):
            failures.append("the page did not finish loading")
        time.sleep(0.3)

        rows = page.evaluate(
            "[...document.querySelectorAll('#sources-table tr.source')]"
            ".map(tr => [tr.getAttribute('data-group'), parseFloat(tr.getAttribute('data-score'))])"
        )
        names = [r[0] for r in rows]
        scores = [r[1] for r in rows]
        if expect.get("groups") is not None and names != expect["groups"]:
            failures.append(f"sources table rows {names}, expected {expect['groups']}")
        if expect.get("group_set") is not None and sorted(names) != sorted(expect["group_set"]):
            failures.append(f"sources table rows {sorted(names)}, expected {sorted(expect['group_set'])}")
        if scores != sorted(scores, reverse=True):
            failures.append(f"sources table not sorted by score: {scores}")
        bars = page.evaluate("document.querySelectorAll('#rule-chart rect.bar').length")
        if bars != expect["bars"]:
            failures.append(f"rule chart has {bars} bars, expected {expect['bars']}")
        visible_worst = page.evaluate(
            "[...document.querySelectorAll('li.doc')].filter(li => li.offsetParent !== null).length"
        )
        if visible_worst == 0 and expect["bars"] > 0:
            failures.append("no worst document is shown")

        recurring = page.evaluate(
            "[...document.querySelectorAll('#boilerplate-table tr.recurring')]"
            ".map(tr => [tr.querySelector('td.text').textContent,"
            " parseInt(tr.cells[1].textContent.replace(/,/g, ''))])"
        )
        has_section = page.evaluate("document.getElementById('boilerplate') !== null")
        wants = "boilerplate" in expect or "boilerplate_set" in expect
        if wants and not has_section:
            failures.append("no recurring boilerplate section")
        if expect.get("boilerplate") is not None and recurring != expect["boilerplate"]:
            failures.append(f"recurring boilerplate rows {recurring}, expected {expect['boilerplate']}")
        if expect.get("boilerplate_set") is not None and sorted(recurring) != sorted(expect["boilerplate_set"]):
            failures.append(f"recurring boilerplate rows {recurring}, expected {expect['boilerplate_set']} in any order")
        counts = [r[1] for r in recurring]
        if counts != sorted(counts, reverse=True):
            failures.append(f"recurring boilerplate not sorted by documents: {counts}")
        if wants and has_section and not recurring:
            nothing = page.evaluate(
                "(() => { const p = document.getElementById('no-boilerplate');"
                " return p !== null && p.offsetParent !== null ? p.textContent : null; })()"
            )
            if not nothing or not nothing.startswith("Nothing recurs"):
                failures.append("no recurring boilerplate, and no visible line that says so")

        page.call("Page.captureScreenshot", format="png")  # warm-up: fonts laid out
        shot = page.call("Page.captureScreenshot", format="png")
        with open(screenshot, "wb") as f:
            f.write(base64.b64decode(shot["data"]))

        # Clicking a source shows only its documents.
        if names:
            first = names[0]
            shown = page.evaluate(
                "(() => { document.querySelector('#sources-table tr.source button').click();"
                " return [...document.querySelectorAll('li.doc')]"
                ".filter(li => li.offsetParent !== null).map(li => li.getAttribute('data-group')); })()"
            )
            if any(g != first for g in shown):
                failures.append(f"after clicking {first!r}, documents of other sources shown: {set(shown)}")
            left = page.evaluate(
                "[...document.querySelectorAll('#boilerplate-table tr.recurring')]"
                ".filter(tr => tr.offsetParent !== null).length"
            )
            want = expect.get("boilerplate_after_click")
            if want is not None and left != want:
                failures.append(f"after clicking {first!r}, {left} recurring texts shown, expected {want}")
            banner = page.evaluate("getComputedStyle(document.getElementById('filter')).display")
            if banner == "none":
                failures.append("the filter banner is not shown after a click")
            page.evaluate("document.getElementById('show-all').click()")

        for e in page.events:
            method, params = e["method"], e.get("params", {})
            if method == "Runtime.exceptionThrown":
                failures.append(f"exception: {params['exceptionDetails'].get('text')} "
                                f"{params['exceptionDetails'].get('exception', {}).get('description', '')}")
            elif method == "Runtime.consoleAPICalled":
                args = " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", []))
                failures.append(f"console.{params.get('type')}: {args}")
            elif method == "Log.entryAdded" and params["entry"]["level"] in ("error", "warning"):
                failures.append(f"log {params['entry']['level']}: {params['entry'].get('text')}")
            elif method == "Network.requestWillBeSent":
                url = params["request"]["url"]
                if url != report_url and not url.startswith("data:"):
                    failures.append(f"fetched {url}")
    finally:
        browser.terminate()
        try:
            browser.wait(timeout=10)
        except subprocess.TimeoutExpired:
            browser.kill()
        shutil.rmtree(profile, ignore_errors=True)
    if failures:
        for f in failures:
            print(f"FAIL {report}: {f}")
        return 1
    print(f"ok   {report}: {len(names)} sources in order, {bars} rule bars, "
          f"{len(recurring)} recurring texts, filter works, "
          f"no console errors, nothing fetched; screenshot {screenshot}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
