//! Exports of what the dashboard shows: the filtered observations, one row each (NHRC staff
//! only; no free text and no filer identity, so that a file that leaves the portal cannot
//! expose a reporter), and the aggregate tables (each viewer within their own scope). CSV is
//! UTF-8 with a byte-order mark and `;` between fields, as spreadsheets in French expect; JSON
//! is one array. Observations are streamed page by page, so memory stays flat at any size.
//! A format other than these two is refused in words. The tables' figures are the dashboard's,
//! with its definitions (a deadline passed without acknowledgement or response counts as late;
//! the referrals still within their deadline count in neither part of a share).
//!
//! A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` (and, in some, a tab or a
//! carriage return) as a formula: such a CSV cell is written with an apostrophe first, as
//! OWASP advises, so that a name chosen by an admin (a category, an institution) cannot run
//! in the monitor's spreadsheet. Numbers as the portal writes them (digits, a minus sign, a
//! decimal point) are left as they are: they cannot hold a formula. JSON is written unchanged.
//!
//! Every export is written to the audit log twice, with who and which filter: `export_started`
//! before the first byte, `export` once the whole body has been handed to the connection. A
//! download cut midway (or failed) leaves only the first, so it never looks complete.

use axum::body::Body;
use axum::extract::{Path, Query, RawQuery, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use chrono::NaiveDate;
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::query::{Checked, check};
use super::{Flags, Links};
use crate::domain::Locale;
use crate::domain::statistics::Median;
use crate::error::AppError;
use crate::i18n::translate;
use crate::model::statistics::{DashboardFilter, Figures};
use crate::server::AppState;
use crate::server::auth::CurrentUser;
use crate::server::entities::observation;
use crate::server::http::{OrRefuse, Refusal, SignedIn};
use crate::server::observations::scope::{self, Scope};
use crate::server::observations::{Names, audit, today};

/// Observations read per page while streaming.
const PAGE: u64 = 2000;

/// The query string of an export: the dashboard's filter, and the format.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct ExportQuery {
    pub format: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub institution: Option<String>,
    pub region: Option<String>,
    pub category: Option<String>,
    pub womens: Option<String>,
    pub sensitive: Option<String>,
}

impl ExportQuery {
    fn filter(&self) -> DashboardFilter {
        let flag = |v: &Option<String>| match v.as_deref() {
            Some("1") | Some("true") => Some(true),
            Some("0") | Some("false") => Some(false),
            _ => None,
        };
        DashboardFilter {
            from: self.from.clone(),
            to: self.to.clone(),
            institution: self.institution.clone(),
            region: self.region.clone(),
            category: self.category.clone(),
            womens: flag(&self.womens),
            sensitive: flag(&self.sensitive),
        }
    }

    /// Whether the export is JSON (else CSV, the default); `None` for any other format.
    fn json(&self) -> Option<bool> {
        match self.format.as_deref().map(str::trim) {
            None | Some("") | Some("csv") => Some(false),
            Some("json") => Some(true),
            Some(_) => None,
        }
    }
}

/// One exported observation.
#[derive(Debug, Serialize)]
pub struct ObservationRow {
    pub reference: String,
    pub submitted_on: String,
    pub status: String,
    pub resolution: String,
    pub category: String,
    pub sensitive: bool,
    pub region: String,
    pub cercle: String,
    pub institutions: String,
    pub referrals: usize,
    pub womens_organisation: bool,
    pub affected_women: i32,
    pub affected_men: i32,
    pub affected_girls: i32,
    pub affected_boys: i32,
}

const OBSERVATION_COLUMNS: [&str; 15] = [
    "reference",
    "submitted_on",
    "status",
    "resolution",
    "category",
    "sensitive",
    "region",
    "cercle",
    "institutions",
    "referrals",
    "womens_organisation",
    "affected_women",
    "affected_men",
    "affected_girls",
    "affected_boys",
];

/// An unknown `format`: 400, in the viewer's language.
fn unknown_format(locale: Locale) -> Refusal {
    Refusal::bad_request(locale, "error-export-format")
}

fn yes_no(locale: Locale, value: bool) -> String {
    translate(locale, if value { "stats-yes" } else { "stats-no" })
}

