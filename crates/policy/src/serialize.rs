//! [`Policy`] → JSON. Parsing the output gives back an equal `Policy`.

use serde_json::{Map, Value, json};

use crate::model::{Clause, Policy, PrincipalClause, Principals, Statement};

fn one_or_many(values: &[String]) -> Value {
    match values {
        [single] => Value::String(single.clone()),
        many => Value::Array(many.iter().cloned().map(Value::String).collect()),
    }
}

fn clause_into(map: &mut Map<String, Value>, clause: &Clause, name: &str, not_name: &str) {
    let key = if clause.negated { not_name } else { name };
    map.insert(key.to_owned(), one_or_many(&clause.values));
}

fn principal_value(clause: &PrincipalClause) -> Value {
    match &clause.principals {
        Principals::Any => json!("*"),
        Principals::Map(entries) => {
            let mut map = Map::new();
            for (kind, values) in entries {
                map.insert(kind.as_str().to_owned(), one_or_many(values));
            }
            Value::Object(map)
        }
    }
}

fn statement_value(statement: &Statement) -> Value {
    let mut map = Map::new();
    if let Some(sid) = &statement.sid {
        map.insert("Sid".to_owned(), json!(sid));
    }
    map.insert("Effect".to_owned(), json!(statement.effect.as_str()));
    if let Some(p) = &statement.principal {
        let key = if p.negated {
            "NotPrincipal"
        } else {
            "Principal"
        };
        map.insert(key.to_owned(), principal_value(p));
    }
    clause_into(&mut map, &statement.action, "Action", "NotAction");
    if let Some(r) = &statement.resource {
        clause_into(&mut map, r, "Resource", "NotResource");
    }
    if !statement.conditions.is_empty() {
        let mut operators: Map<String, Value> = Map::new();
        for c in &statement.conditions {
            let block = operators
                .entry(c.operator.name())
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(keys) = block {
                keys.insert(c.key.clone(), one_or_many(&c.values));
            }
        }
        map.insert("Condition".to_owned(), Value::Object(operators));
    }
    Value::Object(map)
}

impl Policy {
    /// The policy as JSON (single values as strings, lists as arrays,
    /// conditions grouped by operator).
    pub fn to_json(&self) -> Value {
        let mut map = Map::new();
        if let Some(v) = self.version {
            map.insert("Version".to_owned(), json!(v.as_str()));
        }
        if let Some(id) = &self.id {
            map.insert("Id".to_owned(), json!(id));
        }
        let statements: Vec<Value> = self.statements.iter().map(statement_value).collect();
        map.insert("Statement".to_owned(), Value::Array(statements));
        Value::Object(map)
    }

    /// [`Policy::to_json`] as compact text.
    pub fn to_json_string(&self) -> String {
        self.to_json().to_string()
    }
}
