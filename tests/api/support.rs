//! Running the real `werger` binary: a server on a random loopback port, CLI commands, and a
//! small HTTP client.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

pub const BIN: &str = env!("CARGO_BIN_EXE_werger");

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// A `werger serve` process; killed (SIGKILL) when dropped.
pub struct Server {
    pub child: Child,
    pub base: String,
}

impl Server {
    pub fn start(data_dir: &Path, extra: &[&str]) -> Server {
        let mut child = Command::new(BIN)
            .arg("--data-dir")
            .arg(data_dir)
            .args(["serve", "--bind", "127.0.0.1:0"])
            .args(extra)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start werger serve");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let base = loop {
            let line = lines
                .next()
                .expect("werger serve exited before listening")
                .expect("read stdout");
            if let Some(rest) = line.strip_prefix("listening on ") {
                break rest.split_whitespace().next().expect("address").to_string();
            }
        };
        // Keep draining stdout so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        let server = Server { child, base };
        server.wait_ready();
        server
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    fn wait_ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            if let Ok((200, _)) = try_get(&self.url("/readyz"), &[]) {
                return;
            }
            assert!(Instant::now() < deadline, "server not ready after 120 s");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// SIGKILL: no chance to flush or clean up.
    pub fn kill(mut self) {
        self.child.kill().expect("kill server");
        self.child.wait().expect("reap server");
    }

    pub fn get(&self, path: &str) -> (u16, Value) {
        get(&self.url(path), &[])
    }

    pub fn post(&self, path: &str, body: &Value) -> (u16, Value) {
        send(
            "POST",
            &self.url(path),
            &body.to_string(),
            &[("Content-Type", "application/json")],
        )
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(300)))
        .build()
        .into()
}

fn finish(
    response: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
) -> Result<(u16, Value), ureq::Error> {
    let response = response?;
    let status = response.status().as_u16();
    let mut text = String::new();
    response
        .into_body()
        .into_reader()
        .read_to_string(&mut text)
        .expect("read body");
    let value = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or(Value::String(text))
    };
    Ok((status, value))
}

pub fn try_get(url: &str, headers: &[(&str, &str)]) -> Result<(u16, Value), ureq::Error> {
    let mut req = agent().get(url);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    finish(req.call())
}

pub fn get(url: &str, headers: &[(&str, &str)]) -> (u16, Value) {
    try_get(url, headers).expect("GET")
}

pub fn try_send(
    method: &str,
    url: &str,
    body: impl ureq::AsSendBody,
    headers: &[(&str, &str)],
) -> Result<(u16, Value), ureq::Error> {
    let agent = agent();
    let mut req = match method {
        "POST" => agent.post(url),
        "PATCH" => agent.patch(url),
        "PUT" => agent.put(url),
        other => panic!("unsupported method {other}"),
    };
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    finish(req.send(body))
}

pub fn send(
    method: &str,
    url: &str,
    body: impl ureq::AsSendBody,
    headers: &[(&str, &str)],
) -> (u16, Value) {
    try_send(method, url, body, headers).expect("request")
}

pub fn delete(url: &str) -> (u16, Value) {
    finish(agent().delete(url).call()).expect("DELETE")
}

/// The raw body of a GET (for TMX exports).
pub fn get_bytes(url: &str) -> (u16, Vec<u8>) {
    let response = agent().get(url).call().expect("GET");
    let status = response.status().as_u16();
    let mut bytes = Vec::new();
    response
        .into_body()
        .into_reader()
        .read_to_end(&mut bytes)
        .expect("read body");
    (status, bytes)
}

/// Run a CLI command on a data directory.
pub fn cli(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env("LANG", "C.UTF-8")
        .output()
        .expect("run werger")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A response with its headers, for tests of CORS and other header behaviour.
pub struct RawResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
}

impl RawResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Any method, optional body, headers kept.
pub fn raw_request(
    method: &str,
    url: &str,
    body: Option<&str>,
    headers: &[(&str, &str)],
) -> RawResponse {
    let mut builder = ureq::http::Request::builder().method(method).uri(url);
    for (k, v) in headers {
        builder = builder.header(*k, *v);
    }
    let request = builder
        .body(body.unwrap_or("").to_string())
        .expect("request");
    let response = agent().run(request).expect("response");
    RawResponse {
        status: response.status().as_u16(),
        headers: response
            .headers()
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string()))
            .collect(),
    }
}