/// Whether `text` is a number as the portal writes one: an optional minus sign, digits, and
/// at most one decimal separator (point or comma) between digits.
fn plain_number(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let mut parts = digits.splitn(2, ['.', ',']);
    let whole = parts.next().unwrap_or_default();
    let fraction = parts.next();
    let all_digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    all_digits(whole) && fraction.is_none_or(all_digits)
}

/// One CSV cell, made safe to open in a spreadsheet: a cell that a spreadsheet would read as
/// a formula (first character `=`, `+`, `-`, `@`, tab or carriage return) gets an apostrophe
/// first, unless it is a plain number (a negative count or share stays a number).
pub fn neutralised(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && !plain_number(cell) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// CSV lines (with the byte-order mark first when `first`), every cell [`neutralised`].
fn csv_bytes(records: &[Vec<String>], first: bool) -> Bytes {
    let mut out = Vec::new();
    if first {
        out.extend_from_slice("\u{feff}".as_bytes());
    }
    {
        let mut writer = csv::WriterBuilder::new()
            .delimiter(b';')
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        for record in records {
            // Writing to memory cannot fail.
            let _ = writer.write_record(record.iter().map(|cell| neutralised(cell).into_owned()));
        }
        let _ = writer.flush();
    }
    Bytes::from(out)
}

fn attachment(response: &mut Response, name: &str, json: bool) {
    let (kind, extension) = if json {
        ("application/json; charset=utf-8", "json")
    } else {
        ("text/csv; charset=utf-8", "csv")
    };
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    if let Ok(value) = HeaderValue::from_str(&format!(
        "attachment; filename=\"veille-{name}.{extension}\""
    )) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
}

fn first_day(month: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").ok()
}

/// The observations a checked filter selects (submitted ones only), as a condition.
fn selection(filter: &Checked, flags: &Flags) -> Result<Condition, AppError> {
    use observation::Column as O;
    let midnight = |day: NaiveDate| day.and_hms_opt(0, 0, 0).map(|d| d.and_utc());
    let mut cond = Condition::all()
        .add(O::SubmittedAt.is_not_null())
        .add(O::Reference.is_not_null());
    if let Some(from) = filter.from.as_deref().and_then(first_day) {
        cond = cond.add(O::SubmittedAt.gte(midnight(from)));
    }
    if let Some(to) = filter.to.as_deref().and_then(first_day) {
        let next = to.checked_add_months(chrono::Months::new(1));
        cond = cond.add(O::SubmittedAt.lt(next.and_then(midnight)));
    }
    if let Some(code) = &filter.region {
        cond = cond.add(O::RegionCode.eq(code.as_str()));
    }
    if let Some(id) = filter
        .category
        .as_deref()
        .and_then(|c| Uuid::parse_str(c).ok())
    {
        cond = cond.add(O::CategoryId.eq(id));
    }
    if let Some(womens) = filter.womens {
        let ids = flags.womens.iter().copied();
        cond = cond.add(if womens {
            O::OrganisationId.is_in(ids)
        } else {
            O::OrganisationId.is_not_in(ids)
        });
    }
    if let Some(sensitive) = filter.sensitive {
        let ids = flags.sensitive.iter().copied();
        cond = cond.add(if sensitive {
            O::CategoryId.is_in(ids)
        } else {
            O::CategoryId.is_not_in(ids)
        });
    }
    if let Some(institution) = &filter.institution {
        cond = cond.add(scope::concerning_institution(scope::institution_id(
            institution,
        )?));
    }
    Ok(cond)
}

/// One page of rows after the reference `after` (in reference order: stable, and what people
/// sort by).
async fn page(
    db: &DatabaseConnection,
    selection: &Condition,
    after: Option<String>,
    names: &Names,
    flags: &Flags,
    locale: Locale,
) -> Result<(Vec<ObservationRow>, Option<String>), AppError> {
    let mut find = observation::Entity::find()
        .filter(selection.clone())
        .order_by_asc(observation::Column::Reference)
        .limit(PAGE);
    if let Some(after) = after {
        find = find.filter(observation::Column::Reference.gt(after));
    }
    let rows = find.all(db).await?;
    let last = rows.last().and_then(|r| r.reference.clone());
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let links = Links::load(db, &ids).await?;
    let rows = rows
        .into_iter()
        .map(|o| {
            let mut acronyms: Vec<String> = links
                .institutions(o.id)
                .into_iter()
                .map(|i| names.acronym(i))
                .collect();
            acronyms.sort();
            acronyms.dedup();
            ObservationRow {
                reference: o.reference.clone().unwrap_or_default(),
                submitted_on: o
                    .submitted_at
                    .map(|at| at.format("%Y-%m-%d").to_string())
                    .unwrap_or_default(),
                status: translate(locale, &format!("status-obs-{}", o.status)),
                resolution: o
                    .resolution
                    .as_deref()
                    .map(|r| translate(locale, &format!("resolution-{r}")))
                    .unwrap_or_default(),
                category: names.category(o.category_id),
                sensitive: o
                    .category_id
                    .is_some_and(|id| flags.sensitive.contains(&id)),
                region: names.region(o.region_code.as_deref()),
                cercle: names.cercle(o.cercle_id),
                institutions: acronyms.join(", "),
                referrals: links.referrals.get(&o.id).map_or(0, Vec::len),
                womens_organisation: flags.womens.contains(&o.organisation_id),
                affected_women: o.affected_women,
                affected_men: o.affected_men,
                affected_girls: o.affected_girls,
                affected_boys: o.affected_boys,
            }
        })
        .collect();
    Ok((rows, last))
}

fn csv_record(row: &ObservationRow, locale: Locale) -> Vec<String> {
    vec![
        row.reference.clone(),
        row.submitted_on.clone(),
        row.status.clone(),
        row.resolution.clone(),
        row.category.clone(),
        yes_no(locale, row.sensitive),
        row.region.clone(),
        row.cercle.clone(),
        row.institutions.clone(),
        row.referrals.to_string(),
        yes_no(locale, row.womens_organisation),
        row.affected_women.to_string(),
        row.affected_men.to_string(),
        row.affected_girls.to_string(),
        row.affected_boys.to_string(),
    ]
}

/// Writes `action` (`export_started` or `export`) about the export of `what` to the audit log.
async fn record(
    db: &DatabaseConnection,
    user: &CurrentUser,
    action: &str,
    what: &str,
    query: &str,
) -> Result<(), AppError> {
    audit(
        db,
        Some(user),
        action,
        what,
        Uuid::nil(),
        Some(query.to_string()),
    )
    .await
}

/// The body of an export, followed by `record` (its `export` entry in the audit log): the
/// entry is written when the connection asks for more after the last chunk, that is once
/// every byte has been handed over. A body dropped before (the download cut, the client gone)
/// or that failed on the way writes nothing; when the entry cannot be written, the body ends
/// in an error, so the download does not complete either. The stream is fused: the
/// compression layer polls a body again after its end, which an `unfold` stream does not
/// allow (it panicked, and the download arrived empty).
pub fn recorded_on_completion<S, F>(
    body: S,
    record: F,
) -> impl futures_util::Stream<Item = Result<Bytes, std::io::Error>> + Send + 'static
where
    S: futures_util::Stream<Item = Result<Bytes, std::io::Error>> + Send + 'static,
    F: std::future::Future<Output = Result<(), AppError>> + Send + 'static,
{
    use futures_util::StreamExt;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    let failed = Arc::new(AtomicBool::new(false));
    let seen = failed.clone();
    let completion = futures_util::stream::once(async move {
        if failed.load(Ordering::SeqCst) {
            return None;
        }
        record.await.err().map(|error| {
            tracing::error!(%error, "cannot write a finished export to the audit log");
            Err(std::io::Error::other(error.to_string()))
        })
    })
    .filter_map(futures_util::future::ready);
    body.inspect(move |chunk| {
        if chunk.is_err() {
            seen.store(true, Ordering::SeqCst);
        }
    })
    .chain(completion)
    .fuse()
}

/// `GET /exports/observations?format=csv|json&<filter>`: NHRC staff only.
pub async fn observations(
    State(state): State<AppState>,
    SignedIn { user, locale }: SignedIn,
    Query(params): Query<ExportQuery>,
    RawQuery(raw): RawQuery,
) -> Result<Response, Refusal> {
    let scope = match Scope::of(&user) {
        Ok(scope) if scope.is_nhrc() => scope,
        _ => return Err(Refusal::new(locale, AppError::Forbidden)),
    };
    let Some(json) = params.json() else {
        return Err(unknown_format(locale));
    };
    let raw = raw.unwrap_or_default();
    let prepared = async {
        let names = Names::load(&state.db, user.locale).await?;
        let checked = check(&state.db, &names, &params.filter()).await?;
        let flags = Flags::load(&state.db).await?;
        // A row per case: the sensitive ones only for a reader who holds the permission.
        let selection = selection(&checked, &flags)?.add(scope::content_condition(scope));
        record(&state.db, &user, "export_started", "observations", &raw).await?;
        Ok::<_, AppError>(Source {
            selection,
            flags,
            names,
        })
    };
    let source = prepared.await.or_refuse(locale)?;
    let stream = observation_stream(state.db.clone(), source, user.locale, json);
    let db = state.db.clone();
    let body = Body::from_stream(recorded_on_completion(stream, async move {
        record(&db, &user, "export", "observations", &raw).await
    }));
    let mut response = body.into_response();
    attachment(&mut response, "observations", json);
    Ok(response)
}

struct Source {
    selection: Condition,
    flags: Flags,
    names: Names,
}

/// Where an observations export stands between two chunks.
enum Next {
    /// The page after this reference (from the start when `None`); `first` writes the header.
    Page {
        after: Option<String>,
        first: bool,
    },
    Done,
}

/// The body of an observations export, page after page. A failed page ends the body in an
/// error (the download then does not complete).
fn observation_stream(
    db: DatabaseConnection,
    source: Source,
    locale: Locale,
    json: bool,
) -> impl futures_util::Stream<Item = Result<Bytes, std::io::Error>> + Send + 'static {
    use futures_util::StreamExt;
    let source = std::sync::Arc::new(source);
    futures_util::stream::try_unfold(
        Next::Page {
            after: None,
            first: true,
        },
        move |next| {
            let db = db.clone();
            let source = source.clone();
            async move {
                let Next::Page { after, first } = next else {
                    return Ok(None);
                };
                let (rows, last) = page(
                    &db,
                    &source.selection,
                    after.clone(),
                    &source.names,
                    &source.flags,
                    locale,
                )
                .await
                .map_err(|error| std::io::Error::other(error.to_string()))?;
                let end = rows.len() < PAGE as usize;
                let chunk = if json {
                    let mut text = String::new();
                    if first {
                        text.push('[');
                    }
                    for (i, row) in rows.iter().enumerate() {
                        if !(first && i == 0) {
                            text.push(',');
                        }
                        text.push_str(&serde_json::to_string(row).unwrap_or_default());
                    }
                    if end {
                        text.push(']');
                    }
                    Bytes::from(text)
                } else {
                    let mut records = Vec::with_capacity(rows.len() + 1);
                    if first {
                        records.push(OBSERVATION_COLUMNS.iter().map(|c| c.to_string()).collect());
                    }
                    records.extend(rows.iter().map(|r| csv_record(r, locale)));
                    csv_bytes(&records, first)
                };
                let next = if end {
                    Next::Done
                } else {
                    Next::Page {
                        after: last.or(after),
                        first: false,
                    }
                };
                Ok(Some((chunk, next)))
            }
        },
    )
    .fuse()
}

