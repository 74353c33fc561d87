//! The OpenAPI 3.1 document, generated from the handlers' `#[utoipa::path]` attributes and the
//! DTOs' `ToSchema` derives (so it cannot drift from the code), served at
//! `/api/v1/openapi.json`; and Swagger UI at `/api/docs`, its JavaScript and CSS embedded in the
//! binary (`utoipa-swagger-ui`'s `vendored` feature: no CDN, the app works on a closed network).
//!
//! [`api_router`] is the one list of the API's operations: the server routes it and the document
//! describes it.

use super::error::{FieldError, Problem};
use super::{
    activities, events, geography, libraries, partners, persons, reports, services, taxonomy,
};
use crate::AppState;
use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use std::sync::LazyLock;
use tower_http::set_header::SetResponseHeaderLayer;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use utoipa_swagger_ui::{Config, SwaggerUi};

/// Where the document is served.
pub const DOCUMENT_PATH: &str = "/api/v1/openapi.json";
/// Where Swagger UI is served.
pub const DOCS_PATH: &str = "/api/docs";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "lipa API",
        version = "1",
        description = "The registry of the public-library innovation programme: libraries, their \
innovative services (the 8-step card) and their activity logs, partners, persons, events, the \
EKATTE gazetteer, the taxonomy and reports.\n\nReads are public (drafts and personal data only for accounts whose scope \
covers them). Writes need an API token: `Authorization: Bearer <token>`. Every record carries \
`ETag: \"<version>\"`; PUT and DELETE need `If-Match` with it. Errors are RFC 9457 \
`application/problem+json`, in the language of `Accept-Language` (bg, en).",
        license(name = "AGPL-3.0-or-later", identifier = "AGPL-3.0-or-later"),
    ),
    modifiers(&BearerAuth),
    components(schemas(
        Problem,
        FieldError,
        libraries::YesNo,
        libraries::LibrarySortParam,
        libraries::PublishedStatus
    )),
    tags(
        (name = "libraries", description = "The libraries of the network"),
        (name = "services", description = "Innovative services: the 8-step card"),
        (name = "activities", description = "The activity log of a service: what was done"),
        (name = "partners", description = "Partner organisations"),
        (name = "persons", description = "People; their contacts are personal data"),
        (name = "events", description = "Regional meetings and trainings"),
        (name = "geography", description = "The EKATTE gazetteer"),
        (name = "taxonomy", description = "Service categories and partner kinds"),
        (name = "reports", description = "Totals and the district table"),
        (name = "search", description = "Full-text search over every kind of record"),
    )
)]
pub struct ApiDoc;

/// Declares the bearer-token scheme that the write operations require.
struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("An API token of a lipa account."))
                    .build(),
            ),
        );
    }
}

/// Every operation of the API, routed and described.
pub fn api_router() -> OpenApiRouter<AppState> {
    let v1 = OpenApiRouter::new()
        .routes(routes!(
            libraries::list_libraries,
            libraries::create_library
        ))
        .routes(routes!(
            libraries::find_library,
            libraries::update_library,
            libraries::delete_library
        ))
        .routes(routes!(services::list_services, services::create_service))
        .routes(routes!(
            services::find_service,
            services::update_service,
            services::delete_service
        ))
        .routes(routes!(services::adopt_service))
        .routes(routes!(
            activities::list_service_activities,
            activities::create_service_activity
        ))
        .routes(routes!(
            activities::find_activity,
            activities::update_activity,
            activities::delete_activity
        ))
        .routes(routes!(partners::list_partners, partners::create_partner))
        .routes(routes!(
            partners::find_partner,
            partners::update_partner,
            partners::delete_partner
        ))
        .routes(routes!(persons::list_persons, persons::create_person))
        .routes(routes!(
            persons::find_person,
            persons::update_person,
            persons::delete_person
        ))
        .routes(routes!(events::list_events, events::create_event))
        .routes(routes!(
            events::find_event,
            events::update_event,
            events::delete_event
        ))
        .routes(routes!(geography::list_districts))
        .routes(routes!(geography::list_district_municipalities))
        .routes(routes!(geography::list_municipality_settlements))
        .routes(routes!(geography::find_settlement))
        .routes(routes!(taxonomy::list_categories))
        .routes(routes!(taxonomy::list_partner_kinds))
        .routes(routes!(reports::find_counts))
        .routes(routes!(reports::find_district_table))
        .routes(routes!(crate::search_routes::search_records));
    OpenApiRouter::with_openapi(ApiDoc::openapi()).nest("/api/v1", v1)
}

/// The document, built once.
pub fn document() -> &'static utoipa::openapi::OpenApi {
    static DOC: LazyLock<utoipa::openapi::OpenApi> = LazyLock::new(|| api_router().into_openapi());
    &DOC
}

/// `GET /api/v1/openapi.json`
pub async fn serve_document() -> Response {
    static JSON: LazyLock<String> = LazyLock::new(|| {
        document()
            .to_pretty_json()
            .expect("the OpenAPI document serialises")
    });
    ([(header::CONTENT_TYPE, "application/json")], JSON.as_str()).into_response()
}

/// Swagger UI, with a Content-Security-Policy of its own: its scripts set inline styles, which the
/// site-wide policy forbids. Scripts still come only from this server.
pub fn docs_routes() -> Router<AppState> {
    let csp = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; \
               script-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; \
               base-uri 'self'";
    let ui: Router<AppState> = SwaggerUi::new(DOCS_PATH)
        .config(Config::new([DOCUMENT_PATH]))
        .into();
    ui.layer(SetResponseHeaderLayer::overriding(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(csp),
    ))
}
