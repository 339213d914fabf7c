//! Translation units: create, read, update, delete.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::suggest::rfc3339;
use super::{text_param, Service, ServiceError};
use crate::core::lang::{parse_tag, Lang};
use crate::core::unit::{Unit, Variant};
use crate::store::StoredUnit;

/// The body of `POST /api/v1/units` and `PATCH /api/v1/units/{id}`: texts by language tag.
/// In a PATCH, a language set to `null` removes that variant and languages not named are kept.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitBody {
    #[serde(default)]
    pub variants: BTreeMap<String, Option<String>>,
    #[serde(default)]
    pub external_id: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct UnitView {
    pub id: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    pub origin: String,
    pub created: String,
    pub updated: String,
    pub variants: BTreeMap<Lang, VariantView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct VariantView {
    pub text: String,
    /// The inline-markup form (TMX `<seg>` content), when it differs from the text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
}

impl From<&StoredUnit> for UnitView {
    fn from(s: &StoredUnit) -> Self {
        UnitView {
            id: s.id,
            external_id: s.unit.external_id.clone(),
            origin: s.origin.clone(),
            created: rfc3339(s.created_ms),
            updated: rfc3339(s.updated_ms),
            variants: s
                .unit
                .variants
                .iter()
                .map(|v| {
                    let plain = quick_xml::escape::escape(v.text.as_str());
                    let view = VariantView {
                        text: v.text.clone(),
                        content: (plain != v.content).then(|| v.content.clone()),
                        region: v.region.clone(),
                    };
                    (v.lang, view)
                })
                .collect(),
        }
    }
}

/// One validated change: language, region subtag, new text (`None` removes the variant).
type VariantChange = (Lang, Option<String>, Option<String>);

/// Validated variant changes.
fn parse_variants(body: &UnitBody) -> Result<Vec<VariantChange>, ServiceError> {
    let mut out: Vec<VariantChange> = Vec::new();
    for (tag, text) in &body.variants {
        let parsed = parse_tag(tag)?;
        let lang = parsed.resolve(text.as_deref())?.lang;
        if out.iter().any(|(l, _, _)| *l == lang) {
            return Err(ServiceError::DuplicateLanguage(lang));
        }
        let text = match text {
            Some(t) => Some(text_param(t)?.trim().to_string()),
            None => None,
        };
        out.push((lang, parsed.region, text));
    }
    Ok(out)
}

impl Service {
    /// Store a new unit, or return the existing one with exactly this wording.
    /// The boolean is true when a unit was created.
    pub fn create_unit(
        &self,
        body: &UnitBody,
        origin: &str,
    ) -> Result<(UnitView, bool), ServiceError> {
        let changes = parse_variants(body)?;
        let variants: Vec<Variant> = changes
            .into_iter()
            .filter_map(|(lang, region, text)| {
                text.map(|t| Variant {
                    region,
                    ..Variant::plain(lang, t)
                })
            })
            .collect();
        if variants.is_empty() {
            return Err(ServiceError::UnitEmpty);
        }
        let unit = Unit {
            external_id: body.external_id.clone(),
            meta: Default::default(),
            variants,
        };
        let ((id, created), seq) = self
            .store
            .db
            .write(|tx| -> Result<_, ServiceError> { Ok(tx.insert_if_new(&unit, origin)?) })?;
        self.sync_index(seq)?;
        let stored = self
            .store
            .db
            .get_unit(id)?
            .ok_or(ServiceError::UnitNotFound(id))?;
        Ok(((&stored).into(), created))
    }

    pub fn get_unit(&self, id: i64) -> Result<UnitView, ServiceError> {
        let stored = self
            .store
            .db
            .get_unit(id)?
            .ok_or(ServiceError::UnitNotFound(id))?;
        Ok((&stored).into())
    }

    /// Change some languages of a unit; a unit left without any language is an error (delete
    /// it instead).
    pub fn update_unit(&self, id: i64, body: &UnitBody) -> Result<UnitView, ServiceError> {
        let changes = parse_variants(body)?;
        let ((), seq) = self.store.db.write(|tx| {
            let Some(mut unit) = tx.get_unit(id)?.map(|s| s.unit) else {
                return Err(ServiceError::UnitNotFound(id));
            };
            for (lang, region, text) in &changes {
                unit.variants.retain(|v| v.lang != *lang);
                if let Some(t) = text {
                    unit.variants.push(Variant {
                        region: region.clone(),
                        ..Variant::plain(*lang, t.clone())
                    });
                }
            }
            if unit.variants.is_empty() {
                return Err(ServiceError::UnitEmpty);
            }
            unit.variants.sort_by_key(|v| v.lang);
            if body.external_id.is_some() {
                unit.external_id = body.external_id.clone();
            }
            tx.update_unit(id, &unit)?;
            Ok(())
        })?;
        self.sync_index(seq)?;
        self.get_unit(id)
    }

    pub fn delete_unit(&self, id: i64) -> Result<(), ServiceError> {
        let (found, seq) = self
            .store
            .db
            .write(|tx| -> Result<_, ServiceError> { Ok(tx.delete_unit(id)?) })?;
        if !found {
            return Err(ServiceError::UnitNotFound(id));
        }
        self.sync_index(seq)?;
        Ok(())
    }
}
