//! Benchmark tools: the `bench-data` load and the `/bench/ceiling` page it is measured against.

use std::time::Instant;

use actix_web::{web, HttpResponse};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use once_cell::sync::Lazy;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use time::PrimitiveDateTime;

use crate::auth::password;
use crate::config::Config;
use crate::db::schema::{
    app_settings, applications, catalog_entries, companies, product_releases, products,
    service_groups, sku_prices, skus, specifications, users,
};
use crate::db::{self, backend_of, write_transaction, Backend, DbConn};
use crate::domain::statuses::{
    ApplicationKind, ApplicationStatus, BillingMode, DeliveryMethod, Lifecycle, RegistrationStatus,
    Role, Visibility,
};
use crate::error::AppError;

/// Every bench seller signs in with this; it is printed, the data is synthetic.
pub const BENCH_PASSWORD: &str = "bench-seller-2026";

/// Written when a load finishes, so a re-run can tell a complete dataset from an interrupted one.
const MARKER: &str = "bench_data";

/// SQLite refuses a statement with more than 32766 bound parameters.
const MAX_BIND_PARAMS: usize = 32_766;

/// Sellers per transaction: big enough that commits are rare, small enough that the WAL and the
/// row vectors stay a few tens of megabytes.
const SELLERS_PER_TRANSACTION: u32 = 100;

pub fn seller_email(n: u64) -> String {
    format!("bench-seller-{n}@bench.example")
}

#[derive(Debug, Clone)]
pub struct BenchOptions {
    pub sellers: u32,
    pub products_per_seller: u32,
    /// Adds another set of sellers after any already there.
    pub force: bool,
    /// Succeeds without loading when a complete dataset is already there (for re-runs).
    pub if_missing: bool,
}

// `None` is written as NULL, not DEFAULT: only rows without DEFAULT go into one multi-row
// INSERT on SQLite (with DEFAULT, Diesel falls back to a statement per row).
#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = companies)]
struct CompanyRow {
    id: i64,
    legal_name: Option<String>,
    registration_status: &'static str,
    contact_name: Option<String>,
    contact_phone: Option<String>,
    contact_email: Option<String>,
    presales_phone: Option<String>,
    presales_email: Option<String>,
    presales_address: Option<String>,
    created_at: PrimitiveDateTime,
    updated_at: PrimitiveDateTime,
}
const COMPANY_COLUMNS: usize = 11;

#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = users)]
struct UserRow<'a> {
    id: i64,
    email: String,
    password_hash: &'a str,
    role: &'static str,
    company_id: Option<i64>,
    created_at: PrimitiveDateTime,
    password_changed_at: PrimitiveDateTime,
}
const USER_COLUMNS: usize = 7;

#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = service_groups)]
struct ServiceGroupRow {
    id: i64,
    company_id: i64,
    name: &'static str,
    phone: String,
    email: String,
    service_days: &'static str,
    hours_start: &'static str,
    hours_end: &'static str,
    created_at: PrimitiveDateTime,
    updated_at: PrimitiveDateTime,
}
const SERVICE_GROUP_COLUMNS: usize = 10;

#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = products)]
struct ProductRow {
    id: i64,
    company_id: i64,
    name: String,
    delivery_method: &'static str,
    lifecycle: Lifecycle,
    visibility: Visibility,
    form: String,
    service_group_id: Option<i64>,
    created_at: PrimitiveDateTime,
    updated_at: PrimitiveDateTime,
}
const PRODUCT_COLUMNS: usize = 10;

/// The application a product in review (or last rejected) has.
#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = applications)]
struct ApplicationRow {
    company_id: i64,
    kind: ApplicationKind,
    subject: String,
    status: ApplicationStatus,
    payload: &'static str,
    product_id: Option<i64>,
    submitted_by: i64,
    submitted_at: PrimitiveDateTime,
    due_date: time::Date,
    may_take_longer: bool,
    reviewer_id: Option<i64>,
    decided_at: Option<PrimitiveDateTime>,
    latest_comment: Option<&'static str>,
    updated_at: PrimitiveDateTime,
    review_fields: Option<String>,
    hidden_by_seller: bool,
}
const APPLICATION_COLUMNS: usize = 16;

#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = specifications)]
struct SpecificationRow {
    id: i64,
    product_id: i64,
    position: i32,
    name: &'static str,
    billing_mode: &'static str,
    quantity_name: Option<&'static str>,
    quantity_unit: Option<&'static str>,
    quantity_min: Option<i64>,
    quantity_max: Option<i64>,
    quantity_step: Option<i64>,
    quantity_pricing: Option<&'static str>,
    currency: &'static str,
}
const SPECIFICATION_COLUMNS: usize = 12;

#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = skus)]
struct SkuRow {
    id: i64,
    specification_id: i64,
    position: i32,
    sku_key: &'static str,
    attributes: &'static str,
}
const SKU_COLUMNS: usize = 5;

#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = sku_prices)]
struct SkuPriceRow {
    sku_id: i64,
    period_kind: &'static str,
    amount_minor: Option<i64>,
    bands: Option<String>,
}
const SKU_PRICE_COLUMNS: usize = 4;