/// One exported line of an aggregate table (its group: an institution, a region, a month…).
#[derive(Debug, Serialize)]
pub struct InstitutionRow {
    pub group: String,
    pub received: i64,
    pub acknowledged: i64,
    pub ack_on_time_share: Option<f64>,
    pub responded: i64,
    pub resp_on_time_share: Option<f64>,
    pub median_ack_days: Option<String>,
    pub median_resp_days: Option<String>,
    pub overdue: i64,
    pub contested: i64,
    pub escalated: i64,
    /// Not acknowledged, deadline passed: late in `ack_on_time_share`.
    pub ack_lapsed: i64,
    /// Not answered, deadline passed: late in `resp_on_time_share`.
    pub resp_lapsed: i64,
}

/// A decimal number written for a CSV cell with the separator of the export's language: a
/// comma in French (as French spreadsheets read it), a point in English. JSON keeps numbers.
fn decimal(locale: Locale, text: String) -> String {
    match locale {
        Locale::Fr => text.replace('.', ","),
        Locale::En => text,
    }
}

fn median_text(median: Option<Median>) -> Option<String> {
    median.map(|m| match m {
        Median::Days(d) => format!("{d}"),
        Median::MoreThan(n) => format!(">{n}"),
    })
}

fn institution_row(label: String, f: &Figures) -> InstitutionRow {
    InstitutionRow {
        group: label,
        received: f.received,
        acknowledged: f.acknowledged,
        ack_on_time_share: f.ack_on_time,
        responded: f.responded,
        resp_on_time_share: f.resp_on_time,
        median_ack_days: median_text(f.median_ack_days),
        median_resp_days: median_text(f.median_resp_days),
        overdue: f.overdue,
        contested: f.contested,
        escalated: f.escalated,
        ack_lapsed: f.ack_lapsed,
        resp_lapsed: f.resp_lapsed,
    }
}

