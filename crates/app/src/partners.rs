//! Partners: the registry of organisations the libraries work with — public records at the
//! district level (an admin or the district's coordinator writes them) — with the services that
//! name them, as the reader may see those.

use crate::App;
use crate::access::Access;
use crate::error::{AppError, Result};
use lipa_core::ids::{PartnerId, ServiceId};
use lipa_core::library::Library;
use lipa_core::partner::Partner;
use lipa_core::service::Service;
use lipa_core::taxonomy::PartnerKind;
use lipa_core::user::Place;
use lipa_store::{
    FacetValue, Keyset, KeysetPage, PartnerFilter, PartnerLink, PartnerQuery, Versioned,
};

/// Most partner names a form suggests.
pub const PARTNER_NAMES: usize = 2000;

/// A partner with the services that name it and their libraries, as the reader may see them.
pub struct PartnerView {
    pub partner: Versioned<Partner>,
    pub services: Vec<Versioned<Service>>,
    pub libraries: Vec<Versioned<Library>>,
    /// Which rows of step 4 of those services the store linked to a registry partner.
    pub links: Vec<PartnerLink>,
}

/// The partners list page: the partners of a filter, counts by kind, and how many services
/// name each.
pub struct PartnerList {
    pub partners: Vec<Versioned<Partner>>,
    pub kind_counts: Vec<FacetValue>,
    pub service_counts: Vec<(PartnerId, i64)>,
}

impl App {
    pub async fn partner(&self, _access: &Access, id: PartnerId) -> Result<Versioned<Partner>> {
        self.store.partner(id).await?.ok_or(AppError::NotFound)
    }

    /// Names of registry partners, for a form's suggestions (at most [`PARTNER_NAMES`]).
    pub async fn partner_names(&self) -> Result<Vec<String>> {
        let f = PartnerFilter::default();
        Ok(self
            .store
            .find_partners(&f)
            .await?
            .into_iter()
            .take(PARTNER_NAMES)
            .map(|p| p.record.name)
            .collect())
    }

    /// The kinds of partner of the taxonomy.
    pub async fn partner_kinds(&self) -> Result<Vec<PartnerKind>> {
        Ok(self.store.partner_kinds().await?)
    }

    pub async fn partner_list(&self, _access: &Access, f: &PartnerFilter) -> Result<PartnerList> {
        Ok(PartnerList {
            partners: self.store.find_partners(f).await?,
            kind_counts: self.store.partner_kind_counts(f).await?,
            service_counts: self.store.partner_service_counts().await?,
        })
    }

    /// A page of partners.
    pub async fn page_partners(
        &self,
        _access: &Access,
        q: &PartnerQuery,
        page: Keyset,
    ) -> Result<KeysetPage<Partner>> {
        Ok(self.store.page_partners(q, page).await?)
    }

    /// A partner and the services naming it that the reader may see, with their libraries.
    pub async fn partner_view(&self, access: &Access, id: PartnerId) -> Result<PartnerView> {
        let partner = self.partner(access, id).await?;
        let all = self.store.services_with_partner(id).await?;
        let lib_ids: Vec<_> = all.iter().map(|s| s.record.library).collect();
        let libraries = self.store.libraries_by_ids(&lib_ids).await?;
        let services: Vec<_> = all
            .into_iter()
            .filter(|s| {
                libraries
                    .iter()
                    .find(|l| l.record.id == s.record.library)
                    .is_some_and(|l| {
                        access.sees(
                            s.record.status.is_published(),
                            &Access::library_place(&l.record),
                        )
                    })
            })
            .collect();
        let ids: Vec<ServiceId> = services.iter().map(|s| s.id).collect();
        let links = self.store.service_partner_links(&ids).await?;
        Ok(PartnerView {
            partner,
            services,
            libraries,
            links,
        })
    }
}

impl crate::records::Managed for Partner {
    async fn visible(app: &App, access: &Access, id: PartnerId) -> Result<Versioned<Partner>> {
        app.partner(access, id).await
    }

    async fn place(&self, _: &App) -> Result<Place> {
        Ok(Access::partner_place(self))
    }
}
