//! Demo data: on an empty database, one of each thing the console has, so a newcomer sees it
//! all at once. Grows with every feature.

use diesel::prelude::*;

use crate::applications::{NewApplication, Payload, SubmitOutcome};
use crate::auth::password;
use crate::db::schema::{companies, outbox};
use crate::db::{self, write_transaction, DbConn};
use crate::domain::product::{AttributeForm, PriceForm, ProductForm, ReleaseContext, SpecForm};
use crate::domain::registration::RegistrationForm;
use crate::domain::statuses::{BillingMode, DeliveryMethod, UploadKind, Visibility};
use crate::domain::statuses::{OutboxStatus, RegistrationStatus, Role};
use crate::domain::support::{BusinessContactForm, ServiceGroupForm};
use crate::domain::working_days::review_due_date;
use crate::error::AppError;
use crate::models::company::Company;
use crate::models::release::{submit_release, ReleaseOutcome};
use crate::models::service_group;
use crate::models::user::{NewUser, User};
use crate::models::{product, upload};

pub struct DemoLogin {
    pub role: &'static str,
    pub email: &'static str,
    pub password: &'static str,
    pub note: &'static str,
}

pub const DEMO_LOGINS: [DemoLogin; 5] = [
    DemoLogin {
        role: "seller",
        email: "seller@demo.example",
        password: "demo-seller-2026",
        note: "approved seller: products in every state (draft, in review, listed, modification in review, hidden, rejected, removed), service groups, a contact change under review",
    },
    DemoLogin {
        role: "seller",
        email: "newseller@demo.example",
        password: "demo-seller-2026",
        note: "company registration awaiting review",
    },
    DemoLogin {
        role: "operator",
        email: "operator@demo.example",
        password: "demo-operator-2026",
        note: "operations staff",
    },
    DemoLogin {
        role: "seller",
        email: "catalog@demo.example",
        password: "demo-seller-2026",
        note: "approved seller whose listed products, in English and Chinese, fill the catalog; reads the console in Chinese (zh-CN, Asia/Shanghai)",
    },
    DemoLogin {
        role: "buyer",
        email: "buyer@demo.example",
        password: "demo-buyer-2026",
        note: "buyer: orders of the catalog's products awaiting payment, paid, completed and cancelled, this month and last",
    },
];

pub fn has_demo_data(conn: &mut DbConn) -> Result<bool, AppError> {
    User::email_taken(conn, DEMO_LOGINS[0].email)
}

pub fn is_empty(conn: &mut DbConn) -> Result<bool, AppError> {
    use crate::db::schema::users;
    let n: i64 = users::table.count().get_result(conn)?;
    Ok(n == 0)
}

fn create_user(
    conn: &mut DbConn,
    login: &DemoLogin,
    company_id: Option<i64>,
) -> Result<i64, AppError> {
    let hash = password::hash(login.password)?;
    let now = db::now();
    User::insert(
        conn,
        &NewUser {
            email: login.email,
            password_hash: &hash,
            role: match login.role {
                "operator" => Role::Operator.as_str(),
                "buyer" => Role::Buyer.as_str(),
                _ => Role::Seller.as_str(),
            },
            company_id,
            created_at: now,
            password_changed_at: now,
        },
    )
}

fn registration_form(name: &str, region: &str) -> RegistrationForm {
    RegistrationForm {
        legal_name: name.into(),
        country_region: region.into(),
        established_on: "2019-03-18".into(),
        licence_number: "91440300MA5F2K8X1Q".into(),
        offerings: vec![
            "saas".into(),
            "images".into(),
            "professional_services".into(),
        ],
        tax_number: "TX-4403-0087".into(),
        bank_name: "Demo Commercial Bank".into(),
        bank_account_name: name.into(),
        bank_account_number: "6222 0212 3456 7890".into(),
        presales_staff: "4".into(),
        aftersales_staff: "6".into(),
        support_days: ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
            .map(String::from)
            .to_vec(),
        support_start: "08:30".into(),
        support_end: "20:30".into(),
        contact_name: "Lin Chen".into(),
        contact_email: "lin.chen@demo.example".into(),
        agreement: "accepted".into(),
    }
}

fn submit_registration(
    conn: &mut DbConn,
    company_id: i64,
    user_id: i64,
    form: RegistrationForm,
    holidays: &[time::Date],
) -> Result<i64, AppError> {
    let now = db::now();
    let registration = form
        .check(now.date(), &crate::web::format_time(&now))
        .map_err(|e| AppError::Internal(anyhow::anyhow!("demo registration invalid: {e:?}")))?;
    let outcome = crate::applications::submit(
        conn,
        NewApplication {
            company_id,
            subject: &registration.legal_name,
            payload: &Payload::Registration(registration.clone()),
            product_id: None,
            submitted_by: user_id,
            due_date: review_due_date(
                crate::domain::working_days::review_day(
                    now,
                    &crate::i18n::zone::Zone::review_default(),
                ),
                holidays,
            ),
            may_take_longer: false,
        },
    )?;
    match outcome {
        SubmitOutcome::Submitted(id) => Ok(id),
        SubmitOutcome::AlreadyOpen(a) => Ok(a.id),
    }
}

