//! `twelve server` driven by a scripted LSP client over stdio: initialize, open a file
//! (diagnostics), hover (the rule's docs), ask for a quick fix, apply it, save (the
//! diagnostic is gone), shut down and exit.

mod common;

use common::work_tree;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

struct Client {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    next_id: u64,
}

impl Client {
    fn start(dir: &std::path::Path) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_twelve"))
            .arg("server")
            .current_dir(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("twelve server");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = BufReader::new(child.stdout.take().expect("stdout"));
        Client {
            child,
            stdin,
            stdout,
            next_id: 1,
        }
    }

    fn send(&mut self, message: &Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("write");
        self.stdin.flush().expect("flush");
    }

    fn receive(&mut self) -> Value {
        let mut length = 0;
        loop {
            let mut header = String::new();
            assert!(
                self.stdout.read_line(&mut header).expect("read") > 0,
                "server closed"
            );
            let header = header.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some(value) = header.strip_prefix("Content-Length: ") {
                length = value.parse().expect("length");
            }
        }
        let mut body = vec![0; length];
        self.stdout.read_exact(&mut body).expect("body");
        serde_json::from_slice(&body).expect("json")
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        loop {
            let message = self.receive();
            if message["id"] == id {
                return message;
            }
        }
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// The next diagnostics published for `uri`.
    fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        loop {
            let message = self.receive();
            if message["method"] == "textDocument/publishDiagnostics"
                && message["params"]["uri"] == uri
            {
                return message["params"]["diagnostics"]
                    .as_array()
                    .expect("list")
                    .clone();
            }
        }
    }
}

#[test]
fn diagnostics_hover_and_quick_fix_over_stdio() {
    let dir = work_tree(&[
        (
            "package.json",
            "{\"scripts\": {\"start\": \"node server.js\"}}\n",
        ),
        ("server.js", "const app = express();\n  app.listen(3000);\n"),
    ]);
    let root = dir.path().canonicalize().expect("canonical");
    let file = root.join("server.js");
    let uri = format!("file://{}", file.display());
    let mut client = Client::start(&root);
    let init = client.request(
        "initialize",
        json!({
            "processId": null,
            "rootUri": format!("file://{}", root.display()),
            "capabilities": { "general": { "positionEncodings": ["utf-16"] } },
        }),
    );
    let capabilities = &init["result"]["capabilities"];
    assert_eq!(capabilities["hoverProvider"], true, "{init}");
    assert_eq!(capabilities["positionEncoding"], "utf-16");
    client.notify("initialized", json!({}));

    let text = std::fs::read_to_string(&file).expect("read");
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "javascript", "version": 1, "text": text } }),
    );
    let diagnostics = client.diagnostics(&uri);
    let port = diagnostics
        .iter()
        .find(|d| d["code"] == "hardcoded-port")
        .unwrap_or_else(|| panic!("{diagnostics:?}"));
    assert_eq!(
        port["range"]["start"],
        json!({ "line": 1, "character": 13 }),
        "{port}"
    );
    assert_eq!(port["severity"], 1);
    assert_eq!(port["source"], "twelve");
    assert!(
        port["codeDescription"]["href"]
            .as_str()
            .unwrap()
            .ends_with("/docs/rules/hardcoded-port.md")
    );

    let hover = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": { "line": 1, "character": 14 } }),
    );
    let docs = hover["result"]["contents"]["value"]
        .as_str()
        .unwrap_or_else(|| panic!("{hover}"));
    assert!(docs.starts_with("# hardcoded-port"), "{docs}");
    let nothing = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": { "line": 0, "character": 2 } }),
    );
    assert_eq!(nothing["result"], Value::Null);

    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": uri },
            "range": port["range"],
            "context": { "diagnostics": [port] },
        }),
    );
    let action = &actions["result"][0];
    assert_eq!(action["kind"], "quickfix", "{actions}");
    let edit = &action["edit"]["changes"][&uri][0];
    assert_eq!(edit["newText"], "  // twelve: ignore[hardcoded-port]\n");
    assert_eq!(edit["range"]["start"], json!({ "line": 1, "character": 0 }));

    // The editor applies the edit and saves.
    let fixed = text.replacen(
        "  app.listen",
        "  // twelve: ignore[hardcoded-port]\n  app.listen",
        1,
    );
    std::fs::write(&file, &fixed).expect("write");
    client.notify(
        "textDocument/didSave",
        json!({ "textDocument": { "uri": uri }, "text": fixed }),
    );
    let diagnostics = client.diagnostics(&uri);
    assert!(
        diagnostics.iter().all(|d| d["code"] != "hardcoded-port"),
        "{diagnostics:?}"
    );

    let shutdown = client.request("shutdown", Value::Null);
    assert_eq!(shutdown["result"], Value::Null);
    client.notify("exit", Value::Null);
    let status = client.child.wait().expect("exit");
    assert!(status.success(), "{status}");
}
