//! `mtlint server`: a language server over standard input and output, for
//! editors. Diagnostics on open, change and save for every format `check`
//! reads (by extension, else the client's language id), with ranges in
//! UTF-16 code units; quick fixes, "fix all safe" and suppression comments
//! as code actions; the rule's documentation on hover; the configuration
//! found from each document's folder upward, as `check` finds it, reloaded
//! when the client reports that an `mtlint.toml` changed, or when a TOML
//! file (a configuration or a rule file) is saved in the editor.
//!
//! Synchronous: one thread reads the wire (`transport`), this one answers
//! in order, and re-checks changed documents once no message is waiting, so
//! a burst of keystrokes costs one check. A bad message is answered with an
//! error; nothing a client sends makes the server panic or stop, but
//! `exit`.
//!
//! [`Session`] is the protocol without the wire: messages in, messages out.

mod actions;
mod position;
mod transport;
mod uri;
mod workspace;

use std::collections::{HashMap, HashSet};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, TryRecvError};

use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionParams, CodeActionProviderCapability,
    DidChangeTextDocumentParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams,
    DidSaveTextDocumentParams, HoverParams, HoverProviderCapability, InitializeParams,
    InitializeResult, MessageType, PositionEncodingKind, PublishDiagnosticsParams, SaveOptions,
    ServerCapabilities, ServerInfo, ShowMessageParams, TextDocumentSyncCapability,
    TextDocumentSyncKind, TextDocumentSyncOptions, TextDocumentSyncSaveOptions,
};
use serde_json::{Value, json};

use crate::cli::ServerArgs;
use crate::config::{CommandLine, FILE_NAME};
use transport::Incoming;
use workspace::{Document, Profiles};

/// Where the protocol is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// Waiting for `initialize`.
    Starting,
    /// Initialized.
    Running,
    /// `shutdown` answered; waiting for `exit`.
    ShutDown,
}

/// The server's side of one connection: what the client sent, what to send
/// back. Does no input or output of its own.
pub struct Session {
    state: State,
    profiles: Profiles,
    /// Open documents by URI.
    documents: HashMap<String, Document>,
    /// The folder for documents without a file (untitled ones).
    root: PathBuf,
    /// Whether the client lets the server ask to watch configuration files.
    watch: bool,
    /// Configuration errors already shown, not to repeat them on every keystroke.
    shown_errors: HashSet<String>,
    /// Messages to send, in order.
    outbox: Vec<Value>,
    next_request: i32,
    exit: Option<u8>,
}

impl Session {
    /// A session for `mtlint server` run with `args`, in the folder `cwd`.
    pub fn new(args: &ServerArgs, cwd: PathBuf) -> Self {
        let rules = &args.rules;
        Session {
            state: State::Starting,
            profiles: Profiles::new(CommandLine {
                config: rules.config.clone(),
                isolated: rules.isolated,
                rules: rules.rules.clone(),
                no_default_rules: rules.no_default_rules,
                select: rules.select.clone(),
                ignore: rules.ignore.clone(),
                fail_on: None,
            }),
            documents: HashMap::new(),
            root: cwd,
            watch: false,
            shown_errors: HashSet::new(),
            outbox: Vec::new(),
            next_request: 1,
            exit: None,
        }
    }

    /// The process exit code, once the client has sent `exit`: 0 after a
    /// `shutdown`, 1 without one.
    pub fn exit_code(&self) -> Option<u8> {
        self.exit
    }

    /// The messages to send, in order; the outbox is emptied.
    pub fn take_outbox(&mut self) -> Vec<Value> {
        std::mem::take(&mut self.outbox)
    }

    /// Handles one message from the client.
    pub fn receive(&mut self, message: Message) {
        match message {
            Message::Request(r) => self.request(r),
            Message::Notification(n) => self.notification(n),
            // Answers to the server's own requests (registering watchers).
            Message::Response(_) => {}
        }
    }

    fn handle(&mut self, incoming: Incoming) {
        match incoming {
            Incoming::Message(m) => self.receive(m),
            Incoming::Bad { id, code, message } => {
                super::say(format_args!("server: {message}"));
                self.outbox.push(json!({
                    "id": id.unwrap_or(Value::Null),
                    "error": {"code": code, "message": message},
                }));
            }
        }
    }

