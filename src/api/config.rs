//! A team's configuration as the API sends it (§7): the team object and its settings,
//! series, members and integrations, each kept as the JSON it came in, so that `gigdash
//! branches --format json` says exactly what the API said and nothing of its shape is
//! assumed here (`app::data::branches` reads it leniently).

use serde_json::Value;

use super::client::{ApiClient, enc};
use super::error::ApiError;
use super::models::TeamId;

/// One part of a team's configuration: what the API answered, or why it did not.
pub type Part = Result<Value, String>;

/// Everything the Branches view reads of one team.
#[derive(Clone, Debug, PartialEq)]
pub struct TeamConfig {
    pub id: TeamId,
    /// The team object (`GET /teams`), as sent.
    pub team: Value,
    pub settings: Part,
    pub series: Part,
    pub members: Part,
    pub integrations: Part,
}

impl ApiClient {
    /// `POST /teams/{id}/add-member` `{id, role}` (§7.1).
    pub async fn add_member(
        &self,
        team: &TeamId,
        user: &str,
        role: &str,
        key: &super::IdempotencyKey,
    ) -> Result<Value, ApiError> {
        let body = serde_json::json!({"id": user, "role": role});
        self.team_post(team, "add-member", body, key).await
    }

    /// `POST /teams/{id}/remove-member` `{id}` (§7.1).
    pub async fn remove_member(
        &self,
        team: &TeamId,
        user: &str,
        key: &super::IdempotencyKey,
    ) -> Result<Value, ApiError> {
        let body = serde_json::json!({"id": user});
        self.team_post(team, "remove-member", body, key).await
    }

    /// `POST /teams/{id}/series` `{series, live: 0, test: 0}` (§7.5).
    pub async fn create_series(
        &self,
        team: &TeamId,
        series: &str,
        key: &super::IdempotencyKey,
    ) -> Result<Value, ApiError> {
        let body = serde_json::json!({"series": series, "live": 0, "test": 0});
        self.team_post(team, "series", body, key).await
    }

    /// `PUT /teams/{id}/settings` with a partial object (§7.4: a merge).
    pub async fn update_settings(
        &self,
        team: &TeamId,
        patch: Value,
        key: &super::IdempotencyKey,
    ) -> Result<Value, ApiError> {
        let path = format!("/teams/{}/settings", enc(team.as_str()));
        self.write(reqwest::Method::PUT, team, path, Some(patch), key, &[])
            .await
    }

    /// `POST /teams` (§7.3) in the key's billing account: the team made, as sent.
    pub async fn create_team(
        &self,
        own: &TeamId,
        body: &Value,
        key: &super::IdempotencyKey,
    ) -> Result<Value, ApiError> {
        self.write(
            reqwest::Method::POST,
            own,
            "/teams".to_string(),
            Some(body.clone()),
            key,
            &[],
        )
        .await
    }

    /// `GET /teams/{id}/onboarding-url`: the link a branch manager opens to upload the
    /// CSD (`url`, or `onboardingUrl` in the older shape), printable.
    pub async fn onboarding_url(&self, team: &TeamId) -> Result<String, ApiError> {
        let v = self
            .get_value(
                team,
                format!("/teams/{}/onboarding-url", enc(team.as_str())),
            )
            .await?;
        v.get("url")
            .or_else(|| v.get("onboardingUrl"))
            .and_then(Value::as_str)
            .map(crate::text::token)
            .ok_or_else(|| ApiError::Decode {
                message: "the onboarding link has no `url`".into(),
                excerpt: String::new(),
            })
    }

    async fn team_post(
        &self,
        team: &TeamId,
        what: &str,
        body: Value,
        key: &super::IdempotencyKey,
    ) -> Result<Value, ApiError> {
        let path = format!("/teams/{}/{what}", enc(team.as_str()));
        self.write(reqwest::Method::POST, team, path, Some(body), key, &[])
            .await
    }

    /// Every team the key reaches, each object as sent (`GET /teams`, every page).
    pub async fn list_teams_raw(&self) -> Result<Vec<Value>, ApiError> {
        self.teams_pages::<Value>().await
    }

    /// A team's settings, series, members and integrations (four reads, under the one rate
    /// limit). A part that fails says why in its place (in the words `describe` gives an
    /// error); the others still come.
    pub async fn team_config(
        &self,
        team: Value,
        describe: impl Fn(&ApiError) -> String,
    ) -> TeamConfig {
        let id = TeamId(
            team.get("id")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
        );
        let path = |what: &str| format!("/teams/{}/{what}", enc(id.as_str()));
        let why = |r: Result<Value, ApiError>| r.map_err(|e| crate::text::printable(&describe(&e)));
        let (settings, series, members, integrations) = futures::join!(
            self.get_value(&id, path("settings")),
            self.get_value(&id, path("series")),
            self.get_value(&id, path("members")),
            // The documented path names no team: the key's own, or `?team=` (§7.1).
            self.get_value(&id, "/teams/integrations".to_string()),
        );
        TeamConfig {
            settings: why(settings),
            series: why(series),
            members: why(members),
            integrations: why(integrations),
            id,
            team,
        }
    }
}
