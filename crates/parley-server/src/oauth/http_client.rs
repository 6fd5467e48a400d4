//! The HTTP client that talks to providers: it follows no redirects (a
//! token or key endpoint that redirects could point us anywhere, SSRF),
//! gives up quickly, and reads at most [`MAX_BODY`] of any answer.

use openidconnect::{AsyncHttpClient, HttpRequest, HttpResponse};
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

/// Discovery documents, key sets, tokens and user-info answers are a few
/// KiB; anything much bigger is not one of them.
pub const MAX_BODY: usize = 512 * 1024;

#[derive(Debug, Clone)]
pub struct ProviderHttp {
    client: reqwest::Client,
}

#[derive(Debug, thiserror::Error)]
pub enum ProviderHttpError {
    #[error("request to the provider failed")]
    Request(#[from] reqwest::Error),
    #[error("the provider's answer is not a valid HTTP message")]
    Http(#[from] http::Error),
    #[error("the provider's answer is larger than {MAX_BODY} bytes")]
    TooLarge,
}

impl ProviderHttp {
    pub fn new() -> anyhow::Result<Self> {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_secs(3))
            .timeout(Duration::from_secs(8))
            .user_agent(concat!("Parley/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Self { client })
    }

    /// A GET with a bearer token, for user-info calls; the JSON answer.
    pub async fn get_json(
        &self,
        url: &str,
        access_token: &str,
    ) -> Result<(http::StatusCode, Vec<u8>), ProviderHttpError> {
        let response = self
            .client
            .get(url)
            .bearer_auth(access_token)
            .header(http::header::ACCEPT, "application/json")
            .send()
            .await?;
        let status = response.status();
        Ok((status, bounded_body(response).await?))
    }
}

async fn bounded_body(mut response: reqwest::Response) -> Result<Vec<u8>, ProviderHttpError> {
    if response
        .content_length()
        .is_some_and(|n| n > MAX_BODY as u64)
    {
        return Err(ProviderHttpError::TooLarge);
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        if body.len() + chunk.len() > MAX_BODY {
            return Err(ProviderHttpError::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

impl<'c> AsyncHttpClient<'c> for ProviderHttp {
    type Error = ProviderHttpError;
    type Future = Pin<Box<dyn Future<Output = Result<HttpResponse, Self::Error>> + Send + 'c>>;

    fn call(&'c self, request: HttpRequest) -> Self::Future {
        Box::pin(async move {
            let request = reqwest::Request::try_from(request)?;
            let response = self.client.execute(request).await?;
            let mut builder = http::Response::builder().status(response.status());
            for (name, value) in response.headers() {
                builder = builder.header(name, value);
            }
            Ok(builder.body(bounded_body(response).await?)?)
        })
    }
}
