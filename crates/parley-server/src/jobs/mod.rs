//! Background work started by `Application::run`: the thumbnail workers
//! ([`thumbnails`]) and the media sweeper ([`sweeper`]).

pub mod sweeper;
pub mod thumbnails;
