//! Authentication building blocks: password hashing, access tokens (JWT),
//! refresh tokens, CSRF tokens, session cookies, and the extractor that turns
//! a request into the signed-in user.

pub mod cookies;
pub mod csrf;
pub mod extract;
pub mod jwt;
pub mod passwords;
pub mod refresh;
pub mod tokens;

pub use extract::{Auth, MaybeAuth};
