//! Command line: `serve` (default), `migrate`, `create-operator`, `seed-demo`, `bench-data`.

use std::io::{BufRead, IsTerminal};
use std::net::TcpListener;

use clap::{Parser, Subcommand};

use seller_console::auth::password;
use seller_console::bench;
use seller_console::config::Config;
use seller_console::db;
use seller_console::domain::fields::is_email;
use seller_console::domain::statuses::Role;
use seller_console::models::user::{normalise_email, NewUser, User};
use seller_console::seed::{self, DEMO_LOGINS};
use seller_console::startup;

#[derive(Parser)]
#[command(
    name = "seller-console",
    version,
    about = "Self-hostable software marketplace seller console"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Apply migrations, load demo data on an empty database (unless SEED_DEMO=0), and serve.
    Serve,
    /// Apply pending migrations and exit.
    Migrate,
    /// Create an operations staff account. The password is asked for, or read from stdin.
    CreateOperator {
        #[arg(long)]
        email: String,
        /// Read the password from the first line of standard input instead of prompting.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Load the demo data (does nothing if it is already there).
    SeedDemo,
    /// Load the benchmark dataset: approved sellers with products, specifications and SKUs.
    BenchData {
        #[arg(long, default_value_t = 10_000)]
        sellers: u32,
        #[arg(long, default_value_t = 100)]
        products_per_seller: u32,
        /// Add another set of bench sellers to a database that already has some.
        #[arg(long)]
        force: bool,
        /// Succeed without loading when the bench data is already there (for re-runs).
        #[arg(long, conflicts_with = "force")]
        if_missing: bool,
    },
    /// Add orders to the benchmark dataset: many for bench seller #1, a few for every other.
    BenchOrders {
        #[arg(long, default_value_t = 100_000)]
        big_seller_orders: u32,
        #[arg(long, default_value_t = 20)]
        orders_per_seller: u32,
        #[arg(long)]
        if_missing: bool,
    },
    /// Time the monthly bill job for a month (YYYY-MM) on the benchmark dataset.
    BenchBill {
        #[arg(long)]
        period: String,
        /// Undo that month's bills first, so a re-run measures the same work.
        #[arg(long)]
        again: bool,
    },
}

fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,actix_web=info".into()),
        )
        .init();
    let cli = Cli::parse();
    let config = Config::from_env()?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(config),
        Command::Migrate => {
            seller_console::startup::migrate(&config.database_url)?;
            println!("Migrations applied to {}", redact(&config.database_url));
            Ok(())
        }
        Command::CreateOperator {
            email,
            password_stdin,
        } => create_operator(&config, &email, password_stdin),
        Command::SeedDemo => {
            let pool = startup::prepare_tool_database(&config)?;
            let mut conn = pool.get()?;
            let created = seed::seed_demo(&mut conn, &config.holidays, &config.base_url)
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!(
                "{}",
                if created {
                    "Demo data loaded."
                } else {
                    "Demo data already present."
                }
            );
            print_demo_logins();
            Ok(())
        }
        Command::BenchOrders {
            big_seller_orders,
            orders_per_seller,
            if_missing,
        } => seller_console::bench_orders::bench_orders(
            &config,
            &seller_console::bench_orders::OrderBenchOptions {
                big_seller_orders,
                orders_per_seller,
                if_missing,
            },
        ),
        Command::BenchBill { period, again } => {
            seller_console::bench_orders::bench_bill(&config, &period, again)
        }
        Command::BenchData {
            sellers,
            products_per_seller,
            force,
            if_missing,
        } => bench::bench_data(
            &config,
            &bench::BenchOptions {
                sellers,
                products_per_seller,
                force,
                if_missing,
            },
        ),
    }
}

#[actix_web::main]
async fn serve(config: Config) -> anyhow::Result<()> {
    let pool = startup::prepare_database(&config)?;
    let demo = {
        let mut conn = pool.get()?;
        if config.seed_demo && seed::is_empty(&mut conn).map_err(|e| anyhow::anyhow!("{e}"))? {
            seed::seed_demo(&mut conn, &config.holidays, &config.base_url)
                .map_err(|e| anyhow::anyhow!("{e}"))?;
        }
        seed::has_demo_data(&mut conn).map_err(|e| anyhow::anyhow!("{e}"))?
    };
    let listener = TcpListener::bind(&config.bind)
        .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", config.bind))?;
    let url = format!("http://{}", listener.local_addr()?);
    println!(
        "Seller Console on {} ({})",
        url,
        redact(&config.database_url)
    );
    if demo {
        print_demo_logins();
    }
    startup::spawn_session_sweeper(pool.clone());
    let wakeup = std::sync::Arc::new(tokio::sync::Notify::new());
    let _worker = startup::spawn_outbox_worker(pool.clone(), &config, wakeup.clone())?;
    startup::spawn_order_sweeper(pool.clone(), &config, wakeup.clone());
    startup::run_with_wakeup(listener, pool, config, wakeup)?.await?;
    Ok(())
}

fn print_demo_logins() {
    println!("Demo logins:");
    for l in DEMO_LOGINS.iter() {
        println!(
            "  {:<8} {:<24} {:<20} {}",
            l.role, l.email, l.password, l.note
        );
    }
}

/// Hides a password in a database URL before printing it.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{}:***{}", &url[..s + 3], user, &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

fn create_operator(config: &Config, email: &str, from_stdin: bool) -> anyhow::Result<()> {
    let email = normalise_email(email);
    if !is_email(&email) {
        anyhow::bail!("{email:?} is not a valid email address");
    }
    let pw = if from_stdin || !std::io::stdin().is_terminal() {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        line.trim_end_matches(['\r', '\n']).to_string()
    } else {
        let first = rpassword::prompt_password("Password for the operator: ")?;
        let again = rpassword::prompt_password("Repeat the password: ")?;
        if first != again {
            anyhow::bail!("the two passwords are not the same");
        }
        first
    };
    if let Some(msg) = password::check_new(&pw) {
        anyhow::bail!("{msg}");
    }
    let pool = startup::prepare_tool_database(config)?;
    let mut conn = pool.get()?;
    if User::email_taken(&mut conn, &email).map_err(|e| anyhow::anyhow!("{e}"))? {
        anyhow::bail!("an account with {email} already exists");
    }
    let hash = password::hash(&pw)?;
    let now = db::now();
    User::insert(
        &mut conn,
        &NewUser {
            email: &email,
            password_hash: &hash,
            role: Role::Operator.as_str(),
            company_id: None,
            created_at: now,
            password_changed_at: now,
        },
    )
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    println!("Operator {email} created.");
    Ok(())
}
