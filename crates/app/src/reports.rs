//! Reports: the network's totals, the district table of the programme's model, the category ×
//! municipality matrix, coverage, target groups, volunteers, partners — and the open-data
//! registry. All public, and all of published records only: a draft service or an unpublished
//! event counts nowhere. The store answers each with grouped queries over indexed columns.

use crate::App;
use crate::access::Access;
use crate::error::Result;
use lipa_core::ids::{DistrictCode, Year};
use lipa_core::library::Library;
use lipa_core::taxonomy::Category;
use lipa_io::Registry;
use lipa_store::{
    Counts, DistrictTableRow, MatrixCell, PartnerKindReach, PartnerReach, TargetGroupReach,
    VolunteerCell,
};

impl App {
    /// The categories of services of the taxonomy.
    pub async fn categories(&self) -> Result<Vec<Category>> {
        Ok(self.store.categories().await?)
    }

    /// Totals of the network (published services and events only).
    pub async fn counts(&self, _access: &Access) -> Result<Counts> {
        Ok(self.store.counts().await?)
    }

    /// Districts with libraries, and how many each has.
    pub async fn report_districts(&self) -> Result<Vec<(DistrictCode, i64)>> {
        Ok(self.store.report_districts().await?)
    }

    /// The years with published services (in a district).
    pub async fn report_years(&self, district: Option<&DistrictCode>) -> Result<Vec<Year>> {
        Ok(self.store.report_years(district).await?)
    }

    pub async fn district_table(
        &self,
        district: &DistrictCode,
        year: Year,
    ) -> Result<Vec<DistrictTableRow>> {
        Ok(self.store.district_table(district, year).await?)
    }

    /// A page of the district table: `limit` libraries from the `offset`-th.
    pub async fn district_table_page(
        &self,
        district: &DistrictCode,
        year: Year,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<DistrictTableRow>> {
        Ok(self
            .store
            .district_table_page(district, year, limit, offset)
            .await?)
    }

    /// The libraries of a district and its published services of `year`.
    pub async fn district_totals(&self, district: &DistrictCode, year: Year) -> Result<(i64, i64)> {
        Ok(self.store.district_totals(district, year).await?)
    }

    pub async fn category_matrix(
        &self,
        district: Option<&DistrictCode>,
        year: Option<Year>,
    ) -> Result<Vec<MatrixCell>> {
        Ok(self.store.category_matrix(district, year).await?)
    }

    /// Municipalities (in a district) or districts, with their number of libraries.
    pub async fn library_places(
        &self,
        district: Option<&DistrictCode>,
    ) -> Result<Vec<(String, i64)>> {
        Ok(self.store.library_places(district).await?)
    }

    /// Libraries with no published service yet, and how many libraries there are.
    pub async fn coverage_gaps(
        &self,
        district: Option<&DistrictCode>,
    ) -> Result<(Vec<Library>, i64)> {
        Ok(self.store.coverage_gaps(district).await?)
    }

    /// The target groups of the published services, with their services, libraries and
    /// categories: from the facet index (SQL while it is first built).
    pub async fn target_group_reach(
        &self,
        district: Option<&DistrictCode>,
    ) -> Result<Vec<TargetGroupReach>> {
        if let Some(index) = self.caught_up_facets().await {
            let district = district.cloned();
            if let Some(reach) =
                tokio::task::spawn_blocking(move || index.target_group_reach(district.as_ref()))
                    .await?
            {
                return Ok(reach);
            }
        }
        Ok(self.store.target_group_reach(district).await?)
    }

    pub async fn volunteer_support(&self, year: Option<Year>) -> Result<Vec<VolunteerCell>> {
        Ok(self.store.volunteer_support(year).await?)
    }

    pub async fn partner_reach(
        &self,
        district: Option<&DistrictCode>,
    ) -> Result<Vec<PartnerReach>> {
        Ok(self.store.partner_reach(district).await?)
    }

    pub async fn partner_kind_reach(
        &self,
        district: Option<&DistrictCode>,
    ) -> Result<Vec<PartnerKindReach>> {
        Ok(self.store.partner_kind_reach(district).await?)
    }

    /// When the public registry last changed (RFC 3339), for the open-data page and catalogue.
    pub async fn last_public_change(&self) -> Result<Option<String>> {
        Ok(self.store.last_public_change().await?)
    }

    /// The open-data registry: every library and partner, the published services and events;
    /// no people (their names are public only beside the record they appear in).
    pub async fn public_registry(&self) -> Result<Registry> {
        let access = Access::anonymous();
        Ok(Registry {
            libraries: self
                .store
                .libraries()
                .await?
                .into_iter()
                .map(|v| v.record)
                .collect(),
            services: self
                .store
                .services()
                .await?
                .into_iter()
                .map(|v| v.record)
                .filter(|s| s.status.is_published())
                .collect(),
            partners: self
                .store
                .partners()
                .await?
                .into_iter()
                .map(|v| v.record)
                .collect(),
            persons: Vec::new(),
            events: self
                .events(&access)
                .await?
                .into_iter()
                .map(|v| v.record)
                .collect(),
            // The activity logs are read through the API; the open data does not carry them
            // (yet: issue 13's reports decide what of them is published).
            activities: Vec::new(),
        })
    }
}