#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = product_releases)]
struct ReleaseRow {
    id: i64,
    product_id: i64,
    number: i32,
    application_id: Option<i64>,
    name: String,
    snapshot: String,
    released_at: PrimitiveDateTime,
}

const RELEASE_COLUMNS: usize = 7;

#[derive(Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = catalog_entries)]
struct EntryRow {
    product_id: i64,
    release_id: i64,
    company_id: i64,
    delivery_method: &'static str,
    category: &'static str,
    name: String,
    overview: String,
    listed_at: PrimitiveDateTime,
    name_terms: String,
    body_terms: String,
}

const ENTRY_COLUMNS: usize = 10;

/// Multi-row INSERTs on the backend's own connection: Diesel writes SQLite's batch insert in
/// `ExecuteDsl` rather than as a query fragment, so `MultiConnection` cannot express it.
macro_rules! insert_in_chunks {
    ($conn:expr, $table:expr, $rows:expr, $columns:expr) => {
        for chunk in $rows.chunks(MAX_BIND_PARAMS / $columns) {
            match &mut *$conn {
                DbConn::Sqlite(c) => diesel::insert_into($table).values(chunk).execute(c)?,
                DbConn::Postgres(c) => diesel::insert_into($table).values(chunk).execute(c)?,
            };
        }
    };
}

const NAME_PREFIXES: [&str; 16] = [
    "Cloud", "Smart", "Secure", "Rapid", "Open", "Data", "Edge", "Nimbus", "Quantum", "Blue",
    "Swift", "Atlas", "Polar", "Vertex", "Harbor", "Summit",
];
const NAME_CORES: [&str; 16] = [
    "Backup",
    "Analytics",
    "Firewall",
    "CRM",
    "Database",
    "Monitor",
    "Gateway",
    "Storage",
    "Mail",
    "Search",
    "Scheduler",
    "Helpdesk",
    "Ledger",
    "Vision",
    "Translate",
    "Sync",
];
const NAME_EDITIONS: [&str; 8] = [
    "Server",
    "Suite",
    "Platform",
    "Pro",
    "Enterprise",
    "Cloud Edition",
    "Toolkit",
    "Manager",
];
const ZH_PREFIXES: [&str; 16] = [
    "云端", "智能", "安全", "极速", "开放", "数据", "边缘", "星云", "量子", "蓝海", "迅捷", "天图",
    "极地", "顶点", "港湾", "峰会",
];
const ZH_CORES: [&str; 16] = [
    "备份",
    "分析",
    "防火墙",
    "客户管理",
    "数据库",
    "监控",
    "网关",
    "存储",
    "邮件",
    "搜索",
    "调度",
    "服务台",
    "账本",
    "视觉",
    "翻译",
    "同步",
];
const ZH_EDITIONS: [&str; 8] = [
    "服务器版",
    "套件",
    "平台",
    "专业版",
    "企业版",
    "云版",
    "工具箱",
    "管理器",
];
const NAME_COMBINATIONS: u64 = 16 * 16 * 8;

/// Words of the English overviews and introductions, most common first (drawn with a skew, so
/// "cloud" is in nearly every English product and the last ones in few).
const EN_WORDS: [&str; 64] = [
    "cloud",
    "data",
    "secure",
    "team",
    "fast",
    "backup",
    "analytics",
    "monitor",
    "deploy",
    "scale",
    "integration",
    "dashboard",
    "automation",
    "compliance",
    "storage",
    "network",
    "api",
    "container",
    "workflow",
    "report",
    "alert",
    "recovery",
    "encryption",
    "identity",
    "audit",
    "pipeline",
    "cluster",
    "latency",
    "migration",
    "billing",
    "ticket",
    "search",
    "index",
    "cache",
    "gateway",
    "firewall",
    "mail",
    "schedule",
    "inventory",
    "invoice",
    "payroll",
    "crm",
    "erp",
    "iot",
    "edge",
    "sensor",
    "model",
    "training",
    "inference",
    "vision",
    "speech",
    "translation",
    "chatbot",
    "ledger",
    "blockchain",
    "quota",
    "tenant",
    "sandbox",
    "observability",
    "tracing",
    "kubernetes",
    "serverless",
    "terraform",
    "ansible",
];

/// The same for the Chinese products.
const ZH_WORDS: [&str; 32] = [
    "数据",
    "安全",
    "云端",
    "备份",
    "分析",
    "监控",
    "部署",
    "扩展",
    "集成",
    "自动化",
    "合规",
    "存储",
    "网络",
    "容器",
    "工作流",
    "报表",
    "告警",
    "恢复",
    "加密",
    "身份",
    "审计",
    "流水线",
    "集群",
    "迁移",
    "计费",
    "工单",
    "搜索",
    "缓存",
    "网关",
    "数据库",
    "人工智能",
    "物联网",
];

/// A word found in about one product in two thousand: the benchmark's rare search.
pub const RARE_WORD: &str = "quasar";

fn skewed<'w>(rng: &mut StdRng, words: &[&'w str]) -> &'w str {
    let u: f64 = rng.gen();
    words[((words.len() as f64) * u * u) as usize % words.len()]
}

