//! What the simulator reads from a policy's JSON text itself: the condition keys it uses and
//! where each of its statements starts and ends (line and column, as AWS reports them).

use std::collections::BTreeSet;

/// Condition keys the documents use, in first-seen order without duplicates (ignoring case).
pub(super) fn condition_keys<'a>(texts: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for text in texts {
        let Ok(doc) = serde_json::from_str::<serde_json::Value>(text) else {
            continue;
        };
        let statements = match &doc["Statement"] {
            serde_json::Value::Array(a) => a.clone(),
            s @ serde_json::Value::Object(_) => vec![s.clone()],
            _ => Vec::new(),
        };
        for st in statements {
            let Some(cond) = st.get("Condition").and_then(|c| c.as_object()) else {
                continue;
            };
            for block in cond.values().filter_map(|b| b.as_object()) {
                for key in block.keys() {
                    if seen.insert(key.to_lowercase()) {
                        out.push(key.clone());
                    }
                }
            }
        }
    }
    out
}

/// (line, column) of the start and end of each statement of a JSON policy, 1-based, as AWS
/// reports them in MatchedStatements.
pub(super) fn statement_spans(text: &str) -> Vec<((usize, usize), (usize, usize))> {
    let chars: Vec<char> = text.chars().collect();
    let mut pos = Vec::with_capacity(chars.len() + 1);
    let (mut line, mut col) = (1, 1);
    for c in &chars {
        pos.push((line, col));
        if *c == '\n' {
            line += 1;
            col = 1;
        } else {
            col += 1;
        }
    }
    pos.push((line, col));
    let mut spans = Vec::new();
    // The brackets open at `i`, innermost last: one pass, so the cost is linear in the text.
    let mut open: Vec<char> = Vec::new();
    let mut i = 0;
    // The value after the top-level "Statement" key: depth 1 is the document object.
    let mut statement_depth: Option<usize> = None;
    let mut start = None;
    let mut last_string = String::new();
    while i < chars.len() {
        let c = chars[i];
        match c {
            '"' => {
                let begin = i + 1;
                i += 1;
                while i < chars.len() && chars[i] != '"' {
                    if chars[i] == '\\' {
                        i += 1;
                    }
                    i += 1;
                }
                last_string.clear();
                if open.len() == 1 {
                    last_string.extend(chars.get(begin..i.min(chars.len())).unwrap_or_default());
                }
            }
            ':' if open.len() == 1 && last_string == "Statement" => statement_depth = Some(1),
            '{' | '[' => {
                let in_array = open.last() == Some(&'[');
                open.push(c);
                let depth = open.len();
                if let Some(sd) = statement_depth {
                    // An object directly in the Statement array, or the Statement object itself.
                    let array_member = c == '{' && depth == sd + 2 && in_array;
                    let single = c == '{' && depth == sd + 1;
                    if array_member || single {
                        start = Some(i);
                    }
                }
            }
            '}' | ']' => {
                let depth = open.len();
                if let (Some(sd), Some(s)) = (statement_depth, start)
                    && c == '}'
                    && (depth == sd + 2 || depth == sd + 1)
                {
                    spans.push((pos[s], pos[i + 1]));
                    start = None;
                    if depth == sd + 1 {
                        statement_depth = None;
                    }
                }
                if c == ']' && statement_depth.is_some_and(|sd| depth == sd + 1) {
                    statement_depth = None;
                }
                open.pop();
            }
            ',' if open.len() == 1 => statement_depth = None,
            _ => {}
        }
        i += 1;
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statement_positions_are_line_and_column_of_each_statement() {
        let text = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\"Effect\": \"Allow\", \"Action\": \"a:b\", \"Resource\": \"*\"},\n    {\"Sid\": \"x}\", \"Effect\": \"Deny\", \"Action\": \"a:c\", \"Resource\": \"*\"}\n  ]\n}";
        let spans = statement_spans(text);
        assert_eq!(spans.len(), 2);
        assert_eq!(spans[0], ((4, 5), (4, 58)));
        assert_eq!(spans[1].0, (5, 5));
        let single = r#"{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#;
        assert_eq!(statement_spans(single), vec![((1, 14), (1, 60))]);
    }

    #[test]
    fn condition_keys_are_listed_once() {
        let a = r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"x","aws:RequestedRegion":"y"}}}]}"#;
        let b = r#"{"Statement":{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"Bool":{"aws:principaltag/team":"x","aws:SecureTransport":"false"}}}}"#;
        assert_eq!(
            condition_keys([a, b]),
            vec![
                "aws:PrincipalTag/team",
                "aws:RequestedRegion",
                "aws:SecureTransport"
            ]
        );
    }
}
