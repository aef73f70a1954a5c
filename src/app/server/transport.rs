//! The wire: JSON-RPC messages framed by `Content-Length` headers over a
//! byte stream. Reading never gives up on a bad message: a body that is not
//! JSON, or not a JSON-RPC message, becomes an [`Incoming::Bad`] to answer
//! with an error, and framing is found again at the next header. Knows
//! nothing of what the messages ask for.

use std::io::{self, BufRead, Write};

use lsp_server::{ErrorCode, Message};
use serde_json::Value;

/// Largest message body read, in bytes; a longer one is skipped and answered
/// with an error (no editor sends a document of this size).
const MAX_BODY_BYTES: usize = 256 << 20;

/// One thing read from the client.
#[derive(Debug)]
pub enum Incoming {
    /// A well-formed message.
    Message(Message),
    /// A message that could not be read: answered with this error, to the
    /// request `id` when one could be read (else `null`, as JSON-RPC says).
    Bad {
        /// The request id, when the body held one.
        id: Option<Value>,
        /// A JSON-RPC error code.
        code: i32,
        /// What was wrong.
        message: String,
    },
}

/// Reads the next message from `input`; `None` at the end of the stream.
pub fn read(input: &mut impl BufRead) -> io::Result<Option<Incoming>> {
    let mut length: Option<usize> = None;
    let mut header_error: Option<String> = None;
    let mut headers = 0;
    let mut line = String::new();
    loop {
        line.clear();
        if input.read_line(&mut line)? == 0 {
            return Ok(None);
        }
        let header = line.trim_end_matches(['\r', '\n']);
        if header.is_empty() {
            if headers > 0 {
                break;
            }
            // Blank lines between messages are not a message.
            continue;
        }
        headers += 1;
        match header.split_once(':') {
            Some((name, value)) if name.trim().eq_ignore_ascii_case("content-length") => {
                match value.trim().parse::<usize>() {
                    Ok(n) => length = Some(n),
                    Err(_) => {
                        header_error = Some(format!("bad Content-Length: {:?}", value.trim()))
                    }
                }
            }
            Some(_) => {}
            None => header_error = Some(format!("not a header: {header:?}")),
        }
    }
    let Some(length) = length else {
        return Ok(Some(bad(
            None,
            ErrorCode::ParseError,
            header_error.unwrap_or_else(|| "no Content-Length header".into()),
        )));
    };
    if length > MAX_BODY_BYTES {
        io::copy(
            &mut io::Read::take(&mut *input, length as u64),
            &mut io::sink(),
        )?;
        return Ok(Some(bad(
            None,
            ErrorCode::InvalidRequest,
            format!("message of {length} bytes is larger than {MAX_BODY_BYTES}"),
        )));
    }
    let mut body = vec![0; length];
    input.read_exact(&mut body)?;
    Ok(Some(parse(&body)))
}

/// The message in `body`.
fn parse(body: &[u8]) -> Incoming {
    let value: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) => return bad(None, ErrorCode::ParseError, format!("not JSON: {e}")),
    };
    let id = value
        .get("id")
        .filter(|id| id.is_i64() || id.is_u64() || id.is_string())
        .cloned();
    match serde_json::from_value::<Message>(value) {
        Ok(message) => Incoming::Message(message),
        Err(e) => bad(
            id,
            ErrorCode::InvalidRequest,
            format!("not a JSON-RPC message: {e}"),
        ),
    }
}

fn bad(id: Option<Value>, code: ErrorCode, message: String) -> Incoming {
    Incoming::Bad {
        id,
        code: code as i32,
        message,
    }
}

/// Writes `message` (a JSON-RPC object without `jsonrpc`) to `out`, framed.
pub fn write(out: &mut impl Write, message: &Value) -> io::Result<()> {
    let mut message = message.clone();
    if let Value::Object(map) = &mut message {
        map.insert("jsonrpc".into(), Value::from("2.0"));
    }
    let body = serde_json::to_string(&message)?;
    write!(out, "Content-Length: {}\r\n\r\n{body}", body.len())?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn framed(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    #[test]
    fn reads_messages_and_survives_bad_ones() {
        let stream = [
            framed(r#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#),
            framed("{not json"),
            framed(r#"{"jsonrpc":"2.0","id":7}"#),
            "X-Other: 1\r\n\r\n".to_string(),
            framed(r#"{"jsonrpc":"2.0","method":"exit"}"#),
        ]
        .concat();
        let mut input = io::Cursor::new(stream.into_bytes());
        let mut got = Vec::new();
        while let Some(m) = read(&mut input).expect("read") {
            got.push(m);
        }
        assert_eq!(got.len(), 5, "{got:?}");
        assert!(
            matches!(&got[0], Incoming::Message(Message::Request(r)) if r.method == "shutdown")
        );
        assert!(matches!(
            &got[1],
            Incoming::Bad {
                id: None,
                code: -32700,
                ..
            }
        ));
        assert!(
            matches!(&got[2], Incoming::Bad { id: Some(id), code: -32600, .. } if id == 7),
            "{:?}",
            got[2]
        );
        assert!(matches!(
            &got[3],
            Incoming::Bad {
                id: None,
                code: -32700,
                ..
            }
        ));
        assert!(
            matches!(&got[4], Incoming::Message(Message::Notification(n)) if n.method == "exit")
        );
    }

    #[test]
    fn writes_content_length_in_bytes() {
        let mut out = Vec::new();
        write(&mut out, &serde_json::json!({"id": 1, "result": "é"})).expect("write");
        let text = String::from_utf8(out).expect("utf-8");
        let (head, body) = text.split_once("\r\n\r\n").expect("framed");
        assert_eq!(head, format!("Content-Length: {}", body.len()));
        assert!(body.contains("\"jsonrpc\":\"2.0\""));
    }
}