/// An overview and an introduction (sanitised-HTML shaped) of some skewed words.
fn bench_texts(rng: &mut StdRng, chinese: bool, name: &str) -> (String, String) {
    let mut sentence = |n: usize| -> String {
        let words: Vec<&str> = (0..n)
            .map(|_| {
                if chinese {
                    skewed(rng, &ZH_WORDS)
                } else {
                    skewed(rng, &EN_WORDS)
                }
            })
            .collect();
        if chinese {
            words.concat()
        } else {
            words.join(" ")
        }
    };
    let overview = if chinese {
        format!("{name}：{}。", sentence(8))
    } else {
        format!("{name}: {}.", sentence(10))
    };
    let mut intro = format!("<p>{}</p><ul>", sentence(14));
    for _ in 0..3 {
        intro.push_str(&format!("<li>{}</li>", sentence(5)));
    }
    intro.push_str("</ul>");
    if rng.gen_range(0..2000) == 0 {
        intro.push_str(&format!("<p>Built on the {RARE_WORD} engine.</p>"));
    }
    (overview, intro)
}
/// Odd, so stepping by it visits every combination once before repeating (2048 is a power of 2).
const NAME_STRIDE: u64 = 1031;

/// The seller's `j`-th product name: unique within the seller, varied across sellers.
fn product_name(start: u64, j: u64) -> String {
    let k = (start + j * NAME_STRIDE) % NAME_COMBINATIONS;
    let base = format!(
        "{} {} {}",
        NAME_PREFIXES[(k % 16) as usize],
        NAME_CORES[(k / 16 % 16) as usize],
        NAME_EDITIONS[(k / 256) as usize]
    );
    match j / NAME_COMBINATIONS {
        0 => base,
        round => format!("{base} {}", round + 1),
    }
}

/// The Chinese name of the same combination (as unique within the seller as the English one).
fn zh_product_name(start: u64, j: u64) -> String {
    let k = (start + j * NAME_STRIDE) % NAME_COMBINATIONS;
    let base = format!(
        "{}{}{}",
        ZH_PREFIXES[(k % 16) as usize],
        ZH_CORES[(k / 16 % 16) as usize],
        ZH_EDITIONS[(k / 256) as usize]
    );
    match j / NAME_COMBINATIONS {
        0 => base,
        round => format!("{base} {}", round + 1),
    }
}

const CATEGORIES: [&str; 8] = [
    "ai",
    "analytics",
    "database",
    "devops",
    "security",
    "industry",
    "website",
    "enterprise",
];
const CURRENCIES: [&str; 3] = ["CNY", "USD", "EUR"];

/// A bench product's three states: lifecycle, visibility and the application it has (open, or
/// last decided as rejected).
type BenchState = (
    Lifecycle,
    Visibility,
    Option<(ApplicationKind, ApplicationStatus)>,
);

/// Roughly what a live marketplace holds: most products listed (some with a modification in
/// review), a quarter still drafts, a tenth in their first review, a tenth rejected.
fn pick_state(rng: &mut StdRng) -> BenchState {
    use ApplicationKind::{ProductModification, ProductRelease};
    match rng.gen_range(0..100) {
        0..=39 => (Lifecycle::Live, Visibility::Shown, None),
        40..=44 => (
            Lifecycle::Live,
            Visibility::Shown,
            Some((ProductModification, ApplicationStatus::Pending)),
        ),
        45..=69 => (Lifecycle::Draft, Visibility::Shown, None),
        70..=74 => (
            Lifecycle::Draft,
            Visibility::Shown,
            Some((ProductRelease, ApplicationStatus::Pending)),
        ),
        75..=79 => (
            Lifecycle::Draft,
            Visibility::Shown,
            Some((ProductRelease, ApplicationStatus::InReview)),
        ),
        80..=89 => (Lifecycle::Live, Visibility::Hidden, None),
        _ => (
            Lifecycle::Draft,
            Visibility::Shown,
            Some((ProductRelease, ApplicationStatus::Rejected)),
        ),
    }
}

fn billing_of(method: DeliveryMethod) -> BillingMode {
    match method {
        DeliveryMethod::Image | DeliveryMethod::Saas => BillingMode::YearlyMonthly,
        DeliveryMethod::License | DeliveryMethod::ProfessionalServices => BillingMode::OneTime,
        DeliveryMethod::ConsultingServices => BillingMode::PayPerUse,
    }
}

fn periods_of(billing: BillingMode) -> &'static [&'static str] {
    match billing {
        BillingMode::YearlyMonthly => &["month", "year"],
        BillingMode::OneTime => &["once"],
        BillingMode::PayPerUse => &["hour"],
    }
}

fn spec_name(method: DeliveryMethod) -> &'static str {
    match method {
        DeliveryMethod::Image => "Image subscription",
        DeliveryMethod::Saas => "Subscription",
        DeliveryMethod::License => "License",
        DeliveryMethod::ProfessionalServices => "Service package",
        DeliveryMethod::ConsultingServices => "Consulting hours",
    }
}

