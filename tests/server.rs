//! `mtlint server`, driven over pipes by a scripted client that frames
//! JSON-RPC messages with `Content-Length` as an editor does: the life
//! cycle, diagnostics with exact UTF-16 ranges (ASCII, non-ASCII and astral
//! text before a finding), code actions, changes, configuration, and bad
//! messages answered with errors.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

use serde_json::{Value, json};

/// How long a test waits for one message: a guard against a hang, not a
/// measure of speed.
const PATIENCE: Duration = Duration::from_secs(60);

struct Client {
    child: Child,
    stdin: ChildStdin,
    incoming: Receiver<Value>,
    /// Messages read while waiting for another.
    held: Vec<Value>,
    next_id: i64,
}

impl Client {
    /// `mtlint server` started in `dir`.
    fn start(dir: &Path) -> Client {
        let mut child = common::mtlint_process()
            .arg("server")
            .current_dir(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("server starts");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, incoming) = mpsc::channel();
        std::thread::spawn(move || {
            let mut out = BufReader::new(stdout);
            loop {
                let mut length = None;
                loop {
                    let mut line = String::new();
                    if out.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(n) = line.strip_prefix("Content-Length: ") {
                        length = Some(n.parse::<usize>().expect("length"));
                    }
                }
                let mut body = vec![0; length.expect("Content-Length header")];
                out.read_exact(&mut body).expect("body");
                let value: Value = serde_json::from_slice(&body).expect("JSON body");
                assert_eq!(value["jsonrpc"], "2.0", "{value}");
                if tx.send(value).is_err() {
                    return;
                }
            }
        });
        Client {
            child,
            stdin,
            incoming,
            held: Vec::new(),
            next_id: 0,
        }
    }

    /// Writes `body` as one framed message, as it is.
    fn send_raw(&mut self, body: &[u8]) {
        write!(self.stdin, "Content-Length: {}\r\n\r\n", body.len()).expect("write");
        self.stdin.write_all(body).expect("write");
        self.stdin.flush().expect("flush");
    }

    fn send(&mut self, message: Value) {
        self.send_raw(message.to_string().as_bytes());
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request; its id.
    fn ask(&mut self, method: &str, params: Value) -> i64 {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        id
    }

    /// The next message matching `wanted`; others are held for later.
    fn wait_for(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.held.iter().position(&wanted) {
            return self.held.remove(i);
        }
        loop {
            let m = self
                .incoming
                .recv_timeout(PATIENCE)
                .unwrap_or_else(|_| panic!("no message came; held: {:?}", self.held));
            if wanted(&m) {
                return m;
            }
            self.held.push(m);
        }
    }

    /// The response to request `id`.
    fn response(&mut self, id: i64) -> Value {
        self.wait_for(|m| m["id"] == id && m.get("method").is_none())
    }

    /// Sends a request and returns its response.
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.ask(method, params);
        self.response(id)
    }

    /// The next diagnostics published for `uri`.
    fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        let m = self.wait_for(|m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        });
        m["params"]["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .clone()
    }

    fn initialize(&mut self, root: &Path) -> Value {
        let root = file_uri(root);
        let r = self.request(
            "initialize",
            json!({"processId": null, "rootUri": root, "capabilities": {}}),
        );
        self.notify("initialized", json!({}));
        r
    }

    fn open(&mut self, uri: &str, language: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {
                "uri": uri, "languageId": language, "version": 1, "text": text
            }}),
        );
    }

    /// `shutdown`, then `exit`: the process's exit code.
    fn finish(mut self) -> Option<i32> {
        let r = self.request("shutdown", Value::Null);
        assert_eq!(r["result"], Value::Null, "{r}");
        self.notify("exit", Value::Null);
        self.exit_code()
    }

    fn exit_code(mut self) -> Option<i32> {
        drop(self.stdin);
        for _ in 0..600 {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
        panic!("the server did not exit");
    }
}

/// A `file:` URI for `path` (the tests' paths need no escaping but spaces).
fn file_uri(path: &Path) -> String {
    format!("file://{}", path.display()).replace(' ', "%20")
}