/// Loads the demo data in one transaction; does nothing if the demo seller exists.
/// `base_url` is where the decision emails' links point.
pub fn seed_demo(
    conn: &mut DbConn,
    holidays: &[time::Date],
    base_url: &str,
) -> Result<bool, AppError> {
    if has_demo_data(conn)? {
        return Ok(false);
    }
    write_transaction(conn, |conn| {
        let operator_id = create_user(conn, &DEMO_LOGINS[2], None)?;

        // An approved seller: registration decided, contact and pre-sales info in force.
        let company_id = Company::create_unregistered(conn)?;
        let seller_id = create_user(conn, &DEMO_LOGINS[0], Some(company_id))?;
        let name = "Demo Cloud Software Ltd";
        let reg_id = submit_registration(
            conn,
            company_id,
            seller_id,
            registration_form(name, "CN"),
            holidays,
        )?;
        // Decided through the review code, so the message center and the outbox have the mail.
        decide(
            conn,
            reg_id,
            operator_id,
            true,
            "License, tax and bank details certified.",
            &[],
            base_url,
        )?;
        let now = db::now();
        diesel::update(companies::table.find(company_id))
            .set((
                companies::contact_name.eq(Some("Lin Chen")),
                companies::contact_phone.eq(Some("+86 755 2878 0808")),
                companies::contact_email.eq(Some("lin.chen@demo.example")),
                companies::presales_phone.eq(Some("+86 400 830 8300")),
                companies::presales_email.eq(Some("presales@demo.example")),
                companies::presales_address.eq(Some("88 Keji Road, Nanshan, Shenzhen")),
                companies::updated_at.eq(now),
            ))
            .execute(conn)?;
        for (group_name, phone, email, days, start, end) in [
            (
                "Weekday support desk",
                "+86 755 2878 0810",
                "support@demo.example",
                "Mon,Tue,Wed,Thu,Fri",
                "09:00",
                "18:00",
            ),
            (
                "24x7 hotline",
                "+86 400 830 8310",
                "hotline@demo.example",
                "Mon,Tue,Wed,Thu,Fri,Sat,Sun",
                "00:00",
                "24:00",
            ),
        ] {
            let group = ServiceGroupForm::from_stored(group_name, phone, email, days, start, end)
                .check()
                .map_err(|e| AppError::Internal(anyhow::anyhow!("demo group invalid: {e:?}")))?;
            service_group::add(conn, company_id, &group)?;
        }
        let change = BusinessContactForm {
            contact_name: "Wei Zhang".into(),
            contact_phone: "+86 755 2878 0999".into(),
            contact_email: "wei.zhang@demo.example".into(),
        };
        let contact_change = crate::applications::submit(
            conn,
            NewApplication {
                company_id,
                subject: "Wei Zhang",
                payload: &Payload::BusinessContactChange(change.clone()),
                product_id: None,
                submitted_by: seller_id,
                due_date: review_due_date(
                    crate::domain::working_days::review_day(
                        now,
                        &crate::i18n::zone::Zone::review_default(),
                    ),
                    holidays,
                ),
                may_take_longer: false,
            },
        )?;

        seed_products(conn, company_id, seller_id, operator_id, holidays, base_url)?;
        // The operator has claimed the contact change: it shows as In review on both sides.
        if let SubmitOutcome::Submitted(id) = contact_change {
            crate::applications::claim(conn, id, operator_id)?;
        }
        // The registration's message has been read; the product decisions are unread.
        let first = crate::models::message::page(conn, company_id, false, 1)?
            .0
            .into_iter()
            .last();
        if let Some(m) = first {
            crate::models::message::mark_read(conn, company_id, Some(m.id))?;
        }

        // The registration's mail bounced at the demo's (imaginary) mail server: /ops/outbox
        // shows a failed message an operator can retry; the product decisions' mail is queued.
        diesel::update(outbox::table.filter(outbox::application_id.eq(reg_id)))
            .set((
                outbox::status.eq(OutboxStatus::Failed.as_str()),
                outbox::attempts.eq(outbox::max_attempts),
                outbox::last_error.eq(Some(
                    "554 5.7.1 demo: the receiving server refused the message",
                )),
                outbox::updated_at.eq(now),
            ))
            .execute(conn)?;

        // A new seller whose registration awaits review.
        let new_company = Company::create_unregistered(conn)?;
        let new_seller = create_user(conn, &DEMO_LOGINS[1], Some(new_company))?;
        submit_registration(
            conn,
            new_company,
            new_seller,
            registration_form("Northwind Data Services Pte Ltd", "SG"),
            holidays,
        )?;
        Company::set_registration_status(conn, new_company, RegistrationStatus::Pending)?;

        seed_catalog(conn, operator_id, holidays, base_url)?;
        seed_orders(conn, operator_id, base_url)?;
        Ok(true)
    })
}