/// The SKUs of the one attribute "Edition": key and values as `sku_key` writes them.
const EDITIONS: [&str; 2] = [r#"["Basic"]"#, r#"["Pro"]"#];

/// A small editor form: only the fields a seller fills first; the rest default when read.
fn form_json(
    method: DeliveryMethod,
    name: &str,
    category: &str,
    currency: &str,
    overview: &str,
    introduction: &str,
) -> String {
    serde_json::json!({
        "delivery_method": method.as_str(),
        "name": name,
        "version": "2.4",
        "category": category,
        "currency": currency,
        "overview": overview,
        "introduction": introduction,
    })
    .to_string()
}

/// What a bench product's listed release shows: its working copy's texts and its rows' prices.
struct BenchProduct<'a> {
    method: DeliveryMethod,
    name: &'a str,
    category: &'a str,
    currency: &'a str,
    overview: &'a str,
    introduction: &'a str,
    /// (SKU position, period, amount in minor units).
    prices: &'a [(usize, &'static str, i64)],
}

/// The listed release of a bench product.
fn bench_release(
    p: &BenchProduct,
    group: &ServiceGroupRow,
) -> crate::models::product_release::ReleaseSnapshot {
    use crate::domain::pricing::{from_minor_units, Amount, PeriodKind, SkuPrices};
    use crate::domain::product::{Release, ReleaseSku, ReleaseSpec};
    use crate::domain::specification::EnumAttribute;
    use crate::models::product_release::{GroupSnapshot, ReleaseSnapshot};
    let skus = EDITIONS
        .iter()
        .enumerate()
        .map(|(position, key)| ReleaseSku {
            values: vec![["Basic", "Pro"][position].to_string()],
            key: key.to_string(),
            prices: SkuPrices {
                amounts: p
                    .prices
                    .iter()
                    .filter(|(at, _, _)| *at == position)
                    .map(|(_, period, minor)| {
                        let kind = match *period {
                            "month" => PeriodKind::Month,
                            "year" => PeriodKind::Year,
                            "once" => PeriodKind::Once,
                            _ => PeriodKind::Hour,
                        };
                        (kind, Amount::Flat(from_minor_units(*minor)))
                    })
                    .collect(),
            },
        })
        .collect();
    ReleaseSnapshot {
        release: Release {
            method: p.method,
            name: p.name.to_string(),
            version: "V2.4".into(),
            category: p.category.to_string(),
            currency: p.currency.to_string(),
            overview: p.overview.to_string(),
            introduction: p.introduction.to_string(),
            highlights: vec!["Synthetic benchmark product".into()],
            eula: "The benchmark's end-user license agreement.".into(),
            user_guide_url: "https://docs.bench.example/guide".into(),
            service_group_id: group.id,
            details: Vec::new(),
            specs: vec![ReleaseSpec {
                name: spec_name(p.method).to_string(),
                billing: billing_of(p.method),
                attributes: vec![EnumAttribute {
                    name: "edition".into(),
                    values: vec!["Basic".into(), "Pro".into()],
                }],
                quantity: None,
                skus,
                purchase_limit: None,
                regions: Vec::new(),
                trial_days: None,
            }],
            purchase_limit: None,
        },
        group: Some(GroupSnapshot {
            name: group.name.to_string(),
            phone: group.phone.clone(),
            email: group.email.clone(),
            service_days: group.service_days.to_string(),
            hours_start: group.hours_start.to_string(),
            hours_end: group.hours_end.to_string(),
        }),
    }
}

/// Next free ids: rows are written with explicit ids so children can point at parents without
/// a round trip per row.
struct NextIds {
    company: i64,
    group: i64,
    product: i64,
    specification: i64,
    sku: i64,
    release: i64,
    user: i64,
}

impl NextIds {
    fn read(conn: &mut DbConn) -> QueryResult<NextIds> {
        use diesel::dsl::max;
        Ok(NextIds {
            company: companies::table
                .select(max(companies::id))
                .first::<Option<i64>>(conn)?
                .unwrap_or(0)
                + 1,
            group: service_groups::table
                .select(max(service_groups::id))
                .first::<Option<i64>>(conn)?
                .unwrap_or(0)
                + 1,
            product: products::table
                .select(max(products::id))
                .first::<Option<i64>>(conn)?
                .unwrap_or(0)
                + 1,
            specification: specifications::table
                .select(max(specifications::id))
                .first::<Option<i64>>(conn)?
                .unwrap_or(0)
                + 1,
            sku: skus::table
                .select(max(skus::id))
                .first::<Option<i64>>(conn)?
                .unwrap_or(0)
                + 1,
            release: product_releases::table
                .select(max(product_releases::id))
                .first::<Option<i64>>(conn)?
                .unwrap_or(0)
                + 1,
            user: users::table
                .select(max(users::id))
                .first::<Option<i64>>(conn)?
                .unwrap_or(0)
                + 1,
        })
    }
}

/// The rows of one transaction's sellers.
#[derive(Default)]
struct Block<'a> {
    companies: Vec<CompanyRow>,
    users: Vec<UserRow<'a>>,
    groups: Vec<ServiceGroupRow>,
    products: Vec<ProductRow>,
    specifications: Vec<SpecificationRow>,
    skus: Vec<SkuRow>,
    prices: Vec<SkuPriceRow>,
    releases: Vec<ReleaseRow>,
    entries: Vec<EntryRow>,
    applications: Vec<ApplicationRow>,
}

