//! Who sent a request: the two users of the simulated platform and their bearer tokens.

/// The admin's user name (may do everything but write status).
pub const ADMIN_USER: &str = "admin@sim.local";
/// The viewer's user name (get, list, watch).
pub const VIEWER_USER: &str = "viewer@sim.local";

/// Who sent a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum User {
    Admin,
    Viewer,
    /// A bearer token the server does not know.
    Invalid,
    /// No bearer token (and no client certificate).
    None,
}

impl User {
    /// How the request log names the sender.
    pub fn as_str(self) -> &'static str {
        match self {
            User::Admin => "admin",
            User::Viewer => "viewer",
            User::Invalid => "invalid",
            User::None => "none",
        }
    }

    /// The user name an RBAC message names (authenticated users only).
    pub fn user_name(self) -> Option<&'static str> {
        match self {
            User::Admin => Some(ADMIN_USER),
            User::Viewer => Some(VIEWER_USER),
            User::Invalid | User::None => None,
        }
    }
}

/// The bearer tokens of this start of the simulator.
#[derive(Debug)]
pub struct Tokens {
    pub admin: String,
    pub viewer: String,
}

impl Tokens {
    /// The user of an `Authorization` header.
    pub fn authenticate(&self, header: Option<&str>) -> User {
        let Some(header) = header else {
            return User::None;
        };
        let token = header
            .strip_prefix("Bearer ")
            .or_else(|| header.strip_prefix("bearer "))
            .map(str::trim);
        match token {
            Some(t) if t == self.admin => User::Admin,
            Some(t) if t == self.viewer => User::Viewer,
            _ => User::Invalid,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_tokens() {
        let tokens = Tokens {
            admin: "a1".into(),
            viewer: "v1".into(),
        };
        assert_eq!(tokens.authenticate(Some("Bearer a1")), User::Admin);
        assert_eq!(tokens.authenticate(Some("bearer v1")), User::Viewer);
        assert_eq!(tokens.authenticate(Some("Bearer nope")), User::Invalid);
        assert_eq!(tokens.authenticate(Some("Basic a1")), User::Invalid);
        assert_eq!(tokens.authenticate(None), User::None);
        assert_eq!(User::Viewer.user_name(), Some(VIEWER_USER));
    }
}
