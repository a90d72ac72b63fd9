//! `twelve server`: a language server on stdio (the lsp-server crate, rust-analyzer's
//! transport). On open and on save it scans the file's repository as the pre-commit
//! hook does and publishes the findings of that file; hover shows the rule's docs, and
//! a quick fix inserts the suppression comment above the flagged line.

mod text;

use crate::classify::language_of;
use crate::config::Config;
use crate::finding::{Finding, Severity};
use crate::report::rules_doc;
use crate::rules::Registry;
use crate::scan::Scanner;
use crate::selection::Selection;
use crate::{discover, git, mask, walk};
use lsp_server::{Connection, Message, Notification, Request, Response};
use serde_json::{Value, json};
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use text::Encoding;

/// Runs the server on stdin and stdout until the client asks it to exit.
pub fn run(registry: &Registry) -> Result<(), String> {
    let (connection, threads) = Connection::stdio();
    let (id, params) = connection
        .initialize_start()
        .map_err(|err| format!("language server: {err}"))?;
    let offered: Vec<&str> = params["capabilities"]["general"]["positionEncodings"]
        .as_array()
        .map(|list| list.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let encoding = Encoding::negotiate(&offered);
    let result = json!({
        "capabilities": {
            "positionEncoding": encoding.name(),
            "textDocumentSync": { "openClose": true, "change": 0, "save": { "includeText": true } },
            "hoverProvider": true,
            "codeActionProvider": { "codeActionKinds": ["quickfix"] },
        },
        "serverInfo": { "name": "twelve", "version": env!("CARGO_PKG_VERSION") },
    });
    connection
        .initialize_finish(id, result)
        .map_err(|err| format!("language server: {err}"))?;
    let mut server = Server {
        registry,
        encoding,
        connection: &connection,
        documents: HashMap::new(),
    };
    server.serve()?;
    drop(connection);
    threads
        .join()
        .map_err(|err| format!("language server: {err}"))
}

/// An open document: its text as the editor last sent it, and its findings.
struct Document {
    text: String,
    findings: Vec<Finding>,
}

struct Server<'a> {
    registry: &'a Registry,
    encoding: Encoding,
    connection: &'a Connection,
    documents: HashMap<String, Document>,
}