impl<'a> Block<'a> {
    /// Seller number `n` (1-based, the email's number) with its company, group and products.
    fn add_seller(
        &mut self,
        n: u64,
        products_per_seller: u32,
        hash: &'a str,
        ids: &mut NextIds,
        now: PrimitiveDateTime,
    ) {
        // Seeded by the seller number, so the same command makes the same data every time.
        let mut rng = StdRng::seed_from_u64(n);
        let company_id = ids.company;
        ids.company += 1;
        let group_id = ids.group;
        ids.group += 1;
        let joined = now - time::Duration::days(rng.gen_range(800..1500));
        let legal_name = format!(
            "{} {} Software Ltd {n}",
            NAME_PREFIXES[rng.gen_range(0..16)],
            NAME_CORES[rng.gen_range(0..16)]
        );
        self.companies.push(CompanyRow {
            id: company_id,
            legal_name: Some(legal_name),
            registration_status: RegistrationStatus::Approved.as_str(),
            contact_name: Some(format!("Bench Contact {n}")),
            contact_phone: Some(format!("+86 755 {:04} {:04}", n / 10_000, n % 10_000)),
            contact_email: Some(format!("contact-{n}@bench.example")),
            presales_phone: Some(format!(
                "+86 400 {:03} {:04}",
                n / 10_000 % 1000,
                n % 10_000
            )),
            presales_email: Some(format!("presales-{n}@bench.example")),
            presales_address: Some(format!("{} Keji Road, Nanshan, Shenzhen", n % 900 + 1)),
            created_at: joined,
            updated_at: joined,
        });
        let user_id = ids.user;
        ids.user += 1;
        self.users.push(UserRow {
            id: user_id,
            email: seller_email(n),
            password_hash: hash,
            role: Role::Seller.as_str(),
            company_id: Some(company_id),
            created_at: joined,
            password_changed_at: joined,
        });
        self.groups.push(ServiceGroupRow {
            id: group_id,
            company_id,
            name: "Weekday support desk",
            phone: format!("+86 755 {:04} {:04}", n / 10_000 + 5000, n % 10_000),
            email: format!("support-{n}@bench.example"),
            service_days: "Mon,Tue,Wed,Thu,Fri",
            hours_start: "09:00",
            hours_end: "18:00",
            created_at: joined,
            updated_at: joined,
        });
        let name_start = rng.gen_range(0..NAME_COMBINATIONS);
        for j in 0..u64::from(products_per_seller) {
            let product_id = ids.product;
            ids.product += 1;
            let spec_id = ids.specification;
            ids.specification += 1;
            let method = DeliveryMethod::ALL[rng.gen_range(0..DeliveryMethod::ALL.len())];
            let (lifecycle, visibility, application) = pick_state(&mut rng);
            // A quarter of the products are written in Chinese.
            let chinese = rng.gen_range(0..4) == 0;
            let name = if chinese {
                zh_product_name(name_start, j)
            } else {
                product_name(name_start, j)
            };
            let (overview, introduction) = bench_texts(&mut rng, chinese, &name);
            let category = CATEGORIES[rng.gen_range(0..CATEGORIES.len())];
            let currency = CURRENCIES[rng.gen_range(0..CURRENCIES.len())];
            // Whole microseconds: what both backends store.
            let updated_at = now - time::Duration::seconds(rng.gen_range(60..730 * 86_400));
            let created_at = updated_at - time::Duration::seconds(rng.gen_range(0..90 * 86_400));
            let billing = billing_of(method);
            self.products.push(ProductRow {
                id: product_id,
                company_id,
                form: form_json(method, &name, category, currency, &overview, &introduction),
                name: name.clone(),
                delivery_method: method.as_str(),
                lifecycle,
                visibility,
                service_group_id: (lifecycle != Lifecycle::Draft || application.is_some())
                    .then_some(group_id),
                created_at,
                updated_at,
            });
            if let Some((kind, status)) = application {
                let decided = status == ApplicationStatus::Rejected;
                self.applications.push(ApplicationRow {
                    company_id,
                    kind,
                    subject: name.clone(),
                    status,
                    payload: "{}",
                    product_id: Some(product_id),
                    submitted_by: user_id,
                    submitted_at: updated_at,
                    due_date: updated_at.date() + time::Duration::days(5),
                    may_take_longer: false,
                    reviewer_id: None,
                    decided_at: decided.then_some(updated_at),
                    latest_comment: decided.then_some("The overview needs more detail."),
                    updated_at,
                    review_fields: None,
                    hidden_by_seller: false,
                });
            }
            self.specifications.push(SpecificationRow {
                id: spec_id,
                product_id,
                position: 0,
                name: spec_name(method),
                billing_mode: billing.as_str(),
                quantity_name: None,
                quantity_unit: None,
                quantity_min: None,
                quantity_max: None,
                quantity_step: None,
                quantity_pricing: None,
                currency,
            });
            let base_price: i64 = rng.gen_range(10..5_000) * 100 - 1;
            let mut release_prices: Vec<(usize, &'static str, i64)> = Vec::new();
            for (position, edition) in EDITIONS.iter().enumerate() {
                let sku_id = ids.sku;
                ids.sku += 1;
                self.skus.push(SkuRow {
                    id: sku_id,
                    specification_id: spec_id,
                    position: position as i32,
                    sku_key: edition,
                    attributes: edition,
                });
                // Pro costs three times Basic; a year costs ten months.
                let edition_price = base_price * (1 + 2 * position as i64);
                for period in periods_of(billing) {
                    let amount = if *period == "year" {
                        edition_price * 10
                    } else {
                        edition_price
                    };
                    release_prices.push((position, period, amount));
                    self.prices.push(SkuPriceRow {
                        sku_id,
                        period_kind: period,
                        amount_minor: Some(amount),
                        bands: None,
                    });
                }
            }
            if lifecycle == Lifecycle::Live {
                let release_id = ids.release;
                ids.release += 1;
                let product = BenchProduct {
                    method,
                    name: &name,
                    category,
                    currency,
                    overview: &overview,
                    introduction: &introduction,
                    prices: &release_prices,
                };
                let group = self
                    .groups
                    .last()
                    .expect("the seller's group is added first");
                let snapshot = bench_release(&product, group);
                self.releases.push(ReleaseRow {
                    id: release_id,
                    product_id,
                    number: 1,
                    application_id: None,
                    name: name.clone(),
                    snapshot: serde_json::to_string(&snapshot).unwrap_or_default(),
                    released_at: updated_at,
                });
                if visibility == Visibility::Shown {
                    let intro_text = crate::domain::search::html_text(&introduction);
                    self.entries.push(EntryRow {
                        product_id,
                        release_id,
                        company_id,
                        delivery_method: method.as_str(),
                        category,
                        name_terms: crate::domain::search::index_text(&[&name]),
                        body_terms: crate::domain::search::index_text(&[&overview, &intro_text]),
                        name,
                        overview,
                        listed_at: updated_at,
                    });
                }
            }
        }
    }

    fn insert(&self, conn: &mut DbConn) -> Result<(), AppError> {
        // Parents first: the foreign keys are checked row by row on SQLite.
        insert_in_chunks!(conn, companies::table, self.companies, COMPANY_COLUMNS);
        insert_in_chunks!(conn, users::table, self.users, USER_COLUMNS);
        insert_in_chunks!(
            conn,
            service_groups::table,
            self.groups,
            SERVICE_GROUP_COLUMNS
        );
        insert_in_chunks!(conn, products::table, self.products, PRODUCT_COLUMNS);
        insert_in_chunks!(
            conn,
            specifications::table,
            self.specifications,
            SPECIFICATION_COLUMNS
        );
        insert_in_chunks!(conn, skus::table, self.skus, SKU_COLUMNS);
        insert_in_chunks!(conn, sku_prices::table, self.prices, SKU_PRICE_COLUMNS);
        insert_in_chunks!(
            conn,
            product_releases::table,
            self.releases,
            RELEASE_COLUMNS
        );
        // The pointer closes the circle (product → release → product) once both rows exist.
        if let (Some(first), Some(last)) = (self.products.first(), self.products.last()) {
            diesel::update(
                products::table
                    .filter(products::id.between(first.id, last.id))
                    .filter(products::lifecycle.eq(Lifecycle::Live)),
            )
            .set(
                products::listed_release_id.eq(product_releases::table
                    .filter(product_releases::product_id.eq(products::id))
                    .select(product_releases::id.nullable())
                    .single_value()
                    .assume_not_null()
                    .nullable()),
            )
            .execute(conn)?;
        }
        insert_in_chunks!(conn, catalog_entries::table, self.entries, ENTRY_COLUMNS);
        insert_in_chunks!(
            conn,
            applications::table,
            self.applications,
            APPLICATION_COLUMNS
        );
        Ok(())
    }
}

fn marker(conn: &mut DbConn) -> QueryResult<Option<String>> {
    app_settings::table
        .filter(app_settings::name.eq(MARKER))
        .select(app_settings::value)
        .first(conn)
        .optional()
}

fn bench_seller_count(conn: &mut DbConn) -> QueryResult<i64> {
    users::table
        .filter(users::email.like("bench-seller-%@bench.example"))
        .count()
        .get_result(conn)
}

fn write_marker(conn: &mut DbConn, value: &str) -> Result<(), AppError> {
    write_transaction(conn, |conn| {
        // MultiConnection has no ON CONFLICT: replace by delete + insert in one transaction.
        diesel::delete(app_settings::table.filter(app_settings::name.eq(MARKER))).execute(conn)?;
        diesel::insert_into(app_settings::table)
            .values((app_settings::name.eq(MARKER), app_settings::value.eq(value)))
            .execute(conn)?;
        Ok(())
    })
}

/// PostgreSQL's sequences do not move when ids are given explicitly; SQLite's AUTOINCREMENT
/// counter does.
fn advance_sequences(conn: &mut DbConn) -> QueryResult<()> {
    if backend_of(conn) != Backend::Postgres {
        return Ok(());
    }
    for table in [
        "users",
        "companies",
        "service_groups",
        "products",
        "specifications",
        "skus",
        "product_releases",
    ] {
        conn.batch_execute(&format!(
            "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
             (SELECT COALESCE(MAX(id), 1) FROM {table}))"
        ))?;
    }
    Ok(())
}

