//! The administration index.

use super::*;

// --- index ------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "admin/index.html")]
pub(super) struct IndexPage {
    ctx: Ctx,
}

pub(super) async fn admin_index(ctx: Ctx) -> PageResult {
    require_admin(&ctx)?;
    Ok(render(&IndexPage { ctx }))
}