/// `(code, [start line, start character, end line, end character])` of each
/// diagnostic.
fn ranges(diagnostics: &[Value]) -> Vec<(String, [u64; 4])> {
    diagnostics
        .iter()
        .map(|d| {
            let r = &d["range"];
            let n = |v: &Value| v.as_u64().expect("number");
            (
                d["code"].as_str().unwrap_or("").to_string(),
                [
                    n(&r["start"]["line"]),
                    n(&r["start"]["character"]),
                    n(&r["end"]["line"]),
                    n(&r["end"]["character"]),
                ],
            )
        })
        .collect()
}

fn range(a: u64, b: u64, c: u64, d: u64) -> Value {
    json!({"start": {"line": a, "character": b}, "end": {"line": c, "character": d}})
}

/// Applies LSP text edits to `text`, counting UTF-16 code units (the
/// client's side of the protocol, written apart from the server's).
fn apply_edits(text: &str, edits: &[Value]) -> String {
    let offset = |p: &Value| -> usize {
        let (line, character) = (
            p["line"].as_u64().unwrap(),
            p["character"].as_u64().unwrap(),
        );
        let mut at = 0;
        for _ in 0..line {
            at += text[at..].find('\n').map_or(text.len() - at, |i| i + 1);
        }
        let mut units = 0;
        for (i, c) in text[at..].char_indices() {
            if units >= character || c == '\n' {
                return at + i;
            }
            units += c.len_utf16() as u64;
        }
        text.len()
    };
    let mut spans: Vec<(usize, usize, &str)> = edits
        .iter()
        .map(|e| {
            (
                offset(&e["range"]["start"]),
                offset(&e["range"]["end"]),
                e["newText"].as_str().expect("newText"),
            )
        })
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut out = text.to_string();
    for (a, b, new) in spans {
        out.replace_range(a..b, new);
    }
    out
}

/// The edits of `action` for `uri`.
fn edits_of<'a>(action: &'a Value, uri: &str) -> &'a [Value] {
    action["edit"]["changes"][uri].as_array().expect("edits")
}

/// Line 0 is ASCII; before the artifact of line 1 come é (two bytes, one
/// code unit), 東京 (three bytes, one unit each) and 😀 (four bytes, two
/// units, one char): bytes put ". ." at 35, chars at 22, UTF-16 at 23.
const MIXED: &str = "It ended in November. . The talks\nCafé 東京 😀 ended in May. . Then\n";

#[test]
fn diagnostics_count_utf16_code_units() {
    let dir = tempfile::TempDir::new().expect("dir");
    let mut client = Client::start(dir.path());
    let init = client.initialize(dir.path());
    let caps = &init["result"]["capabilities"];
    assert_eq!(caps["positionEncoding"], "utf-16", "{init}");
    assert_eq!(caps["textDocumentSync"]["change"], 2, "incremental");
    let uri = file_uri(&dir.path().join("a.txt"));
    client.open(&uri, "plaintext", MIXED);
    let found = client.diagnostics(&uri);
    assert_eq!(
        ranges(&found),
        [
            ("stray-period".to_string(), [0, 20, 0, 23]),
            // Han in a Latin document: "Café " is five units, 東京 two.
            ("foreign-script".to_string(), [1, 5, 1, 7]),
            ("stray-period".to_string(), [1, 23, 1, 26]),
        ],
        "{found:#?}"
    );
    let d = &found[2];
    assert_eq!(d["source"], "mtlint");
    assert_eq!(d["severity"], 2, "warning");
    assert!(d["message"].as_str().unwrap().contains("period"), "{d}");
    // The rule's documentation on hover, over the artifact.
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 1, "character": 24}}),
    );
    let text = hover["result"]["contents"]["value"]
        .as_str()
        .expect("hover");
    assert!(text.contains("stray-period"), "{text}");
    assert!(text.contains("mtlint explain stray-period"), "{text}");
    let nothing = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 1, "character": 2}}),
    );
    assert_eq!(nothing["result"], Value::Null);
    // An edit before the artifact: 😀 and its space (three units) go.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [
            {"range": range(1, 8, 1, 11), "text": ""}
        ]}),
    );
    assert_eq!(
        ranges(&client.diagnostics(&uri)),
        [
            ("stray-period".to_string(), [0, 20, 0, 23]),
            ("foreign-script".to_string(), [1, 5, 1, 7]),
            ("stray-period".to_string(), [1, 20, 1, 23]),
        ]
    );
    // A whole-text change that mends everything.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 3}, "contentChanges": [
            {"text": "It ended in November. The talks\n"}
        ]}),
    );
    assert_eq!(client.diagnostics(&uri), Vec::<Value>::new());
    assert_eq!(client.finish(), Some(0));
}