fn print_login() {
    println!(
        "Sign in as bench seller #1: {}  password: {}",
        seller_email(1),
        BENCH_PASSWORD
    );
}

fn err(e: impl std::fmt::Display) -> anyhow::Error {
    anyhow::anyhow!("{e}")
}

/// `seller-console bench-data`: loads `sellers` approved companies, one seller each, and
/// `products_per_seller` products each with a specification, two SKUs and their prices.
pub fn bench_data(config: &Config, opts: &BenchOptions) -> anyhow::Result<()> {
    if opts.sellers == 0 || opts.products_per_seller == 0 {
        anyhow::bail!("--sellers and --products-per-seller must be at least 1");
    }
    let pool = crate::startup::prepare_tool_database(config)?;
    let mut conn = pool.get()?;
    let conn = &mut *conn;

    let existing = bench_seller_count(conn)?;
    let done = marker(conn)?;
    if existing > 0 && !opts.force {
        match done {
            Some(summary) if opts.if_missing => {
                println!("Bench data already loaded ({summary}); nothing to do.");
                print_login();
                return Ok(());
            }
            Some(summary) => anyhow::bail!(
                "the database already has bench data ({summary}); pass --force to add more sellers"
            ),
            None => anyhow::bail!(
                "the database has {existing} bench sellers but no completion mark: an earlier \
                 load was interrupted; start again on a fresh database"
            ),
        }
    }

    let backend = backend_of(conn);
    // Speed over durability for this connection only: a crash mid-load means starting over
    // anyway, and the marker is written last.
    match backend {
        Backend::Sqlite => conn.batch_execute(
            "PRAGMA synchronous = OFF; PRAGMA cache_size = -262144; PRAGMA temp_store = MEMORY;",
        )?,
        // The trigram index is built once after the load (as `CREATE INDEX` on a live table
        // would be), not row by row: the same definition as migration 000007's.
        Backend::Postgres => conn.batch_execute(
            "SET synchronous_commit = off; DROP INDEX IF EXISTS catalog_entries_terms;",
        )?,
    }

    let total_products = u64::from(opts.sellers) * u64::from(opts.products_per_seller);
    println!(
        "Loading {} sellers x {} products = {} products (with specifications, SKUs, prices) \
         into {:?}…",
        opts.sellers, opts.products_per_seller, total_products, backend
    );
    // One hash for every seller: argon2 is deliberately slow, and 10 000 of them would take
    // longer than the rest of the load.
    let hash = password::hash(BENCH_PASSWORD)?;
    let now = db::now();
    let started = Instant::now();
    let mut ids = NextIds::read(conn)?;
    let first = u64::try_from(existing).unwrap_or(0) + 1;
    let mut loaded: u64 = 0;
    let mut reported_tenth = 0;
    let mut offset = 0u32;
    while offset < opts.sellers {
        let count = SELLERS_PER_TRANSACTION.min(opts.sellers - offset);
        let mut block = Block::default();
        for i in 0..count {
            block.add_seller(
                first + u64::from(offset + i),
                opts.products_per_seller,
                &hash,
                &mut ids,
                now,
            );
        }
        write_transaction(conn, |c| block.insert(c)).map_err(err)?;
        offset += count;
        loaded += block.products.len() as u64;
        let tenth = loaded * 10 / total_products;
        if tenth > reported_tenth || offset == opts.sellers {
            reported_tenth = tenth;
            let secs = started.elapsed().as_secs_f64();
            println!(
                "  {loaded:>9} / {total_products} products, {offset} sellers, {secs:.1} s \
                 ({:.0} products/s)",
                loaded as f64 / secs.max(0.001)
            );
        }
    }
    advance_sequences(conn)?;
    let load_secs = started.elapsed().as_secs_f64();

    let finishing = Instant::now();
    match backend {
        // Make the file hold everything, so its size is the dataset's size. No ANALYZE: the
        // app never runs it, so the benchmark sees the plans a real deployment gets.
        // The full-text index's segments are merged, as its automatic merging would do over time.
        Backend::Sqlite => conn.batch_execute(
            "INSERT INTO catalog_search(catalog_search) VALUES ('optimize'); \
             PRAGMA wal_checkpoint(TRUNCATE);",
        )?,
        // Autovacuum would analyse the new rows within minutes in production; do it now.
        Backend::Postgres => conn.batch_execute(
            "SET maintenance_work_mem = '512MB'; \
             CREATE INDEX IF NOT EXISTS catalog_entries_terms ON catalog_entries \
             USING gin ((name_terms || body_terms) gin_trgm_ops); ANALYZE;",
        )?,
    }
    let sellers_now = bench_seller_count(conn)?;
    let summary = format!(
        "{sellers_now} bench sellers, {} products per seller in the last load, loaded {}",
        opts.products_per_seller,
        crate::web::format_time(&now)
    );
    write_marker(conn, &summary).map_err(err)?;
    println!(
        "Loaded {loaded} products of {} sellers in {load_secs:.1} s (+{:.1} s to finish).",
        opts.sellers,
        finishing.elapsed().as_secs_f64()
    );
    print_login();
    Ok(())
}