impl Server<'_> {
    fn serve(&mut self) -> Result<(), String> {
        for message in &self.connection.receiver {
            match message {
                Message::Request(request) => {
                    if self
                        .connection
                        .handle_shutdown(&request)
                        .map_err(|err| format!("language server: {err}"))?
                    {
                        return Ok(());
                    }
                    let response = self.answer(&request);
                    self.send(Message::Response(response));
                }
                Message::Notification(notification) => self.notified(&notification),
                Message::Response(_) => {}
            }
        }
        Ok(())
    }

    fn send(&self, message: Message) {
        // The client has gone when this fails; the reader thread then ends the loop.
        let _ = self.connection.sender.send(message);
    }

    fn answer(&self, request: &Request) -> Response {
        let params = &request.params;
        let uri = params["textDocument"]["uri"].as_str().unwrap_or_default();
        let result = match request.method.as_str() {
            "textDocument/hover" => self.hover(uri, &params["position"]),
            "textDocument/codeAction" => {
                self.code_actions(uri, &params["range"], &params["context"]["diagnostics"])
            }
            _ => {
                return Response::new_err(
                    request.id.clone(),
                    lsp_server::ErrorCode::MethodNotFound as i32,
                    format!("twelve does not answer {}", request.method),
                );
            }
        };
        Response::new_ok(request.id.clone(), result)
    }

    fn notified(&mut self, notification: &Notification) {
        let params = &notification.params;
        let document = &params["textDocument"];
        let uri = document["uri"].as_str().unwrap_or_default().to_string();
        match notification.method.as_str() {
            "textDocument/didOpen" | "textDocument/didSave" => {
                let sent = document["text"].as_str().or(params["text"].as_str());
                let text = match (sent, self.documents.get(&uri)) {
                    (Some(text), _) => text.to_string(),
                    (None, Some(known)) => known.text.clone(),
                    (None, None) => String::new(),
                };
                self.check(uri, text);
            }
            "textDocument/didClose" => {
                self.documents.remove(&uri);
                self.publish(&uri, Vec::new());
            }
            _ => {}
        }
    }

    /// Scans the document's repository and publishes the document's findings.
    fn check(&mut self, uri: String, text: String) {
        let findings = match text::uri_to_path(&uri).map(|p| findings_of(self.registry, &p)) {
            Some(Ok(findings)) => findings,
            Some(Err(message)) => {
                self.send(Message::Notification(Notification::new(
                    "window/showMessage".into(),
                    json!({ "type": 1, "message": format!("twelve: {message}") }),
                )));
                Vec::new()
            }
            None => Vec::new(),
        };
        let document = Document { text, findings };
        let diagnostics = document
            .findings
            .iter()
            .map(|f| self.diagnostic(&document, f))
            .collect();
        self.documents.insert(uri.clone(), document);
        self.publish(&uri, diagnostics);
    }

    fn publish(&self, uri: &str, diagnostics: Vec<Value>) {
        self.send(Message::Notification(Notification::new(
            "textDocument/publishDiagnostics".into(),
            json!({ "uri": uri, "diagnostics": diagnostics }),
        )));
    }

    /// The finding's range in the client's encoding; repository-level findings mark
    /// the start of the file.
    fn range(&self, document: &Document, finding: &Finding) -> Value {
        if finding.is_repository_level() {
            return json!({ "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 0 } });
        }
        let position = |line: usize, column: usize| {
            let text = text::line_of(&document.text, line - 1);
            json!({ "line": line - 1, "character": self.encoding.column(text, column) })
        };
        json!({
            "start": position(finding.start.line, finding.start.column),
            "end": position(finding.end.line, finding.end.column),
        })
    }

    fn diagnostic(&self, document: &Document, finding: &Finding) -> Value {
        let severity = match finding.severity {
            Severity::Error => 1,
            Severity::Warning => 2,
            Severity::Note => 3,
        };
        json!({
            "range": self.range(document, finding),
            "severity": severity,
            "code": finding.rule,
            "codeDescription": { "href": rules_doc::doc_url(&finding.rule) },
            "source": "twelve",
            "message": format!("{}\nhelp: {}", finding.message, finding.help),
        })
    }

    /// The findings whose range holds `position` (or, for code actions, meets `range`).
    fn findings_at<'d>(
        &self,
        document: &'d Document,
        start: (u64, u64),
        end: (u64, u64),
    ) -> Vec<&'d Finding> {
        let point = |v: &Value| {
            (
                v["line"].as_u64().unwrap_or(0),
                v["character"].as_u64().unwrap_or(0),
            )
        };
        document
            .findings
            .iter()
            .filter(|f| {
                let range = self.range(document, f);
                point(&range["start"]) <= end && start <= point(&range["end"])
            })
            .collect()
    }

    fn hover(&self, uri: &str, position: &Value) -> Value {
        let Some(document) = self.documents.get(uri) else {
            return Value::Null;
        };
        let at = (
            position["line"].as_u64().unwrap_or(0),
            position["character"].as_u64().unwrap_or(0),
        );
        let docs: Vec<String> = self
            .findings_at(document, at, at)
            .iter()
            .filter_map(|f| self.registry.get(&f.rule))
            .map(rules_doc::explain)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        if docs.is_empty() {
            return Value::Null;
        }
        json!({ "contents": { "kind": "markdown", "value": docs.join("\n---\n\n") } })
    }

    /// A quick fix per suppressible finding in `range` (of the rules of the diagnostics
    /// the client names, when it names some): the comment on its own line above the
    /// flagged one, which covers that line.
    fn code_actions(&self, uri: &str, range: &Value, diagnostics: &Value) -> Value {
        let named: Vec<&str> = diagnostics
            .as_array()
            .map(|list| list.iter().filter_map(|d| d["code"].as_str()).collect())
            .unwrap_or_default();
        let Some(document) = self.documents.get(uri) else {
            return json!([]);
        };
        let point = |v: &Value| {
            (
                v["line"].as_u64().unwrap_or(0),
                v["character"].as_u64().unwrap_or(0),
            )
        };
        let comment = text::uri_to_path(uri)
            .and_then(|p| {
                let first_line = document.text.lines().next().unwrap_or_default();
                language_of(&walk::path_text(&p), first_line.as_bytes())
            })
            .and_then(mask::line_comment);
        let Some((open, close)) = comment else {
            return json!([]);
        };
        let actions: Vec<Value> = self
            .findings_at(document, point(&range["start"]), point(&range["end"]))
            .into_iter()
            .filter(|f| !f.is_repository_level())
            .filter(|f| named.is_empty() || named.contains(&f.rule.as_str()))
            .map(|finding| {
                let line = finding.start.line - 1;
                let indent = text::line_of(&document.text, line).map_or("", text::indentation);
                let insert = json!({ "line": line, "character": 0 });
                json!({
                    "title": format!("Suppress {} on this line (twelve: ignore)", finding.rule),
                    "kind": "quickfix",
                    "diagnostics": [self.diagnostic(document, finding)],
                    "edit": { "changes": { uri: [{
                        "range": { "start": insert, "end": insert },
                        "newText": format!("{indent}{open}twelve: ignore[{}]{close}\n", finding.rule),
                    }] } },
                })
            })
            .collect();
        json!(actions)
    }
}

/// The findings of one file, scanning its repository (the git work tree holding it,
/// else its folder) with the configuration found for it, as `twelve check FILE` does.
fn findings_of(registry: &Registry, path: &Path) -> Result<Vec<Finding>, String> {
    let path = path
        .canonicalize()
        .map_err(|err| format!("{}: {err}", path.display()))?;
    let dir = path
        .parent()
        .map_or_else(|| PathBuf::from("/"), Path::to_path_buf);
    let root = git::toplevel(&dir)
        .and_then(|top| top.canonicalize().ok())
        .unwrap_or_else(|| dir.clone());
    let config = match discover::config_for(&dir) {
        Some(file) => Config::load(&file, registry).map_err(|err| err.to_string())?,
        None => Config::default(),
    };
    let scanner = Scanner::new(registry, &config, 0).map_err(|err| err.0)?;
    let mut report = scanner.scan(std::slice::from_ref(&root));
    let Ok(rel) = path.strip_prefix(&root) else {
        return Ok(Vec::new());
    };
    let selection = Selection {
        root: root.clone(),
        files: BTreeSet::from([walk::path_text(rel)]),
    };
    report.findings.retain(|f| selection.includes(f, registry));
    Ok(report.findings)
}
