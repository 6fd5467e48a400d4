//! Rooms: the named groups of sockets an event is addressed to. The names are
//! part of the transport (Socket.IO rooms, shared across nodes by the Redis
//! adapter), so they are made in this one place.

use parley_core::{ConversationId, OrgId, SessionId, UserId};

/// A group of sockets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Room {
    /// Every socket of a user: events addressed to the user.
    User(UserId),
    /// Every socket of one sign-in session: sign-out disconnects it.
    Session(SessionId),
    /// Every socket of a conversation's members.
    Conversation(ConversationId),
    /// Sockets that asked to hear a user's presence (`presence:watch`).
    PresenceWatchers(UserId),
    /// Every socket of an organization's agents (owners included): its
    /// live queue and its support conversations.
    OrgAgents(OrgId),
}

impl std::fmt::Display for Room {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::User(id) => write!(f, "user:{id}"),
            Self::Session(id) => write!(f, "session:{id}"),
            Self::Conversation(id) => write!(f, "conversation:{id}"),
            Self::PresenceWatchers(id) => write!(f, "presence:{id}"),
            Self::OrgAgents(id) => write!(f, "org:{id}:agents"),
        }
    }
}

/// The rooms' names, sorted and without repeats.
pub fn names(rooms: impl IntoIterator<Item = Room>) -> Vec<String> {
    let mut rooms: Vec<Room> = rooms.into_iter().collect();
    rooms.sort_unstable();
    rooms.dedup();
    rooms.iter().map(Room::to_string).collect()
}