    /// [`Session::handle`], with a bug (a panic) in handling one message
    /// answered as an internal error instead of ending the server.
    fn guarded(&mut self, incoming: Incoming) {
        let id = match &incoming {
            Incoming::Message(Message::Request(r)) => Some(r.id.clone()),
            _ => None,
        };
        let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.handle(incoming)));
        if run.is_err() {
            super::say("server: internal error (please report it)");
            if let Some(id) = id {
                self.error(id, ErrorCode::InternalError, "internal error".into());
            }
        }
    }

    fn respond(&mut self, response: Response) {
        match serde_json::to_value(&response) {
            Ok(v) => self.outbox.push(v),
            Err(e) => super::say(format_args!("server: cannot encode a response: {e}")),
        }
    }

    fn error(&mut self, id: RequestId, code: ErrorCode, message: String) {
        self.respond(Response::new_err(id, code as i32, message));
    }

    fn notify(&mut self, method: &str, params: impl serde::Serialize) {
        match serde_json::to_value(Notification::new(method.to_string(), params)) {
            Ok(v) => self.outbox.push(v),
            Err(e) => super::say(format_args!("server: cannot encode {method}: {e}")),
        }
    }

    fn request(&mut self, r: Request) {
        let id = r.id.clone();
        match (self.state, r.method.as_str()) {
            (State::Starting, "initialize") => {}
            (State::Starting, _) => {
                return self.error(
                    id,
                    ErrorCode::ServerNotInitialized,
                    format!("`{}` before `initialize`", r.method),
                );
            }
            (State::ShutDown, _) => {
                return self.error(
                    id,
                    ErrorCode::InvalidRequest,
                    format!("`{}` after `shutdown`", r.method),
                );
            }
            (State::Running, "initialize") => {
                return self.error(id, ErrorCode::InvalidRequest, "initialized twice".into());
            }
            (State::Running, _) => {}
        }
        let result = match r.method.as_str() {
            "initialize" => params(r).map(|p| self.initialize(p)),
            "shutdown" => {
                self.state = State::ShutDown;
                Ok(Value::Null)
            }
            "textDocument/codeAction" => params(r).map(|p| self.code_action(p)),
            "textDocument/hover" => params(r).map(|p| self.hover(p)),
            method => Err((
                ErrorCode::MethodNotFound,
                format!("mtlint server does not handle `{method}`"),
            )),
        };
        match result {
            Ok(value) => self.respond(Response::new_ok(id, value)),
            Err((code, message)) => self.error(id, code, message),
        }
    }

    fn initialize(&mut self, p: InitializeParams) -> Value {
        #[allow(deprecated)]
        let root = p
            .workspace_folders
            .as_ref()
            .and_then(|f| f.first())
            .map(|f| f.uri.clone())
            .or(p.root_uri.clone());
        if let Some(dir) = root.as_ref().and_then(uri::to_path) {
            self.root = dir;
        }
        self.watch = p
            .capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.did_change_watched_files)
            .and_then(|w| w.dynamic_registration)
            .unwrap_or(false);
        self.state = State::Running;
        let capabilities = ServerCapabilities {
            position_encoding: Some(PositionEncodingKind::UTF16),
            text_document_sync: Some(TextDocumentSyncCapability::Options(
                TextDocumentSyncOptions {
                    open_close: Some(true),
                    change: Some(TextDocumentSyncKind::INCREMENTAL),
                    save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                        include_text: Some(true),
                    })),
                    ..TextDocumentSyncOptions::default()
                },
            )),
            code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
                code_action_kinds: Some(vec![
                    CodeActionKind::QUICKFIX,
                    CodeActionKind::new(actions::FIX_ALL_KIND),
                ]),
                ..CodeActionOptions::default()
            })),
            hover_provider: Some(HoverProviderCapability::Simple(true)),
            ..ServerCapabilities::default()
        };
        let result = InitializeResult {
            capabilities,
            server_info: Some(ServerInfo {
                name: "mtlint".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
        };
        serde_json::to_value(result).unwrap_or(Value::Null)
    }

    fn notification(&mut self, n: Notification) {
        if n.method == "exit" {
            self.exit = Some(u8::from(self.state != State::ShutDown));
            return;
        }
        if self.state != State::Running {
            return;
        }
        let method = n.method.clone();
        let outcome = match method.as_str() {
            "initialized" => {
                self.register_watchers();
                Ok(())
            }
            "textDocument/didOpen" => params(n).map(|p| self.did_open(p)),
            "textDocument/didChange" => params(n).map(|p| self.did_change(p)),
            "textDocument/didSave" => params(n).map(|p| self.did_save(p)),
            "textDocument/didClose" => params(n).map(|p| self.did_close(p)),
            "workspace/didChangeWatchedFiles" | "workspace/didChangeConfiguration" => {
                self.reload();
                Ok(())
            }
            _ => Ok(()),
        };
        if let Err((_, message)) = outcome {
            super::say(format_args!("server: {method}: {message}"));
        }
    }

    /// Asks the client to report changes of configuration files.
    fn register_watchers(&mut self) {
        if !self.watch {
            return;
        }
        let id = self.next_request;
        self.next_request += 1;
        self.outbox.push(json!({
            "id": id,
            "method": "client/registerCapability",
            "params": {"registrations": [{
                "id": "mtlint-configuration",
                "method": "workspace/didChangeWatchedFiles",
                "registerOptions": {"watchers": [{"globPattern": format!("**/{FILE_NAME}")}]},
            }]},
        }));
    }

    fn did_open(&mut self, p: DidOpenTextDocumentParams) {
        let d = p.text_document;
        let key = d.uri.as_str().to_string();
        let doc = Document::new(d.uri, d.text, d.version, d.language_id);
        self.documents.insert(key, doc);
    }

    fn did_change(&mut self, p: DidChangeTextDocumentParams) {
        let Some(doc) = self.documents.get_mut(p.text_document.uri.as_str()) else {
            super::say(format_args!(
                "server: change to {}, which is not open",
                p.text_document.uri.as_str()
            ));
            return;
        };
        for change in p.content_changes {
            let range = change.range.map(|r| doc.offsets(r));
            doc.edit(range, &change.text);
        }
        doc.version = p.text_document.version;
    }

    fn did_save(&mut self, p: DidSaveTextDocumentParams) {
        let key = p.text_document.uri.as_str();
        // mtlint.toml, or a rule file: any TOML file saved may be one.
        let is_config = uri::to_path(&p.text_document.uri)
            .is_some_and(|path| path.extension().is_some_and(|e| e == "toml"));
        if let (Some(doc), Some(text)) = (self.documents.get_mut(key), p.text) {
            if doc.text != text {
                doc.edit(None, &text);
            }
        }
        if is_config {
            self.reload();
        }
    }

    fn did_close(&mut self, p: DidCloseTextDocumentParams) {
        if let Some(doc) = self.documents.remove(p.text_document.uri.as_str()) {
            self.notify(
                "textDocument/publishDiagnostics",
                PublishDiagnosticsParams {
                    uri: doc.uri,
                    diagnostics: Vec::new(),
                    version: None,
                },
            );
        }
    }

    /// Configuration changed: every document is checked again under the
    /// configuration as it now is.
    fn reload(&mut self) {
        self.profiles.clear();
        self.shown_errors.clear();
        for doc in self.documents.values_mut() {
            doc.profile = None;
            doc.checked = None;
        }
    }

    /// Checks the document `key` if its findings are out of date; whether
    /// it was checked now.
    fn ensure_checked(&mut self, key: &str) -> bool {
        let Some(doc) = self.documents.get_mut(key) else {
            return false;
        };
        if doc.checked.is_some() {
            return false;
        }
        let profile = match &doc.profile {
            Some(p) => std::sync::Arc::clone(p),
            None => {
                let dir = doc
                    .path
                    .as_deref()
                    .and_then(Path::parent)
                    .map_or_else(|| self.root.clone(), Path::to_path_buf);
                let p = self.profiles.for_dir(&dir);
                doc.profile = Some(std::sync::Arc::clone(&p));
                p
            }
        };
        doc.checked = Some(workspace::check(doc, &profile));
        if let Err(e) = &*profile {
            if self.shown_errors.insert(e.clone()) {
                super::say(format_args!("server: {e}"));
                self.notify(
                    "window/showMessage",
                    ShowMessageParams {
                        typ: MessageType::ERROR,
                        message: format!("mtlint: {e}"),
                    },
                );
            }
        }
        true
    }

    /// Checks every document changed since it was last checked and
    /// publishes its diagnostics. Called when no message is waiting.
    pub fn idle(&mut self) {
        let mut keys: Vec<String> = self
            .documents
            .iter()
            .filter(|(_, d)| d.checked.is_none())
            .map(|(k, _)| k.clone())
            .collect();
        keys.sort();
        for key in keys {
            if self.ensure_checked(&key) {
                self.publish(&key);
            }
        }
    }

    fn publish(&mut self, key: &str) {
        let Some(doc) = self.documents.get(key) else {
            return;
        };
        let Some(checked) = &doc.checked else {
            return;
        };
        let params = PublishDiagnosticsParams {
            uri: doc.uri.clone(),
            diagnostics: checked.diagnostics.clone(),
            version: Some(doc.version),
        };
        self.notify("textDocument/publishDiagnostics", params);
    }

    /// Checks `key` now if a request needs its findings before `idle`
    /// would have checked it; publishes what was found.
    fn fresh(&mut self, key: &str) {
        if self.ensure_checked(key) {
            self.publish(key);
        }
    }

    fn code_action(&mut self, p: CodeActionParams) -> Value {
        let key = p.text_document.uri.as_str().to_string();
        self.fresh(&key);
        let Some(doc) = self.documents.get(&key) else {
            return Value::Null;
        };
        let (Some(checked), Some(profile)) = (&doc.checked, &doc.profile) else {
            return Value::Null;
        };
        let range = doc.offsets(p.range);
        let found = actions::code_actions(
            doc,
            checked,
            profile.as_ref().as_ref().ok(),
            range,
            &p.context.diagnostics,
            p.context.only.as_deref(),
        );
        serde_json::to_value(found).unwrap_or(Value::Null)
    }

    fn hover(&mut self, p: HoverParams) -> Value {
        let at = p.text_document_position_params;
        let key = at.text_document.uri.as_str().to_string();
        self.fresh(&key);
        let Some(doc) = self.documents.get(&key) else {
            return Value::Null;
        };
        let Some(checked) = &doc.checked else {
            return Value::Null;
        };
        let offset = doc.index.offset(&doc.text, at.position);
        actions::hover(checked, offset)
            .and_then(|h| serde_json::to_value(h).ok())
            .unwrap_or(Value::Null)
    }
}

