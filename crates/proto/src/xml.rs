//! A small XML writer for AWS Query responses: escaped text, nested elements, the success and
//! error envelopes, and RFC 3986 encoding for policy documents.

use crate::error::AwsError;
use crate::ops::Output;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use std::fmt::Write;

/// Builds the inside of a `<{Op}Result>` element.
#[derive(Debug, Default)]
pub struct XmlWriter {
    buf: String,
}

/// Escapes the five XML special characters (and CR, which XML parsers would otherwise normalize).
pub fn escape_into(out: &mut String, text: &str) {
    // Most text (ids, ARNs, tokens) has nothing to escape.
    if !text
        .bytes()
        .any(|b| matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'' | b'\r'))
    {
        out.push_str(text);
        return;
    }
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\r' => out.push_str("&#xD;"),
            c => out.push(c),
        }
    }
}

/// RFC 3986 unreserved characters stay; everything else (space as `%20`) is encoded, as IAM
/// encodes policy documents in its responses.
const POLICY_ENCODE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

pub fn encode_policy_document(doc: &str) -> String {
    utf8_percent_encode(doc, POLICY_ENCODE).to_string()
}

impl XmlWriter {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn open(&mut self, tag: &str) -> &mut Self {
        let _ = write!(self.buf, "<{tag}>");
        self
    }
    pub fn close(&mut self, tag: &str) -> &mut Self {
        let _ = write!(self.buf, "</{tag}>");
        self
    }
    /// Escaped text inside the current element.
    pub fn text(&mut self, text: &str) -> &mut Self {
        escape_into(&mut self.buf, text);
        self
    }
    /// `<tag>text</tag>`, text escaped.
    pub fn elem(&mut self, tag: &str, text: &str) -> &mut Self {
        let _ = write!(self.buf, "<{tag}>");
        escape_into(&mut self.buf, text);
        let _ = write!(self.buf, "</{tag}>");
        self
    }
    /// `<tag>text</tag>` only when there is a value.
    pub fn opt(&mut self, tag: &str, text: Option<&str>) -> &mut Self {
        if let Some(t) = text {
            self.elem(tag, t);
        }
        self
    }
    pub fn bool(&mut self, tag: &str, v: bool) -> &mut Self {
        self.elem(tag, if v { "true" } else { "false" })
    }
    pub fn num(&mut self, tag: &str, v: i64) -> &mut Self {
        let _ = write!(self.buf, "<{tag}>{v}</{tag}>");
        self
    }
    /// `<tag/>`.
    pub fn empty(&mut self, tag: &str) -> &mut Self {
        let _ = write!(self.buf, "<{tag}/>");
        self
    }
    /// A wrapped list: `<tag><member>..</member>..</tag>`, `<tag/>` when empty.
    pub fn list<T>(
        &mut self,
        tag: &str,
        items: &[T],
        each: impl FnMut(&mut Self, &T),
    ) -> &mut Self {
        self.list_of(tag, "member", items, each)
    }
    /// A wrapped list whose items are `<item>` elements (`entry` for maps).
    pub fn list_of<T>(
        &mut self,
        tag: &str,
        item: &str,
        items: &[T],
        mut each: impl FnMut(&mut Self, &T),
    ) -> &mut Self {
        if items.is_empty() {
            return self.empty(tag);
        }
        self.open(tag);
        for it in items {
            self.open(item);
            each(self, it);
            self.close(item);
        }
        self.close(tag)
    }
    pub fn finish(self) -> String {
        self.buf
    }
}

/// The success envelope for `op`.
pub fn success_envelope(
    op: &str,
    namespace: &str,
    output: Output,
    result: &str,
    request_id: &str,
) -> String {
    let mut s = String::with_capacity(result.len() + 256);
    let _ = write!(s, "<{op}Response xmlns=\"{namespace}\">");
    match output {
        Output::NoOutput => {}
        Output::EmptyResult if result.is_empty() => {
            let _ = write!(s, "<{op}Result/>");
        }
        Output::EmptyResult | Output::WithResult => {
            let _ = write!(s, "<{op}Result>{result}</{op}Result>");
        }
    }
    let _ = write!(
        s,
        "<ResponseMetadata><RequestId>{request_id}</RequestId></ResponseMetadata></{op}Response>"
    );
    s
}

/// The error envelope.
pub fn error_envelope(err: &AwsError, namespace: &str, request_id: &str) -> String {
    let mut s = String::with_capacity(256 + err.message.len());
    let kind = match err.kind() {
        crate::ErrorKind::Sender => "Sender",
        crate::ErrorKind::Receiver => "Receiver",
    };
    let _ = write!(
        s,
        "<ErrorResponse xmlns=\"{namespace}\"><Error><Type>{kind}</Type><Code>"
    );
    escape_into(&mut s, &err.code);
    s.push_str("</Code><Message>");
    escape_into(&mut s, &err.message);
    let _ = write!(
        s,
        "</Message></Error><RequestId>{request_id}</RequestId></ErrorResponse>"
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_special_characters() {
        let mut w = XmlWriter::new();
        w.elem("A", "<a & 'b' \"c\">");
        assert_eq!(
            w.finish(),
            "<A>&lt;a &amp; &apos;b&apos; &quot;c&quot;&gt;</A>"
        );
    }

    #[test]
    fn empty_list_is_self_closing() {
        let mut w = XmlWriter::new();
        w.list::<&str>("Users", &[], |_, _| {});
        w.list("Tags", &["x", "y"], |w, t| {
            w.elem("Key", t);
        });
        assert_eq!(
            w.finish(),
            "<Users/><Tags><member><Key>x</Key></member><member><Key>y</Key></member></Tags>"
        );
    }

    #[test]
    fn policy_documents_are_rfc3986_encoded() {
        assert_eq!(
            encode_policy_document(r#"{"Version": "2012-10-17"}"#),
            "%7B%22Version%22%3A%20%222012-10-17%22%7D"
        );
    }

    #[test]
    fn envelopes_have_aws_shape() {
        let ns = "https://iam.amazonaws.com/doc/2010-05-08/";
        assert_eq!(
            success_envelope("DeleteUser", ns, Output::NoOutput, "", "r1"),
            format!(
                "<DeleteUserResponse xmlns=\"{ns}\"><ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata></DeleteUserResponse>"
            )
        );
        assert!(
            success_envelope("UpdateRole", ns, Output::EmptyResult, "", "r")
                .contains("<UpdateRoleResult/>")
        );
        let e = error_envelope(&AwsError::no_such_entity("gone"), ns, "r2");
        assert_eq!(
            e,
            format!(
                "<ErrorResponse xmlns=\"{ns}\"><Error><Type>Sender</Type><Code>NoSuchEntity</Code><Message>gone</Message></Error><RequestId>r2</RequestId></ErrorResponse>"
            )
        );
        assert!(error_envelope(&AwsError::internal(), ns, "r").contains("<Type>Receiver</Type>"));
    }
}