#[test]
fn code_actions_fix_suppress_and_fix_all() {
    let dir = tempfile::TempDir::new().expect("dir");
    let mut client = Client::start(dir.path());
    client.initialize(dir.path());
    let uri = file_uri(&dir.path().join("a.md"));
    let text = "Café 😀 ended in May. . Then the the talks.\n";
    client.open(&uri, "markdown", text);
    let found = client.diagnostics(&uri);
    // "Café 😀 ended in May" is 20 units; "the the" starts at 29.
    assert_eq!(
        ranges(&found),
        [
            ("stray-period".to_string(), [0, 20, 0, 23]),
            ("doubled-word".to_string(), [0, 29, 0, 36]),
        ],
        "{found:#?}"
    );
    let r = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": range(0, 21, 0, 21),
               "context": {"diagnostics": [found[0]]}}),
    );
    let actions = r["result"].as_array().expect("actions");
    let titles: Vec<&str> = actions
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert!(
        titles.contains(&"Fix stray-period: replace \". .\" with \".\""),
        "{titles:?}"
    );
    assert!(
        titles.contains(&"Disable stray-period on this line"),
        "{titles:?}"
    );
    assert!(
        !titles.iter().any(|t| t.contains("doubled-word")),
        "{titles:?}"
    );
    let fix = &actions[0];
    assert_eq!(fix["kind"], "quickfix");
    assert_eq!(fix["isPreferred"], true);
    assert_eq!(fix["diagnostics"][0]["code"], "stray-period");
    // The edit removes " ." (units 21 to 23), past the emoji.
    assert_eq!(
        edits_of(fix, &uri),
        [json!({"range": range(0, 21, 0, 23), "newText": ""})]
    );
    assert_eq!(
        apply_edits(text, edits_of(fix, &uri)),
        "Café 😀 ended in May. Then the the talks.\n"
    );
    let suppress = actions
        .iter()
        .find(|a| a["title"] == "Disable stray-period on this line")
        .expect("suppression");
    assert_eq!(
        edits_of(suppress, &uri),
        [json!({"range": range(0, 0, 0, 0),
                "newText": "<!-- mtlint-disable-next-line stray-period -->\n"})]
    );
    // Applied by the client, the comment silences that rule on that line.
    let suppressed = apply_edits(text, edits_of(suppress, &uri));
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [
            {"range": range(0, 0, 0, 0), "text": edits_of(suppress, &uri)[0]["newText"]}
        ]}),
    );
    assert_eq!(
        ranges(&client.diagnostics(&uri)),
        [("doubled-word".to_string(), [1, 29, 1, 36])]
    );
    // Fix all safe, asked for by the kind editors send on save.
    let r = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": range(0, 0, 0, 0),
               "context": {"diagnostics": [], "only": ["source.fixAll"]}}),
    );
    let actions = r["result"].as_array().expect("actions");
    assert_eq!(actions.len(), 1, "{actions:#?}");
    assert_eq!(actions[0]["kind"], "source.fixAll.mtlint");
    let fixed = apply_edits(&suppressed, edits_of(&actions[0], &uri));
    assert_eq!(
        fixed,
        "<!-- mtlint-disable-next-line stray-period -->\nCafé 😀 ended in May. . Then the talks.\n"
    );
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"text": fixed}]}),
    );
    assert_eq!(client.diagnostics(&uri), Vec::<Value>::new());
    assert_eq!(client.finish(), Some(0));
}