/// The catalog seller's listed products: (method, category, name, overview, introduction).
const CATALOG: &[(DeliveryMethod, &str, &str, &str, &str)] = &[
    (DeliveryMethod::Saas, "ai", "Vision Inspect", "Finds defects on production lines from camera images.", "<p>Upload images or connect cameras; <strong>Vision Inspect</strong> flags scratches, dents and missing parts in real time.</p>"),
    (DeliveryMethod::Saas, "ai", "智能客服机器人", "基于大模型的智能客服，7x24小时自动回答客户问题。", "<p>支持网站、小程序和企业微信接入，自动识别意图并转人工。</p>"),
    (DeliveryMethod::Saas, "analytics", "Stream Metrics", "Real-time dashboards over event streams, no warehouse needed.", "<p>Ingest events from Kafka or HTTP and chart them within seconds.</p>"),
    (DeliveryMethod::Saas, "analytics", "数据可视化大屏", "拖拽式数据大屏设计器，连接主流数据库即可展示实时报表。", "<p>内置上百种图表组件，适用于运营监控和指挥中心。</p>"),
    (DeliveryMethod::Image, "database", "PostgreSQL 16 Server", "A tuned PostgreSQL 16 image with backups and monitoring configured.", "<p>Ready for production: WAL archiving, pgBackRest and a metrics exporter.</p>"),
    (DeliveryMethod::Image, "database", "分布式数据库镜像", "一键部署的分布式数据库集群镜像，支持弹性扩容。", "<p>预装监控与备份工具，适合高并发交易业务。</p>"),
    (DeliveryMethod::Image, "devops", "GitLab Runner Image", "CI runners with Docker and caches preinstalled.", "<p>Register the runner with one command and start building.</p>"),
    (DeliveryMethod::Image, "devops", "容器镜像仓库", "企业级私有容器镜像仓库，支持漏洞扫描与镜像同步。", "<p>兼容 Docker 与 OCI 标准，支持多地域复制。</p>"),
    (DeliveryMethod::Image, "security", "Web Application Firewall", "Blocks SQL injection, XSS and bots in front of your sites.", "<p>OWASP rule sets, rate limiting and a dashboard of blocked attacks.</p>"),
    (DeliveryMethod::License, "security", "Endpoint Guard", "Antivirus and device control for Windows and Linux desktops.", "<p>Central console, offline updates and ransomware rollback.</p>"),
    (DeliveryMethod::License, "security", "数据安全网关", "数据库审计与脱敏网关，满足等保合规要求。", "<p>实时审计数据库访问，敏感数据自动脱敏。</p>"),
    (DeliveryMethod::License, "enterprise", "Office Suite Server", "Documents, spreadsheets and slides on your own servers.", "<p>Collaborative editing in the browser, compatible with common file formats.</p>"),
    (DeliveryMethod::License, "enterprise", "协同办公平台", "集成审批、考勤、公告和文档的一站式协同办公软件。", "<p>支持移动端，与企业微信和钉钉打通。</p>"),
    (DeliveryMethod::Saas, "enterprise", "HR Cloud", "Hiring, onboarding, payroll and leave in one place.", "<p>Payroll for 30 countries, self-service for employees.</p>"),
    (DeliveryMethod::Saas, "website", "Site Builder Pro", "Build a responsive company website without code.", "<p>Templates, forms, a blog and search engine settings included.</p>"),
    (DeliveryMethod::Saas, "website", "电商小程序商城", "快速搭建电商小程序，支持会员、优惠券和分销。", "<p>对接主流支付方式，提供订单与库存管理。</p>"),
    (DeliveryMethod::ProfessionalServices, "website", "Website Building Service", "We design and build your website in four weeks.", "<p>From design to launch, with content migration and training.</p>"),
    (DeliveryMethod::ProfessionalServices, "database", "数据库迁移服务", "将自建数据库平滑迁移上云，停机时间最短。", "<p>评估、迁移、校验一站式服务，支持主流数据库。</p>"),
    (DeliveryMethod::ProfessionalServices, "devops", "Kubernetes Setup", "A production Kubernetes cluster, set up and handed over.", "<p>Networking, storage, monitoring and a runbook for your team.</p>"),
    (DeliveryMethod::ProfessionalServices, "security", "等保测评咨询实施", "协助企业完成网络安全等级保护测评与整改。", "<p>差距分析、整改方案和测评陪同。</p>"),
    (DeliveryMethod::Saas, "industry", "Fleet Tracker", "Live positions, routes and fuel use of your vehicles.", "<p>Works with common GPS devices; alerts for idling and speeding.</p>"),
    (DeliveryMethod::Saas, "industry", "智慧工厂管理系统", "生产计划、设备监控和质量追溯的制造执行系统。", "<p>连接物联网设备，实时掌握车间状态。</p>"),
    (DeliveryMethod::ConsultingServices, "ai", "AI Strategy Workshop", "Two days to find where AI pays off in your business.", "<p>Use-case mapping, data readiness and a roadmap.</p>"),
    (DeliveryMethod::ConsultingServices, "analytics", "数据治理咨询", "梳理数据资产，建立数据标准与治理体系。", "<p>数据盘点、标准制定和平台选型建议。</p>"),
    (DeliveryMethod::Image, "analytics", "Spark Notebook Image", "Jupyter and Spark, ready for data science.", "<p>Python 3.12, PySpark and common libraries preinstalled.</p>"),
    (DeliveryMethod::License, "devops", "Log Center", "Collect, search and alert on logs from every server.", "<p>Full-text search over terabytes of logs with retention policies.</p>"),
];

