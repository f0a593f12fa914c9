//! STS operations.

use crate::handlers::{Ctx, HandlerResult};
use portcullis_proto::xml::XmlWriter;

/// Answers every authenticated caller; never authorized (AWS does the same).
pub fn get_caller_identity(ctx: &Ctx) -> HandlerResult {
    let p = &ctx.caller()?.principal;
    let mut w = XmlWriter::new();
    w.elem("UserId", p.user_id())
        .elem("Account", p.account())
        .elem("Arn", &p.arn());
    Ok(w.finish())
}
