//! SAML 2.0 metadata documents as CreateSAMLProvider and UpdateSAMLProvider accept them: well-formed
//! XML (no DTD) whose root is an `EntityDescriptor` of the SAML metadata namespace, and the
//! `validUntil` attribute AWS shows as the provider's ValidUntil.

use chrono::{DateTime, Months, NaiveDateTime, Utc};

pub const METADATA_NS: &str = "urn:oasis:names:tc:SAML:2.0:metadata";

/// How long a provider stays valid when its metadata names no `validUntil`: AWS shows a date
/// one hundred years after creation.
pub fn default_valid_until(created: DateTime<Utc>) -> DateTime<Utc> {
    created
        .checked_add_months(Months::new(1200))
        .unwrap_or(created)
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Metadata {
    pub entity_id: Option<String>,
    pub valid_until: Option<DateTime<Utc>>,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MetadataError {
    #[error("not well-formed XML: {0}")]
    NotXml(String),
    #[error("the root element is not a SAML metadata EntityDescriptor")]
    NotEntityDescriptor,
    #[error("validUntil is not an xs:dateTime")]
    BadValidUntil,
}

/// An `xs:dateTime`: with a zone (`Z` or an offset), or without one (taken as UTC).
fn parse_datetime(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
                .ok()
                .map(|n| n.and_utc())
        })
}

/// The most namespace declarations a document may make. Real metadata declares a handful;
/// the XML parser's cost grows with declarations times nesting, so thousands of nested ones
/// would cost seconds of CPU.
const MAX_NAMESPACE_DECLARATIONS: usize = 256;

/// The most XML nodes a document may hold (real metadata, even a federation's, holds far fewer).
const MAX_NODES: u32 = 200_000;

/// Parses and checks a metadata document; bounded in time by the limits above.
pub fn parse(doc: &str) -> Result<Metadata, MetadataError> {
    if doc.matches("xmlns").count() > MAX_NAMESPACE_DECLARATIONS {
        return Err(MetadataError::NotXml(format!(
            "more than {MAX_NAMESPACE_DECLARATIONS} namespace declarations"
        )));
    }
    let options = roxmltree::ParsingOptions {
        allow_dtd: false,
        nodes_limit: MAX_NODES,
        ..roxmltree::ParsingOptions::default()
    };
    let tree = roxmltree::Document::parse_with_options(doc, options)
        .map_err(|e| MetadataError::NotXml(e.to_string()))?;
    let root = tree.root_element();
    if root.tag_name().name() != "EntityDescriptor"
        || root.tag_name().namespace() != Some(METADATA_NS)
    {
        return Err(MetadataError::NotEntityDescriptor);
    }
    let valid_until = match root.attribute("validUntil") {
        None => None,
        Some(v) => Some(parse_datetime(v).ok_or(MetadataError::BadValidUntil)?),
    };
    Ok(Metadata {
        entity_id: root.attribute("entityID").map(str::to_string),
        valid_until,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r#"<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.example.com" validUntil="2031-05-04T03:02:01.5Z">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"/>
</md:EntityDescriptor>"#;

    #[test]
    fn reads_entity_id_and_valid_until() {
        let m = parse(DOC).unwrap();
        assert_eq!(m.entity_id.as_deref(), Some("https://idp.example.com"));
        assert_eq!(
            m.valid_until.map(|t| t.to_rfc3339()),
            Some("2031-05-04T03:02:01.500+00:00".to_string())
        );
        let no_zone = DOC.replace("01.5Z", "01");
        assert!(parse(&no_zone).unwrap().valid_until.is_some());
        let none = DOC.replace(r#" validUntil="2031-05-04T03:02:01.5Z""#, "");
        assert_eq!(parse(&none).unwrap().valid_until, None);
    }

    /// Thousands of nested namespace declarations used to cost the parser seconds of CPU.
    #[test]
    fn refuses_nested_namespace_floods() {
        let mut doc = String::from(
            r#"<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata">"#,
        );
        for i in 0..4000 {
            doc.push_str(&format!(r#"<x{i} xmlns:n{i}="urn:n{i}">"#));
        }
        for i in (0..4000).rev() {
            doc.push_str(&format!("</x{i}>"));
        }
        doc.push_str("</md:EntityDescriptor>");
        assert!(matches!(parse(&doc), Err(MetadataError::NotXml(_))));
        // A document with a few declarations is still read.
        assert!(parse(DOC).is_ok());
    }

    #[test]
    fn refuses_what_is_not_metadata() {
        assert!(matches!(
            parse("<md:EntityDescriptor"),
            Err(MetadataError::NotXml(_))
        ));
        assert!(matches!(
            parse(&DOC.replace("</md:EntityDescriptor>", "")),
            Err(MetadataError::NotXml(_))
        ));
        assert_eq!(
            parse(r#"<EntityDescriptor xmlns="urn:example"/>"#),
            Err(MetadataError::NotEntityDescriptor)
        );
        assert_eq!(
            parse(&DOC.replace("md:EntityDescriptor", "md:EntitiesDescriptor")),
            Err(MetadataError::NotEntityDescriptor)
        );
        assert_eq!(
            parse(&DOC.replace("2031-05-04T03:02:01.5Z", "soon")),
            Err(MetadataError::BadValidUntil)
        );
        let dtd =
            format!("<!DOCTYPE x [<!ENTITY a \"b\">]>{DOC}").replace("<?xml version=\"1.0\"?>", "");
        assert!(
            matches!(parse(&dtd), Err(MetadataError::NotXml(_))),
            "no DTDs"
        );
    }

    #[test]
    fn default_is_a_century() {
        let t = DateTime::parse_from_rfc3339("2020-01-01T00:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(
            default_valid_until(t).to_rfc3339(),
            "2120-01-01T00:00:00+00:00"
        );
    }
}