/// An approved seller with the catalog's demo products: listed through the review code, so
/// each has its release, its catalog entry and its decision message.
fn seed_catalog(
    conn: &mut DbConn,
    operator_id: i64,
    holidays: &[time::Date],
    base_url: &str,
) -> Result<(), AppError> {
    let company_id = Company::create_unregistered(conn)?;
    let seller_id = create_user(conn, &DEMO_LOGINS[3], Some(company_id))?;
    // This seller reads the console, its messages and its emails in Chinese, in Beijing time.
    User::set_preferences(conn, seller_id, Some("zh-CN"), Some("Asia/Shanghai"))?;
    let mut form = registration_form("Shenzhen Yunfan Software Co., Ltd.", "CN");
    form.contact_name = "Wang Fang".into();
    form.contact_email = "wang.fang@demo.example".into();
    let reg_id = submit_registration(conn, company_id, seller_id, form, holidays)?;
    decide(conn, reg_id, operator_id, true, "Certified.", &[], base_url)?;
    let group = ServiceGroupForm::from_stored(
        "Service desk",
        "+86 755 8888 6000",
        "service@yunfan.demo.example",
        "Mon,Tue,Wed,Thu,Fri",
        "09:00",
        "18:00",
    )
    .check()
    .map_err(|e| AppError::Internal(anyhow::anyhow!("demo group invalid: {e:?}")))?;
    service_group::add(conn, company_id, &group)?;
    let seller = DemoSeller::new(conn, company_id, seller_id, holidays)?;
    let group_id = seller.group_id();
    for (method, category, name, overview, introduction) in CATALOG {
        let mut form = demo_form(*method, name, group_id);
        form.category = category.to_string();
        form.overview = overview.to_string();
        form.introduction = introduction.to_string();
        let id = seller.draft(conn, &form, *method)?;
        if let Some(app_id) = seller.submit(conn, id, &form)? {
            decide(
                conn,
                app_id,
                operator_id,
                true,
                "Meets the release requirements.",
                &[],
                base_url,
            )?;
        }
    }
    Ok(())
}

/// A demo seller's products are made as the seller would make them: a saved draft with a
/// logo, then a release that passes the checks.
struct DemoSeller {
    company_id: i64,
    seller_id: i64,
    groups: Vec<service_group::ServiceGroupRow>,
    logo: Vec<u8>,
    now: time::PrimitiveDateTime,
    due: time::Date,
}

impl DemoSeller {
    fn new(
        conn: &mut DbConn,
        company_id: i64,
        seller_id: i64,
        holidays: &[time::Date],
    ) -> Result<DemoSeller, AppError> {
        let now = db::now();
        Ok(DemoSeller {
            company_id,
            seller_id,
            groups: service_group::list_for_company(conn, company_id)?,
            logo: demo_logo()?,
            now,
            due: review_due_date(
                crate::domain::working_days::review_day(
                    now,
                    &crate::i18n::zone::Zone::review_default(),
                ),
                holidays,
            ),
        })
    }

    fn group_id(&self) -> i64 {
        self.groups.first().map(|g| g.id).unwrap_or_default()
    }

    /// A saved draft with the demo logo.
    fn draft(
        &self,
        conn: &mut DbConn,
        form: &ProductForm,
        method: DeliveryMethod,
    ) -> Result<i64, AppError> {
        let id = product::create_draft(conn, self.company_id, form, method)?;
        product::save_form(conn, self.company_id, id, form)?;
        upload::store(
            conn,
            upload::NewUpload {
                company_id: self.company_id,
                product_id: id,
                kind: UploadKind::Logo,
                filename: "logo.png",
                content_type: "image/png",
                data: &self.logo,
            },
        )?;
        Ok(id)
    }

