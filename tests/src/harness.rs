//! Starts the real application on a random port with a fresh database (a new SQLite file, or a
//! new PostgreSQL database), set up by a builder (worker, mail transport, settings) and checked
//! at the end (no mail left unsent); waits on conditions; a client that behaves like a browser.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use app::server::entities::notification;
use app::server::{AppState, Settings};
use leptos::prelude::LeptosOptions;
use reqwest::header::{HeaderMap, HeaderValue};
use reqwest::{Client, Response, StatusCode};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use server::seed;

#[derive(Clone, Copy, Debug)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    pub url: String,
    pub db: DatabaseConnection,
    pub settings: Settings,
    pub data_dir: PathBuf,
    /// The running application's state: the test drains the outbox with its mailer.
    state: AppState,
    /// Whether the test said that mail may stay unsent when it ends, or closed the database.
    unsent_mail_expected: bool,
    /// This test's share of the process (see [`TestAppBuilder::measures_memory`]).
    _turn: Turn,
    _dir: tempfile::TempDir,
    pg_name: Option<String>,
}

fn pg_admin_url() -> String {
    std::env::var("VEILLE_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into())
}

/// How long a test waits for something that happens after a response (a mail leaving).
pub const PATIENCE: Duration = Duration::from_secs(30);

/// Waits until `check` answers `Some`, asking again every 20 ms; after `within`, the test
/// fails naming `what` (instead of sleeping a fixed time and hoping).
pub async fn eventually<T, F, Fut>(within: Duration, what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + within;
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "still waiting after {within:?}: {what}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Tests run side by side in one process, except those that measure the process's memory:
/// each of those runs alone (it waits for the others to end, and they wait for it).
enum Turn {
    Shared(#[allow(dead_code)] tokio::sync::OwnedRwLockReadGuard<()>),
    Alone(#[allow(dead_code)] tokio::sync::OwnedRwLockWriteGuard<()>),
}

static TURNS: std::sync::LazyLock<std::sync::Arc<tokio::sync::RwLock<()>>> =
    std::sync::LazyLock::new(Default::default);

/// How a test's portal is set up: see [`TestApp::builder`].
pub struct TestAppBuilder {
    backend: Backend,
    measures_memory: bool,
    outbox_worker: bool,
    smtp_port: Option<u16>,
    bulk_filing: bool,
    unsent_mail_expected: bool,
    configure: Vec<Box<dyn FnOnce(&mut Settings)>>,
}

impl TestAppBuilder {
    /// No outbox worker: the test drains the outbox itself ([`TestApp::drain_outbox`]), or
    /// another process does.
    pub fn without_outbox_worker(mut self) -> Self {
        self.outbox_worker = false;
        self
    }

    /// Mail through the real SMTP server on `port` (see [`SmtpServer`]) instead of `.eml`
    /// files in the data folder.
    pub fn smtp(mut self, port: u16) -> Self {
        self.smtp_port = Some(port);
        self
    }

    /// For tests that file observations by the dozen: past the filing allowance and the
    /// organisations' daily quotas.
    pub fn bulk_filing(mut self) -> Self {
        self.bulk_filing = true;
        self
    }

    /// The test leaves mail unsent on purpose (a server that refuses it, a digest that waits).
    #[allow(dead_code)] // no test leaves mail behind today
    pub fn unsent_mail_expected(mut self) -> Self {
        self.unsent_mail_expected = true;
        self
    }

    /// The test measures the process's memory: it runs with no other test beside it.
    pub fn measures_memory(mut self) -> Self {
        self.measures_memory = true;
        self
    }

    /// Any other setting, changed before the portal starts.
    pub fn settings(mut self, change: impl FnOnce(&mut Settings) + 'static) -> Self {
        self.configure.push(Box::new(change));
        self
    }

    /// A running portal with the reference data and the demo accounts.
    pub async fn start(self) -> TestApp {
        let turns = TURNS.clone();
        let turn = if self.measures_memory {
            Turn::Alone(turns.write_owned().await)
        } else {
            Turn::Shared(turns.read_owned().await)
        };
        let dir = tempfile::tempdir().expect("temporary folder");
        let data_dir = dir.path().join("data");
        let (database_url, pg_name) = match self.backend {
            Backend::Sqlite => (
                format!("sqlite://{}/veille.db?mode=rwc", dir.path().display()),
                None,
            ),
            Backend::Postgres => {
                let name = format!("veille_test_{}", uuid::Uuid::new_v4().simple());
                let admin = Database::connect(format!("{}/postgres", pg_admin_url()))
                    .await
                    .expect(
                        "PostgreSQL must be running for the PostgreSQL tests (see scripts/test.sh)",
                    );
                admin
                    .execute_unprepared(&format!("CREATE DATABASE {name}"))
                    .await
                    .expect("create database");
                admin.close().await.ok();
                (format!("{}/{name}", pg_admin_url()), Some(name))
            }
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let address = listener.local_addr().expect("address");
        let mut settings = Settings {
            data_dir: data_dir.clone(),
            database_url,
            public_url: format!("http://{address}"),
            smtp_url: self.smtp_port.map(SmtpServer::url),
            mail_from: "Veille <ne-pas-repondre@veille.test>".into(),
            mail_max_attempts: 4,
            mail_retry_seconds: 1,
            digest_hour: 18,
            mail_claim_seconds: 120,
            outbox_worker: self.outbox_worker,
            deadline_jobs: true,
            filing_burst: if self.bulk_filing { 1000 } else { 20 },
            tips_global_burst: 30,
            tip_files_max_bytes: 2048 * 1024 * 1024,
            hashing_permits: app::server::config::default_hashing_permits(),
            max_in_flight: 256,
            mail_concurrency: 16,
            database_pool: 8,
        };
        for change in self.configure {
            change(&mut settings);
        }
        let db = server::prepare(&settings).await.expect("prepare database");
        seed::demo(&db).await.expect("demo data");
        let state = server::app_state(db.clone(), settings.clone()).expect("state");
        // The site's own files, as the build script copies them.
        let site = dir.path().join("site");
        std::fs::create_dir_all(&site).expect("site folder");
        for file in ["favicon.svg", "robots.txt"] {
            let from = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../public")
                .join(file);
            std::fs::copy(from, site.join(file)).expect("public file");
        }
        let options = LeptosOptions::builder()
            .output_name("veille")
            .site_root(site.display().to_string())
            .site_addr(address)
            .build();
        tokio::spawn(server::serve(listener, state.clone(), options));
        let app = TestApp {
            url: format!("http://{address}"),
            db,
            settings,
            data_dir,
            state,
            unsent_mail_expected: self.unsent_mail_expected,
            _turn: turn,
            _dir: dir,
            pg_name,
        };
        if self.bulk_filing {
            app.raise_filing_quotas().await;
        }
        app
    }
}

impl TestApp {
    /// A running portal with the reference data and the demo accounts, mail written to files
    /// and an outbox worker.
    pub async fn start(backend: Backend) -> TestApp {
        Self::builder(backend).start().await
    }

    /// A portal set up otherwise (no outbox worker, real SMTP, other settings).
    pub fn builder(backend: Backend) -> TestAppBuilder {
        TestAppBuilder {
            backend,
            measures_memory: false,
            outbox_worker: true,
            smtp_port: None,
            bulk_filing: false,
            unsent_mail_expected: false,
            configure: Vec::new(),
        }
    }

    /// Another instance of the portal (its own HTTP server and outbox worker) on the same
    /// database, as behind a load balancer.
    pub async fn second_instance(&self) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let address = listener.local_addr().expect("address");
        let db = server::prepare(&self.settings).await.expect("connect");
        let state = server::app_state(db, self.settings.clone()).expect("state");
        let options = LeptosOptions::builder()
            .output_name("veille")
            .site_root(self._dir.path().join("site").display().to_string())
            .site_addr(address)
            .build();
        tokio::spawn(server::serve(listener, state, options));
        format!("http://{address}")
    }

    pub fn browser(&self) -> Browser {
        Browser::new(&self.url, None, self.db.clone())
    }

    /// A browser whose connections come from another loopback address (another device).
    pub fn browser_from(&self, address: IpAddr) -> Browser {
        Browser::new(&self.url, Some(address), self.db.clone())
    }

    /// The `.eml` files written so far, oldest first.
    pub fn mails(&self) -> Vec<String> {
        let dir = self.data_dir.join("mail");
        let mut entries: Vec<_> = std::fs::read_dir(&dir)
            .map(|rd| rd.filter_map(Result::ok).collect())
            .unwrap_or_default();
        entries.sort_by_key(|e| e.metadata().and_then(|m| m.modified()).ok());
        entries
            .into_iter()
            .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
            .map(|e| std::fs::read_to_string(e.path()).expect("mail file"))
            .collect()
    }

    /// The newest mail to `to`, waiting for it (some mail leaves after the response).
    pub async fn mail_to(&self, to: &str) -> String {
        let header = format!("To: {to}");
        eventually(PATIENCE, &format!("a mail to {to}"), || async {
            self.mails().into_iter().rev().find(|m| m.contains(&header))
        })
        .await
    }

    /// Waits until at least `count` mails have been written.
    pub async fn wait_for_mails(&self, count: usize) {
        eventually(PATIENCE, &format!("{count} mails"), || async {
            (self.mails().len() >= count).then_some(())
        })
        .await
    }

    /// Sends what the outbox holds that is due now, as the worker would (for tests that start
    /// without one); returns how many rows were handled.
    pub async fn drain_outbox(&self) -> usize {
        let mut handled = 0;
        loop {
            match app::server::outbox::worker::drain_once(&self.state)
                .await
                .expect("outbox pass")
            {
                0 => return handled,
                n => handled += n,
            }
        }
    }

    /// The outbox rows not yet sent or given up: waiting for their turn, a retry or the
    /// digest, or claimed by a worker. A tip's mail held back by the hourly limit (never tried,
    /// due later) is not one: it waits on purpose.
    pub async fn unsent_mail(&self) -> Vec<notification::Model> {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        let now = chrono::Utc::now();
        notification::Entity::find()
            .filter(notification::Column::State.is_in(["pending", "sending", "digest"]))
            .all(&self.db)
            .await
            .expect("outbox rows")
            .into_iter()
            .filter(|row| {
                let held_back = row.tip_id.is_some()
                    && row.state == "pending"
                    && row.attempts == 0
                    && row.next_attempt_at > now;
                !held_back
            })
            .collect()
    }

    /// Waits until every mail in the outbox has been handled (sent, or given up for good): by
    /// the portal's own worker when it runs (the test does not help it, so a worker that
    /// stopped sending fails here), or else drained by the test.
    pub async fn outbox_settled(&self) {
        eventually(PATIENCE, "every outbox row sent or given up", || async {
            if !self.settings.outbox_worker {
                self.drain_outbox().await;
            }
            self.unsent_mail().await.is_empty().then_some(())
        })
        .await
    }

    /// The set-password link in the newest mail to `to`.
    pub async fn link_for(&self, to: &str) -> String {
        let mail = self.mail_to(to).await;
        let unfolded = mail
            .replace("=\r\n", "")
            .replace("=\n", "")
            .replace("=3D", "=");
        let start = unfolded.find("/password/set?token=").expect("link in mail");
        let token: String = unfolded[start + "/password/set?token=".len()..]
            .chars()
            .take_while(|c| c.is_ascii_hexdigit())
            .collect();
        assert_eq!(token.len(), 64, "token of 256 bits");
        format!("/password/set?token={token}")
    }

    /// An active account with the demo password, attached to an organisation (by name) or an
    /// institution (by acronym).
    pub async fn account(
        &self,
        email: &str,
        role: &str,
        organisation: Option<&str>,
        institution: Option<&str>,
    ) {
        use app::server::entities::{institution, organisation as org, user};
        use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
        let organisation_id = match organisation {
            Some(name) => Some(
                org::Entity::find()
                    .filter(org::Column::Name.eq(name))
                    .one(&self.db)
                    .await
                    .expect("query")
                    .expect("organisation")
                    .id,
            ),
            None => None,
        };
        let institution_id = match institution {
            Some(acronym) => Some(
                institution::Entity::find()
                    .filter(institution::Column::Acronym.eq(acronym))
                    .one(&self.db)
                    .await
                    .expect("query")
                    .expect("institution")
                    .id,
            ),
            None => None,
        };
        let hash = app::server::auth::hash_password(DEMO_PASSWORD.to_string())
            .await
            .expect("hash");
        user::ActiveModel {
            id: Set(uuid::Uuid::new_v4()),
            email: Set(email.to_string()),
            display_name: Set(email.split('@').next().unwrap_or(email).to_string()),
            locale: Set("fr".into()),
            role: Set(role.into()),
            organisation_id: Set(organisation_id),
            institution_id: Set(institution_id),
            password_hash: Set(Some(hash)),
            active: Set(true),
            created_at: Set(chrono::Utc::now()),
            notification_preference: Set("immediate".into()),
            totp_secret: Set(app::domain::Role::parse(role)
                .is_some_and(|r| r.requires_second_factor())
                .then(|| seed::DEMO_TOTP_SECRET.to_string())),
            totp_enabled_at: Set(Some(chrono::Utc::now())),
            ..Default::default()
        }
        .insert(&self.db)
        .await
        .expect("account");
    }

    /// Lets the tests that file observations by the hundred do so: no daily quota to speak of
    /// (with the filing allowance the builder's `bulk_filing` raises).
    async fn raise_filing_quotas(&self) {
        let backend = self.db.get_database_backend();
        self.db
            .execute_raw(sea_orm::Statement::from_string(
                backend,
                "UPDATE organisations SET daily_filing_quota = 10000".to_string(),
            ))
            .await
            .expect("quota");
    }

    /// A new organisation (the leak test puts a marker in its name).
    pub async fn organisation(&self, name: &str) {
        use app::server::entities::organisation;
        use sea_orm::{ActiveModelTrait, ActiveValue::Set};
        organisation::ActiveModel {
            id: Set(uuid::Uuid::new_v4()),
            name: Set(name.to_string()),
            acronym: Set(None),
            region_code: Set(Some("ML-1".into())),
            is_womens_organisation: Set(true),
            contact_email: Set(None),
            active: Set(true),
            created_at: Set(chrono::Utc::now()),
            ..Default::default()
        }
        .insert(&self.db)
        .await
        .expect("organisation");
    }

    /// Closes the database under the running portal (to see how it copes), once the outbox
    /// has settled: nothing can be checked in it afterwards.
    pub async fn close_database(&mut self) {
        self.outbox_settled().await;
        self.unsent_mail_expected = true;
        tokio::time::timeout(Duration::from_secs(60), self.db.clone().close())
            .await
            .expect("the pool closes within a minute (a connection was never given back)")
            .expect("close");
    }

    /// Ends the test: no mail may be left unsent (unless the test said so when it started),
    /// and the PostgreSQL database is dropped.
    pub async fn finish(self) {
        if !self.unsent_mail_expected {
            self.outbox_settled().await;
        }
        if let Some(name) = &self.pg_name {
            self.db.clone().close().await.ok();
            if let Ok(admin) = Database::connect(format!("{}/postgres", pg_admin_url())).await {
                admin
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .await
                    .ok();
                admin.close().await.ok();
            }
        }
    }
}

/// Cookies kept by hand, so tests can replay an old one; requests carry what a browser sends.
pub struct Browser {
    base: String,
    client: Client,
    pub cookies: BTreeMap<String, String>,
    /// Where the test plays the user's phone from: the enrolled TOTP keys.
    db: DatabaseConnection,
}

pub const DEMO_PASSWORD: &str = seed::DEMO_PASSWORD;

impl Browser {
    fn new(base: &str, local_address: Option<IpAddr>, db: DatabaseConnection) -> Self {
        let client = Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            // A request that hangs fails its test instead of stalling the whole run.
            .timeout(Duration::from_secs(120))
            .local_address(local_address)
            .build()
            .expect("client");
        Browser {
            base: base.to_string(),
            client,
            cookies: BTreeMap::new(),
            db,
        }
    }

    pub fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn keep_cookies(&mut self, response: &Response) {
        for value in response.headers().get_all(reqwest::header::SET_COOKIE) {
            let Ok(text) = value.to_str() else { continue };
            let pair = text.split(';').next().unwrap_or_default();
            let Some((name, value)) = pair.split_once('=') else {
                continue;
            };
            let removed = text.to_ascii_lowercase().contains("max-age=0") || value.is_empty();
            if removed {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_string(), value.to_string());
            }
        }
    }

    fn headers(&self, extra: &[(&str, &str)]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        if !self.cookies.is_empty() {
            headers.insert(
                "cookie",
                HeaderValue::from_str(&self.cookie_header()).expect("cookie"),
            );
        }
        for (name, value) in extra {
            headers.insert(
                reqwest::header::HeaderName::from_bytes(name.as_bytes()).expect("name"),
                HeaderValue::from_str(value).expect("value"),
            );
        }
        headers
    }

    pub async fn get(&mut self, path: &str, extra: &[(&str, &str)]) -> Response {
        let response = self
            .client
            .get(format!("{}{path}", self.base))
            .headers(self.headers(extra))
            .send()
            .await
            .unwrap_or_else(|e| panic!("GET {path}: {e}"));
        self.keep_cookies(&response);
        response
    }

    pub async fn page(&mut self, path: &str) -> (StatusCode, String) {
        let response = self.get(path, &[("accept", "text/html")]).await;
        let status = response.status();
        (status, response.text().await.expect("body"))
    }

    /// A form post as a browser without JavaScript sends it, from the page `from`.
    pub async fn submit(&mut self, from: &str, endpoint: &str, form: &[(&str, &str)]) -> Response {
        let referer = format!("{}{from}", self.base);
        let origin = self.base.clone();
        self.post(
            endpoint,
            form,
            &[
                ("accept", "text/html,application/xhtml+xml"),
                ("referer", &referer),
                ("origin", &origin),
                ("sec-fetch-site", "same-origin"),
            ],
        )
        .await
    }

    /// A server-function call as the hydrated page makes it (answers in JSON).
    pub async fn call(
        &mut self,
        endpoint: &str,
        form: &[(&str, &str)],
    ) -> (StatusCode, serde_json::Value) {
        let origin = self.base.clone();
        let response = self
            .post(
                endpoint,
                form,
                &[
                    ("accept", "application/json"),
                    ("origin", &origin),
                    ("sec-fetch-site", "same-origin"),
                ],
            )
            .await;
        let status = response.status();
        let body = response.text().await.expect("body");
        let json = serde_json::from_str(&body).unwrap_or(serde_json::Value::String(body));
        (status, json)
    }

    pub async fn post(
        &mut self,
        endpoint: &str,
        form: &[(&str, &str)],
        extra: &[(&str, &str)],
    ) -> Response {
        let response = self
            .client
            .post(format!("{}/api/{endpoint}", self.base))
            .headers(self.headers(extra))
            .form(form)
            .send()
            .await
            .unwrap_or_else(|e| panic!("POST /api/{endpoint}: {e}"));
        self.keep_cookies(&response);
        response
    }

    /// A multipart form posted as a browser without JavaScript sends it, from the page `from`,
    /// to a route that is not a server function.
    pub async fn upload(
        &mut self,
        from: &str,
        path: &str,
        form: reqwest::multipart::Form,
    ) -> Response {
        let request = self.form_post(from, path).multipart(form);
        self.send(path, request).await
    }

    /// Like [`Self::upload`], with a multipart body the caller writes (streamed as it is
    /// produced) and its boundary.
    pub async fn upload_stream(
        &mut self,
        from: &str,
        path: &str,
        boundary: &str,
        body: reqwest::Body,
    ) -> Response {
        let request = self
            .form_post(from, path)
            .header(
                "content-type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(body);
        self.send(path, request).await
    }

    fn form_post(&self, from: &str, path: &str) -> reqwest::RequestBuilder {
        let referer = format!("{}{from}", self.base);
        let headers = self.headers(&[
            ("accept", "text/html,application/xhtml+xml"),
            ("referer", &referer),
            ("origin", &self.base.clone()),
            ("sec-fetch-site", "same-origin"),
        ]);
        self.client
            .post(format!("{}{path}", self.base))
            .headers(headers)
    }

    async fn send(&mut self, path: &str, request: reqwest::RequestBuilder) -> Response {
        let response = request
            .send()
            .await
            .unwrap_or_else(|e| panic!("POST {path}: {e}"));
        self.keep_cookies(&response);
        response
    }

    /// The bytes of a download, with its headers.
    pub async fn download(&mut self, path: &str) -> (StatusCode, HeaderMap, Vec<u8>) {
        let response = self.get(path, &[]).await;
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.bytes().await.expect("bytes").to_vec();
        (status, headers, bytes)
    }

    /// Signs in through the JavaScript-less forms, second step included (a code from the
    /// account's authenticator key, or an enrolment when the role needs one and has none);
    /// returns where the portal sent the user.
    pub async fn login(&mut self, email: &str, password: &str) -> String {
        let location = self.login_password(email, password).await;
        match location.as_str() {
            "/login/code" => self.second_factor(email).await,
            "/security" => self.enrol(email).await,
            _ => location,
        }
    }

    /// Only the password step; returns where the portal sent the user.
    pub async fn login_password(&mut self, email: &str, password: &str) -> String {
        let response = self
            .submit(
                "/login",
                "login",
                &[("email", email), ("password", password)],
            )
            .await;
        assert_eq!(
            response.status(),
            StatusCode::FOUND,
            "login answers with a redirect"
        );
        location(&response)
    }

    /// The second step with a fresh code of the account's key.
    pub async fn second_factor(&mut self, email: &str) -> String {
        let code = self.fresh_code(email).await;
        let response = self
            .submit("/login/code", "verify_second_factor", &[("code", &code)])
            .await;
        assert_eq!(response.status(), StatusCode::FOUND, "code step redirects");
        location(&response)
    }

    /// Enrols an app from the enrolment page as a user does: reads the key shown, answers
    /// with its current code.
    pub async fn enrol(&mut self, email: &str) -> String {
        let page = self.get("/security", &[]).await.text().await.expect("page");
        let at = page.find("class=\"secret\"").expect("key on the page");
        // The key is the text of that element (after any hydration marker comment).
        let rest = &page[at..];
        let text = rest[rest.find('>').expect("tag") + 1..].trim_start_matches("<!---->");
        let secret: String = text
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        assert!(
            secret.len() >= 32,
            "key on the page: {}",
            &rest[..rest.len().min(200)]
        );
        let code = totp_code(&secret, now_step());
        let response = self
            .submit("/security", "confirm_second_factor", &[("code", &code)])
            .await;
        assert_eq!(
            response.status(),
            StatusCode::FOUND,
            "enrolment of {email} redirects"
        );
        location(&response)
    }

    /// A code of `email`'s enrolled key for a time step the portal has not accepted yet (it
    /// takes the steps just before and after now), waiting for the next step if needed.
    pub async fn fresh_code(&self, email: &str) -> String {
        use app::server::entities::user;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        // A step lasts 30 seconds: the next one comes within that.
        eventually(
            Duration::from_secs(35),
            "a TOTP step not used yet",
            || async {
                let row = user::Entity::find()
                    .filter(user::Column::Email.eq(email))
                    .one(&self.db)
                    .await
                    .expect("query")
                    .expect("account");
                let secret = row.totp_secret.expect("an enrolled second factor");
                let last = row.totp_last_step.unwrap_or(0) as u64;
                // Never the step before now: a step boundary passing before the portal checks
                // the code would put it out of the window (a wrong code answers with a
                // redirect, so the test would only fail later, signed out).
                let now = now_step();
                (now..=now + 1)
                    .find(|s| *s > last)
                    .map(|step| totp_code(&secret, step))
            },
        )
        .await
    }
}

/// The current 30-second TOTP step.
pub fn now_step() -> u64 {
    chrono::Utc::now().timestamp() as u64 / 30
}

/// The code of `secret` (base32) for `step`, as an authenticator app computes it.
pub fn totp_code(secret: &str, step: u64) -> String {
    let totp = totp_rs::Builder::new()
        .with_secret(totp_rs::Secret::try_from_base32(secret).expect("base32 key"))
        .with_account_name("test")
        .build()
        .expect("TOTP");
    totp.generate(step * 30).to_string()
}

pub fn location(response: &Response) -> String {
    response
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

/// Runs a test body once on SQLite and once on PostgreSQL.
#[macro_export]
macro_rules! on_both_databases {
    ($name:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name($crate::harness::Backend::Sqlite).await
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                super::$name($crate::harness::Backend::Postgres).await
            }
        }
    };
}

/// A real SMTP server (aiosmtpd, see `tests/smtp/server.py`) on a port of its own; stopped
/// when dropped.
pub struct SmtpServer {
    pub port: u16,
    out: PathBuf,
    child: std::process::Child,
    _dir: tempfile::TempDir,
}

/// A free local port (nothing listens on it until someone binds it).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port()
}

impl SmtpServer {
    /// Starts on `port`; `code` and `fail_first` make it refuse messages (see the script).
    pub async fn start(port: u16, code: &str, fail_first: u32) -> SmtpServer {
        Self::start_slow(port, code, fail_first, 0.0).await
    }

    /// The same, answering each message only after `delay` seconds.
    pub async fn start_slow(port: u16, code: &str, fail_first: u32, delay: f64) -> SmtpServer {
        // scripts/test.sh installs aiosmtpd into .tools/smtp and exports its Python.
        let installed = concat!(env!("CARGO_MANIFEST_DIR"), "/../.tools/smtp/bin/python");
        let python = std::env::var("VEILLE_TEST_PYTHON")
            .ok()
            .or_else(|| {
                std::path::Path::new(installed)
                    .exists()
                    .then(|| installed.to_string())
            })
            .expect(
                "VEILLE_TEST_PYTHON must name a Python with aiosmtpd (scripts/test.sh installs it)",
            );
        let dir = tempfile::tempdir().expect("folder");
        let out = dir.path().join("received.jsonl");
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/smtp/server.py");
        let mut child = std::process::Command::new(python)
            .args([script, "--port", &port.to_string(), "--out"])
            .arg(&out)
            .args(["--code", code, "--fail-first", &fail_first.to_string()])
            .args(["--delay", &delay.to_string()])
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("start the SMTP server");
        let mut ready = String::new();
        let stdout = child.stdout.take().expect("stdout");
        let line = tokio::task::spawn_blocking(move || {
            use std::io::BufRead;
            let mut reader = std::io::BufReader::new(stdout);
            reader.read_line(&mut ready).map(|_| ready)
        })
        .await
        .expect("join")
        .expect("read");
        assert_eq!(line.trim(), "ready", "SMTP server did not start");
        SmtpServer {
            port,
            out,
            child,
            _dir: dir,
        }
    }

    pub fn url(port: u16) -> String {
        format!("smtp://127.0.0.1:{port}")
    }

    /// Every message received so far, decoded by Python's `email` package: `to`, `subject`,
    /// `message_id`, `list_unsubscribe`, `list_unsubscribe_post`, `text`, `html`, `raw`.
    pub fn messages(&self) -> Vec<serde_json::Value> {
        std::fs::read_to_string(&self.out)
            .unwrap_or_default()
            .lines()
            .filter_map(|line| serde_json::from_str(line).ok())
            .collect()
    }

    /// Waits until at least `count` messages have arrived.
    pub async fn wait_for(&self, count: usize) -> Vec<serde_json::Value> {
        let what = format!("{count} messages at the SMTP server");
        eventually(PATIENCE * 3, &what, || async {
            let messages = self.messages();
            (messages.len() >= count).then_some(messages)
        })
        .await
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