/// The params of a request or notification, or an `InvalidParams` error.
fn params<P: serde::de::DeserializeOwned>(
    message: impl Into<Message>,
) -> Result<P, (ErrorCode, String)> {
    let value = match message.into() {
        Message::Request(r) => r.params,
        Message::Notification(n) => n.params,
        Message::Response(_) => Value::Null,
    };
    serde_json::from_value(value)
        .map_err(|e| (ErrorCode::InvalidParams, format!("bad params: {e}")))
}

/// Runs the server on standard input and output until the client sends
/// `exit` (or closes the input); the process exit code.
pub fn run(args: &ServerArgs) -> u8 {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let mut session = Session::new(args, cwd);
    let (tx, rx) = mpsc::channel::<Incoming>();
    std::thread::spawn(move || {
        let mut input = io::stdin().lock();
        loop {
            match transport::read(&mut input) {
                Ok(Some(m)) => {
                    if tx.send(m).is_err() {
                        return;
                    }
                }
                Ok(None) => return,
                Err(e) => {
                    super::say(format_args!("server: cannot read standard input: {e}"));
                    return;
                }
            }
        }
    });
    let mut out = io::stdout().lock();
    let mut send = |session: &mut Session| -> io::Result<()> {
        for m in session.take_outbox() {
            transport::write(&mut out, &m)?;
        }
        Ok(())
    };
    let mut waiting: Option<Incoming> = None;
    loop {
        let incoming = match waiting.take() {
            Some(m) => m,
            None => match rx.recv() {
                Ok(m) => m,
                // The client closed the input without `exit`.
                Err(_) => return 1,
            },
        };
        session.guarded(incoming);
        if send(&mut session).is_err() {
            return 1;
        }
        if let Some(code) = session.exit_code() {
            return code;
        }
        match rx.try_recv() {
            Ok(m) => waiting = Some(m),
            Err(TryRecvError::Empty | TryRecvError::Disconnected) => {
                session.idle();
                if send(&mut session).is_err() {
                    return 1;
                }
            }
        }
    }
}