    /// Submits the draft for release; the application's id, unless one was already open.
    fn submit(
        &self,
        conn: &mut DbConn,
        id: i64,
        form: &ProductForm,
    ) -> Result<Option<i64>, AppError> {
        let ctx = ReleaseContext {
            other_names: product::other_names(conn, self.company_id, id)?,
            groups: self.groups.iter().map(|g| (g.id, g.hours())).collect(),
            has_logo: true,
            regions: crate::domain::offer::default_regions(),
            removed_skus: Vec::new(),
        };
        let release = form.check_release(&ctx).map_err(|e| {
            AppError::Internal(anyhow::anyhow!("demo product {} invalid: {e:?}", form.name))
        })?;
        let outcome = submit_release(
            conn,
            self.company_id,
            self.seller_id,
            id,
            &release,
            self.now,
            self.due,
        )?;
        Ok(match outcome {
            ReleaseOutcome::Submitted { id, .. } => Some(id),
            _ => None,
        })
    }
}

/// A 120×120 PNG in the marketplace's red, as the demo products' logo.
fn demo_logo() -> Result<Vec<u8>, AppError> {
    let img = image::RgbaImage::from_fn(120, 120, |x, y| {
        if (x / 20 + y / 20) % 2 == 0 {
            image::Rgba([199, 0, 11, 255])
        } else {
            image::Rgba([255, 255, 255, 255])
        }
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("demo logo: {e}")))?;
    Ok(out.into_inner())
}

fn demo_form(method: DeliveryMethod, name: &str, group: i64) -> ProductForm {
    let mut f = ProductForm::new_for(method);
    f.name = name.into();
    f.version = "V2.1".into();
    f.category = "devops".into();
    f.overview = format!("{name}: ready in minutes, supported by our own engineers.");
    f.introduction = format!("<p><strong>{name}</strong> is built for teams that run production workloads in the cloud.</p><ul><li>Set up in minutes</li><li>24x7 hotline</li></ul>");
    f.highlights = "Set up in minutes\nSupported by the vendor".into();
    f.eula = "The licensee may use the software for its own business under these terms.".into();
    f.user_guide_url = "https://docs.demo.example/guide".into();
    f.service_group_id = group.to_string();
    match method {
        DeliveryMethod::Image => {
            f.image_os = "Ubuntu 22.04".into();
            f.image_architecture = "x86_64".into();
            f.image_reference = "img-hardened-ubuntu-2204".into();
        }
        DeliveryMethod::Saas => {
            f.saas_url = "https://backup.demo.example".into();
        }
        DeliveryMethod::License => {
            f.license_type = "perpetual".into();
            f.license_delivery = "license_key".into();
        }
        DeliveryMethod::ProfessionalServices => {
            f.ps_flow_template = "standard".into();
            f.ps_delivery_days = "14".into();
        }
        DeliveryMethod::ConsultingServices => {
            f.consulting_scope = "Architecture review of your cloud estate.".into();
            f.consulting_duration = "2 weeks".into();
            f.consulting_url = "https://demo.example/consulting".into();
        }
    }
    let spec = |name: &str, billing: BillingMode| SpecForm {
        name: name.into(),
        billing: billing.as_str().into(),
        ..SpecForm::default()
    };
    f.specs = match method {
        DeliveryMethod::Saas => {
            let mut s = spec("Standard", BillingMode::YearlyMonthly);
            s.attributes = vec![AttributeForm {
                name: "edition".into(),
                values: "Basic, Pro".into(),
            }];
            s.qname = "users".into();
            s.qunit = "user".into();
            s.qmin = "1".into();
            s.qmax = "500".into();
            s.qstep = "1".into();
            s.qpricing = "linear".into();
            s.prices = vec![
                PriceForm {
                    key: r#"["Basic"]"#.into(),
                    month: "8".into(),
                    year: "80".into(),
                    ..PriceForm::default()
                },
                PriceForm {
                    key: r#"["Pro"]"#.into(),
                    month: "15.50".into(),
                    year: "155".into(),
                    ..PriceForm::default()
                },
            ];
            // A free trial for two weeks, once per buyer.
            let mut trial = spec("Free trial", BillingMode::OneTime);
            trial.trial_days = "14".into();
            vec![s, trial]
        }
        DeliveryMethod::Image => {
            let mut s = spec("4 vCPUs | 8 GiB", BillingMode::PayPerUse);
            // Sold in two regions only.
            s.regions = vec!["cn".into(), "sg".into()];
            s.regions_set = "1".into();
            s.prices = vec![PriceForm {
                key: "[]".into(),
                hour: "0.35".into(),
                ..PriceForm::default()
            }];
            let mut large = spec("8 vCPUs | 16 GiB", BillingMode::PayPerUse);
            large.prices = vec![PriceForm {
                key: "[]".into(),
                hour: "0.68".into(),
                ..PriceForm::default()
            }];
            vec![s, large]
        }
        DeliveryMethod::License => {
            let mut s = spec("Perpetual", BillingMode::OneTime);
            s.limit = "once".into();
            s.prices = vec![PriceForm {
                key: "[]".into(),
                once: "1999".into(),
                ..PriceForm::default()
            }];
            vec![s]
        }
        DeliveryMethod::ProfessionalServices => {
            let mut s = spec("Migration", BillingMode::OneTime);
            s.qname = "databases".into();
            s.qunit = "database".into();
            s.qmin = "1".into();
            s.qmax = "100".into();
            s.qstep = "1".into();
            s.qpricing = "tiered".into();
            s.prices = vec![PriceForm {
                key: "[]".into(),
                once: "1-10: 500\n10-: 400".into(),
                ..PriceForm::default()
            }];
            vec![s]
        }
        DeliveryMethod::ConsultingServices => Vec::new(),
    };
    f
}