/// The ceiling page's body, built once per process; `None` unless `BENCH_CEILING_BYTES` is set.
static CEILING: Lazy<Option<web::Bytes>> = Lazy::new(|| {
    let raw = std::env::var("BENCH_CEILING_BYTES")
        .ok()
        .filter(|v| !v.trim().is_empty())?;
    match raw.trim().parse::<usize>() {
        Ok(n) if n <= MAX_CEILING_BYTES => Some(web::Bytes::from(ceiling_page(n))),
        _ => {
            tracing::warn!(
                "BENCH_CEILING_BYTES={raw:?} is not a size up to {MAX_CEILING_BYTES} bytes; \
                 /bench/ceiling stays off"
            );
            None
        }
    }
});

const MAX_CEILING_BYTES: usize = 16 * 1024 * 1024;

/// An HTML page of exactly `bytes` bytes, shaped like a list page (so nothing compresses it
/// differently, should compression ever be added).
fn ceiling_page(bytes: usize) -> String {
    const HEAD: &str = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
                        <title>Benchmark ceiling</title></head><body><table>\n";
    const ROW: &str = "<tr><td><a href=\"/console/products/1/edit\">Cloud Backup Server</a>\
                       </td><td>Listed</td><td>SaaS</td></tr>\n";
    const TAIL: &str = "</table></body></html>\n";
    if bytes < HEAD.len() + TAIL.len() {
        return " ".repeat(bytes);
    }
    let mut page = String::with_capacity(bytes);
    page.push_str(HEAD);
    while page.len() + ROW.len() + TAIL.len() <= bytes {
        page.push_str(ROW);
    }
    let padding = bytes - page.len() - TAIL.len();
    page.push_str(&" ".repeat(padding));
    page.push_str(TAIL);
    page
}

