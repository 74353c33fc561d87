//! Who is asking and in which language: the [`Ctx`] every page handler takes.
//!
//! The language is the `lang` cookie if set (the switch in the header sets it), else the best
//! match of `Accept-Language`, else Bulgarian. The user is the one of the session cookie, if any
//! (see [`crate::http::session`]). Who may see and change what is `lipa_app::Access`'s to say:
//! [`Ctx::access`] hands it to the use cases, and the few questions a page asks before it calls
//! one (show an edit button?) go to the same value.

use crate::AppState;
use crate::http::error::WebError;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum_extra::extract::CookieJar;
use lipa_app::Access;
use lipa_core::Lang;
use lipa_core::i18n::tr;
use lipa_core::user::{Place, Role};
use std::convert::Infallible;
use std::fmt::Display;

/// A signed-in user, as a request sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedIn {
    pub id: lipa_core::ids::UserId,
    pub login: String,
    pub display_name: String,
    pub role: Role,
    /// The session's anti-forgery token, echoed in every form.
    pub csrf: String,
    /// Signed in with a one-time password that must be replaced before anything else.
    pub must_change_password: bool,
}

/// The request's context.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub lang: Lang,
    pub user: Option<SignedIn>,
    /// Path and query of the request, for the language switch and sign-in to come back to.
    pub here: String,
}

/// Name of the language cookie.
pub const LANG_COOKIE: &str = "lang";

impl Ctx {
    /// Text of a message key.
    pub fn t(&self, key: &str) -> String {
        tr(self.lang, key, &[])
    }

    /// Text of a message key with one argument.
    pub fn t1(&self, key: &str, name: &str, value: impl Display) -> String {
        tr(self.lang, key, &[(name, &value.to_string())])
    }

    /// Text of a message key with two arguments.
    pub fn t2(&self, key: &str, n1: &str, v1: impl Display, n2: &str, v2: impl Display) -> String {
        tr(
            self.lang,
            key,
            &[(n1, &v1.to_string()), (n2, &v2.to_string())],
        )
    }

    pub fn is_bg(&self) -> bool {
        self.lang == Lang::Bg
    }

    /// Who is asking, for the use cases.
    pub fn access(&self) -> Access {
        match &self.user {
            Some(u) => Access::user(u.id, u.login.clone(), u.role.clone()),
            None => Access::anonymous(),
        }
    }

    /// Whether the user may change a record at `place` (an edit button, a form).
    pub fn can_change(&self, place: &Place) -> bool {
        self.access().covers(place)
    }

    pub fn is_admin(&self) -> bool {
        self.user.as_ref().is_some_and(|u| u.role == Role::Admin)
    }

    pub fn csrf(&self) -> &str {
        self.user.as_ref().map(|u| u.csrf.as_str()).unwrap_or("")
    }

    /// The signed-in user, or the sign-in error page.
    pub fn require_user(&self) -> Result<&SignedIn, WebError> {
        self.user.as_ref().ok_or(WebError::Unauthenticated)
    }

    /// Checks the anti-forgery token a form sent (`<input type="hidden" name="csrf"
    /// value="{{ ctx.csrf() }}">`) against the session's, in constant time. Every POST handler
    /// of a signed-in user calls this before anything else.
    pub fn check_csrf(&self, sent: &str) -> Result<(), WebError> {
        let user = self.require_user()?;
        let a = user.csrf.as_bytes();
        let b = sent.as_bytes();
        let same = a.len() == b.len()
            && !a.is_empty()
            && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0;
        if same { Ok(()) } else { Err(WebError::BadCsrf) }
    }
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let jar = CookieJar::from_headers(&parts.headers);
        let lang = jar
            .get(LANG_COOKIE)
            .and_then(|c| Lang::parse(c.value()))
            .or_else(|| {
                parts
                    .headers
                    .get(axum::http::header::ACCEPT_LANGUAGE)
                    .and_then(|h| h.to_str().ok())
                    .and_then(Lang::from_accept_language)
            })
            .unwrap_or_default();
        let here = parts
            .uri
            .path_and_query()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_else(|| "/".into());
        // The session layer looked the user up already; a router without it looks up here.
        let user = match parts.extensions.get::<crate::http::session::Resolved>() {
            Some(resolved) => resolved.0.clone(),
            None => crate::http::session::session_user(state, &jar, &parts.headers).await,
        };
        Ok(Ctx { lang, user, here })
    }
}