/// Where a demo product is left.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Demo {
    Draft,
    InReview,
    Listed,
    Rejected,
    Hidden,
}

/// Products in every state the console knows: draft, in review, listed, rejected, hidden.
fn seed_products(
    conn: &mut DbConn,
    company_id: i64,
    seller_id: i64,
    operator_id: i64,
    holidays: &[time::Date],
    base_url: &str,
) -> Result<(), AppError> {
    let seller = DemoSeller::new(conn, company_id, seller_id, holidays)?;
    let group = seller.group_id();
    let plan = [
        (DeliveryMethod::Saas, "Cloud Backup Suite", Demo::InReview),
        (
            DeliveryMethod::Image,
            "Hardened Ubuntu Server",
            Demo::Listed,
        ),
        (
            DeliveryMethod::ProfessionalServices,
            "Database Migration Service",
            Demo::Rejected,
        ),
        (DeliveryMethod::License, "Secure File Gateway", Demo::Hidden),
        (
            DeliveryMethod::ConsultingServices,
            "Cloud Architecture Review",
            Demo::Draft,
        ),
    ];
    for (method, name, status) in plan {
        let form = demo_form(method, name, group);
        let id = seller.draft(conn, &form, method)?;
        if status == Demo::Draft {
            continue;
        }
        let Some(app_id) = seller.submit(conn, id, &form)? else {
            continue;
        };
        match status {
            Demo::Listed => {
                decide(
                    conn,
                    app_id,
                    operator_id,
                    true,
                    "Meets the release requirements.",
                    &[],
                    base_url,
                )?;
            }
            Demo::Hidden => {
                decide(
                    conn,
                    app_id,
                    operator_id,
                    true,
                    "Meets the release requirements.",
                    &[],
                    base_url,
                )?;
                crate::models::visibility::set_product(
                    conn,
                    company_id,
                    id,
                    seller_id,
                    Visibility::Hidden,
                )?;
            }
            Demo::Rejected => {
                decide(
                    conn,
                    app_id,
                    operator_id,
                    false,
                    "The average delivery duration needs a breakdown per database; see the release requirements.",
                    &["ps_delivery_days", "introduction"],
                    base_url,
                )?;
            }
            _ => {}
        }
    }
    seed_product_lives(conn, &seller, operator_id, base_url)?;
    // An empty draft, as a seller leaves one after clicking "Release New Product".
    let empty = ProductForm::new_for(DeliveryMethod::Saas);
    product::create_draft(conn, company_id, &empty, DeliveryMethod::Saas)?;
    Ok(())
}

/// The life of listed products: a modification in review on a product with a hidden
/// specification, and a product removed through review.
fn seed_product_lives(
    conn: &mut DbConn,
    seller: &DemoSeller,
    operator_id: i64,
    base_url: &str,
) -> Result<(), AppError> {
    let (company_id, seller_id) = (seller.company_id, seller.seller_id);
    let mut chat = demo_form(
        DeliveryMethod::Saas,
        "Team Chat Workspace",
        seller.group_id(),
    );
    chat.category = "enterprise".into();
    let id = seller.draft(conn, &chat, DeliveryMethod::Saas)?;
    if let Some(app) = seller.submit(conn, id, &chat)? {
        decide(
            conn,
            app,
            operator_id,
            true,
            "Meets the release requirements.",
            &[],
            base_url,
        )?;
    }
    crate::models::visibility::set_spec(conn, company_id, id, seller_id, "Free trial", true)?;
    // The seller raises the Basic price: a modification, in review, while the listed release
    // stays on sale.
    if let Some(p) = chat.specs.first_mut().and_then(|s| s.prices.first_mut()) {
        p.month = "9.50".into();
        p.year = "95".into();
    }
    product::save_form(conn, company_id, id, &chat)?;
    seller.submit(conn, id, &chat)?;

    let legacy = demo_form(
        DeliveryMethod::License,
        "Legacy Backup Agent",
        seller.group_id(),
    );
    let id = seller.draft(conn, &legacy, DeliveryMethod::License)?;
    if let Some(app) = seller.submit(conn, id, &legacy)? {
        decide(
            conn,
            app,
            operator_id,
            true,
            "Meets the release requirements.",
            &[],
            base_url,
        )?;
    }
    let listed = product::find_for_company(conn, company_id, id)?;
    let request = crate::domain::removal::RemovalRequest {
        target: crate::domain::removal::RemovalTarget::Product,
        reason: "End of life: replaced by Cloud Backup Suite; no new buyers after this month."
            .into(),
        files: Vec::new(),
    };
    let outcome = crate::models::removal::submit(
        conn,
        company_id,
        seller_id,
        &listed,
        &request,
        Vec::new(),
        seller.now,
        seller.due,
    )?;
    if let crate::models::removal::RemovalOutcome::Submitted(app) = outcome {
        decide(
            conn,
            app,
            operator_id,
            true,
            "Removal confirmed.",
            &[],
            base_url,
        )?;
    }
    Ok(())
}