async fn ceiling(body: web::Data<web::Bytes>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(body.get_ref().clone())
}

/// Registers `GET /bench/ceiling` only when `BENCH_CEILING_BYTES` asks for it: no database, no
/// session, the same middleware as every page.
pub fn configure(cfg: &mut web::ServiceConfig) {
    if let Some(body) = CEILING.as_ref() {
        cfg.service(
            web::resource("/bench/ceiling")
                .app_data(web::Data::new(body.clone()))
                .route(web::get().to(ceiling)),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::product::ProductForm;

    #[test]
    fn ceiling_page_has_exactly_the_asked_size() {
        for n in [0, 10, 150, 151, 4_096, 38_517, 100_000] {
            assert_eq!(ceiling_page(n).len(), n, "size {n}");
        }
    }

    #[test]
    fn product_names_are_unique_within_a_seller() {
        for start in [0, 17, 2047] {
            let names: std::collections::HashSet<String> =
                (0..5_000).map(|j| product_name(start, j)).collect();
            assert_eq!(names.len(), 5_000);
        }
    }

    #[test]
    fn product_names_fit_the_name_limit() {
        assert!((0..4_096)
            .map(|j| product_name(0, j))
            .all(|n| n.chars().count() <= 60));
    }

    #[test]
    fn the_stored_form_opens_in_the_editor() {
        let json = form_json(
            DeliveryMethod::Saas,
            "Cloud \"Sync\" Pro",
            "ai",
            "USD",
            "Sync files.",
            "<p>Sync</p>",
        );
        let form: ProductForm = serde_json::from_str(&json).unwrap();
        assert_eq!(form.name, "Cloud \"Sync\" Pro");
        assert_eq!(form.delivery_method, "saas");
        assert!(form.specs.is_empty());
    }

    #[test]
    fn a_block_links_children_to_their_parents() {
        let mut ids = NextIds {
            company: 5,
            group: 7,
            product: 11,
            specification: 13,
            sku: 17,
            release: 19,
            user: 23,
        };
        let mut block = Block::default();
        let now = db::now();
        block.add_seller(1, 3, "hash", &mut ids, now);
        block.add_seller(2, 3, "hash", &mut ids, now);
        assert_eq!(block.companies.len(), 2);
        assert_eq!(block.products.len(), 6);
        assert_eq!(block.specifications.len(), 6);
        assert_eq!(block.skus.len(), 12);
        assert!(block
            .products
            .iter()
            .all(|p| p.company_id == 5 || p.company_id == 6));
        assert!(block
            .specifications
            .iter()
            .all(|s| (11..17).contains(&s.product_id)));
        assert!(block
            .skus
            .iter()
            .all(|s| (13..19).contains(&s.specification_id)));
        assert!(block.prices.iter().all(|p| (17..29).contains(&p.sku_id)));
        assert_eq!(ids.company, 7);
        assert_eq!(ids.sku, 29);
        assert_eq!(block.users[1].email, "bench-seller-2@bench.example");
    }
}