#[test]
fn a_suppression_does_not_split_a_markdown_paragraph() {
    let dir = tempfile::TempDir::new().expect("dir");
    let mut client = Client::start(dir.path());
    client.initialize(dir.path());
    let uri = file_uri(&dir.path().join("a.md"));
    let text = "The first line of text.\nIt ended. . Then\n";
    client.open(&uri, "markdown", text);
    assert_eq!(
        ranges(&client.diagnostics(&uri)),
        [("stray-period".to_string(), [1, 8, 1, 11])]
    );
    let r = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": range(1, 9, 1, 9),
               "context": {"diagnostics": [], "only": ["quickfix"]}}),
    );
    let actions = r["result"].as_array().expect("actions");
    let suppress = actions
        .iter()
        .find(|a| a["title"] == "Disable stray-period on this line")
        .expect("suppression");
    // At the end of the line above, inside the paragraph.
    assert_eq!(
        edits_of(suppress, &uri),
        [json!({"range": range(0, 23, 0, 23),
                "newText": " <!-- mtlint-disable-next-line stray-period -->"})]
    );
    let suppressed = apply_edits(text, edits_of(suppress, &uri));
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2},
               "contentChanges": [{"text": suppressed}]}),
    );
    assert_eq!(client.diagnostics(&uri), Vec::<Value>::new());
    assert_eq!(client.finish(), Some(0));
}

#[test]
fn formats_follow_the_extension_then_the_language_id() {
    let dir = tempfile::TempDir::new().expect("dir");
    let mut client = Client::start(dir.path());
    client.initialize(dir.path());
    // JSON Lines: the range counts the raw line, escapes and all: `\u00e9`
    // is six units, 😀 two.
    let jsonl = file_uri(&dir.path().join("news.jsonl"));
    client.open(
        &jsonl,
        "json",
        "{\"id\":\"1\",\"text\":\"Caf\\u00e9 😀 ended in May. . Then\"}\n",
    );
    assert_eq!(
        ranges(&client.diagnostics(&jsonl)),
        [("stray-period".to_string(), [0, 43, 0, 46])]
    );
    // A malformed record is a diagnostic on its line; the rest is checked.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": jsonl, "version": 2}, "contentChanges": [
            {"range": range(0, 0, 0, 0), "text": "{broken\n"}
        ]}),
    );
    let found = client.diagnostics(&jsonl);
    assert_eq!(
        ranges(&found),
        [
            ("stray-period".to_string(), [1, 43, 1, 46]),
            (String::new(), [0, 0, 0, 7]),
        ],
        "{found:#?}"
    );
    assert_eq!(found[1]["severity"], 1);
    // Untitled documents by language id: Markdown leaves a code span
    // alone, plain text does not.
    let text = "Run `a. . b` now.\n";
    client.open("untitled:Untitled-1", "markdown", text);
    assert_eq!(
        client.diagnostics("untitled:Untitled-1"),
        Vec::<Value>::new()
    );
    client.open("untitled:Untitled-2", "plaintext", text);
    assert_eq!(
        ranges(&client.diagnostics("untitled:Untitled-2")),
        [("stray-period".to_string(), [0, 6, 0, 9])]
    );
    // JSON Lines has no line for a comment: no suppression action there.
    let r = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": jsonl}, "range": range(1, 44, 1, 44),
               "context": {"diagnostics": []}}),
    );
    let titles: Vec<&str> = r["result"]
        .as_array()
        .expect("actions")
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert!(
        titles.iter().any(|t| t.starts_with("Fix stray-period")),
        "{titles:?}"
    );
    assert!(
        !titles.iter().any(|t| t.starts_with("Disable")),
        "{titles:?}"
    );
    assert_eq!(client.finish(), Some(0));
}

