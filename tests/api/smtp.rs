//! A small in-process SMTP receiver: enough of RFC 5321 for lettre (greeting, EHLO/HELO, MAIL,
//! RCPT, DATA with dot-unstuffing, RSET, NOOP, QUIT). It records every message and can be
//! stopped (listener and open connections dropped) and restarted on the same port.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;
use tokio::task::JoinHandle;

#[derive(Debug, Clone)]
pub struct Received {
    pub mail_from: String,
    pub rcpt_to: Vec<String>,
    pub data: Vec<u8>,
    pub at: Instant,
}

impl Received {
    pub fn parsed(&self) -> mail_parser::Message<'_> {
        mail_parser::MessageParser::default()
            .parse(&self.data)
            .expect("a parseable message")
    }

    pub fn message_id(&self) -> String {
        self.parsed().message_id().unwrap_or_default().to_string()
    }
}

#[derive(Default)]
struct Shared {
    messages: Mutex<Vec<Received>>,
    arrived: Notify,
    connections: Mutex<Vec<JoinHandle<()>>>,
}

pub struct SmtpServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    acceptor: Mutex<Option<JoinHandle<()>>>,
}

impl SmtpServer {
    pub async fn start() -> SmtpServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind smtp");
        let addr = listener.local_addr().unwrap();
        let server = SmtpServer {
            addr,
            shared: Arc::new(Shared::default()),
            acceptor: Mutex::new(None),
        };
        server.serve(listener);
        server
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.addr.port())
    }

    fn serve(&self, listener: TcpListener) {
        let shared = self.shared.clone();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let _ = stream.set_nodelay(true);
                let conn = tokio::spawn(session(stream, shared.clone()));
                let mut all = shared.connections.lock().unwrap();
                all.retain(|h| !h.is_finished());
                all.push(conn);
            }
        });
        *self.acceptor.lock().unwrap() = Some(task);
    }

    /// Closes the listener and every open connection: the server is down.
    pub async fn stop(&self) {
        if let Some(task) = self.acceptor.lock().unwrap().take() {
            task.abort();
        }
        for conn in self.shared.connections.lock().unwrap().drain(..) {
            conn.abort();
        }
        // Let the aborted tasks drop their sockets.
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    /// Listens again on the same port.
    pub async fn restart(&self) {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            match TcpListener::bind(self.addr).await {
                Ok(listener) => return self.serve(listener),
                Err(e) if Instant::now() > deadline => panic!("rebind {}: {e}", self.addr),
                Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
            }
        }
    }

    pub fn messages(&self) -> Vec<Received> {
        self.shared.messages.lock().unwrap().clone()
    }

    pub fn count(&self) -> usize {
        self.shared.messages.lock().unwrap().len()
    }

    /// Waits until at least `n` messages have arrived; returns them (however many there are).
    pub async fn wait_for(&self, n: usize, timeout: Duration) -> Vec<Received> {
        let deadline = Instant::now() + timeout;
        loop {
            let notified = self.shared.arrived.notified();
            if self.count() >= n {
                return self.messages();
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return self.messages();
            }
            let _ = tokio::time::timeout(left, notified).await;
        }
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        if let Some(task) = self.acceptor.lock().unwrap().take() {
            task.abort();
        }
        for conn in self.shared.connections.lock().unwrap().drain(..) {
            conn.abort();
        }
    }
}

async fn session(stream: TcpStream, shared: Arc<Shared>) {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read);
    if write
        .write_all(b"220 test.smtp ESMTP ready\r\n")
        .await
        .is_err()
    {
        return;
    }
    let mut mail_from = String::new();
    let mut rcpt_to: Vec<String> = Vec::new();
    let mut line = String::new();
    loop {
        line.clear();
        match lines.read_line(&mut line).await {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        let command = line.trim_end().to_string();
        let verb = command
            .split([' ', ':'])
            .next()
            .unwrap_or("")
            .to_ascii_uppercase();
        let answer: &[u8] = match verb.as_str() {
            "EHLO" => b"250-test.smtp\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n",
            "HELO" => b"250 test.smtp\r\n",
            "MAIL" => {
                mail_from = address(&command);
                rcpt_to.clear();
                b"250 OK\r\n"
            }
            // An address starting with "reject" does not exist: a permanent failure.
            "RCPT" if address(&command).starts_with("reject") => b"550 5.1.1 No such user\r\n",
            "RCPT" => {
                rcpt_to.push(address(&command));
                b"250 OK\r\n"
            }
            "DATA" => {
                if write
                    .write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                    .await
                    .is_err()
                {
                    return;
                }
                let mut data = Vec::new();
                loop {
                    let mut raw = Vec::new();
                    match lines.read_until(b'\n', &mut raw).await {
                        Ok(0) | Err(_) => return,
                        Ok(_) => {}
                    }
                    if raw == b".\r\n" || raw == b".\n" {
                        break;
                    }
                    let unstuffed = if raw.starts_with(b"..") {
                        &raw[1..]
                    } else {
                        &raw[..]
                    };
                    data.extend_from_slice(unstuffed);
                }
                shared.messages.lock().unwrap().push(Received {
                    mail_from: std::mem::take(&mut mail_from),
                    rcpt_to: std::mem::take(&mut rcpt_to),
                    data,
                    at: Instant::now(),
                });
                shared.arrived.notify_waiters();
                b"250 OK queued\r\n"
            }
            "RSET" => {
                mail_from.clear();
                rcpt_to.clear();
                b"250 OK\r\n"
            }
            "NOOP" => b"250 OK\r\n",
            "QUIT" => {
                let _ = write.write_all(b"221 Bye\r\n").await;
                return;
            }
            _ => b"502 Command not implemented\r\n",
        };
        if write.write_all(answer).await.is_err() {
            return;
        }
    }
}

/// `MAIL FROM:<a@b> SIZE=1` → `a@b`.
fn address(command: &str) -> String {
    match (command.find('<'), command.find('>')) {
        (Some(a), Some(b)) if b > a => command[a + 1..b].to_string(),
        _ => String::new(),
    }
}
