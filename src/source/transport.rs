//! One attempt against one node: send (with reqwest-retry re-sending plain 5xx to the same node
//! after a jittered backoff), read the body under a size cap, parse JSON, and classify
//! JSON-RPC errors, HTML pages and truncated bodies as failures rather than data.

use std::time::Duration;

use reqwest::StatusCode;
use reqwest_middleware::{ClientBuilder, ClientWithMiddleware};
use reqwest_retry::policies::ExponentialBackoff;
use reqwest_retry::{Jitter, RetryTransientMiddleware, Retryable, RetryableStrategy};
use serde_json::Value;

use super::error::Failure;

/// Timeouts, caps and same-node retry settings of the HTTP layer.
#[derive(Clone, Debug)]
pub struct TransportConfig {
    pub connect_timeout: Duration,
    pub attempt_timeout: Duration,
    pub body_cap: usize,
    pub same_node_retries: u32,
    pub min_backoff: Duration,
    pub max_backoff: Duration,
}

impl Default for TransportConfig {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(3),
            attempt_timeout: Duration::from_secs(10),
            body_cap: 32 * 1024 * 1024,
            same_node_retries: 2,
            min_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(5),
        }
    }
}

/// Re-send to the same node only on a plain 5xx. A connect error or timeout fails over at once,
/// and a 429 or a `Retry-After` cools the node: both are the caller's decision, not this layer's.
struct SameNodeStrategy;

impl RetryableStrategy for SameNodeStrategy {
    fn handle(
        &self,
        res: &Result<reqwest::Response, reqwest_middleware::Error>,
    ) -> Option<Retryable> {
        let Ok(resp) = res else {
            return Some(Retryable::Fatal);
        };
        let status = resp.status();
        let server_error = matches!(status.as_u16(), 500 | 502 | 503 | 504);
        if status.is_success() {
            None
        } else if server_error && retry_after(resp).is_none() {
            Some(Retryable::Transient)
        } else {
            Some(Retryable::Fatal)
        }
    }
}

#[derive(Clone)]
pub struct Transport {
    http: ClientWithMiddleware,
    cfg: TransportConfig,
}