#[test]
fn configuration_is_found_and_reloaded() {
    let dir = common::dir_with_text(&[("mtlint.toml", "ignore = [\"stray-period\"]\n")]);
    let mut client = Client::start(dir.path());
    let init = client.request(
        "initialize",
        json!({"capabilities": {"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}}}),
    );
    assert!(init["result"].is_object(), "{init}");
    client.notify("initialized", json!({}));
    let register = client.wait_for(|m| m["method"] == "client/registerCapability");
    assert_eq!(
        register["params"]["registrations"][0]["registerOptions"]["watchers"][0]["globPattern"],
        "**/mtlint.toml"
    );
    client.send(json!({"jsonrpc": "2.0", "id": register["id"], "result": null}));
    // A document in a sub-folder: the configuration above it applies.
    let uri = file_uri(&dir.path().join("sub/a.txt"));
    client.open(&uri, "plaintext", "It ended. . Then the the talks.\n");
    assert_eq!(
        ranges(&client.diagnostics(&uri)),
        [("doubled-word".to_string(), [0, 17, 0, 24])]
    );
    std::fs::write(
        dir.path().join("mtlint.toml"),
        "ignore = [\"doubled-word\"]\n",
    )
    .expect("write");
    let config = file_uri(&dir.path().join("mtlint.toml"));
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": config, "type": 2}]}),
    );
    assert_eq!(
        ranges(&client.diagnostics(&uri)),
        [("stray-period".to_string(), [0, 8, 0, 11])]
    );
    // A broken configuration, saved in the editor: said, not a crash.
    std::fs::write(
        dir.path().join("mtlint.toml"),
        "ignore = [\"no-such-rule\"]\n",
    )
    .expect("write");
    client.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": config}}),
    );
    let shown = client.wait_for(|m| m["method"] == "window/showMessage");
    assert!(
        shown["params"]["message"]
            .as_str()
            .unwrap()
            .contains("no-such-rule"),
        "{shown}"
    );
    let found = client.diagnostics(&uri);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0]["message"]
            .as_str()
            .unwrap()
            .contains("configuration"),
        "{found:#?}"
    );
    assert_eq!(client.finish(), Some(0));
}

#[test]
fn bad_messages_are_answered_with_errors() {
    let dir = tempfile::TempDir::new().expect("dir");
    let mut client = Client::start(dir.path());
    let early = client.request("textDocument/hover", json!({}));
    assert_eq!(early["error"]["code"], -32002, "{early}");
    client.send_raw(b"{this is not json");
    let parse = client.wait_for(|m| m["error"]["code"] == -32700);
    assert_eq!(parse["id"], Value::Null);
    client.send_raw(br#"{"jsonrpc":"2.0","id":41,"params":{}}"#);
    let invalid = client.response(41);
    assert_eq!(invalid["error"]["code"], -32600, "{invalid}");
    client.initialize(dir.path());
    let again = client.request("initialize", json!({"capabilities": {}}));
    assert_eq!(again["error"]["code"], -32600, "{again}");
    let unknown = client.request("textDocument/formatting", json!({}));
    assert_eq!(unknown["error"]["code"], -32601, "{unknown}");
    let bad = client.request("textDocument/codeAction", json!({"range": 3}));
    assert_eq!(bad["error"]["code"], -32602, "{bad}");
    // A document never opened: no actions, no error.
    let closed = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": "file:///nowhere.txt"}, "range": range(0, 0, 0, 0),
               "context": {"diagnostics": []}}),
    );
    assert_eq!(closed["result"], Value::Null, "{closed}");
    // Notifications that cannot be answered are dropped.
    client.notify("textDocument/didChange", json!({"textDocument": 5}));
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": "file:///nowhere.txt", "version": 2},
               "contentChanges": [{"text": "x"}]}),
    );
    // Positions past the end of a line or the text are clamped.
    let uri = "untitled:x";
    client.open(uri, "plaintext", "Ok. . Then\n");
    assert_eq!(ranges(&client.diagnostics(uri)).len(), 1);
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [
            {"range": range(0, 99, 9, 0), "text": " The end. . Yes"}
        ]}),
    );
    assert_eq!(
        ranges(&client.diagnostics(uri)),
        [
            ("stray-period".to_string(), [0, 2, 0, 5]),
            ("stray-period".to_string(), [0, 18, 0, 21]),
        ]
    );
    // Still answering, and ends cleanly.
    let after = client.request("shutdown", Value::Null);
    assert_eq!(after["result"], Value::Null);
    let late = client.request("textDocument/hover", json!({}));
    assert_eq!(late["error"]["code"], -32600, "{late}");
    client.notify("exit", Value::Null);
    assert_eq!(client.exit_code(), Some(0));
}

#[test]
fn exit_without_shutdown_is_an_error() {
    let dir = tempfile::TempDir::new().expect("dir");
    let mut client = Client::start(dir.path());
    client.initialize(dir.path());
    client.notify("exit", Value::Null);
    assert_eq!(client.exit_code(), Some(1));
}