/// The aggregate tables that can be exported, and the name of their first column.
const TABLES: [(&str, &str); 5] = [
    ("institutions", "institution"),
    ("regions", "region"),
    ("cercles", "cercle"),
    ("categories", "category"),
    ("months", "month"),
];

/// `GET /exports/{table}?format=csv|json&<filter>` for each of [`TABLES`]: one of the
/// dashboard's tables, within the viewer's scope.
pub async fn table(
    State(state): State<AppState>,
    SignedIn { user, locale }: SignedIn,
    Path(name): Path<String>,
    Query(params): Query<ExportQuery>,
    RawQuery(raw): RawQuery,
) -> Result<Response, Refusal> {
    let Some((name, first_column)) = TABLES.iter().copied().find(|(t, _)| *t == name) else {
        return Err(Refusal::new(locale, AppError::NotFound));
    };
    let Some(json) = params.json() else {
        return Err(unknown_format(locale));
    };
    let raw = raw.unwrap_or_default();
    let result = async {
        let scope = Scope::of(&user)?;
        let dashboard =
            super::query::dashboard(&state.db, scope, &params.filter(), user.locale, today())
                .await?;
        record(&state.db, &user, "export_started", name, &raw).await?;
        Ok::<_, AppError>(dashboard)
    };
    let dashboard = result.await.or_refuse(locale)?;
    let groups = match name {
        "regions" => &dashboard.regions,
        "cercles" => &dashboard.cercles,
        "categories" => &dashboard.categories,
        "months" => &dashboard.months,
        _ => &dashboard.institutions,
    };
    let rows: Vec<InstitutionRow> = groups
        .iter()
        .map(|g| institution_row(g.label.clone(), &g.figures))
        .collect();
    let body = if json {
        Bytes::from(serde_json::to_string(&rows).unwrap_or_default())
    } else {
        let share = |s: Option<f64>| {
            s.map(|v| decimal(user.locale, format!("{:.3}", v)))
                .unwrap_or_default()
        };
        let median = |m: &Option<String>| {
            m.clone()
                .map(|m| decimal(user.locale, m))
                .unwrap_or_default()
        };
        let mut records: Vec<Vec<String>> = vec![
            [
                first_column,
                "received",
                "acknowledged",
                "ack_on_time_share",
                "responded",
                "resp_on_time_share",
                "median_ack_days",
                "median_resp_days",
                "overdue",
                "contested",
                "escalated",
                "ack_lapsed",
                "resp_lapsed",
            ]
            .iter()
            .map(|c| c.to_string())
            .collect(),
        ];
        records.extend(rows.iter().map(|r| {
            vec![
                r.group.clone(),
                r.received.to_string(),
                r.acknowledged.to_string(),
                share(r.ack_on_time_share),
                r.responded.to_string(),
                share(r.resp_on_time_share),
                median(&r.median_ack_days),
                median(&r.median_resp_days),
                r.overdue.to_string(),
                r.contested.to_string(),
                r.escalated.to_string(),
                r.ack_lapsed.to_string(),
                r.resp_lapsed.to_string(),
            ]
        }));
        csv_bytes(&records, true)
    };
    let body = futures_util::stream::once(futures_util::future::ready(Ok(body)));
    let db = state.db.clone();
    let stream = recorded_on_completion(body, async move {
        record(&db, &user, "export", name, &raw).await
    });
    let mut response = Body::from_stream(stream).into_response();
    attachment(&mut response, name, json);
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::StreamExt;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn cells_that_would_run_as_formulas_are_neutralised() {
        for risky in [
            "=HYPERLINK(\"http://x.test\")",
            "+1+1",
            "-1+cmd|' /C calc'!A0",
            "@SUM(A1)",
            "\t=1",
            "\r=1",
            "-",
            "-1.",
            "--1",
        ] {
            assert_eq!(neutralised(risky), format!("'{risky}"), "{risky:?}");
        }
        for safe in [
            "", "Kayes", "0", "-3", "12", "0.667", "-0.5", ">14", "2026-03", "DGPN",
        ] {
            assert_eq!(neutralised(safe), safe, "{safe:?}");
        }
        let bytes = csv_bytes(&[vec!["=1+1".into(), "-2".into(), "a;b".into()]], false);
        assert_eq!(&bytes[..], b"'=1+1;-2;\"a;b\"\r\n");
    }

    /// A body of three chunks, and a count of the completion entries written.
    fn body() -> (
        impl futures_util::Stream<Item = Result<Bytes, std::io::Error>> + Send + 'static,
        Arc<AtomicUsize>,
    ) {
        let chunks = futures_util::stream::iter(
            ["a", "b", "c"].map(|c| Ok::<_, std::io::Error>(Bytes::from(c))),
        );
        let written = Arc::new(AtomicUsize::new(0));
        let count = written.clone();
        let stream = recorded_on_completion(chunks, async move {
            count.fetch_add(1, Ordering::SeqCst);
            Ok(())
        });
        (stream, written)
    }

    #[tokio::test]
    async fn an_export_is_recorded_once_sent_in_full_and_never_when_cut() {
        // Read to the end, then polled again (as the compression layer does): one entry, no
        // panic.
        let (stream, written) = body();
        let mut stream = Box::pin(stream);
        let mut got = Vec::new();
        while let Some(chunk) = stream.next().await {
            got.extend_from_slice(&chunk.expect("chunk"));
        }
        assert_eq!(got, b"abc");
        assert_eq!(written.load(Ordering::SeqCst), 1);
        assert!(stream.next().await.is_none());
        assert!(stream.next().await.is_none());
        assert_eq!(written.load(Ordering::SeqCst), 1);

        // Cut after the last chunk but before the connection asked for more: nothing.
        let (stream, written) = body();
        let mut stream = Box::pin(stream);
        for _ in 0..3 {
            stream.next().await.expect("chunk").expect("bytes");
        }
        drop(stream);
        assert_eq!(written.load(Ordering::SeqCst), 0);

        // A body that fails midway: the error ends it, and nothing is recorded.
        let chunks = futures_util::stream::iter([
            Ok(Bytes::from("a")),
            Err(std::io::Error::other("page failed")),
        ]);
        let written = Arc::new(AtomicUsize::new(0));
        let count = written.clone();
        let stream = recorded_on_completion(chunks, async move {
            count.fetch_add(1, Ordering::SeqCst);
            Ok(())
        });
        let items: Vec<_> = stream.collect().await;
        assert_eq!(items.len(), 2);
        assert!(items[1].is_err());
        assert_eq!(written.load(Ordering::SeqCst), 0);

        // An entry that cannot be written: the body ends in an error, the download fails.
        let chunks = futures_util::stream::iter([Ok(Bytes::from("a"))]);
        let stream = recorded_on_completion(chunks, async {
            Err(crate::server::unexpected(
                "an audit entry that cannot be written",
            ))
        });
        let items: Vec<_> = stream.collect().await;
        assert_eq!(items.len(), 2);
        assert!(items[1].is_err());
    }
}