fn decide(
    conn: &mut DbConn,
    app_id: i64,
    operator_id: i64,
    approve: bool,
    comment: &str,
    fields: &[&str],
    base_url: &str,
) -> Result<(), AppError> {
    let decision = crate::applications::Decision {
        approve,
        reason: Some(comment.to_string()),
        fields: fields.iter().map(|f| f.to_string()).collect(),
    };
    let notify = crate::applications::NotifySettings {
        base_url,
        max_attempts: 8,
        sms: false,
    };
    match crate::applications::decide(conn, app_id, operator_id, &decision, &notify)? {
        crate::applications::DecideOutcome::Decided(_) => Ok(()),
        crate::applications::DecideOutcome::AlreadyDecided(_) => Err(AppError::Internal(
            anyhow::anyhow!("demo application #{app_id} was already decided"),
        )),
    }
}

/// The demo buyer's orders of the catalog's products: one awaiting payment, paid ones
/// (completed, or a service being delivered), one cancelled, one placed last month.
fn seed_orders(conn: &mut DbConn, operator_id: i64, base_url: &str) -> Result<(), AppError> {
    let settings = crate::applications::NotifySettings {
        base_url,
        max_attempts: 8,
        sms: false,
    };
    let settings = &settings;
    use crate::db::schema::{order_events, orders, products};
    use crate::domain::order::{price, OrderChoice};
    use crate::domain::statuses::Lifecycle;
    use crate::models::order::{self, NewOrder, PaidBy};
    let buyer_id = create_user(conn, &DEMO_LOGINS[4], None)?;
    let catalog_company: i64 = crate::db::schema::users::table
        .filter(crate::db::schema::users::email.eq(DEMO_LOGINS[3].email))
        .select(crate::db::schema::users::company_id)
        .first::<Option<i64>>(conn)?
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("demo catalog seller has no company")))?;
    let listed: Vec<i64> = products::table
        .filter(products::company_id.eq(catalog_company))
        .filter(products::lifecycle.eq(Lifecycle::Live))
        .order(products::id.asc())
        .select(products::id)
        .load(conn)?;
    let regions = crate::domain::offer::default_regions();
    let mut placed = Vec::new();
    let mut service = None;
    for id in listed {
        let p = crate::models::product_release::find_public(conn, id)?;
        let r = &p.release.snapshot.release;
        let is_service = r.method == DeliveryMethod::ProfessionalServices;
        if placed.len() >= 7 && (!is_service || service.is_some()) {
            continue;
        }
        let Some(spec) = r.specs.first() else {
            continue;
        };
        let Some(sku) = spec.skus.first() else {
            continue;
        };
        let period = match spec.billing {
            BillingMode::YearlyMonthly => "month",
            BillingMode::OneTime => "once",
            BillingMode::PayPerUse => "hour",
        };
        let choice = OrderChoice {
            spec: "0".into(),
            sku: sku.key.clone(),
            quantity: spec
                .quantity
                .as_ref()
                .map(|q| q.range.min.to_string())
                .unwrap_or_default(),
            period: period.into(),
            count: "1".into(),
            region: spec
                .regions
                .first()
                .cloned()
                .unwrap_or_else(|| regions[0].0.clone()),
            ..Default::default()
        };
        let Ok(priced) = price(r, &[], &regions, &choice) else {
            continue;
        };
        if let Ok(order_id) = order::place(
            conn,
            NewOrder {
                buyer_id,
                product_id: id,
                company_id: p.company.id,
                release_id: p.release.id,
                product_name: &r.name,
                method: r.method,
                priced: &priced,
                pay_hours: crate::config::OrderTimes::default().pay_hours,
                buyer_company: Some("Demo Buyer Ltd"),
                renews: None,
            },
            settings,
        )? {
            if is_service && service.is_none() {
                service = Some(order_id);
            } else {
                placed.push(order_id);
            }
        }
    }
    // A paid professional service: processing, to be delivered.
    if let Some(id) = service {
        let reference = format!("DEMO-TRX-{id}");
        let _ = order::pay(
            conn,
            id,
            PaidBy::Operator {
                id: operator_id,
                reference: &reference,
            },
            settings,
        )?;
    }
    // #1 waits for payment; #2–#4 are paid; #5 is cancelled; #6 was placed and paid last month;
    // #7 was never paid and expired.
    for (i, id) in placed.iter().enumerate() {
        match i {
            1..=3 | 5 => {
                let reference = format!("DEMO-TRX-{id}");
                let _ = order::pay(
                    conn,
                    *id,
                    PaidBy::Operator {
                        id: operator_id,
                        reference: &reference,
                    },
                    settings,
                )?;
            }
            4 => {
                order::cancel(conn, buyer_id, *id, settings)?;
            }
            _ => {}
        }
    }
    if let Some(last) = placed.get(5) {
        let month_ago = db::now() - time::Duration::days(31);
        let (kind, count): (String, i32) = orders::table
            .find(*last)
            .select((orders::period_kind, orders::period_count))
            .first(conn)?;
        let paid: Option<time::PrimitiveDateTime> = orders::table
            .find(*last)
            .select(orders::paid_at)
            .first(conn)?;
        let expires = crate::domain::order::expiry(month_ago, &kind, count as u32);
        diesel::update(orders::table.find(*last))
            .set((
                orders::created_at.eq(month_ago),
                orders::pay_by.eq(month_ago
                    + time::Duration::hours(crate::config::OrderTimes::default().pay_hours)),
                orders::paid_at.eq(paid.map(|_| month_ago)),
                orders::starts_at.eq(paid.map(|_| month_ago)),
                orders::expires_at.eq(paid.and(expires)),
                orders::closed_at.eq(paid.map(|_| month_ago)),
            ))
            .execute(conn)?;
        diesel::update(order_events::table.filter(order_events::order_id.eq(*last)))
            .set(order_events::created_at.eq(month_ago))
            .execute(conn)?;
    }
    // Last month's bill, as the job of the 7th makes it (SPEC 12).
    let today = time::OffsetDateTime::now_utc().date();
    let last_month = crate::domain::settlement::previous_period(today);
    let made = crate::models::bill::generate(conn, &last_month, settings)?;
    crate::models::bill::record_run(conn, &last_month, made)?;
    if let Some(id) = placed.get(6) {
        diesel::update(orders::table.find(*id))
            .set(orders::pay_by.eq(db::now() - time::Duration::hours(1)))
            .execute(conn)?;
        order::expire_unpaid(conn, settings)?;
    }
    // A refund the seller approved: the subscription is unsubscribed (SPEC 11).
    if let Some(id) = placed.get(2) {
        let seller: i64 = crate::db::schema::users::table
            .filter(crate::db::schema::users::email.eq(DEMO_LOGINS[3].email))
            .select(crate::db::schema::users::id)
            .first(conn)?;
        if crate::models::refund::request(
            conn,
            buyer_id,
            *id,
            "2.00",
            "Moved to the yearly plan.",
            settings,
        )?
        .is_ok()
        {
            let _ = crate::models::refund::decide(
                conn,
                catalog_company,
                seller,
                *id,
                true,
                "",
                settings,
            )?;
        }
    }
    // The buyer asks for part of a subscription back: waiting for the seller (SPEC 11).
    if let Some(id) = placed.get(1) {
        let _ = crate::models::refund::request(
            conn,
            buyer_id,
            *id,
            "1.00",
            "We only needed it for the migration weekend.",
            settings,
        )?;
    }
    seed_benefits(conn, catalog_company, operator_id, settings)
}

