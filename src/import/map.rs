//! An import map: how to read one system's CSV export (a CRM's activity
//! report, a phone system's call log) as interactions. One YAML file per
//! kind of export, kept in the repository beside the data it brought in.
//!
//! ```yaml
//! source: salesforce          # recorded on every note and row
//! date: { column: Date, format: "%m/%d/%Y" }
//! type:
//!   column: Type
//!   values: { Call: call, Meeting: meeting, Email: email, Task: skip }
//! person: { column: Assigned To }  # a team email, person id or name
//! client: { column: Account ID, by: external-id, system: salesforce }
//! subject: { column: Subject }
//! key: [Activity ID]          # what makes a second run add nothing
//! ```

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Deserialize;

use crate::model::Spanned;

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportMap {
    /// What the interactions are recorded as coming from (`salesforce`,
    /// `phone`): written as `source` on each note and row.
    pub source: Spanned<String>,
    pub date: DateField,
    #[serde(rename = "type")]
    pub kind: TypeField,
    pub person: PersonField,
    pub client: ClientField,
    /// The title of each note or the summary of each row.
    #[serde(default)]
    pub subject: Option<TextField>,
    /// The columns that together identify a row in the export, such as
    /// the CRM's activity id: a row whose key is already in the
    /// repository is not imported again.
    pub key: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DateField {
    pub column: Spanned<String>,
    /// A chrono (strftime) format: `%Y-%m-%d` unless given. It may hold a
    /// time (`%d/%m/%Y %H:%M`), and an offset (`%z`), which then moves
    /// the day into the firm's time zone.
    #[serde(default)]
    pub format: Option<Spanned<String>>,
}

/// The type of every row (`value: call`), or a column and what each of
/// its values means (`skip` leaves the row out).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TypeField {
    #[serde(default)]
    pub column: Option<Spanned<String>>,
    #[serde(default)]
    pub values: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    pub value: Option<Spanned<String>>,
}

/// Who logged it: a team email, a person id or a person's name, or a
/// value of `names`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonField {
    pub column: Spanned<String>,
    #[serde(default)]
    pub names: BTreeMap<String, Spanned<String>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ClientField {
    pub column: Spanned<String>,
    /// What the column holds: `id`, `name`, `domain`, `email` (a
    /// stakeholder's address, or any address at the client's domain) or
    /// `external-id` (with `system`).
    pub by: Spanned<ClientKey>,
    /// The system whose ids the column holds, as in `external_ids`.
    #[serde(default)]
    pub system: Option<Spanned<String>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ClientKey {
    Id,
    Name,
    Domain,
    Email,
    ExternalId,
}

impl std::fmt::Display for ClientKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ClientKey::Id => "id",
            ClientKey::Name => "name",
            ClientKey::Domain => "domain",
            ClientKey::Email => "email",
            ClientKey::ExternalId => "external-id",
        })
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TextField {
    #[serde(default)]
    pub column: Option<Spanned<String>>,
    #[serde(default)]
    pub value: Option<String>,
}