impl Transport {
    pub fn new(cfg: TransportConfig) -> Result<Self, Failure> {
        let inner = reqwest::Client::builder()
            .connect_timeout(cfg.connect_timeout)
            .user_agent(concat!("market-tui/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| Failure::Transport(e.to_string()))?;
        let policy = ExponentialBackoff::builder()
            .retry_bounds(cfg.min_backoff, cfg.max_backoff.max(cfg.min_backoff))
            .jitter(Jitter::Full)
            .build_with_max_retries(cfg.same_node_retries);
        let http = ClientBuilder::new(inner)
            .with(RetryTransientMiddleware::new_with_policy_and_strategy(
                policy,
                SameNodeStrategy,
            ))
            .build();
        Ok(Self { http, cfg })
    }

    /// POSTs one JSON-RPC request and returns the response body as it came.
    pub async fn call_body(&self, url: &str, request: &Value) -> Result<Vec<u8>, Failure> {
        let body = serde_json::to_vec(request).map_err(|e| Failure::Transport(e.to_string()))?;
        let started = std::time::Instant::now();
        let send = self
            .http
            .post(url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .timeout(self.cfg.attempt_timeout)
            .body(body)
            .send();
        let answer = self.read_body(send).await;
        let ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        tracing::debug!(
            url,
            method = request["method"].as_str(),
            table = request["params"]["table"].as_str(),
            ms,
            ok = answer.is_ok(),
            "call"
        );
        answer
    }

    /// GETs a JSON document (node status, history API).
    pub async fn get(&self, url: &str) -> Result<Value, Failure> {
        let send = self.http.get(url).timeout(self.cfg.attempt_timeout).send();
        let body = self.read_body(send).await?;
        serde_json::from_slice(&body).map_err(|e| Failure::Garbled(describe_garbage(&body, &e)))
    }

    async fn read_body(
        &self,
        send: impl Future<Output = reqwest_middleware::Result<reqwest::Response>>,
    ) -> Result<Vec<u8>, Failure> {
        let mut resp = send.await.map_err(|e| self.classify(&e))?;
        let status = resp.status();
        if status != StatusCode::OK {
            return Err(Failure::Status {
                code: status.as_u16(),
                retry_after: retry_after(&resp),
            });
        }
        // Sized once from the stated length (within the cap): a page body is not regrown and
        // copied chunk by chunk.
        let stated = resp.content_length().unwrap_or(0);
        let mut body =
            Vec::with_capacity(usize::try_from(stated).map_or(0, |n| n.min(self.cfg.body_cap)));
        while let Some(chunk) = resp.chunk().await.map_err(|e| self.classify_reqwest(&e))? {
            if body.len() + chunk.len() > self.cfg.body_cap {
                return Err(Failure::TooLarge(self.cfg.body_cap));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }

    fn classify(&self, e: &reqwest_middleware::Error) -> Failure {
        match e {
            reqwest_middleware::Error::Reqwest(e) => self.classify_reqwest(e),
            // reqwest-retry wraps every error it passes on, retried or not.
            reqwest_middleware::Error::Middleware(e) => {
                match e.downcast_ref::<reqwest_retry::RetryError>() {
                    Some(
                        reqwest_retry::RetryError::Error(inner)
                        | reqwest_retry::RetryError::WithRetries { err: inner, .. },
                    ) => self.classify(inner),
                    None => Failure::Transport(e.to_string()),
                }
            }
        }
    }

    fn classify_reqwest(&self, e: &reqwest::Error) -> Failure {
        if e.is_timeout() {
            Failure::Timeout(self.cfg.attempt_timeout)
        } else if e.is_connect() {
            let mut cause = e.to_string();
            let mut source = std::error::Error::source(e);
            while let Some(s) = source {
                cause = s.to_string();
                source = s.source();
            }
            Failure::Connect(cause)
        } else if e.is_body() || e.is_decode() {
            Failure::Garbled(format!("body cut off ({e})"))
        } else {
            Failure::Transport(e.to_string())
        }
    }
}

/// `Retry-After` in seconds or as an HTTP date.
fn retry_after(resp: &reqwest::Response) -> Option<Duration> {
    let text = resp
        .headers()
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(secs) = text.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = jiff::fmt::rfc2822::parse(text).ok()?.timestamp();
    let wait = when.as_second() - jiff::Timestamp::now().as_second();
    Some(Duration::from_secs(u64::try_from(wait).unwrap_or(0)))
}

fn describe_garbage(body: &[u8], e: &serde_json::Error) -> String {
    let head = String::from_utf8_lossy(&body[..body.len().min(200)]);
    if head.trim_start().starts_with('<') {
        "an HTML page instead of JSON".to_owned()
    } else if e.is_eof() {
        format!("JSON cut off after {} bytes", body.len())
    } else {
        format!("not JSON ({e})")
    }
}

/// The `result` of a JSON-RPC response body; errors, HTML pages and cut bodies are failures.
pub fn envelope_result(body: &[u8]) -> Result<Value, Failure> {
    let envelope =
        serde_json::from_slice(body).map_err(|e| Failure::Garbled(describe_garbage(body, &e)))?;
    rpc_result(envelope)
}

/// The rows of a `find` answer: `null` and anything but a list are failures of the node.
pub fn find_rows(body: &[u8]) -> Result<Vec<Value>, Failure> {
    match envelope_result(body)? {
        Value::Array(rows) => Ok(rows),
        Value::Null => Err(Failure::NullResult),
        _ => Err(Failure::Garbled("find did not return a list".into())),
    }
}

/// Unwraps a JSON-RPC envelope (or a one-element batch) into its `result`.
fn rpc_result(envelope: Value) -> Result<Value, Failure> {
    let envelope = match envelope {
        Value::Array(mut items) if items.len() == 1 => items.remove(0),
        other => other,
    };
    let Value::Object(mut obj) = envelope else {
        return Err(Failure::Garbled("not a JSON-RPC response object".into()));
    };
    if let Some(err) = obj.get("error") {
        let code = err.get("code").and_then(Value::as_i64).unwrap_or(0);
        let message = err
            .get("message")
            .and_then(Value::as_str)
            .unwrap_or("unknown error");
        return Err(Failure::Rpc {
            code,
            message: message.chars().take(200).collect(),
        });
    }
    obj.remove("result")
        .ok_or_else(|| Failure::Garbled("no result in the response".into()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn unwraps_results_and_errors() {
        assert_eq!(
            rpc_result(json!({"jsonrpc": "2.0", "id": 1, "result": [1]})),
            Ok(json!([1]))
        );
        assert_eq!(
            rpc_result(json!([{"id": 1, "result": null}])),
            Ok(Value::Null)
        );
        let err =
            rpc_result(json!({"id": 1, "error": {"code": 400, "message": "limit is too high"}}));
        assert!(matches!(err, Err(Failure::Rpc { code: 400, .. })));
    }

    #[test]
    fn names_html_and_truncation() {
        let html = b"<html><body>502</body></html>";
        let e = serde_json::from_slice::<Value>(html).unwrap_err();
        assert_eq!(describe_garbage(html, &e), "an HTML page instead of JSON");
        let cut = b"{\"result\": [1, 2";
        let e = serde_json::from_slice::<Value>(cut).unwrap_err();
        assert!(describe_garbage(cut, &e).starts_with("JSON cut off"));
    }
}