/// Policies and Benefits (SPEC 13): this month's homepage banner, approved (as history: the
/// request was made before the demo began), and a featured-zone request for the next month
/// that waits for review.
fn seed_benefits(
    conn: &mut DbConn,
    company_id: i64,
    operator_id: i64,
    settings: &crate::applications::NotifySettings,
) -> Result<(), AppError> {
    use crate::domain::benefits::Slot;
    let products = crate::models::benefit::listed_products(conn, company_id)?;
    let Some((product_id, _)) = products.first().cloned() else {
        return Ok(());
    };
    let seller: i64 = crate::db::schema::users::table
        .filter(crate::db::schema::users::email.eq(DEMO_LOGINS[3].email))
        .select(crate::db::schema::users::id)
        .first(conn)?;
    let today = time::OffsetDateTime::now_utc().date();
    let due = crate::domain::working_days::due_from(
        db::now(),
        &crate::i18n::zone::Zone::review_default(),
        &[],
    );
    let this_month = crate::domain::settlement::period_of(today);
    if let Ok(id) = crate::db::write_transaction(conn, |conn| {
        crate::models::benefit::submit_slot(
            conn,
            company_id,
            seller,
            Slot::Banner,
            &this_month,
            product_id,
            "",
            due,
        )
    })? {
        crate::applications::decide(
            conn,
            id,
            operator_id,
            &crate::applications::Decision {
                approve: true,
                reason: None,
                fields: Vec::new(),
            },
            settings,
        )?;
    }
    if let Some(next) = crate::domain::benefits::open_months(today).first() {
        let featured = products.get(1).map(|p| p.0).unwrap_or(product_id);
        let _ = crate::db::write_transaction(conn, |conn| {
            crate::models::benefit::submit_slot(
                conn,
                company_id,
                seller,
                Slot::Featured,
                next,
                featured,
                "Launch of version 2",
                due,
            )
        })?;
    }
    Ok(())
}
